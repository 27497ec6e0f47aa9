-- Uniqueness of the resolved records: the catalog checks reading resolved_records
-- (survivor_rank 1 is the surviving record of its customer and system).
with

resolved_records as (

    select * from {{ ref('int_person_records_resolved') }}

),

checks as (

    {{ render_quality_checks('resolved_records') }}

)

select * from checks
