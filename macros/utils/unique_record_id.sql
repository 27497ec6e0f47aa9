{#-
    A record id that is unique even when the source id is blank or repeated, and that stays the
    same across builds for the same row content:
      - a unique, non-blank id: the trimmed id itself;
      - a blank or repeated id: the id (empty when blank) + '#' + the first 12 hex digits of a
        hash of the whole row (row_columns), so adding or removing other rows never renumbers it;
      - rows identical in every column also share that hash: they get '.1', '.2', … after it
        (they are interchangeable, so which copy gets which number does not matter).
    Ids are unique per source (`source_column`): two CRM tools may both use id 1001.
    Limits: editing a row with a blank or repeated id gives it a new id (its content is all that
    identifies it), and a unique id that gains a repeat changes from 'id' to 'id#hash'.
-#}
{% macro unique_record_id(id_column, row_columns, source_column='source_name') %}
    {%- set source_id = 'nullif(trim(' ~ id_column ~ "), '')" %}
    {%- set row_hash = 'substr(' ~ hash_key(row_columns) ~ ', 1, 12)' %}
    case
        when
            {{ source_id }} is not null
            and count(*) over (partition by {{ source_column }}, {{ source_id }}) = 1
            then trim({{ id_column }})
        else coalesce({{ source_id }}, '') || '#' || {{ row_hash }} || case
            when count(*) over (partition by {{ source_column }}, {{ source_id }}, {{ row_hash }}) > 1
                then '.' || cast(
                    row_number() over (partition by {{ source_column }}, {{ source_id }}, {{ row_hash }} order by {{ row_hash }})
                    as {{ dbt.type_string() }}
                )
            else ''
        end
    end
{% endmacro %}
