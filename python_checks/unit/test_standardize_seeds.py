"""The reference seeds agree with the code that reads them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crm_quality.standardize import DEFAULT_PLACEHOLDERS, Lookups, name_key, normalize_key
from crm_quality.standardize.text import (
    DEFAULT_PLACEHOLDERS_BY_FIELD_TYPE,
    PLACEHOLDER_FIELD_TYPES,
)


def _rows(seed_dir: Path, name: str) -> list[dict[str, str]]:
    with (seed_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def countries(seed_dir):
    return _rows(seed_dir, "countries.csv")


@pytest.fixture(scope="module")
def aliases(seed_dir):
    return _rows(seed_dir, "country_aliases.csv")


def test_countries_cover_iso_3166(countries):
    assert len(countries) == 249
    codes = [row["country_code"] for row in countries]
    assert len(set(codes)) == 249
    assert len({row["country_code_alpha3"] for row in countries}) == 249
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in codes)
    assert all(row["calling_code"].isdigit() for row in countries)
    by_code = {row["country_code"]: row for row in countries}
    assert by_code["NA"]["country_name"] == "Namibia"
    assert by_code["DE"] == {
        "country_code": "DE",
        "country_code_alpha3": "DEU",
        "country_name": "Germany",
        "calling_code": "49",
    }
    assert by_code["US"]["calling_code"] == by_code["CA"]["calling_code"] == "1"


def test_aliases_are_stored_normalized_unique_and_known(aliases, countries):
    codes = {row["country_code"] for row in countries}
    seen: set[str] = set()
    for row in aliases:
        assert normalize_key(row["alias"]) == row["alias"], row
        assert row["country_code"] in codes, row
        assert row["alias"] not in seen, row
        seen.add(row["alias"])


# Names two countries share: no alias, so they stay unresolved rather than guessed.
SHARED_COUNTRY_NAMES = {"congo", "kongo", "конго", "saint martin", "san martin", "guiana"}


def test_every_country_has_its_codes_and_english_name(aliases, countries):
    lookup = {row["alias"]: row["country_code"] for row in aliases}
    for row in countries:
        code = row["country_code"]
        assert lookup[normalize_key(code)] == code
        assert lookup[normalize_key(row["country_code_alpha3"])] == code
        name = normalize_key(row["country_name"])
        assert lookup.get(name, code) == code and (name in lookup or name in SHARED_COUNTRY_NAMES)


def test_names_two_countries_share_are_no_alias(aliases):
    assert SHARED_COUNTRY_NAMES.isdisjoint(row["alias"] for row in aliases)


REQUIRED_ALIASES = {
    "usa": "US",
    "us": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "deutschland": "DE",
    "allemagne": "DE",
    "alemania": "DE",
    "germania": "DE",
    "brd": "DE",
    "中国": "CN",
    "中华人民共和国": "CN",
    "日本": "JP",
    "日本国": "JP",
    "espana": "ES",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "osterreich": "AT",
    "россия": "RU",
    "한국": "KR",
    "台灣": "TW",
    "香港": "HK",
    "भारत": "IN",
    "brasil": "BR",
    "mexico": "MX",
    "kanada": "CA",
    "australien": "AU",
    "polska": "PL",
    "sverige": "SE",
    "danmark": "DK",
    "norge": "NO",
    "suomi": "FI",
    "portugal": "PT",
    "eire": "IE",
    "nederland": "NL",
    "belgique": "BE",
    "italia": "IT",
}


def test_native_and_common_names_are_present(aliases):
    lookup = {row["alias"]: row["country_code"] for row in aliases}
    missing = {alias: code for alias, code in REQUIRED_ALIASES.items() if lookup.get(alias) != code}
    assert missing == {}


def test_placeholder_seed_matches_the_code_default(seed_dir):
    rows = [(row["value"], row["field_type"]) for row in _rows(seed_dir, "placeholder_values.csv")]
    assert len(rows) == len(set(rows))
    assert all(value == value.strip().casefold() and value for value, _ in rows)
    assert frozenset(value for value, kind in rows if kind == "any") == DEFAULT_PLACEHOLDERS
    lookups = Lookups.from_seed_dir(seed_dir)
    for kind in PLACEHOLDER_FIELD_TYPES:
        assert lookups.placeholders(kind) == DEFAULT_PLACEHOLDERS_BY_FIELD_TYPE[kind], kind


def test_real_names_and_namibia_are_not_placeholders_of_their_field(seed_dir):
    lookups = Lookups.from_seed_dir(seed_dir)
    for token in ("na", "nil", "null"):
        assert token not in lookups.placeholders("name")
        assert token in lookups.placeholders("email") and token in lookups.placeholders("phone")
    assert "na" not in lookups.placeholders("country")
    assert "nil" in lookups.placeholders("country") and "null" in lookups.placeholders("country")
    assert "n/a" in lookups.placeholders("name") and "unknown" in lookups.placeholders("name")


def test_nicknames_are_name_keys_and_one_step(seed_dir):
    rows = _rows(seed_dir, "nicknames.csv")
    assert len(rows) >= 300
    nicknames = [row["nickname"] for row in rows]
    assert len(nicknames) == len(set(nicknames))
    for row in rows:
        assert name_key(row["nickname"]) == row["nickname"], row
        assert name_key(row["canonical_name"]) == row["canonical_name"], row
        assert row["nickname"] != row["canonical_name"], row
    # No canonical name is itself a nickname, so a single lookup reaches the formal name.
    assert {row["canonical_name"] for row in rows}.isdisjoint(nicknames)
    pairs = {row["nickname"]: row["canonical_name"] for row in rows}
    assert pairs["bob"] == "robert"
    assert pairs["bill"] == "william"
    assert pairs["kate"] == "katherine"
    assert pairs["hans"] == "johann"
    assert pairs["sepp"] == "josef"


def test_disposable_domains_are_lower_case_domains(seed_dir):
    domains = [row["domain"] for row in _rows(seed_dir, "disposable_email_domains.csv")]
    assert len(domains) == len(set(domains)) >= 30
    assert all(domain == domain.lower().strip() and "." in domain for domain in domains)
    assert "mailinator.com" in domains


def test_lookups_load_from_the_seed_folder(seed_dir, monkeypatch):
    monkeypatch.chdir(seed_dir.parent)
    lookups = Lookups.from_seed_dir("seeds")
    assert lookups.country_aliases["deutschland"] == "DE"
    assert lookups.country_aliases["na"] == "NA"  # Namibia survives CSV reading
    assert "none" in lookups.placeholders("name") and "null" in lookups.placeholders("email")
    assert lookups.nicknames["bob"] == "robert"
    assert "mailinator.com" in lookups.disposable_domains


def test_header_only_seeds_give_empty_lookups(tmp_path):
    for name, header in [
        ("placeholder_values.csv", "value,field_type"),
        ("country_aliases.csv", "alias,country_code"),
        ("nicknames.csv", "nickname,canonical_name"),
        ("disposable_email_domains.csv", "domain"),
    ]:
        (tmp_path / name).write_text(header + "\n", encoding="utf-8")
    lookups = Lookups.from_seed_dir(tmp_path)
    assert all(lookups.placeholders(kind) == frozenset() for kind in PLACEHOLDER_FIELD_TYPES)
    assert dict(lookups.country_aliases) == {} and dict(lookups.nicknames) == {}
