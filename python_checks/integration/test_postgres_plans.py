"""No query of the PostgreSQL build compares rows pair by pair (python_checks/postgres_plans.py).

Every model's and data test's select of the cross-engine build runs again under EXPLAIN ANALYZE,
in a session set up as the build's own (crm_quality.build.postgres_session_options). PostgreSQL
misjudges the row counts of a chain of CTEs and then joins large inputs by a nested loop: the
missing customers' query went pairwise at 50,000 people (170 million comparisons, 30 s) and the
accuracy checks at 1,500; such a plan grows with the square of a company's data.
"""

from __future__ import annotations

import json
import os

import psycopg
import pytest

from crm_quality.build import postgres_session_options
from python_checks import cross_engine
from python_checks.postgres_plans import build_queries, executed_plan, nested_loops

pytestmark = pytest.mark.integration

# Selects reading a scratch table that their model's post-hook drops: they cannot run again.
READS_DROPPED_SCRATCH_TABLE = {"model.crm_quality.int_person_records_clustered"}


def test_no_query_of_the_build_loops_over_pairs_of_rows(cross_engine_builds) -> None:
    results_file = cross_engine_builds["root"] / "postgres-1" / "target" / "run_results.json"
    queries = build_queries(json.loads(results_file.read_text(encoding="utf-8")))
    assert len(queries) > 200
    session = postgres_session_options(os.environ.get("PGOPTIONS", ""))
    pairwise, unrunnable = {}, set()
    with cross_engine.connect_postgres(cross_engine_builds["env"], options=session) as connection:
        for node, sql in queries.items():
            try:
                plan = executed_plan(connection, sql)
            except psycopg.errors.UndefinedTable:
                unrunnable.add(node)
                continue
            loops = [loop for loop in nested_loops(plan) if loop.is_pairwise]
            if loops:
                pairwise[node] = loops
    assert pairwise == {}
    assert unrunnable == READS_DROPPED_SCRATCH_TABLE
