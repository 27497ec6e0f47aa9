"""Temporary: today's contract loader in the per-role shape (replaced by loader.load_role)."""

from crm_quality.ingest.loader import load_raw_table

_TABLES = {"crm": "crm_contacts", "billing": "billing_customers", "orders": "orders"}


def load_role(connection, raw_dir, role):
    frame = load_raw_table(connection, raw_dir, _TABLES[role])
    if not hasattr(frame, "assign"):
        frame = frame.df()
    extra = {}
    if role == "crm":
        extra = dict.fromkeys(
            ("is_deleted", "is_converted", "converted_contact_id", "converted_source_name")
        )
    frame = frame.assign(**extra, source_name=role, source_file=f"{_TABLES[role]}.csv")
    for column in extra:
        frame[column] = frame[column].astype("string")
    return frame


def sources_frame(raw_dir):
    import pandas as pd

    from crm_quality.ingest.contract import RAW_CONTRACT

    rows = [
        {
            "source_system": role,
            "source_name": role,
            "source_file": f"{table}.csv",
            "preset": None,
            "field": field,
            "file_columns": field,
            "is_collected": True,
            "converts_to": None,
        }
        for role, table in _TABLES.items()
        for field in RAW_CONTRACT[table]
    ]
    return pd.DataFrame(rows)
