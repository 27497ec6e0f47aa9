{#-
    Stops the build before any model runs when a var that names a date is no date as
    YYYY-MM-DD, naming the var and its value (`make build AS_OF=…` sets as_of_date). Otherwise a
    cast deep in a model fails, naming neither, or the training step's date parse does.
-#}
{% macro assert_date_vars_usable() %}
    {% if execute %}
        {% for name in ['as_of_date', 'min_birth_date', 'min_order_date'] %}
            {% set value = var(name) %}
            {#- A YAML date (as_of_date: 2026-06-30, unquoted) is a date already. -#}
            {% if value is not none and value != '' and not is_iso_date(value | string) %}
                {{ exceptions.raise_compiler_error(
                    "The var " ~ name ~ " is '" ~ value ~ "': give a date as YYYY-MM-DD"
                    ~ (" (make build AS_OF=…), or none for today" if name == 'as_of_date' else '')
                ) }}
            {% endif %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}

{#- Whether text is a calendar date written YYYY-MM-DD (2026-02-30 is not). -#}
{% macro is_iso_date(text) %}
    {% set parts = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', text) %}
    {% if not parts %}
        {{ return(false) }}
    {% endif %}
    {% set year, month, day = parts.group(1) | int, parts.group(2) | int, parts.group(3) | int %}
    {% if year < 1 or month < 1 or month > 12 or day < 1 %}
        {{ return(false) }}
    {% endif %}
    {% if month == 12 %}
        {{ return(day <= 31) }}
    {% endif %}
    {% set last_of_month = modules.datetime.date(year, month + 1, 1) - modules.datetime.timedelta(days=1) %}
    {{ return(day <= last_of_month.day) }}
{% endmacro %}
