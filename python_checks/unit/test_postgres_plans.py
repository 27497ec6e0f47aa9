"""python_checks/postgres_plans.py tells a pairwise nested loop from a cheap one."""

from python_checks.postgres_plans import NestedLoop, nested_loops


def _node(kind: str, rows: float, loops: int = 1, relationship: str = "Outer", *children) -> dict:
    node = {"Node Type": kind, "Actual Rows": rows, "Actual Loops": loops,
            "Parent Relationship": relationship}  # fmt: skip
    if children:
        node["Plans"] = list(children)
    return node


def test_a_loop_over_two_large_sides_is_pairwise():
    # fct_missing_customers at 50,000 people, before nested loops were turned off.
    plan = _node(
        "Nested Loop", 4834, 1, "Outer",
        _node("Hash Join", 4834, 1, "Outer"),
        _node("Materialize", 35230, 4834, "Inner", _node("Subquery Scan", 35230, 1, "Outer")),
    )  # fmt: skip
    assert list(nested_loops(plan)) == [NestedLoop(170_301_820, 4834, 35230)]
    assert NestedLoop(170_301_820, 4834, 35230).is_pairwise


def test_a_loop_over_one_row_is_not():
    # A cross join with a one-row aggregate, the way scoring reads its prior.
    plan = _node(
        "Nested Loop", 54101, 1, "Outer",
        _node("Aggregate", 1, 1, "Outer"),
        _node("Hash Join", 54101, 1, "Inner"),
    )  # fmt: skip
    (loop,) = nested_loops(plan)
    assert not loop.is_pairwise
    flipped = _node(
        "Nested Loop", 54101, 1, "Outer",
        _node("Hash Join", 54101, 1, "Outer"),
        _node("Result", 1, 54101, "Inner"),
    )  # fmt: skip
    assert not next(nested_loops(flipped)).is_pairwise


def test_a_loop_over_a_small_fixed_table_is_not():
    # A phone parsing step: each number against its region's 52 patterns (50,000 people).
    assert not NestedLoop(13_728, 264, 52).is_pairwise
    # Accuracy checks at 2,000 people, planned on a few rows: each record against 925.
    assert NestedLoop(1_746_400, 1888, 925).is_pairwise


def test_small_loops_are_left_alone_and_loops_are_found_at_any_depth():
    small = _node(
        "Nested Loop", 10, 1, "Outer",
        _node("Seq Scan", 90, 1, "Outer"),
        _node("Seq Scan", 90, 90, "Inner"),
    )  # fmt: skip
    assert not next(nested_loops(small)).is_pairwise
    deep = _node("Hash Join", 1, 1, "Outer", _node("Hash", 1, 1, "Inner", small))
    assert len(list(nested_loops(deep))) == 1
    assert list(nested_loops(_node("Seq Scan", 5))) == []
