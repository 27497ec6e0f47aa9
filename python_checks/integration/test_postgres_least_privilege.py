"""A shared warehouse rarely hands out superuser: a role holding only `create` on its database
builds and publishes the whole project there (its schemas, and the fuzzystrmatch extension,
trusted since PostgreSQL 13), here under a schema name of its own (CRM_PG_SCHEMA)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crm_quality.build import run_build
from python_checks import cross_engine
from python_checks.dbt_runner import AS_OF_DATE

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
DATABASE = "crm_least_privilege"
ROLE = "crm_builder"
SCHEMA = "crm"


@pytest.fixture(scope="module")
def built(postgres_env, tmp_path_factory) -> dict:
    """The shipped demo built and published as ROLE into a new database (no extension in it)."""
    with cross_engine.connect_postgres(postgres_env) as admin:
        admin.execute(f"drop database if exists {DATABASE}")
        admin.execute(f"create database {DATABASE}")
        admin.execute(f"drop role if exists {ROLE}")
        admin.execute(f"create role {ROLE} login nosuperuser nocreatedb nocreaterole")
        admin.execute(f"grant create on database {DATABASE} to {ROLE}")
    environment = {**postgres_env, "PGUSER": ROLE, "PGDATABASE": DATABASE, "CRM_PG_SCHEMA": SCHEMA}
    result = run_build(
        REPO_ROOT / "data" / "demo",
        target="postgres",
        variables=json.dumps({"as_of_date": AS_OF_DATE}),
        target_path=tmp_path_factory.mktemp("least-privilege") / "target",
        environment={**os.environ, **environment},
    )
    return {"result": result, "admin": {**postgres_env, "PGDATABASE": DATABASE}}


def test_the_build_publishes(built) -> None:
    assert built["result"].returncode == 0, built["result"].output[-4000:]
    assert "not published" not in built["result"].output


def test_the_role_owns_what_the_build_made(built) -> None:
    with cross_engine.connect_postgres(built["admin"]) as admin:
        owners = admin.execute(
            "select nspname, pg_get_userbyid(nspowner) from pg_namespace "
            "where nspname like %s order by 1",
            [f"{SCHEMA}%"],
        ).fetchall()
        (extension_owner,) = admin.execute(
            "select pg_get_userbyid(extowner) from pg_extension where extname = 'fuzzystrmatch'"
        ).fetchone()
        (marts,) = admin.execute(
            "select count(*) from pg_tables where schemaname = %s and tablename like 'mart_%%'",
            [SCHEMA],
        ).fetchone()
    # Published under the given name; no building or retired schema left behind.
    assert owners == [(name, ROLE) for name in (SCHEMA, f"{SCHEMA}_audit", f"{SCHEMA}_restricted")]
    assert extension_owner == ROLE
    assert marts >= 5
