-- Raw rows that could not be parsed as rows (unbalanced quotes, too many or too few
-- fields), from every declared source, with the source, file, line number and raw text:
-- nothing is dropped. The footer lines of a Salesforce report export are here too, as no
-- record (is_record false, reason 'report footer': contract.REPORT_FOOTER_REASON), so no
-- check counts them.
{%- set loads = [
    ('crm', 'base_crm__contacts'),
    ('billing', 'base_billing__customers'),
    ('orders', 'base_billing__orders'),
] %}
with

{%- for source_system, base_model in loads %}

{{ source_system }}_rows as (

    select * from {{ ref(base_model) }}
    where _is_quarantined

),
{%- endfor %}

unioned as (

    {%- for source_system, base_model in loads %}

    select
        '{{ source_system }}' as source_system,
        source_name,
        source_file as file_name,
        _row_number as row_number,
        _line_number as line_number,
        _quarantine_reason as quarantine_reason,
        _raw_text as raw_text,
        coalesce(_quarantine_reason != 'report footer', true) as is_record

    from {{ source_system }}_rows
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from unioned
