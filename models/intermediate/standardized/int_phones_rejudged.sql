-- National-format phones on records without a resolvable country ('unverifiable' in
-- standardization), judged again once entity resolution knows the customer's country: the
-- valid country most of the customer's records carry, on a tie one a billing record carries
-- (billing is where an address is checked), then the first code alphabetically so the choice
-- is stable.
{%- set records_relation = ref('int_person_records_resolved') %}
{#- For the phone macro's compile-time query (phone_reached_metadata): each unverifiable phone with
    every valid country of its customer, a superset of the pairs judged below. -#}
{%- set phone_pairs_sql = none %}
{%- if execute and load_relation(records_relation) is not none %}
    {%- set phone_pairs_sql = 'select distinct unverifiable.phone_raw, countries.country as customer_country from '
        ~ records_relation ~ ' as unverifiable inner join ' ~ records_relation ~ ' as countries'
        ~ " on unverifiable.customer_id = countries.customer_id and countries.country_status = 'valid'"
        ~ " where unverifiable.phone_status = 'unverifiable'" %}
{%- endif %}
with

records as {{ inlined_cte() }} (

    select * from {{ records_relation }}

),

unverifiable as (

    select
        record_key,
        customer_id,
        phone_raw
    from records
    where phone_status = 'unverifiable'

),

countries as (

    select
        customer_id,
        country,
        count(*) as record_count,
        max(case when source_system = 'billing' then 1 else 0 end) as is_in_billing
    from records
    where
        country_status = 'valid'
        and customer_id in (select unverifiable.customer_id from unverifiable)
    group by customer_id, country

),

ranked as (

    select
        customer_id,
        country,
        row_number() over (
            partition by customer_id
            order by record_count desc, is_in_billing desc, {{ code_point_order('country') }} asc
        ) as country_rank
    from countries

),

customer_countries as (

    select
        unverifiable.record_key,
        unverifiable.customer_id,
        unverifiable.phone_raw,
        ranked.country as customer_country
    from unverifiable
    left join ranked
        on
            unverifiable.customer_id = ranked.customer_id
            and ranked.country_rank = 1

),

phones as (

    {{ phone_standardized_pairs('customer_countries', 'phone_raw', 'customer_country', pairs_sql=phone_pairs_sql) }}

),

-- Without a country the phone stays unverifiable: left out of the phone validity check.
final as (

    select
        customer_countries.record_key,
        customer_countries.customer_id,
        customer_countries.customer_country as phone_country,
        case when customer_countries.customer_country is not null then phones.phone end as phone,
        case
            when customer_countries.customer_country is null then 'unverifiable'
            else phones.phone_status
        end as phone_status
    from customer_countries
    left join phones
        on
            customer_countries.phone_raw = phones.phone_raw
            and customer_countries.customer_country = phones.phone_region

)

select * from final
