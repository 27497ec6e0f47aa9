-- Every record with its cluster at each threshold of cluster_thresholds(): the connected
-- components of the scored pairs at or above it. A cluster's id is its smallest member
-- record_key in code-point order, so it stays while that record exists; cluster_size and
-- match_probability (the record's strongest link at the threshold, null for a record with none)
-- are the headline threshold's.
--
-- Components come from min-label propagation, unrolled var('er_cluster_rounds') times by
-- Jinja, so one SQL serves DuckDB and PostgreSQL (and is meant for Spark). A recursive CTE
-- cannot take a minimum per node on PostgreSQL (no aggregates in the recursive term), and its
-- reachability form grows with the square of a cluster's size. Records are numbered in code-point order first,
-- so labels are integers (cheap joins) and the smallest label is the smallest key. Each round:
--   1. every linked record takes the smallest label among itself and its neighbours, and so
--      does its label's own record (hooking: a whole tree joins the smaller one at once);
--   2. pointer jumping, twice: label := label of label.
-- A chain of a million records in random key order converges in 13 rounds, the clusters of
-- 2,000 generated people in 2. Too few rounds would silently split clusters, so
-- tests/resolution/assert_clusters_converged.sql fails the build when a link's two records
-- still carry different ids.
{{ config(pre_hook="{{ hash_joins_only() }}") }}
{%- set rounds = var('er_cluster_rounds') | int %}
{%- set jumps_per_round = 2 %}
{%- set thresholds = cluster_thresholds() %}
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

pairs as (

    select * from {{ ref('int_record_pairs_scored') }}

),

levels as (

    {%- for level, threshold in thresholds.items() %}
    select
        '{{ level }}' as threshold_level,
        {{ threshold }} as threshold
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

numbered_records as (

    select
        record_key,
        row_number() over (order by {{ code_point_order('record_key') }}) as record_number
    from records

),

-- Each pair linking at a level, once in each direction.
numbered_pairs as (

    select
        records_l.record_number as record_number_l,
        records_r.record_number as record_number_r,
        pairs.match_probability
    from pairs
    inner join numbered_records as records_l on pairs.record_key_l = records_l.record_key
    inner join numbered_records as records_r on pairs.record_key_r = records_r.record_key

),

links as (

    select
        levels.threshold_level,
        numbered_pairs.record_number_l as record_number,
        numbered_pairs.record_number_r as neighbour_number,
        numbered_pairs.match_probability
    from numbered_pairs
    inner join levels on numbered_pairs.match_probability >= levels.threshold
    union all
    select
        levels.threshold_level,
        numbered_pairs.record_number_r as record_number,
        numbered_pairs.record_number_l as neighbour_number,
        numbered_pairs.match_probability
    from numbered_pairs
    inner join levels on numbered_pairs.match_probability >= levels.threshold

),

labels_0 as (

    select distinct
        threshold_level,
        record_number,
        record_number as label_number
    from links

),
{%- for round in range(1, rounds + 1) %}

linked_{{ round }} as (

    select
        links.threshold_level,
        links.record_number,
        own.label_number as own_label,
        neighbours.label_number as neighbour_label
    from links
    inner join labels_{{ round - 1 }} as own
        on links.threshold_level = own.threshold_level and links.record_number = own.record_number
    inner join labels_{{ round - 1 }} as neighbours
        on links.threshold_level = neighbours.threshold_level and links.neighbour_number = neighbours.record_number

),

lowest_{{ round }}_0 as (

    select
        threshold_level,
        record_number,
        min(label_number) as label_number
    from (
        select
            threshold_level,
            record_number,
            label_number
        from labels_{{ round - 1 }}
        union all
        select
            threshold_level,
            record_number,
            neighbour_label as label_number
        from linked_{{ round }}
        union all
        select
            threshold_level,
            own_label as record_number,
            neighbour_label as label_number
        from linked_{{ round }}
    ) as proposals
    group by threshold_level, record_number

),
{%- for jump in range(1, jumps_per_round + 1) %}

lowest_{{ round }}_{{ jump }} as (

    select
        lowest.threshold_level,
        lowest.record_number,
        parents.label_number
    from lowest_{{ round }}_{{ jump - 1 }} as lowest
    inner join lowest_{{ round }}_{{ jump - 1 }} as parents
        on lowest.threshold_level = parents.threshold_level and lowest.label_number = parents.record_number

),
{%- endfor %}

labels_{{ round }} as (

    select * from lowest_{{ round }}_{{ jumps_per_round }}

),
{%- endfor %}

-- The headline's match_probability: a record's strongest link at that threshold.
strongest_links as (

    select
        record_number,
        max(match_probability) as match_probability
    from links
    where threshold_level = 'headline'
    group by record_number

),
{%- for level in thresholds %}

clusters_{{ level }} as (

    select
        numbered_records.record_number,
        numbered_records.record_key,
        cluster_records.record_key as cluster_id
    from numbered_records
    left join labels_{{ rounds }} as labels
        on labels.threshold_level = '{{ level }}' and numbered_records.record_number = labels.record_number
    inner join numbered_records as cluster_records
        on coalesce(labels.label_number, numbered_records.record_number) = cluster_records.record_number

),
{%- endfor %}

final as (

    select
        clusters_headline.record_key,
        clusters_headline.cluster_id,
        count(*) over (partition by clusters_headline.cluster_id) as cluster_size,
        strongest_links.match_probability,
        {%- for level in thresholds if level != 'headline' %}
        clusters_{{ level }}.cluster_id as {{ cluster_id_column(level) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from clusters_headline
    left join strongest_links on clusters_headline.record_number = strongest_links.record_number
    {%- for level in thresholds if level != 'headline' %}
    inner join clusters_{{ level }} on clusters_headline.record_number = clusters_{{ level }}.record_number
    {%- endfor %}

)

select * from final
