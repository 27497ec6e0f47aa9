"""Build a PostgreSQL warehouse into schemas of its own, then publish them all at once.

dbt-postgres replaces table after table in place, so a reader of `main` during a build would
see some marts of the new build beside others of the previous one. Instead a build writes
into building schemas (`main__building`, `main__building_restricted`, `main__building_audit`:
CRM_PG_SCHEMA with `__building`, and dbt's own suffixes), and publishing renames them into
place in one transaction. A query sees the schemas before the rename or after it: the
previous build whole, or the new one whole. The previous schemas are renamed away
(`main__retired_<n>…`) and dropped once no reader holds their tables; a reader mid-query
keeps reading them until it finishes.

`prepare` copies into the building schemas what a build carries over from its previous run
(incremental models: histories, the customer-id registry, named by dbt's manifest; and the
matching model registry the training step appends to); the raw tables are loaded into them
afresh by `crm_quality.ingest load`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import psycopg
from psycopg import sql

from crm_quality.connect import postgres_connection
from crm_quality.matching.train_step import RESTRICTED_SUFFIX
from crm_quality.matching.train_step import TABLES as TRAINING_STEP_TABLES
from crm_quality.publish import PublishError, incomplete_figures

# dbt's schemas of one warehouse: the target schema and its custom-schema suffixes
# (dbt_project.yml +schema: restricted, audit).
SCHEMA_SUFFIXES = ("", "_restricted", "_audit")
BUILDING_SUFFIX = "__building"
RETIRED_INFIX = "__retired_"
# How long publishing waits for readers of the previous build before leaving its schemas to
# the next prepare (a BI session holding a transaction open keeps its tables locked).
DROP_WAIT_SECONDS = 60.0
# Nodes whose table a build reads back or appends to.
CARRIED_MATERIALIZATIONS = ("incremental", "snapshot")


def building_schema(live: str) -> str:
    """The schema a build of `live` writes into (its restricted and audit schemas follow)."""
    return live + BUILDING_SUFFIX


def carried_tables(manifest: dict) -> list[tuple[str, str]]:
    """(schema suffix, table) of every table whose previous rows the next build reads: the
    incremental models and snapshots, and the training step's registry (no dbt node: without
    it every published build would train a new model)."""
    nodes = [
        (f"_{node['config']['schema']}" if node["config"].get("schema") else "", node["alias"])
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "snapshot")
        and node["config"].get("materialized") in CARRIED_MATERIALIZATIONS
    ]
    return sorted([*nodes, *((RESTRICTED_SUFFIX, table) for table in TRAINING_STEP_TABLES)])


def _existing_schemas(connection: psycopg.Connection, names: Iterable[str]) -> set[str]:
    rows = connection.execute(
        "select nspname from pg_namespace where nspname = any(%s)", [list(names)]
    ).fetchall()
    return {name for (name,) in rows}


def _retired_schemas(connection: psycopg.Connection, live: str) -> list[str]:
    prefix = live + RETIRED_INFIX
    rows = connection.execute(
        "select nspname from pg_namespace where left(nspname, %s) = %s order by nspname",
        [len(prefix), prefix],
    ).fetchall()
    return [name for (name,) in rows]


def drop_retired(connection: psycopg.Connection, live: str, wait_seconds: float) -> list[str]:
    """Drop the previous builds' schemas no reader holds; returns those still held."""
    held = []
    for schema in _retired_schemas(connection, live):
        try:
            with connection.transaction():
                connection.execute(f"set local lock_timeout = {int(wait_seconds * 1000)}")
                connection.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(schema)))
        except psycopg.errors.LockNotAvailable:
            held.append(schema)
    return held


def _table_exists(connection: psycopg.Connection, schema: str, table: str) -> bool:
    found = connection.execute(
        "select 1 from pg_tables where schemaname = %s and tablename = %s", [schema, table]
    ).fetchone()
    return found is not None


def _copy_table(connection: psycopg.Connection, schemas: tuple[str, str], table: str) -> None:
    """Copy `table` from the first schema to the second: rows, columns' constraints, grants."""
    source, target = (sql.Identifier(schema, table) for schema in schemas)
    connection.execute(sql.SQL("create table {} (like {} including all)").format(target, source))
    connection.execute(sql.SQL("insert into {} select * from {}").format(target, source))
    # Its grants too: a build failing before dbt re-grants must not publish them lost.
    grants = connection.execute(
        """
        select grantee.rolname, acl.privilege_type
        from pg_class
        inner join pg_namespace on pg_class.relnamespace = pg_namespace.oid
        cross join lateral aclexplode(pg_class.relacl) as acl
        inner join pg_roles as grantee on acl.grantee = grantee.oid
        where pg_namespace.nspname = %s and pg_class.relname = %s
            and acl.grantee <> pg_class.relowner
        """,
        [schemas[0], table],
    ).fetchall()
    for role, privilege in grants:
        connection.execute(
            sql.SQL("grant {} on {} to {}").format(sql.SQL(privilege), target, sql.Identifier(role))
        )


