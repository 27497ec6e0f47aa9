-- A merge suggestion joins two records of one CRM source and one customer: no CRM merges across
-- tools or objects, nor with billing, and a group never spans two customers (survivorship's
-- ranks are comparable only within a customer). Fails with every suggestion that crosses.
with

suggestions as (

    select * from {{ ref('fct_merge_suggestions') }}

),

xref as (

    select * from {{ ref('customer_xref') }}

),

crossing as (

    select
        suggestions.master_record_key,
        suggestions.duplicate_record_key,
        masters.source_system as master_source_system,
        masters.source_name as master_source_name,
        duplicates.source_system as duplicate_source_system,
        duplicates.source_name as duplicate_source_name

    from suggestions
    inner join xref as masters on suggestions.master_record_key = masters.record_key
    inner join xref as duplicates on suggestions.duplicate_record_key = duplicates.record_key
    where
        masters.source_system != 'crm'
        or duplicates.source_system != 'crm'
        or masters.source_name != duplicates.source_name
        or suggestions.source_name != masters.source_name
        or masters.customer_id != duplicates.customer_id
        or suggestions.customer_id != masters.customer_id
        or masters.link_type != 'entity_resolution'
        or duplicates.link_type != 'entity_resolution'

)

select * from crossing
