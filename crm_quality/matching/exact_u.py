"""u of the household levels counted over every record pair instead of sampled.

Random sampling (u_sampling.py) meets a level as often as strangers reach it. Strangers share
a phone or a street so rarely that the sample holds a handful of such pairs or none. At 20,000
people it held 22 pairs at 'same street address' (the phone not shared). The correction for the
true matches among them (training.py) then took u to its floor, and the level outweighed 'same
phone and street address' (+20.5 against +17.1 log2): housemates with no birth date merged.
These levels are exact agreement on a few columns, so their pairs are counted, one GROUP BY
per set of columns, on any engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from splink.internals.database_api import DatabaseAPISubClass

from crm_quality.matching.settings import ExactLevel


def agreeing_pairs(db_api: DatabaseAPISubClass, table: str, columns: tuple[str, ...]) -> float:
    """Record pairs of `table` equal on every one of `columns` (none of them null)."""
    present = " and ".join(f"{column} is not null" for column in columns)
    grouped = ", ".join(columns)
    sql = (
        "select sum(n * (n - 1) / 2) as pairs from "
        f"(select count(*) as n from {table} where {present} group by {grouped}) as groups"
    )
    counted = db_api.query_sql(sql, output_type="pandas")["pairs"].iloc[0]
    return float(counted) if counted is not None and counted == counted else 0.0


def exact_level_pairs(
    db_api: DatabaseAPISubClass, table: str, levels: Iterable[ExactLevel]
) -> dict[tuple[str, str], float]:
    """(comparison, level label) → the record pairs at that level."""
    counted: dict[tuple[str, ...], float] = {}

    def pairs(columns: tuple[str, ...]) -> float:
        if columns not in counted:
            counted[columns] = agreeing_pairs(db_api, table, columns)
        return counted[columns]

    return {
        (level.comparison, level.label): pairs(level.agree)
        - (pairs(level.unless) if level.unless else 0.0)
        for level in levels
    }


def with_exact_u(
    settings: dict[str, Any],
    level_pairs: Mapping[tuple[str, str], float],
    compared_pairs: Mapping[str, float],
) -> dict[str, Any]:
    """`settings` with each counted level's u its share of the comparison's compared pairs
    (`compared_pairs`: record pairs not at its null level), the sampled levels rescaled so
    the comparison's u still sums to 1."""
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        exact = {
            id(level): level_pairs[name, level.get("label_for_charts")] / compared_pairs[name]
            for level in levels
            if level_pairs.get((name, level.get("label_for_charts"))) and compared_pairs.get(name)
        }
        if not exact:
            continue
        sampled = [level for level in levels if id(level) not in exact]
        sampled_total = sum(_u(level) for level in sampled)
        scale = (1.0 - sum(exact.values())) / sampled_total if sampled_total else 0.0
        for level in levels:
            if id(level) in exact:
                level["u_probability"] = exact[id(level)]
            elif isinstance(level.get("u_probability"), float):
                level["u_probability"] *= scale
    return settings


def _u(level: Mapping[str, Any]) -> float:
    u = level.get("u_probability")
    return u if isinstance(u, float) else 0.0
