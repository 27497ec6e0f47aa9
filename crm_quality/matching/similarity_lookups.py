"""String similarities of the random pairs looked up rather than computed pair by pair.

The records u is estimated on repeat their names: at a million contacts the 3,255 records
sampled make 5.3 million pairs but hold 407 first names. A level's
`jaro_winkler_similarity("first_name_key_l", "first_name_key_r")` then runs 5.3 million times
on 166,000 distinct arguments. Here each such call runs once per pair of distinct values, into
a table keyed by the two values' numbers, and each pair looks it up; the comparisons' SQL reads
the looked-up column where it called the function. The same function on the same arguments
gives the same value, so every level, and u, is unchanged (test_matching_u_sampling.py).

A Jaro-Winkler threshold on a column too varied to look up (the street) runs on every pair,
about 40 % of the pairs' query. There a bound goes first (`jaro_bound_sql`): from each value's
length and the set of its characters, the most characters two values can have in common; a pair
that cannot reach the threshold with that many is not compared. The bound only ever answers
"cannot" when the function would answer below the threshold, so every level is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from splink.internals.pipeline import CTEPipeline

# A call on one column of each record of the pair, as Splink writes a level's SQL.
SIMILARITY_CALL = re.compile(
    r"\b(jaro_winkler_similarity|jaro_similarity|levenshtein|damerau_levenshtein)"
    r'\(\s*"?(\w+)_l"?\s*,\s*"?(\w+)_r"?\s*\)',
    re.IGNORECASE,
)
# A lookup pays when its table holds fewer calls than the pairs make: a street, nearly unique
# among the sampled records, makes more pairs of distinct values than there are pairs.
MAX_SHARE_OF_PAIRS = 0.5
# A Jaro-Winkler threshold on one column of each record, as Splink writes the level.
JARO_WINKLER_THRESHOLD = re.compile(
    r'\bjaro_winkler_similarity\(\s*"?(\w+)_l"?\s*,\s*"?(\w+)_r"?\s*\)\s*>=\s*([0-9]*\.?[0-9]+)',
    re.IGNORECASE,
)
# Winkler's boost: at most 4 common prefix characters, each closing a tenth of the gap to 1.
WINKLER_MAX_BOOST = 0.4
# Slack for the bound's floating point: it may let a few more pairs through, never fewer.
BOUND_SLACK = 1e-9


@dataclass(frozen=True)
class Lookup:
    """The similarities of one left column against one right column, in table `name`."""

    name: str
    left: str
    right: str
    functions: tuple[str, ...]
    # The right column's distinct values: a pair's key is left number × this + right number.
    right_values: int

    def column(self, function: str) -> str:
        """The pairs' column holding `function` of the pair's two values."""
        return f"{self.name}_{function}"


@dataclass
class LookedUp:
    """What the pairs' query uses: the records (numbered), joins, columns and rewritten SQL."""

    records: str
    expressions: list[str]
    lookups: list[Lookup] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def similarity_calls(expressions: Sequence[str]) -> list[tuple[str, str, str]]:
    """(function, left column, right column) of every lookup-able call, in first-seen order."""
    calls: dict[tuple[str, str, str], None] = {}
    for expression in expressions:
        for function, left, right in SIMILARITY_CALL.findall(expression):
            calls[(function.lower(), left, right)] = None
    return list(calls)


def plan_lookups(
    calls: Sequence[tuple[str, str, str]], distinct_values: Mapping[str, int], pairs: int
) -> list[Lookup]:
    """One lookup per (left, right) column pair whose distinct values make few enough calls."""
    functions: dict[tuple[str, str], list[str]] = {}
    for function, left, right in calls:
        if distinct_values[left] * distinct_values[right] <= MAX_SHARE_OF_PAIRS * pairs:
            functions.setdefault((left, right), []).append(function)
    return [
        Lookup(f"__similarities_{number}", left, right, tuple(names), distinct_values[right])
        for number, ((left, right), names) in enumerate(functions.items())
    ]


def rewritten(expression: str, lookups: Sequence[Lookup]) -> str:
    """`expression` reading each looked-up call from the pairs' column instead."""
    columns = {
        (function, lookup.left, lookup.right): lookup.column(function)
        for lookup in lookups
        for function in lookup.functions
    }

    def replace(match: re.Match) -> str:
        call = (match.group(1).lower(), match.group(2), match.group(3))
        return columns.get(call, match.group(0))

    return SIMILARITY_CALL.sub(replace, expression)


def jaro_bound_sql(left: str, right: str, threshold: float) -> str | None:
    """A condition on pair columns that is false only where jaro_winkler_similarity(left_l,
    right_r) is below `threshold`; None when no bound helps (a threshold Winkler's boost alone
    can reach).

    Jaro = (m / |a| + m / |b| + (m - t) / m) / 3 for m matching characters, and Winkler adds
    at most 0.4 × (1 - Jaro): reaching the threshold needs m / |a| + m / |b| of at least
    3 × (threshold - 0.4) / 0.6 - 1. A character of one value that the other lacks matches
    nothing, so m is at most either length less its characters (their bits, `_characters_sql`)
    the other lacks. Lengths count characters, as DuckDB's function does.
    """
    needed = 3 * (threshold - WINKLER_MAX_BOOST) / (1 - WINKLER_MAX_BOOST) - 1 - BOUND_SLACK
    if needed <= 0:
        return None
    a_len, b_len = f'l."{left}__length"', f'r."{right}__length"'
    a_set, b_set = f'l."{left}__characters"', f'r."{right}__characters"'
    most = (
        f"least({a_len} - bit_count({a_set} & ~{b_set}), {b_len} - bit_count({b_set} & ~{a_set}))"
    )
    return f"({most} > 0 and {most} / {a_len} + {most} / {b_len} >= {needed!r})"


