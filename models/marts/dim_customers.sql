-- One row per resolved customer: the golden record, where each of its values came from, and
-- where the customer is known. Survivorship (docs/entity_resolution.md) takes a standardized
-- value only when valid (it is null otherwise), in the documented order:
--   legal name and birth date: billing accounts before CRM records (billing is authoritative);
--   e-mail, phone and address: CRM records before billing (customers keep them current there);
--   within a system, the most recently touched record first, then the smallest record key.
-- The name (first + last) and the address (street, city, postal code, country) are each taken
-- whole from one record, so a street never meets another record's postcode: the record with
-- the most of the unit's fields filled, ties broken by the order above. Birth date, e-mail and
-- phone take the first valid value in that order. `<field>_source_record_key` names the record
-- a value came from; all fields of a unit name the same record.
{{ config(
    uncompressed_columns=[
        'customer_id', 'email', 'phone', 'first_name_source_record_key',
        'last_name_source_record_key', 'birth_date_source_record_key', 'email_source_record_key',
        'phone_source_record_key', 'street_address_source_record_key', 'city_source_record_key',
        'postal_code_source_record_key', 'country_source_record_key',
    ],
) }}
{%- set units = {
    'name': {'fields': ['first_name', 'last_name'], 'priority': 'identity_priority'},
    'address': {'fields': ['street_address', 'city', 'postal_code', 'country'], 'priority': 'contact_priority'},
} %}
{#- A phone without a country of its own (int_phones_rejudged) counts once judged valid for its
    customer's country. #}
{%- set single_fields = {
    'birth_date': {'column': 'birth_date', 'priority': 'identity_priority'},
    'email': {'column': 'email', 'priority': 'contact_priority'},
    'phone': {'column': 'judged_phone', 'priority': 'contact_priority'},
} %}
{%- set output_fields = ['first_name', 'last_name', 'birth_date', 'email', 'phone', 'street_address', 'city',
                         'postal_code', 'country'] %}
with

records as {{ inlined_cte() }} (

    select * from {{ ref('int_person_records_judged') }}

),

orders as (

    select * from {{ ref('int_orders_enriched') }}

),

billing_accounts as (

    select
        source_name,
        source_id as account_id,
        customer_id
    from records
    where source_system = 'billing' and source_id is not null

),

account_customers as (

    -- One customer per account id of a billing source, so a repeated id cannot fan orders out;
    -- under '' one per account id of any billing source, for orders naming none.
    select
        source_name as billing_source_name,
        account_id,
        min({{ code_point_order('customer_id') }}) as customer_id

    from billing_accounts
    group by source_name, account_id

    union all

    select
        '' as billing_source_name,
        account_id,
        min({{ code_point_order('customer_id') }}) as customer_id

    from billing_accounts
    group by account_id

),

customer_orders as (

    select
        account_customers.customer_id,
        count(*) as order_count,
        min(cast(orders.order_date as date)) as first_order_date,
        max(cast(orders.order_date as date)) as last_order_date

    from orders
    inner join account_customers
        on
            orders.account_id = account_customers.account_id
            and coalesce(orders.billing_source_name, '') = account_customers.billing_source_name
    where orders.order_date_status = 'valid'
    group by account_customers.customer_id

),

unit_filled as (

    select
        *,
        (
            {%- for field in units.name.fields %}
            case when {{ field }} is not null then 1 else 0 end
            {%- if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as name_filled_fields,
        (
            {%- for field in units.address.fields %}
            case when {{ field }} is not null then 1 else 0 end
            {%- if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as address_filled_fields

    from records

),

unit_ranked as (

    -- Per customer and unit, rank 1 is the record whose unit is taken: most fields filled first.
    select
        *,
        row_number() over (
            partition by customer_id
            order by name_filled_fields desc, {{ units.name.priority }} asc
        ) as name_rank,
        row_number() over (
            partition by customer_id
            order by address_filled_fields desc, {{ units.address.priority }} asc
        ) as address_rank

    from unit_filled

),

golden as (

    select
        customer_id,
        {%- for unit, spec in units.items() %}
        {%- for field in spec.fields %}
        max(case when {{ unit }}_rank = 1 then {{ field }} end) as {{ field }},
        max(case when {{ unit }}_rank = 1 and {{ unit }}_filled_fields > 0 then record_key end)
            as {{ field }}_source_record_key,
        {%- endfor %}
        {%- endfor %}
        {%- for field, spec in single_fields.items() %}
        {{ first_value_by(spec.column, spec.priority) }} as {{ field }},
        {{ first_value_by('case when ' ~ spec.column ~ ' is not null then record_key end', spec.priority) }}
            as {{ field }}_source_record_key,
        {%- endfor %}
        count(*) as record_count,
        cast(sum(case when source_system = 'billing' then 1 else 0 end) as bigint) as billing_account_count,
        cast(sum(case when source_system = 'crm' then 1 else 0 end) as bigint) as crm_record_count

    from unit_ranked
    group by customer_id

),

final as (

    select
        golden.customer_id,
        golden.first_name,
        golden.last_name,
        golden.email,
        golden.phone,
        golden.street_address,
        golden.city,
        golden.postal_code,
        golden.country,
        cast(golden.birth_date as date) as birth_date,
        golden.billing_account_count > 0 as is_actual_customer,
        golden.crm_record_count > 0 as is_in_crm,
        golden.record_count,
        golden.billing_account_count,
        golden.crm_record_count,
        coalesce(customer_orders.order_count, 0) as order_count,
        customer_orders.first_order_date,
        customer_orders.last_order_date,
        case
            when customer_orders.last_order_date is null then 'no_orders'
            when
                customer_orders.last_order_date
                >= {{ dbt.dateadd('day', -1 * var('active_customer_days'), as_of_date()) }}
                then 'active'
            else 'lapsed'
        end as customer_activity,
        {%- for field in output_fields %}
        golden.{{ field }}_source_record_key{% if not loop.last %},{% endif %}
        {%- endfor %}

    from golden
    left join customer_orders on golden.customer_id = customer_orders.customer_id

)

select * from final
