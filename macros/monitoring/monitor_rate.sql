{#-
    The single row every monitor returns: the rate it measured (numerator / denominator × 100
    over the rows matching `where`), its two thresholds, and its level: 0 within the warn
    threshold, 1 above warn_pct, 2 above error_pct. The monitors' config turns the level into
    dbt's warn / error status; the row itself is what store_failures and the on-run-end hook keep.
-#}
{% macro monitor_rate(relation, numerator, denominator, warn_pct, error_pct, where=none) %}
    {%- if warn_pct is none or error_pct is none or warn_pct | float > error_pct | float -%}
        {{ exceptions.raise_compiler_error(
            "A monitor needs warn_pct <= error_pct, got warn_pct=" ~ warn_pct ~ ", error_pct=" ~ error_pct
        ) }}
    {%- endif %}
with

measured as (

    select
        cast(coalesce(sum({{ numerator }}), 0) as bigint) as numerator,
        cast(coalesce(sum({{ denominator }}), 0) as bigint) as denominator

    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}

),

rated as (

    select
        numerator,
        denominator,
        {{ rate_pct('numerator', 'denominator') }} as measured_pct,
        cast({{ warn_pct }} as {{ type_double() }}) as warn_pct,
        cast({{ error_pct }} as {{ type_double() }}) as error_pct

    from measured

),

final as (

    select
        *,
        case
            when measured_pct > error_pct then 2
            when measured_pct > warn_pct then 1
            else 0
        end as monitor_level

    from rated

)

select * from final
{% endmacro %}
