-- Completeness and validity of the person fields: one row per record × catalog check reading
-- person_fields, judged on the status the standardizers gave each field. A phone takes its
-- re-judged status (int_phones_rejudged) where it had no country of its own.
with

standardized as (

    select * from {{ ref('int_person_records_standardized') }}

),

rejudged_phones as (

    select * from {{ ref('int_phones_rejudged') }}

),

person_fields as (

    select
        standardized.*,
        coalesce(rejudged_phones.phone_status, standardized.phone_status) as judged_phone_status

    from standardized
    left join rejudged_phones on standardized.record_key = rejudged_phones.record_key

),

checks as (

    {{ render_quality_checks('person_fields') }}

)

select * from checks
