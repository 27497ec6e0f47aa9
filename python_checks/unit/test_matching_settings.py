"""The matching model's shape: comparisons, levels, blocking rules, matching features."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from crm_quality.matching.features import FEATURE_COLUMNS, FEATURE_EXPRESSIONS, features_sql
from crm_quality.matching.profile import IDENTIFYING_FIELDS
from crm_quality.matching.settings import (
    CANDIDATE_BLOCKING_KEYS,
    COMPARISON_FIELDS,
    COMPARISONS,
    compared,
    comparisons,
    settings_creator,
    settings_dict,
    training_keys,
)

ALL_FIELDS = IDENTIFYING_FIELDS
# What FEBRL and many CRMs hold: names, an address and a birth date; no e-mail, no phone.
NO_CONTACT_FIELDS = tuple(f for f in IDENTIFYING_FIELDS if f not in ("email", "phone"))
# Fields a CRM may lack altogether.
SCENARIOS = [
    (),
    ("email",),
    ("phone",),
    ("email", "phone"),
    ("birth_date",),
    ("email", "birth_date"),
    ("email", "phone", "birth_date"),
    ("street_key", "postal_key", "city_key"),
]


@pytest.fixture(scope="module")
def settings() -> dict:
    return settings_dict(settings_creator(ALL_FIELDS, [("email",)]))


def _sql(fields: tuple[str, ...]) -> str:
    built = settings_dict(settings_creator(fields, [("email",)]))
    return " ".join(
        level["sql_condition"] for c in built["comparisons"] for level in c["comparison_levels"]
    )


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
    assert labels.index("same phone and street address") < labels.index("same phone")
    assert labels.index("same postcode and city") < labels.index("same postcode")


def test_name_and_email_exact_levels_are_term_frequency_adjusted(settings):
    for comparison, column in (
        ("first_name", "first_name_key"),
        ("last_name", "last_name_key"),
        ("email", "email"),
    ):
        assert _levels(settings, comparison)[1]["tf_adjustment_column"] == column


def test_blocking_keys_never_block_on_a_name_alone():
    for key in CANDIDATE_BLOCKING_KEYS:
        assert set(key) not in ({"first_name_key"}, {"last_name_key"}), key


def test_training_rounds_each_hold_a_personal_identifier():
    """EM rounds inside households (address or phone alone) would learn that matches
    disagree on first name and birth date; every round also blocks on something a
    housemate does not share."""
    personal = {"first_name_key", "birth_date", "email"}
    for missing in SCENARIOS:
        for key in training_keys(tuple(f for f in ALL_FIELDS if f not in missing)):
            assert personal & set(key), (missing, key)


@pytest.mark.parametrize("missing", SCENARIOS)
def test_every_comparison_is_estimated_by_some_training_round(missing):
    """Names need a round blocked on e-mail or birth date; without either they keep the
    starting model's values (fct_matching_parameters.is_estimated is then false)."""
    fields = tuple(f for f in ALL_FIELDS if f not in missing)
    keys = training_keys(fields)
    names_estimable = bool({"email", "birth_date"} & set(fields))
    for name in compared(fields):
        if name in ("first_name", "last_name") and not names_estimable:
            continue
        assert any(not set(key) & set(COMPARISON_FIELDS[name]) for key in keys), (name, keys)
        assert all(set(key) <= set(fields) for key in keys)


def test_fields_that_are_not_populated_are_not_compared():
    names = [c.get_comparison("duckdb").output_column_name for c in comparisons(NO_CONTACT_FIELDS)]
    assert names == ["first_name", "last_name", "birth_date", "contact_address"]
    sql = _sql(NO_CONTACT_FIELDS)
    assert "email" not in sql and "phone" not in sql
    without_birth_date = tuple(f for f in ALL_FIELDS if f != "birth_date")
    assert "birth_date" not in _sql(without_birth_date)


def test_swapped_names_are_a_level_of_both_name_comparisons(settings):
    for comparison in ("first_name", "last_name"):
        labels = [level["label_for_charts"] for level in _levels(settings, comparison)]
        assert "swapped with the other name" in labels
    only_surname = settings_dict(
        settings_creator(("last_name_key", "birth_date", "postal_key"), [("birth_date",)])
    )
    (last_name,) = only_surname["comparisons"][:1]
    assert "swapped with the other name" not in [
        level.get("label_for_charts") for level in last_name["comparison_levels"]
    ]


