"""Command line: write the data-quality report of a warehouse and print its path."""

from __future__ import annotations

import argparse
from pathlib import Path

from crm_quality.connect import TARGETS, exit_when_unreadable
from crm_quality.report import write_report


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m crm_quality.report",
        description="Write the self-contained HTML data-quality report of a built warehouse.",
    )
    parser.add_argument("--warehouse", type=Path, help="the DuckDB warehouse file")
    parser.add_argument(
        "--target",
        choices=TARGETS,
        default="duckdb",
        help="postgres: read the PostgreSQL the PG* variables name (schema CRM_PG_SCHEMA)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("reports/data_quality_report.html"),
        help="where to write the report (default: reports/data_quality_report.html)",
    )
    args = parser.parse_args()
    if args.target == "duckdb" and args.warehouse is None:
        parser.error("the DuckDB target needs --warehouse")
    with exit_when_unreadable(args.target, args.warehouse):
        print(write_report(args.warehouse, args.out, args.target))


if __name__ == "__main__":
    main()
