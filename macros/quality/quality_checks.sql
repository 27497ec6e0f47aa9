{#-
    The catalog of data-quality checks, the one place each check is defined: one entry per
    source_system × dimension × defect type × field, with its labels and rule text and the SQL it
    runs (see quality_check). The check models render it (render_quality_checks), mart_defect_rate
    reports every entry (zero counts when nothing was checked, so an empty input still yields the
    grid) and docs/quality_checks.md lists it (make docs-checks).
-#}
{% macro quality_checks() %}
    {% set checks = [] %}
    {#- A phone counts with the status int_phones_rejudged gave it where it had no country of its own. -#}
    {% set status_columns = {'phone': 'judged_phone_status'} %}
    {% for source_system, id_field in [('crm', 'contact_id'), ('billing', 'account_id')] %}
        {% do checks.append(quality_check(
            source_system, 'completeness', 'missing', id_field, rule=id_field ~ ' is empty',
            relation='person_record_ids', column='source_id',
            is_defective='source_id is null', raw_value='source_id')) %}
        {% do checks.append(quality_check(
            source_system, 'uniqueness', 'duplicate_id', id_field, rule=id_field ~ ' repeats the id of another row',
            relation='person_record_ids', column='source_id',
            is_defective='source_id is not null and id_occurrence > 1', raw_value='source_id')) %}
        {% for field in var('required_fields') %}
            {% do checks.append(quality_check(
                source_system, 'completeness', 'missing', field, rule=field ~ ' is empty or a placeholder',
                relation='person_fields',
                is_defective=status_columns.get(field, field ~ '_status') ~ " = 'missing'",
                raw_value=field ~ '_raw')) %}
        {% endfor %}
    {% endfor %}
    {#- Validity is judged only where a value is present, so a missing value counts once (as
        missing); a phone still 'unverifiable' after re-judging is left out. -#}
    {% set validity_rules = {
        'email': 'email is not a syntactically valid address',
        'phone': 'phone is not a valid number for its country; a national number on a record without a'
            ~ ' resolvable country is judged for the country most records of the same customer carry'
            ~ ' (billing first on ties), and left out when there is none',
        'country': 'country does not resolve to an ISO 3166-1 code',
        'birth_date': 'birth_date is unparseable, after as_of_date, before ' ~ var('min_birth_date')
            ~ ' or over ' ~ var('max_age_years') ~ ' years ago',
    } %}
    {% set date_rule = ' is unparseable or more than ' ~ var('future_slack_days') ~ ' day(s) after as_of_date' %}
    {% set validity_fields = [] %}
    {% for source_system in ['crm', 'billing'] %}
        {% for field, rule in validity_rules.items() %}
            {% do validity_fields.append((source_system, field, field, rule)) %}
        {% endfor %}
    {% endfor %}
    {% for field in ['created_at', 'updated_at'] %}
        {% do validity_fields.append(('crm', field, field, field ~ date_rule)) %}
    {% endfor %}
    {% do validity_fields.append(('billing', 'opened_at', 'created_at', 'opened_at' ~ date_rule)) %}
    {% for source_system, field, column, rule in validity_fields %}
        {% set status = status_columns.get(column, column ~ '_status') %}
        {% do checks.append(quality_check(
            source_system, 'validity', 'invalid', field, rule=rule, relation='person_fields', column=column,
            applies_when=status ~ " not in ('missing', 'unverifiable')",
            is_defective=status ~ " = 'invalid'", raw_value=column ~ '_raw')) %}
    {% endfor %}
    {#- Accuracy compares a valid CRM value with the valid billing values of the same customer
        (billing_<field>_values, billing_<field>_matches: int_quality_checks_accuracy). -#}
    {% for field in ['email', 'phone', 'country', 'birth_date'] %}
        {% set column = 'judged_phone' if field == 'phone' else field %}
        {% do checks.append(quality_check(
            'crm', 'accuracy', 'inaccurate', field,
            rule='valid ' ~ field ~ ' differs from every valid billing value of the same customer',
            relation='crm_billing_comparisons', column=column,
            applies_when=column ~ ' is not null and billing_' ~ field ~ '_values > 0',
            is_defective='billing_' ~ field ~ '_matches = 0', raw_value=field ~ '_raw')) %}
    {% endfor %}
    {% do checks.append(quality_check(
        'crm', 'uniqueness', 'duplicate', 'record',
        rule='another CRM record of the same customer survives (see the survivorship rules)',
        relation='resolved_records', column='record_key',
        is_defective='survivor_rank > 1', raw_value='customer_id')) %}
    {#- Timeliness is judged on the last known touch: updated_at, else created_at (many CRMs
        leave updated_at empty until the first edit); without a valid touch a record is stale. -#}
    {% do checks.append(quality_check(
        'crm', 'timeliness', 'stale', 'last_touched_at',
        rule='last touched (valid updated_at, else valid created_at) more than ' ~ var('stale_after_days')
            ~ ' days ago, or never validly recorded (freshness unknown)',
        relation='crm_touches',
        is_defective='coalesce(cast(last_touched_at as date) < '
            ~ dbt.dateadd('day', -1 * var('stale_after_days'), as_of_date()) ~ ', true)',
        raw_value='last_touched_at_raw')) %}
    {% do checks.append(quality_check(
        'crm', 'completeness', 'missing', 'last_touched_at',
        rule='both updated_at and created_at are empty or a placeholder',
        relation='crm_touches',
        is_defective="updated_at_status = 'missing' and created_at_status = 'missing'",
        raw_value='last_touched_at_raw')) %}
    {% for source_system in ['crm', 'billing', 'orders'] %}
        {% do checks.append(quality_check(
            source_system, 'validity', 'unparseable', 'record',
            rule='the raw row could not be parsed as a CSV row and was quarantined',
            relation='rows_read', is_defective='is_quarantined', raw_value='raw_text')) %}
    {% endfor %}
    {#- Orders: (dimension, defect type, field, rule, applies_when, is_defective, raw value). -#}
    {% set order_checks = [
        ('completeness', 'missing', 'order_id', 'order_id is empty', 'true', 'order_id is null', 'order_id'),
        ('uniqueness', 'duplicate_id', 'order_id', 'order_id repeats the id of another row',
            'true', 'order_id is not null and id_occurrence > 1', 'order_id'),
        ('completeness', 'missing', 'account_id', 'account_id is empty', 'true', 'account_id is null', 'account_id'),
        ('validity', 'invalid', 'account_id', 'account_id matches no billing account',
            'account_id is not null', 'not has_billing_account', 'account_id'),
        ('completeness', 'missing', 'order_date', 'order_date is empty',
            'true', "order_date_status = 'missing'", 'order_date_raw'),
        ('validity', 'invalid', 'order_date', 'order_date is unparseable, more than '
            ~ var('future_slack_days') ~ ' day(s) after as_of_date or before ' ~ var('min_order_date'),
            "order_date_status != 'missing'", "order_date_status = 'invalid'", 'order_date_raw'),
        ('completeness', 'missing', 'amount', 'amount is empty', 'true', "amount_status = 'missing'", 'amount_raw'),
        ('validity', 'invalid', 'amount', "amount is negative or not a number written as 1234.5, "
            ~ "1,234.50 / 1.234,50 (the rightmost separator is the decimal one, the other groups "
            ~ "threes), 1,234,567 or 12,5; a single separator before exactly three digits "
            ~ "(1,234) is ambiguous and invalid",
            "amount_status != 'missing'", "amount_status = 'invalid'", 'amount_raw'),
        ('completeness', 'missing', 'currency', 'currency is empty', 'true', 'currency is null', 'currency'),
        ('validity', 'invalid', 'currency', 'currency is not an ISO 4217 code',
            'currency is not null', 'not is_known_currency', 'currency'),
    ] %}
    {% for dimension, defect_type, field, rule, applies_when, is_defective, raw_value in order_checks %}
        {% do checks.append(quality_check(
            'orders', dimension, defect_type, field, rule=rule, relation='orders_enriched',
            applies_when=applies_when, is_defective=is_defective,
            raw_value=raw_value)) %}
    {% endfor %}
    {{ return(quality_checks_validated(checks)) }}
{% endmacro %}

{#- The catalog entries matching every given attribute, e.g. quality_checks_where(quality_dimension='validity'). -#}
{% macro quality_checks_where(source_system=none, quality_dimension=none, relation=none) %}
    {% set selected = [] %}
    {% for check in quality_checks() %}
        {% if (source_system is none or check.source_system == source_system)
            and (quality_dimension is none or check.quality_dimension == quality_dimension)
            and (relation is none or check.relation == relation) %}
            {% do selected.append(check) %}
        {% endif %}
    {% endfor %}
    {{ return(selected) }}
{% endmacro %}
