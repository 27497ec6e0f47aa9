-- A pair at or above the headline threshold links its two records into one customer, unless a
-- steward's labelled non-match split that cluster: then one record's customer holds one record
-- of a labelled non-match and the other's holds the other (split_at_labelled_non_matches only
-- declines a link that would join the two sides of one). Any other separated pair fails.
with

pairs as (

    select * from {{ ref('fct_match_pairs') }}

),

labels as (

    select * from {{ ref('int_review_labels_latest') }}

),

records as (

    select * from {{ ref('customer_xref') }}

),

separated as (

    select
        record_key_l,
        record_key_r,
        customer_id_l,
        customer_id_r

    from pairs
    where is_match and not is_same_customer

),

labelled_apart as (

    select
        records_a.customer_id as customer_id_a,
        records_b.customer_id as customer_id_b

    from labels
    inner join records as records_a on labels.record_key_a = records_a.record_key
    inner join records as records_b on labels.record_key_b = records_b.record_key
    where not labels.is_match

),

unexplained as (

    select separated.*

    from separated
    where not exists (
        select 1
        from labelled_apart
        where
            (
                labelled_apart.customer_id_a = separated.customer_id_l
                and labelled_apart.customer_id_b = separated.customer_id_r
            )
            or (
                labelled_apart.customer_id_a = separated.customer_id_r
                and labelled_apart.customer_id_b = separated.customer_id_l
            )
    )

)

select * from unexplained
