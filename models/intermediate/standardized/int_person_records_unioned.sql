-- CRM records of every CRM source and billing accounts in one shape, so standardization and
-- matching run once over all of them. Rows deleted in their source and converted leads linked
-- to their contact (int_converted_leads_linked) are not person records.
with

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}
    where not is_deleted

),

converted_leads as (

    select * from {{ ref('int_converted_leads_linked') }}

),

billing_customers as (

    select * from {{ ref('stg_billing__customers') }}

),

crm_person_rows as (

    select crm_contacts.*
    from crm_contacts
    left join converted_leads
        on
            crm_contacts.source_name = converted_leads.source_name
            and crm_contacts.source_record_id = converted_leads.source_record_id
    where converted_leads.record_key is null

),

crm_records as (

    select
        source_name || ':' || source_record_id as record_key,
        'crm' as source_system,
        source_name,
        source_record_id,
        contact_id as source_id,
        source_channel,
        first_name_raw,
        last_name_raw,
        email_raw,
        phone_raw,
        street_address_raw,
        city_raw,
        postal_code_raw,
        country_raw,
        birth_date_raw,
        company_name_raw,
        cast(null as {{ dbt.type_string() }}) as account_status,
        created_at_raw,
        updated_at_raw

    from crm_person_rows

),

billing_records as (

    select
        source_name || ':' || source_record_id as record_key,
        'billing' as source_system,
        source_name,
        source_record_id,
        account_id as source_id,
        'billing' as source_channel,
        first_name_raw,
        last_name_raw,
        email_raw,
        phone_raw,
        street_address_raw,
        city_raw,
        postal_code_raw,
        country_raw,
        birth_date_raw,
        cast(null as {{ dbt.type_string() }}) as company_name_raw,
        account_status,
        opened_at_raw as created_at_raw,
        cast(null as {{ dbt.type_string() }}) as updated_at_raw

    from billing_customers

),

unioned as (

    select * from crm_records
    union all
    select * from billing_records

)

select * from unioned
