{#-
    The check models, by the relation each prepares and renders (render_quality_checks): every
    catalog check reads one of these relations. rows_read comes first: every row read, the spine
    the others join to (int_quality_check_outcomes).
-#}
{% macro quality_check_models() %}
    {{ return({
        'rows_read': 'int_quality_checks_raw_rows',
        'person_record_ids': 'int_quality_checks_record_ids',
        'person_fields': 'int_quality_checks_fields',
        'crm_billing_comparisons': 'int_quality_checks_accuracy',
        'resolved_records': 'int_quality_checks_uniqueness',
        'crm_touches': 'int_quality_checks_timeliness',
        'orders_enriched': 'int_quality_checks_orders',
    }) }}
{% endmacro %}
