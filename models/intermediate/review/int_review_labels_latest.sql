-- One answer per labelled pair (record_key_a, record_key_b in code-point order): the latest
-- usable label. Latest is the greatest reviewed_at, undated labels counting as older than dated
-- ones, then the later row in the file (stewards append). How many labels the pair has, and
-- whether they disagree or name the pair in both orders, goes along: the steward's worklist
-- (fct_review_label_issues) lists those, nothing is resolved silently.
with

labels as (

    select * from {{ ref('stg_review__labels') }}
    where is_usable

),

ranked as (

    select
        *,
        row_number() over (
            partition by record_key_a, record_key_b
            order by reviewed_at desc nulls last, label_row_number desc
        ) as recency_rank,
        count(*) over (partition by record_key_a, record_key_b) as label_count,
        min(case when is_match then 1 else 0 end) over (partition by record_key_a, record_key_b)
            as lowest_answer,
        max(case when is_match then 1 else 0 end) over (partition by record_key_a, record_key_b)
            as highest_answer,
        min(record_key_l) over (partition by record_key_a, record_key_b) as lowest_left_key,
        max(record_key_l) over (partition by record_key_a, record_key_b) as highest_left_key

    from labels

),

final as (

    select
        record_key_a,
        record_key_b,
        is_match,
        reviewer,
        reviewed_at,
        sampled_stratum,
        label_row_number,
        label_line_number,
        label_count,
        lowest_answer <> highest_answer as has_conflicting_answers,
        lowest_left_key <> highest_left_key as is_labelled_in_both_orders

    from ranked
    where recency_rank = 1

)

select * from final
