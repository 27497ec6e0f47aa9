"""Building beside the published warehouse and publishing it in one rename
(crm_quality/publish.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from crm_quality.publish import (
    PublishError,
    incomplete_figures,
    prepare,
    publish,
    wal_path,
    working_path,
)

BUILT = [
    {"unique_id": "seed.crm_quality.countries", "status": "success"},
    {"unique_id": "model.crm_quality.mart_customer_shortage", "status": "success"},
    {"unique_id": "operation.crm_quality.crm_quality-on-run-end-0", "status": "success"},
    {"unique_id": "test.crm_quality.monitor_customer_shortage_rate.d4ab24f748", "status": "pass"},
]


def write_warehouse(path: Path, value: int) -> None:
    with duckdb.connect(str(path), config={"storage_compatibility_version": "v1.4.0"}) as db:
        db.execute(f"create or replace table figures as select {value} as value")


def read_value(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select value from figures").fetchone()[0]


def write_run_results(path: Path, results: list[dict]) -> Path:
    path.write_text(json.dumps({"results": results}), encoding="utf-8")
    return path


def test_prepare_copies_the_published_warehouse_and_leaves_it_alone(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    write_warehouse(published, 1)
    working_path(published).write_bytes(b"left by an interrupted build")

    working = prepare(published)

    assert working == tmp_path / "warehouse.duckdb.building"
    write_warehouse(working, 2)  # the build goes on from the copy
    assert read_value(published) == 1
    assert read_value(working) == 2


def test_prepare_without_a_published_warehouse_starts_empty(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    working = prepare(published)
    assert not working.exists() and not published.exists()


def test_prepare_folds_a_crashed_writers_log_into_the_copy(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    write_warehouse(published, 1)
    # A writer that dies after a change, before its checkpoint, leaves the change in the log.
    crash = (
        f"import duckdb, os; db = duckdb.connect(r'{published}'); "
        "db.execute('set checkpoint_threshold = \\'1GB\\''); "
        "db.execute('update figures set value = 7'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", crash], check=True)
    assert wal_path(published).exists()

    working = prepare(published)

    assert not wal_path(working).exists()
    assert read_value(working) == 7


def hold_for_writing(database: Path) -> subprocess.Popen:
    """Another process with `database` open for writing, until its stdin closes."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; db = duckdb.connect(r'{database}'); print('open', flush=True);"
            " sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "open"
    return holder


def test_prepare_refuses_a_warehouse_another_process_writes(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    write_warehouse(published, 1)
    holder = hold_for_writing(published)
    try:
        with pytest.raises(PublishError, match="written by another process"):
            prepare(published)
        assert not working_path(published).exists()
    finally:
        holder.communicate("")


def test_prepare_refuses_while_another_build_writes_the_working_file(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    write_warehouse(published, 1)
    working = prepare(published)
    write_warehouse(working, 2)
    holder = hold_for_writing(working)
    try:
        with pytest.raises(PublishError, match="another build"):
            prepare(published)
    finally:
        holder.communicate("")
    assert read_value(working) == 2


def test_publish_replaces_the_warehouse_while_an_open_reader_keeps_the_old_one(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    write_warehouse(published, 1)
    working = prepare(published)
    write_warehouse(working, 2)
    reader = duckdb.connect(str(published), read_only=True)
    old_inode = os.stat(published).st_ino

    assert publish(published, write_run_results(tmp_path / "run_results.json", BUILT)) == []

    assert reader.execute("select value from figures").fetchone()[0] == 1
    reader.close()
    assert os.stat(published).st_ino != old_inode
    assert not working.exists() and not wal_path(published).exists()
    assert read_value(published) == 2
    with duckdb.connect(str(published), read_only=True) as connection:
        tags = connection.execute(
            "select tags from duckdb_databases() where database_name = 'warehouse'"
        ).fetchone()[0]
    assert tags["storage_version"].startswith("v1.4.0")  # BI drivers still read it


def test_test_failures_publish(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    write_warehouse(prepare(published), 2)
    failed_tests = [
        *BUILT,
        {"unique_id": "test.crm_quality.monitor_crm_defect_rate.0a1b", "status": "fail"},
        {"unique_id": "test.crm_quality.not_null_x.0a1c", "status": "error"},
        {"unique_id": "test.crm_quality.unique_y.0a1d", "status": "warn"},
    ]
    assert publish(published, write_run_results(tmp_path / "rr.json", failed_tests)) == []
    assert read_value(published) == 2


@pytest.mark.parametrize(
    "failed",
    [
        {"unique_id": "model.crm_quality.int_person_clusters", "status": "error"},
        {"unique_id": "model.crm_quality.mart_defect_rate", "status": "skipped"},
        {"unique_id": "seed.crm_quality.nicknames", "status": "error"},
        {"unique_id": "operation.crm_quality.crm_quality-on-run-end-0", "status": "error"},
    ],
)
def test_missing_figures_keep_the_previous_warehouse(tmp_path, failed):
    published = tmp_path / "warehouse.duckdb"
    write_warehouse(published, 1)
    working = prepare(published)
    write_warehouse(working, 2)

    kept = publish(published, write_run_results(tmp_path / "rr.json", [*BUILT, failed]))

    assert kept == [f"{failed['unique_id']}: {failed['status']}"]
    assert read_value(published) == 1
    assert read_value(working) == 2  # left for inspection


def test_a_build_that_wrote_no_run_results_is_not_published(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    write_warehouse(published, 1)
    write_warehouse(prepare(published), 2)
    assert publish(published, tmp_path / "run_results.json") != []
    assert read_value(published) == 1


def test_incomplete_figures_name_the_nodes():
    results = {"results": [*BUILT, {"unique_id": "model.p.m", "status": "error"}]}
    assert incomplete_figures(results) == ["model.p.m: error"]
    assert incomplete_figures({"results": BUILT}) == []
