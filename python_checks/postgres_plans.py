"""Pairwise work in PostgreSQL's plans: the nested loops of an `EXPLAIN (ANALYZE, FORMAT JSON)`.

A nested loop compares every row of its outer input with every row of its inner one. Over a
one-row side (a cross join with a single aggregate) that is as cheap as a scan. Over two large
sides it grows with the square of the data: PostgreSQL picks one when its estimates of a chain
of CTEs shrink to a few rows, and a build's queries must never run one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg

# A nested loop is pairwise when it compares more than this many times the rows of its larger
# input: a one-row side compares exactly as many, a small fixed table (a region's phone
# patterns) a few dozen times as many. Loops under MIN_COMPARISONS are left alone.
PAIRWISE_FACTOR = 100
MIN_COMPARISONS = 10_000


@dataclass(frozen=True)
class NestedLoop:
    """One nested loop of an executed plan: rows it compared and the rows of its inputs."""

    comparisons: int
    outer_rows: int
    inner_rows: int

    @property
    def is_pairwise(self) -> bool:
        larger = max(self.outer_rows, self.inner_rows, 1)
        return self.comparisons > max(PAIRWISE_FACTOR * larger, MIN_COMPARISONS)


def nested_loops(plan: dict) -> Iterator[NestedLoop]:
    """Every nested loop in a plan node and below it (sub-plans included)."""
    children = plan.get("Plans", [])
    if plan["Node Type"] == "Nested Loop":
        sides = {child["Parent Relationship"]: child for child in children}
        outer, inner = sides["Outer"], sides["Inner"]
        yield NestedLoop(
            # The inner side is read once per outer row: all the rows it gave, summed over loops.
            comparisons=_total_rows(inner),
            outer_rows=_total_rows(outer),
            # Rows per loop: the size of the set each outer row is compared with.
            inner_rows=round(inner["Actual Rows"]),
        )
    for child in children:
        yield from nested_loops(child)


def _total_rows(node: dict) -> int:
    return round(node["Actual Rows"] * node["Actual Loops"])


def executed_plan(connection: psycopg.Connection, sql: str) -> dict:
    """The plan of `sql` as PostgreSQL ran it, in a transaction rolled back after."""
    with connection.transaction(force_rollback=True):
        explained = connection.execute(f"explain (analyze, timing off, format json) {sql}")
        return explained.fetchone()[0][0]["Plan"]


def build_queries(run_results: dict) -> dict[str, str]:
    """The select of every model and data test a build ran, by node id (its run_results)."""
    return {
        result["unique_id"]: result["compiled_code"]
        for result in run_results["results"]
        if result["unique_id"].startswith(("model.", "test.")) and result.get("compiled_code")
    }
