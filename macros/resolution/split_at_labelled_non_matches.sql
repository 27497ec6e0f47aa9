{#-
    Review labels as constraints on the clusters (docs/review.md), after connected_components.

    `links` (record_number_l, record_number_r, match_probability, is_labelled) holds the scored
    links with the labelled matches added (probability 1, is_labelled) and the labelled
    non-matches' own links left out; `roots` the components of every level (level, node, root
    for the nodes that are not their component's smallest); `non_matches` (node_a, node_b) the
    labelled non-matches; `thresholds` cluster_thresholds(), levels numbered in its order.

    Where the two records of a labelled non-match still share a component at a level (linked
    through other records), that component is rebuilt from its links, labelled matches first,
    then strongest first: a link joins its two groups unless that would put the two records of
    a labelled non-match together. So only the weakest links between them are cut, and a
    labelled match always holds (a non-match that labelled matches chain together stays
    unsatisfied: fct_review_label_issues reports it). Leaves the scratch table `result` shaped
    like `roots`. Such components are small and few (a steward labelled them), so they are
    rebuilt here, in the compiler; without one, all this costs one query.
-#}
{% macro split_at_labelled_non_matches(roots, links, non_matches, thresholds, result) %}
    {%- set levels = [] %}
    {%- for threshold in thresholds.values() %}
        {%- do levels.append('select ' ~ loop.index ~ ' as level, ' ~ threshold ~ ' as threshold') %}
    {%- endfor %}
    {%- do create_scratch_table(result ~ '_levels', levels | join(' union all ')) %}
    {%- do create_scratch_table(result ~ '_split',
        'select distinct placed.level, placed.root_a as root from ('
        ~ ' select levels.level, coalesce(roots_a.root, non_matches.node_a) as root_a,'
        ~ ' coalesce(roots_b.root, non_matches.node_b) as root_b'
        ~ ' from ' ~ non_matches ~ ' as non_matches cross join ' ~ result ~ '_levels as levels'
        ~ ' left join ' ~ roots ~ ' as roots_a on levels.level = roots_a.level and non_matches.node_a = roots_a.node'
        ~ ' left join ' ~ roots ~ ' as roots_b on levels.level = roots_b.level and non_matches.node_b = roots_b.node'
        ~ ') as placed where placed.root_a = placed.root_b') %}
    {%- do create_scratch_table(result, 'select roots.level, roots.node, roots.root from ' ~ roots ~ ' as roots'
        ~ ' left join ' ~ result ~ '_split as split on roots.level = split.level and roots.root = split.root'
        ~ ' where split.root is null') %}
    {%- if scalar_query('select count(*) from ' ~ result ~ '_split') > 0 %}
        {%- do create_scratch_table(result ~ '_members',
            'select roots.level, roots.node, roots.root from ' ~ roots ~ ' as roots'
            ~ ' inner join ' ~ result ~ '_split as split on roots.level = split.level and roots.root = split.root'
            ~ ' union all select level, root as node, root from ' ~ result ~ '_split') %}
        {%- set member_rows = run_query('select level, root, node from ' ~ result ~ '_members') %}
        {%- set link_rows = run_query(
            'select members_l.level, members_l.root, links.record_number_l, links.record_number_r,'
            ~ ' links.is_labelled from ' ~ links ~ ' as links'
            ~ ' inner join ' ~ result ~ '_members as members_l on links.record_number_l = members_l.node'
            ~ ' inner join ' ~ result ~ '_members as members_r on links.record_number_r = members_r.node'
            ~ ' and members_l.level = members_r.level and members_l.root = members_r.root'
            ~ ' inner join ' ~ result ~ '_levels as levels on members_l.level = levels.level'
            ~ ' where links.match_probability >= levels.threshold'
            ~ ' order by members_l.level, members_l.root, links.is_labelled desc,'
            ~ ' links.match_probability desc, links.record_number_l, links.record_number_r') %}
        {%- set non_match_rows = run_query(
            'select members_a.level, members_a.root, non_matches.node_a, non_matches.node_b'
            ~ ' from ' ~ non_matches ~ ' as non_matches'
            ~ ' inner join ' ~ result ~ '_members as members_a on non_matches.node_a = members_a.node'
            ~ ' inner join ' ~ result ~ '_members as members_b on non_matches.node_b = members_b.node'
            ~ ' and members_a.level = members_b.level and members_a.root = members_b.root') %}
        {#- Groups per component ("level/root"): each node's group, and each group's members. -#}
        {%- set group_of = {} %}
        {%- set members = {} %}
        {%- for row in member_rows %}
            {%- set component = row[0] ~ '/' ~ row[1] %}
            {%- do group_of.update({component ~ '/' ~ row[2]: row[2]}) %}
            {%- do members.update({component ~ '/' ~ row[2]: [row[2]]}) %}
        {%- endfor %}
        {%- set apart = {} %}
        {%- for row in non_match_rows %}
            {%- do apart.setdefault(row[0] ~ '/' ~ row[1], []).append([row[2], row[3]]) %}
        {%- endfor %}
        {%- for row in link_rows %}
            {%- set component = row[0] ~ '/' ~ row[1] %}
            {%- set group_a = group_of[component ~ '/' ~ row[2]] %}
            {%- set group_b = group_of[component ~ '/' ~ row[3]] %}
            {%- set state = namespace(joins=group_a != group_b) %}
            {%- if state.joins and not row[4] %}
                {%- for pair in apart.get(component, []) %}
                    {%- set first = group_of[component ~ '/' ~ pair[0]] %}
                    {%- set second = group_of[component ~ '/' ~ pair[1]] %}
                    {%- if (first == group_a and second == group_b) or (first == group_b and second == group_a) %}
                        {%- set state.joins = false %}
                    {%- endif %}
                {%- endfor %}
            {%- endif %}
            {%- if state.joins %}
                {%- set kept = [group_a, group_b] | min %}
                {%- set moved = [group_a, group_b] | max %}
                {%- for node in members[component ~ '/' ~ moved] %}
                    {%- do group_of.update({component ~ '/' ~ node: kept}) %}
                {%- endfor %}
                {%- do members[component ~ '/' ~ kept].extend(members.pop(component ~ '/' ~ moved)) %}
            {%- endif %}
        {%- endfor %}
        {#- A group's root is its smallest node (a group's id is the smallest: groups merge into the
            smaller); only nodes that are not their own root are listed, as in `roots`. -#}
        {%- set rows = [] %}
        {%- for row in member_rows %}
            {%- set group = group_of[row[0] ~ '/' ~ row[1] ~ '/' ~ row[2]] %}
            {%- if group != row[2] %}
                {%- do rows.append('(' ~ row[0] ~ ', ' ~ row[2] ~ ', ' ~ group ~ ')') %}
            {%- endif %}
        {%- endfor %}
        {%- for batch in rows | batch(1000) %}
            {%- do run_query('insert into ' ~ result ~ ' (level, node, root) values ' ~ batch | join(', ')) %}
        {%- endfor %}
        {%- do drop_scratch_table(result ~ '_members') %}
    {%- endif %}
    {%- do drop_scratch_table(result ~ '_split') %}
    {%- do drop_scratch_table(result ~ '_levels') %}
{% endmacro %}
