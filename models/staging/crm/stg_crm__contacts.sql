-- Every loaded row of every CRM source (sources.yml), nothing dropped: rows deleted in their
-- source stay here, flagged, so the conservation count still sees them.
{{ config(
    uncompressed_columns=[
        'source_record_id', 'contact_id', 'email_raw', 'phone_raw', 'street_address_raw',
        'postal_code_raw', 'created_at_raw', 'updated_at_raw',
    ],
) }}
{{ declared_source_lineage('crm') }}
with

source as {{ inlined_cte() }} (

    select * from {{ ref('base_crm__contacts') }}
    where not _is_quarantined

),

identified as (

    {{ with_unique_record_id('source', 'contact_id', [
        'contact_id', 'source_channel', 'first_name', 'last_name', 'email', 'phone',
        'street_address', 'city', 'postal_code', 'country', 'birth_date', 'company_name',
        'created_at', 'updated_at',
    ]) }}

),

renamed as (

    select
        source_name,
        source_record_id,
        _row_number as source_row_number,
        source_file,
        _load_issue as load_issue,
        nullif(trim(contact_id), '') as contact_id,
        coalesce(nullif(lower(trim(source_channel)), ''), 'unknown') as source_channel,
        first_name as first_name_raw,
        last_name as last_name_raw,
        email as email_raw,
        phone as phone_raw,
        street_address as street_address_raw,
        city as city_raw,
        postal_code as postal_code_raw,
        country as country_raw,
        birth_date as birth_date_raw,
        company_name as company_name_raw,
        created_at as created_at_raw,
        updated_at as updated_at_raw,
        coalesce(lower(trim(is_deleted)) in ('true', '1', 'yes', 'y', 't'), false) as is_deleted,
        coalesce(lower(trim(is_converted)) in ('true', '1', 'yes', 'y', 't'), false)
        and nullif(trim(converted_contact_id), '') is not null as is_converted,
        nullif(trim(converted_contact_id), '') as converted_contact_id,
        converted_source_name

    from identified

)

select * from renamed
