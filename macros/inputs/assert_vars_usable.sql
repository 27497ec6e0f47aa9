{#-
    on-run-start: stops the build before any model runs when a var breaks its contract
    (var_contract: its kind and bounds; var_orderings: vars that must not exceed another),
    naming every such var, its value and what to give. Otherwise a cast deep in a model fails
    naming neither (stale_after_days: two years), or the build runs and its figures mean nothing
    (er_match_threshold: 1.5 clusters no pair).
-#}
{% macro assert_vars_usable() %}
    {% if execute %}
        {% set problems = [] %}
        {% set numbers = {} %}
        {% for name, spec in var_contract().items() %}
            {% set problem = var_contract_breach(name) %}
            {% if problem %}
                {% do problems.append(problem) %}
            {% elif spec.kind in ('integer', 'number') %}
                {% do numbers.update({name: var_as_number(var(name), spec.kind == 'integer')}) %}
            {% endif %}
        {% endfor %}
        {% for smaller, larger, why in var_orderings()
            if smaller in numbers and larger in numbers and numbers[smaller] > numbers[larger] %}
            {% do problems.append(
                'The var ' ~ smaller ~ ' (' ~ numbers[smaller] ~ ') is above ' ~ larger ~ ' ('
                ~ numbers[larger] ~ '): give it at most ' ~ larger ~ '; ' ~ why
            ) %}
        {% endfor %}
        {% if problems %}
            {{ exceptions.raise_compiler_error(problems | join('\n')) }}
        {% endif %}
    {% endif %}
    select 1
{% endmacro %}

{#- The var `name`, stopping with what is wrong when it breaks its contract: for vars dbt reads
    while it parses, before assert_vars_usable runs (a test's severity). -#}
{% macro checked_var(name) %}
    {% set problem = var_contract_breach(name) %}
    {% if problem %}
        {{ exceptions.raise_compiler_error(problem) }}
    {% endif %}
    {{ return(var(name)) }}
{% endmacro %}

{#- 'The var <name> is <value>: <what to give>' when the var breaks its contract; '' if not. -#}
{% macro var_contract_breach(name) %}
    {% set value = var(name) %}
    {% set problem = var_problem(value, var_contract()[name]) %}
    {{ return(('The var ' ~ name ~ ' is ' ~ var_shown(value) ~ ': ' ~ problem) if problem else '') }}
{% endmacro %}

{#- What is wrong with `value` for a var of contract `spec`, as what to give instead; '' if nothing. -#}
{% macro var_problem(value, spec) %}
    {% set kind = spec.kind %}
    {% if kind == 'date' %}
        {#- A YAML date (as_of_date: 2026-06-30, unquoted) is a date already. -#}
        {% if (value is none or value == '') and spec.get('optional') %}
            {{ return('') }}
        {% endif %}
        {{ return('' if value is not none and is_iso_date(value | string) else 'give a date as YYYY-MM-DD' ~ spec.get('hint', '')) }}
    {% elif kind in ('integer', 'number') %}
        {% set number = var_as_number(value, kind == 'integer') %}
        {% set in_range = number is not none
            and ('min' not in spec or number >= spec.min)
            and ('max' not in spec or number <= spec.max)
            and ('above' not in spec or number > spec.above) %}
        {{ return('' if in_range else 'give ' ~ ('a whole number' if kind == 'integer' else 'a number') ~ var_range_text(spec)) }}
    {% elif kind == 'boolean' %}
        {{ return('' if value is sameas true or value is sameas false or (value is string and value | lower in ('true', 'false')) else 'give true or false') }}
    {% elif kind == 'choice' %}
        {{ return('' if value in spec.choices else 'give one of: ' ~ spec.choices | join(', ')) }}
    {% elif kind == 'text' %}
        {{ return('' if value is none or value is string else 'give a text') }}
    {% elif kind == 'fields' %}
        {% set give = 'give a list of fields from: ' ~ spec.choices | join(', ') %}
        {% if value is string or value is mapping or value is not iterable %}
            {{ return(give) }}
        {% endif %}
        {% set unknown = [] %}
        {% for field in value if field not in spec.choices %}
            {% do unknown.append("'" ~ field ~ "'") %}
        {% endfor %}
        {{ return((unknown | join(', ') ~ ' is no field it checks; ' ~ give) if unknown else '') }}
    {% elif kind == 'thresholds' and 'keys' in spec %}
        {% if value is not mapping %}
            {{ return('give {' ~ spec['keys'] | join(': {warn: <pct>, error: <pct>}, ') ~ ': {warn: <pct>, error: <pct>}}') }}
        {% endif %}
        {% set found = [] %}
        {% for key, thresholds in value.items() %}
            {% if key not in spec['keys'] %}
                {% do found.append("'" ~ key ~ "' is none of " ~ spec['keys'] | join(', ')) %}
            {% else %}
                {% set problem = thresholds_problem(thresholds) %}
                {% if problem %}
                    {% do found.append("entry '" ~ key ~ "': " ~ problem) %}
                {% endif %}
            {% endif %}
        {% endfor %}
        {{ return(found | join('; ')) }}
    {% elif kind == 'thresholds' %}
        {{ return(thresholds_problem(value)) }}
    {% endif %}
    {{ exceptions.raise_compiler_error('var_contract: unknown kind ' ~ kind) }}
{% endmacro %}

{#- What is wrong with a monitor's {warn: <pct>, error: <pct>}; '' if nothing. Their order is
    the monitor's to check (monitor_rate, match_precision_at_least), when it is parsed. -#}
{% macro thresholds_problem(value) %}
    {% set give = 'give {warn: <pct>, error: <pct>}, percentages from 0 to 100' %}
    {% if value is not mapping %}
        {{ return(give) }}
    {% endif %}
    {% set found = [] %}
    {% for name in value.keys() if name not in ('warn', 'error') %}
        {% do found.append("'" ~ name ~ "' is no threshold") %}
    {% endfor %}
    {% for name in ['warn', 'error'] %}
        {% set number = var_as_number(value[name]) if name in value else none %}
        {% if name not in value %}
            {% do found.append("it has no '" ~ name ~ "' threshold") %}
        {% elif number is none or number < 0 or number > 100 %}
            {% do found.append(name ~ ' is ' ~ var_shown(value[name])) %}
        {% endif %}
    {% endfor %}
    {{ return((found | join(', ') ~ ': ' ~ give) if found else '') }}
{% endmacro %}

{#- The number a var holds (YAML numbers, or text such as '1e-2', which YAML reads as text); none
    when it holds none, or holds no whole number where `whole`. -#}
{% macro var_as_number(value, whole=false) %}
    {% if value is none or value is sameas true or value is sameas false %}
        {{ return(none) }}
    {% elif value is number %}
        {{ return(value if value is integer or not whole else none) }}
    {% elif value is string %}
        {% set pattern = '[+-]?[0-9]+' if whole else '[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?' %}
        {% if modules.re.fullmatch(pattern, value | trim) %}
            {{ return(value | trim | int if whole else value | trim | float) }}
        {% endif %}
    {% endif %}
    {{ return(none) }}
{% endmacro %}

{#- ' from 0 to 1', ' of at least 1', ' above 0' or '' -#}
{% macro var_range_text(spec) %}
    {% if 'min' in spec and 'max' in spec %}
        {{ return(' from ' ~ spec.min ~ ' to ' ~ spec.max) }}
    {% elif 'min' in spec %}
        {{ return(' of at least ' ~ spec.min) }}
    {% elif 'above' in spec %}
        {{ return(' above ' ~ spec.above) }}
    {% endif %}
    {{ return('') }}
{% endmacro %}

{#- A value as the message shows it: text quoted. -#}
{% macro var_shown(value) %}
    {{ return("'" ~ value ~ "'" if value is string else value | string) }}
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
