-- Every build of every quality series (metric × breakdown) of mart_data_quality_history,
-- judged against the series' own recent past: the median and MAD of the previous
-- var('anomaly_baseline_builds') builds that were not themselves anomalous. The judged build
-- is never part of its own baseline, and a flagged build never enters a later baseline, so one
-- bad build cannot hide the next. Judging starts once var('anomaly_min_history') builds are in
-- the baseline.
--
-- A build is anomalous when |value − median| exceeds both var('anomaly_threshold') × spread and
-- var('anomaly_min_departure_pct') percentage points. The spread is the larger of 1.4826 × MAD
-- (the robust standard deviation) and the sampling error of a rate over `denominator` records
-- (100 × √(q(1 − q)/n), q = the median share, at least one record in n), because a handful of
-- builds understates how much a rate over a few hundred records varies by chance. A constant
-- series (MAD 0) is thus judged by its sampling error and the minimum departure: nothing is
-- divided by zero. Rates over fewer than var('anomaly_min_denominator') records are not judged.
-- Values are doubles (rounded to 4 places), so no value overflows.
with recursive

history as (

    select * from {{ ref('mart_data_quality_history') }}

),

judgeable as (

    select
        run_id,
        metric,
        breakdown,
        breakdown_value,
        denominator,
        cast(value as double) as metric_value,
        row_number() over (
            partition by metric, breakdown, breakdown_value
            order by run_started_at, run_id
        ) as series_build_number

    from history
    where value is not null and denominator >= {{ var('anomaly_min_denominator') }}

),

walk as (

    -- The first build of a series has no baseline; each later one is judged against the
    -- baseline its predecessor passed on.
    select
        run_id,
        metric,
        breakdown,
        breakdown_value,
        series_build_number,
        0 as baseline_builds,
        cast(null as double) as baseline_median,
        cast(null as double) as baseline_mad,
        cast(null as double) as spread,
        cast(null as double) as allowed_departure,
        false as is_judged,
        false as is_anomaly,
        [metric_value] as next_baseline

    from judgeable
    where series_build_number = 1

    union all

    select
        scored.run_id,
        scored.metric,
        scored.breakdown,
        scored.breakdown_value,
        scored.series_build_number,
        scored.baseline_builds,
        scored.baseline_median,
        scored.baseline_mad,
        scored.spread,
        scored.allowed_departure,
        scored.is_judged,
        scored.is_anomaly,
        case
            when scored.is_anomaly then scored.baseline
            else list_slice(
                list_append(scored.baseline, scored.metric_value), -{{ var('anomaly_baseline_builds') }}, -1
            )
        end as next_baseline

    from (

        select
            spreads.*,
            spreads.baseline_builds >= {{ var('anomaly_min_history') }} as is_judged,
            greatest({{ var('anomaly_threshold') }} * spreads.spread, {{ var('anomaly_min_departure_pct') }})
                as allowed_departure,
            spreads.baseline_builds >= {{ var('anomaly_min_history') }}
            and abs(spreads.metric_value - spreads.baseline_median)
            > greatest({{ var('anomaly_threshold') }} * spreads.spread, {{ var('anomaly_min_departure_pct') }})
                as is_anomaly

        from (

            select
                baselines.*,
                greatest(
                    1.4826 * baselines.baseline_mad,
                    100.0 * sqrt(baselines.sampling_share * (1 - baselines.sampling_share) / baselines.denominator)
                ) as spread

            from (

                select
                    judgeable.run_id,
                    judgeable.metric,
                    judgeable.breakdown,
                    judgeable.breakdown_value,
                    judgeable.series_build_number,
                    judgeable.metric_value,
                    judgeable.denominator,
                    walk.next_baseline as baseline,
                    len(walk.next_baseline) as baseline_builds,
                    list_median(walk.next_baseline) as baseline_median,
                    list_median(
                        list_transform(
                            walk.next_baseline,
                            lambda baseline_value: abs(baseline_value - list_median(walk.next_baseline))  -- noqa: RF02
                        )
                    ) as baseline_mad,
                    greatest(
                        least(list_median(walk.next_baseline) / 100.0, 1 - list_median(walk.next_baseline) / 100.0),
                        1.0 / judgeable.denominator
                    ) as sampling_share

                from walk
                inner join judgeable
                    on
                        walk.metric = judgeable.metric
                        and walk.breakdown = judgeable.breakdown
                        and walk.breakdown_value = judgeable.breakdown_value
                        and walk.series_build_number + 1 = judgeable.series_build_number

            ) as baselines

        ) as spreads

    ) as scored

),

latest_build as (

    select max(run_started_at) as run_started_at from history

),

final as (

    select
        history.run_id,
        history.run_started_at,
        history.metric,
        history.breakdown,
        history.breakdown_value,
        history.numerator,
        history.denominator,
        cast(history.value as double) as value,  -- noqa: RF04
        cast(walk.baseline_builds as integer) as baseline_builds,
        round(walk.baseline_median, 4) as baseline_median,
        round(walk.baseline_mad, 4) as baseline_mad,
        round(walk.spread, 4) as spread,
        round(walk.allowed_departure, 4) as allowed_departure,
        round(history.value - walk.baseline_median, 4) as departure,
        round(case when walk.is_judged then (history.value - walk.baseline_median) / nullif(walk.spread, 0) end, 2)
            as robust_z,
        case
            when walk.run_id is null then 'not_judged'
            when not walk.is_judged then 'insufficient_history'
            when walk.is_anomaly then 'anomaly'
            else 'normal'
        end as status,
        coalesce(walk.is_anomaly, false) as is_anomaly,
        history.run_started_at = latest_build.run_started_at as is_latest_build

    from history
    cross join latest_build
    left join walk
        on
            history.run_id = walk.run_id
            and history.metric = walk.metric
            and history.breakdown = walk.breakdown
            and history.breakdown_value = walk.breakdown_value

)

select * from final
