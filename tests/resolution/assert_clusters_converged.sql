-- Clustering converged: at every threshold, the two records of each link it counts share a
-- cluster. int_person_records_clustered unrolls var('er_cluster_rounds') rounds of label
-- propagation; a graph needing more would leave split clusters, and fails here instead.
{%- set thresholds = cluster_thresholds() %}
with

pairs as (

    select * from {{ ref('int_record_pairs_scored') }}

),

clusters as (

    select * from {{ ref('int_person_records_clustered') }}

),

unconverged as (
    {%- for level, threshold in thresholds.items() %}

    select
        '{{ level }}' as threshold_level,
        pairs.record_key_l,
        pairs.record_key_r,
        clusters_l.{{ cluster_id_column(level) }} as cluster_id_l,
        clusters_r.{{ cluster_id_column(level) }} as cluster_id_r
    from pairs
    inner join clusters as clusters_l on pairs.record_key_l = clusters_l.record_key
    inner join clusters as clusters_r on pairs.record_key_r = clusters_r.record_key
    where
        pairs.match_probability >= {{ threshold }}
        and clusters_l.{{ cluster_id_column(level) }} != clusters_r.{{ cluster_id_column(level) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from unconverged
