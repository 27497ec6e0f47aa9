{#-
    A record id that is unique even when the source id is blank or repeated: the trimmed id
    itself when it is unique, otherwise the id plus '#n'. The order within a repeated id comes
    from a hash of the whole row, so rebuilding the same input gives the same ids.
-#}
{% macro unique_record_id(id_column, row_columns) %}
    case
        when
            nullif(trim({{ id_column }}), '') is not null
            and count(*) over (partition by nullif(trim({{ id_column }}), '')) = 1
            then trim({{ id_column }})
        else coalesce(nullif(trim({{ id_column }}), ''), '') || '#' || cast(
            row_number() over (
                partition by nullif(trim({{ id_column }}), '')
                order by {{ hash_key(row_columns) }}
            ) as {{ dbt.type_string() }}
        )
    end
{% endmacro %}
