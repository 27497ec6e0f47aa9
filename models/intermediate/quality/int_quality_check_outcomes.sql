-- Every row read (rows_read: staged records, orders and quarantined rows) with the outcome of
-- every catalog check on it, one column per check (null where the check does not apply): the
-- check models side by side. A view: int_quality_check_counts reads it once.
{%- set check_models = quality_check_models() %}
with
{% for relation, model in check_models.items() %}
{{ relation }} as (

    select * from {{ ref(model) }}

),
{% endfor %}
outcomes as (

    select
        rows_read.record_key,
        rows_read.source_system,
        rows_read.source_name,
        rows_read.source_record_id,
        {%- for check in quality_checks() %}
        {%- set column = quality_check_column(check) %}
        {{ check.relation }}.{{ column }},
        {{ check.relation }}.{{ column }}__raw_value,
        {%- endfor %}
        rows_read.source_channel

    -- A record a check model reads is a row read: the check models' relationships tests.
    from rows_read
    {% for relation in check_models if relation != 'rows_read' -%}
    left join {{ relation }} on rows_read.record_key = {{ relation }}.record_key
    {% endfor %}

)

select * from outcomes
