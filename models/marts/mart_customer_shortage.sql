-- Customer shortage (客户欠缺): actual customers (distinct people in billing) that the CRM
-- lacks, overall and per breakdown. The CRM is every CRM source together; breakdown
-- 'crm_source' gives each source's own coverage gap: the actual customers it lacks, whether
-- or not another source has them (converted leads count under their contact's source). The
-- naive rate on raw row counts sits beside it only to show how far it is from the resolved
-- figure.
--
-- How sure the headline is: the same rate had entity resolution clustered at the
-- conservative and at the lenient match threshold (er_conservative_match_threshold,
-- er_lenient_match_threshold). An alternative cluster takes its country and activity from
-- the resolved customer of its smallest record. shortage_rate_low_pct and
-- shortage_rate_high_pct are the lowest and highest of the three rates.
-- is_identification_weak: the data holds too little identifying information for the
-- matcher (mart_matching_model), so every figure here is weak.
with

-- Only the columns used: both are read several times, and DuckDB writes a CTE read more than
-- once out whole first (every column of the resolved records: a seventh of this model's CPU
-- at a million contacts).
customers as (

    select
        customer_id,
        is_actual_customer,
        is_in_crm,
        country,
        customer_activity
    from {{ ref('dim_customers') }}

),

records as (

    select
        record_key,
        source_system,
        source_name,
        country,
        customer_id,
        conservative_customer_id,
        lenient_customer_id
    from {{ ref('int_person_records_resolved') }}

),

matching_model as (

    select * from {{ ref('mart_matching_model') }}

),

crm_sources as (

    select distinct source_name from {{ ref('stg_sources__fields') }}
    where source_system = 'crm'

),

customer_sources as (

    select distinct
        customer_id,
        source_name
    from records
    where source_system = 'crm'

),

customers_per_source as (

    select
        crm_sources.source_name,
        customers.customer_id,
        customers.is_actual_customer,
        customer_sources.customer_id is not null as is_in_source
    from customers
    cross join crm_sources
    left join customer_sources
        on
            customers.customer_id = customer_sources.customer_id
            and crm_sources.source_name = customer_sources.source_name

),

alternative_customers as (

    {%- for clustering in ['conservative', 'lenient'] %}
    select
        '{{ clustering }}' as clustering,
        {{ clustering }}_customer_id as alternative_customer_id,
        max(case when source_system = 'billing' then 1 else 0 end) = 1 as is_actual_customer,
        max(case when source_system = 'crm' then 1 else 0 end) = 1 as is_in_crm
    from records
    group by {{ clustering }}_customer_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

alternative_sources as (

    {%- for clustering in ['conservative', 'lenient'] %}
    select distinct
        '{{ clustering }}' as clustering,
        {{ clustering }}_customer_id as alternative_customer_id,
        source_name
    from records
    where source_system = 'crm'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

alternative_attributed as (

    select
        alternative_customers.*,
        customers.country,
        customers.customer_activity

    from alternative_customers
    inner join records as anchor_records on alternative_customers.alternative_customer_id = anchor_records.record_key
    inner join customers on anchor_records.customer_id = customers.customer_id

),

alternative_breakdowns as (

    select
        clustering,
        'overall' as breakdown,
        'all' as breakdown_value,
        is_actual_customer,
        is_in_crm
    from alternative_attributed
    union all
    select
        clustering,
        'country' as breakdown,
        coalesce(country, 'unknown') as breakdown_value,
        is_actual_customer,
        is_in_crm
    from alternative_attributed
    union all
    select
        clustering,
        'customer_activity' as breakdown,
        customer_activity as breakdown_value,
        is_actual_customer,
        is_in_crm
    from alternative_attributed
    where is_actual_customer
    union all
    select
        alternative_attributed.clustering,
        'crm_source' as breakdown,
        crm_sources.source_name as breakdown_value,
        alternative_attributed.is_actual_customer,
        alternative_sources.source_name is not null as is_in_crm
    from alternative_attributed
    cross join crm_sources
    left join alternative_sources
        on
            alternative_attributed.clustering = alternative_sources.clustering
            and alternative_attributed.alternative_customer_id = alternative_sources.alternative_customer_id
            and crm_sources.source_name = alternative_sources.source_name

),

alternative_counts as (

    select
        clustering,
        breakdown,
        breakdown_value,
        sum(case when is_actual_customer then 1 else 0 end) as actual_customers,
        sum(case when is_actual_customer and not is_in_crm then 1 else 0 end) as missing_customers

    from alternative_breakdowns
    group by clustering, breakdown, breakdown_value

),

alternative_rates as (

    select
        breakdown,
        breakdown_value,
        max(
            case when clustering = 'conservative' then {{ rate_pct('missing_customers', 'actual_customers') }} end
        ) as conservative_shortage_rate_pct,
        max(
            case when clustering = 'lenient' then {{ rate_pct('missing_customers', 'actual_customers') }} end
        ) as lenient_shortage_rate_pct

    from alternative_counts
    group by breakdown, breakdown_value

),

customer_breakdowns as (

    select
        'overall' as breakdown,
        'all' as breakdown_value,
        customer_id,
        is_actual_customer,
        is_in_crm
    from customers
    union all
    select
        'country' as breakdown,
        coalesce(country, 'unknown') as breakdown_value,
        customer_id,
        is_actual_customer,
        is_in_crm
    from customers
    union all
    select
        'customer_activity' as breakdown,
        customer_activity as breakdown_value,
        customer_id,
        is_actual_customer,
        is_in_crm
    from customers
    where is_actual_customer
    union all
    select
        'crm_source' as breakdown,
        source_name as breakdown_value,
        customer_id,
        is_actual_customer,
        is_in_source as is_in_crm
    from customers_per_source

),

record_breakdowns as (

    -- Raw rows as a naive count would see them: overall, by each row's own country, and by
    -- the activity of the customer a row belongs to.
    select
        'overall' as breakdown,
        'all' as breakdown_value,
        source_system
    from records
    union all
    select
        'country' as breakdown,
        coalesce(country, 'unknown') as breakdown_value,
        source_system
    from records
    union all
    select
        'customer_activity' as breakdown,
        customers.customer_activity as breakdown_value,
        records.source_system
    from records
    inner join customers on records.customer_id = customers.customer_id
    where customers.is_actual_customer
    union all
    -- Each CRM source's records against every billing record.
    select
        'crm_source' as breakdown,
        crm_sources.source_name as breakdown_value,
        records.source_system
    from records
    cross join crm_sources
    where records.source_system = 'billing'
    union all
    select
        'crm_source' as breakdown,
        source_name as breakdown_value,
        source_system
    from records
    where source_system = 'crm'

),

customer_counts as (

    select
        breakdown,
        breakdown_value,
        sum(case when is_actual_customer then 1 else 0 end) as actual_customers,
        sum(case when is_actual_customer and is_in_crm then 1 else 0 end) as crm_customers,
        sum(case when is_in_crm and not is_actual_customer then 1 else 0 end) as crm_only_customers

    from customer_breakdowns
    group by breakdown, breakdown_value

),

record_counts as (

    select
        breakdown,
        breakdown_value,
        sum(case when source_system = 'billing' then 1 else 0 end) as billing_records,
        sum(case when source_system = 'crm' then 1 else 0 end) as crm_records

    from record_breakdowns
    group by breakdown, breakdown_value

),

grid as (

    -- The overall row exists even for empty input.
    select
        'overall' as breakdown,
        'all' as breakdown_value
    union
    select
        breakdown,
        breakdown_value
    from customer_counts
    union
    select
        breakdown,
        breakdown_value
    from record_counts

),

headline as (

    select
        grid.breakdown,
        grid.breakdown_value,
        cast(coalesce(customer_counts.actual_customers, 0) as bigint) as actual_customers,
        cast(coalesce(customer_counts.crm_customers, 0) as bigint) as crm_customers,
        cast(coalesce(customer_counts.actual_customers, 0) - coalesce(customer_counts.crm_customers, 0) as bigint)
            as missing_customers,
        {{ rate_pct(
            'coalesce(customer_counts.actual_customers, 0) - coalesce(customer_counts.crm_customers, 0)',
            'customer_counts.actual_customers') }} as shortage_rate_pct,
        cast(coalesce(customer_counts.crm_only_customers, 0) as bigint) as crm_only_customers,
        cast(coalesce(record_counts.billing_records, 0) as bigint) as billing_records,
        cast(coalesce(record_counts.crm_records, 0) as bigint) as crm_records,
        {{ rate_pct(
            'coalesce(record_counts.billing_records, 0) - coalesce(record_counts.crm_records, 0)',
            'record_counts.billing_records') }} as naive_shortage_rate_pct

    from grid
    left join customer_counts
        on grid.breakdown = customer_counts.breakdown and grid.breakdown_value = customer_counts.breakdown_value
    left join record_counts
        on grid.breakdown = record_counts.breakdown and grid.breakdown_value = record_counts.breakdown_value

),

final as (

    select
        headline.breakdown,
        headline.breakdown_value,
        headline.actual_customers,
        headline.crm_customers,
        headline.missing_customers,
        headline.shortage_rate_pct,
        least(
            headline.shortage_rate_pct,
            alternative_rates.conservative_shortage_rate_pct,
            alternative_rates.lenient_shortage_rate_pct
        ) as shortage_rate_low_pct,
        greatest(
            headline.shortage_rate_pct,
            alternative_rates.conservative_shortage_rate_pct,
            alternative_rates.lenient_shortage_rate_pct
        ) as shortage_rate_high_pct,
        headline.crm_only_customers,
        headline.billing_records,
        headline.crm_records,
        headline.naive_shortage_rate_pct,
        matching_model.is_identification_weak

    from headline
    cross join matching_model
    left join alternative_rates
        on
            headline.breakdown = alternative_rates.breakdown
            and headline.breakdown_value = alternative_rates.breakdown_value

)

select * from final
