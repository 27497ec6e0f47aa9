{#- The match-probability band of a scored pair, from the threshold vars: the review queue
    samples by it and the precision estimate weighs by it, so both read this one definition.
    below_lenient [er_pair_min_match_probability, lenient), lenient_to_headline [lenient,
    headline), headline_to_conservative [headline, conservative), conservative [conservative, 1].
    The two middle bands are the uncertain band the review queue over-samples. -#}
{% macro match_band(probability_column) %}
    case
        when {{ probability_column }} >= {{ var('er_conservative_match_threshold') }} then 'conservative'
        when {{ probability_column }} >= {{ var('er_match_threshold') }} then 'headline_to_conservative'
        when {{ probability_column }} >= {{ var('er_lenient_match_threshold') }} then 'lenient_to_headline'
        else 'below_lenient'
    end
{%- endmacro %}

{#- The bands match_band gives, lowest first. -#}
{% macro match_bands() %}
    {{ return(['below_lenient', 'lenient_to_headline', 'headline_to_conservative', 'conservative']) }}
{%- endmacro %}
