-- The customer-id registry: one row per record ever seen, with the customer id it holds. It
-- survives builds (incremental; every build rewrites all its rows) so ids last; only
-- `dbt build --full-refresh` starts it over. Rules (README "Customer ids"):
--   a record keeps its id while it exists and its customer is not split;
--   each previous id goes to the new cluster holding most of its records (then the larger
--     cluster, then the smaller cluster_id), and a cluster takes the oldest id it won, so
--     merged customers keep the older id and a split customer's largest part keeps it;
--   a cluster that won no id gets a new one: 'cust_' + a counter (opaque, never reused).
-- A record is the same as last build's when its record_key is, else when its content is
-- (record_fingerprint): a blank or repeated source id makes the key depend on the row.
-- Each build's batch holds every row, so the merge leaves exactly this build's registry; merge is
-- the incremental strategy DuckDB, PostgreSQL 15+ and Spark (Delta) all have.
{{ config(
    uncompressed_columns=['record_key', 'record_fingerprint', 'customer_id'],
    materialized='incremental',
    unique_key='record_key',
    incremental_strategy='merge',
    on_schema_change='fail',
) }}

with

records as (

    select
        record_key,
        {{ hash_key([
            'source_system', 'source_id', 'source_channel', 'first_name_raw', 'last_name_raw',
            'email_raw', 'phone_raw', 'street_address_raw', 'city_raw', 'postal_code_raw',
            'country_raw', 'birth_date_raw', 'company_name_raw', 'account_status',
            'created_at_raw', 'updated_at_raw',
        ]) }} as record_fingerprint

    from {{ ref('int_person_records_unioned') }}

),

clusters as (

    select * from {{ ref('int_person_records_clustered') }}

),

registered as (

    {% if is_incremental() %}
    select * from {{ this }}
    {% else %}
    select
        cast(null as {{ dbt.type_string() }}) as record_key,
        cast(null as {{ dbt.type_string() }}) as record_fingerprint,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as bigint) as customer_number,
        cast(null as {{ dbt.type_string() }}) as previous_customer_id,
        cast(null as boolean) as is_present,
        cast(null as timestamp) as first_seen_at,
        cast(null as timestamp) as last_seen_at,
        cast(null as bigint) as last_issued_customer_number
    where 1 = 0
    {% endif %}

),

current_records as (

    select
        records.record_key,
        records.record_fingerprint,
        clusters.cluster_id,
        clusters.cluster_size

    from records
    inner join clusters on records.record_key = clusters.record_key

),

-- This build's records with their registry row, and the registry's rows whose key this build
-- lacks: two joins on the key that every rule below reads (a join per rule took twice the CPU
-- at a million records). On a first build the registry is empty and both joins fold away.
current_registered as (

    select
        current_records.record_key,
        current_records.record_fingerprint,
        current_records.cluster_id,
        current_records.cluster_size,
        coalesce(registered.is_present, false) as was_present,
        registered.customer_id as registered_customer_id,
        registered.customer_number as registered_customer_number,
        registered.first_seen_at

    from current_records
    left join registered on current_records.record_key = registered.record_key

),

registered_gone as (

    select registered.*
    from registered
    left join current_records on registered.record_key = current_records.record_key
    where current_records.record_key is null

),

-- Records whose key is new and previous records whose key is gone, paired by content (the n-th
-- copy of a content with its n-th copy). Only contents some gone key had are numbered.
gone_keys as (

    select
        record_fingerprint,
        customer_id,
        customer_number,
        row_number() over (
            partition by record_fingerprint
            order by {{ code_point_order('record_key') }}
        ) as copy_number

    from registered_gone
    where is_present

),

new_keys as (

    select
        record_key,
        record_fingerprint,
        row_number() over (
            partition by record_fingerprint
            order by {{ code_point_order('record_key') }}
        ) as copy_number

    from current_registered
    where
        not was_present
        and record_fingerprint in (select gone_keys.record_fingerprint from gone_keys)

),

