-- Warns when the data holds too little identifying information for entity resolution to be
-- trusted (mart_matching_model.is_identification_weak): the shortage and duplicate figures
-- are then flagged weak in mart_customer_shortage.
{{ config(severity='warn') }}

select
    model_id,
    compared_fields
from {{ ref('mart_matching_model') }}
where is_identification_weak
