"""The raw input contract: the columns each export must have (extra columns are ignored).

The dbt sources list the same columns for documentation and the pre-build check; a test
keeps the two in step.
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
