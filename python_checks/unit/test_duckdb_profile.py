"""DuckDB keeps the memory it frees (crm_quality/duckdb_memory.py): the warehouse's connection
(a dbt-duckdb plugin named in profiles.yml) and training's own DuckDB turn its block allocator
on, as large as the memory limit, and a machine too small for it keeps working without."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pytest
import yaml

from crm_quality.connect import PROFILES
from crm_quality.duckdb_memory import Plugin, keep_freed_blocks
from python_checks.benchmark_scripts import load_benchmark_script


def _settings(connection: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    return connection.execute(
        "select current_setting('block_allocator_memory'), current_setting('memory_limit')"
    ).fetchone()


def test_the_profiles_duckdb_connection_runs_the_plugin() -> None:
    duckdb_output = yaml.safe_load(PROFILES.read_text())["crm_quality"]["outputs"]["duckdb"]
    assert {"module": "crm_quality.duckdb_memory"} in duckdb_output["plugins"]


def test_the_plugin_sizes_the_block_allocator_as_the_profiles_memory_limit() -> None:
    credentials = SimpleNamespace(config_options={"memory_limit": "1GB"})
    plugin = Plugin(name="duckdb_memory", plugin_config={}, credentials=credentials)
    with duckdb.connect(config={"memory_limit": "1GB"}) as connection:
        assert _settings(connection)[0] == "0 bytes"
        plugin.configure_connection(connection)
        allocator, limit = _settings(connection)
    assert allocator == limit == "953.6 MiB"


def test_a_profile_without_a_memory_limit_leaves_the_allocator_as_duckdb_has_it() -> None:
    plugin = Plugin(name="duckdb_memory", plugin_config={}, credentials=SimpleNamespace(
        config_options={"storage_compatibility_version": "v1.4.0"}))  # fmt: skip
    with duckdb.connect() as connection:
        plugin.configure_connection(connection)
        assert _settings(connection)[0] == "0 bytes"


def test_a_machine_too_small_for_the_block_allocator_keeps_its_connection() -> None:
    # DuckDB refuses a block allocator beyond 80 % of the machine's memory.
    with duckdb.connect() as connection:
        assert not keep_freed_blocks(connection, "1000TB")
        assert _settings(connection)[0] == "0 bytes"
        assert connection.execute("select 42").fetchone() == (42,)


def test_the_benchmarks_memory_limit_reaches_the_plugin(tmp_path) -> None:
    bench = load_benchmark_script("run_benchmark")
    written = bench.limited_profiles(tmp_path, "8GB") / "profiles.yml"
    duckdb_output = yaml.safe_load(written.read_text())["crm_quality"]["outputs"]["duckdb"]
    assert duckdb_output["config_options"]["memory_limit"] == "8GB"
    assert {"module": "crm_quality.duckdb_memory"} in duckdb_output["plugins"]


def test_trainings_own_duckdb_keeps_freed_blocks_as_the_warehouse_does(monkeypatch) -> None:
    from crm_quality.matching import train_step

    seen = {}

    class Seen(Exception):
        pass

    def reads_the_session(session, *args, **kwargs):
        seen["allocator"] = _settings(session)[0]
        raise Seen

    monkeypatch.setenv("CRM_DUCKDB_MEMORY_LIMIT", "1GB")
    monkeypatch.setattr(train_step, "train_or_reuse", reads_the_session)
    inputs = SimpleNamespace(
        records=pa.table({"record_key": ["a"]}),
        previous=pa.table({}),
        options=None,
        max_key_group_size=None,
    )
    with pytest.raises(Seen):
        train_step.train(inputs)
    assert seen["allocator"] == "953.6 MiB"
