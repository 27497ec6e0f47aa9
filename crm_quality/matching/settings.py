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

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

UNIQUE_ID = "record_key"
RETAINED_COLUMNS = ("source_system",)

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


def _name_comparison(output_name: str, column: str) -> ComparisonCreator:
    """Exact (with term-frequency adjustment), one typo, similar, different."""
    return cl.CustomComparison(
        output_column_name=output_name,
        comparison_description=f"{output_name}: exact, one typo, similar, different",
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True).configure(
                label_for_charts="exact"
            ),
            # One edit ('Uwe'/'Ue', 'Frtedrich'); two one- or two-character names (many CJK
            # given names) are one edit apart whenever they differ at all, so not those.
            cll.And(cll.DamerauLevenshteinLevel(column, 1), _longer_than(column, 2)).configure(
                label_for_charts="one typo"
            ),
            cll.JaroWinklerLevel(column, 0.88).configure(label_for_charts="similar"),
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


def contact_address_comparison() -> ComparisonCreator:
    """Phone, street, postcode and city together: household evidence counted once.

    Postcode and city agree together (one level), never as two independent votes.
    """

    def phone() -> cll.ExactMatchLevel:
        return cll.ExactMatchLevel("phone")

    def street() -> cll.ExactMatchLevel:
        return cll.ExactMatchLevel("street_key")

    def postcode() -> cll.ExactMatchLevel:
        return cll.ExactMatchLevel("postal_key")

    def city() -> cll.ExactMatchLevel:
        return cll.ExactMatchLevel("city_key")

    return cl.CustomComparison(
        output_column_name="contact_address",
        comparison_description=(
            "contact_address: phone and street address, phone, street address, "
            "postcode and city, city, different"
        ),
        comparison_levels=[
            cll.And(
                cll.NullLevel("phone"), cll.NullLevel("postal_key"), cll.NullLevel("city_key")
            ).configure(label_for_charts="no phone or address to compare"),
            cll.And(phone(), street(), postcode()).configure(
                label_for_charts="same phone and street address"
            ),
            phone().configure(label_for_charts="same phone"),
            cll.And(street(), postcode()).configure(label_for_charts="same street address"),
            cll.And(postcode(), city()).configure(label_for_charts="same postcode and city"),
            city().configure(label_for_charts="same city"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
    )


def comparisons() -> list[ComparisonCreator]:
    return [
        _name_comparison("first_name", "first_name_key"),
        _name_comparison("last_name", "last_name_key"),
        birth_date_comparison(),
        email_comparison(),
        contact_address_comparison(),
    ]


def prediction_blocking_rules() -> list[BlockingRuleCreator]:
    """Candidate pairs: records sharing at least one of these keys are compared.

    Each rule is selective on its own at a million records (names alone are not: the name
    pools are small), and together they reach every kind of duplicate: a new e-mail, a
    missing phone, a typo in one name, a wrong birth date.
    """
    return [
        block_on("email"),
        block_on("phone"),
        block_on("last_name_key", "birth_date"),
        block_on("first_name_key", "birth_date"),
        block_on("first_name_key", "last_name_key", "postal_key"),
        block_on("street_key", "postal_key"),
        block_on("birth_date", "postal_key"),
    ]


def training_blocking_rules() -> list[BlockingRuleCreator]:
    """EM rounds: each comparison is estimated in a round that does not block on it.

    Both rounds' pairs are nearly all true matches, which is what EM needs to learn how
    matches look. Not a round blocked on phone and street: that is where the households are,
    and EM then takes household members for duplicates and learns that true matches often
    disagree on first name and birth date, which merges households.
    """
    return [
        block_on("first_name_key", "last_name_key", "birth_date"),
        block_on("email"),
    ]


def deterministic_rules() -> list[BlockingRuleCreator]:
    """Near-certain matches, used only to estimate how often two records match at all."""
    return [
        block_on("email"),
        block_on("first_name_key", "last_name_key", "birth_date"),
    ]


def settings_creator(probability_two_random_records_match: float = 1e-4) -> SettingsCreator:
    """The untrained model: every m and u probability still at Splink's defaults."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=prediction_blocking_rules(),
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