matched_by_content as (

    select
        new_keys.record_key,
        gone_keys.customer_id as previous_customer_id,
        gone_keys.customer_number as previous_customer_number

    from new_keys
    inner join gone_keys
        on
            new_keys.record_fingerprint = gone_keys.record_fingerprint
            and new_keys.copy_number = gone_keys.copy_number

),

-- Each current record with the id it held last build: by its key, else by its content.
current_previous as (

    select
        current_registered.record_key,
        current_registered.record_fingerprint,
        current_registered.cluster_id,
        current_registered.cluster_size,
        current_registered.first_seen_at,
        case
            when current_registered.was_present then current_registered.registered_customer_id
            else matched_by_content.previous_customer_id
        end as previous_customer_id,
        case
            when current_registered.was_present then current_registered.registered_customer_number
            else matched_by_content.previous_customer_number
        end as previous_customer_number

    from current_registered
    left join matched_by_content on current_registered.record_key = matched_by_content.record_key

),

-- How many of each previous id's records each new cluster holds.
holdings as (

    select
        cluster_id,
        cluster_size,
        previous_customer_id,
        previous_customer_number,
        count(*) as records_held

    from current_previous
    where previous_customer_id is not null
    group by
        cluster_id,
        cluster_size,
        previous_customer_id,
        previous_customer_number

),

holdings_ranked as (

    select
        *,
        row_number() over (
            partition by previous_customer_id
            order by records_held desc, cluster_size desc, {{ code_point_order('cluster_id') }} asc
        ) as holder_rank

    from holdings

),

ids_won as (

    select
        cluster_id,
        previous_customer_id as customer_id,
        previous_customer_number as customer_number,
        row_number() over (partition by cluster_id order by previous_customer_number asc) as age_rank

    from holdings_ranked
    where holder_rank = 1

),

kept_ids as (

    select
        cluster_id,
        customer_id,
        customer_number

    from ids_won
    where age_rank = 1

),

issued_before as (

    select coalesce(max(last_issued_customer_number), 0) as last_issued_customer_number
    from registered

),

clusters_without_id as (

    select distinct current_previous.cluster_id
    from current_previous
    left join kept_ids on current_previous.cluster_id = kept_ids.cluster_id
    where kept_ids.cluster_id is null

),

new_ids as (

    select
        clusters_without_id.cluster_id,
        issued_before.last_issued_customer_number
        + row_number() over (
            order by {{ code_point_order('clusters_without_id.cluster_id') }}
        ) as customer_number

    from clusters_without_id
    cross join issued_before

),

cluster_ids as (

    select * from kept_ids
    union all
    select
        cluster_id,
        'cust_' || cast(customer_number as {{ dbt.type_string() }}) as customer_id,
        customer_number
    from new_ids

),

new_id_count as (

    select count(*) as new_customer_ids
    from new_ids

),

issued_now as (

    select
        issued_before.last_issued_customer_number
        + new_id_count.new_customer_ids as last_issued_customer_number

    from issued_before
    cross join new_id_count

),

present_rows as (

    select
        current_previous.record_key,
        current_previous.record_fingerprint,
        cluster_ids.customer_id,
        cluster_ids.customer_number,
        current_previous.previous_customer_id,
        true as is_present,
        coalesce(current_previous.first_seen_at, {{ monitoring_run_started_at() }}) as first_seen_at,
        {{ monitoring_run_started_at() }} as last_seen_at,
        issued_now.last_issued_customer_number

    from current_previous
    inner join cluster_ids on current_previous.cluster_id = cluster_ids.cluster_id
    cross join issued_now

),

-- Records no longer exported keep the id they last held, for write-back and audit.
absent_rows as (

    select
        registered_gone.record_key,
        registered_gone.record_fingerprint,
        registered_gone.customer_id,
        registered_gone.customer_number,
        case when registered_gone.is_present then registered_gone.customer_id end as previous_customer_id,
        false as is_present,
        registered_gone.first_seen_at,
        registered_gone.last_seen_at,
        issued_now.last_issued_customer_number

    from registered_gone
    cross join issued_now

),

final as (

    select * from present_rows
    union all
    select * from absent_rows

)

select * from final
