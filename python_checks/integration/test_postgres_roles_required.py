"""A PostgreSQL build on a server without the reader roles stops before loading anything, and
says which roles are missing and how an administrator creates them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crm_quality import warehouse_roles
from crm_quality.build import run_build
from python_checks import cross_engine

REPO_ROOT = Path(__file__).resolve().parents[2]
# Roles are the whole cluster's: the test adds one no server has instead of dropping the real
# ones under the other tests of this process.
ABSENT_ROLE = "crm_quality_absent_role"


@pytest.fixture
def one_role_missing(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(warehouse_roles, "ROLES", (*warehouse_roles.ROLES, ABSENT_ROLE))
    return ABSENT_ROLE


def test_the_servers_roles_are_found(postgres_env: dict[str, str]) -> None:
    with cross_engine.connect_postgres(postgres_env) as connection:
        assert warehouse_roles.missing_roles(connection) == []
        warehouse_roles.require_roles(connection)


def test_a_build_without_a_role_stops_before_loading(
    postgres_env: dict[str, str], one_role_missing: str, tmp_path: Path
) -> None:
    built = run_build(
        REPO_ROOT / "data" / "demo",
        target="postgres",
        target_path=tmp_path / "target",
        environment={**os.environ, **postgres_env},
        publishing=False,
    )
    assert built.returncode == 1
    port, database = postgres_env["PGPORT"], postgres_env["PGDATABASE"]
    assert f"127.0.0.1:{port}/{database} has no role {one_role_missing};" in built.output
    assert "python -m crm_quality.warehouse_roles | psql" in built.output
    assert "load" not in built.phases and "dbt: parse" not in built.phases
