"""python_checks/postgres_plans.py tells a pairwise nested loop from a cheap one."""

from python_checks.postgres_plans import NestedLoop, nested_loops


def _node(kind: str, rows: float, loops: int = 1, *children: dict) -> dict:
    node = {"Node Type": kind, "Actual Rows": rows, "Actual Loops": loops}
    if children:
        node["Plans"] = [{"Parent Relationship": "Outer", **child} for child in children]
    return node


def _loop(outer: dict, inner: dict) -> dict:
    """A nested loop over `outer` and `inner` (their rows and loops as executed)."""
    sides = [{**outer, "Parent Relationship": "Outer"}, {**inner, "Parent Relationship": "Inner"}]
    return {**_node("Nested Loop", outer["Actual Rows"]), "Plans": sides}


def test_a_loop_over_two_large_sides_is_pairwise():
    # fct_missing_customers at 50,000 people, before nested loops were turned off.
    materialized = _node("Materialize", 35230, 4834, _node("Subquery Scan", 35230))
    plan = _loop(_node("Hash Join", 4834), materialized)
    assert list(nested_loops(plan)) == [NestedLoop(170_301_820, 4834, 35230)]
    assert NestedLoop(170_301_820, 4834, 35230).is_pairwise


def test_a_loop_over_one_row_is_not():
    # A cross join with a one-row aggregate, the way scoring reads its prior: either side.
    (loop,) = nested_loops(_loop(_node("Aggregate", 1), _node("Hash Join", 54101)))
    assert not loop.is_pairwise
    (flipped,) = nested_loops(_loop(_node("Hash Join", 54101), _node("Result", 1, 54101)))
    assert not flipped.is_pairwise


def test_a_loop_over_a_small_fixed_table_is_not():
    # A phone parsing step: each number against its region's 52 patterns (50,000 people).
    assert not NestedLoop(13_728, 264, 52).is_pairwise
    # Accuracy checks at 2,000 people, planned on a few rows: each record against 925.
    assert NestedLoop(1_746_400, 1888, 925).is_pairwise


def test_small_loops_are_left_alone_and_loops_are_found_at_any_depth():
    small = _loop(_node("Seq Scan", 90), _node("Seq Scan", 90, 90))
    assert not next(nested_loops(small)).is_pairwise
    deep = _node("Hash Join", 1, 1, _node("Hash", 1, 1, small))
    assert len(list(nested_loops(deep))) == 1
    assert list(nested_loops(_node("Seq Scan", 5))) == []
