-- Record ids: the catalog checks reading person_record_ids. Every row is kept and counted;
-- id_occurrence numbers the rows sharing an id (by record id), so the first is not a repeat.
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

person_record_ids as (

    select
        *,
        row_number() over (
            partition by source_system, source_name, source_id
            order by {{ code_point_order('source_record_id') }}
        ) as id_occurrence

    from records

),

checks as (

    {{ render_quality_checks('person_record_ids') }}

)

select * from checks
