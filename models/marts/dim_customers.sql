-- One row per resolved customer: the golden record, where each of its values came from, and
-- where the customer is known. Survivorship (docs/entity_resolution.md), per field, takes the
-- first valid value (a standardized value is null unless valid) in the field's order:
--   legal name and birth date: billing accounts before CRM records (billing is authoritative);
--   e-mail, phone and address: CRM records before billing (customers keep them current there);
--   within a system, the most recently updated record first, then the smallest record key.
-- `<field>_source_record_key` names the record each value came from.
{%- set identity_fields = ['first_name', 'last_name', 'birth_date'] %}
{%- set contact_fields = ['email', 'phone', 'street_address', 'city', 'postal_code', 'country'] %}
with

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

orders as (

    select * from {{ ref('int_orders_standardized') }}

),

account_customers as (

    -- One customer per account id, so a repeated id cannot fan orders out.
    select
        source_id as account_id,
        min(customer_id) as customer_id

    from records
    where source_system = 'billing' and source_id is not null
    group by source_id

),

customer_orders as (

    select
        account_customers.customer_id,
        count(*) as order_count,
        min(cast(orders.order_date as date)) as first_order_date,
        max(cast(orders.order_date as date)) as last_order_date

    from orders
    inner join account_customers on orders.account_id = account_customers.account_id
    where orders.order_date_status = 'valid'
    group by account_customers.customer_id

),

golden as (

    select
        customer_id,
        {%- for field in identity_fields + contact_fields %}
        {%- set priority = 'identity_priority' if field in identity_fields else 'contact_priority' %}
        {{ first_value_by(field, priority) }} as {{ field }},
        {{ first_value_by('case when ' ~ field ~ ' is not null then record_key end', priority) }}
            as {{ field }}_source_record_key,
        {%- endfor %}
        count(*) as record_count,
        cast(sum(case when source_system = 'billing' then 1 else 0 end) as bigint) as billing_account_count,
        cast(sum(case when source_system = 'crm' then 1 else 0 end) as bigint) as crm_record_count

    from records
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
        {%- for field in identity_fields + contact_fields %}
        golden.{{ field }}_source_record_key{% if not loop.last %},{% endif %}
        {%- endfor %}

    from golden
    left join customer_orders on golden.customer_id = customer_orders.customer_id

)

select * from final
