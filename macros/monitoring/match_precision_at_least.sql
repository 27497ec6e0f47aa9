{#-
    Monitor: the lower end of the latest build's 95 % interval of the estimated match precision
    (mart_match_quality) stays at least warn_pct (else warn) and error_pct (else error),
    in percent; thresholds default to var monitor_match_precision_pct. A build without an
    estimate (no labels yet) passes: there is nothing measured to judge. The row has the shape
    of every monitor's (monitor_rate): numerator and denominator are the labelled pairs the
    estimate rests on.
-#}
{% test match_precision_at_least(model, warn_pct=none, error_pct=none) %}
    {{ config(
        severity='error',
        fail_calc='coalesce(max(monitor_level), 0)',
        warn_if='>= 1',
        error_if='>= 2',
        meta={'monitor': true},
    ) }}
    {%- set thresholds = monitor_thresholds('monitor_match_precision_pct', none, warn_pct, error_pct) %}
    {%- if thresholds.warn_pct | float < thresholds.error_pct | float %}
        {{ exceptions.raise_compiler_error(
            "match_precision_at_least needs warn_pct >= error_pct, got warn_pct="
            ~ thresholds.warn_pct ~ ", error_pct=" ~ thresholds.error_pct
        ) }}
    {%- endif %}
-- depends_on: {{ ref('fct_test_results_history') }}
with

latest as (

    select * from {{ model }}
    where run_id = '{{ monitoring_run_id() }}'

),

rated as (

    select
        cast(labelled_scored_pairs as bigint) as numerator,
        cast(labelled_scored_pairs as bigint) as denominator,
        100 * precision_ci_low as measured_pct,
        cast({{ thresholds.warn_pct }} as {{ type_double() }}) as warn_pct,
        cast({{ thresholds.error_pct }} as {{ type_double() }}) as error_pct

    from latest

),

final as (

    select
        *,
        case
            when measured_pct < error_pct then 2
            when measured_pct < warn_pct then 1
            else 0
        end as monitor_level

    from rated

)

select * from final
{% endtest %}
