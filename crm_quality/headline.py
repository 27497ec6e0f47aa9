"""Print the headline figures of a built warehouse: shortage rate and defect rate by dimension.

Usage: python -m crm_quality.headline --warehouse warehouse/crm_quality.duckdb
       python -m crm_quality.headline --warehouse ... --failing-tests target/run_results.json
       python -m crm_quality.headline --target postgres   (the PostgreSQL of the PG* variables)
The second form prints one line per test that failed the build (monitors with their measured
value and threshold), read from fct_test_results_history.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

from crm_quality.connect import TARGETS, connect_warehouse, exit_when_unreadable

SHORTAGE_SQL = """
    select actual_customers, crm_customers, missing_customers, shortage_rate_pct,
           billing_records, crm_records, naive_shortage_rate_pct, is_identification_weak
    from mart_customer_shortage
    where breakdown = 'overall'
"""

# Which system lacks whom: shown when the CRM is several sources.
SOURCE_COVERAGE_SQL = """
    select breakdown_value, crm_customers, missing_customers, shortage_rate_pct
    from mart_customer_shortage
    where breakdown = 'crm_source'
    order by missing_customers desc, breakdown_value
"""

DEFECT_SQL = """
    select quality_dimension, records_checked, defective_records, defect_rate_pct
    from mart_defect_rate
    where source_system = 'crm' and source_name = 'all' and source_channel = 'all'
      and defect_type = 'any' and field = 'record'
    order by case quality_dimension when 'all' then 0 else 1 end, quality_dimension
"""


def _pct(value: object) -> str:
    return "n/a" if value is None else f"{float(value):.2f} %"


def headline(connection: duckdb.DuckDBPyConnection) -> str:
    """The headline figures as text, read from the marts."""
    shortage = connection.execute(SHORTAGE_SQL).fetchone()
    actual, in_crm, missing, rate, billing_rows, crm_rows, naive, weak = shortage
    lines = [
        "Customer shortage (客户欠缺率)",
        f"  actual customers {actual}, found in CRM {in_crm}, missing {missing}: {_pct(rate)}",
        *(
            ["  WEAK: the records hold too little identifying information (mart_matching_model)"]
            if weak
            else []
        ),
        f"  naive rate on raw rows ({billing_rows} billing vs {crm_rows} CRM rows): {_pct(naive)}"
        " (for comparison only)",
    ]
    coverage = connection.execute(SOURCE_COVERAGE_SQL).fetchall()
    if len(coverage) > 1:
        lines.append("  per CRM source: actual customers it has / lacks")
        for source, has, lacks, pct in coverage:
            lines.append(f"    {source:<24} {has:>7} / {lacks:<7} {_pct(pct):>9} lacking")
    lines.append("CRM defect rate by dimension (缺陷率), records with at least one defect")
    for dimension, checked, defective, pct in connection.execute(DEFECT_SQL).fetchall():
        lines.append(f"  {dimension:<13} {defective:>7} / {checked:<7} {_pct(pct):>9}")
    return "\n".join(lines)


# Tests of one build that failed it: status fail (error severity breached) or error (did not run).
FAILING_TESTS_SQL = """
    select test_name, test_type, tested_model, status, failures, is_monitor, measured_pct,
           error_pct, message
    from fct_test_results_history
    where run_id = ? and status in ('fail', 'error')
    order by is_monitor desc, test_name
"""


def _number(value: float) -> str:
    """A rate as people write it: at most 4 decimals, no trailing zeros (34.2, 30)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def failing_test_line(
    test_name: str,
    test_type: str | None,
    tested_model: str | None,
    status: str,
    failures: int | None,
    is_monitor: bool | None,
    measured_pct: float | None,
    error_pct: float | None,
    message: str | None,
) -> str:
    """One line for a test that failed the build; a monitor's names its value and threshold."""
    where = f"{test_type}({tested_model})" if test_type else f"({tested_model})"
    if is_monitor and status == "fail" and measured_pct is not None and error_pct is not None:
        detail = f"{_number(measured_pct)} % > error threshold {_number(error_pct)} %"
    elif status == "fail":
        detail = f"{failures} failing row{'' if failures == 1 else 's'}"
    else:
        detail = " ".join((message or "did not run").split())
    return f"{'FAILED' if status == 'fail' else 'ERROR'} {test_name}, {where}: {detail}"


def failing_tests(connection: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """One line per test that failed build `run_id`, monitors first."""
    present = connection.execute(
        "select count(*) from information_schema.tables where table_name = ?",
        ["fct_test_results_history"],
    ).fetchone()[0]
    if not present:
        return []
    rows = connection.execute(FAILING_TESTS_SQL, [run_id]).fetchall()
    return [failing_test_line(*row) for row in rows]


def invocation_id(run_results: Path) -> str | None:
    """The dbt invocation a run_results.json describes; None when dbt wrote none."""
    if not run_results.is_file():
        return None
    return json.loads(run_results.read_text(encoding="utf-8"))["metadata"]["invocation_id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="the DuckDB warehouse file")
    parser.add_argument("--target", choices=TARGETS, default="duckdb")
    parser.add_argument(
        "--failing-tests",
        type=Path,
        metavar="RUN_RESULTS",
        help="print the tests that failed the build described by this dbt run_results.json",
    )
    args = parser.parse_args()
    if args.target == "duckdb" and args.warehouse is None:
        parser.error("the DuckDB target needs --warehouse")
    with (
        exit_when_unreadable(args.target, args.warehouse),
        connect_warehouse(args.target, args.warehouse) as connection,
    ):
        if args.failing_tests is None:
            print(headline(connection))
            return
        run_id = invocation_id(args.failing_tests)
        lines = failing_tests(connection, run_id) if run_id else []
        print(
            "\n".join(lines)
            if lines
            else "No failing test recorded for this build: see dbt's output above."
        )


if __name__ == "__main__":
    main()
