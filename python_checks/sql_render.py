"""Render dbt SQL (the project's macros included) for an engine without building anything.

A test of a macro compiles a snippet once per engine and runs the SQL itself: on a DuckDB
connection, or on PostgreSQL through psycopg. The project is parsed once per target and
process; each snippet is then compiled against that parse.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from dbt.cli.main import dbtRunner

REPO_ROOT = Path(__file__).resolve().parent.parent
_WORK = Path(tempfile.mkdtemp(prefix="crm-quality-render-"))


@contextmanager
def _environment(target: str, extra: dict[str, str]):
    saved = dict(os.environ)
    os.environ.update({
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "CRM_DUCKDB_PATH": str(_WORK / "render.duckdb"),
        "CRM_DBT_TARGET": target,
        **extra,
    })  # fmt: skip
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _arguments(target: str) -> list[str]:
    return [
        "--project-dir", str(REPO_ROOT), "--target", target,
        "--target-path", str(_WORK / target / "target"), "--log-path", str(_WORK / target / "logs"),
        "--quiet",
    ]  # fmt: skip


@cache
def _manifest(target: str, environment: tuple[tuple[str, str], ...]):
    with _environment(target, dict(environment)):
        result = dbtRunner().invoke(["parse", *_arguments(target)])
    if not result.success:
        raise RuntimeError(f"dbt parse for target {target!r} failed: {result.exception}")
    return result.result


def _inline(command: str, inline_sql: str, target: str, environment: dict | None):
    """dbt's result of `command` (compile or show) on `inline_sql`, or a RuntimeError."""
    extra = dict(environment or {})
    manifest = _manifest(target, tuple(sorted(extra.items())))
    with _environment(target, extra):
        result = dbtRunner(manifest=manifest).invoke(
            [command, "--inline", inline_sql, *_arguments(target)]
            + (["--no-populate-cache"] if command == "compile" else ["--limit", "-1"])
        )
    if not result.success:
        # dbt leaves a failed inline node in the manifest it was given: the next inline
        # command on it would find two of that name. The next call parses afresh.
        _manifest.cache_clear()
        raise RuntimeError(f"dbt could not {command} the SQL on {target!r}: {result.exception}")
    return result.result.results[0]


def compiled_sql(inline_sql: str, target: str = "duckdb", environment: dict | None = None) -> str:
    """The SQL dbt compiles `inline_sql` to on `target` ('duckdb' or 'postgres').

    `environment` adds variables (for postgres: the PG* variables of the server, which dbt
    reaches while compiling); ref() and source() resolve to the target's relation names.
    """
    return _inline("compile", inline_sql, target, environment).node.compiled_code


def shown_rows(inline_sql: str, target: str = "duckdb", environment: dict | None = None) -> list:
    """The rows `dbt show` gives for `inline_sql` on `target`: compiled and run in one session,
    for SQL whose compilation leaves scratch tables its select reads (compiled_sql cannot run
    it). agate guesses column types, so a value that must stay text needs a non-digit prefix."""
    return [tuple(row) for row in _inline("show", inline_sql, target, environment).agate_table.rows]


def render_duckdb_path() -> Path:
    """The DuckDB file compiled_sql and run_models use on the duckdb target."""
    return _WORK / "render.duckdb"


def run_models(selection: str, target: str = "duckdb", environment: dict | None = None) -> None:
    """`dbt run --select selection` on `target`, reading whatever tables its refs name there
    (on DuckDB, in render_duckdb_path()): for a model whose SQL runs queries while it compiles,
    which compiled_sql cannot capture."""
    _run(["run", "--select", selection], target, environment)


def load_seeds(seeds: Sequence[str], target: str = "duckdb", environment: dict | None = None):
    """`dbt seed --select seeds` on `target` (on DuckDB, into render_duckdb_path()), as a build
    loads them, on the parse compiled_sql uses."""
    _run(["seed", "--select", *seeds], target, environment)


def _run(command: list[str], target: str, environment: dict | None) -> None:
    extra = dict(environment or {})
    manifest = _manifest(target, tuple(sorted(extra.items())))
    with _environment(target, extra):
        result = dbtRunner(manifest=manifest).invoke([*command, *_arguments(target)])
    if not result.success:
        messages = [node.message for node in getattr(result.result, "results", [])]
        raise RuntimeError(
            f"dbt {' '.join(command)} on {target!r} failed: {result.exception or messages}"
        )
