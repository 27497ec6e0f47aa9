-- One row per source record (CRM contact or billing account) with its resolved customer and
-- how strongly it is tied to it.
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
        cast(cluster_size as bigint) as cluster_size,
        cast(match_probability as double) as match_probability,
        survivor_rank = 1 as is_surviving_record

    from records

)

select * from final
