-- The review's strata: one row per match-probability band (macro match_band) with the scored
-- pairs in it and the labelled pairs among them. The review sample over-samples some bands, so
-- the estimates in mart_match_quality weigh each band by its size, never by its labels alone.
-- A label counts here when its pair is among this build's scored pairs, whichever order the
-- steward wrote it in.
with

pairs as (

    select * from {{ ref('fct_match_pairs') }}

),

labels as (

    select * from {{ ref('int_review_labels_latest') }}

),

bands as (

    {%- for band in ['below_lenient', 'lenient_to_headline', 'headline_to_conservative', 'conservative'] %}
    select
        '{{ band }}' as band,
        {{ loop.index }} as band_order
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

banded_pairs as (

    select
        record_key_l,
        record_key_r,
        {{ match_band('match_probability') }} as band

    from pairs

),

labelled_pairs as (

    select
        banded_pairs.band,
        labels.is_match

    from labels
    inner join banded_pairs
        on
            labels.record_key_a = banded_pairs.record_key_l
            and labels.record_key_b = banded_pairs.record_key_r
    union all
    select
        banded_pairs.band,
        labels.is_match

    from labels
    inner join banded_pairs
        on
            labels.record_key_a = banded_pairs.record_key_r
            and labels.record_key_b = banded_pairs.record_key_l

),

pair_counts as (

    select
        band,
        count(*) as scored_pairs

    from banded_pairs
    group by band

),

label_counts as (

    select
        band,
        count(*) as labelled_pairs,
        sum(case when is_match then 1 else 0 end) as labelled_matches

    from labelled_pairs
    group by band

),

final as (

    select
        bands.band,
        bands.band_order,
        bands.band in ('headline_to_conservative', 'conservative') as is_at_or_above_threshold,
        cast(coalesce(pair_counts.scored_pairs, 0) as bigint) as scored_pairs,
        cast(coalesce(label_counts.labelled_pairs, 0) as bigint) as labelled_pairs,
        cast(coalesce(label_counts.labelled_matches, 0) as bigint) as labelled_matches

    from bands
    left join pair_counts on bands.band = pair_counts.band
    left join label_counts on bands.band = label_counts.band

)

select * from final