def prepare(live: str, manifest: dict | None, wait_seconds: float = DROP_WAIT_SECONDS) -> str:
    """Create empty building schemas for a build of `live`, holding copies of the tables it
    carries over (all of the live schemas' tables when no manifest is known); returns the
    schema to build into. Building schemas left by a failed or interrupted build are dropped."""
    building = building_schema(live)
    with postgres_connection(autocommit=True) as connection:
        drop_retired(connection, live, wait_seconds)
        with connection.transaction():
            for suffix in SCHEMA_SUFFIXES:
                name = sql.Identifier(building + suffix)
                connection.execute(sql.SQL("drop schema if exists {} cascade").format(name))
                connection.execute(sql.SQL("create schema {}").format(name))
        with connection.transaction():
            connection.execute("set transaction isolation level repeatable read")
            for suffix, table in _tables_to_carry(connection, live, manifest):
                _copy_table(connection, (live + suffix, building + suffix), table)
    return building


def _tables_to_carry(
    connection: psycopg.Connection, live: str, manifest: dict | None
) -> list[tuple[str, str]]:
    if manifest is not None:
        wanted = carried_tables(manifest)
    else:
        rows = connection.execute(
            "select schemaname, tablename from pg_tables where schemaname = any(%s)",
            [[live + suffix for suffix in SCHEMA_SUFFIXES]],
        ).fetchall()
        wanted = [(schema[len(live) :], table) for schema, table in rows]
    return [
        (suffix, table)
        for suffix, table in wanted
        if _table_exists(connection, live + suffix, table)
    ]


def _repoint_functions(connection: psycopg.Connection, building: str, live: str) -> None:
    """Functions keep their bodies as text: those naming the building schemas (the similarity
    functions) are recreated naming the published ones. Views follow the rename by themselves."""
    schemas = [live + suffix for suffix in SCHEMA_SUFFIXES]
    rows = connection.execute(
        """
        select pg_get_functiondef(pg_proc.oid)
        from pg_proc
        inner join pg_namespace on pg_proc.pronamespace = pg_namespace.oid
        where pg_namespace.nspname = any(%s) and pg_proc.prokind = 'f'
            and strpos(pg_proc.prosrc, %s) > 0
        """,
        [schemas, building],
    ).fetchall()
    for (definition,) in rows:
        # building + suffix becomes live + suffix: one replacement covers every schema.
        connection.execute(sql.SQL(definition.replace(building, live)))


def publish(live: str, run_results: Path, wait_seconds: float = DROP_WAIT_SECONDS) -> list[str]:
    """Swap the building schemas into place when the build's figures are complete; returns
    why not (and leaves the live schemas alone) when they are not."""
    if not run_results.is_file():
        return [f"{run_results} missing: dbt did not finish"]
    incomplete = incomplete_figures(json.loads(run_results.read_text(encoding="utf-8")))
    if incomplete:
        return incomplete
    building = building_schema(live)
    with postgres_connection(autocommit=True) as connection:
        present = _existing_schemas(
            connection,
            [prefix + suffix for prefix in (live, building) for suffix in SCHEMA_SUFFIXES],
        )
        if building not in present:
            raise PublishError(f"schema {building} missing: nothing was built")
        with connection.transaction():
            (serial,) = connection.execute("select txid_current()").fetchone()
            retired = f"{live}{RETIRED_INFIX}{serial}"
            for suffix in SCHEMA_SUFFIXES:
                if live + suffix in present:
                    _rename(connection, live + suffix, retired + suffix)
                if building + suffix in present:
                    _rename(connection, building + suffix, live + suffix)
            _repoint_functions(connection, building, live)
        held = drop_retired(connection, live, wait_seconds)
    if held:
        print(
            f"publish: readers still hold {', '.join(held)}; the next prepare drops them",
            file=sys.stderr,
        )
    return []


def _rename(connection: psycopg.Connection, old: str, new: str) -> None:
    connection.execute(
        sql.SQL("alter schema {} rename to {}").format(sql.Identifier(old), sql.Identifier(new))
    )
