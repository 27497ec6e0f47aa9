{#- Unicode primitives that each engine spells differently. Anything whose result depends on
    the engine's Unicode tables or locale (NFKC, case folding, letter classes) is not done
    here but looked up in the unicode_characters seed, so every engine agrees. -#}

{#- Canonical composition (NFC); both engines ship it. -#}
{% macro nfc(expression) %}
    {{ return(adapter.dispatch('nfc', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__nfc(expression) %}nfc_normalize({{ expression }}){% endmacro %}

{% macro postgres__nfc(expression) %}normalize({{ expression }}, nfc){% endmacro %}

{#- True when the text is plain ASCII (one byte per character): such text skips the
    per-character lookups. -#}
{% macro is_ascii(expression) %}
    {{ return(adapter.dispatch('is_ascii', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__is_ascii(expression) %}(strlen({{ expression }}) = length({{ expression }})){% endmacro %}

{% macro postgres__is_ascii(expression) %}(octet_length({{ expression }}) = char_length({{ expression }})){% endmacro %}

{#- The code point of a one-character string. -#}
{% macro code_point(expression) %}
    {{ return(adapter.dispatch('code_point', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__code_point(expression) %}unicode({{ expression }}){% endmacro %}

{% macro postgres__code_point(expression) %}ascii({{ expression }}){% endmacro %}

{#- A regex bracket expression of code point ranges [(low, high), ...], written with the
    engine's escapes so the SQL file holds no invisible characters. -#}
{% macro unicode_class(ranges, negated=false) %}
    {%- set parts = [] -%}
    {%- for low, high in ranges -%}
        {%- do parts.append(unicode_escape(low) ~ ('-' ~ unicode_escape(high) if high != low else '')) -%}
    {%- endfor -%}
    {{- '[' ~ ('^' if negated else '') ~ parts | join('') ~ ']' -}}
{% endmacro %}

{% macro unicode_escape(code_point) %}
    {{- return(adapter.dispatch('unicode_escape', 'crm_quality')(code_point)) -}}
{% endmacro %}

{% macro default__unicode_escape(code_point) %}{{ return('\\x{%04X}' | format(code_point)) }}{% endmacro %}

{% macro postgres__unicode_escape(code_point) %}
    {{- return(('\\u%04X' | format(code_point)) if code_point < 65536 else ('\\U%08X' | format(code_point))) -}}
{% endmacro %}
