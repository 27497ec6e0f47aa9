-- Orders: ids present and unique, the account known to billing, and date, amount and
-- currency present and valid. Validity is judged only where a value is present; date and
-- amount carry the status int_orders_standardized gave them.
{%- set checks_by_key = {
    'completeness/missing/order_id': ('true', 'order_id is null', 'order_id'),
    'uniqueness/duplicate_id/order_id': ('true', 'order_id is not null and id_occurrence > 1', 'order_id'),
    'completeness/missing/account_id': ('true', 'account_id is null', 'account_id'),
    'validity/invalid/account_id': ('account_id is not null', 'not has_billing_account', 'account_id'),
    'completeness/missing/order_date': ('true', "order_date_status = 'missing'", 'order_date_raw'),
    'validity/invalid/order_date': ("order_date_status != 'missing'", "order_date_status = 'invalid'", 'order_date_raw'),
    'completeness/missing/amount': ('true', "amount_status = 'missing'", 'amount_raw'),
    'validity/invalid/amount': ("amount_status != 'missing'", "amount_status = 'invalid'", 'amount_raw'),
    'completeness/missing/currency': ('true', 'currency is null', 'currency'),
    'validity/invalid/currency': ('currency is not null', 'not is_known_currency', 'currency'),
} %}
with

enriched as (

    select * from {{ ref('int_orders_enriched') }}

),

checks as (

    {%- for check in quality_checks_where(source_system='orders') if check.field != 'record' %}
    {%- set applies, defective, raw_column = checks_by_key[
        check.quality_dimension ~ '/' ~ check.defect_type ~ '/' ~ check.field] %}

    select
        {{ quality_check_columns(
            check,
            is_defective='coalesce(' ~ defective ~ ', false)',
            raw_value='cast(' ~ raw_column ~ ' as ' ~ dbt.type_string() ~ ')',
            source_system="'orders'",
            source_channel="'billing'",
        ) }}

    from enriched
    where
        {{ applies }}
        and {{ field_is_collected(check) }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from checks
