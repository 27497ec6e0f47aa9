"""The data profile: fill rates, the compared fields, weak identification, the drift rule."""

from __future__ import annotations

import pyarrow as pa
import pytest

from crm_quality.matching.profile import (
    IDENTIFYING_FIELDS,
    is_weak,
    needs_retraining,
    populated_fields,
    profile_features,
)


def features(rows: int, filled: dict[str, int]) -> pa.Table:
    """`rows` records; each field filled on the first `filled[field]` of them (else all)."""
    columns = {"record_key": [f"crm:{n}" for n in range(rows)], "source_system": ["crm"] * rows}
    for field in IDENTIFYING_FIELDS:
        count = filled.get(field, rows)
        columns[field] = ["x"] * count + [None] * (rows - count)
    return pa.table(columns)


def test_fill_rates_and_the_floor():
    profile = profile_features(features(100, {"email": 0, "phone": 4, "birth_date": 5}))
    assert profile["record_count"] == 100
    assert profile["records_by_system"] == {"crm": 100}
    assert profile["fill_rates"]["phone"] == 0.04
    fields = populated_fields(profile, min_fill_rate=0.05)
    assert "email" not in fields and "phone" not in fields and "birth_date" in fields


def test_identification_is_weak_without_both_names_or_three_kinds_of_evidence():
    assert not is_weak(("first_name_key", "last_name_key", "birth_date", "postal_key"))
    assert is_weak(("first_name_key", "last_name_key", "city_key", "postal_key"))
    assert is_weak(("last_name_key", "birth_date", "email", "phone"))
    assert not is_weak(("first_name_key", "last_name_key", "email", "phone"))


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        (features(1000, {"phone": 500}), None),
        (features(1500, {"phone": 700}), None),
        (features(2500, {"phone": 1250}), "the record count changed from 1000 to 2500"),
        (features(1000, {"phone": 650}), "the fill rate of phone moved by 0.15"),
        (features(1000, {"phone": 500, "email": 0}), "the compared fields changed"),
    ],
)
def test_a_model_is_reused_until_the_data_drifts(now, reason):
    trained = profile_features(features(1000, {"phone": 500}))
    assert needs_retraining(trained, profile_features(now), min_fill_rate=0.05) == reason
