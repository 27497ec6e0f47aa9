"""Data no one here wrote, built on DuckDB and on PostgreSQL: the same marts.

test_postgres_build.py compares the engines on the generator's contract files, and
test_relation_sources.py on a CRM exported the way companies hold it (Salesforce contacts and
leads, a HubSpot export, a German newsletter list) read partly from warehouse tables. FEBRL2
takes the paths that data never reaches: no e-mail, no phone, so the matching model compares
fewer fields. Its DuckDB build is test_febrl.py's (integration/conftest.py, febrl_build).
"""

from __future__ import annotations

import pytest

from python_checks import cross_engine
from python_checks.integration.conftest import FEBRL_NOT_UNDER_TEST

pytestmark = pytest.mark.integration

SCHEMA = "febrl2"  # CRM_PG_SCHEMA: the build's own schemas
# What FEBRL2 exercises, true on both engines: e-mail is not compared.
EXERCISED = "select not is_compared from fct_matching_fields where field_name = 'email'"


@pytest.fixture(scope="module")
def builds(febrl_build, tmp_path_factory, postgres_env) -> dict:
    raw, duck = febrl_build("2", "link")
    root = tmp_path_factory.mktemp("febrl2_postgres")
    postgres = cross_engine.build_on_postgres(
        ["build", *FEBRL_NOT_UNDER_TEST], raw, root / "postgres", postgres_env, schema=SCHEMA
    )
    return {"root": root, "duckdb": duck, "postgres": postgres, "env": postgres_env}


def test_both_builds_pass_every_test(builds) -> None:
    assert builds["duckdb"].returncode == 0, builds["duckdb"].output[-3000:]
    assert builds["postgres"].returncode == 0, builds["postgres"].stdout[-3000:]
    assert cross_engine.unpassed(builds["root"] / "postgres") == {}


def test_the_data_takes_its_paths_on_both_engines(builds) -> None:
    exercised = cross_engine.on_both_engines(builds["duckdb"], builds["env"], SCHEMA, EXERCISED)
    assert exercised == (True, True)


def test_every_mart_is_identical_on_both_engines(builds) -> None:
    differences = cross_engine.differing_tables(
        builds["duckdb"], builds["env"], builds["root"] / "postgres", schema=SCHEMA
    )
    assert differences == {}


def test_headline_and_merge_files_read_alike_from_both_engines(builds, tmp_path) -> None:
    differing, read = cross_engine.read_off_differences(
        builds["duckdb"], builds["env"], SCHEMA, tmp_path
    )
    assert differing == []
    assert "merge_suggestions.csv" in read
