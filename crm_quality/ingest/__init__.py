"""Reading raw exports as they come: nothing lost, every problem named."""

from crm_quality.ingest.contract import RAW_CONTRACT, role_columns
from crm_quality.ingest.csv_rows import RawInputError, read_raw_csv
from crm_quality.ingest.declared import DeclaredSource, declared_sources, sources_frame
from crm_quality.ingest.loader import load_raw_file, load_raw_table, load_role

__all__ = [
    "RAW_CONTRACT",
    "DeclaredSource",
    "RawInputError",
    "declared_sources",
    "load_raw_file",
    "load_raw_table",
    "load_role",
    "read_raw_csv",
    "role_columns",
    "sources_frame",
]