def with_jaro_bounds(expression: str, bounds: Mapping[tuple[str, str, str], str]) -> str:
    """`expression` with each bounded threshold behind its bound column (`bounds`: the pairs'
    column of each (left, right, threshold))."""

    def replace(match: re.Match) -> str:
        column = bounds.get((match.group(1), match.group(2), match.group(3)))
        return f"({column} and {match.group(0)})" if column else match.group(0)

    return JARO_WINKLER_THRESHOLD.sub(replace, expression)


@contextmanager
def looked_up(db_api: Any, records: str, expressions: Sequence[str]) -> Iterator[LookedUp]:
    """The lookups `expressions` can use on the pairs of `records` (a dedupe: each pair once),
    and the bounds of the Jaro-Winkler thresholds left, as tables in Splink's database while
    the context lasts."""
    calls = similarity_calls(expressions)
    columns = list(dict.fromkeys(column for _, *pair in calls for column in pair))
    lookups: list[Lookup] = []
    if columns:
        counts = _run(db_api, _distinct_counts_sql(records, columns), "__lookup_counts")
        try:
            counted = counts.as_record_list()[0]
        finally:
            counts.drop_table_from_database_and_remove_from_cache()
        pairs = counted["__records"] * (counted["__records"] - 1) // 2
        lookups = plan_lookups(calls, counted, pairs)
    remaining = [rewritten(e, lookups) for e in expressions]
    bounds = {
        (left, right, threshold): bound
        for expression in remaining
        for left, right, threshold in JARO_WINKLER_THRESHOLD.findall(expression)
        if (bound := jaro_bound_sql(left, right, float(threshold))) is not None
    }
    if not lookups and not bounds:
        yield LookedUp(records, list(expressions))
        return
    used = list(dict.fromkeys(c for lookup in lookups for c in (lookup.left, lookup.right)))
    bounded = list(dict.fromkeys(column for left, right, _ in bounds for column in (left, right)))
    tables = []
    try:
        ids = {}
        for column in used:
            tables.append(_run(db_api, _value_ids_sql(records, column), "__lookup_values"))
            ids[column] = tables[-1].physical_name
        tables.append(_run(db_api, _numbered_sql(records, ids, bounded), "__lookup_records"))
        names = {key: f"__jaro_bound_{number}" for number, key in enumerate(bounds)}
        result = LookedUp(
            tables[-1].physical_name, [with_jaro_bounds(e, names) for e in remaining], lookups
        )
        for lookup in lookups:
            tables.append(_run(db_api, _lookup_sql(lookup, ids), lookup.name))
            result.joins.append(_pair_join_sql(lookup, tables[-1].physical_name))
            result.columns += [f"{lookup.name}.{f} as {lookup.column(f)}" for f in lookup.functions]
        result.columns += [f"{bounds[key]} as {name}" for key, name in names.items()]
        yield result
    finally:
        for table in tables:
            table.drop_table_from_database_and_remove_from_cache()


def _run(db_api: Any, sql: str, name: str) -> Any:
    pipeline = CTEPipeline()
    pipeline.enqueue_sql(sql, name)
    return db_api.sql_pipeline_to_splink_dataframe(pipeline)


def _distinct_counts_sql(records: str, columns: Sequence[str]) -> str:
    counts = ", ".join(f'count(distinct "{column}") as "{column}"' for column in columns)
    return f"select count(*) as __records, {counts} from {records}"


def _value_ids_sql(records: str, column: str) -> str:
    """Each distinct non-null value of `column` numbered from 0."""
    return (
        "select value, row_number() over (order by value) - 1 as value_id from "
        f'(select distinct "{column}" as value from {records} where "{column}" is not null)'
    )


def _numbered_sql(records: str, ids: Mapping[str, str], bounded: Sequence[str] = ()) -> str:
    """The records with each looked-up column's value number beside it, and each bounded
    column's length and characters (`_characters_sql`)."""
    extra = [f'ids_{n}.value_id as "{column}_value_id"' for n, column in enumerate(ids)]
    for column in bounded:
        extra.append(f'length(records."{column}") as "{column}__length"')
        extra.append(
            f'{_characters_sql(f"records.{chr(34)}{column}{chr(34)}")} as "{column}__characters"'
        )
    joins = " ".join(
        f'left join {table} as ids_{n} on ids_{n}.value = records."{column}"'
        for n, (column, table) in enumerate(ids.items())
    )
    return f"select records.*, {', '.join(extra)} from {records} as records {joins}"


def _characters_sql(value: str) -> str:
    """The characters of `value` as bits of a 64-bit set (a character's code point modulo 64:
    two characters may share a bit, which only loosens the bound)."""
    bits = f"list_transform(string_split({value}, ''), lambda c: (1::ubigint) << (unicode(c) % 64))"
    return f"list_reduce({bits}, lambda a, b: a | b, 0::ubigint)"


def _lookup_sql(lookup: Lookup, ids: Mapping[str, str]) -> str:
    """Every pair of a left and a right value, keyed as _pair_join_sql keys the pairs."""
    calls = ", ".join(f"{f}(lefts.value, rights.value) as {f}" for f in lookup.functions)
    return (
        f"select lefts.value_id * {lookup.right_values} + rights.value_id as pair_key, {calls} "
        f"from {ids[lookup.left]} as lefts cross join {ids[lookup.right]} as rights"
    )


def _pair_join_sql(lookup: Lookup, table: str) -> str:
    """The join that brings a pair (records l and r) its looked-up similarities."""
    key = f'l."{lookup.left}_value_id" * {lookup.right_values} + r."{lookup.right}_value_id"'
    return f"left join {table} as {lookup.name} on {lookup.name}.pair_key = {key}"
