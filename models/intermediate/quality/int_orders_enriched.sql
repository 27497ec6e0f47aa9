-- Orders with what their catalog checks need, computed once (a table, so the checks of
-- int_quality_checks_orders scan it instead of re-running the joins and the window): the record
-- identity every check row carries, whether billing knows the account (in the billing source
-- the orders source names) and the currency, and id_occurrence numbering the orders sharing an
-- id (by record id).
{{ config(
    uncompressed_columns=['source_record_id', 'order_id', 'record_key'],
) }}
with

orders as (

    select * from {{ ref('int_orders_standardized') }}

),

billing_accounts as (

    -- Each account id under its billing source, and once more under '' for orders whose
    -- source names no billing source (any one's account counts).
    select distinct
        source_name as billing_source_name,
        account_id
    from {{ ref('stg_billing__customers') }}
    where account_id is not null

    union all

    select distinct
        '' as billing_source_name,
        account_id
    from {{ ref('stg_billing__customers') }}
    where account_id is not null

),

currencies as (

    select * from {{ ref('currencies') }}

),

joined as (

    select
        orders.*,
        orders.source_name || ':' || orders.source_record_id as record_key,
        'orders' as source_system,
        'billing' as source_channel,
        billing_accounts.account_id is not null as has_billing_account,
        currencies.currency_code is not null as is_known_currency

    from orders
    left join billing_accounts
        on
            orders.account_id = billing_accounts.account_id
            and coalesce(orders.billing_source_name, '') = billing_accounts.billing_source_name
    left join currencies on orders.currency = currencies.currency_code

),

enriched as (

    -- Only orders whose id repeats are numbered: a window over every order cost a fifth of
    -- this model at a million customers.
    select
        *,
        cast(1 as {{ dbt.type_bigint() }}) as id_occurrence
    from joined
    where not is_id_repeated

    union all

    select
        *,
        row_number() over (
            partition by source_name, order_id
            order by {{ code_point_order('source_record_id') }}
        ) as id_occurrence
    from joined
    where is_id_repeated

)

select * from enriched
