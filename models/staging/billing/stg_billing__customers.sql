{{ config(
    uncompressed_columns=['source_record_id', 'account_id', 'email_raw', 'phone_raw'],
) }}
{{ declared_source_lineage('billing') }}
with

source as {{ inlined_cte() }} (

    select * from {{ ref('base_billing__customers') }}
    where not _is_quarantined

),

identified as (

    {{ with_unique_record_id('source', 'account_id', [
        'account_id', 'first_name', 'last_name', 'email', 'phone', 'street_address', 'city',
        'postal_code', 'country', 'birth_date', 'account_status', 'opened_at',
    ]) }}

),

renamed as (

    select
        source_name,
        source_record_id,
        _row_number as source_row_number,
        source_file,
        _load_issue as load_issue,
        nullif(trim(account_id), '') as account_id,
        first_name as first_name_raw,
        last_name as last_name_raw,
        email as email_raw,
        phone as phone_raw,
        street_address as street_address_raw,
        city as city_raw,
        postal_code as postal_code_raw,
        country as country_raw,
        birth_date as birth_date_raw,
        coalesce(nullif(lower(trim(account_status)), ''), 'unknown') as account_status,
        opened_at as opened_at_raw

    from identified

)

select * from renamed
