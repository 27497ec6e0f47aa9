{{ config(
    uncompressed_columns=['source_record_id', 'order_id'],
) }}
{{ declared_source_lineage('orders') }}
with

source as {{ inlined_cte() }} (

    select * from {{ ref('base_billing__orders') }}
    where not _is_quarantined

),

identified as (

    {{ with_unique_record_id('source', 'order_id', ['order_id', 'account_id', 'order_date', 'amount', 'currency']) }}

),

renamed as (

    select
        source_name,
        source_record_id,
        _row_number as source_row_number,
        source_file,
        _load_issue as load_issue,
        nullif(trim(order_id), '') as order_id,
        source_id_rows > 1 as is_id_repeated,
        nullif(trim(account_id), '') as account_id,
        order_date as order_date_raw,
        amount as amount_raw,
        upper(nullif(trim(currency), '')) as currency,
        billing_source_name

    from identified

)

select * from renamed
