{#-
    Connected components of a graph given as edges (level, node_a, node_b: integer nodes, one
    graph per level), computed while the calling model compiles. Leaves the scratch table
    `result` (level, node, root): every node whose component's smallest node is not itself,
    with that smallest node. A node in no edge, or the smallest of its component, is absent.

    Each round materializes its tables (PostgreSQL then plans on real row counts) and works only
    on what is left: every node hooks to its smallest neighbour (a pseudo-forest whose only
    cycles are mutual pairs; the smaller of a pair is the root, and it is the smallest node of
    its tree), pointer jumping takes every node to its root, and the edges are contracted onto
    the roots, dropping those inside one tree. Every node left hooks to one other, so the nodes
    at least halve each round: about log2 of the largest component's size rounds, and the work
    shrinks with the graph. A round's hooks map nodes to that round's roots; jumping through
    them at the end gives every node its final root.
-#}
{% macro connected_components(edges_sql, result) %}
    {%- set max_rounds = 64 %}
    {%- do create_scratch_table(result ~ '_edges_0',
        'select distinct level, least(node_a, node_b) as node_a, greatest(node_a, node_b) as node_b'
        ~ ' from (' ~ edges_sql ~ ') as given where node_a <> node_b') %}
    {%- do create_scratch_table(result ~ '_hooks',
        'select level, node_a as node, node_b as root from ' ~ result ~ '_edges_0 where false') %}
    {%- set state = namespace(edges=scalar_query('select count(*) from ' ~ result ~ '_edges_0'), rounds=0) %}
    {%- for round in range(max_rounds) %}
        {%- if state.edges > 0 %}
            {%- set edges = result ~ '_edges_' ~ (round % 2) %}
            {%- set next_edges = result ~ '_edges_' ~ ((round + 1) % 2) %}
            {%- set tree = components_hook_round(edges, result) %}
            {%- do run_query('insert into ' ~ result ~ '_hooks select level, node, root from ' ~ tree) %}
            {%- do create_scratch_table(next_edges,
                'select distinct edges.level,'
                ~ ' least(coalesce(tree_a.root, edges.node_a), coalesce(tree_b.root, edges.node_b)) as node_a,'
                ~ ' greatest(coalesce(tree_a.root, edges.node_a), coalesce(tree_b.root, edges.node_b)) as node_b'
                ~ ' from ' ~ edges ~ ' as edges'
                ~ ' left join ' ~ tree ~ ' as tree_a on edges.level = tree_a.level and edges.node_a = tree_a.node'
                ~ ' left join ' ~ tree ~ ' as tree_b on edges.level = tree_b.level and edges.node_b = tree_b.node'
                ~ ' where coalesce(tree_a.root, edges.node_a) <> coalesce(tree_b.root, edges.node_b)') %}
            {%- do drop_scratch_table(edges) %}
            {%- do drop_scratch_table(tree) %}
            {%- set state.edges = scalar_query('select count(*) from ' ~ next_edges) %}
            {%- set state.rounds = round + 1 %}
        {%- endif %}
    {%- endfor %}
    {%- if state.edges > 0 %}
        {%- do exceptions.raise_compiler_error(
            'connected_components: edges left after ' ~ max_rounds ~ ' rounds, which halving cannot need') %}
    {%- endif %}
    {%- do drop_scratch_table(result ~ '_edges_0') %}
    {%- do drop_scratch_table(result ~ '_edges_1') %}
    {%- set roots = components_jump_to_roots(result ~ '_hooks', 'select level, node, root from ' ~ result ~ '_hooks') %}
    {%- do create_scratch_table(result, 'select level, node, root from ' ~ roots) %}
    {%- do drop_scratch_table(roots) %}
    {%- do drop_scratch_table(result ~ '_hooks') %}
    {{- log('connected_components: ' ~ state.rounds ~ ' rounds', info=False) -}}
{% endmacro %}

{#- One round's forest over `edges`: the name of a scratch table (level, node, root) holding
    every node of the edges that is not a root, with its root. -#}
{% macro components_hook_round(edges, result) %}
    {%- do create_scratch_table(result ~ '_lowest',
        'select level, node, min(neighbour) as lowest from ('
        ~ 'select level, node_a as node, node_b as neighbour from ' ~ edges
        ~ ' union all select level, node_b as node, node_a as neighbour from ' ~ edges
        ~ ') as directed group by level, node') %}
    {%- set tree = components_jump_to_roots(result ~ '_tree',
        'select hooked.level, hooked.node, hooked.lowest as root'
        ~ ' from ' ~ result ~ '_lowest as hooked'
        ~ ' inner join ' ~ result ~ '_lowest as parents'
        ~ ' on hooked.level = parents.level and hooked.lowest = parents.node'
        ~ ' where not (parents.lowest = hooked.node and hooked.node < hooked.lowest)') %}
    {%- do drop_scratch_table(result ~ '_lowest') %}
    {{- return(tree) -}}
{% endmacro %}

{#- Pointer jumping on a forest given as (level, node, root) rows of its non-root nodes, until
    every row's root is a root: the name of the scratch table holding the result. -#}
{% macro components_jump_to_roots(name, forest_sql) %}
    {%- do create_scratch_table(name ~ '_0', forest_sql) %}
    {%- set state = namespace(moved=1, current=name ~ '_0') %}
    {%- for jump in range(1, 65) %}
        {%- if state.moved > 0 %}
            {%- set jumped = name ~ '_' ~ (jump % 2) %}
            {%- do create_scratch_table(jumped,
                'select forest.level, forest.node, coalesce(parents.root, forest.root) as root'
                ~ ' from ' ~ state.current ~ ' as forest'
                ~ ' left join ' ~ state.current ~ ' as parents'
                ~ ' on forest.level = parents.level and forest.root = parents.node') %}
            {%- set state.moved = scalar_query(
                'select count(*) from ' ~ jumped ~ ' as forest inner join ' ~ jumped ~ ' as parents'
                ~ ' on forest.level = parents.level and forest.root = parents.node') %}
            {%- do drop_scratch_table(state.current) %}
            {%- set state.current = jumped %}
        {%- endif %}
    {%- endfor %}
    {{- return(state.current) -}}
{% endmacro %}
