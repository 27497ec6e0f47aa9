{#-
    The warn and error percentages of a monitor: the test's own arguments when given, else the
    entry `key` (or the whole value, without a key) of the var `var_name`, a mapping
    {warn: <pct>, error: <pct>}.
-#}
{% macro monitor_thresholds(var_name, key=none, warn_pct=none, error_pct=none) %}
    {%- set configured = var(var_name) -%}
    {%- if key is not none -%}
        {%- if key not in configured -%}
            {{ exceptions.raise_compiler_error(
                "Var " ~ var_name ~ " has no thresholds for '" ~ key ~ "' (it has: "
                ~ configured.keys() | join(', ') ~ ")"
            ) }}
        {%- endif -%}
        {%- set configured = configured[key] -%}
    {%- endif -%}
    {#- A mapping given with --vars replaces the default whole: a key left out is missing. -#}
    {%- for name, given in [('warn', warn_pct), ('error', error_pct)]
        if given is none and (configured is not mapping or name not in configured) %}
        {{ exceptions.raise_compiler_error(
            "Var " ~ var_name ~ (" entry '" ~ key ~ "'" if key is not none else "") ~ " has no '"
            ~ name ~ "' threshold: give {warn: <pct>, error: <pct>} (it is " ~ configured ~ ")"
        ) }}
    {%- endfor -%}
    {{ return({
        'warn_pct': warn_pct if warn_pct is not none else configured['warn'],
        'error_pct': error_pct if error_pct is not none else configured['error'],
    }) }}
{% endmacro %}
