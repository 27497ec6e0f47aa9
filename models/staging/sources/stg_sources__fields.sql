-- Which role field each declared source collects (CRM_RAW_DIR/sources.yml): a field a source
-- does not collect is neither missing nor checked there. date_order: how the source's slashed
-- day-and-month dates read ('day_first', 'month_first'; null: refused as ambiguous).
select
    source_system,
    source_name,
    source_file,
    preset,
    field,
    file_columns,
    is_collected,
    converts_to,
    billing_source,
    date_order

from {{ source('raw', 'raw_source_fields') }}
