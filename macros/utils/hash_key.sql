{#- A deterministic text hash of several expressions, for tie-breaks and surrogate keys. -#}
{% macro hash_key(expressions) %}
    {{ return(adapter.dispatch('hash_key', 'crm_quality')(expressions)) }}
{% endmacro %}

{% macro default__hash_key(expressions) %}
    md5(
        {%- for expression in expressions %}
            coalesce(cast({{ expression }} as {{ dbt.type_string() }}), '~null~')
            {%- if not loop.last %} || '|' || {% endif %}
        {%- endfor %}
    )
{% endmacro %}
