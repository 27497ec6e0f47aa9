"""The two roles a shared warehouse grants to, and the SQL an administrator runs once.

    python -m crm_quality.warehouse_roles | psql   # as a role allowed to create roles

`bi_reader` reads the aggregate marts (the default schema); `crm_data_steward` reads
everything, personal data included (the restricted and audit schemas). dbt grants each model
to one of them (dbt_project.yml +grants) and each schema's usage at the end of the build
(macros/engines/grant_schema_usage.sql). Users log in as their own roles, members of these.
"""

from __future__ import annotations

import sys

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


if __name__ == "__main__":
    sys.stdout.write(create_roles_sql())
