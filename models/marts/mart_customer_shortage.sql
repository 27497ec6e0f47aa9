-- Customer shortage (客户欠缺): actual customers (distinct people in billing) that the CRM
-- lacks, overall and per breakdown. The naive rate on raw row counts sits beside it only
-- to show how far it is from the resolved figure.
with

customers as (

    select * from {{ ref('dim_customers') }}

),

records as (

    select * from {{ ref('int_person_records_resolved') }}

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

final as (

    select
        grid.breakdown,
        grid.breakdown_value,
        cast(coalesce(customer_counts.actual_customers, 0) as bigint) as actual_customers,
        cast(coalesce(customer_counts.crm_customers, 0) as bigint) as crm_customers,
        cast(coalesce(customer_counts.actual_customers, 0) - coalesce(customer_counts.crm_customers, 0) as bigint)
            as missing_customers,
        cast(
            {{ rate_pct(
                'coalesce(customer_counts.actual_customers, 0) - coalesce(customer_counts.crm_customers, 0)',
                'customer_counts.actual_customers') }}
            as decimal(9, 4)
        ) as shortage_rate_pct,
        cast(coalesce(customer_counts.crm_only_customers, 0) as bigint) as crm_only_customers,
        cast(coalesce(record_counts.billing_records, 0) as bigint) as billing_records,
        cast(coalesce(record_counts.crm_records, 0) as bigint) as crm_records,
        cast(
            {{ rate_pct(
                'coalesce(record_counts.billing_records, 0) - coalesce(record_counts.crm_records, 0)',
                'record_counts.billing_records') }}
            as decimal(9, 4)
        ) as naive_shortage_rate_pct

    from grid
    left join customer_counts
        on grid.breakdown = customer_counts.breakdown and grid.breakdown_value = customer_counts.breakdown_value
    left join record_counts
        on grid.breakdown = record_counts.breakdown and grid.breakdown_value = record_counts.breakdown_value

)

select * from final
