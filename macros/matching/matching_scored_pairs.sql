{#- Candidate pairs of `records` (standardized person records) scored by `model_document` (a
    matching model from int_matching_models, or none: no pairs) as Splink's predict() scores them:
    the model's blocking rules (each without the pairs of earlier rules, left key < right key),
    comparison levels, term-frequency adjustments and Bayes factors, the prior rescaled to these
    records, pairs below `min_match_probability` dropped. One row per pair: the lean pair table of
    crm_quality.matching.prediction.pair_select_sql (levels and weights, no compared values). -#}
{% macro matching_scored_pairs(records, model_document, min_match_probability, max_key_group_size) %}
{%- set settings = model_document['splink_settings'] if model_document else none %}
{%- set comparisons = settings['comparisons'] if settings else [] %}
{#- Every comparison a pair row reports, in pair-table order (crm_quality.matching.settings.COMPARISONS). #}
{%- set pair_comparisons = ['first_name', 'last_name', 'birth_date', 'email', 'contact_address'] %}
{%- set feature_columns = [
    'record_key', 'source_system', 'first_name_key', 'last_name_key', 'email', 'phone', 'street_key',
    'postal_key', 'city_key', 'birth_date', 'birth_date_text', 'birth_year', 'birth_month', 'birth_day',
    'birth_month_day', 'birth_day_month',
] %}
{%- set double = matching_double() %}
{%- set min_match_probability = min_match_probability | float %}
{%- set tf_columns = [] %}
{%- for comparison in comparisons %}
    {%- for level in comparison['comparison_levels'] %}
        {%- if level.get('tf_adjustment_column') and level['tf_adjustment_column'] not in tf_columns %}
            {%- do tf_columns.append(level['tf_adjustment_column']) %}
        {%- endif %}
    {%- endfor %}
{%- endfor %}
{%- set tf_comparisons = [] %}
{%- for comparison in comparisons %}
    {%- if comparison['comparison_levels'] | selectattr('tf_adjustment_column') | list %}
        {%- do tf_comparisons.append(comparison['output_column_name']) %}
    {%- endif %}
{%- endfor %}
{%- set similarity_calls = matching_similarity_calls(comparisons) %}
{%- set rules = [] %}
{%- for rule in (settings['blocking_rules_to_generate_predictions'] if settings else []) %}
    {%- do rules.append(matching_sql_condition(rule['blocking_rule'])) %}
{%- endfor %}

with

records as (

    select * from {{ records }}

),

-- In postal-code order: records near one another then meet in the blocking joins, which with
-- the comparisons took 40 CPU seconds at a million records against 57 in the stored order.
features as (

    select * from ({{ matching_features('records', max_key_group_size) }}) as unordered
    order by postal_key

),
{%- for column in tf_columns %}

{{ column }}_frequencies as (

    -- Share of the records carrying each value: a common name agreeing is weaker evidence.
    select
        {{ column }},
        cast(count(*) as {{ double }}) / (select count({{ column }}) from features) as tf_{{ column }}
    from features
    where {{ column }} is not null
    group by {{ column }}

),
{%- endfor %}

features_with_frequencies as (

    select
        features.*
        {%- for column in tf_columns %},
        {{ column }}_frequencies.tf_{{ column }}
        {%- endfor %}
    from features
    {%- for column in tf_columns %}
    left join {{ column }}_frequencies
        on features.{{ column }} = {{ column }}_frequencies.{{ column }}
    {%- endfor %}

),

prior as (

    -- The model's prior rescaled from its training records to this build's
    -- (crm_quality.matching.model.settings_for_records).
    select
        {%- if settings %}
        case
            when count(*) > 1 and {{ model_document['training']['record_count'] | int }} > 1
                then least(
                    cast({{ settings['probability_two_random_records_match'] }} as {{ double }})
                    * ({{ model_document['training']['record_count'] | int }} - 1) / (count(*) - 1),
                    0.5
                )
            else least(cast({{ settings['probability_two_random_records_match'] }} as {{ double }}), 0.5)
        end as probability_two_random_records_match
        {%- else %}
        cast(null as {{ double }}) as probability_two_random_records_match
        {%- endif %}
    from features

),

prior_weight as (

    select
        {{ matching_log2('probability_two_random_records_match / (1 - probability_two_random_records_match)') }}
            as match_weight
    from prior

),

blocked_pairs as {{ wide_cte_materialized() }} (

    -- Each blocking rule's pairs that no earlier rule made, left key before right key (Splink),
    -- with the compared columns taken from the join that found them: joining the pairs back to
    -- their records, as Splink does, cost as much again at a million records.
    {%- for rule in rules %}
    select
        {%- for column in feature_columns %}
        l.{{ column }} as {{ column }}_l,
        r.{{ column }} as {{ column }}_r,
        {%- endfor %}
        {%- for column in tf_columns %}
        l.tf_{{ column }} as tf_{{ column }}_l,
        r.tf_{{ column }} as tf_{{ column }}_r,
        {%- endfor %}
        1 as pair
    from features_with_frequencies as l
    inner join features_with_frequencies as r
        on {{ rule }}
    where
        {{ code_point_order('l.record_key') }} < {{ code_point_order('r.record_key') }}
        {%- if not loop.first %}
        and not (
            {%- for earlier in rules[:loop.index0] %}
            coalesce(({{ earlier }}), false){% if not loop.last %} or{% endif %}
            {%- endfor %}
        )
        {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        {%- for column in feature_columns %}
        l.{{ column }} as {{ column }}_l,
        l.{{ column }} as {{ column }}_r,
        {%- endfor %}
        1 as pair
    from features_with_frequencies as l
    where 1 = 0
    {%- endfor %}

),

{%- for call in similarity_calls %}

{{ call.relation }} as (

    -- {{ call.function }} once per distinct pair of values the candidate pairs compare. Grouped,
    -- not a select over a distinct subquery: PostgreSQL pulls such a select up into the query
    -- reading it, and so calls the function again on every candidate pair.
    select
        {{ call.left }} as left_value,
        {{ call.right }} as right_value,
        {{ matching_sql_condition(call.function ~ '(' ~ call.left ~ ', ' ~ call.right ~ ')') }} as similarity
    from blocked_pairs
    where {{ call.left }} is not null and {{ call.right }} is not null
    group by {{ call.left }}, {{ call.right }}

),
{%- endfor %}

comparison_vectors as {{ wide_cte_materialized() }} (

    select
        blocked_pairs.*
        {%- for comparison in comparisons %},
        case
            {%- for numbered in matching_levels(comparison) %}
            {%- if numbered.level['sql_condition'] | trim | upper == 'ELSE' %}
            else {{ numbered.gamma }}
            {%- else %}
            when {{ matching_sql_condition(matching_condition_with_similarities(numbered.level['sql_condition'], similarity_calls)) }} then {{ numbered.gamma }}
            {%- endif %}
            {%- endfor %}
        end as gamma_{{ comparison['output_column_name'] }}
        {%- endfor %}
    from blocked_pairs
    {%- for call in similarity_calls %}
    left join {{ call.relation }}
        on
            blocked_pairs.{{ call.left }} = {{ call.relation }}.left_value
            and blocked_pairs.{{ call.right }} = {{ call.relation }}.right_value
    {%- endfor %}

),

match_weight_parts as (

    select
        comparison_vectors.*
        {%- for comparison in comparisons %}
        {%- set name = comparison['output_column_name'] %},
        case
            {%- for numbered in matching_levels(comparison) %}
            when gamma_{{ name }} = {{ numbered.gamma }} then
                {%- if numbered.level.get('is_null_level') %} cast(0 as {{ double }})
                {%- else %} {{ matching_level_weight(name, numbered.level) }}
                {%- endif %}
            {%- endfor %}
        end as mw_{{ name }}
        {%- if name in tf_comparisons %},
        case
            {%- for numbered in matching_levels(comparison) %}
            {%- set level = numbered.level %}
            {%- if level.get('tf_adjustment_column') and not level.get('is_null_level')
                and level.get('tf_adjustment_weight', 1.0) != 0 and level['sql_condition'] | trim | upper != 'ELSE' %}
            {%- set column = level['tf_adjustment_column'] %}
            when gamma_{{ name }} = {{ numbered.gamma }} and coalesce(tf_{{ column }}_l, tf_{{ column }}_r) is not null
                then cast({{ level.get('tf_adjustment_weight', 1.0) }} as {{ double }}) * (
                    {{ matching_log2('cast(' ~ matching_exact_match_u(comparison, column) ~ ' as ' ~ double ~ ')') }}
                    - {{ matching_log2(
                        'greatest(coalesce(tf_' ~ column ~ '_l, tf_' ~ column ~ '_r), coalesce(tf_' ~ column ~ '_r, tf_'
                        ~ column ~ '_l), cast(' ~ level.get('tf_minimum_u_value', 0.0) ~ ' as ' ~ double ~ '))'
                    ) }}
                )
            {%- endif %}
            {%- endfor %}
            else cast(0 as {{ double }})
        end as mw_tf_adj_{{ name }}
        {%- endif %}
        {%- endfor %}
    from comparison_vectors

),

scored as (

    select
        match_weight_parts.*,
        prior_weight.match_weight
        {%- for comparison in comparisons %}
        + mw_{{ comparison['output_column_name'] }}
        {%- if comparison['output_column_name'] in tf_comparisons %} + mw_tf_adj_{{ comparison['output_column_name'] }}{% endif %}
        {%- endfor %} as match_weight
    from match_weight_parts
    cross join prior_weight

),

final as (

    select
        record_key_l,
        record_key_r,
        source_system_l,
        source_system_r,
        {%- for name in pair_comparisons %}
        {%- set compared = comparisons | selectattr('output_column_name', 'equalto', name) | list %}
        {%- if compared %}
        case
            {%- for numbered in matching_levels(compared[0]) %}
            when gamma_{{ name }} = {{ numbered.gamma }}
                then {{ sql_text_literal('null' if numbered.gamma == -1 else numbered.level.get('label_for_charts', '')) }}
            {%- endfor %}
        end as {{ name }}_level,
        cast(mw_{{ name }}{% if name in tf_comparisons %} + mw_tf_adj_{{ name }}{% endif %} as {{ double }})
            as {{ name }}_match_weight,
        {%- else %}
        -- Not compared on this data (its fields are not populated): no evidence either way.
        'not compared' as {{ name }}_level,
        cast(0 as {{ double }}) as {{ name }}_match_weight,
        {%- endif %}
        {%- endfor %}
        cast(match_weight as {{ double }}) as match_weight,
        cast(
            case
                when match_weight >= 0
                    then 1.0 / (1.0 + power(cast(2 as {{ double }}), -match_weight))
                else power(cast(2 as {{ double }}), match_weight) / (1.0 + power(cast(2 as {{ double }}), match_weight))
            end as {{ double }}
        ) as match_probability
    from scored
    {%- if min_match_probability > 0 %}
    where match_weight >= (
        select {{ matching_log2(min_match_probability ~ ' / (1 - ' ~ min_match_probability ~ ')') }}
    )
    {%- endif %}

)

select * from final
{% endmacro %}
