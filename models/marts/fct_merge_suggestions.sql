-- One row per CRM record to merge into another record of the same CRM source: suggestions for a
-- data steward (docs/merge_suggestions.md), never applied by the warehouse.
--
-- A merge group is the records of one CRM source connected by merge links: pairs of two records
-- of that source scored at or above er_conservative_match_threshold. Records linked only through
-- another source (a billing account, another CRM tool) are not grouped: such chains joined
-- family members on generated data. Records the headline threshold joins but these links do
-- not are left to the review queue; records of two sources are never merged (no CRM merges
-- across tools or objects; customer_xref lists them). The master is the group's record that
-- survivorship ranks first (int_person_records_resolved.survivor_rank); the values to keep are
-- the customer's golden record (dim_customers). A steward's review labels (CRM_LABELS) decide
-- where they exist: a labelled match of two records of one source is a merge link, a labelled
-- non-match never is.
{%- set comparisons = ['first_name', 'last_name', 'birth_date', 'email', 'contact_address'] %}
-- Comparisons on what identifies a person rather than their household: one must agree.
{%- set personal_comparisons = ['first_name', 'email', 'birth_date'] %}
-- The reason names at most this many comparisons, strongest first.
{%- set reason_comparisons = 3 %}
with recursive

records as (

    select * from {{ ref('int_person_records_resolved') }}

),

