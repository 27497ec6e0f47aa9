{#-
    The rows of `relation` with source_record_id: a record id that is unique even when the
    source id is blank or repeated, and that stays the same across builds for the same row
    content:
      - a unique, non-blank id: the trimmed id itself;
      - a blank or repeated id: the id (empty when blank) + '#' + the first 12 hex digits of a
        hash of the whole row (row_columns), so adding or removing other rows never renumbers it;
      - rows identical in every column also share that hash: they get '.1', '.2', … after it
        (they are interchangeable, so which copy gets which number does not matter).
    Ids are unique per source (`source_column`): two CRM tools may both use id 1001.
    Most ids are unique: only the others are hashed and numbered (a million orders: 6.7 s with
    every row hashed and numbered, 3.5 s this way), and only their counts are joined back.
    source_id_rows counts the rows sharing the row's source id.
    Limits: editing a row with a blank or repeated id gives it a new id (its content is all that
    identifies it), and a unique id that gains a repeat changes from 'id' to 'id#hash'.
-#}
{% macro with_unique_record_id(relation, id_column, row_columns, source_column='source_name') %}
    {%- set source_id = 'nullif(trim(' ~ id_column ~ "), '')" %}
    {%- set row_hash = 'substr(' ~ hash_key(row_columns) ~ ', 1, 12)' %}
    {%- set copies = 'partition by ' ~ source_column ~ ', ' ~ source_id ~ ', ' ~ row_hash %}
    {#- A blank id as '': an equality PostgreSQL can hash, unlike `is not distinct from`. #}
    {%- set id_key = 'coalesce(trim(' ~ id_column ~ "), '')" %}
    with

    shared_ids as (

        -- Only the ids more rows than one hold (any other id's count is 1): joining every row
        -- to the count of its own id cost as much as counting, as most ids are unique.
        select
            {{ source_column }} as shared_source,
            {{ id_key }} as shared_id,
            count(*) as source_id_rows
        from {{ relation }}
        group by {{ source_column }}, {{ id_key }}
        having count(*) > 1

    ),

    counted as {{ inlined_cte() }} (

        select
            {{ relation }}.*,
            coalesce(shared_ids.source_id_rows, 1) as source_id_rows
        from {{ relation }}
        left join shared_ids
            on
                {{ relation }}.{{ source_column }} = shared_ids.shared_source
                and {{ id_key }} = shared_ids.shared_id

    )

    select
        counted.*,
        trim({{ id_column }}) as source_record_id
    from counted
    where {{ source_id }} is not null and source_id_rows = 1

    union all

    select
        counted.*,
        coalesce({{ source_id }}, '') || '#' || {{ row_hash }} || case
            when count(*) over ({{ copies }}) > 1
                then '.' || cast(row_number() over ({{ copies }} order by {{ row_hash }}) as {{ dbt.type_string() }})
            else ''
        end as source_record_id
    from counted
    where {{ source_id }} is null or source_id_rows > 1
{% endmacro %}
