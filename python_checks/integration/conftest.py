"""One generated dataset and one dbt build, shared by the integration tests that read marts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from crm_quality.external.febrl import write_raw
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
# The monitors of the data's rates: null rates, the shortage and the defect rates. Builds of
# data made to breach them (bad input, a lead-heavy CRM, a company's exports without birth
# dates) leave them out: a failing monitor is not what those builds are for.
RATE_MONITORS = (
    "test_name:null_rate_at_most",
    "test_name:shortage_rate_at_most",
    "test_name:defect_rate_at_most",
)
# FEBRL has no e-mail or phone by design, and FEBRL2's CRM holds a tenth of the customers.
FEBRL_NOT_UNDER_TEST = ["--exclude", *RATE_MONITORS]


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
def febrl_build(tmp_path_factory) -> Callable[[str, str], tuple[Path, DbtRun]]:
    """FEBRL `dataset` in `layout` (crm_quality.external.febrl) built on DuckDB, once per
    session: test_febrl.py judges its clusters, test_postgres_other_data.py builds FEBRL2 on
    PostgreSQL beside it. Returns (the raw directory, the build)."""
    builds: dict[tuple[str, str], tuple[Path, DbtRun]] = {}

    def build(dataset: str, layout: str) -> tuple[Path, DbtRun]:
        if (dataset, layout) not in builds:
            root = tmp_path_factory.mktemp(f"febrl{dataset}_{layout}")
            write_raw(dataset, layout, root / "raw")
            run = run_dbt(["build", *FEBRL_NOT_UNDER_TEST], root / "raw", root / "build")
            builds[dataset, layout] = (root / "raw", run)
        return builds[dataset, layout]

    return build


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
