-- One row per actual customer the CRM lacks, with the best-known contact details, the last
-- order, and why the CRM lacks them:
--   near_miss: a CRM record scored at or above `er_near_miss_min_probability` against one of
--     the customer's billing accounts but below the match threshold: probably the customer,
--     recorded too differently to link. A defect to repair (the nearest record is named, and
--     the pair's two record keys).
--   never_captured: no CRM record anywhere near: the worklist for data collection.
with

customers as (

    select * from {{ ref('dim_customers') }}

),

records as {{ inlined_cte() }} (

    select * from {{ ref('int_person_records_resolved') }}

),

pairs as (

    select * from {{ ref('int_record_pairs_scored') }}

),

accounts as (

    select
        customer_id,
        {{ list_agg('coalesce(source_id, source_record_id)',
            code_point_order('coalesce(source_id, source_record_id)')) }}
            as billing_account_ids

    from records
    where source_system = 'billing'
    group by customer_id

),

missing as (

    select
        customers.*,
        accounts.billing_account_ids

    from customers
    inner join accounts on customers.customer_id = accounts.customer_id
    where customers.is_actual_customer and not customers.is_in_crm

),

billing_to_crm as (

    -- Candidate pairs between a billing account and a CRM record, billing side first.
    select
        record_key_l as billing_record_key,
        record_key_r as crm_record_key,
        match_probability
    from pairs
    where source_system_l = 'billing' and source_system_r = 'crm'
    union all
    select
        record_key_r as billing_record_key,
        record_key_l as crm_record_key,
        match_probability
    from pairs
    where source_system_l = 'crm' and source_system_r = 'billing'

),

ranked_crm as (

    -- Per missing customer, its CRM candidates from the strongest down.
    select
        billing_records.customer_id,
        billing_to_crm.billing_record_key,
        billing_to_crm.crm_record_key,
        crm_records.source_record_id as crm_record_id,
        billing_to_crm.match_probability,
        row_number() over (
            partition by billing_records.customer_id
            order by
                billing_to_crm.match_probability desc,
                {{ code_point_order('billing_to_crm.crm_record_key') }} asc,
                {{ code_point_order('billing_to_crm.billing_record_key') }} asc
        ) as nearness_rank

    from billing_to_crm
    inner join records as billing_records on billing_to_crm.billing_record_key = billing_records.record_key
    inner join records as crm_records on billing_to_crm.crm_record_key = crm_records.record_key
    where billing_to_crm.match_probability >= {{ var('er_near_miss_min_probability') }}

),

nearest_crm as (

    select * from ranked_crm
    where nearness_rank = 1

),

final as (

    select
        missing.customer_id,
        -- An export for spreadsheets: text that would run as a formula is neutralized.
        {%- for field in ['first_name', 'last_name', 'email', 'phone', 'street_address', 'city', 'postal_code'] %}
        {{ neutralize_formula('missing.' ~ field) }} as {{ field }},
        {%- endfor %}
        missing.country,
        {{ neutralize_formula('missing.billing_account_ids') }} as billing_account_ids,
        missing.billing_account_count,
        missing.order_count,
        missing.last_order_date,
        missing.customer_activity,
        case when nearest_crm.customer_id is null then 'never_captured' else 'near_miss' end as missing_reason,
        nearest_crm.crm_record_id as nearest_crm_record_id,
        -- The pair that nearly matched, as fct_match_pairs and customer_xref key it: the review
        -- queue (make review-sample) asks a reviewer about it.
        nearest_crm.crm_record_key as nearest_crm_record_key,
        nearest_crm.billing_record_key as nearest_billing_record_key,
        cast(nearest_crm.match_probability as {{ type_double() }}) as nearest_crm_match_probability

    from missing
    left join nearest_crm on missing.customer_id = nearest_crm.customer_id

)

select * from final
