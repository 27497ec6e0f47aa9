-- Every review label holds in customer_xref: a labelled match's records share a customer; a
-- labelled non-match's records do not, unless labelled matches chain them together (the labels
-- contradict each other, and fct_review_label_issues lists the non-match). Failing rows name
-- the label.
with recursive

labels as (

    select * from {{ ref('int_review_labels_latest') }}

),

records as (

    select * from {{ ref('customer_xref') }}

),

placed as (

    select
        labels.record_key_a,
        labels.record_key_b,
        labels.is_match,
        records_a.customer_id = records_b.customer_id as is_same_customer

    from labels
    inner join records as records_a on labels.record_key_a = records_a.record_key
    inner join records as records_b on labels.record_key_b = records_b.record_key

),

match_edges as (

    select
        record_key_a as record_key,
        record_key_b as linked_key
    from labels
    where is_match
    union all
    select
        record_key_b as record_key,
        record_key_a as linked_key
    from labels
    where is_match

),

-- Records each non-match's first record reaches through labelled matches alone.
reached (start_key, record_key) as (

    select
        record_key_a as start_key,
        record_key_a as record_key
    from placed
    where not is_match
    union
    select
        reached.start_key,
        match_edges.linked_key as record_key
    from reached
    inner join match_edges on reached.record_key = match_edges.record_key

),

broken as (

    select
        placed.record_key_a,
        placed.record_key_b,
        placed.is_match

    from placed
    where
        (placed.is_match and not placed.is_same_customer)
        or (
            not placed.is_match and placed.is_same_customer
            and not exists (
                select 1 from reached
                where reached.start_key = placed.record_key_a and reached.record_key = placed.record_key_b
            )
        )

)

select * from broken
