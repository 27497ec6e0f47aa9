-- One row per source record (source_name × source_record_id: CRM records of every CRM source
-- and billing accounts) with its resolved customer and how it is tied to it: matched by
-- entity resolution, or linked by the CRM itself (a converted lead takes its contact's
-- customer). Records deleted in their source are not here.
{{ config(
    uncompressed_columns=['record_key', 'source_record_id', 'source_id', 'customer_id'],
) }}
with

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

converted_leads as (

    select * from {{ ref('int_converted_leads_linked') }}

),

matched as (

    select
        record_key,
        source_system,
        source_name,
        source_record_id,
        source_id,
        source_channel,
        customer_id,
        cast(cluster_size as bigint) as cluster_size,
        cast(match_probability as {{ type_double() }}) as match_probability,
        survivor_rank = 1 as is_surviving_record,
        'entity_resolution' as link_type

    from records

),

converted as (

    select
        converted_leads.record_key,
        'crm' as source_system,
        converted_leads.source_name,
        converted_leads.source_record_id,
        converted_leads.source_id,
        converted_leads.source_channel,
        contacts.customer_id,
        contacts.cluster_size,
        cast(1.0 as {{ type_double() }}) as match_probability,
        false as is_surviving_record,
        'converted_lead' as link_type

    from converted_leads
    inner join matched as contacts on converted_leads.converted_record_key = contacts.record_key

),

final as (

    select * from matched
    union all
    select * from converted

)

select * from final
