{#-
    Regular expressions and Unicode text, spelled per engine. DuckDB uses RE2, PostgreSQL its
    own ARE engine: both take anchored patterns, bracket classes and (?:...) groups alike, but
    not the same Unicode classes, capture functions or normalization. Patterns passed here
    avoid \d, \s and \w (their reach differs between engines and from Python's).
-#}

{#- True when the whole text matches: pass patterns anchored with ^...$. -#}
{% macro regex_matches(expression, pattern) %}
    {{ return(adapter.dispatch('regex_matches', 'crm_quality')(expression, pattern)) }}
{% endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{#- Every match of `pattern` replaced (backreferences as \1). -#}
{% macro regex_replace_all(expression, pattern, replacement) %}
    {{ return(adapter.dispatch('regex_replace_all', 'crm_quality')(expression, pattern, replacement)) }}
{% endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#-
    All capture groups of one match at once (one regex run per value, not one per group):
    DuckDB gives a struct named by `names`, PostgreSQL a text array. Read a group with
    regex_captured; a group that took no part in the match reads as null on both.
-#}
{% macro regex_captures(expression, pattern, names) %}
    {{ return(adapter.dispatch('regex_captures', 'crm_quality')(expression, pattern, names)) }}
{% endmacro %}

{% macro default__regex_captures(expression, pattern, names) -%}
    regexp_extract({{ expression }}, '{{ pattern }}', [{% for name in names %}'{{ name }}'{{ ", " if not loop.last }}{% endfor %}])
{%- endmacro %}

{% macro postgres__regex_captures(expression, pattern, names) -%}
    regexp_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro regex_captured(captures, names, name) %}
    {{ return(adapter.dispatch('regex_captured', 'crm_quality')(captures, names, name)) }}
{% endmacro %}

{% macro default__regex_captured(captures, names, name) -%}
    {#- RE2 yields '' for a group that did not take part; every group here captures text. -#}
    nullif(struct_extract({{ captures }}, '{{ name }}'), '')
{%- endmacro %}

{% macro postgres__regex_captured(captures, names, name) -%}
    ({{ captures }})[{{ names.index(name) + 1 }}]
{%- endmacro %}

{#- Inside a bracket expression: any letter / any letter or digit of any script. -#}
{% macro regex_letter_class() %}
    {{ return(adapter.dispatch('regex_letter_class', 'crm_quality')()) }}
{% endmacro %}

{% macro default__regex_letter_class() -%}
    \pL\p{Nl}\p{No}
{%- endmacro %}

{% macro postgres__regex_letter_class() -%}
    [:alpha:]
{%- endmacro %}

{% macro regex_alnum_class() %}
    {{ return(adapter.dispatch('regex_alnum_class', 'crm_quality')()) }}
{% endmacro %}

{% macro default__regex_alnum_class() -%}
    \pL\pN
{%- endmacro %}

{% macro postgres__regex_alnum_class() -%}
    [:alnum:]
{%- endmacro %}

{#- Unicode canonical composition (NFC), as Python's unicodedata.normalize('NFC', ...). -#}
{% macro unicode_nfc(expression) %}
    {{ return(adapter.dispatch('unicode_nfc', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__unicode_nfc(expression) -%}
    nfc_normalize({{ expression }})
{%- endmacro %}

{% macro postgres__unicode_nfc(expression) -%}
    normalize({{ expression }}, nfc)
{%- endmacro %}

{#-
    Decimal digits of every script as ASCII digits: Python's \d and int() read '٢٠٢٣' and
    full-width '２０２３' as 2023, so the date and amount patterns (ASCII [0-9]) see them so.
    The zeros of Unicode's 66 decimal digit runs (category Nd, Unicode 14 as Python 3.11);
    each run holds 0-9 in order.
-#}
{% macro ascii_digits(expression) -%}
    {%- set zeros = [
        1632, 1776, 1984, 2406, 2534, 2662, 2790, 2918, 3046, 3174, 3302, 3430, 3558, 3664, 3792,
        3872, 4160, 4240, 6112, 6160, 6470, 6608, 6784, 6800, 6992, 7088, 7232, 7248, 42528,
        43216, 43264, 43472, 43504, 43600, 44016, 65296, 66720, 68912, 69734, 69872, 69942,
        70096, 70384, 70736, 70864, 71248, 71360, 71472, 71904, 72016, 72784, 73040, 73120,
        92768, 92864, 93008, 120782, 120792, 120802, 120812, 120822, 123200, 123632, 125264,
        130032,
    ] -%}
    {%- set digits = namespace(other='', ascii='') -%}
    {%- for zero in zeros -%}
        {%- for digit in range(10) -%}
            {%- set digits.other = digits.other ~ ('%c' | format(zero + digit)) -%}
            {%- set digits.ascii = digits.ascii ~ digit -%}
        {%- endfor -%}
    {%- endfor -%}
    {#- translate() with a 660-character map is slow per value: ASCII text skips it. -#}
    case
        when {{ regex_matches(expression, '^[ -~]*$') }} then {{ expression }}
        else translate({{ expression }}, '{{ digits.other }}', '{{ digits.ascii }}')
    end
{%- endmacro %}
