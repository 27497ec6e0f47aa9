"""`python -m crm_quality.ingest declare --raw-dir D --out DIR [--check] [--target postgres]`:
write (or check) the dbt declarations of the sources CRM_RAW_DIR declares; a source naming a
relation is checked against the warehouse (CRM_DUCKDB_PATH, or the PG* variables).

`python -m crm_quality.ingest load --raw-dir D --declared-dir DIR [--target postgres]
[--labels CRM_LABELS]`: declare them, then load them (and the review labels) into the
warehouse's raw tables (raw_tables.py); every build does this before dbt runs."""

from __future__ import annotations

import argparse
import os
import sys

from crm_quality.ingest.dbt_declarations import check_dbt_declarations, write_dbt_declarations
from crm_quality.ingest.files import RawInputError
from crm_quality.ingest.raw_tables import load_into_duckdb, load_into_postgres, warehouse_catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_quality.ingest")
    commands = parser.add_subparsers(dest="command", required=True)
    declare = commands.add_parser("declare", help="write the dbt declarations of the sources")
    declare.add_argument("--raw-dir", default=os.environ.get("CRM_RAW_DIR", "data/demo"))
    declare.add_argument("--out", default=".", help="the dbt project directory")
    declare.add_argument(
        "--check", action="store_true", help="only fail when existing declarations are stale"
    )
    load = commands.add_parser("load", help="declare the sources and load their raw tables")
    load.add_argument("--raw-dir", default=os.environ.get("CRM_RAW_DIR", "data/demo"))
    load.add_argument("--declared-dir", required=True, help="where the declarations go")
    for command in (declare, load):  # the warehouse holding sources that name a relation
        command.add_argument(
            "--target",
            choices=["duckdb", "postgres"],
            default=os.environ.get("CRM_DBT_TARGET", "duckdb"),
            help="the warehouse engine (postgres: the one the PG* variables name)",
        )
        command.add_argument(
            "--duckdb-path",
            default=os.environ.get("CRM_DUCKDB_PATH", "warehouse/crm_quality.duckdb"),
        )
    load.add_argument("--schema", default=os.environ.get("CRM_PG_SCHEMA", "main"))
    load.add_argument(
        "--labels", default=os.environ.get("CRM_LABELS"), help="the review labels CSV (CRM_LABELS)"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "load":
            _load(args)
        elif args.check:
            with warehouse_catalog(args.target, args.duckdb_path) as catalog:
                check_dbt_declarations(args.raw_dir, args.out, catalog)
        else:
            with warehouse_catalog(args.target, args.duckdb_path) as catalog:
                for path in write_dbt_declarations(args.raw_dir, args.out, catalog):
                    print(f"wrote {path}")
    except RawInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _load(args: argparse.Namespace) -> None:
    with warehouse_catalog(args.target, args.duckdb_path) as catalog:
        write_dbt_declarations(args.raw_dir, args.declared_dir, catalog)
    if args.target == "postgres":
        load_into_postgres(args.raw_dir, args.schema, args.labels)
    else:
        load_into_duckdb(args.raw_dir, args.duckdb_path, labels_file=args.labels)


if __name__ == "__main__":
    sys.exit(main())
