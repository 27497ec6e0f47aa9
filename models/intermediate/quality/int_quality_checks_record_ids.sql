-- Record ids: a blank id is a completeness defect, an id repeated on another row a
-- uniqueness defect. Every row is still kept and counted; the first row of a repeated id
-- (by record id) is not the defect, the repeats are.
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by source_system, source_name, source_id order by source_record_id
        ) as id_occurrence

    from records

),

checks as (

    {%- for check in quality_checks() if check.column == 'source_id' %}

    select
        {{ quality_check_columns(
            check,
            is_defective='source_id is null' if check.defect_type == 'missing'
                else 'source_id is not null and id_occurrence > 1',
            raw_value='source_id',
        ) }}

    from ranked
    where
        source_system = '{{ check.source_system }}'
        and {{ field_is_collected(check) }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from checks
