-- One row per resolved customer: a golden record plus where the customer is known.
-- Survivorship per field: the first valid value by billing before CRM, then each
-- system's survivor rank (most recently updated, most complete).
with

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

prioritized as (

    -- Billing is authoritative; within a system, the survivor rank decides.
    select
        *,
        case when source_system = 'billing' then 0 else 1 end * 1000000 + survivor_rank as golden_priority

    from records

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
        {%- for field in ['first_name', 'last_name', 'email', 'phone', 'street_address', 'city',
                          'postal_code', 'country'] %}
        {{ first_value_by(field, 'golden_priority') }}
            as {{ field }},
        {%- endfor %}
        cast(
            {{ first_value_by('birth_date', 'golden_priority') }}
            as date
        ) as birth_date,
        count(*) as record_count,
        cast(sum(case when source_system = 'billing' then 1 else 0 end) as bigint) as billing_account_count,
        cast(sum(case when source_system = 'crm' then 1 else 0 end) as bigint) as crm_record_count

    from prioritized
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
        golden.birth_date,
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
        end as customer_activity

    from golden
    left join customer_orders on golden.customer_id = customer_orders.customer_id

)

select * from final
