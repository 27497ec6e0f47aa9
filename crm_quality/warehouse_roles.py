"""The two roles a shared warehouse grants to, and the SQL an administrator runs once.

    python -m crm_quality.warehouse_roles | psql   # as a role allowed to create roles

`bi_reader` reads the aggregate marts (the default schema); `crm_data_steward` reads
everything, personal data included (the restricted and audit schemas). dbt grants each model
to one of them (dbt_project.yml +grants) and each schema's usage at the end of the build
(macros/engines/grant_schema_usage.sql). Users log in as their own roles, members of these.
"""

from __future__ import annotations

import sys
from typing import Any

BI_READER = "bi_reader"
DATA_STEWARD = "crm_data_steward"
ROLES = (BI_READER, DATA_STEWARD)


def create_roles_sql() -> str:
    """Idempotent: creates each role that does not exist yet (no login, no privileges)."""
    statements = [
        "do $$ begin\n"
        f"    if not exists (select from pg_roles where rolname = '{role}') then\n"
        f"        create role {role} nologin;\n"
        "    end if;\n"
        "end $$;"
        for role in ROLES
    ]
    return "\n".join(statements) + "\n"


class MissingRolesError(RuntimeError):
    """The warehouse lacks a role the build grants its tables to."""


def missing_roles(connection: Any) -> list[str]:
    """The ROLES a PostgreSQL connection's server does not have, in ROLES order."""
    present = {
        row[0]
        for row in connection.execute(
            "select rolname from pg_roles where rolname = any(%s)", [list(ROLES)]
        ).fetchall()
    }
    return [role for role in ROLES if role not in present]


def require_roles(connection: Any) -> None:
    """Raise MissingRolesError, naming the server, the roles and the fix, when any is missing:
    before anything loads, rather than on every model's grant once dbt runs."""
    missing = missing_roles(connection)
    if not missing:
        return
    info = connection.info
    raise MissingRolesError(
        f"PostgreSQL {info.host}:{info.port}/{info.dbname} has no role {', '.join(missing)}; "
        "the build grants its tables to bi_reader and crm_data_steward. An administrator "
        "creates them once: .venv/bin/python -m crm_quality.warehouse_roles | psql "
        "(docs/engines.md, Roles)"
    )


if __name__ == "__main__":
    sys.stdout.write(create_roles_sql())
