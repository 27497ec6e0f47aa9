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
--
-- A series recovers from a lasting change of level: after var('anomaly_rebaseline_builds')
-- anomalous builds in a row on the same side of the median, those builds become the baseline
-- (and judging goes on from them). A reset of one series (fct_anomaly_baseline_resets, written
-- by the run-operation reset_anomaly_baseline) starts its baseline over from a given build; the
-- builds before it keep their judgement.
{%- set rebaseline_builds = var('anomaly_rebaseline_builds') | int %}
with recursive

history as (

    select * from {{ ref('mart_data_quality_history') }}

),

resets as (

    select * from {{ ref('fct_anomaly_baseline_resets') }}

),

segmented as (

    -- A series' builds from one reset to the next form a segment, walked on its own.
    select
        history.run_id,
        history.run_started_at,
        history.metric,
        history.breakdown,
        history.breakdown_value,
        history.denominator,
        history.value,
        count(resets.baseline_starts_at) as baseline_segment

    from history
    left join resets
        on
            history.metric = resets.metric
            and history.breakdown = resets.breakdown
            and history.breakdown_value = resets.breakdown_value
            and history.run_started_at >= resets.baseline_starts_at
    group by
        history.run_id,
        history.run_started_at,
        history.metric,
        history.breakdown,
        history.breakdown_value,
        history.denominator,
        history.value

),

judgeable as (

    select
        run_id,
        metric,
        breakdown,
        breakdown_value,
        baseline_segment,
        denominator,
        cast(value as {{ type_double() }}) as metric_value,
        row_number() over (
            partition by metric, breakdown, breakdown_value, baseline_segment
            order by run_started_at, run_id
        ) as series_build_number

    from segmented
    where value is not null and denominator >= {{ var('anomaly_min_denominator') }}

),

