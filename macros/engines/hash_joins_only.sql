{#-
    A pre-hook for a model whose long chain of CTEs PostgreSQL cannot estimate: each CTE's row
    count shrinks in the estimates from step to step, until the phone parsing steps of
    int_person_records_standardized were planned on 2 rows instead of 293,478, joined by a nested
    loop that compared 63 million row pairs (26 of the model's 80 s at 200,000 people). Without
    nested loops, for that model's transaction only, it took 55 s. Not for every model: scoring
    took 65 s without them against 46 s. DuckDB plans on its own statistics: nothing to do.
-#}
{% macro hash_joins_only() %}
    {{ return(adapter.dispatch('hash_joins_only', 'crm_quality')()) }}
{% endmacro %}

{% macro default__hash_joins_only() -%}
{%- endmacro %}

{% macro postgres__hash_joins_only() -%}
    set local enable_nestloop = off
{%- endmacro %}
