{#-
    Fails with every series flagged anomalous in the newest build of an anomaly model such as
    mart_quality_anomalies. Severity comes from var anomaly_test_severity (warn or error).
-#}
{% test no_anomaly_in_latest_build(model, flag_column='is_anomaly', latest_column='is_latest_build') %}
    {{ config(severity=checked_var('anomaly_test_severity')) }}

select * from {{ model }}
where {{ flag_column }} and {{ latest_column }}

{% endtest %}
