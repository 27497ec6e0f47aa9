"""The data-quality report: one self-contained HTML file built from a warehouse.

Usage: python -m crm_quality.report --warehouse warehouse/crm_quality.duckdb \
    --out reports/data_quality_report.html
"""

from crm_quality.report.build import build_report, write_report

__all__ = ["build_report", "write_report"]
