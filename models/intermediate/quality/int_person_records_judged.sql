-- The resolved records with each phone as judged for validity: a national phone without a
-- country of its own counts once int_phones_rejudged judged it valid for its customer's
-- country. The accuracy check and the golden record read phones from here.
with

resolved as (

    select * from {{ ref('int_person_records_resolved') }}

),

rejudged_phones as (

    select * from {{ ref('int_phones_rejudged') }}

),

final as (

    select
        resolved.*,
        case
            when rejudged_phones.phone_status = 'valid' then rejudged_phones.phone
            else resolved.phone
        end as judged_phone

    from resolved
    left join rejudged_phones on resolved.record_key = rejudged_phones.record_key

)

select * from final
