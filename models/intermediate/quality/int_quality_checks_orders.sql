-- Orders: the catalog checks reading orders_enriched (ids, the account known to billing, date,
-- amount and currency), on the orders int_orders_enriched prepared.
with

orders_enriched as (

    select * from {{ ref('int_orders_enriched') }}

),

checks as (

    {{ render_quality_checks('orders_enriched') }}

)

select * from checks
