-- Orders with the order date and the amount parsed, as crm_quality.warehouse.standardize_orders
-- (the reference) does it. Each distinct raw value is standardized once and joined back; a
-- null raw value is 'missing' without a lookup. order_date stays a midnight timestamp, as
-- the Python model wrote it; amount is decimal(18, 2). An order date text is looked up with its
-- source's date_order (sources.yml).
with

orders as {{ inlined_cte() }} (

    select * from {{ ref('stg_billing__orders') }}

),

source_date_orders as (

    {{ source_date_orders() }}

),

order_dates as (

    {{ dated_texts('orders', 'order_date_raw') }}

),

amounts as (

    select distinct amount_raw from orders
    where amount_raw is not null

),

order_dates_standardized as (

    {{ standardize_date_values(
        'order_dates', 'order_date_raw', 'order_date',
        earliest="'" ~ var('min_order_date') ~ "'",
        date_order='date_order'
    ) }}

),

amounts_standardized as (

    {{ standardize_amount_values('amounts', 'amount_raw') }}

),

final as (

    select
        orders.*,
        cast(order_dates_standardized.order_date as {{ type_timestamp_seconds() }}) as order_date,
        coalesce(order_dates_standardized.order_date_status, 'missing') as order_date_status,
        amounts_standardized.amount,
        coalesce(amounts_standardized.amount_status, 'missing') as amount_status

    from orders
    left join source_date_orders on orders.source_name = source_date_orders.source_name
    left join order_dates_standardized
        on
            orders.order_date_raw = order_dates_standardized.order_date_raw
            and {{ date_order_key('source_date_orders.date_order') }} = order_dates_standardized.date_order
    left join amounts_standardized on orders.amount_raw = amounts_standardized.amount_raw

)

select * from final
