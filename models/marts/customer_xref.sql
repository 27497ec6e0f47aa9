-- One row per source record (CRM contact or billing account) with its resolved customer.
with

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

final as (

    select
        record_key,
        source_system,
        source_record_id,
        source_id,
        source_channel,
        customer_id,
        cluster_size,
        survivor_rank = 1 as is_surviving_record

    from records

)

select * from final
