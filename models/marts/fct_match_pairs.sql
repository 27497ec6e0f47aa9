-- One row per candidate pair of records the matcher scored at or above
-- `er_pair_min_match_probability`: why two records were (or were not) merged. Per comparison,
-- the level the pair reached and its match weight (log2 Bayes factor); the prior and the
-- comparison weights add up to the total match weight; the band (macro match_band) is the
-- stratum the review queue samples by. Record keys only: no compared values.
{{ config(
    uncompressed_columns=['record_key_l', 'record_key_r', 'customer_id_l', 'customer_id_r'],
) }}
{%- set comparisons = ['first_name', 'last_name', 'birth_date', 'email', 'contact_address'] %}
with

pairs as (

    select * from {{ ref('int_record_pairs_scored') }}

),

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

final as (

    select
        pairs.record_key_l,
        pairs.record_key_r,
        case
            when pairs.source_system_l = 'crm' and pairs.source_system_r = 'crm' then 'crm_dedup'
            when pairs.source_system_l = 'billing' and pairs.source_system_r = 'billing' then 'billing_dedup'
            else 'crm_billing_link'
        end as pair_type,
        {%- for comparison in comparisons %}
        pairs.{{ comparison }}_level,
        cast(pairs.{{ comparison }}_match_weight as {{ type_double() }}) as {{ comparison }}_match_weight,
        {%- endfor %}
        cast(
            pairs.match_weight
            {%- for comparison in comparisons %}
            - pairs.{{ comparison }}_match_weight
            {%- endfor %}
            as {{ type_double() }}
        ) as prior_match_weight,
        cast(pairs.match_weight as {{ type_double() }}) as match_weight,
        cast(pairs.match_probability as {{ type_double() }}) as match_probability,
        {{ match_band('pairs.match_probability') }} as band,
        pairs.match_probability >= {{ var('er_match_threshold') }} as is_match,
        records_l.customer_id = records_r.customer_id as is_same_customer,
        records_l.customer_id as customer_id_l,
        records_r.customer_id as customer_id_r

    from pairs
    inner join records as records_l on pairs.record_key_l = records_l.record_key
    inner join records as records_r on pairs.record_key_r = records_r.record_key

)

select * from final
