-- The shortage reconciles with the record-level models it summarizes, per breakdown:
--   missing_customers = rows of the worklist fct_missing_customers (built from the billing
--     accounts of customers without a CRM record, not by the mart's subtraction); per CRM
--     source, the actual customers of customer_xref without a record of that source;
--   actual_customers and crm_customers (overall) = customers of customer_xref with a
--     billing record, and with both a billing and a CRM record.
with

shortage as (

    select * from {{ ref('mart_customer_shortage') }}

),

worklist as (

    select * from {{ ref('fct_missing_customers') }}

),

xref as (

    select * from {{ ref('customer_xref') }}

),

worklist_counts as (

    select
        'overall' as breakdown,
        'all' as breakdown_value,
        count(*) as missing_customers
    from worklist
    union all
    select
        'country' as breakdown,
        coalesce(country, 'unknown') as breakdown_value,
        count(*) as missing_customers
    from worklist
    group by coalesce(country, 'unknown')
    union all
    select
        'customer_activity' as breakdown,
        customer_activity as breakdown_value,
        count(*) as missing_customers
    from worklist
    group by customer_activity

),

xref_customers as (

    select
        customer_id,
        max(case when source_system = 'billing' then 1 else 0 end) as has_billing,
        max(case when source_system = 'crm' then 1 else 0 end) as has_crm

    from xref
    group by customer_id

),

source_presence as (

    -- Converted leads are history, not records of their source (mart_customer_shortage).
    select distinct
        customer_id,
        source_name
    from xref
    where source_system = 'crm' and link_type = 'entity_resolution'

),

source_gaps as (

    -- Per CRM source: the actual customers without a record there.
    select
        'crm_source' as breakdown,
        shortage.breakdown_value,
        sum(case when xref_customers.has_billing = 1 and source_presence.customer_id is null then 1 else 0 end)
            as missing_customers
    from shortage
    cross join xref_customers
    left join source_presence
        on
            xref_customers.customer_id = source_presence.customer_id
            and shortage.breakdown_value = source_presence.source_name
    where shortage.breakdown = 'crm_source'
    group by shortage.breakdown_value

),

expected as (

    select
        breakdown,
        breakdown_value,
        'missing_customers' as measure,
        missing_customers as expected_value
    from worklist_counts
    union all
    select
        breakdown,
        breakdown_value,
        'missing_customers' as measure,
        missing_customers as expected_value
    from source_gaps
    union all
    select
        'overall' as breakdown,
        'all' as breakdown_value,
        'actual_customers' as measure,
        sum(has_billing) as expected_value
    from xref_customers
    union all
    select
        'overall' as breakdown,
        'all' as breakdown_value,
        'crm_customers' as measure,
        sum(has_billing * has_crm) as expected_value
    from xref_customers

),

reported as (

    select
        breakdown,
        breakdown_value,
        'missing_customers' as measure,
        missing_customers as reported_value
    from shortage
    union all
    select
        breakdown,
        breakdown_value,
        'actual_customers' as measure,
        actual_customers as reported_value
    from shortage
    where breakdown = 'overall'
    union all
    select
        breakdown,
        breakdown_value,
        'crm_customers' as measure,
        crm_customers as reported_value
    from shortage
    where breakdown = 'overall'

),

compared as (

    select
        coalesce(reported.breakdown, expected.breakdown) as breakdown,
        coalesce(reported.breakdown_value, expected.breakdown_value) as breakdown_value,
        coalesce(reported.measure, expected.measure) as measure,
        coalesce(reported.reported_value, 0) as reported_value,
        coalesce(expected.expected_value, 0) as expected_value

    from reported
    full outer join expected
        on
            reported.breakdown = expected.breakdown
            and reported.breakdown_value = expected.breakdown_value
            and reported.measure = expected.measure

)

select * from compared
where reported_value != expected_value
