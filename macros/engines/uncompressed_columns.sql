{#- DuckDB: the columns a table model lists in its `uncompressed_columns` config are stored
    without compression; other engines ignore the config. DuckDB compresses every string column
    (a dictionary, then FSST); on strings that are nearly all distinct (record keys, ids,
    e-mails, phones) that costs two to four times the CPU of writing them as they are, for
    two to three times fewer bytes (docs/entity_resolution.md, "Nearly distinct strings").
    A model with an enforced contract gets its columns from its yml
    (duckdb__get_table_columns_and_constraints); any other from its select. -#}
{% macro duckdb__create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {%- set uncompressed = config.get('uncompressed_columns') or [] %}
    {%- set contract = config.get('contract') %}
    {%- if language == 'sql' and not temporary and uncompressed and not (contract and contract.enforced) %}
        {{- table_with_uncompressed_columns(relation, compiled_code, uncompressed) }}
    {%- else %}
        {{- dbt.duckdb__create_table_as(temporary, relation, compiled_code, language, partitioned_by, sorted_by) }}
    {%- endif %}
{%- endmacro %}

{#- The statements creating `relation` with the columns and types of `select_sql`, the
    `uncompressed` ones stored without compression, and filling it. -#}
{% macro table_with_uncompressed_columns(relation, select_sql, uncompressed) %}
    {%- if not execute %}{{ return('') }}{% endif %}
    {%- set described = run_query('describe (\n' ~ select_sql ~ '\n)') %}
    {%- do uncompressed_columns_checked(relation, uncompressed, described.columns[0].values() | list) %}
    create table {{ relation }} (
        {%- for row in described.rows %}
        {{ adapter.quote(row[0]) }} {{ row[1] }}{{ ' using compression uncompressed' if row[0] in uncompressed }}{{ ',' if not loop.last }}
        {%- endfor %}
    );
    insert into {{ relation }} select * from (
        {{ select_sql }}
    ) as model_select
{%- endmacro %}

{#- dbt's column list of a contract (table_columns_and_constraints), with the model's
    `uncompressed_columns` stored without compression. -#}
{% macro duckdb__get_table_columns_and_constraints() %}
    {%- set uncompressed = config.get('uncompressed_columns') or [] %}
    {%- set names = model['columns'].values() | map(attribute='name') | list %}
    {%- do uncompressed_columns_checked(this, uncompressed, names) %}
    {%- set columns = adapter.render_raw_columns_constraints(raw_columns=model['columns']) %}
    {%- set constraints = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) %}
    (
    {%- for column in columns %}
        {{ column }}{{ ' using compression uncompressed' if names[loop.index0] in uncompressed }}{{ ',' if not loop.last or constraints }}
    {%- endfor %}
    {%- for constraint in constraints %}
        {{ constraint }}{{ ',' if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}

{#- Stops the model when `uncompressed` names a column it does not have (a typo, a renamed
    column), naming the columns it has. -#}
{% macro uncompressed_columns_checked(relation, uncompressed, names) %}
    {%- set unknown = uncompressed | reject('in', names) | list %}
    {%- if unknown %}
        {%- do exceptions.raise_compiler_error(
            'uncompressed_columns of ' ~ relation ~ ' names ' ~ (unknown | join(', '))
            ~ ', not among its columns: ' ~ (names | join(', '))) %}
    {%- endif %}
{%- endmacro %}
