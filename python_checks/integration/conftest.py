"""One generated dataset and one dbt build, shared by the integration tests that read marts."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from python_checks import cross_engine
from python_checks.dbt_runner import DbtRun, generate_demo, run_dbt

PEOPLE = 3000
SEED = 20261125
CROSS_ENGINE_PEOPLE = 1500
CROSS_ENGINE_SEED = 7
REVIEW_PEOPLE = 1500
REVIEW_SEED = 20261202
# Not the default (200): the sample's size must come from the build's vars.
REVIEW_SAMPLE_SIZE = 120


@pytest.fixture(scope="module")
def module_postgres_env(postgres_env, request) -> dict[str, str]:
    """postgres_env with a database of the test module's own: modules that load tables of the
    same name (the seeds) may run one after the other on one worker's cluster."""
    database = f"module_{request.module.__name__.rsplit('.', 1)[-1]}"[:63]
    with psycopg.connect(
        host=postgres_env["PGHOST"], port=postgres_env["PGPORT"], user=postgres_env["PGUSER"],
        dbname=postgres_env["PGDATABASE"], autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute(f'drop database if exists "{database}"')
        connection.execute(f'create database "{database}"')
    return {**postgres_env, "PGDATABASE": database}


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> tuple[dict, DbtRun]:
    root = tmp_path_factory.mktemp("generated")
    truth = generate_demo(root / "raw", people=PEOPLE, seed=SEED)
    run = run_dbt(["build"], root / "raw", root / "build")
    assert run.returncode == 0, run.output[-4000:]
    return truth, run


@pytest.fixture(scope="session")
def review_build(tmp_path_factory) -> tuple[Path, DbtRun]:
    """Generated data with several CRM sources (a newsletter list without ids among them, as
    the shipped demo), built without labels: the review queue's and the review loop's start."""
    root = tmp_path_factory.mktemp("review")
    generate_demo(
        root / "raw", people=REVIEW_PEOPLE, seed=REVIEW_SEED, extra_args=["--layout", "sources"]
    )
    run = run_dbt(
        ["build"], root / "raw", root / "build", {"review_sample_size": REVIEW_SAMPLE_SIZE}
    )
    assert run.returncode == 0, run.output[-4000:]
    return root / "raw", run


@pytest.fixture(scope="session")
def truth(generated) -> dict:
    return generated[0]


@pytest.fixture(scope="session")
def warehouse(generated) -> DbtRun:
    return generated[1]


@pytest.fixture(scope="session")
def cross_engine_builds(tmp_path_factory, postgres_env) -> dict:
    """Generated data built on DuckDB, then on PostgreSQL (python_checks/cross_engine.py)."""
    root = tmp_path_factory.mktemp("cross-engine")
    generate_demo(root / "raw", people=CROSS_ENGINE_PEOPLE, seed=CROSS_ENGINE_SEED)
    # The tests of the SQL too, as on PostgreSQL: both builds' test results histories are compared.
    duck = run_dbt(["build"], root / "raw", root / "duckdb", sql_tests=True)
    assert duck.returncode == 0, duck.output[-4000:]
    postgres = cross_engine.build_on_postgres(
        ["build"], root / "raw", root / "postgres-1", postgres_env
    )
    return {"root": root, "duckdb": duck, "postgres": postgres, "env": postgres_env}