walk as (

    -- The first build of a series (segment) has no baseline; each later one is judged against
    -- the baseline its predecessor passed on, together with the run of anomalous builds in a
    -- row before it (their values and the side of the median they fell on).
    select
        run_id,
        metric,
        breakdown,
        breakdown_value,
        baseline_segment,
        series_build_number,
        0 as baseline_builds,
        cast(null as {{ type_double() }}) as baseline_median,
        cast(null as {{ type_double() }}) as baseline_mad,
        cast(null as {{ type_double() }}) as spread,
        cast(null as {{ type_double() }}) as allowed_departure,
        false as is_judged,
        false as is_anomaly,
        false as is_rebaseline,
        {{ double_list_of('metric_value') }} as next_baseline,
        {{ empty_double_list() }} as anomalous_run,
        0 as anomalous_run_side,
        false as was_rebaselined

    from judgeable
    where series_build_number = 1

    union all

    select
        runs.run_id,
        runs.metric,
        runs.breakdown,
        runs.breakdown_value,
        runs.baseline_segment,
        runs.series_build_number,
        runs.baseline_builds,
        runs.baseline_median,
        runs.baseline_mad,
        runs.spread,
        runs.allowed_departure,
        runs.is_judged,
        runs.is_anomaly,
        runs.is_rebaseline,
        case
            -- The series has settled at a new level: that level is the baseline from now on.
            when runs.is_rebaseline then {{ list_last('runs.current_run', var('anomaly_baseline_builds')) }}
            when runs.is_anomaly then runs.baseline
            else {{ list_last(list_appended('runs.baseline', 'runs.metric_value'), var('anomaly_baseline_builds')) }}
        end as next_baseline,
        case when runs.is_rebaseline then {{ empty_double_list() }} else runs.current_run end as anomalous_run,
        case when runs.is_anomaly and not runs.is_rebaseline then runs.side else 0 end as anomalous_run_side,
        runs.was_rebaselined or runs.is_rebaseline as was_rebaselined

    from (

        select
            with_runs.*,
            with_runs.is_anomaly
            and {{ list_length('with_runs.current_run') }} >= {{ rebaseline_builds }} as is_rebaseline

        from (

            select
                scored.*,
                case
                    when not scored.is_anomaly then {{ empty_double_list() }}
                    when scored.side = scored.previous_run_side
                        then {{ list_appended('scored.previous_run', 'scored.metric_value') }}
                    else {{ double_list_of('scored.metric_value') }}
                end as current_run

            from (

                select
                    spreads.*,
                    cast(sign(spreads.metric_value - spreads.baseline_median) as integer) as side,
                    greatest({{ var('anomaly_threshold') }} * spreads.spread, {{ var('anomaly_min_departure_pct') }})
                        as allowed_departure,
                    -- A re-baselined series is judged on the builds of its new level at once.
                    spreads.baseline_builds >= {{ var('anomaly_min_history') }} or spreads.was_rebaselined
                        as is_judged,
                    (spreads.baseline_builds >= {{ var('anomaly_min_history') }} or spreads.was_rebaselined)
                    and abs(spreads.metric_value - spreads.baseline_median)
                    > greatest({{ var('anomaly_threshold') }} * spreads.spread, {{ var('anomaly_min_departure_pct') }})
                        as is_anomaly

                from (

                    select
                        baselines.*,
                        greatest(
                            1.4826 * baselines.baseline_mad,
                            100.0 * sqrt(
                                baselines.sampling_share * (1 - baselines.sampling_share) / baselines.denominator
                            )
                        ) as spread

                    from (

                        select
                            judgeable.run_id,
                            judgeable.metric,
                            judgeable.breakdown,
                            judgeable.breakdown_value,
                            judgeable.baseline_segment,
                            judgeable.series_build_number,
                            judgeable.metric_value,
                            judgeable.denominator,
                            walk.next_baseline as baseline,
                            walk.anomalous_run as previous_run,
                            walk.anomalous_run_side as previous_run_side,
                            walk.was_rebaselined,
                            {{ list_length('walk.next_baseline') }} as baseline_builds,
                            {{ list_median('walk.next_baseline') }} as baseline_median,
                            {{ list_median_absolute_deviation('walk.next_baseline') }} as baseline_mad,
                            greatest(
                                least(
                                    {{ list_median('walk.next_baseline') }} / 100.0,
                                    1 - {{ list_median('walk.next_baseline') }} / 100.0
                                ),
                                1.0 / judgeable.denominator
                            ) as sampling_share

                        from walk
                        inner join judgeable
                            on
                                walk.metric = judgeable.metric
                                and walk.breakdown = judgeable.breakdown
                                and walk.breakdown_value = judgeable.breakdown_value
                                and walk.baseline_segment = judgeable.baseline_segment
                                and walk.series_build_number + 1 = judgeable.series_build_number

                    ) as baselines

                ) as spreads

            ) as scored

        ) as with_runs

    ) as runs

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
        cast(history.value as {{ type_double() }}) as value,  -- noqa: RF04
        cast(walk.baseline_builds as integer) as baseline_builds,
        {{ round_double('walk.baseline_median', 4) }} as baseline_median,
        {{ round_double('walk.baseline_mad', 4) }} as baseline_mad,
        {{ round_double('walk.spread', 4) }} as spread,
        {{ round_double('walk.allowed_departure', 4) }} as allowed_departure,
        {{ round_double('history.value - walk.baseline_median', 4) }} as departure,
        {{ round_double(
            'case when walk.is_judged then (history.value - walk.baseline_median) / nullif(walk.spread, 0) end', 2
        ) }}
            as robust_z,
        case
            when walk.run_id is null then 'not_judged'
            when not walk.is_judged then 'insufficient_history'
            when walk.is_anomaly then 'anomaly'
            else 'normal'
        end as status,
        coalesce(walk.is_anomaly, false) as is_anomaly,
        coalesce(walk.is_rebaseline, false) as is_rebaseline,
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
