-- Candidate pairs of person records scored by the matching model this warehouse trained on its
-- own records (int_matching_models, latest row): the one place entity resolution decides how
-- alike two records are. The SQL is rendered from the model document at execution time and
-- computes what Splink's predict() does (python_checks/unit/test_matching_sql_scoring.py holds
-- them equal): blocking, comparison levels, term-frequency adjustments, Bayes factors.
{{ config(
    uncompressed_columns=['record_key_l', 'record_key_r'],
) }}
{{
    matching_scored_pairs(
        ref('int_person_records_standardized'),
        matching_latest_model(ref('int_matching_models')),
        var('er_pair_min_match_probability'),
        var('max_exact_key_group_size'),
    )
}}
