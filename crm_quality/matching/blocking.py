"""Which blocking keys to use on this data: only populated fields, and only keys that stay small.

A key's cost is the number of record pairs it makes: the sum over its groups of
size × (size − 1) / 2, counted exactly with one GROUP BY (portable SQL, any engine). A
key that would make more than `max_pairs_per_record` pairs per record is left out: on a
million records drawn from small name pools, first name + surname would pair everyone with
hundreds of namesakes; on diverse names it is cheap and finds typo'd duplicates.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from splink.internals.database_api import DatabaseAPISubClass

from crm_quality.matching.settings import CANDIDATE_BLOCKING_KEYS, keys_within
from crm_quality.matching.threads import all_threads

DEFAULT_MAX_PAIRS_PER_RECORD = 3.0
# All keys together (their pairs summed, before overlaps are removed) stay below this.
TOTAL_PAIRS_PER_RECORD_FACTOR = 3
# Below this many pairs any key is cheap, whatever the record count.
MIN_PAIR_BUDGET = 200_000


def key_pairs_sql(table_name: str, key: tuple[str, ...]) -> str:
    """SQL counting the record pairs that share every column of `key`."""
    columns = ", ".join(key)
    not_null = " and ".join(f"{column} is not null" for column in key)
    return (
        "select coalesce(sum(cast(group_size as double) * (group_size - 1) / 2), 0) as pairs "
        f"from (select count(*) as group_size from {table_name} where {not_null} "
        f"group by {columns}) as key_groups"
    )


def count_key_pairs(
    db_api: DatabaseAPISubClass, table_name: str, keys: list[tuple[str, ...]]
) -> dict[tuple[str, ...], int]:
    """Pairs each key makes on `table_name` (before any other key's pairs are removed)."""
    counts = {}
    with all_threads(db_api):
        for key in keys:
            counted = db_api.query_sql(key_pairs_sql(table_name, key), output_type="pandas")
            counts[key] = int(counted["pairs"].iloc[0])
    return counts


def choose_blocking_keys(
    fields: Collection[str],
    pair_counts: Mapping[tuple[str, ...], int],
    record_count: int,
    max_pairs_per_record: float = DEFAULT_MAX_PAIRS_PER_RECORD,
) -> list[tuple[str, ...]]:
    """The candidate keys on populated fields, in order, while each and all fit the budget.

    Each key may make at most `max_pairs_per_record` pairs per record, and all chosen keys
    together TOTAL_PAIRS_PER_RECORD_FACTOR times that.
    """
    budget = max(MIN_PAIR_BUDGET, max_pairs_per_record * record_count)
    chosen, total = [], 0
    for key in keys_within(CANDIDATE_BLOCKING_KEYS, fields):
        pairs = pair_counts.get(key, 0)
        if pairs <= budget and total + pairs <= TOTAL_PAIRS_PER_RECORD_FACTOR * budget:
            chosen.append(key)
            total += pairs
    return chosen


def blocking_plan(
    db_api: DatabaseAPISubClass,
    table_name: str,
    fields: Collection[str],
    record_count: int,
    max_pairs_per_record: float = DEFAULT_MAX_PAIRS_PER_RECORD,
) -> dict[str, Any]:
    """Every candidate key on populated fields, its pair count, and whether it is used."""
    candidates = keys_within(CANDIDATE_BLOCKING_KEYS, fields)
    counts = count_key_pairs(db_api, table_name, candidates)
    chosen = choose_blocking_keys(fields, counts, record_count, max_pairs_per_record)
    return {
        "keys": [list(key) for key in chosen],
        "candidates": [
            {"key": list(key), "pairs": counts[key], "used": key in chosen} for key in candidates
        ],
    }
