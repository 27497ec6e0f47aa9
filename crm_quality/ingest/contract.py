"""The raw input contract: the fields each role's sources deliver, and what each field means.

A source maps its own file columns to these fields (crm_quality.ingest.declared); the three
contract files (crm_contacts.csv, billing_customers.csv, orders.csv) use the field names
themselves. The descriptions here are the one text the generated dbt declarations use.
"""

RAW_CONTRACT: dict[str, tuple[str, ...]] = {
    "crm_contacts": (
        "contact_id",
        "source_channel",
        "first_name",
        "last_name",
        "email",
        "phone",
        "street_address",
        "city",
        "postal_code",
        "country",
        "birth_date",
        "company_name",
        "created_at",
        "updated_at",
    ),
    "billing_customers": (
        "account_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "street_address",
        "city",
        "postal_code",
        "country",
        "birth_date",
        "account_status",
        "opened_at",
    ),
    "orders": ("order_id", "account_id", "order_date", "amount", "currency"),
}

# Fields nearly every row holds a value of its own in (ids, e-mails, phones, time stamps: 58 to
# 99 % distinct in the generated exports). DuckDB's dictionary and FSST compression costs more
# CPU on them than the bytes it saves, so the raw tables keep them as they are
# (crm_quality.ingest.raw_tables; the models' `uncompressed_columns` config does the same).
NEARLY_DISTINCT_FIELDS: dict[str, tuple[str, ...]] = {
    "crm_contacts": ("contact_id", "email", "phone", "created_at", "updated_at"),
    "billing_customers": ("account_id", "email", "phone"),
    "orders": ("order_id",),
}

# Each role reads the contract table of the same layout; its default source is that file.
ROLE_TABLES: dict[str, str] = {
    "crm": "crm_contacts",
    "billing": "billing_customers",
    "orders": "orders",
}
ROLES = tuple(ROLE_TABLES)
# Roles sources.yml may declare with no source (`orders: []`): a company without an orders
# export still has customers (billing) and a CRM to measure; only order activity is unknown.
OPTIONAL_ROLES = ("orders",)

# What the rows of a role are, for the generated dbt source descriptions.
ROLE_DESCRIPTIONS: dict[str, str] = {
    "crm": "CRM records, one row per record of a CRM source, from every collection channel.",
    "billing": (
        "Billing accounts, the reference for which customers exist. One person may hold more "
        "than one account."
    ),
    "orders": "Orders per billing account; they say when a customer was last active.",
}

FIELD_DESCRIPTIONS: dict[str, str] = {
    "contact_id": (
        "The CRM source's record id. Expected unique within its source; duplicates and blanks "
        "are defects, not dropped."
    ),
    "source_channel": (
        "Channel that captured the record (web_form, sales_rep, event, import, partner_api…)."
    ),
    "first_name": "Given name.",
    "last_name": "Family name.",
    "email": "Email address.",
    "phone": (
        "Any national or international format; national numbers take the country from the address."
    ),
    "street_address": "Street and house number.",
    "city": "City.",
    "postal_code": "Postal code.",
    "country": "ISO code or country name in any of several languages.",
    "birth_date": "ISO, DD.MM.YYYY or YYYY/MM/DD.",
    "company_name": "The company the person works for.",
    "created_at": "When the record was created.",
    "updated_at": "When the record was last modified; the source's freshness.",
    "account_id": "The billing account id.",
    "account_status": "Billing account status (active, closed, …).",
    "opened_at": "When the account was opened.",
    "order_id": "The order id.",
    "order_date": "When the order was placed.",
    "amount": "Order amount.",
    "currency": "ISO 4217 currency code of the amount.",
}

# Columns the crm role carries beyond its contract fields: recycle-bin and lead-conversion
# facts as raw text, and the source a converted lead's contact lives in.
CRM_LINK_COLUMNS = ("is_deleted", "is_converted", "converted_contact_id", "converted_source_name")
# The billing source an order's account id belongs to (null: any billing source's).
ORDERS_LINK_COLUMNS = ("billing_source_name",)
SOURCE_COLUMNS = ("source_name", "source_file")
LOAD_COLUMNS = (
    "_row_number",
    "_line_number",
    "_load_issue",
    "_is_quarantined",
    "_quarantine_reason",
    "_raw_text",
)

# The quarantine reason of a line that is no record: the footer a Salesforce report export ends
# with (csv_rows.report_footer_start). Such lines are accounted for in the quarantine, but are
# neither records nor defects (models/intermediate/ingest/int_raw_rows_quarantined.sql).
REPORT_FOOTER_REASON = "report footer"


def clean_load_columns(row_number: str) -> list[str]:
    """LOAD_COLUMNS as SQL select items for rows read whole: numbered by the SQL expression
    `row_number`, no load issue, not quarantined."""
    return [
        f"cast({row_number} as bigint) as _row_number",
        "cast(null as bigint) as _line_number",
        "cast(null as varchar) as _load_issue",
        "false as _is_quarantined",
        "cast(null as varchar) as _quarantine_reason",
        "cast(null as varchar) as _raw_text",
    ]


def role_fields(role: str) -> tuple[str, ...]:
    """The contract fields of a role, in contract order."""
    return RAW_CONTRACT[ROLE_TABLES[role]]


def nearly_distinct_fields(role: str) -> tuple[str, ...]:
    """The fields of a role whose values are nearly all distinct (NEARLY_DISTINCT_FIELDS)."""
    return NEARLY_DISTINCT_FIELDS[ROLE_TABLES[role]]


def role_columns(role: str) -> tuple[str, ...]:
    """Every column `load_role` returns for a role, in order."""
    link = {"crm": CRM_LINK_COLUMNS, "orders": ORDERS_LINK_COLUMNS}.get(role, ())
    return (*role_fields(role), *link, *SOURCE_COLUMNS, *LOAD_COLUMNS)
