{#- True when a raw file exists; engines read files differently, hence the dispatch. -#}
{% macro raw_file_exists(file_path) %}
    {{ return(adapter.dispatch('raw_file_exists', 'crm_quality')(file_path)) }}
{% endmacro %}

{% macro duckdb__raw_file_exists(file_path) %}
    {% set result = run_query("select count(*) from glob('" ~ file_path | replace("'", "''") ~ "')") %}
    {{ return(result.columns[0].values()[0] > 0) }}
{% endmacro %}

{#- Engines that cannot read the build machine's files get them loaded before dbt runs
    (python -m crm_quality.ingest load), which stops on a missing file with the same message. -#}
{% macro default__raw_file_exists(file_path) %}
    {{ return(true) }}
{% endmacro %}
