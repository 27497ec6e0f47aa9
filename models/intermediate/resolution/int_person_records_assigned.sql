-- Every person record's resolved customer, how strongly it is linked into it, and its ranks
-- for survivorship (docs/entity_resolution.md), on narrow rows: int_person_records_resolved
-- joins them to the standardized records, where a wide copy cost more to write than its
-- readers pay to join:
--   survivor_rank: among the customer's records of the same system, 1 survives (the most
--     recently updated, then the most complete, then the smallest record id);
--   identity_priority: order for legal name and birth date (billing is authoritative:
--     billing accounts first, then CRM records, each most recently updated first);
--   contact_priority: order for e-mail, phone and address (the CRM is where customers
--     update them: CRM records first, most recently updated first, then billing).
{{ config(
    uncompressed_columns=[
        'record_key', 'customer_id', 'conservative_customer_id', 'lenient_customer_id',
    ],
) }}
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

clusters as (

    select * from {{ ref('int_person_records_clustered') }}

),

-- Customer ids last across builds (int_customer_ids_registered); cluster ids do not.
customer_ids as (

    select * from {{ ref('int_customer_ids_registered') }}
    where is_present

),

-- What the ranks order by, on narrow rows: a window sorts every column it carries.
ordering as (

    select
        records.record_key,
        records.source_system,
        records.source_record_id,
        customer_ids.customer_id,
        coalesce(records.updated_at, records.created_at) as last_touched_at,
        (
            {%- for field in ['first_name', 'last_name', 'email', 'phone', 'street_address', 'city',
                              'postal_code', 'country', 'birth_date'] %}
            case when records.{{ field }}_status = 'valid' then 1 else 0 end
            {%- if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as valid_field_count

    from records
    inner join customer_ids on records.record_key = customer_ids.record_key

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id, source_system
            order by
                last_touched_at desc nulls last,
                valid_field_count desc,
                {{ code_point_order('source_record_id') }} asc
        ) as survivor_rank,
        row_number() over (
            partition by customer_id
            order by
                case when source_system = 'billing' then 0 else 1 end,
                last_touched_at desc nulls last,
                {{ code_point_order('record_key') }} asc
        ) as identity_priority,
        row_number() over (
            partition by customer_id
            order by
                case when source_system = 'crm' then 0 else 1 end,
                last_touched_at desc nulls last,
                {{ code_point_order('record_key') }} asc
        ) as contact_priority

    from ordering

),

final as (

    select
        ranked.record_key,
        ranked.customer_id,
        clusters.cluster_size,
        clusters.match_probability,
        clusters.conservative_cluster_id as conservative_customer_id,
        clusters.lenient_cluster_id as lenient_customer_id,
        ranked.last_touched_at,
        ranked.valid_field_count,
        ranked.survivor_rank,
        ranked.identity_priority,
        ranked.contact_priority

    from ranked
    inner join clusters on ranked.record_key = clusters.record_key

)

select * from final
