{#-
    Whether a data test's rows go to the audit schema (with store_failures): when it found any,
    when it warned or failed, and always for a monitor (its one measured row). The test
    materialization stores by it, and the on-run-end hook names the table by it.
-#}
{% macro failing_rows_stored(meta, failures, flagged) %}
    {{ return(
        failures not in (0, none)
        or flagged
        or (meta or {}).get('monitor', false) is sameas true
    ) }}
{% endmacro %}
