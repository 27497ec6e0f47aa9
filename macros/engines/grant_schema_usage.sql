{#-
    on-run-end hook: lets each reader role into the schemas holding what it may read. dbt
    grants select per model (dbt_project.yml +grants) but not a schema's usage, without which a
    role reads nothing there. bi_reader reads the default schema's aggregates the models grant
    it; crm_data_steward reads every table of every schema, personal data included: also the
    raw tables loaded before dbt, the seeds and the stored test failures, which no model grants
    (crm_quality/warehouse_roles.py creates both roles).
-#}
{% macro grant_schema_usage() %}
    {{- return(adapter.dispatch('grant_schema_usage', 'crm_quality')()) -}}
{% endmacro %}

{#- Engines without schema privileges (DuckDB) or roles of their own have nothing to grant. -#}
{% macro default__grant_schema_usage() %}
    select 1
{% endmacro %}

{% macro postgres__grant_schema_usage() %}
    {%- set readers = {
        target.schema: ['bi_reader', 'crm_data_steward'],
        target.schema ~ '_restricted': ['crm_data_steward'],
        target.schema ~ '_audit': ['crm_data_steward'],
    } %}
    {%- for schema, roles in readers.items() %}
        {%- if execute %}
            {%- do adapter.create_schema(api.Relation.create(database=target.database, schema=schema)) %}
        {%- endif %}
        grant usage on schema {{ adapter.quote(schema) }} to {{ roles | join(', ') }};
        grant select on all tables in schema {{ adapter.quote(schema) }} to crm_data_steward;
    {%- endfor %}
{% endmacro %}
