{#-
    Post-hook of a seed whose text column lists the word 'null' as a value: dbt loads seeds
    through agate on most engines, which reads an unquoted or quoted `null` as a missing
    value; dbt-duckdb reads the CSV itself and keeps the text. The seed has no empty values
    (a CSV cannot tell them from null), so a null there was the word.
-#}
{% macro seed_null_text_restored(column_name) %}
    {{- return(adapter.dispatch('seed_null_text_restored', 'crm_quality')(column_name)) -}}
{% endmacro %}

{% macro default__seed_null_text_restored(column_name) %}
    update {{ this }} set {{ column_name }} = 'null' where {{ column_name }} is null
{% endmacro %}

{% macro duckdb__seed_null_text_restored(column_name) %}
{% endmacro %}

{#-
    Seed loading on PostgreSQL: dbt's default loader renders one placeholder per cell through
    a macro call, which costs about a second of Jinja per thousand rows (minutes for the
    Unicode and phone seeds). The same batched inserts, with each statement's placeholders
    built by string repetition.
-#}
{% macro postgres__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set cols_sql = get_seed_column_quoted_csv(model, agate_table.column_names) -%}
    {%- set binding = get_binding_char() -%}
    {%- set row_sql = '(' ~ ([binding] * (agate_table.column_names | length)) | join(', ') ~ ')' -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set bindings = [] -%}
        {%- for row in chunk -%}
            {%- do bindings.extend(row) -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' (' ~ cols_sql ~ ') values '
            ~ ([row_sql] * (chunk | length)) | join(', ') -%}
        {%- do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{- return(statements[0]) -}}
{% endmacro %}
