"""Reading raw exports as they come: nothing lost, every problem named."""

from crm_quality.ingest.contract import RAW_CONTRACT
from crm_quality.ingest.csv_rows import RawInputError, read_raw_csv
from crm_quality.ingest.loader import load_raw_file, load_raw_table

__all__ = ["RAW_CONTRACT", "RawInputError", "load_raw_file", "load_raw_table", "read_raw_csv"]
