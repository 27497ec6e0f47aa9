-- DRAFT for issue 11 (not a model yet): the e-mail, birth date, created_at and updated_at
-- columns of int_person_records_standardized in portable SQL, as
-- warehouse.standardize_person_records computes them (frame.standardize_people and
-- standardize_timestamp_column). The other fields (names, phones, addresses, countries) come
-- from the text/phone/country macros; splice these CTEs and columns into that model.
-- Types: birth_date is a date (the Python model wrote a midnight timestamp_s), created_at and
-- updated_at timestamps in UTC with microseconds as before.
with

records as (

    select * from {{ ref('int_person_records_unioned') }}

),

emails as (

    select distinct email_raw from records
    where email_raw is not null

),

birth_dates as (

    select distinct birth_date_raw from records
    where birth_date_raw is not null

),

-- created_at and updated_at share one parse: the same texts recur in both.
touch_times as (

    select created_at_raw as touched_at_raw from records
    where created_at_raw is not null
    union
    select updated_at_raw as touched_at_raw from records
    where updated_at_raw is not null

),

emails_standardized as (

    {{ standardize_email_values('emails', 'email_raw') }}

),

birth_dates_standardized as (

    {{ standardize_birth_date_values('birth_dates', 'birth_date_raw') }}

),

touch_times_standardized as (

    {{ standardize_timestamp_values('touch_times', 'touched_at_raw', 'touched_at') }}

),

final as (

    select
        records.*,
        emails_standardized.email,
        emails_standardized.email_domain,
        coalesce(emails_standardized.is_disposable_email, false) as is_disposable_email,
        coalesce(emails_standardized.email_status, 'missing') as email_status,
        birth_dates_standardized.birth_date,
        coalesce(birth_dates_standardized.birth_date_status, 'missing') as birth_date_status,
        created.touched_at as created_at,
        coalesce(created.touched_at_status, 'missing') as created_at_status,
        updated.touched_at as updated_at,
        coalesce(updated.touched_at_status, 'missing') as updated_at_status

    from records
    left join emails_standardized
        on records.email_raw = emails_standardized.email_raw
    left join birth_dates_standardized
        on records.birth_date_raw = birth_dates_standardized.birth_date_raw
    left join touch_times_standardized as created
        on records.created_at_raw = created.touched_at_raw
    left join touch_times_standardized as updated
        on records.updated_at_raw = updated.touched_at_raw

)

select * from final
