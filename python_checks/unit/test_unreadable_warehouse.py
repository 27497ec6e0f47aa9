"""The commands `make build` runs after dbt (the headline, the report) on a warehouse that is
not there to read: one line naming the warehouse and the cause, exit status 1, no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys

import duckdb
import pytest

from crm_quality import headline
from crm_quality.connect import exit_when_unreadable
from crm_quality.report import __main__ as report

COMMANDS = {"headline": headline.main, "report": report.main}


def _run(monkeypatch, command: str, *arguments: str) -> str:
    """`command`'s main with `arguments`; the message it exits with."""
    monkeypatch.setattr(sys, "argv", [command, *arguments])
    with pytest.raises(SystemExit) as exit_info:
        COMMANDS[command]()
    return str(exit_info.value.code)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unbuilt_warehouse(tmp_path):
    """A DuckDB file no build has written to."""
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).close()
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_duckdb_file_is_named(monkeypatch, tmp_path, command):
    missing = tmp_path / "nowhere.duckdb"
    out = ["--out", str(tmp_path / "report.html")] if command == "report" else []
    message = _run(monkeypatch, command, "--warehouse", str(missing), *out)
    assert message.startswith(f"error: cannot read the warehouse (DuckDB file {missing}): ")
    assert "does not exist" in message


@pytest.mark.parametrize("command", COMMANDS)
def test_marts_no_build_published_are_one_line(monkeypatch, tmp_path, unbuilt_warehouse, command):
    out = ["--out", str(tmp_path / "report.html")] if command == "report" else []
    message = _run(monkeypatch, command, "--warehouse", str(unbuilt_warehouse), *out)
    assert "mart_customer_shortage does not exist" in message
    assert message.endswith("(has a build published it?)")
    assert "\n" not in message


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreachable_postgres_is_named(monkeypatch, tmp_path, command):
    port = _closed_port()
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(port))
    monkeypatch.setenv("CRM_PG_SCHEMA", "crm_prod")
    out = ["--out", str(tmp_path / "report.html")] if command == "report" else []
    message = _run(monkeypatch, command, "--target", "postgres", *out)
    assert message.startswith("error: cannot read the warehouse (PostgreSQL, schema crm_prod): ")
    assert f'"127.0.0.1", port {port} failed' in message


def test_other_errors_keep_their_traceback():
    """Only a warehouse that is not there ends quietly: a wrong query is a bug to see whole."""
    with pytest.raises(duckdb.BinderException), exit_when_unreadable("duckdb", "w.duckdb"):
        duckdb.connect().execute("select missing_column from (select 1 as present)")


def test_the_command_exits_1_with_the_line_alone(unbuilt_warehouse):
    completed = subprocess.run(
        [sys.executable, "-m", "crm_quality.headline", "--warehouse", str(unbuilt_warehouse)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.startswith("error: cannot read the warehouse (DuckDB file ")
    assert completed.stderr.count("\n") == 1
