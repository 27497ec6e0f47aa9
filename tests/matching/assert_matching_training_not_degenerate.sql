-- Warns when the build's matching model was trained degenerately: a comparison level
-- training never observed, m values no EM round could estimate (left at the starting
-- model's), a probability pinned at its bound, or an EM round that did not
-- converge or could not run. The figures still build; their entity resolution is suspect.
{{ config(severity='warn') }}

select
    model_id,
    comparison || ': ' || level_label as problem
from {{ ref('fct_matching_parameters') }}
where not is_observed or not is_estimated or is_at_bound

union all

select
    model_id,
    'EM round on ' || blocking_key || ' did not converge' as problem
from {{ ref('fct_matching_blocking_keys') }}
where purpose = 'training' and (not is_used or not is_converged)
