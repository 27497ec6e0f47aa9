"""The person-matching model's shape: comparisons, blocking rules and Splink settings.

Design (docs/entity_resolution.md):

* Names, birth date and e-mail are compared separately: a person's own identifiers.
* Phone, street, postcode and city are ONE comparison. Household members share all of them,
  so as separate comparisons they would each add weight for the same fact ("lives there"),
  and a household would outweigh two different first names and birth dates. As one
  comparison the model learns how rare "same phone and address" really is among non-matches.
* Whole e-mails are compared, never the part before the '@': that part is usually built from
  the name, which the name comparisons already count.
* Every level is written with Splink's level library, so the SQL is generated per engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

from crm_quality.matching.features import DERIVED_FIELDS, NAME_SIMILARITY

UNIQUE_ID = "record_key"
RETAINED_COLUMNS = ("source_system",)
# Linker arguments for settings derived from ones a Linker already validated (a trained model,
# its sampled blocking): validating the same SQL again costs a quarter second of parsing each.
DERIVED_SETTINGS = {"log_level": logging.WARNING, "validate_settings": False}

# Comparison output names, in the order they appear in pair tables.
COMPARISONS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "contact_address",
)


def _longer_than(column: str, length: int) -> cll.CustomLevel:
    return cll.CustomLevel(
        f"greatest(length({column}_l), length({column}_r)) > {length}",
        label_for_charts=f"{column} longer than {length} characters",
    )


def _lengths_within(column: str, difference: int) -> cll.CustomLevel:
    return cll.CustomLevel(
        f"abs(length({column}_l) - length({column}_r)) <= {difference}",
        label_for_charts=f"{column} lengths within {difference}",
    )


def _date_parts_agreeing(minimum: int) -> cll.CustomLevel:
    agreeing = " + ".join(
        f"case when {part}_l = {part}_r then 1 else 0 end"
        for part in ("birth_year", "birth_month", "birth_day")
    )
    return cll.CustomLevel(
        f"({agreeing}) >= {minimum}",
        label_for_charts=f"at least {minimum} of year, month and day agree",
    )


def _not_same(column: str) -> cll.CustomLevel:
    """Not known to agree: different, or missing on either side (an exact level's NULL)."""
    return cll.CustomLevel(
        f"not coalesce({column}_l = {column}_r, false)", label_for_charts=f"{column} not the same"
    )


SWAPPED = "swapped with the other name"
# A level whose evidence another comparison counts: training leaves its m and u alone.
WEIGHS_NOTHING = {"m_probability": 0.5, "u_probability": 0.5}
WEIGHS_NOTHING |= {"fix_m_probability": True, "fix_u_probability": True}


def _cross_name_sql(left: str, right: str) -> str:
    """A name of the left record close to the other name of the right record."""
    return f'jaro_winkler_similarity("{left}_l", "{right}_r") >= {NAME_SIMILARITY}'


def _name_comparison(output_name: str, column: str, swap: bool) -> ComparisonCreator:
    """Exact (with term-frequency adjustment), swapped, moved, one typo, similar, different.

    'Swapped' is first name and surname exchanged (entered into each other's field). Both name
    comparisons see it, but its m and u are of the swap itself, both names at once: the
    surname's level has m = u, fixed, so the swap weighs once, in the first name. Counted in
    both, a swap weighed twice what both names agreeing in place do, and strangers whose
    common names were swapped scored as matches. 'Moved' is one name found in the other's
    field while the other name differs: only the first-name comparison has that level. Both
    only when both names are populated.
    """
    first_to_last = _cross_name_sql("first_name_key", "last_name_key")
    last_to_first = _cross_name_sql("last_name_key", "first_name_key")
    swapped = cll.CustomLevel(f"{first_to_last} and {last_to_first}", base_dialect_str="duckdb")
    moved = cll.CustomLevel(f"{first_to_last} or {last_to_first}", base_dialect_str="duckdb")
    cross_levels = []
    if swap and output_name == "first_name":
        cross_levels.append(swapped.configure(label_for_charts=SWAPPED))
    if swap and output_name == "last_name":
        cross_levels.append(swapped.configure(label_for_charts=SWAPPED, **WEIGHS_NOTHING))
    if swap and output_name == "first_name":
        cross_levels.append(moved.configure(label_for_charts="one name in the other's field"))
    return cl.CustomComparison(
        output_column_name=output_name,
        comparison_description=f"{output_name}: exact, swapped, one typo, similar, different",
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True).configure(
                label_for_charts="exact"
            ),
            *cross_levels,
            # One edit ('Uwe'/'Ue', 'Frtedrich'); two one- or two-character names (many CJK
            # given names) are one edit apart whenever they differ at all, so not those.
            # Levenshtein, not Damerau-Levenshtein: DuckDB's is several times slower. Engines
            # test AND's terms left to right on the pairs still in play, so the cheap length
            # tests go first: names more than one character apart in length are never one
            # edit apart, and Levenshtein was half of this comparison's cost.
            cll.And(
                _lengths_within(column, 1), _longer_than(column, 2), cll.LevenshteinLevel(column, 1)
            ).configure(label_for_charts="one typo"),
            cll.JaroWinklerLevel(column, NAME_SIMILARITY).configure(label_for_charts="similar"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def birth_date_comparison() -> ComparisonCreator:
    """Exact; off by a day or two or day and month swapped; a year slip; different.

    A slip moves the year by one or a decade (typed '1985' for '1975'; counted in days, a
    year or a decade also shifts the day a little); a swap keeps the year (05/03 read as
    03/05). Each is rare between strangers.
    """
    same_year = cll.ExactMatchLevel("birth_year")
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="birth_date: exact, near or swapped, year slip, different",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="exact"),
            cll.Or(
                cll.AbsoluteDateDifferenceLevel(
                    "birth_date", input_is_string=False, threshold=2, metric="day"
                ),
                cll.And(
                    same_year,
                    cll.ColumnsReversedLevel(
                        "birth_month_day", "birth_day_month", symmetrical=True
                    ),
                ),
            ).configure(label_for_charts="within 2 days or day and month swapped"),
            # One edit changes one of year, month and day: two must agree. Tested first, it
            # spares Levenshtein nearly every pair (at a million records, this comparison's
            # cost fell from 3.6 to 0.5 CPU seconds, the same levels).
            cll.And(_date_parts_agreeing(2), cll.LevenshteinLevel("birth_date_text", 1)).configure(
                label_for_charts="one digit mistyped"
            ),
            cll.CustomLevel(
                "birth_month_l = birth_month_r and abs(birth_day_l - birth_day_r) <= 2 "
                "and abs(birth_year_l - birth_year_r) in (1, 10)",
                label_for_charts="year 1 or 10 apart, day and month within 2 days",
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def email_comparison() -> ComparisonCreator:
    """The whole address, exact (term-frequency adjusted: shared inboxes weigh less)."""
    return cl.CustomComparison(
        output_column_name="email",
        comparison_description="email: whole address exact, or different",
        comparison_levels=[
            cll.NullLevel("email"),
            cll.ExactMatchLevel("email", term_frequency_adjustments=True).configure(
                label_for_charts="exact"
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def contact_address_comparison(fields: Collection[str]) -> ComparisonCreator | None:
    """Phone, street, postcode and city together: household evidence counted once.

    Built from the fields present. Postcode only counts together with the city or the
    street, never as an independent vote. A street with a typo still counts when the postcode
    or city agrees (exports retype addresses).
    """
    present = set(fields)
    phone, street = "phone" in present, "street_key" in present
    postcode, city = "postal_key" in present, "city_key" in present
    if not (phone or street or postcode or city):
        return None
    exact = cll.ExactMatchLevel
    place = [exact(column) for column in ("postal_key", "city_key") if column in present]
    levels: list[Any] = [
        cll.And(
            *(
                cll.NullLevel(column)
                for column in ("phone", "postal_key", "city_key", "street_key")
                if column in present
            )
        ).configure(label_for_charts="no phone or address to compare")
    ]
    if phone and street and postcode:
        levels.append(
            cll.And(exact("phone"), exact("street_key"), exact("postal_key")).configure(
                label_for_charts="same phone and street address"
            )
        )
    if phone:
        levels.append(exact("phone").configure(label_for_charts="same phone"))
    if street and place:
        levels.append(
            cll.And(exact("street_key"), place[0]).configure(label_for_charts="same street address")
        )
        levels.append(
            cll.And(cll.Or(*place), cll.JaroWinklerLevel("street_key", 0.9)).configure(
                label_for_charts="similar street, same postcode or city"
            )
        )
    if street:
        # A similar street in the same postcode or city took the level above, so only pairs
        # elsewhere reach this one. With the place tested first in both, each pair meets
        # Jaro-Winkler once, not twice: the same levels, a third of this comparison's cost.
        elsewhere = [
            _not_same(column) for column in ("postal_key", "city_key") if column in present
        ]
        levels.append(
            cll.And(*elsewhere, cll.JaroWinklerLevel("street_key", 0.9)).configure(
                label_for_charts="same or similar street elsewhere"
            )
        )
    if postcode and city:
        levels.append(
            cll.And(exact("postal_key"), exact("city_key")).configure(
                label_for_charts="same postcode and city"
            )
        )
    for column, label in (("postal_key", "same postcode"), ("city_key", "same city")):
        if column in present:
            levels.append(exact(column).configure(label_for_charts=label))
    levels.append(cll.ElseLevel().configure(label_for_charts="different"))
    return cl.CustomComparison(
        output_column_name="contact_address",
        comparison_description="contact_address: phone, street, postcode and city together",
        comparison_levels=levels,
    )


@dataclass(frozen=True)
class ExactLevel:
    """A level reached by pairs agreeing exactly on `agree`, except those a level above it
    takes (agreeing on `unless` too): its pairs can be counted, not sampled (exact_u.py)."""

    comparison: str
    label: str
    agree: tuple[str, ...]
    unless: tuple[str, ...] = ()


def exact_levels(fields: Collection[str]) -> list[ExactLevel]:
    """contact_address's exact levels, as contact_address_comparison builds them from `fields`:
    agreement strangers rarely reach (a household's), so a random sample holds few pairs."""
    present = set(fields)
    phone, street = "phone" in present, "street_key" in present
    place = [column for column in ("postal_key", "city_key") if column in present]
    both = ("phone", "street_key", "postal_key")
    levels = []
    if set(both) <= present:
        levels.append(ExactLevel("contact_address", "same phone and street address", both))
    if phone:
        unless = both if set(both) <= present else ()
        levels.append(ExactLevel("contact_address", "same phone", ("phone",), unless))
    if street and place:
        agree = ("street_key", place[0])
        unless = ("phone", *agree) if phone else ()
        levels.append(ExactLevel("contact_address", "same street address", agree, unless))
    return levels


# The feature columns each comparison reads (both names read both: the swap level). EM
# cannot estimate a comparison in a round blocked on any of its columns.
COMPARISON_FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name_key", "last_name_key"),
    "last_name": ("last_name_key", "first_name_key"),
    "birth_date": ("birth_date",),
    "email": ("email",),
    "contact_address": ("phone", "street_key", "postal_key", "city_key"),
}


def comparisons(fields: Collection[str]) -> list[ComparisonCreator]:
    """The comparisons the populated `fields` allow, in COMPARISONS order."""
    present = set(fields)
    both_names = {"first_name_key", "last_name_key"} <= present
    built: list[ComparisonCreator | None] = [
        _name_comparison("first_name", "first_name_key", both_names)
        if "first_name_key" in present
        else None,
        _name_comparison("last_name", "last_name_key", both_names)
        if "last_name_key" in present
        else None,
        birth_date_comparison() if "birth_date" in present else None,
        email_comparison() if "email" in present else None,
        contact_address_comparison(present),
    ]
    return [comparison for comparison in built if comparison is not None]


def compared(fields: Collection[str]) -> tuple[str, ...]:
    """Names of the comparisons the populated `fields` allow."""
    present = set(fields)
    # A name comparison needs its own name; the other is read only for the swap level.
    needed = {"first_name": {"first_name_key"}, "last_name": {"last_name_key"}}
    return tuple(
        name for name in COMPARISONS if present & needed.get(name, set(COMPARISON_FIELDS[name]))
    )


# Candidate blocking keys, most selective and most telling first. Records sharing every
# column of a key are compared; name_pair_key is both names in either order. A key is used
# only when all its columns are populated and it pairs few enough records
# (crm_quality.matching.blocking): names alone are fine on diverse names and far too coarse on
# a million records drawn from small name pools.
CANDIDATE_BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("email",),
    ("phone",),
    ("last_name_key", "birth_date"),
    ("first_name_key", "birth_date"),
    ("name_pair_key", "postal_key"),
    ("street_key", "postal_key"),
    ("birth_date", "postal_key"),
    ("name_pair_key",),
    ("last_name_key", "postal_key"),
    ("first_name_key", "postal_key"),
    ("last_name_key", "city_key"),
    ("first_name_key", "city_key"),
    ("birth_date", "city_key"),
    ("street_key", "city_key"),
    ("postal_key", "city_key"),
    ("street_key",),
    ("birth_date",),
)

# EM rounds, in order of preference. Each round estimates the comparisons it does not block
# on, and its pairs must be nearly all true matches: never a round blocked on address or
# phone alone (that is where households are, and EM would learn that matches disagree on
# first name and birth date).
CANDIDATE_TRAINING_KEYS: tuple[tuple[str, ...], ...] = (
    ("first_name_key", "last_name_key", "birth_date"),
    ("email",),
    ("birth_date", "postal_key"),
    ("street_key", "birth_date"),
    ("birth_date", "city_key"),
    ("first_name_key", "street_key", "postal_key"),
    ("first_name_key", "postal_key"),
    # Last resort, for data without birth dates or e-mails: namesakes dilute it.
    ("first_name_key", "last_name_key"),
)

# Near-certain matches, for the first estimate of how often two records match at all.
CANDIDATE_DETERMINISTIC_KEYS: tuple[tuple[str, ...], ...] = (
    ("email",),
    ("first_name_key", "last_name_key", "birth_date"),
    ("first_name_key", "last_name_key", "street_key", "postal_key"),
)


def keys_within(
    candidates: tuple[tuple[str, ...], ...], fields: Collection[str]
) -> list[tuple[str, ...]]:
    """The candidate keys whose every column is populated (a derived column's fields are)."""
    present = set(fields)
    return [
        key
        for key in candidates
        if all(set(DERIVED_FIELDS.get(column, (column,))) <= present for column in key)
    ]


def training_keys(
    fields: Collection[str], pairs: Callable[[tuple[str, ...]], int] | None = None
) -> list[tuple[str, ...]]:
    """Enough EM rounds that every comparison is estimated in a round not blocked on it.

    With `pairs` (the pairs a key makes on the data), a key that pairs no records is passed
    over for the next that estimates the same comparisons: a CRM whose records never share a
    name and a birth date (HubSpot's birth date is mostly empty) still estimates the rest.
    """
    remaining = set(compared(fields))
    chosen: list[tuple[str, ...]] = []
    for key in keys_within(CANDIDATE_TRAINING_KEYS, fields):
        estimates = {name for name in remaining if not set(key) & set(COMPARISON_FIELDS[name])}
        if estimates and (pairs is None or pairs(key) > 0):
            chosen.append(key)
            remaining -= estimates
        if not remaining:
            break
    return chosen


def rule(key: tuple[str, ...]) -> BlockingRuleCreator:
    return block_on(*key)


def settings_creator(
    fields: Collection[str],
    blocking_keys: list[tuple[str, ...]],
    probability_two_random_records_match: float = 1e-4,
) -> SettingsCreator:
    """The untrained model for the populated `fields`: m and u still at Splink's defaults."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=comparisons(fields),
        blocking_rules_to_generate_predictions=[rule(key) for key in blocking_keys],
        probability_two_random_records_match=probability_two_random_records_match,
        # Splink keeps the comparison levels (gamma) only beside the compared values; the
        # pair table selects the levels and weights and leaves the values behind.
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=list(RETAINED_COLUMNS),
        em_convergence=0.001,
        max_iterations=25,
    )


def settings_dict(settings: SettingsCreator | dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready settings dictionary (DuckDB-flavoured SQL unless already a dictionary)."""
    if isinstance(settings, dict):
        return settings
    return settings.get_settings("duckdb").as_dict()
