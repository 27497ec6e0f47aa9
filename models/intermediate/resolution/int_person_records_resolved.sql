-- Every person record with its resolved customer and its survivorship rank among the
-- records of the same source system in that customer. Rank 1 is the surviving record:
-- the most recently updated, then the most complete, then the smallest record id.
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

clusters as (

    select * from {{ ref('int_person_records_clustered') }}

),

joined as (

    select
        records.*,
        clusters.cluster_id as customer_id,
        clusters.cluster_size,
        (
            {%- for field in ['first_name', 'last_name', 'email', 'phone', 'street_address', 'city',
                              'postal_code', 'country', 'birth_date'] %}
            case when records.{{ field }}_status = 'valid' then 1 else 0 end
            {%- if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as valid_field_count

    from records
    inner join clusters on records.record_key = clusters.record_key

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id, source_system
            order by
                coalesce(updated_at, created_at) desc nulls last,
                valid_field_count desc,
                source_record_id asc
        ) as survivor_rank

    from joined

)

select * from ranked
