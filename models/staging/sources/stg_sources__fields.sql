-- Which role field each declared source collects (CRM_RAW_DIR/sources.yml): a field a source
-- does not collect is neither missing nor checked there.
select
    source_system,
    source_name,
    source_file,
    preset,
    field,
    file_columns,
    is_collected,
    converts_to,
    billing_source

from {{ source('raw', 'raw_source_fields') }}
