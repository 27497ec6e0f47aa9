-- The check rows that need the resolved customer: fields (a national phone is judged for its
-- customer's country), accuracy against the customer's billing values, and duplicates.
with

fields_checks as (

    select * from {{ ref('int_quality_checks_fields') }}

),

accuracy_checks as (

    select * from {{ ref('int_quality_checks_accuracy') }}

),

uniqueness_checks as (

    select * from {{ ref('int_quality_checks_uniqueness') }}

),

unioned as (

    select * from fields_checks
    union all
    select * from accuracy_checks
    union all
    select * from uniqueness_checks

)

select * from unioned