def _features(rows: list[dict], max_key_group_size: int | None = None) -> pd.DataFrame:
    records = pd.DataFrame(rows)
    records["birth_date"] = pd.to_datetime(records["birth_date"])
    records["phone_key"] = records["phone"]  # what matching compares (E.164 here)
    connection = duckdb.connect()
    connection.register("records", records)
    return connection.sql(
        f"select * from ({features_sql('records', max_key_group_size)}) order by record_key"
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


def test_an_inbox_of_several_people_is_not_an_identifier():
    family = "familie.mueller@gmx.de"
    rows = [
        # Two people behind one family inbox: other first name, other birth date.
        {**RECORD, "record_key": "crm:1", "email": family},
        {
            **RECORD,
            "record_key": "crm:2",
            "email": family,
            "first_name_key": "hans",
            "birth_date": "1978-11-02",
        },
        # One person twice, once with a mistyped first name: the inbox still identifies.
        {**RECORD, "record_key": "crm:3", "email": "anna@example.de"},
        {**RECORD, "record_key": "crm:4", "email": "anna@example.de", "first_name_key": "anan"},
    ]
    # Without birth dates: a mistyped first name is still one person, another name is not.
    # Sisters sharing an inbox: alike first names, other birth dates.
    for key, email, name, birth_date in [
        ("crm:5", "m.weber@web.de", "marie", None),
        ("crm:6", "m.weber@web.de", "maire", None),
        ("crm:7", "weber.home@web.de", "marie", None),
        ("crm:8", "weber.home@web.de", "martin", None),
        ("crm:10", "schwestern@web.de", "anne", RECORD["birth_date"]),
        ("crm:11", "schwestern@web.de", "anna", "1993-02-11"),
    ]:
        rows.append({**RECORD, "record_key": key, "email": email, "first_name_key": name,
                     "birth_date": birth_date})  # fmt: skip
    emails = _features(rows, max_key_group_size=20).set_index("record_key")["email"]
    assert emails[["crm:1", "crm:2", "crm:7", "crm:8", "crm:10", "crm:11"]].isna().all()
    assert (emails[["crm:3", "crm:4"]] == "anna@example.de").all()
    assert (emails[["crm:5", "crm:6"]] == "m.weber@web.de").all()


def _one_edit_level(settings: dict, comparison: str) -> str:
    (level,) = [lv for lv in _levels(settings, comparison) if "levenshtein" in lv["sql_condition"]]
    return level["sql_condition"]


def test_levenshtein_is_tested_last_behind_cheaper_conditions(settings):
    # Engines test AND's terms left to right on the pairs still in play: Levenshtein first
    # ran on every pair of strangers.
    for comparison in ("first_name", "last_name", "birth_date"):
        terms = _one_edit_level(settings, comparison).split(") AND (")
        assert len(terms) >= 2, comparison
        assert "levenshtein" in terms[-1], comparison
        assert not any("levenshtein" in term for term in terms[:-1]), comparison


# Names one edit apart or not: substitutions, insertions, deletions, a transposition (two
# edits), one- and two-character names, accents and CJK.
NAMES = [
    "anna", "ana", "anne", "hanna", "annna", "naan", "nana", "ann", "an", "a", "jo", "joe",
    "zoe", "zoë", "li", "lie", "wei", "weii", "王", "王伟", "王偉", "muller", "mueller",
    "muler", "mulelr", "schmidt", "schmid", "schmitt", "smith", "frtedrich", "friedrich",
    "friedrick", "uwe", "ue", "u", "",
]  # fmt: skip


def test_the_name_one_typo_level_is_levenshtein_within_one(settings):
    pairs = pd.DataFrame(
        [(left, right) for left in NAMES for right in NAMES],
        columns=["first_name_key_l", "first_name_key_r"],
    )
    condition = _one_edit_level(settings, "first_name")
    reference = (
        "levenshtein(first_name_key_l, first_name_key_r) <= 1 "
        "and greatest(length(first_name_key_l), length(first_name_key_r)) > 2"
    )
    connection = duckdb.connect()
    connection.register("pairs", pairs)
    counts = connection.sql(
        f"select count(*) filter (where ({condition}) is distinct from ({reference})),"
        f" count(*) filter (where {reference}) from pairs"
    ).fetchall()[0]
    assert counts[0] == 0
    assert counts[1] > len(NAMES)  # some one-edit pairs besides each name with itself


def _one_digit_variants(text: str) -> list[str]:
    return [
        text[:position] + digit + text[position + 1 :]
        for position, character in enumerate(text)
        if character.isdigit()
        for digit in "0123456789"
    ]


def test_the_birth_date_mistyped_digit_level_is_levenshtein_within_one(settings):
    seeds = ["1980-03-05", "1975-12-31", "2001-01-10", "1999-09-09", "1944-08-05"]
    dates = set(seeds)
    for seed in seeds:
        dates.update(_one_digit_variants(seed))
    records = pd.DataFrame({"birth_date": sorted(dates)})
    features = ", ".join(
        f"{FEATURE_EXPRESSIONS[column]} as {column}"
        for column in ("birth_date_text", "birth_year", "birth_month", "birth_day")
    )
    connection = duckdb.connect()
    connection.register("raw_dates", records)
    # Only real dates reach matching; a mistyped digit may make an impossible one.
    connection.execute(
        f"create table dates as select {features} from (select try_cast(birth_date as date)"
        " as birth_date from raw_dates) where birth_date is not null"
    )
    condition = _one_edit_level(settings, "birth_date")
    reference = "levenshtein(birth_date_text_l, birth_date_text_r) <= 1"
    sides = ", ".join(
        f"{side}.{column} as {column}_{side}"
        for side in ("l", "r")
        for column in ("birth_date_text", "birth_year", "birth_month", "birth_day")
    )
    counts = connection.sql(
        f"with pairs as (select {sides} from dates as l cross join dates as r) "
        f"select count(*) filter (where ({condition}) is distinct from ({reference})),"
        f" count(*) filter (where {reference} and birth_date_text_l <> birth_date_text_r)"
        " from pairs"
    ).fetchall()[0]
    assert counts[0] == 0
    assert counts[1] > 100


def _gamma_sql(levels: list[dict]) -> str:
    """A comparison's levels as Splink's comparison vector: -1 for the null level, then the
    other levels counting down to 0 (the else level)."""
    whens = " ".join(
        f"when {level['sql_condition']} then {-1 if level.get('is_null_level') else value}"
        for value, level in zip(range(len(levels) - 1, -1, -1), levels, strict=True)
        if level["sql_condition"] != "ELSE"
    )
    return f"case {whens} else 0 end"


def test_street_similarity_is_tested_after_the_place(settings):
    for level in _levels(settings, "contact_address"):
        if "jaro_winkler" in level["sql_condition"]:
            terms = level["sql_condition"].split(") AND (")
            assert len(terms) >= 2, level["label_for_charts"]
            assert "jaro_winkler" in terms[-1], level["label_for_charts"]


def test_the_contact_address_levels_are_the_documented_ones(settings):
    # Every combination of agreeing, similar, different and missing values, against a full
    # record and an empty one.
    values = {
        "phone": ["+4930123", "+4930999", None],
        "street_key": ["viaroma8", "viaroma9", "hauptstr1", None],
        "postal_key": ["10115", "20095", None],
        "city_key": ["berlin", "hamburg", None],
    }
    combos = [{}]
    for column, options in values.items():
        combos = [{**combo, column: option} for combo in combos for option in options]
    pairs = pd.DataFrame(
        [
            {**{f"{c}_l": v for c, v in left.items()}, **{f"{c}_r": v for c, v in right.items()}}
            for left in (combos[0], combos[-1])
            for right in combos
        ]
    )
    same = {c: f"{c}_l = {c}_r" for c in values}
    missing = " and ".join(f"({c}_l is null or {c}_r is null)" for c in values)
    similar = "jaro_winkler_similarity(street_key_l, street_key_r) >= 0.9"
    documented = f"""case
        when {missing} then -1
        when {same["phone"]} and {same["street_key"]} and {same["postal_key"]} then 8
        when {same["phone"]} then 7
        when {same["street_key"]} and {same["postal_key"]} then 6
        when {similar} and ({same["postal_key"]} or {same["city_key"]}) then 5
        when {similar} then 4
        when {same["postal_key"]} and {same["city_key"]} then 3
        when {same["postal_key"]} then 2
        when {same["city_key"]} then 1
        else 0 end"""
    connection = duckdb.connect()
    connection.register("pairs", pairs)
    gamma = _gamma_sql(_levels(settings, "contact_address"))
    differing, levels_seen = connection.sql(
        f"select count(*) filter (where ({gamma}) is distinct from ({documented})),"
        f" count(distinct {documented}) from pairs"
    ).fetchall()[0]
    assert differing == 0
    assert levels_seen == 10


def test_a_training_key_that_pairs_no_records_gives_way_to_the_next():
    """A CRM whose records never share a name and a birth date (HubSpot's birth date is
    mostly empty): the round blocked on them would see no pair and estimate nothing."""
    first = ("first_name_key", "last_name_key", "birth_date")
    assert training_keys(ALL_FIELDS)[0] == first
    keys = training_keys(ALL_FIELDS, lambda key: 0 if key == first else 10)
    assert first not in keys
    for name in compared(ALL_FIELDS):
        assert any(not set(key) & set(COMPARISON_FIELDS[name]) for key in keys), (name, keys)
