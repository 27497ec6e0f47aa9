{#-
    Lists of doubles held in a column, for walks that carry a window of values from row to row
    (mart_quality_anomalies): DuckDB lists, PostgreSQL arrays. Positions are 1-based on both.
-#}

{#- A one-element list. -#}
{% macro double_list_of(expression) %}
    {{- return(adapter.dispatch('double_list_of', 'crm_quality')(expression)) -}}
{% endmacro %}

{% macro default__double_list_of(expression) %}
    [cast({{ expression }} as {{ type_double() }})]
{% endmacro %}

{% macro postgres__double_list_of(expression) %}
    array[cast({{ expression }} as double precision)]
{% endmacro %}

{#- The empty list, typed. -#}
{% macro empty_double_list() %}
    {{- return(adapter.dispatch('empty_double_list', 'crm_quality')()) -}}
{% endmacro %}

{% macro default__empty_double_list() %}
    cast([] as double[])
{% endmacro %}

{% macro postgres__empty_double_list() %}
    cast(array[] as double precision[])
{% endmacro %}

{#- The list with one value appended. -#}
{% macro list_appended(list, expression) %}
    {{- return(adapter.dispatch('list_appended', 'crm_quality')(list, expression)) -}}
{% endmacro %}

{% macro default__list_appended(list, expression) %}
    list_append({{ list }}, {{ expression }})
{% endmacro %}

{% macro postgres__list_appended(list, expression) %}
    array_append({{ list }}, {{ expression }})
{% endmacro %}

{#- The last `count` values of the list (all of them when it is shorter). -#}
{% macro list_last(list, count) %}
    {{- return(adapter.dispatch('list_last', 'crm_quality')(list, count)) -}}
{% endmacro %}

{% macro default__list_last(list, count) %}
    list_slice({{ list }}, -{{ count }}, -1)
{% endmacro %}

{% macro postgres__list_last(list, count) %}
    ({{ list }})[greatest(cardinality({{ list }}) - {{ count }} + 1, 1):]
{% endmacro %}

{#- How many values the list holds. -#}
{% macro list_length(list) %}
    {{- return(adapter.dispatch('list_length', 'crm_quality')(list)) -}}
{% endmacro %}

{% macro default__list_length(list) %}
    len({{ list }})
{% endmacro %}

{% macro postgres__list_length(list) %}
    cardinality({{ list }})
{% endmacro %}

{#- The median of the list's values (the mean of the middle two when their number is even). -#}
{% macro list_median(list) %}
    {{- return(adapter.dispatch('list_median', 'crm_quality')(list)) -}}
{% endmacro %}

{% macro default__list_median(list) %}
    list_median({{ list }})
{% endmacro %}

{% macro postgres__list_median(list) %}
    (select percentile_cont(0.5) within group (order by items.item) from unnest({{ list }}) as items (item))
{% endmacro %}

{#- The median absolute deviation of the list's values from their median. -#}
{% macro list_median_absolute_deviation(list) %}
    {{- return(adapter.dispatch('list_median_absolute_deviation', 'crm_quality')(list)) -}}
{% endmacro %}

{% macro default__list_median_absolute_deviation(list) %}
    list_median(list_transform({{ list }}, lambda item: abs(item - list_median({{ list }}))))
{% endmacro %}

{% macro postgres__list_median_absolute_deviation(list) %}
    (
        select percentile_cont(0.5) within group (order by abs(items.item - medians.median))
        from unnest({{ list }}) as items (item)
        cross join (
            select percentile_cont(0.5) within group (order by all_items.item) as median
            from unnest({{ list }}) as all_items (item)
        ) as medians
    )
{% endmacro %}
