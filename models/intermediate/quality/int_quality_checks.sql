-- Every check of every record, defective or not: the single source of both the issue list
-- (numerators) and the records checked (denominators), so the two cannot drift apart.
with

record_id_checks as (

    select * from {{ ref('int_quality_checks_record_ids') }}

),

field_checks as (

    select * from {{ ref('int_quality_checks_fields') }}

),

accuracy_checks as (

    select * from {{ ref('int_quality_checks_accuracy') }}

),

uniqueness_checks as (

    select * from {{ ref('int_quality_checks_uniqueness') }}

),

timeliness_checks as (

    select * from {{ ref('int_quality_checks_timeliness') }}

),

order_checks as (

    select * from {{ ref('int_quality_checks_orders') }}

),

raw_row_checks as (

    select * from {{ ref('int_quality_checks_raw_rows') }}

),

unioned as (

    select * from record_id_checks
    union all
    select * from field_checks
    union all
    select * from accuracy_checks
    union all
    select * from uniqueness_checks
    union all
    select * from timeliness_checks
    union all
    select * from order_checks
    union all
    select * from raw_row_checks

)

select * from unioned
