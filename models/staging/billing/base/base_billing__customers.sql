-- Every loaded row of the declared sources' billing accounts, quarantined rows included: the raw table
-- `python -m crm_quality.ingest load` writes before each build (crm_quality/ingest/raw_tables.py).
select * from {{ source('raw', 'raw_billing_customers') }}
