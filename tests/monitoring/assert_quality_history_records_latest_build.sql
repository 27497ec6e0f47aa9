-- The latest build's rows in the history are the marts' figures: every row of
-- mart_defect_rate and mart_customer_shortage, with its own numerator and denominator,
-- recorded once (an append that drops, repeats or mislabels a figure fails it).
with

history as (

    select * from {{ ref('mart_data_quality_history') }}

),

defect_rates as (

    select * from {{ ref('mart_defect_rate') }}

),

shortage_rates as (

    select * from {{ ref('mart_customer_shortage') }}

),

latest_build as (

    select * from history
    where run_started_at = (select max(builds.run_started_at) from history as builds)

),

recorded as (

    select
        metric,
        breakdown,
        breakdown_value,
        numerator,
        denominator,
        count(*) over (partition by metric, breakdown, breakdown_value) as times_recorded
    from latest_build
    where metric in ('defect_rate_pct', 'shortage_rate_pct')

),

reported as (

    select
        'defect_rate_pct' as metric,
        {{ defect_rate_breakdown_columns() }},
        defective_records as numerator,
        records_checked as denominator
    from defect_rates
    union all
    select
        'shortage_rate_pct' as metric,
        breakdown,
        breakdown || '/' || breakdown_value as breakdown_value,
        missing_customers as numerator,
        actual_customers as denominator
    from shortage_rates

),

recorded_keyed as (

    select
        metric,
        numerator,
        denominator,
        times_recorded,
        case when metric = 'defect_rate_pct' then breakdown_value else breakdown || '/' || breakdown_value end
            as breakdown_value
    from recorded

),

compared as (

    select
        coalesce(reported.metric, recorded_keyed.metric) as metric,
        coalesce(reported.breakdown_value, recorded_keyed.breakdown_value) as breakdown_value,
        reported.numerator as reported_numerator,
        recorded_keyed.numerator as recorded_numerator,
        reported.denominator as reported_denominator,
        recorded_keyed.denominator as recorded_denominator,
        recorded_keyed.times_recorded

    from reported
    full outer join recorded_keyed
        on
            reported.metric = recorded_keyed.metric
            and reported.breakdown_value = recorded_keyed.breakdown_value

)

select * from compared
where
    reported_numerator is distinct from recorded_numerator
    or reported_denominator is distinct from recorded_denominator
    or times_recorded != 1
