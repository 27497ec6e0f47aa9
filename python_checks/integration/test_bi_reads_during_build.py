"""A BI tool reads the warehouse throughout `make build`: it never gets an error, and it sees the
previous build's figures until the new build publishes all of them at once.

Readers go through SQLAlchemy and duckdb-engine, the driver BI tools use, in processes of their
own (DuckDB's file locks are per process): one reconnects for every read, as a dashboard does;
one keeps a single connection open from before the build to after it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy.pool import NullPool

from crm_quality.build import BuildResult, run_build
from python_checks.dbt_runner import AS_OF_DATE, REPO_ROOT, dbt_environment, generate_demo

pytestmark = pytest.mark.integration

# Two figures from two marts in one statement: a read mixing two builds would show it.
FIGURES_SQL = """
    select
        (select shortage_rate_pct from mart_customer_shortage where breakdown = 'overall'),
        (select defect_rate_pct from mart_defect_rate
         where source_system = 'crm' and source_name = 'all' and source_channel = 'all'
             and defect_type = 'any' and field = 'record' and quality_dimension = 'all')
"""
PAUSE_SECONDS = 0.1
WITHOUT_TESTS = ("--exclude-resource-type", "test", "unit_test")


def read_figures(connection: sqlalchemy.Connection) -> list[float]:
    return [float(value) for value in connection.execute(sqlalchemy.text(FIGURES_SQL)).one()]


def read_until_stopped(warehouse: str, out: str, stop, keep_connection: bool) -> None:
    """A reader of the DuckDB file at `warehouse`, opened as BI tools open it."""
    engine = sqlalchemy.create_engine(
        f"duckdb:///{warehouse}", connect_args={"read_only": True}, poolclass=NullPool
    )
    read_engine_until_stopped(engine, out, stop, keep_connection)


def read_engine_until_stopped(
    engine: sqlalchemy.Engine, out: str, stop, keep_connection: bool
) -> None:
    """Read the figures every PAUSE_SECONDS until `stop` is set; one JSON line per read. With
    `keep_connection` one connection (and its transaction) serves every read, else each read
    connects anew."""
    held = engine.connect() if keep_connection else None
    with open(out, "w", encoding="utf-8") as lines:
        while not stop.is_set():
            try:
                if held is not None:
                    figures = read_figures(held)
                else:
                    with engine.connect() as connection:
                        figures = read_figures(connection)
                line = {"figures": figures}
            except Exception as error:  # noqa: BLE001 - every error is what the test counts
                line = {"error": str(error).splitlines()[0]}
            lines.write(json.dumps(line) + "\n")
            lines.flush()
            time.sleep(PAUSE_SECONDS)
    if held is not None:
        held.close()


def make_build(raw_dir: Path, root: Path) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    environment.update(
        CRM_RAW_DIR=str(raw_dir),
        CRM_DUCKDB_PATH=str(root / "warehouse.duckdb"),
        DBT_TARGET_PATH=str(root / "target"),
        DBT_LOG_PATH=str(root / "logs"),
    )
    return subprocess.run(
        ["make", "build", f"AS_OF={AS_OF_DATE}", f"REPORT={root / 'report.html'}"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def published_build(raw_dir: Path, root: Path) -> BuildResult:
    """The build make_build runs, published to the same file, in this process and without data
    tests: the previous build, only there for its figures."""
    return run_build(
        raw_dir,
        warehouse=root / "warehouse.duckdb",
        variables=json.dumps({"as_of_date": AS_OF_DATE}),
        target_path=root / "target",
        log_path=root / "logs",
        dbt_args=WITHOUT_TESTS,
        environment=dbt_environment(raw_dir, root, root / "warehouse.duckdb"),
    )


def current_figures(warehouse: Path) -> list[float]:
    engine = sqlalchemy.create_engine(
        f"duckdb:///{warehouse}", connect_args={"read_only": True}, poolclass=NullPool
    )
    with engine.connect() as connection:
        return read_figures(connection)


@pytest.fixture(scope="module")
def reads_during_build(tmp_path_factory) -> dict:
    """Build on data A, then build on data B while two readers read; the figures of A and B and
    every read."""
    root = tmp_path_factory.mktemp("bi-reads")
    generate_demo(root / "raw_a", people=300, seed=3)
    generate_demo(root / "raw_b", people=300, seed=8)
    warehouse = root / "warehouse.duckdb"
    first = published_build(root / "raw_a", root)
    assert first.returncode == 0, first.output[-4000:]
    figures_a = current_figures(warehouse)

    reads, second = reads_around(
        read_until_stopped, str(warehouse), root, lambda: make_build(root / "raw_b", root)
    )
    return {"a": figures_a, "b": current_figures(warehouse), "reads": reads, "build": second}


def reads_around(reader, source: str | dict, root: Path, build):
    """Two reader processes, `reader(source, out, stop, keep_connection)`, one reconnecting
    for each read ('reconnecting') and one holding its connection ('held'), read from before
    `build()` starts until after it ends. Returns their reads by name and what build returned."""
    spawn = multiprocessing.get_context("spawn")
    stop = spawn.Event()
    readers = {
        name: spawn.Process(
            target=reader, args=(source, str(root / f"{name}.jsonl"), stop, name == "held")
        )
        for name in ("reconnecting", "held")
    }
    for process in readers.values():
        process.start()
    time.sleep(3)  # both readers have read A before the build starts
    built = build()
    time.sleep(3)  # and read on after it published
    stop.set()
    for process in readers.values():
        process.join(timeout=30)
    reads = {
        name: [
            json.loads(line)
            for line in (root / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        for name in readers
    }
    return reads, built


def test_the_build_succeeds_while_readers_read_and_the_builds_differ(reads_during_build):
    build = reads_during_build["build"]
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-2000:]
    assert reads_during_build["a"][0] != reads_during_build["b"][0]


def test_a_reconnecting_reader_sees_the_previous_build_until_the_new_one_publishes(
    reads_during_build,
):
    reads = reads_during_build["reads"]["reconnecting"]
    assert_whole_builds(reads, reads_during_build["a"], reads_during_build["b"])


def assert_whole_builds(reads: list[dict], a: list[float], b: list[float]) -> None:
    """No read failed, the reads span the build, and each saw one whole build: A, then B."""
    errors = [read["error"] for read in reads if "error" in read]
    assert errors == [], errors[:5]
    seen = [read["figures"] for read in reads]
    assert len(seen) > 50, "the reader read throughout the build"
    assert seen[0] == a and seen[-1] == b
    # Once B is published A never comes back.
    switch = seen.index(b)
    assert seen[:switch] == [a] * switch
    assert seen[switch:] == [b] * (len(seen) - switch)


def test_a_reader_holding_the_old_file_open_keeps_a_consistent_view(reads_during_build):
    a = reads_during_build["a"]
    reads = reads_during_build["reads"]["held"]
    errors = [read["error"] for read in reads if "error" in read]
    assert errors == [], errors[:5]
    assert len(reads) > 50
    assert all(read["figures"] == a for read in reads)
