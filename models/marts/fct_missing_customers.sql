-- One row per actual customer the CRM lacks, with the best-known contact details and
-- the last order: the worklist for data collection.
with

customers as (

    select * from {{ ref('dim_customers') }}

),

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

accounts as (

    select
        customer_id,
        {{ list_agg('coalesce(source_id, source_record_id)', 'coalesce(source_id, source_record_id)') }}
            as billing_account_ids

    from records
    where source_system = 'billing'
    group by customer_id

),

final as (

    select
        customers.customer_id,
        customers.first_name,
        customers.last_name,
        customers.email,
        customers.phone,
        customers.street_address,
        customers.city,
        customers.postal_code,
        customers.country,
        accounts.billing_account_ids,
        customers.billing_account_count,
        customers.order_count,
        customers.last_order_date,
        customers.customer_activity

    from customers
    inner join accounts on customers.customer_id = accounts.customer_id
    where customers.is_actual_customer and not customers.is_in_crm

)

select * from final
