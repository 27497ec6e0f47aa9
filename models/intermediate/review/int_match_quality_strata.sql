-- The review's strata, as make review-sample draws them (crm_quality/review/sample.py): the near
-- misses of missing customers below the headline threshold, then every other scored pair by
-- its match-probability band (macro match_band); per stratum the scored pairs and the labelled
-- pairs among them. Within a stratum the sample is random (hash order), across strata it is
-- not, so mart_match_quality weighs each stratum by its size, never by its labels alone. A label
-- counts here when its pair is among this build's scored pairs, in either order. A pair a later
-- model moved out of the stratum it was drawn from (the label's sampled_stratum) is no random
-- draw of the stratum it is in now (the pairs labelled near a band's edge are the ones that
-- cross it): it is counted apart, as moved_pairs, and the estimate counts it as itself.
with

pairs as (

    select * from {{ ref('fct_match_pairs') }}

),

labels as (

    select * from {{ ref('int_review_labels_latest') }}

),

missing_customers as (

    select * from {{ ref('fct_missing_customers') }}

),

near_misses as (

    select
        nearest_billing_record_key as record_key_a,
        nearest_crm_record_key as record_key_b

    from missing_customers
    where missing_reason = 'near_miss'

),

strata as (

    {%- set strata = ['near_miss'] + match_bands() %}
    {%- for stratum in strata %}
    select
        '{{ stratum }}' as stratum,
        {{ loop.index }} as stratum_order
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

banded_pairs as (

    select
        pairs.record_key_l,
        pairs.record_key_r,
        case
            when
                coalesce(near_misses_lr.record_key_a, near_misses_rl.record_key_a) is not null
                and pairs.match_probability < {{ var('er_match_threshold') }}
                then 'near_miss'
            else {{ match_band('pairs.match_probability') }}
        end as stratum

    from pairs
    left join near_misses as near_misses_lr
        on
            pairs.record_key_l = near_misses_lr.record_key_a
            and pairs.record_key_r = near_misses_lr.record_key_b
    left join near_misses as near_misses_rl
        on
            pairs.record_key_l = near_misses_rl.record_key_b
            and pairs.record_key_r = near_misses_rl.record_key_a

),

labelled_pairs as (

    select
        banded_pairs.stratum,
        labels.is_match,
        coalesce(labels.sampled_stratum <> banded_pairs.stratum, false) as has_moved

    from labels
    inner join banded_pairs
        on
            labels.record_key_a = banded_pairs.record_key_l
            and labels.record_key_b = banded_pairs.record_key_r
    union all
    select
        banded_pairs.stratum,
        labels.is_match,
        coalesce(labels.sampled_stratum <> banded_pairs.stratum, false) as has_moved

    from labels
    inner join banded_pairs
        on
            labels.record_key_a = banded_pairs.record_key_r
            and labels.record_key_b = banded_pairs.record_key_l

),

pair_counts as (

    select
        stratum,
        count(*) as scored_pairs

    from banded_pairs
    group by stratum

),

label_counts as (

    select
        stratum,
        count(*) as labelled_pairs,
        sum(case when is_match then 1 else 0 end) as labelled_matches,
        sum(case when has_moved then 1 else 0 end) as moved_pairs,
        sum(case when has_moved and is_match then 1 else 0 end) as moved_matches

    from labelled_pairs
    group by stratum

),

final as (

    select
        strata.stratum,
        strata.stratum_order,
        strata.stratum in ('headline_to_conservative', 'conservative') as is_at_or_above_threshold,
        cast(coalesce(pair_counts.scored_pairs, 0) as bigint) as scored_pairs,
        cast(coalesce(label_counts.labelled_pairs, 0) as bigint) as labelled_pairs,
        cast(coalesce(label_counts.labelled_matches, 0) as bigint) as labelled_matches,
        cast(coalesce(label_counts.moved_pairs, 0) as bigint) as moved_pairs,
        cast(coalesce(label_counts.moved_matches, 0) as bigint) as moved_matches

    from strata
    left join pair_counts on strata.stratum = pair_counts.stratum
    left join label_counts on strata.stratum = label_counts.stratum

)

select * from final
