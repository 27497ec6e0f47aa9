"""The matching model's shape: comparisons, levels, blocking rules, matching features."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from crm_quality.matching.features import FEATURE_COLUMNS, feature_select_sql
from crm_quality.matching.settings import (
    COMPARISONS,
    prediction_blocking_rules,
    settings_creator,
    settings_dict,
    training_blocking_rules,
)


@pytest.fixture(scope="module")
def settings() -> dict:
    return settings_dict(settings_creator())


def _levels(settings: dict, comparison: str) -> list[dict]:
    (found,) = [c for c in settings["comparisons"] if c["output_column_name"] == comparison]
    return found["comparison_levels"]


def test_comparisons_are_the_documented_five_in_order(settings):
    names = [c["output_column_name"] for c in settings["comparisons"]]
    assert tuple(names) == COMPARISONS


def test_every_comparison_starts_with_a_null_level_and_ends_with_else(settings):
    for comparison in COMPARISONS:
        levels = _levels(settings, comparison)
        assert levels[0].get("is_null_level") is True
        assert levels[-1]["sql_condition"] == "ELSE"
        labels = [level["label_for_charts"] for level in levels[1:]]
        assert len(labels) == len(set(labels)), comparison


def test_email_is_compared_whole_never_by_username(settings):
    conditions = [level["sql_condition"] for level in _levels(settings, "email")]
    assert conditions[1] == '"email_l" = "email_r"'
    assert not any("split" in c or "regexp" in c or "@" in c for c in conditions)


def test_household_evidence_is_one_comparison(settings):
    """Phone, street, postcode and city never appear as separate comparisons."""
    used = {
        comparison["output_column_name"]: " ".join(
            level["sql_condition"] for level in comparison["comparison_levels"]
        )
        for comparison in settings["comparisons"]
    }
    for column in ("phone", "street_key", "postal_key", "city_key"):
        holders = [name for name, sql in used.items() if f'"{column}_l"' in sql]
        assert holders == ["contact_address"], column
    labels = [level["label_for_charts"] for level in _levels(settings, "contact_address")]
    assert "same postcode and city" in labels
    # Postcode is only ever compared together with city or street.
    for level in _levels(settings, "contact_address"):
        condition = level["sql_condition"]
        if '"postal_key_l" = "postal_key_r"' in condition:
            assert "city_key" in condition or "street_key" in condition


def test_name_and_email_exact_levels_are_term_frequency_adjusted(settings):
    for comparison, column in (
        ("first_name", "first_name_key"),
        ("last_name", "last_name_key"),
        ("email", "email"),
    ):
        assert _levels(settings, comparison)[1]["tf_adjustment_column"] == column


def test_blocking_rules_never_block_on_a_name_alone():
    for rule in prediction_blocking_rules():
        sql = rule.get_blocking_rule("duckdb").blocking_rule_sql
        columns = {c for c in FEATURE_COLUMNS if f'l."{c}"' in sql}
        assert columns and columns not in ({"first_name_key"}, {"last_name_key"}), sql


def test_training_never_blocks_on_household_fields():
    """EM rounds inside households would learn that matches disagree on first name."""
    for rule in training_blocking_rules():
        sql = rule.get_blocking_rule("duckdb").blocking_rule_sql
        assert "phone" not in sql and "street_key" not in sql


def _features(rows: list[dict], max_key_group_size: int | None = None) -> pd.DataFrame:
    records = pd.DataFrame(rows)
    records["birth_date"] = pd.to_datetime(records["birth_date"])
    connection = duckdb.connect()
    connection.register("records", records)
    return connection.sql(
        f"select {feature_select_sql(max_key_group_size)} from records order by record_key"
    ).df()


RECORD = {
    "record_key": "crm:1",
    "source_system": "crm",
    "first_name_key": "anna",
    "last_name_key": "muller",
    "email": "anna@example.de",
    "phone": "+4930123456",
    "street_address": "Via Roma, 8",
    "postal_code": "sw1a 1aa",
    "city": "Berlin",
    "birth_date": "1980-03-05",
}


def test_features_normalise_address_and_split_the_birth_date():
    row = _features([RECORD]).iloc[0]
    assert list(_features([RECORD]).columns) == list(FEATURE_COLUMNS)
    assert row["street_key"] == "viaroma8"
    assert row["postal_key"] == "SW1A1AA"
    assert row["city_key"] == "berlin"
    assert (row["birth_year"], row["birth_month"], row["birth_day"]) == (1980, 3, 5)
    assert (row["birth_month_day"], row["birth_day_month"]) == ("03-05", "05-03")


def test_shared_emails_and_phones_are_not_identifiers():
    rows = [
        {**RECORD, "record_key": f"crm:{n}", "email": "info@example.de", "phone": "+4930999"}
        for n in range(4)
    ] + [{**RECORD, "record_key": "crm:9"}]
    features = _features(rows, max_key_group_size=3).set_index("record_key")
    assert features.loc["crm:0", "email"] is None or pd.isna(features.loc["crm:0", "email"])
    assert pd.isna(features.loc["crm:0", "phone"])
    assert features.loc["crm:9", "email"] == "anna@example.de"
    assert features.loc["crm:9", "phone"] == "+4930123456"
    unlimited = _features(rows).set_index("record_key")
    assert unlimited.loc["crm:0", "email"] == "info@example.de"
