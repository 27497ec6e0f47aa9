-- Warns when the build's matching model was trained degenerately: m values no EM round could
-- estimate (left at the starting model's), a probability pinned at its bound (EM found every
-- match at one level, or the prior at 0 or 1), or an EM round that did not converge or could
-- not run. The figures still build; their entity resolution is suspect. A level training
-- never observed is not degenerate: it is never evidence of a match (docs/entity_resolution.md,
-- Estimation 5), most data leave a rare level or two unseen, and fct_matching_parameters lists them.
{{ config(severity='warn') }}

select
    model_id,
    comparison || ': ' || level_label || case
        when not is_estimated then ' (m not estimated: the starting model''s)'
        else ' (probability at its bound)'
    end as problem
from {{ ref('fct_matching_parameters') }}
where not is_estimated or is_at_bound

union all

select
    model_id,
    'EM round on ' || blocking_key || ' did not converge' as problem
from {{ ref('fct_matching_blocking_keys') }}
where purpose = 'training' and (not is_used or not is_converged)
