"""What the review sample reads from the published warehouse (portable SQL, `?` placeholders:
a DuckDB connection or crm_quality.connect.PostgresWarehouse alike)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crm_quality.review.labels import PairKey
from crm_quality.review.sample import COMPARISON_COLUMNS, RECORD_FIELDS, ScoredPair
from crm_quality.settings import setting, settings_row

# Record keys per query: well under every engine's limit on parameters.
CHUNK = 500


def sample_settings(connection: Any) -> tuple[int, int]:
    """(review_sample_size, review_sample_seed) of the build that made the warehouse."""
    settings = settings_row(connection.execute("select * from build_settings").fetchdf())
    return setting(settings, "review_sample_size"), setting(settings, "review_sample_seed")


def scored_pairs(connection: Any) -> list[ScoredPair]:
    """Every pair of fct_match_pairs with its band."""
    rows = connection.execute(
        "select record_key_l, record_key_r, band, match_probability from fct_match_pairs"
    ).fetchall()
    return [ScoredPair(left, right, band, float(p)) for left, right, band, p in rows]


def near_miss_pairs(connection: Any) -> list[PairKey]:
    """The billing ↔ CRM pair that nearly matched, per missing customer (fct_missing_customers)."""
    return connection.execute(
        "select nearest_billing_record_key, nearest_crm_record_key from fct_missing_customers"
        " where missing_reason = 'near_miss'"
    ).fetchall()


def _chunks(keys: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(keys), CHUNK):
        yield keys[start : start + CHUNK]


def record_values(connection: Any, record_keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The reviewer's fields of each record (int_person_records_resolved), by record key."""
    columns = sorted(set(RECORD_FIELDS.values()))
    found = {}
    for chunk in _chunks(sorted(set(record_keys))):
        rows = connection.execute(
            f"select record_key, {', '.join(columns)} from int_person_records_resolved"
            f" where record_key in ({', '.join('?' for _ in chunk)})",
            chunk,
        ).fetchall()
        for key, *values in rows:
            found[key] = dict(zip(columns, values, strict=True))
    return found


def pair_comparisons(connection: Any, keys: Iterable[PairKey]) -> dict[PairKey, Mapping[str, Any]]:
    """Pair type and each comparison's level and weight of the pairs `keys` (fct_match_pairs)."""
    wanted = set(keys)
    columns = ["pair_type", *COMPARISON_COLUMNS]
    found: dict[PairKey, Mapping[str, Any]] = {}
    for chunk in _chunks(sorted({left for left, _ in wanted})):
        rows = connection.execute(
            f"select record_key_l, record_key_r, {', '.join(columns)} from fct_match_pairs"
            f" where record_key_l in ({', '.join('?' for _ in chunk)})",
            chunk,
        ).fetchall()
        for left, right, *values in rows:
            if (left, right) in wanted:
                found[left, right] = dict(zip(columns, values, strict=True))
    return found
