-- Every check of every record, defective or not: the single source of both the issue list
-- (numerators) and the records checked (denominators), so the two cannot drift apart. A view
-- over the two tables of check rows, written as soon as what each reads is built.
with

source_rows as (

    select * from {{ ref('int_quality_check_rows_source') }}

),

resolved_rows as (

    select * from {{ ref('int_quality_check_rows_resolved') }}

),

unioned as (

    select * from source_rows
    union all
    select * from resolved_rows

)

select * from unioned
