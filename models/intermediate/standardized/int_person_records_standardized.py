from crm_quality.settings import settings_row
from crm_quality.warehouse import lookups_from_frames, standardize_person_records


def model(dbt, session):
    dbt.config(materialized="table")
    settings = settings_row(dbt.ref("build_settings").df())
    lookups = lookups_from_frames(
        placeholder_values=dbt.ref("placeholder_values").df(),
        country_aliases=dbt.ref("country_aliases").df(),
        nicknames=dbt.ref("nicknames").df(),
        disposable_email_domains=dbt.ref("disposable_email_domains").df(),
    )
    records = dbt.ref("int_person_records_unioned").df()
    return standardize_person_records(records, lookups, settings)
