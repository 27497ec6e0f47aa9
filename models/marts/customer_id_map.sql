-- Every customer id ever issued and the current id it stands for, so BI tables and the CRM can
-- join an old id through to today's customer: a current id maps to itself; a retired id to the
-- current id that absorbed most of its records (followed through later retirements), or to
-- null when all its records were removed. Kept across builds like the registry it reads
-- (int_customer_ids_registered); `dbt build --full-refresh` starts both over. Each build merges
-- only the rows that change: ids issued, ids retired and ids retired earlier into those.
{{ config(
    uncompressed_columns=['issued_customer_id', 'customer_id'],
    materialized='incremental',
    unique_key='issued_customer_id',
    incremental_strategy='merge',
    on_schema_change='fail',
) }}

with

registry as (

    select * from {{ ref('int_customer_ids_registered') }}

),

current_ids as (

    select distinct customer_id
    from registry
    where is_present

),

previous_ids as (

    select distinct previous_customer_id as customer_id
    from registry
    where previous_customer_id is not null

),

issued_now as (

    select
        -- varchar, as the contract says: PostgreSQL compares text and varchar columns of later builds.
        cast(current_ids.customer_id as varchar) as issued_customer_id,
        cast(current_ids.customer_id as varchar) as customer_id,
        true as is_current,
        {{ monitoring_run_started_at() }} as issued_at,
        cast(null as timestamp) as retired_at

    from current_ids
    left join previous_ids on current_ids.customer_id = previous_ids.customer_id
    where previous_ids.customer_id is null

),

-- Ids held last build that no record holds now, with the current id holding most of their
-- records (then the oldest such id).
retired_ids as (

    select previous_ids.customer_id
    from previous_ids
    left join current_ids on previous_ids.customer_id = current_ids.customer_id
    where current_ids.customer_id is null

),

absorptions as (

    select
        registry.previous_customer_id as retired_customer_id,
        registry.customer_id as absorbing_customer_id,
        row_number() over (
            partition by registry.previous_customer_id
            order by count(*) desc, min(registry.customer_number) asc
        ) as absorption_rank

    from registry
    inner join retired_ids on registry.previous_customer_id = retired_ids.customer_id
    where registry.is_present
    group by registry.previous_customer_id, registry.customer_id

),

retired_now as (

    select
        retired_ids.customer_id as retired_customer_id,
        absorptions.absorbing_customer_id

    from retired_ids
    left join absorptions
        on
            retired_ids.customer_id = absorptions.retired_customer_id
            and absorptions.absorption_rank = 1

),

mapped_before as (

    {% if is_incremental() %}
    select * from {{ this }}
    {% else %}
    select
        cast(null as {{ dbt.type_string() }}) as issued_customer_id,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as boolean) as is_current,
        cast(null as timestamp) as issued_at,
        cast(null as timestamp) as retired_at
    where 1 = 0
    {% endif %}

),

-- Ids retired now, and ids retired earlier into one retired now, point at its absorber.
remapped as (

    select
        mapped_before.issued_customer_id,
        cast(retired_now.absorbing_customer_id as varchar) as customer_id,
        false as is_current,
        mapped_before.issued_at,
        coalesce(mapped_before.retired_at, {{ monitoring_run_started_at() }}) as retired_at

    from mapped_before
    inner join retired_now on mapped_before.customer_id = retired_now.retired_customer_id

),

final as (

    select * from issued_now
    union all
    select * from remapped

)

select * from final
