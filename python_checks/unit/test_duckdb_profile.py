"""The DuckDB warehouse's settings (profiles.yml): DuckDB's block allocator is sized as its
memory limit, wherever that limit comes from, so freed blocks are reused, not faulted in anew."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from crm_quality.connect import duckdb_profile_config
from python_checks.benchmark_scripts import load_benchmark_script


@pytest.mark.parametrize("limit", [None, "3GB"])
def test_the_block_allocator_is_as_large_as_the_memory_limit(monkeypatch, limit) -> None:
    if limit is None:
        monkeypatch.delenv("CRM_DUCKDB_MEMORY_LIMIT", raising=False)
    else:
        monkeypatch.setenv("CRM_DUCKDB_MEMORY_LIMIT", limit)
    config = duckdb_profile_config()
    assert config["memory_limit"] == (limit or "4.5GB")
    assert config["block_allocator_memory"] == config["memory_limit"]


def test_a_connection_opened_as_dbt_opens_the_warehouse_has_the_block_allocator() -> None:
    with duckdb.connect(config=duckdb_profile_config()) as connection:
        allocator, limit = connection.execute(
            "select current_setting('block_allocator_memory'), current_setting('memory_limit')"
        ).fetchone()
    assert allocator == limit != "0 bytes"


def test_the_benchmarks_memory_limit_sizes_the_block_allocator_too(tmp_path) -> None:
    bench = load_benchmark_script("run_benchmark")
    written = bench.limited_profiles(tmp_path, "8GB") / "profiles.yml"
    profiles = yaml.safe_load(written.read_text())
    options = profiles["crm_quality"]["outputs"]["duckdb"]["config_options"]
    assert options["memory_limit"] == options["block_allocator_memory"] == "8GB"
