"""BI reads a PostgreSQL warehouse throughout a build: it never gets an error, and it sees the
previous build's figures until the new build publishes all of them at once
(crm_quality/publish_postgres.py: building schemas swapped into place in one transaction).

Readers go through SQLAlchemy and psycopg, as BI tools do: one reconnects for every read; one
keeps a single connection, and the transaction SQLAlchemy opens on it, from before the build
to after it. The second build extends the first's history, in the published schemas.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
import sqlalchemy
from sqlalchemy.pool import NullPool

from crm_quality import publish_postgres
from crm_quality.build import run_build
from crm_quality.warehouse_roles import BI_READER, DATA_STEWARD
from python_checks import cross_engine
from python_checks.dbt_runner import AS_OF_DATE, dbt_environment, generate_demo
from python_checks.integration.test_bi_reads_during_build import (
    assert_whole_builds,
    read_engine_until_stopped,
    read_figures,
    reads_around,
)

pytestmark = pytest.mark.integration

DATABASE = "bi_reads_during_build"
LIVE = "main"
RETIRED = publish_postgres.RETIRED_INFIX
# A reader holding the previous build's tables keeps them from being dropped: publishing waits
# this long, then leaves them to the next prepare.
DROP_WAIT_SECONDS = 2
# The unit tests run on PostgreSQL in test_postgres_build.py; the data tests run here too, as
# the test results history extends across published builds.
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


def engine_for(environment: dict[str, str]) -> sqlalchemy.Engine:
    url = sqlalchemy.URL.create(
        "postgresql+psycopg",
        username=environment["PGUSER"],
        host=environment["PGHOST"],
        port=int(environment["PGPORT"]),
        database=environment["PGDATABASE"],
    )
    return sqlalchemy.create_engine(
        url, connect_args={"options": f"-c search_path={LIVE}"}, poolclass=NullPool
    )


def read_until_stopped(environment: dict, out: str, stop, keep_connection: bool) -> None:
    """A reader of the PostgreSQL warehouse (read_engine_until_stopped)."""
    read_engine_until_stopped(engine_for(environment), out, stop, keep_connection)


def build_and_publish(raw_dir: Path, work_dir: Path, environment: dict) -> str:
    """A PostgreSQL build as `make build TARGET=postgres` runs it: prepare the building schemas,
    load, build, train, build, publish (crm_quality.build.run_build)."""
    built = run_build(
        raw_dir,
        target="postgres",
        variables=json.dumps({"as_of_date": AS_OF_DATE}),
        target_path=work_dir / "target",  # one for both builds: the second reads the manifest
        log_path=work_dir / "logs",
        dbt_args=NO_UNIT_TESTS,
        declared_dir=work_dir / "declared",
        environment={
            **dbt_environment(raw_dir, work_dir, work_dir / "unused.duckdb"),
            **environment,
        },
    )
    assert built.returncode == 0, built.output[-4000:]
    assert "not published" not in built.output
    return built.output


def current_figures(environment: dict) -> list[float]:
    with engine_for(environment).connect() as connection:
        return read_figures(connection)


@pytest.fixture(scope="module")
def environment(postgres_env) -> dict[str, str]:
    """A database of its own in the session's cluster: other tests' builds stay untouched."""
    with cross_engine.connect_postgres(postgres_env) as admin:
        admin.execute(f"drop database if exists {DATABASE}")
        admin.execute(f"create database {DATABASE}")
    return {**postgres_env, "PGDATABASE": DATABASE}


@pytest.fixture(scope="module")
def reads_during_build(tmp_path_factory, environment) -> dict:
    """Build data A, then data B while two readers read; the figures of A and B, every read."""
    root = tmp_path_factory.mktemp("bi-reads-postgres")
    # Same seed, fewer people: other figures, and a matching model as cheap to score.
    for name, people in (("a", 300), ("b", 240)):
        generate_demo(root / f"raw_{name}", people=people, seed=3)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(publish_postgres, "DROP_WAIT_SECONDS", DROP_WAIT_SECONDS)
    build_and_publish(root / "raw_a", root / "postgres", environment)
    figures_a = current_figures(environment)
    output_b = []

    def build_b() -> None:
        output_b.append(build_and_publish(root / "raw_b", root / "postgres", environment))
        monkeypatch.undo()

    reads, _ = reads_around(read_until_stopped, environment, root, build_b)
    return {
        "a": figures_a,
        "b": current_figures(environment),
        "reads": reads,
        "output_b": output_b[0],
    }


def test_the_builds_differ(reads_during_build):
    assert reads_during_build["a"][0] != reads_during_build["b"][0]


def test_a_reconnecting_reader_sees_the_previous_build_until_the_new_one_publishes(
    reads_during_build,
):
    a, b = reads_during_build["a"], reads_during_build["b"]
    assert_whole_builds(reads_during_build["reads"]["reconnecting"], a, b)


def test_a_reader_holding_a_transaction_sees_whole_builds_without_an_error(reads_during_build):
    a, b = reads_during_build["a"], reads_during_build["b"]
    assert_whole_builds(reads_during_build["reads"]["held"], a, b)


def _schemas(environment: dict) -> list[str]:
    with cross_engine.connect_postgres(environment) as postgres:
        rows = postgres.execute(
            "select nspname from pg_namespace where left(nspname, 4) = 'main' order by 1"
        ).fetchall()
    return [name for (name,) in rows]


def test_the_published_schemas_keep_history_roles_and_functions(reads_during_build, environment):
    # The previous build's schemas are gone, but for those the held transaction kept (its
    # locks outlast the publish's wait: the next prepare drops them).
    published = [name for name in _schemas(environment) if RETIRED not in name]
    assert published == ["main", "main_audit", "main_restricted"]
    with cross_engine.connect_postgres(environment) as postgres:
        # Incremental models were carried over into the building schemas: both builds recorded.
        builds = postgres.execute(
            "select count(distinct run_id) from main.mart_data_quality_history"
        )
        assert builds.fetchone()[0] == 2
        # The similarity functions call each other by the published schema's name.
        distance = postgres.execute(
            "select main.crm_levenshtein(repeat('a', 300), repeat('b', 300))"
        )
        assert distance.fetchone()[0] == 300
        postgres.execute(f"set role {DATA_STEWARD}")
        postgres.execute("select count(*) from main_restricted.dim_customers").fetchone()
        postgres.execute(f"set role {BI_READER}")
        postgres.execute("select count(*) from main.mart_defect_rate").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            postgres.execute("select count(*) from main_restricted.dim_customers")


def test_a_failed_build_leaves_the_published_schemas_alone(
    reads_during_build, environment, tmp_path, monkeypatch
):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    building = publish_postgres.prepare(LIVE, manifest=None, wait_seconds=DROP_WAIT_SECONDS)
    with cross_engine.connect_postgres(environment) as postgres:
        postgres.execute(f"drop table {building}.mart_customer_shortage")
    failed = tmp_path / "run_results.json"
    failed.write_text(json.dumps({"results": [
        {"unique_id": "model.crm_quality.mart_customer_shortage", "status": "error"},
    ]}), encoding="utf-8")  # fmt: skip
    assert publish_postgres.publish(LIVE, failed, DROP_WAIT_SECONDS) != []
    assert current_figures(environment) == reads_during_build["b"]
    # The next build starts from the published schemas, not from the failed one's leftovers,
    # and drops the schemas retired while a reader held them.
    publish_postgres.prepare(LIVE, manifest=None, wait_seconds=DROP_WAIT_SECONDS)
    assert [name for name in _schemas(environment) if RETIRED in name] == []
    with cross_engine.connect_postgres(environment) as postgres:
        found = postgres.execute(
            "select count(*) from pg_tables where schemaname = %s and tablename = %s",
            [building, "mart_customer_shortage"],
        )
        assert found.fetchone()[0] == 1
        postgres.execute(f"drop schema {building}, {building}_restricted, {building}_audit cascade")


def test_the_second_build_extends_the_history_and_reuses_the_model(reads_during_build, environment):
    """Build B's history tables hold both builds; its records fit A's model, so the training
    step reads the registry from the published schema and reuses the model."""
    with cross_engine.connect_postgres(environment) as postgres:
        test_runs = postgres.execute(
            "select count(distinct run_id) from main.fct_test_results_history"
        ).fetchone()[0]
        judged = postgres.execute(
            "select count(*) from main.mart_quality_anomalies where is_latest_build"
        ).fetchone()[0]
        models = postgres.execute(
            "select count(*) from main_restricted.int_matching_models"
        ).fetchone()[0]
    assert test_runs == 2
    assert judged > 0
    assert "matching: reused model" in reads_during_build["output_b"]
    assert models == 1
