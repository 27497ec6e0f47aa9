"""The commands that read a built warehouse (`make build`'s headline and report, `make
review-sample`, `make merge-export`) on one that is not there to read: one line naming the
warehouse and the cause, exit status 1, no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys

import duckdb
import pytest

from crm_quality import headline, merge_export
from crm_quality.connect import exit_when_unreadable
from crm_quality.report import __main__ as report
from crm_quality.review import __main__ as review

# Each command's main, the arguments before the warehouse's, and what it writes (under tmp_path).
COMMANDS = {
    "headline": (headline.main, [], None),
    "report": (report.main, [], "report.html"),
    "merge_export": (merge_export.main, [], "exports"),
    "review": (review.main, ["sample"], "review.csv"),
}


def _run(monkeypatch, tmp_path, command: str, *warehouse: str) -> str:
    """`command`'s main on `warehouse` (its arguments); the message it exits with."""
    main, before, written = COMMANDS[command]
    out = ["--out", str(tmp_path / written)] if written else []
    monkeypatch.setattr(sys, "argv", [command, *before, *warehouse, *out])
    with pytest.raises(SystemExit) as exit_info:
        main()
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


# The review sample checks for the file itself, before reading it ("run `make build` first").
@pytest.mark.parametrize("command", [command for command in COMMANDS if command != "review"])
def test_a_missing_duckdb_file_is_named(monkeypatch, tmp_path, command):
    missing = tmp_path / "nowhere.duckdb"
    message = _run(monkeypatch, tmp_path, command, "--warehouse", str(missing))
    assert message.startswith(f"error: cannot read the warehouse (DuckDB file {missing}): ")
    assert "does not exist" in message


@pytest.mark.parametrize("command", COMMANDS)
def test_marts_no_build_published_are_one_line(monkeypatch, tmp_path, unbuilt_warehouse, command):
    message = _run(monkeypatch, tmp_path, command, "--warehouse", str(unbuilt_warehouse))
    assert message.startswith(
        f"error: cannot read the warehouse (DuckDB file {unbuilt_warehouse}): "
    )
    assert "does not exist!" in message
    assert message.endswith("(has a build published it?)")
    assert "\n" not in message


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreachable_postgres_is_named(monkeypatch, tmp_path, command):
    port = _closed_port()
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(port))
    monkeypatch.setenv("CRM_PG_SCHEMA", "crm_prod")
    message = _run(monkeypatch, tmp_path, command, "--target", "postgres")
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
