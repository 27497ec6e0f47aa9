# National-format phones on records without a resolvable country ('unverifiable' in
# standardization), judged again once entity resolution knows the customer's country.
from crm_quality.warehouse import rejudge_unverifiable_phones


def model(dbt, session):
    dbt.config(materialized="table")
    return rejudge_unverifiable_phones(dbt.ref("int_person_records_resolved"))
