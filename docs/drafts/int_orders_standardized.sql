-- DRAFT for issue 11 (not a model yet): int_orders_standardized in portable SQL, replacing
-- models/intermediate/standardized/int_orders_standardized.py (warehouse.standardize_orders).
-- Values repeat, so each distinct raw value is standardized once and joined back; a null raw
-- value is 'missing' without a lookup (an equality join keeps hash joins on PostgreSQL,
-- where `is not distinct from` would not).
-- Types: order_date is a date (the Python model wrote a midnight timestamp_s); amount
-- decimal(18, 2) as before.
with

orders as (

    select * from {{ ref('stg_billing__orders') }}

),

order_dates as (

    select distinct order_date_raw from orders
    where order_date_raw is not null

),

amounts as (

    select distinct amount_raw from orders
    where amount_raw is not null

),

order_dates_standardized as (

    {{ standardize_date_values(
        'order_dates', 'order_date_raw', 'order_date', earliest="'" ~ var('min_order_date') ~ "'"
    ) }}

),

amounts_standardized as (

    {{ standardize_amount_values('amounts', 'amount_raw') }}

),

final as (

    select
        orders.*,
        order_dates_standardized.order_date,
        coalesce(order_dates_standardized.order_date_status, 'missing') as order_date_status,
        amounts_standardized.amount,
        coalesce(amounts_standardized.amount_status, 'missing') as amount_status

    from orders
    left join order_dates_standardized
        on orders.order_date_raw = order_dates_standardized.order_date_raw
    left join amounts_standardized
        on orders.amount_raw = amounts_standardized.amount_raw

)

select * from final
