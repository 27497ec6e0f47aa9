"""The build's own PostgreSQL sessions (load, training, publish, headline) reach the server,
database and role dbt's postgres target reaches, whichever PG* variables are set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crm_quality.connect import postgres_parameters

REPO_ROOT = Path(__file__).resolve().parents[2]
PG_VARIABLES = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")


@pytest.fixture
def no_pg_variables(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PG_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_unset_variables_take_the_profiles_defaults(no_pg_variables) -> None:
    # libpq's own defaults would be a local socket, the login's user and a database of its
    # name: another server or database than dbt's.
    assert postgres_parameters() == {
        "host": "127.0.0.1",
        "port": "5432",
        "user": "postgres",
        "dbname": "crm_quality",
    }


def test_each_variable_set_is_used(no_pg_variables) -> None:
    no_pg_variables.setenv("PGDATABASE", "crm")
    no_pg_variables.setenv("PGPORT", "6543")
    no_pg_variables.setenv("PGPASSWORD", "s3cret")
    assert postgres_parameters() == {
        "host": "127.0.0.1",
        "port": "6543",
        "user": "postgres",
        "password": "s3cret",
        "dbname": "crm",
    }


def test_every_session_connects_through_the_profiles_parameters() -> None:
    calls = [
        str(path.relative_to(REPO_ROOT))
        for folder in ("crm_quality", "benchmarks")
        for path in sorted((REPO_ROOT / folder).rglob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"psycopg\.connect\(", line)
    ]
    assert calls == ["crm_quality/connect.py"]  # postgres_connection
