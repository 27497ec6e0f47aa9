-- The settings of this build in one row, as text: the Python steps (matching training, the
-- review queries, the reference standardization) run outside dbt, where no var() or env_var()
-- can be called, so every value one needs is rendered here and read with crm_quality.settings
-- (one accessor, typed there). SQL reads the same vars with var(). Defaults live in
-- dbt_project.yml.
{%- set settings = {
    'as_of_date': var('as_of_date'),
    'min_birth_date': var('min_birth_date'),
    'max_age_years': var('max_age_years'),
    'min_order_date': var('min_order_date'),
    'future_slack_days': var('future_slack_days'),
    'max_exact_key_group_size': var('max_exact_key_group_size'),
    'er_retrain': var('er_retrain'),
    'er_train_on_labels': var('er_train_on_labels'),
    'er_label_pseudo_count': var('er_label_pseudo_count'),
    'er_min_fill_rate': var('er_min_fill_rate'),
    'er_max_pairs_per_record': var('er_max_pairs_per_record'),
    'er_model_path': var('er_model_path'),
    'er_pair_min_match_probability': var('er_pair_min_match_probability'),
    'er_match_threshold': var('er_match_threshold'),
    'er_conservative_match_threshold': var('er_conservative_match_threshold'),
    'er_lenient_match_threshold': var('er_lenient_match_threshold'),
    'review_sample_size': var('review_sample_size'),
    'review_sample_seed': var('review_sample_seed'),
} %}
with

settings as (

    select
        {#- Read only when executing, as the build id (monitoring_run_id): dbt would parse this
            model again whenever the data's directory changes. #}
        cast({{ sql_text_literal(env_var('CRM_RAW_DIR', 'data/demo') if execute else '') }} as {{ dbt.type_string() }})
            as raw_dir,
        {#- The same default as dbt_project.yml's model-paths. #}
        cast({{ sql_text_literal(env_var('CRM_DECLARED_DIR', 'target/declared')) }} as {{ dbt.type_string() }})
            as declared_dir,
        {%- for name, value in settings.items() %}
        cast({{ sql_text_literal(value) }} as {{ dbt.type_string() }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}

)

select * from settings
