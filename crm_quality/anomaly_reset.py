"""`make reset-anomaly-baseline`: start one anomaly series' baseline over, in one process.

    python -m crm_quality.anomaly_reset --metric M --breakdown-value V [--breakdown B]
        [--reason R] [--raw-dir D] [--warehouse W.duckdb | --target postgres] [--vars YAML]
        [--target-path target]

Declare the raw directory's sources, parse the project once, run the reset_anomaly_baseline
operation (one row in fct_anomaly_baseline_resets) and rebuild mart_quality_anomalies. dbt runs
in this process (crm_quality/dbt_in_process.py), as a build's selections do: one import and one
parse for the three commands.

On DuckDB both happen in the working copy of the published file, published at once
(crm_quality/publish.py), so a reader never sees the reset without the anomalies judged afresh.
On PostgreSQL they happen in the live schemas (CRM_PG_SCHEMA): a build's building schemas hold
only what it builds, and a reset builds one mart. A reader sees the old or the new
mart_quality_anomalies whole (dbt swaps it in a transaction); only for the second between the
two steps can fct_anomaly_baseline_resets hold a reset the mart does not yet apply.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

import duckdb
import psycopg

from crm_quality import dbt_in_process, publish
from crm_quality.dbt_in_process import at_project_root, environ
from crm_quality.ingest import RawInputError
from crm_quality.ingest.dbt_declarations import write_dbt_declarations
from crm_quality.ingest.raw_tables import warehouse_catalog


@dataclass(frozen=True)
class Series:
    """The anomaly series to reset (the reset_anomaly_baseline macro's arguments)."""

    metric: str
    breakdown_value: str
    breakdown: str | None = None
    reason: str | None = None

    def operation_args(self) -> str:
        """The macro's --args: JSON, which is YAML, so any text is passed as written."""
        given = {name: value for name, value in asdict(self).items() if value is not None}
        return json.dumps(given)


def reset_anomaly_baseline(
    series: Series,
    *,
    raw_dir: Path,
    warehouse: Path | None,
    target: str = "duckdb",
    variables: str = "{}",
    target_path: Path = Path("target"),
    environment: Mapping[str, str] | None = None,
    echo: TextIO | None = None,
) -> int:
    """Reset `series` in the warehouse (`warehouse` on DuckDB, else the PostgreSQL the PG*
    variables name); the exit status. On DuckDB, 1 means nothing was published; on
    PostgreSQL a reset whose mart failed to build is applied by the next build. dbt's lines
    go to `echo`."""
    echo = echo or sys.stdout
    declared_dir = target_path / "declared"
    dbt_env = {
        **(os.environ if environment is None else environment),
        "CRM_RAW_DIR": str(raw_dir),
        "CRM_DECLARED_DIR": str(declared_dir),
        "CRM_DBT_TARGET": target,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    try:
        working = publish.prepare(at_project_root(warehouse)) if warehouse else None
        if working is not None:
            dbt_env["CRM_DUCKDB_PATH"] = str(working)
        with environ(dbt_env), warehouse_catalog(target, working) as catalog:
            write_dbt_declarations(at_project_root(raw_dir), at_project_root(declared_dir), catalog)
    except (RawInputError, publish.PublishError, duckdb.Error, psycopg.Error, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    common = ["--target", target, "--vars", variables, "--target-path", str(target_path)]
    run_results = at_project_root(target_path) / "run_results.json"
    run_results.unlink(missing_ok=True)
    manifest = None
    for command in (
        ["parse"],
        ["run-operation", "reset_anomaly_baseline", "--args", series.operation_args()],
        ["run", "--select", "mart_quality_anomalies"],
    ):
        invocation = dbt_in_process.invoke([*command, *common], dbt_env, manifest, echo)
        if not invocation.success:
            print(_failure(command[0], warehouse), file=sys.stderr)
            return 1
        if manifest is None:
            manifest = invocation.result  # the parse's, for the commands after it
    return _published(warehouse, run_results, echo) if warehouse else 0


def _failure(command: str, warehouse: Path | None) -> str:
    """What a failed dbt command left: on PostgreSQL the reset stays once its operation ran."""
    if warehouse is None and command == "run":
        return (
            "The reset is recorded, but `dbt run` of mart_quality_anomalies failed: the next "
            "build judges the series afresh."
        )
    kept = f"; {warehouse} is as it was" if warehouse else ""
    return f"Nothing reset: `dbt {command}` failed{kept}."


def _published(warehouse: Path, run_results: Path, echo: TextIO) -> int:
    """Publish the working copy of `warehouse`; the exit status."""
    try:
        incomplete = publish.publish(at_project_root(warehouse), run_results)
    except publish.PublishError as error:
        print(f"publish: {error}", file=sys.stderr)
        return 1
    if incomplete:
        print(f"Nothing published ({warehouse} is as it was):\n  " + "\n  ".join(incomplete),
              file=sys.stderr)  # fmt: skip
        return 1
    print(f"Published {warehouse}: the reset and mart_quality_anomalies judged afresh.", file=echo)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metric", required=True)
    parser.add_argument("--breakdown-value", required=True)
    parser.add_argument("--breakdown", help="when metric and breakdown value name several series")
    parser.add_argument("--reason", help="why the new level is accepted (kept with the reset)")
    dbt_in_process.add_project_arguments(parser)
    args = parser.parse_args(argv)
    # An empty breakdown or reason is none given (make passes every one).
    series = Series(args.metric, args.breakdown_value, args.breakdown or None, args.reason or None)
    return reset_anomaly_baseline(
        series,
        raw_dir=args.raw_dir,
        warehouse=args.warehouse if args.target == "duckdb" else None,
        target=args.target,
        variables=args.vars,
        target_path=args.target_path,
    )


if __name__ == "__main__":
    sys.exit(main())
