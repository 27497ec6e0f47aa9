"""What the data to resolve holds: record counts and how often each identifying field is filled.

The profile decides the model's shape (only fields filled on at least the fill-rate floor
are compared or blocked on), is stored beside the trained parameters, and tells a later
build whether those parameters still fit its data (see `needs_retraining`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

# The feature columns that identify a person (crm_quality.matching.features).
IDENTIFYING_FIELDS: tuple[str, ...] = (
    "first_name_key",
    "last_name_key",
    "birth_date",
    "email",
    "phone",
    "street_key",
    "postal_key",
    "city_key",
)
# A field filled on fewer records than this is neither compared nor blocked on: its few
# values cannot train a comparison, and a blocking key on it finds almost nothing.
DEFAULT_MIN_FILL_RATE = 0.05
# Retrain when the record count changed by more than this factor, or a field's fill rate by
# more than this many points, or the set of compared fields changed.
DEFAULT_DRIFT_RECORD_FACTOR = 2.0
DEFAULT_DRIFT_FILL_RATE_POINTS = 0.10
# The profile's hash of the review labels a model was trained on (absent without labels).
LABELS_FINGERPRINT = "labels_fingerprint"
# Fewer identifying fields than this (names count as one) resolve people weakly.
MIN_IDENTIFYING_GROUPS = 3


def profile_features(features: pa.Table) -> dict[str, Any]:
    """Record count, records per source system and fill rate per identifying field."""
    count = features.num_rows
    systems = pc.value_counts(features.column("source_system")).to_pylist()
    return {
        "record_count": count,
        "records_by_system": {row["values"]: row["counts"] for row in systems},
        "fill_rates": {
            field: round((count - features.column(field).null_count) / count if count else 0.0, 6)
            for field in IDENTIFYING_FIELDS
        },
    }


def populated_fields(profile: Mapping[str, Any], min_fill_rate: float) -> tuple[str, ...]:
    """The identifying fields filled on at least `min_fill_rate` of the records."""
    rates = profile["fill_rates"]
    return tuple(field for field in IDENTIFYING_FIELDS if rates.get(field, 0.0) >= min_fill_rate)


def identifying_groups(fields: tuple[str, ...]) -> list[str]:
    """The kinds of identifying evidence present: name, birth date, e-mail, phone, address."""
    groups = {
        "name": {"first_name_key", "last_name_key"},
        "birth_date": {"birth_date"},
        "email": {"email"},
        "phone": {"phone"},
        "address": {"street_key", "postal_key"},
    }
    return [group for group, members in groups.items() if members & set(fields)]


def is_weak(fields: tuple[str, ...]) -> bool:
    """Too little identifying information for the shortage and duplicates to be trusted."""
    has_name = {"first_name_key", "last_name_key"} <= set(fields)
    return not has_name or len(identifying_groups(fields)) < MIN_IDENTIFYING_GROUPS


def needs_retraining(
    trained: Mapping[str, Any],
    current: Mapping[str, Any],
    *,
    min_fill_rate: float,
    record_factor: float = DEFAULT_DRIFT_RECORD_FACTOR,
    fill_rate_points: float = DEFAULT_DRIFT_FILL_RATE_POINTS,
) -> str | None:
    """Why a model trained on data profiled `trained` no longer fits `current`; None if it does."""
    if populated_fields(trained, min_fill_rate) != populated_fields(current, min_fill_rate):
        return "the compared fields changed"
    if trained.get(LABELS_FINGERPRINT) != current.get(LABELS_FINGERPRINT):
        return "the review labels training uses changed"
    before, now = trained["record_count"], current["record_count"]
    if min(before, now) <= 0 or max(before, now) / min(before, now) > record_factor:
        return f"the record count changed from {before} to {now}"
    for field in IDENTIFYING_FIELDS:
        moved = abs(current["fill_rates"].get(field, 0.0) - trained["fill_rates"].get(field, 0.0))
        if moved > fill_rate_points:
            return f"the fill rate of {field} moved by {moved:.2f}"
    return None
