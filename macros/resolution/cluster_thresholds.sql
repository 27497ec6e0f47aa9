{#- The match-probability thresholds records are clustered at, by level: the headline and the
    shortage's two bounds. The vars are read here only. -#}
{% macro cluster_thresholds() %}
    {{ return({
        'headline': var('er_match_threshold'),
        'conservative': var('er_conservative_match_threshold'),
        'lenient': var('er_lenient_match_threshold'),
    }) }}
{% endmacro %}

{#- The output column of a level's cluster id: the headline's is plain cluster_id. -#}
{% macro cluster_id_column(level) %}
    {{ return('cluster_id' if level == 'headline' else level ~ '_cluster_id') }}
{% endmacro %}
