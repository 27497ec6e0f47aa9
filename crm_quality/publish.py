"""Build the DuckDB warehouse beside its published file, then publish it in one rename.

BI tools open the warehouse at CRM_DUCKDB_PATH read-only, and DuckDB refuses them while a
writer holds the file ("Conflicting lock is held"). So a build works on a copy beside it
(`<path>.building`: the same filesystem, so the rename is atomic) that keeps the incremental
models and history tables, and renames the copy onto the path when its figures are complete.
New readers then see the whole new build; readers that hold the old file open keep reading
its inode, unchanged, until they reconnect.

Usage: python -m crm_quality.publish prepare WAREHOUSE       (prints the working file's path)
       python -m crm_quality.publish publish WAREHOUSE --run-results target/run_results.json
On PostgreSQL (crm_quality/publish_postgres.py: building schemas swapped in one transaction):
       python -m crm_quality.publish prepare --target postgres   (prints the schema to build
           into: run dbt with CRM_PG_SCHEMA set to it)
       python -m crm_quality.publish publish --target postgres --run-results target/run_results.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb

WORKING_SUFFIX = ".building"
# Nodes whose failure leaves figures missing or stale. Tests and unit tests may fail: the
# figures are built, and a failing monitor is news (a failing unit test skips its model,
# which counts here as that model not built).
FIGURE_NODE_TYPES = ("model", "seed", "snapshot", "operation")

SHOWN_NODES = 5


class PublishError(RuntimeError):
    """The warehouse could not be prepared or published safely."""


def working_path(published: Path) -> Path:
    """Where a build of `published` writes: beside it, on the same filesystem."""
    return published.with_name(published.name + WORKING_SUFFIX)


def wal_path(database: Path) -> Path:
    """DuckDB's write-ahead log of a database file."""
    return database.with_name(database.name + ".wal")


@contextlib.contextmanager
def _held_without_writer(database: Path) -> Iterator[None]:
    """Hold a read-only connection (DuckDB's shared lock) on `database` if it exists: no other
    process writes it meanwhile, and one already writing it makes this fail."""
    if not database.exists():
        yield
        return
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.IOException as error:
        raise PublishError(f"{database} is being written by another process: {error}") from error
    try:
        yield
    finally:
        connection.close()


def _is_written(database: Path) -> bool:
    """Whether another process holds `database` open for writing (a file that is no database,
    e.g. a copy cut short, is not)."""
    if not database.exists():
        return False
    try:
        duckdb.connect(str(database), read_only=True).close()
    except duckdb.Error as error:
        return "lock" in str(error).lower()
    return False


