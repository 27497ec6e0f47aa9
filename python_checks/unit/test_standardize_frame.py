"""standardize_people and the date/timestamp column wrappers on DataFrames."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.standardize import (
    PERSON_INPUT_COLUMNS,
    PERSON_OUTPUT_COLUMNS,
    Lookups,
    standardize_date_column,
    standardize_people,
    standardize_timestamp_column,
)

AS_OF = date(2024, 6, 1)


def _people(rows: list[dict[str, object]], index: list[object] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, index=index)
    for column in PERSON_INPUT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame


@pytest.fixture(scope="module")
def messy(lookups) -> pd.DataFrame:
    rows = [
        {
            "record_id": "a",
            "first_name_raw": "BOB",
            "last_name_raw": "VAN DER BERG",
            "email_raw": " Bob@Mailinator.COM ",
            "phone_raw": "030 1234567",
            "street_address_raw": "Hauptstraße\u00a01",
            "city_raw": "FRANKFURT AM MAIN",
            "postal_code_raw": " 60311 ",
            "country_raw": "Deutschland",
            "birth_date_raw": "01.02.1980",
        },
        {
            "record_id": "b",
            "first_name_raw": " n/a ",
            "last_name_raw": "山田",
            "email_raw": "not-an-email",
            "phone_raw": "(415) 555-0132",
            "street_address_raw": "NULL",
            "city_raw": "new york",
            "postal_code_raw": "ny  10001",
            "country_raw": "U.S.",
            "birth_date_raw": "2023-02-30",
        },
        {
            "record_id": "c",
            "first_name_raw": "jean-luc",
            "last_name_raw": "o'brien",
            "email_raw": "mailto:JL@Example.fr",
            "phone_raw": "030 1234567",  # national format, but no usable country
            "street_address_raw": "1 Rue de Rivoli",
            "city_raw": "Paris",
            "postal_code_raw": "sw1a 1aa",
            "country_raw": "Narnia",
            "birth_date_raw": "2030/01/01",
        },
        {
            "record_id": "d",
            "first_name_raw": None,
            "last_name_raw": "",
            "email_raw": None,
            "phone_raw": "0049-30-1234567",  # international, so no country needed
            "street_address_raw": None,
            "city_raw": "東京",
            "postal_code_raw": "〒１００-０００１",
            "country_raw": "n/a",
            "birth_date_raw": "N/A",
        },
    ]
    return standardize_people(_people(rows, index=[10, 20, 30, 40]), lookups, AS_OF)


def test_values_and_statuses(messy):
    def column(name):
        return [None if pd.isna(value) else value for value in messy[name]]

    assert column("first_name") == ["Bob", None, "Jean-Luc", None]
    assert column("first_name_key") == ["robert", None, "jeanluc", None]
    assert column("first_name_status") == ["valid", "missing", "valid", "missing"]
    assert column("last_name") == ["van der Berg", "山田", "O'Brien", None]
    assert column("last_name_key") == ["vanderberg", "山田", "obrien", None]
    assert column("last_name_status") == ["valid", "valid", "valid", "missing"]
    assert column("email") == ["bob@mailinator.com", None, "jl@example.fr", None]
    assert column("email_domain") == ["mailinator.com", None, "example.fr", None]
    assert column("is_disposable_email") == [True, False, False, False]
    assert column("email_status") == ["valid", "invalid", "valid", "missing"]
    assert column("phone") == ["+49301234567", "+14155550132", None, "+49301234567"]
    # Record c writes a national number and names no real country: not judged, digits kept.
    assert column("phone_status") == ["valid", "valid", "unverifiable", "valid"]
    assert column("phone_key") == ["+49301234567", "+14155550132", "0301234567", "+49301234567"]
    assert column("street_address") == ["Hauptstraße 1", None, "1 Rue de Rivoli", None]
    assert column("street_address_status") == ["valid", "missing", "valid", "missing"]
    assert column("city") == ["Frankfurt am Main", "New York", "Paris", "東京"]
    assert column("city_status") == ["valid"] * 4
    assert column("postal_code") == ["60311", "NY 10001", "SW1A 1AA", "〒100-0001"]
    assert column("postal_code_status") == ["valid"] * 4
    assert column("country") == ["DE", "US", None, None]
    assert column("country_status") == ["valid", "valid", "invalid", "missing"]
    assert column("birth_date") == [pd.Timestamp("1980-02-01"), None, None, None]
    assert column("birth_date_status") == ["valid", "invalid", "invalid", "missing"]


def test_layout_and_dtypes(messy):
    assert list(messy.index) == [10, 20, 30, 40]
    assert list(messy["record_id"]) == ["a", "b", "c", "d"]
    assert list(messy.columns[-len(PERSON_OUTPUT_COLUMNS) :]) == list(PERSON_OUTPUT_COLUMNS)
    assert messy["birth_date"].dtype == np.dtype("datetime64[s]")
    assert messy["is_disposable_email"].dtype == np.dtype(bool)
    for name in PERSON_OUTPUT_COLUMNS:
        if name not in ("birth_date", "is_disposable_email"):
            assert pd.api.types.is_string_dtype(messy[name]), name
    # Missing text is a real NA, never the string 'nan' or 'None'.
    assert not messy.isin(["nan", "None", "NaT"]).any().any()


def test_raw_columns_pass_through_unchanged(lookups):
    raw = _people([{"first_name_raw": " JOHN ", "extra": 1.5}])
    before = raw.copy()
    result = standardize_people(raw, lookups, AS_OF)
    pd.testing.assert_frame_equal(raw, before)
    assert result.loc[0, "first_name_raw"] == " JOHN "
    assert result.loc[0, "extra"] == 1.5


def test_existing_output_columns_are_replaced(lookups):
    raw = _people([{"first_name_raw": "anna", "first_name": "stale"}])
    result = standardize_people(raw, lookups, AS_OF)
    assert list(result.columns).count("first_name") == 1
    assert result.loc[0, "first_name"] == "Anna"


def test_missing_input_columns_are_reported(lookups):
    with pytest.raises(ValueError, match="email_raw"):
        standardize_people(pd.DataFrame({"first_name_raw": ["x"]}), lookups, AS_OF)


def test_the_same_number_is_read_per_country(lookups):
    raw = _people(
        [
            {"phone_raw": "030 1234567", "country_raw": "DE"},
            {"phone_raw": "030 1234567", "country_raw": "AT"},
            {"phone_raw": "030 1234567", "country_raw": "US"},
            {"phone_raw": "030 1234567", "country_raw": "Germany"},
        ]
    )
    result = standardize_people(raw, lookups, AS_OF)
    assert result["phone"].tolist()[0] == "+49301234567"
    assert result["phone"].tolist()[3] == "+49301234567"
    assert result["phone_status"].tolist()[2] == "invalid"


def test_all_missing_columns_still_read_as_text_in_duckdb(lookups):
    result = standardize_people(_people([{"first_name_raw": None}] * 3), lookups, AS_OF)
    connection = duckdb.connect()
    connection.register("people", result)
    types = {row[0]: row[1] for row in connection.sql("describe people").fetchall()}
    assert types["email"] == "VARCHAR"
    assert types["phone_status"] == "VARCHAR"
    assert types["birth_date"].startswith("TIMESTAMP")
    assert types["is_disposable_email"] == "BOOLEAN"
    counts = connection.sql("select count(email), count(*) from people").fetchall()[0]
    assert counts == (0, 3)


def test_string_dtype_input_with_missing_values(lookups):
    raw = _people([{"first_name_raw": "anna"}, {"first_name_raw": None}]).astype("str")
    result = standardize_people(raw, lookups, AS_OF)
    assert result["first_name"].iloc[0] == "Anna"
    assert result["first_name_status"].tolist() == ["valid", "missing"]


def test_lookups_from_frames_skips_nulls_from_a_database():
    lookups = Lookups.from_frames(
        placeholders=pd.DataFrame(
            {"value": ["N/A", None, "Nil"], "field_type": ["any", "any", "email"]}
        ),
        country_aliases=pd.DataFrame({"alias": ["Deutschland", None], "country_code": ["de", "X"]}),
        nicknames=pd.DataFrame({"nickname": ["Bob"], "canonical_name": ["Robert"]}),
        disposable_domains=pd.DataFrame({"domain": ["Mailinator.com"]}),
    )
    assert lookups.placeholders("name") == frozenset({"n/a"})
    assert lookups.placeholders("email") == frozenset({"n/a", "nil"})
    assert dict(lookups.country_aliases) == {"deutschland": "DE"}
    assert dict(lookups.nicknames) == {"bob": "robert"}
    assert lookups.disposable_domains == frozenset({"mailinator.com"})


_RAW_VALUE = st.one_of(
    st.none(),
    st.sampled_from(["", "N/A", "DE", "Deutschland", "030 1234567", "a@b.de", "1980-01-01"]),
    st.text(max_size=12),
)


@given(st.lists(st.fixed_dictionaries({c: _RAW_VALUE for c in PERSON_INPUT_COLUMNS}), max_size=8))
def test_row_count_and_order_are_preserved(lookups, rows):
    raw = _people(rows) if rows else pd.DataFrame(columns=list(PERSON_INPUT_COLUMNS))
    raw["row"] = range(len(raw))
    result = standardize_people(raw, lookups, AS_OF)
    assert result["row"].tolist() == list(range(len(raw)))
    assert list(result.index) == list(raw.index)
    for name in PERSON_OUTPUT_COLUMNS:
        if name.endswith("_status"):
            allowed = {"valid", "missing", "invalid"} | (
                {"unverifiable"} if "phone" in name else set()
            )
            assert set(result[name]) <= allowed, name
            value = result[name.removesuffix("_status")]
            assert (value.notna() == (result[name] == "valid")).all(), name
    # The matching key: the number when valid, its digits when unverifiable, else nothing.
    keyed = result["phone_status"].isin(["valid", "unverifiable"])
    assert (result["phone_key"].notna() == keyed).all()


def test_timestamp_column(lookups):
    raw = pd.Series(
        ["2024-05-01 10:00:00", "2024-06-02T23:00:00", "2024-06-03", "garbage", None, "NULL"],
        index=list("abcdef"),
        name="updated_at_raw",
    )
    parsed, status = standardize_timestamp_column(raw, lookups, AS_OF)
    assert list(parsed.index) == list("abcdef")
    assert parsed.dtype == np.dtype("datetime64[us]")
    assert parsed.tolist()[:2] == [
        pd.Timestamp("2024-05-01 10:00"),
        pd.Timestamp("2024-06-02 23:00"),
    ]
    assert parsed.iloc[2:].isna().all()
    assert status.tolist() == ["valid", "valid", "invalid", "invalid", "missing", "missing"]


def test_date_column(lookups):
    raw = pd.Series(["31.12.2023", "2023/02/29", "2024-06-02", "2024-06-05", "-"])
    parsed, status = standardize_date_column(raw, lookups, AS_OF)
    assert parsed.dtype == np.dtype("datetime64[s]")
    assert parsed.iloc[0] == pd.Timestamp("2023-12-31")
    assert parsed.iloc[2] == pd.Timestamp("2024-06-02")
    assert status.tolist() == ["valid", "invalid", "valid", "invalid", "missing"]


def test_birth_date_limits_reach_standardize_people(lookups):
    raw = _people([{"birth_date_raw": "1920-01-01"}])
    assert standardize_people(raw, lookups, AS_OF)["birth_date_status"].tolist() == ["valid"]
    strict = standardize_people(raw, lookups, AS_OF, max_age_years=100)
    assert strict["birth_date_status"].tolist() == ["invalid"]
    assert strict["birth_date"].isna().all()


def test_real_names_na_nil_null_stay_names_and_na_is_namibia(lookups):
    raw = _people(
        [
            {"first_name_raw": "Nil", "last_name_raw": "NA", "country_raw": "NA"},
            {"first_name_raw": "Anna", "last_name_raw": "Null", "email_raw": "NULL"},
            {"first_name_raw": "n/a", "last_name_raw": "unknown", "phone_raw": "nil"},
        ]
    )
    result = standardize_people(raw, lookups, AS_OF)
    assert result["first_name"].tolist()[:2] == ["Nil", "Anna"]
    assert result["last_name"].tolist()[:2] == ["Na", "Null"]
    assert result["first_name_status"].tolist() == ["valid", "valid", "missing"]
    assert result["last_name_status"].tolist() == ["valid", "valid", "missing"]
    assert result["country"].iloc[0] == "NA"
    assert result["email_status"].iloc[1] == "missing"
    assert result["phone_status"].iloc[2] == "missing"


def test_national_phones_without_a_country_are_unverifiable_not_invalid(lookups):
    raw = _people(
        [
            {"phone_raw": "030 1234567", "country_raw": ""},
            {"phone_raw": "030 1234567", "country_raw": "Narnia"},
            {"phone_raw": "030 1234567", "country_raw": "DE"},
            {"phone_raw": "+49 30 1234567", "country_raw": ""},
            {"phone_raw": "0049 30 1234567", "country_raw": None},
            {"phone_raw": "12", "country_raw": ""},  # no number anywhere
            {"phone_raw": "call me", "country_raw": ""},
            {"phone_raw": "030 12", "country_raw": "DE"},  # national, known country: judged
            {"phone_raw": "030 1234567", "country_raw": "NA"},  # Namibia: judged there
        ]
    )
    result = standardize_people(raw, lookups, AS_OF)
    assert result["phone_status"].tolist() == [
        "unverifiable",
        "unverifiable",
        "valid",
        "valid",
        "valid",
        "invalid",
        "invalid",
        "invalid",
        "invalid",
    ]
    keys = [None if pd.isna(key) else key for key in result["phone_key"]]
    assert keys[:5] == ["0301234567", "0301234567", "+49301234567", "+49301234567", "+49301234567"]
    assert keys[5:] == [None] * 4
    assert result["phone"].isna().tolist()[:2] == [True, True]


def test_a_date_order_per_row_reads_one_text_as_two_dates(lookups):
    raw = pd.Series(["3/4/2023", "3/4/2023", "3/4/2023", None, "2023-03-04"], index=[5, 6, 7, 8, 9])
    orders = pd.Series(
        ["month_first", "day_first", None, "month_first", "day_first"], index=raw.index
    )
    parsed, status = standardize_date_column(raw, lookups, AS_OF, date_order=orders)
    assert parsed.index.tolist() == raw.index.tolist()
    assert parsed.tolist()[:3] == [pd.Timestamp("2023-03-04"), pd.Timestamp("2023-04-03"), pd.NaT]
    assert status.tolist() == ["valid", "valid", "invalid", "missing", "valid"]
    stamped, _ = standardize_timestamp_column(
        pd.Series(["12/6/2023 3:45 PM"] * 2), lookups, AS_OF, date_order="day_first"
    )
    assert stamped.tolist() == [pd.Timestamp("2023-06-12 15:45")] * 2


def test_birth_dates_read_in_each_rows_date_order(lookups):
    raw = _people([{"birth_date_raw": "6/22/1961"}, {"birth_date_raw": "6/22/1961"}])
    read = standardize_people(raw, lookups, AS_OF, date_order=pd.Series(["month_first", None]))
    assert read["birth_date_status"].tolist() == ["valid", "invalid"]
    assert read["birth_date"].iloc[0] == pd.Timestamp("1961-06-22")
    assert standardize_people(raw, lookups, AS_OF)["birth_date_status"].tolist() == ["invalid"] * 2
