-- The last known touch of every person record, for the catalog checks reading crm_touches:
-- the valid updated_at, else the valid created_at (many CRMs leave updated_at empty until the
-- first edit), with the raw value it was read from and both timestamps' statuses.
with

records as (

    select * from {{ ref('int_person_records_standardized') }}

),

crm_touches as (

    -- A standardized timestamp is null unless valid.
    select
        record_key,
        source_system,
        source_name,
        source_record_id,
        source_channel,
        updated_at_status,
        created_at_status,
        coalesce(updated_at, created_at) as last_touched_at,
        case
            when updated_at is not null then updated_at_raw
            when created_at is not null then created_at_raw
            else coalesce(nullif(trim(updated_at_raw), ''), created_at_raw)
        end as last_touched_at_raw

    from records

),

checks as (

    {{ render_quality_checks('crm_touches') }}

)

select * from checks
