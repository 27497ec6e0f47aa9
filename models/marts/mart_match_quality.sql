-- How right entity resolution is on this data, measured from the data steward's labels: one
-- row per build, appended (a history showing the estimates tighten as labels accumulate).
-- Precision at the headline threshold: of the scored pairs at or above it, the share that are
-- the same person. Recall: of the scored pairs that are the same person, the share at or above
-- it. Both are stratified estimates over the review's strata (int_match_quality_strata: near
-- misses, then match-probability bands): each stratum's labelled share of matches, weighed by
-- the stratum's size, so an over-sampled stratum counts for what it holds, not for how many of
-- its pairs were labelled; pairs a later model moved out of the stratum they were drawn from
-- count as themselves (int_match_quality_strata). 95 % intervals are normal ones from the
-- stratified variance (with the finite-population correction), each stratum's share smoothed
-- as (matches + 1) / (labels + 2) in the variance, so a stratum whose labels all agree still
-- carries its uncertainty.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}

{%- set double = type_double() %}
with

strata as (

    select * from {{ ref('int_match_quality_strata') }}

),

labels as (

    select * from {{ ref('int_review_labels_latest') }}

),

drawn as (

    -- A stratum's labels are a random draw of its pairs, except those of pairs a later model
    -- moved into it from the stratum they were drawn from (moved_pairs): those count as
    -- themselves, and the draw stands for the rest.
    select
        is_at_or_above_threshold,
        scored_pairs,
        labelled_pairs,
        moved_matches,
        scored_pairs - moved_pairs as drawn_pairs,
        labelled_pairs - moved_pairs as drawn_labels,
        labelled_matches - moved_matches as drawn_matches

    from strata

),

weighed as (

    select
        is_at_or_above_threshold,
        scored_pairs,
        labelled_pairs,
        case
            when drawn_labels > 0
                then moved_matches + cast(drawn_pairs as {{ double }}) * drawn_matches / drawn_labels
            when drawn_pairs = 0 then cast(moved_matches as {{ double }})
        end as estimated_matches,
        case
            when drawn_labels > 0
                then
                    cast(drawn_pairs as {{ double }}) * drawn_pairs
                    * (1 - cast(drawn_labels as {{ double }}) / drawn_pairs)
                    * ((drawn_matches + 1.0) / (drawn_labels + 2.0))
                    * (1 - (drawn_matches + 1.0) / (drawn_labels + 2.0))
                    / drawn_labels
            when drawn_pairs = 0 then 0.0
        end as estimated_matches_variance,
        drawn_pairs > 0 and drawn_labels = 0 as is_unlabelled

    from drawn

),

totals as (

    select
        sum(scored_pairs) as scored_pairs,
        sum(labelled_pairs) as labelled_scored_pairs,
        sum(case when is_at_or_above_threshold then scored_pairs else 0 end) as pairs_above,
        sum(case when is_at_or_above_threshold then estimated_matches else 0 end) as matches_above,
        sum(case when is_at_or_above_threshold then estimated_matches_variance else 0 end)
            as matches_above_variance,
        sum(case when not is_at_or_above_threshold then estimated_matches else 0 end)
            as matches_below,
        sum(case when not is_at_or_above_threshold then estimated_matches_variance else 0 end)
            as matches_below_variance,
        sum(case when is_at_or_above_threshold and is_unlabelled then 1 else 0 end)
            as unlabelled_strata_above,
        sum(case when not is_at_or_above_threshold and is_unlabelled then 1 else 0 end)
            as unlabelled_strata_below

    from weighed

),

estimated as (

    select
        *,
        case
            when unlabelled_strata_above = 0 and pairs_above > 0
                then matches_above / pairs_above
        end as precision_estimate,
        case
            when unlabelled_strata_above = 0 and pairs_above > 0
                then sqrt(matches_above_variance) / pairs_above
        end as precision_standard_error,
        case
            when unlabelled_strata_above + unlabelled_strata_below = 0 and matches_above + matches_below > 0
                then matches_above / (matches_above + matches_below)
        end as recall_estimate,
        -- The delta method on matches_above / (matches_above + matches_below), the two sums
        -- coming from different strata, hence independent.
        case
            when unlabelled_strata_above + unlabelled_strata_below = 0 and matches_above + matches_below > 0
                then sqrt(
                    matches_below * matches_below * matches_above_variance
                    + matches_above * matches_above * matches_below_variance
                ) / ((matches_above + matches_below) * (matches_above + matches_below))
        end as recall_standard_error

    from totals

),

final as (

    select
        cast('{{ monitoring_run_id() }}' as varchar) as run_id,
        {{ monitoring_run_started_at() }} as run_started_at,
        cast({{ var('er_match_threshold') }} as {{ double }}) as match_threshold,
        (select cast(count(*) as bigint) from labels) as labelled_pairs,
        cast(coalesce(labelled_scored_pairs, 0) as bigint) as labelled_scored_pairs,
        cast(coalesce(scored_pairs, 0) as bigint) as scored_pairs,
        cast(coalesce(pairs_above, 0) as bigint) as pairs_at_or_above_threshold,
        {{ round_double('precision_estimate', 6) }} as estimated_precision,
        -- greatest() and least() skip nulls: no estimate, no interval.
        case
            when precision_estimate is not null then
                {{ round_double('greatest(precision_estimate - 1.96 * precision_standard_error, 0)', 6) }}
        end as precision_ci_low,
        case
            when precision_estimate is not null then
                {{ round_double('least(precision_estimate + 1.96 * precision_standard_error, 1)', 6) }}
        end as precision_ci_high,
        {{ round_double('recall_estimate', 6) }} as estimated_recall,
        case
            when recall_estimate is not null then
                {{ round_double('greatest(recall_estimate - 1.96 * recall_standard_error, 0)', 6) }}
        end as recall_ci_low,
        case
            when recall_estimate is not null then
                {{ round_double('least(recall_estimate + 1.96 * recall_standard_error, 1)', 6) }}
        end as recall_ci_high,
        case
            when coalesce(labelled_scored_pairs, 0) = 0 then 'no labelled pair among the scored pairs'
            when unlabelled_strata_above > 0 then 'a stratum at or above the threshold has no labelled pair'
            when unlabelled_strata_below > 0 then 'recall: a stratum below the threshold has no labelled pair'
        end as estimate_note

    from estimated
    {%- if is_incremental() %}
    -- A retried invocation does not record its build twice.
    where '{{ monitoring_run_id() }}' not in (select history.run_id from {{ this }} as history)
    {%- endif %}

)

select * from final