def _checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the database."""
    try:
        with duckdb.connect(str(database)) as connection:
            connection.execute("checkpoint")
    except duckdb.IOException as error:
        raise PublishError(f"{database} is being written by another process: {error}") from error
    if wal_path(database).exists():
        raise PublishError(f"{wal_path(database)} remains after a checkpoint")


def prepare(published: Path) -> Path:
    """Copy the published warehouse (if any) to the working file and return its path.

    A working file left by an earlier build (withheld or interrupted) is replaced. The copy
    is taken under a shared lock, so no writer changes the published file meanwhile; a
    write-ahead log left beside it (a writer that crashed) is copied along and folded in.
    """
    working = working_path(published)
    if _is_written(working):
        raise PublishError(f"{working} is being written: another build of {published} runs")
    for stale in (working, wal_path(working)):
        stale.unlink(missing_ok=True)
    with _held_without_writer(published):
        if published.exists():
            shutil.copyfile(published, working)
            if wal_path(published).exists():
                shutil.copyfile(wal_path(published), wal_path(working))
    if working.exists():
        _checkpoint(working)
    return working


def incomplete_figures(run_results: dict) -> list[str]:
    """The model, seed, snapshot and hook nodes of a dbt run that did not succeed."""
    return [
        f"{result['unique_id']}: {result['status']}"
        for result in run_results["results"]
        if result["unique_id"].split(".")[0] in FIGURE_NODE_TYPES and result["status"] != "success"
    ]


def publish(published: Path, run_results: Path) -> list[str]:
    """Replace the published warehouse by the working file when the build's figures are
    complete; returns why not (and leaves both files alone) when they are not."""
    working = working_path(published)
    if not run_results.is_file():
        return [f"{run_results} missing: dbt did not finish"]
    incomplete = incomplete_figures(json.loads(run_results.read_text(encoding="utf-8")))
    if incomplete:
        return incomplete
    if not working.exists():
        raise PublishError(f"{working} missing: nothing was built")
    _checkpoint(working)
    with open(working, "rb") as built:
        os.fsync(built.fileno())
    with _held_without_writer(published):
        # A log left by a crashed writer was folded into the copy; beside the new file it
        # would be replayed against the wrong database.
        wal_path(published).unlink(missing_ok=True)
        os.replace(working, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return []


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prepare_parser = commands.add_parser(
        "prepare",
        help="copy WAREHOUSE to its working file (postgres: create the building "
        "schemas); print where to build",
    )
    prepare_parser.add_argument(
        "--manifest",
        type=Path,
        help="postgres: dbt's manifest.json naming the incremental "
        "models to carry over (default: the target path's; every table when there is none)",
    )
    publish_parser = commands.add_parser(
        "publish",
        help="replace WAREHOUSE by its working file (postgres: the live schemas by "
        "the building ones) if the figures are complete",
    )
    publish_parser.add_argument("--run-results", type=Path, required=True)
    for command in commands.choices.values():
        command.add_argument(
            "--drop-wait", type=float, default=None, metavar="SECONDS",
            help="postgres: how long to wait for readers of a previous build before leaving "
            "its schemas to the next prepare",
        )  # fmt: skip
        command.add_argument("warehouse", type=Path, nargs="?", help="the DuckDB file")
        command.add_argument("--target", choices=["duckdb", "postgres"], default="duckdb")
        command.add_argument(
            "--schema", default=os.environ.get("CRM_PG_SCHEMA", "main"),
            help="postgres: the published schema (default CRM_PG_SCHEMA, else main)",
        )  # fmt: skip
    args = parser.parse_args()
    if args.target == "duckdb" and args.warehouse is None:
        parser.error("the DuckDB target needs WAREHOUSE")
    return args


def _postgres(args: argparse.Namespace) -> list[str]:
    from crm_quality import publish_postgres  # only the postgres target needs psycopg

    wait = publish_postgres.DROP_WAIT_SECONDS if args.drop_wait is None else args.drop_wait
    if args.command == "prepare":
        manifest_path = args.manifest or Path(os.environ.get("DBT_TARGET_PATH", "target")) / (
            "manifest.json"
        )
        manifest = (
            json.loads(manifest_path.read_text(encoding="utf-8"))
            if manifest_path.is_file()
            else None
        )
        print(publish_postgres.prepare(args.schema, manifest, wait))
        return []
    return publish_postgres.publish(args.schema, args.run_results, wait)


def main() -> None:
    args = _arguments()
    try:
        if args.target == "postgres":
            incomplete = _postgres(args)
            kept = f"kept the published schema {args.schema}"
            building = f"schema {args.schema}__building"
        elif args.command == "prepare":
            print(prepare(args.warehouse))
            return
        else:
            incomplete = publish(args.warehouse, args.run_results)
            kept = (
                f"kept the previous warehouse {args.warehouse}"
                if args.warehouse.exists()
                else f"published no warehouse at {args.warehouse}"
            )
            building = str(working_path(args.warehouse))
    except PublishError as error:
        sys.exit(f"publish: {error}")
    if incomplete:
        # The nodes that failed first; the many skipped behind them only counted.
        shown = sorted(incomplete, key=lambda node: node.endswith(": skipped"))[:SHOWN_NODES]
        more = len(incomplete) - len(shown)
        print(
            f"Build not published ({kept}): its figures are incomplete; the build is in "
            f"{building}.\n  " + "\n  ".join([*shown, *([f"… and {more} more"] if more else [])]),
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