pairs as (

    select * from {{ ref('fct_match_pairs') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

labels as (

    select * from {{ ref('int_review_labels_latest') }}

),

crm_records as (

    select * from records
    where source_system = 'crm'

),

-- The one place merge groups are decided: the links between two records of one CRM source
-- confident enough to merge them. However high a pair scored, it is no merge link when only
-- what a household shares (last name, phone, address) agrees, nor when first names and e-mails
-- both differ: twins and family members look like that, and a merge cannot be undone
-- (measured: docs/merge_suggestions.md). Labels key pairs in the scored pairs' order (code
-- point), so a label and its pair join on equal keys.
scored_links as (

    select
        pairs.record_key_l,
        pairs.record_key_r,
        {%- for comparison in comparisons %}
        pairs.{{ comparison }}_level,
        pairs.{{ comparison }}_match_weight,
        {%- endfor %}
        pairs.match_weight,
        pairs.match_probability,
        false as is_labelled

    from pairs
    inner join crm_records as records_l on pairs.record_key_l = records_l.record_key
    inner join crm_records as records_r on pairs.record_key_r = records_r.record_key
    left join labels
        on pairs.record_key_l = labels.record_key_a and pairs.record_key_r = labels.record_key_b
    where
        records_l.source_name = records_r.source_name
        -- One customer: a labelled non-match may have split the cluster such a pair is in.
        and records_l.customer_id = records_r.customer_id
        and pairs.match_probability >= {{ var('er_conservative_match_threshold') }}
        and (
            {%- for comparison in personal_comparisons %}
            pairs.{{ comparison }}_level not in ('different', 'null')
            {%- if not loop.last %} or{% endif %}
            {%- endfor %}
        )
        and not (pairs.first_name_level = 'different' and pairs.email_level = 'different')
        and labels.record_key_a is null

),

-- A steward's labelled matches of two records of one source: certain, whatever they scored.
labelled_links as (

    select
        labels.record_key_a as record_key_l,
        labels.record_key_b as record_key_r,
        {%- for comparison in comparisons %}
        pairs.{{ comparison }}_level,
        pairs.{{ comparison }}_match_weight,
        {%- endfor %}
        pairs.match_weight,
        cast(1 as {{ type_double() }}) as match_probability,
        true as is_labelled

    from labels
    inner join crm_records as records_a on labels.record_key_a = records_a.record_key
    inner join crm_records as records_b on labels.record_key_b = records_b.record_key
    left join pairs
        on labels.record_key_a = pairs.record_key_l and labels.record_key_b = pairs.record_key_r
    where labels.is_match and records_a.source_name = records_b.source_name

),

merge_links as (

    select * from scored_links
    union all
    select * from labelled_links

),

-- Each link from both of its ends.
linked as (

    select
        record_key_l as record_key,
        record_key_r as linked_record_key,
        {%- for comparison in comparisons %}
        {{ comparison }}_level,
        {{ comparison }}_match_weight,
        {%- endfor %}
        match_weight,
        match_probability,
        is_labelled
    from merge_links
    union all
    select
        record_key_r as record_key,
        record_key_l as linked_record_key,
        {%- for comparison in comparisons %}
        {{ comparison }}_level,
        {{ comparison }}_match_weight,
        {%- endfor %}
        match_weight,
        match_probability,
        is_labelled
    from merge_links

),

-- Every record a linked record reaches through links (groups are small: a few records each).
reachable as (

    select
        record_key,
        record_key as reached_record_key
    from linked
    union
    select
        reachable.record_key,
        linked.linked_record_key as reached_record_key
    from reachable
    inner join linked on reachable.reached_record_key = linked.record_key

),

merge_groups as (

    select
        record_key,
        min({{ code_point_order('reached_record_key') }}) as merge_group_id
    from reachable
    group by record_key

),

-- Survivorship's order within the group: survivor_rank orders all of a customer's CRM records,
-- and a group lies within one customer (its links are above the headline threshold).
group_ranked as (

    select
        crm_records.record_key,
        crm_records.source_name,
        crm_records.source_record_id,
        crm_records.source_id,
        crm_records.customer_id,
        merge_groups.merge_group_id,
        row_number() over (
            partition by merge_groups.merge_group_id
            order by crm_records.survivor_rank asc, {{ code_point_order('crm_records.record_key') }} asc
        ) as merge_rank

    from crm_records
    inner join merge_groups on crm_records.record_key = merge_groups.record_key

),

masters as (

    select * from group_ranked
    where merge_rank = 1

),

duplicates as (

    select * from group_ranked
    where merge_rank > 1

),

-- The evidence for each duplicate: its link with the master when they are linked directly,
-- else its strongest link within the group.
evidence_ranked as (

    select
        duplicates.record_key as duplicate_record_key,
        linked.*,
        row_number() over (
            partition by duplicates.record_key
            order by
                case when linked.linked_record_key = masters.record_key then 0 else 1 end,
                linked.match_probability desc,
                linked.match_weight desc,
                {{ code_point_order('linked.linked_record_key') }} asc
        ) as evidence_rank

    from duplicates
    inner join masters on duplicates.merge_group_id = masters.merge_group_id
    inner join linked on duplicates.record_key = linked.record_key

),

evidence as (

    select * from evidence_ranked
    where evidence_rank = 1

),

-- The evidence's comparisons that argued for the match, one row each.
evidence_levels as (

    {%- for comparison in comparisons %}
    select
        duplicate_record_key,
        '{{ comparison | replace("_", " ") }}: ' || {{ comparison }}_level as comparison_level,
        {{ comparison }}_match_weight as match_weight
    from evidence
    where {{ comparison }}_match_weight > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

strongest_levels as (

    select
        *,
        row_number() over (
            partition by duplicate_record_key
            order by match_weight desc, {{ code_point_order('comparison_level') }} asc
        ) as level_rank

    from evidence_levels

),

reasons as (

    select
        duplicate_record_key,
        {{ list_agg('comparison_level', 'level_rank', '; ') }} as reason

    from strongest_levels
    where level_rank <= {{ reason_comparisons }}
    group by duplicate_record_key

),

final as (

    select
        masters.record_key as master_record_key,
        duplicates.record_key as duplicate_record_key,
        masters.source_name,
        masters.source_record_id as master_source_record_id,
        duplicates.source_record_id as duplicate_source_record_id,
        -- A CRM merges records by its own ids: a blank or repeated id (suffixed in
        -- source_record_id) names no single record there.
        coalesce(
            masters.source_id = masters.source_record_id
            and duplicates.source_id = duplicates.source_record_id,
            false
        ) as has_crm_ids,
        masters.customer_id,
        cast(evidence.match_probability as {{ type_double() }}) as match_probability,
        evidence.linked_record_key as evidence_record_key,
        case
            when evidence.is_labelled then 'labelled as the same person' || coalesce('; ' || reasons.reason, '')
            else reasons.reason
        end as reason,
        customers.first_name,
        customers.last_name,
        customers.email,
        customers.phone,
        customers.street_address,
        customers.postal_code,
        customers.city,
        customers.country,
        customers.birth_date

    from duplicates
    inner join masters on duplicates.merge_group_id = masters.merge_group_id
    inner join customers on masters.customer_id = customers.customer_id
    left join evidence on duplicates.record_key = evidence.duplicate_record_key
    left join reasons on duplicates.record_key = reasons.duplicate_record_key

)

select * from final
