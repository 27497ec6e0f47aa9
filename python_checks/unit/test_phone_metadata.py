"""The committed phone seeds are what the pinned phonenumbers generates, and hold what SQL needs."""

from __future__ import annotations

import csv
import io

import phonenumbers
import pytest

from crm_quality.standardize import phone_metadata


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    return phone_metadata.seed_texts()


@pytest.mark.parametrize(
    "name",
    [
        phone_metadata.REGIONS_SEED,
        phone_metadata.NUMBER_TYPES_SEED,
        phone_metadata.CHARACTER_FOLDS_SEED,
    ],
)
def test_committed_seed_equals_a_fresh_generation(seed_dir, fresh, name):
    committed = (seed_dir / name).read_text(encoding="utf-8")
    assert committed == fresh[name], (
        f"seeds/{name} is not what phonenumbers {phonenumbers.__version__} generates: "
        "run `make phone-metadata` and commit the seeds"
    )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_regions_cover_every_calling_code_with_its_main_region_first(fresh):
    regions = _rows(fresh[phone_metadata.REGIONS_SEED])
    main = {
        row["calling_code"]: row["region"] for row in regions if row["is_main_region"] == "true"
    }
    assert main == {
        str(code): phonenumbers.region_code_for_country_code(code)
        for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    }
    nanp = [row for row in regions if row["calling_code"] == "1"]
    assert nanp[0]["region"] == "US" and len(nanp) > 20
    # Regions sharing a code after the main one are told apart by leading digits or validity.
    assert next(row for row in nanp if row["region"] == "AG")["leading_digits"] == "268"
    de = next(row for row in regions if row["region"] == "DE")
    assert (de["calling_code"], de["national_prefix_for_parsing"], de["international_prefix"]) == (
        "49",
        "0",
        "00",
    )
    assert {row["region"] for row in regions if row["calling_code"] == "800"} == {"001"}


def test_number_types_hold_the_patterns_is_valid_number_uses(fresh):
    types = _rows(fresh[phone_metadata.NUMBER_TYPES_SEED])
    de = {row["number_type"]: row for row in types if row["region"] == "DE"}
    assert {"fixed_line", "mobile", "toll_free", "premium_rate", "voicemail"} <= set(de)
    assert "voip" not in de  # a type the region lacks has no row (it never makes a number valid)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("DE")
    assert de["mobile"]["national_number_pattern"] == metadata.mobile.national_number_pattern
    assert de["mobile"]["possible_lengths"] == "10 11"


def test_character_folds_fold_digits_of_other_scripts_and_wide_forms(fresh):
    folds = {
        chr(int(row["code_point"])): (
            chr(int(row["folded_code_point"])) if row["folded_code_point"] else ""
        )
        for row in _rows(fresh[phone_metadata.CHARACTER_FOLDS_SEED])
    }
    assert folds["０"] == "0" and folds["٣"] == "3" and folds["＋"] == "+"
    assert folds["\u00a0"] == " " and folds["\u200b"] == ""
    assert folds["–"] == "[" and folds["·"] == "!"  # phone punctuation vs. other non-word marks
    assert "é" not in folds  # letters stay


@pytest.mark.parametrize("pattern", [r"(?=1)\d+", r"\d+(?!0)", r"\b12", r"(\d)\1", r"\p{Nd}"])
def test_patterns_the_engines_may_read_differently_are_refused(pattern):
    with pytest.raises(ValueError):
        phone_metadata.check_patterns(pattern)


def test_the_module_writes_the_seeds(tmp_path, fresh, monkeypatch):
    monkeypatch.setattr(phone_metadata, "seed_texts", lambda: fresh)
    phone_metadata.main(["--out", str(tmp_path)])
    assert {path.name for path in tmp_path.iterdir()} == set(fresh)
    assert (tmp_path / phone_metadata.REGIONS_SEED).read_text(encoding="utf-8") == fresh[
        phone_metadata.REGIONS_SEED
    ]
