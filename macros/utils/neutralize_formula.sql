{#-
    Makes a text value safe to open in a spreadsheet: a value that a spreadsheet would run as
    a formula (starting with =, @, a tab or carriage return, or + or - followed by anything but
    a number) gets a leading apostrophe, which spreadsheets show as plain text. E.164 phones
    (+4930...) and negative numbers stay as they are.
-#}
{% macro neutralize_formula(expression) %}
    {{ return(adapter.dispatch('neutralize_formula', 'crm_quality')(expression)) }}
{% endmacro %}

{% macro default__neutralize_formula(expression) %}
    case
        when
            regexp_matches({{ expression }}, '^[=@\t\r]')
            or regexp_matches({{ expression }}, '^[+-].*[^0-9 .()-]')
            then '''' || {{ expression }}
        else {{ expression }}
    end
{% endmacro %}

{% macro postgres__neutralize_formula(expression) %}
    case
        when {{ expression }} ~ '^[=@\t\r]' or {{ expression }} ~ '^[+-].*[^0-9 .()-]'
            then '''' || {{ expression }}
        else {{ expression }}
    end
{% endmacro %}
