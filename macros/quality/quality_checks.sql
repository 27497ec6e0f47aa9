{#-
    The catalog of data-quality checks: one entry per source_system × dimension × defect type ×
    field. The check models generate their SQL from it and mart_defect_rate reports every
    entry, with zero counts when nothing was checked, so an empty input still yields the grid.
    `column` is the standardized column a check reads when it differs from the field name.
-#}
{% macro quality_checks() %}
    {% set checks = [] %}
    {% for source_system, id_field in [('crm', 'contact_id'), ('billing', 'account_id')] %}
        {% do checks.append({
            'source_system': source_system, 'quality_dimension': 'completeness', 'defect_type': 'missing',
            'field': id_field, 'column': 'source_id', 'rule': id_field ~ ' is empty'}) %}
        {% do checks.append({
            'source_system': source_system, 'quality_dimension': 'uniqueness', 'defect_type': 'duplicate_id',
            'field': id_field, 'column': 'source_id', 'rule': id_field ~ ' repeats the id of another row'}) %}
        {% for field in var('required_fields') %}
            {% do checks.append({
                'source_system': source_system, 'quality_dimension': 'completeness', 'defect_type': 'missing',
                'field': field, 'column': field, 'rule': field ~ ' is empty or a placeholder'}) %}
        {% endfor %}
    {% endfor %}
    {% set validity_rules = {
        'email': 'email is not a syntactically valid address',
        'phone': 'phone is not a valid number for its country; a national number on a record without a'
            ~ ' resolvable country is judged for the country most records of the same customer carry'
            ~ ' (billing first on ties), and left out when there is none',
        'country': 'country does not resolve to an ISO 3166-1 code',
        'birth_date': 'birth_date is unparseable, after as_of_date, before ' ~ var('min_birth_date')
            ~ ' or over ' ~ var('max_age_years') ~ ' years ago',
    } %}
    {% for source_system in ['crm', 'billing'] %}
        {% for field, rule in validity_rules.items() %}
            {% do checks.append({
                'source_system': source_system, 'quality_dimension': 'validity', 'defect_type': 'invalid',
                'field': field, 'column': field, 'rule': rule}) %}
        {% endfor %}
    {% endfor %}
    {% for field in ['created_at', 'updated_at'] %}
        {% do checks.append({
            'source_system': 'crm', 'quality_dimension': 'validity', 'defect_type': 'invalid',
            'field': field, 'column': field, 'rule': field ~ ' is unparseable or more than '
                ~ var('future_slack_days') ~ ' day(s) after as_of_date'}) %}
    {% endfor %}
    {% do checks.append({
        'source_system': 'billing', 'quality_dimension': 'validity', 'defect_type': 'invalid',
        'field': 'opened_at', 'column': 'created_at', 'rule': 'opened_at is unparseable or more than '
            ~ var('future_slack_days') ~ ' day(s) after as_of_date'}) %}
    {% for field in ['email', 'phone', 'country', 'birth_date'] %}
        {% do checks.append({
            'source_system': 'crm', 'quality_dimension': 'accuracy', 'defect_type': 'inaccurate',
            'field': field, 'column': field,
            'rule': 'valid ' ~ field ~ ' differs from every valid billing value of the same customer'}) %}
    {% endfor %}
    {% do checks.append({
        'source_system': 'crm', 'quality_dimension': 'uniqueness', 'defect_type': 'duplicate',
        'field': 'record', 'column': 'record_key',
        'rule': 'another CRM record of the same customer survives (see the survivorship rules)'}) %}
    {#- Timeliness is judged on the last known touch: updated_at, else created_at (many CRMs
        leave updated_at empty until the first edit). Both checks live in
        int_quality_checks_timeliness and cover every CRM record. #}
    {% do checks.append({
        'source_system': 'crm', 'quality_dimension': 'timeliness', 'defect_type': 'stale',
        'field': 'last_touched_at', 'column': 'last_touched_at',
        'rule': 'last touched (valid updated_at, else valid created_at) more than ' ~ var('stale_after_days')
            ~ ' days ago, or never validly recorded (freshness unknown)'}) %}
    {% do checks.append({
        'source_system': 'crm', 'quality_dimension': 'completeness', 'defect_type': 'missing',
        'field': 'last_touched_at', 'column': 'last_touched_at',
        'rule': 'both updated_at and created_at are empty or a placeholder'}) %}
    {% for source_system in ['crm', 'billing', 'orders'] %}
        {% do checks.append({
            'source_system': source_system, 'quality_dimension': 'validity', 'defect_type': 'unparseable',
            'field': 'record', 'column': 'record',
            'rule': 'the raw row could not be parsed as a CSV row and was quarantined'}) %}
    {% endfor %}
    {% set order_checks = [
        ('completeness', 'missing', 'order_id', 'order_id is empty'),
        ('uniqueness', 'duplicate_id', 'order_id', 'order_id repeats the id of another row'),
        ('completeness', 'missing', 'account_id', 'account_id is empty'),
        ('validity', 'invalid', 'account_id', 'account_id matches no billing account'),
        ('completeness', 'missing', 'order_date', 'order_date is empty'),
        ('validity', 'invalid', 'order_date', 'order_date is unparseable, more than '
            ~ var('future_slack_days') ~ ' day(s) after as_of_date or before ' ~ var('min_order_date')),
        ('completeness', 'missing', 'amount', 'amount is empty'),
        ('validity', 'invalid', 'amount', "amount is negative or not a number written as 1234.5, "
            ~ "1,234.50 / 1.234,50 (the rightmost separator is the decimal one, the other groups "
            ~ "threes), 1,234,567 or 12,5; a single separator before exactly three digits "
            ~ "(1,234) is ambiguous and invalid"),
        ('completeness', 'missing', 'currency', 'currency is empty'),
        ('validity', 'invalid', 'currency', 'currency is not an ISO 4217 code'),
    ] %}
    {% for dimension, defect_type, field, rule in order_checks %}
        {% do checks.append({
            'source_system': 'orders', 'quality_dimension': dimension, 'defect_type': defect_type,
            'field': field, 'column': field, 'rule': rule}) %}
    {% endfor %}
    {{ return(checks) }}
{% endmacro %}

{#- The catalog entries matching every given attribute, e.g. quality_checks_where(quality_dimension='validity'). -#}
{% macro quality_checks_where(source_system=none, quality_dimension=none) %}
    {% set selected = [] %}
    {% for check in quality_checks() %}
        {% if (source_system is none or check.source_system == source_system)
            and (quality_dimension is none or check.quality_dimension == quality_dimension) %}
            {% do selected.append(check) %}
        {% endif %}
    {% endfor %}
    {{ return(selected) }}
{% endmacro %}
