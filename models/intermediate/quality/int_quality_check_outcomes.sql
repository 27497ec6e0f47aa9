-- Every row read (rows_read: staged records, orders and quarantined rows) with the outcome of
-- every catalog check on it, one column per check (null where the check does not apply): the
-- check models side by side. A check applies to its own source system's rows only, so each
-- system's rows join only the check models holding its checks, restricted to its rows: at a
-- million contacts, 3.9 million orders no longer probe six person check models. A view:
-- int_quality_check_counts reads it once.
{%- set check_models = quality_check_models() %}
{%- set checks = quality_checks() %}
{%- set systems = checks | map(attribute='source_system') | unique | list %}
with
{#- Inlined: each system's branch reads only its own rows of a check model. #}
{% for relation, model in check_models.items() %}
{{ relation }} as {{ inlined_cte() }} (

    select * from {{ ref(model) }}

),
{% endfor %}
outcomes as (
    {%- for system in systems %}
    {%- set relations = checks | selectattr('source_system', 'equalto', system)
        | map(attribute='relation') | reject('equalto', 'rows_read') | unique | list %}

    select
        rows_read.record_key,
        rows_read.source_system,
        rows_read.source_name,
        rows_read.source_record_id,
        {%- for check in checks %}
        {%- set column = quality_check_column(check) %}
        {%- if check.source_system == system %}
        {{ check.relation }}.{{ column }},
        {{ check.relation }}.{{ column }}__raw_value,
        {%- else %}
        cast(null as boolean) as {{ column }},
        cast(null as {{ dbt.type_string() }}) as {{ column }}__raw_value,
        {%- endif %}
        {%- endfor %}
        rows_read.source_channel

    -- A record a check model reads is a row read: the check models' relationships tests.
    from rows_read
    {% for relation in relations -%}
    left join {{ relation }}
        on
            rows_read.record_key = {{ relation }}.record_key
            and {{ relation }}.source_system = '{{ system }}'
    {% endfor -%}
    where rows_read.source_system = '{{ system }}'

    union all
    {%- endfor %}

    -- Rows of a system no check reads: read, and checked by nothing.
    select
        record_key,
        source_system,
        source_name,
        source_record_id,
        {%- for check in checks %}
        {%- set column = quality_check_column(check) %}
        cast(null as boolean) as {{ column }},
        cast(null as {{ dbt.type_string() }}) as {{ column }}__raw_value,
        {%- endfor %}
        source_channel
    from rows_read
    where
        source_system is null
        or source_system not in ('{{ systems | join("', '") }}')

)

select * from outcomes
