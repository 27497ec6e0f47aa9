"""Data other than the usual generated mix, built on DuckDB and on PostgreSQL: the same marts.

test_postgres_build.py compares the engines on the generator's contract files. These cases take
the paths that data never reaches: FEBRL2 (data no one here wrote: no e-mail, no phone, so the
matching model compares fewer fields), and a CRM exported the way companies hold it
(Salesforce contacts and leads with conversions and recycle-bin rows, a HubSpot export, a
German newsletter list) for East Asian and German people without birth dates.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crm_quality.external.febrl import write_raw
from python_checks import cross_engine
from python_checks.dbt_runner import REPO_ROOT, generate_demo, run_dbt

pytestmark = pytest.mark.integration

# The monitors judge a dataset's completeness (FEBRL has no e-mail or phone by design): the
# same on both engines, but a failing monitor is not what these builds are for.
MONITORS = [
    "--exclude",
    "test_name:null_rate_at_most",
    "test_name:shortage_rate_at_most",
    "test_name:defect_rate_at_most",
]
SOURCES_LAYOUT = [
    "--layout", "sources", "--leads", "150", "--countries", "CN,JP,KR,DE",
    "--without", "birth_date",
]  # fmt: skip
# Case → (how its raw directory is written, a query of what the case exercises, which must
# return true on both engines).
CASES = {
    "febrl2": (
        lambda raw: write_raw("2", "link", raw),
        "select not is_compared from fct_matching_fields where field_name = 'email'",
    ),
    "company_exports": (
        lambda raw: generate_demo(raw, people=600, seed=11, extra_args=SOURCES_LAYOUT),
        "select count(*) > 0 from customer_xref where link_type = 'converted_lead'",
    ),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def builds(request, tmp_path_factory, postgres_env) -> dict:
    write, exercised = CASES[request.param]
    root = tmp_path_factory.mktemp(request.param)
    write(root / "raw")
    duck = run_dbt(["build", *MONITORS], root / "raw", root / "duckdb", sql_tests=True)
    schema = request.param  # CRM_PG_SCHEMA: each case builds its own schemas
    postgres = cross_engine.build_on_postgres(
        ["build", *MONITORS], root / "raw", root / "postgres", postgres_env, schema=schema
    )
    return {
        "root": root, "duckdb": duck, "postgres": postgres, "env": postgres_env,
        "schema": schema, "exercised": exercised,
    }  # fmt: skip


def test_both_builds_pass_every_test(builds) -> None:
    assert builds["duckdb"].returncode == 0, builds["duckdb"].output[-3000:]
    assert builds["postgres"].returncode == 0, builds["postgres"].stdout[-3000:]
    statuses = cross_engine.node_statuses(builds["root"] / "postgres")
    assert {node: status for node, status in statuses.items()
            if status not in ("success", "pass", "warn", "no-op")} == {}  # fmt: skip


def test_the_case_takes_its_paths_on_both_engines(builds) -> None:
    assert builds["duckdb"].scalar(builds["exercised"]) is True
    with cross_engine.connect_postgres(builds["env"]) as postgres:
        postgres.execute(f"set search_path to {builds['schema']}")
        assert postgres.execute(builds["exercised"]).fetchone()[0] is True


def test_every_mart_is_identical_on_both_engines(builds) -> None:
    differences = cross_engine.differing_tables(
        builds["duckdb"], builds["env"], builds["root"] / "postgres", schema=builds["schema"]
    )
    assert differences == {}


def test_headline_and_merge_files_read_alike_from_both_engines(builds, tmp_path) -> None:
    """What people read off the warehouse, in the same order: the headline, and the merge
    files a steward hands back to the CRM (Salesforce's mixed-case ids sort by code point)."""
    postgres_env = {**os.environ, **builds["env"], "CRM_PG_SCHEMA": builds["schema"]}
    warehouse = ["--warehouse", str(builds["duckdb"].warehouse)]
    written = {}
    for engine, target, env in (
        ("postgres", ["--target", "postgres"], postgres_env),
        ("duckdb", warehouse, None),
    ):
        out = tmp_path / engine
        for module, arguments in (
            ("headline", target),
            ("merge_export", [*target, "--out", str(out)]),
        ):
            printed = subprocess.run(
                [sys.executable, "-m", f"crm_quality.{module}", *arguments],
                cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            written[engine, module] = printed.replace(str(out), "OUT")
        for path in sorted(out.iterdir()):
            written[engine, path.name] = path.read_text(encoding="utf-8")
    for (engine, name), text in written.items():
        if engine == "duckdb":
            assert written["postgres", name] == text, name
    assert ("postgres", "merge_suggestions.csv") in written
