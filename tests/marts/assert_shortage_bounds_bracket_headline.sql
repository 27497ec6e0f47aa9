-- The shortage's bounds rest on nested clusterings: all three are connected components of
-- the same scored pairs, so the conservative (higher) threshold can only split headline
-- customers and the lenient (lower) one can only merge them. A split never finds a missing
-- customer in the CRM and a merge never loses one, so in every breakdown
--   missing at the conservative threshold >= missing_customers (headline) >= missing at the lenient one.
-- (Rates need not be ordered: a split also adds actual customers.) An alternative cluster
-- belongs to the breakdown of the resolved customer of its smallest record (its id), as in
-- the mart.
-- Fails when the clusterings are not nested (thresholds out of order, different pairs) or
-- the mart's headline count drifts from its records.
with

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

shortage as (

    select * from {{ ref('mart_customer_shortage') }}

),

-- Per clustering: each cluster's systems and sources, one row each (one pass over the records).
alternative_source_clusters as (

    {%- for clustering in ['conservative', 'lenient'] %}
    select
        '{{ clustering }}' as clustering,
        {{ clustering }}_customer_id as alternative_customer_id,
        source_system,
        source_name
    from records
    group by {{ clustering }}_customer_id, source_system, source_name
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

-- A cluster's id is its smallest record's key (in code point order), the mart's anchor.
alternative_clusters as (

    select
        clustering,
        alternative_customer_id as anchor_record_key,
        max(case when source_system = 'billing' then 1 else 0 end) as has_billing,
        max(case when source_system = 'crm' then 1 else 0 end) as has_crm
    from alternative_source_clusters
    group by clustering, alternative_customer_id

),

crm_sources as (

    select breakdown_value as source_name from shortage
    where breakdown = 'crm_source'

),

alternative_source_missing as (

    select
        billing_clusters.clustering,
        crm_sources.source_name
    from alternative_source_clusters as billing_clusters
    cross join crm_sources
    left join alternative_source_clusters as in_source
        on
            billing_clusters.clustering = in_source.clustering
            and billing_clusters.alternative_customer_id = in_source.alternative_customer_id
            and in_source.source_system = 'crm'
            and crm_sources.source_name = in_source.source_name
    where billing_clusters.source_system = 'billing' and in_source.source_name is null
    group by billing_clusters.clustering, billing_clusters.alternative_customer_id, crm_sources.source_name

),

alternative_missing as (

    select
        alternative_clusters.clustering,
        customers.country,
        customers.customer_activity

    from alternative_clusters
    inner join records on alternative_clusters.anchor_record_key = records.record_key
    inner join customers on records.customer_id = customers.customer_id
    where alternative_clusters.has_billing = 1 and alternative_clusters.has_crm = 0

),

alternative_breakdowns as (

    select
        clustering,
        'overall' as breakdown,
        'all' as breakdown_value
    from alternative_missing
    union all
    select
        clustering,
        'country' as breakdown,
        coalesce(country, 'unknown') as breakdown_value
    from alternative_missing
    union all
    select
        clustering,
        'customer_activity' as breakdown,
        customer_activity as breakdown_value
    from alternative_missing
    union all
    select
        clustering,
        'crm_source' as breakdown,
        source_name as breakdown_value
    from alternative_source_missing

),

alternative_counts as (

    select
        breakdown,
        breakdown_value,
        sum(case when clustering = 'conservative' then 1 else 0 end) as conservative_missing,
        sum(case when clustering = 'lenient' then 1 else 0 end) as lenient_missing

    from alternative_breakdowns
    group by breakdown, breakdown_value

),

compared as (

    select
        coalesce(shortage.breakdown, alternative_counts.breakdown) as breakdown,
        coalesce(shortage.breakdown_value, alternative_counts.breakdown_value) as breakdown_value,
        coalesce(alternative_counts.conservative_missing, 0) as conservative_missing,
        coalesce(shortage.missing_customers, 0) as headline_missing,
        coalesce(alternative_counts.lenient_missing, 0) as lenient_missing

    from shortage
    full outer join alternative_counts
        on
            shortage.breakdown = alternative_counts.breakdown
            and shortage.breakdown_value = alternative_counts.breakdown_value

)

select * from compared
where not (conservative_missing >= headline_missing and headline_missing >= lenient_missing)
