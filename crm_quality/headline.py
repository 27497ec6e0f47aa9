"""Print the headline figures of a built warehouse: shortage rate and defect rate by dimension.

Usage: python -m crm_quality.headline --warehouse warehouse/crm_quality.duckdb
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

SHORTAGE_SQL = """
    select actual_customers, crm_customers, missing_customers, shortage_rate_pct,
           billing_records, crm_records, naive_shortage_rate_pct, is_identification_weak
    from mart_customer_shortage
    where breakdown = 'overall'
"""

DEFECT_SQL = """
    select quality_dimension, records_checked, defective_records, defect_rate_pct
    from mart_defect_rate
    where source_system = 'crm' and source_channel = 'all'
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
        "CRM defect rate by dimension (缺陷率), records with at least one defect",
    ]
    for dimension, checked, defective, pct in connection.execute(DEFECT_SQL).fetchall():
        lines.append(f"  {dimension:<13} {defective:>7} / {checked:<7} {_pct(pct):>9}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    args = parser.parse_args()
    with duckdb.connect(str(args.warehouse), read_only=True) as connection:
        print(headline(connection))


if __name__ == "__main__":
    main()
