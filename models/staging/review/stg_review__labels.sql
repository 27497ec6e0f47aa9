-- Every row of the steward's labels file (CRM_LABELS), nothing dropped: a row that cannot count
-- as a label (unreadable, a key or the answer missing or malformed) stays here with the reason,
-- so the steward sees every label that was not used. Each pair is also keyed in one order
-- (record_key_a before record_key_b by code point), whichever order it was labelled in.
with

source as (

    select * from {{ source('raw', 'raw_review_labels') }}

),

cleaned as (

    select
        _row_number as label_row_number,
        _line_number as label_line_number,
        nullif(trim(record_key_l), '') as record_key_l,
        nullif(trim(record_key_r), '') as record_key_r,
        nullif(lower(trim(is_match)), '') as is_match_raw,
        nullif(trim(reviewer), '') as reviewer,
        reviewed_at as reviewed_at_raw,
        -- The stratum make review-sample drew the pair from (its columns band, is_near_miss).
        case
            when lower(trim(is_near_miss)) in ('1', 'true') then 'near_miss'
            when lower(trim(band)) in ({{ "'" ~ match_bands() | join("', '") ~ "'" }}) then lower(trim(band))
        end as sampled_stratum,
        _is_quarantined as is_quarantined,
        _quarantine_reason as quarantine_reason

    from source

),

reviewed_at_values as (

    select distinct reviewed_at_raw from cleaned

),

-- Parsed as every timestamp of the project is, but never judged against the as-of date: a
-- review happens now, whatever date the data is judged at.
reviewed_at_parsed as (

    {{ temporal_values_parsed('reviewed_at_values', 'reviewed_at_raw') }}

),

judged as (

    select
        cleaned.label_row_number,
        cleaned.label_line_number,
        cleaned.record_key_l,
        cleaned.record_key_r,
        case
            when {{ code_point_order('cleaned.record_key_l') }} <= {{ code_point_order('cleaned.record_key_r') }}
                then cleaned.record_key_l
            else cleaned.record_key_r
        end as record_key_a,
        case
            when {{ code_point_order('cleaned.record_key_l') }} <= {{ code_point_order('cleaned.record_key_r') }}
                then cleaned.record_key_r
            else cleaned.record_key_l
        end as record_key_b,
        case
            when cleaned.is_match_raw in ('1', 'true') then true
            when cleaned.is_match_raw in ('0', 'false') then false
        end as is_match,
        cleaned.is_match_raw,
        cleaned.reviewer,
        cleaned.sampled_stratum,
        reviewed_at_parsed.parsed_timestamp as reviewed_at,
        cleaned.reviewed_at_raw,
        case
            when cleaned.is_quarantined then 'unreadable row: ' || cleaned.quarantine_reason
            when cleaned.record_key_l is null or cleaned.record_key_r is null
                then 'a record key is missing'
            when cleaned.record_key_l = cleaned.record_key_r then 'both keys name the same record'
            when cleaned.is_match_raw is null then 'is_match is missing'
            when cleaned.is_match_raw not in ('1', '0', 'true', 'false')
                then 'is_match is not 1, 0, true or false'
            when reviewed_at_parsed.date_text is not null and reviewed_at_parsed.parsed_timestamp is null
                then 'reviewed_at is not a date'
        end as unusable_reason

    from cleaned
    left join reviewed_at_parsed on cleaned.reviewed_at_raw = reviewed_at_parsed.raw_value

),

final as (

    select
        *,
        unusable_reason is null as is_usable

    from judged

)

select * from final
