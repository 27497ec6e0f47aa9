{#-
    What each var of dbt_project.yml may hold: the one list assert_vars_usable checks before a
    build runs (python_checks/unit/test_var_contract.py holds it to dbt_project.yml's vars and to
    crm_quality.settings). Bounds are inclusive; `above` excludes its bound. Written as Python
    literals, which Jinja reads too, so the test can read it without dbt.
-#}
{% macro var_contract() %}
{{ return({
    'as_of_date': {'kind': 'date', 'optional': True, 'hint': ' (make build AS_OF=…), or none for today'},
    'required_fields': {'kind': 'fields', 'choices': ['first_name', 'last_name', 'email', 'phone', 'street_address', 'city', 'postal_code', 'country', 'birth_date']},
    'stale_after_days': {'kind': 'integer', 'min': 0},
    'min_birth_date': {'kind': 'date'},
    'max_age_years': {'kind': 'integer', 'min': 1},
    'min_order_date': {'kind': 'date'},
    'future_slack_days': {'kind': 'integer', 'min': 0},
    'max_exact_key_group_size': {'kind': 'integer', 'min': 1},
    'er_retrain': {'kind': 'boolean'},
    'er_train_on_labels': {'kind': 'boolean'},
    'er_label_pseudo_count': {'kind': 'number', 'min': 0},
    'er_min_fill_rate': {'kind': 'number', 'min': 0, 'max': 1},
    'er_max_pairs_per_record': {'kind': 'number', 'above': 0},
    'er_model_path': {'kind': 'text'},
    'er_match_threshold': {'kind': 'number', 'min': 0, 'max': 1},
    'er_conservative_match_threshold': {'kind': 'number', 'min': 0, 'max': 1},
    'er_lenient_match_threshold': {'kind': 'number', 'min': 0, 'max': 1},
    'er_pair_min_match_probability': {'kind': 'number', 'min': 0, 'max': 1},
    'er_near_miss_min_probability': {'kind': 'number', 'min': 0, 'max': 1},
    'er_max_cluster_size': {'kind': 'integer', 'min': 1},
    'review_sample_size': {'kind': 'integer', 'min': 1},
    'review_sample_seed': {'kind': 'integer'},
    'active_customer_days': {'kind': 'integer', 'min': 0},
    'monitor_defect_rate_pct': {'kind': 'thresholds', 'keys': ['all', 'completeness', 'validity', 'accuracy', 'uniqueness', 'timeliness']},
    'monitor_shortage_rate_pct': {'kind': 'thresholds'},
    'monitor_null_rate_pct': {'kind': 'thresholds'},
    'monitor_match_precision_pct': {'kind': 'thresholds'},
    'monitor_failure_rows_kept': {'kind': 'integer', 'min': 0},
    'anomaly_baseline_builds': {'kind': 'integer', 'min': 1},
    'anomaly_min_history': {'kind': 'integer', 'min': 1},
    'anomaly_threshold': {'kind': 'number', 'min': 0},
    'anomaly_min_departure_pct': {'kind': 'number', 'min': 0},
    'anomaly_min_denominator': {'kind': 'integer', 'min': 0},
    'anomaly_rebaseline_builds': {'kind': 'integer', 'min': 1},
    'anomaly_test_severity': {'kind': 'choice', 'choices': ['warn', 'error']},
}) }}
{% endmacro %}

{#- Vars that must not exceed another: (smaller, larger, why). -#}
{% macro var_orderings() %}
{{ return([
    ('er_lenient_match_threshold', 'er_match_threshold', "the shortage's low bound clusters more leniently than its headline"),
    ('er_match_threshold', 'er_conservative_match_threshold', "the shortage's high bound clusters more strictly than its headline"),
    ('er_pair_min_match_probability', 'er_lenient_match_threshold', 'pairs below er_pair_min_match_probability are dropped before clustering'),
    ('er_pair_min_match_probability', 'er_near_miss_min_probability', 'pairs below er_pair_min_match_probability are dropped before near misses are found'),
    ('anomaly_min_history', 'anomaly_baseline_builds', 'a baseline holds at most anomaly_baseline_builds builds, so a longer history is never reached'),
]) }}
{% endmacro %}
