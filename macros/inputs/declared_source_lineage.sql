{#-
    Ties a staging model to the sources declared for its role, for dbt's lineage and docs:
    renders one source() per declared source (inside a comment, so nothing is queried). The
    macro declared_sources exists once `python -m crm_quality.ingest declare` has written
    CRM_DECLARED_DIR; without it the build still runs, without the lineage. A unit test of a
    staging model gives its base model's rows, not the sources behind it: there it renders
    nothing. Declarations written by an older crm-quality list names, not [dbt source, table]
    pairs: they stop the compile with what to run.
-#}
{% macro declared_source_lineage(role) %}
    {%- if declared_sources is defined and model.resource_type != 'unit_test' -%}
        {%- for pair in declared_sources(role) if pair is string -%}
            {%- if loop.first -%}
                {{ exceptions.raise_compiler_error(
                    "The declared sources in CRM_DECLARED_DIR (" ~ env_var('CRM_DECLARED_DIR', 'target/declared')
                    ~ ") were written by an older crm-quality: run `make declare` (or `python -m"
                    ~ " crm_quality.ingest declare`) again."
                ) }}
            {%- endif -%}
        {%- endfor %}
        -- depends_on:{% for pair in declared_sources(role) %} {{ source(pair[0], pair[1]) }}{% endfor %}
    {%- endif -%}
{% endmacro %}
