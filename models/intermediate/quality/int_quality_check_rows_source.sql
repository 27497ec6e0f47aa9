-- The check rows that read records as their sources gave them (ids, timeliness, orders, raw
-- rows): they need no entity resolution, so dbt writes them while the pairs are scored.
with

record_ids_checks as (

    select * from {{ ref('int_quality_checks_record_ids') }}

),

timeliness_checks as (

    select * from {{ ref('int_quality_checks_timeliness') }}

),

orders_checks as (

    select * from {{ ref('int_quality_checks_orders') }}

),

raw_rows_checks as (

    select * from {{ ref('int_quality_checks_raw_rows') }}

),

unioned as (

    select * from record_ids_checks
    union all
    select * from timeliness_checks
    union all
    select * from orders_checks
    union all
    select * from raw_rows_checks

)

select * from unioned
