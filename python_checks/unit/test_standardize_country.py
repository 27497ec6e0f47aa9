"""Country spellings from CRM exports resolve to ISO alpha-2 through the alias seed."""

from __future__ import annotations

import pytest

from crm_quality.standardize import load_country_aliases, resolve_country


@pytest.fixture(scope="module")
def aliases(seed_dir):
    return load_country_aliases(seed_dir / "country_aliases.csv")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("Deutschland", "DE"),
        ("DEUTSCHLAND ", "DE"),
        ("Allemagne", "DE"),
        ("Alemania", "DE"),
        ("Germania", "DE"),
        ("BRD", "DE"),
        ("ＤＥ", "DE"),
        ("USA", "US"),
        ("US", "US"),
        ("U.S.", "US"),
        ("U S", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("united  states", "US"),
        ("America", "US"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("中国", "CN"),
        ("中华人民共和国", "CN"),
        ("People's Republic of China", "CN"),
        ("日本", "JP"),
        ("日本国", "JP"),
        ("España", "ES"),
        ("Espana", "ES"),
        ("Schweiz", "CH"),
        ("Suisse", "CH"),
        ("Svizzera", "CH"),
        ("Österreich", "AT"),
        ("Россия", "RU"),
        ("한국", "KR"),
        ("대한민국", "KR"),
        ("South Korea", "KR"),
        ("台灣", "TW"),
        ("香港", "HK"),
        ("भारत", "IN"),
        ("Brasil", "BR"),
        ("México", "MX"),
        ("Kanada", "CA"),
        ("Australien", "AU"),
        ("Polska", "PL"),
        ("Sverige", "SE"),
        ("Danmark", "DK"),
        ("Norge", "NO"),
        ("Suomi", "FI"),
        ("Portugal", "PT"),
        ("Éire", "IE"),
        ("Nederland", "NL"),
        ("The Netherlands", "NL"),
        ("Holland", "NL"),
        ("België", "BE"),
        ("Italia", "IT"),
        ("Namibia", "NA"),
        ("Côte d'Ivoire", "CI"),
    ],
)
def test_resolves_spellings(aliases, raw, expected):
    assert resolve_country(raw, aliases) == expected


@pytest.mark.parametrize(
    "raw",
    ["Narnia", "Europe", "Berlin", "12"]
    # Names two countries share stay unresolved rather than guessed.
    + ["Virgin Islands", "Congo", "Kongo", "Конго", "Saint Martin", "San Martín", "Guiana"],
)
def test_unknown_spellings_stay_unknown(aliases, raw):
    assert resolve_country(raw, aliases) is None


@pytest.mark.parametrize("raw", [None, "", "  ", "N/A", "NULL", "-", "unknown"])
def test_placeholders_are_not_countries(aliases, raw):
    assert resolve_country(raw, aliases) is None


def test_na_in_a_country_field_is_namibia(aliases):
    assert resolve_country("NA", aliases) == "NA"
    assert resolve_country(" na ", aliases) == "NA"
    assert resolve_country("NA", aliases, placeholders=frozenset({"na"})) is None


@pytest.mark.parametrize("raw", ["Nil", "NULL", "n/a"])
def test_nil_and_null_are_no_countries(aliases, raw):
    assert resolve_country(raw, aliases) is None


def test_load_country_aliases_normalizes_hand_edits(tmp_path):
    seed = tmp_path / "country_aliases.csv"
    seed.write_text("alias,country_code\n  Deutschland ,de\nNA,NA\n", encoding="utf-8")
    assert load_country_aliases(seed) == {"deutschland": "DE", "na": "NA"}
