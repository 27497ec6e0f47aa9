-- The labels a data steward should look at again, one row per label row: rows that could not
-- count (unreadable, a key or the answer missing or malformed), labels naming a record the
-- warehouse does not know, every label of a pair labelled with different answers or in both
-- orders, with the answer that counts (the latest, int_review_labels_latest), and labelled
-- non-matches that labelled matches chain into one customer (labelled matches always hold).
with

labels as (

    select * from {{ ref('stg_review__labels') }}

),

latest as (

    select * from {{ ref('int_review_labels_latest') }}

),

records as (

    select * from {{ ref('customer_xref') }}

),

unusable as (

    select
        labels.label_row_number,
        labels.unusable_reason as issue

    from labels
    where not labels.is_usable

),

unknown_records as (

    select
        labels.label_row_number,
        'no record has the key ' || case
            when left_records.record_key is null then labels.record_key_l
            else labels.record_key_r
        end as issue

    from labels
    left join records as left_records on labels.record_key_l = left_records.record_key
    left join records as right_records on labels.record_key_r = right_records.record_key
    where labels.is_usable and (left_records.record_key is null or right_records.record_key is null)

),

disputed as (

    select
        labels.label_row_number,
        case
            when latest.has_conflicting_answers and latest.is_labelled_in_both_orders
                then 'labelled with different answers and in both orders'
            when latest.has_conflicting_answers then 'labelled with different answers'
            else 'labelled in both orders'
        end as issue

    from labels
    inner join latest
        on labels.record_key_a = latest.record_key_a and labels.record_key_b = latest.record_key_b
    where labels.is_usable and (latest.has_conflicting_answers or latest.is_labelled_in_both_orders)

),

contradicted as (

    select
        latest.label_row_number,
        'labelled as different people, but labelled matches link them' as issue

    from latest
    inner join records as records_a on latest.record_key_a = records_a.record_key
    inner join records as records_b on latest.record_key_b = records_b.record_key
    where not latest.is_match and records_a.customer_id = records_b.customer_id

),

issues as (

    select * from unusable
    union all
    select * from unknown_records
    union all
    select * from disputed
    union all
    select * from contradicted

),

final as (

    select
        labels.label_line_number,
        labels.label_row_number,
        issues.issue,
        labels.record_key_l,
        labels.record_key_r,
        labels.is_match_raw,
        labels.reviewer,
        labels.reviewed_at_raw,
        latest.is_match as counted_answer,
        coalesce(latest.label_row_number = labels.label_row_number, false) as is_counted

    from issues
    inner join labels on issues.label_row_number = labels.label_row_number
    left join latest
        on labels.record_key_a = latest.record_key_a and labels.record_key_b = latest.record_key_b

)

select * from final
