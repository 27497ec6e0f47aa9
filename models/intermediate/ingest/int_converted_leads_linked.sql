-- Leads the CRM converted into a contact (Salesforce: IsConverted, ConvertedContactId). The
-- lead is the contact's person by the CRM's own word, so it is linked to the contact here,
-- deterministically, and stays out of matching, the defect checks and the record counts: it
-- is history, not a second record. A lead whose contact is not among the live rows of its
-- contact source stays an ordinary lead record.
with

crm_rows as (

    select * from {{ ref('stg_crm__contacts') }}
    where not is_deleted

),

leads as (

    select * from crm_rows
    where is_converted and converted_source_name is not null

),

contacts as (

    select * from crm_rows
    where contact_id is not null

),

linked as (

    select
        leads.source_name || ':' || leads.source_record_id as record_key,
        leads.source_name,
        leads.source_record_id,
        leads.contact_id as source_id,
        leads.source_channel,
        -- A repeated contact id is a defect of the contact source; the first record takes the lead.
        min({{ code_point_order("contacts.source_name || ':' || contacts.source_record_id") }})
            as converted_record_key

    from leads
    inner join contacts
        on
            leads.converted_source_name = contacts.source_name
            and leads.converted_contact_id = contacts.contact_id
    group by leads.source_name, leads.source_record_id, leads.contact_id, leads.source_channel

)

select * from linked
