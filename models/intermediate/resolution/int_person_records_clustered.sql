-- Every record with its cluster at each threshold of cluster_thresholds(): the connected
-- components of the scored pairs at or above it. A cluster's id is its smallest member
-- record_key in code-point order, so it stays while that record exists; cluster_size and
-- match_probability (the record's strongest link at the threshold, null for a record with none)
-- are the headline threshold's.
--
-- A steward's review labels constrain the clusters: labelled matches are links of
-- probability 1, labelled non-matches lose their own link and, where other records still join
-- them, the weakest links between them are cut (split_at_labelled_non_matches).
--
-- Records are numbered in code-point order, so nodes are integers (cheap joins) and the
-- smallest number is the smallest key. connected_components() iterates while the model
-- compiles, one scratch table per step, until no link joins two components (its rounds follow
-- the graph: about log2 of the largest cluster), for all thresholds at once. The post-hook
-- drops the scratch tables this select reads. A linter compiling the project before any build
-- finds no inputs and gets the select alone.
{{ config(
    uncompressed_columns=[
        'record_key', 'cluster_id', 'conservative_cluster_id', 'lenient_cluster_id',
    ],
    post_hook=[
        "{{ drop_scratch_table('cluster_records') }}",
        "{{ drop_scratch_table('cluster_links') }}",
        "{{ drop_scratch_table('cluster_non_matches') }}",
        "{{ drop_scratch_table('cluster_components') }}",
        "{{ drop_scratch_table('cluster_roots') }}",
    ],
) }}
{%- set thresholds = cluster_thresholds() %}
{%- set records_relation = ref('int_person_records_standardized') %}
{%- set pairs_relation = ref('int_record_pairs_scored') %}
{#- A steward's review labels constrain the clusters: a labelled match always links its two
    records, a labelled non-match never ends in one cluster (split_at_labelled_non_matches). -#}
{%- set labels_relation = ref('int_review_labels_latest') %}
{%- set inputs_built = execute
    and load_relation(records_relation) is not none
    and load_relation(pairs_relation) is not none
    and load_relation(labels_relation) is not none %}
{%- if inputs_built %}
    {%- do create_scratch_table('cluster_records',
        'select record_key, row_number() over (order by ' ~ code_point_order('record_key')
        ~ ') as record_number from ' ~ records_relation) %}
    {%- set labelled_pairs = 'select records_a.record_number as node_a, records_b.record_number as node_b'
        ~ ' from ' ~ labels_relation ~ ' as labels'
        ~ ' inner join cluster_records as records_a on labels.record_key_a = records_a.record_key'
        ~ ' inner join cluster_records as records_b on labels.record_key_b = records_b.record_key'
        ~ ' where labels.is_match = ' %}
    {%- do create_scratch_table('cluster_non_matches', labelled_pairs ~ 'false') %}
    {%- do create_scratch_table('cluster_links',
        'select records_l.record_number as record_number_l, records_r.record_number as record_number_r,'
        ~ ' pairs.match_probability, false as is_labelled from ' ~ pairs_relation ~ ' as pairs'
        ~ ' inner join cluster_records as records_l on pairs.record_key_l = records_l.record_key'
        ~ ' inner join cluster_records as records_r on pairs.record_key_r = records_r.record_key'
        ~ ' left join cluster_non_matches as non_matches'
        ~ ' on least(records_l.record_number, records_r.record_number) = least(non_matches.node_a, non_matches.node_b)'
        ~ ' and greatest(records_l.record_number, records_r.record_number) = greatest(non_matches.node_a, non_matches.node_b)'
        ~ ' where pairs.match_probability >= ' ~ (thresholds.values() | min)
        ~ ' and non_matches.node_a is null'
        ~ ' union all select node_a, node_b, cast(1 as ' ~ type_double() ~ '), true from ('
        ~ labelled_pairs ~ 'true) as matches') %}
    {%- set edges = [] %}
    {%- for threshold in thresholds.values() %}
        {%- do edges.append('select ' ~ loop.index ~ ' as level, record_number_l as node_a,'
            ~ ' record_number_r as node_b from cluster_links where match_probability >= ' ~ threshold) %}
    {%- endfor %}
    {%- do connected_components(edges | join(' union all '), 'cluster_components') %}
    {%- do split_at_labelled_non_matches(
        'cluster_components', 'cluster_links', 'cluster_non_matches', thresholds, 'cluster_roots') %}
{%- endif %}
with

numbered_records as (

    select * from cluster_records

),

links as (

    select * from cluster_links

),

roots as (

    select * from cluster_roots

),

-- The headline's match_probability: a record's strongest link at that threshold.
strongest_links as (

    select
        record_number,
        max(match_probability) as match_probability
    from (
        select
            record_number_l as record_number,
            match_probability
        from links
        union all
        select
            record_number_r as record_number,
            match_probability
        from links
    ) as linked
    where match_probability >= {{ thresholds['headline'] }}
    group by record_number

),

-- The records connected_components() gave another root, with that root's key at each level.
root_keys as (

    select
        {%- for level in thresholds %}
        max(case when roots.level = {{ loop.index }} then roots.root end) as {{ level }}_root,
        max(case when roots.level = {{ loop.index }} then root_records.record_key end) as {{ level }}_root_key,
        {%- endfor %}
        roots.node as record_number
    from roots
    inner join numbered_records as root_records on roots.root = root_records.record_number
    group by roots.node

),

-- A headline cluster's size: its root and the records hooked to it.
cluster_sizes as (

    select
        root,
        count(*) + 1 as cluster_size
    from roots
    where level = 1
    group by root

),

clustered as (

    select
        numbered_records.record_number,
        numbered_records.record_key,
        {%- for level in thresholds %}
        coalesce(root_keys.{{ level }}_root_key, numbered_records.record_key) as {{ cluster_id_column(level) }},
        {%- endfor %}
        coalesce(root_keys.headline_root, numbered_records.record_number) as headline_root
    from numbered_records
    left join root_keys on numbered_records.record_number = root_keys.record_number

),

final as (

    select
        clustered.record_key,
        clustered.cluster_id,
        coalesce(cluster_sizes.cluster_size, 1) as cluster_size,
        strongest_links.match_probability,
        {%- for level in thresholds if level != 'headline' %}
        clustered.{{ cluster_id_column(level) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from clustered
    left join cluster_sizes on clustered.headline_root = cluster_sizes.root
    left join strongest_links on clustered.record_number = strongest_links.record_number

)

select * from final
