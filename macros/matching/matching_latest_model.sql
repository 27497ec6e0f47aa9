{#- The registry's most recent matching model (its JSON document as a dict), or none when no
    model was trained (fewer than two records) or the registry is not built (a linter
    compiling the project). Read at execution time: the pair SQL is rendered from it. The
    same order as crm_quality.matching.duckdb_backend.latest_model_row. -#}
{% macro matching_latest_model(registry) %}
    {%- if not execute or load_relation(registry) is none %}{{ return(none) }}{% endif -%}
    {%- set latest = run_query(
        'select model_json from ' ~ registry ~ ' order by trained_at desc, model_id desc limit 1'
    ) -%}
    {%- if latest.rows | length == 0 %}{{ return(none) }}{% endif -%}
    {{ return(fromjson(latest.rows[0][0])) }}
{% endmacro %}
