-- Each cluster of this build holds exactly one customer id, and each id one cluster.
with

registry as (

    select * from {{ ref('int_customer_ids_registered') }}
    where is_present

),

clusters as (

    select * from {{ ref('int_person_records_clustered') }}

),

assigned as (

    select
        clusters.cluster_id,
        registry.customer_id

    from clusters
    left join registry on clusters.record_key = registry.record_key

),

ids_per_cluster as (

    select
        cluster_id,
        count(distinct customer_id) as customer_ids,
        count(*) - count(customer_id) as records_without_id

    from assigned
    group by cluster_id

),

clusters_per_id as (

    select
        customer_id,
        count(distinct cluster_id) as clusters

    from assigned
    group by customer_id

),

failures as (

    select
        'cluster ' || cluster_id || ' has ' || cast(customer_ids as {{ dbt.type_string() }}) || ' ids' as failure
    from ids_per_cluster
    where customer_ids != 1 or records_without_id > 0
    union all
    select 'id ' || customer_id || ' spans ' || cast(clusters as {{ dbt.type_string() }}) || ' clusters' as failure
    from clusters_per_id
    where clusters > 1

)

select * from failures
