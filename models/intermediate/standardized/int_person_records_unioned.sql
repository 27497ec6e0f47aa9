-- CRM contacts and billing accounts in one shape, so standardization and matching run once
-- over both. A new CRM collection channel only needs its staging model added here.
with

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

billing_customers as (

    select * from {{ ref('stg_billing__customers') }}

),

crm_records as (

    select
        'crm:' || source_record_id as record_key,
        'crm' as source_system,
        source_record_id,
        contact_id as source_id,
        source_channel,
        first_name_raw,
        last_name_raw,
        email_raw,
        phone_raw,
        street_address_raw,
        city_raw,
        postal_code_raw,
        country_raw,
        birth_date_raw,
        company_name_raw,
        cast(null as {{ dbt.type_string() }}) as account_status,
        created_at_raw,
        updated_at_raw

    from crm_contacts

),

billing_records as (

    select
        'billing:' || source_record_id as record_key,
        'billing' as source_system,
        source_record_id,
        account_id as source_id,
        'billing' as source_channel,
        first_name_raw,
        last_name_raw,
        email_raw,
        phone_raw,
        street_address_raw,
        city_raw,
        postal_code_raw,
        country_raw,
        birth_date_raw,
        cast(null as {{ dbt.type_string() }}) as company_name_raw,
        account_status,
        opened_at_raw as created_at_raw,
        cast(null as {{ dbt.type_string() }}) as updated_at_raw

    from billing_customers

),

unioned as (

    select * from crm_records
    union all
    select * from billing_records

)

select * from unioned
