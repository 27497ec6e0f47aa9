"""Phone numbers in every export format to E.164, using the record's country as region."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.standardize import phone as phone_module
from crm_quality.standardize import standardize_phone
from crm_quality.standardize.phone import national_digits

BERLIN = "+49301234567"
SAN_FRANCISCO = "+14155550132"


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("+49 30 1234567", None, BERLIN),
        ("+49 30 1234567", "US", BERLIN),  # international format ignores the region
        ("+49 (0)30 1234567", None, BERLIN),
        ("0049-30-1234567", None, BERLIN),
        ("0049 30 1234567", "DE", BERLIN),
        ("(0049) 30 1234567", None, BERLIN),
        ("030 1234567", "DE", BERLIN),
        ("030/1234567", "de", BERLIN),
        ("49 30 1234567", "DE", BERLIN),  # country code without '+'
        ("(415) 555-0132", "US", SAN_FRANCISCO),
        ("415.555.0132", "US", SAN_FRANCISCO),
        ("+1 415 555 0132", None, SAN_FRANCISCO),
        ("011 49 30 1234567", "US", BERLIN),  # US international prefix
        ("+1 (415) 555-0132 ext. 12", None, SAN_FRANCISCO),
        ("(415) 555-0132 x12", "US", SAN_FRANCISCO),
        ("030 1234567 Durchwahl 12", "DE", BERLIN),
        ("Tel: +49 30 1234567", None, BERLIN),
        ("1-800-FLOWERS", "US", "+18003569377"),
        ("＋４９ ３０ １２３４５６７", None, BERLIN),  # full-width digits
        ("+44 20 7946 0018", None, "+442079460018"),
        ("020 7946 0018", "GB", "+442079460018"),
        ("+33 1 42 68 53 00", None, "+33142685300"),
        ("01 42 68 53 00", "FR", "+33142685300"),
        ("+81 3-1234-5678", None, "+81312345678"),
        ("03-1234-5678", "JP", "+81312345678"),
        ("+86 10 1234 5678", None, "+861012345678"),
        ("0151 23456789", "DE", "+4915123456789"),  # mobile
    ],
)
def test_valid_numbers_become_e164(raw, country, expected):
    assert standardize_phone(raw, country) == (expected, True)


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("030 1234567", None),  # national format without a country
        ("030 1234567", "US"),  # wrong country for the national format
        ("(415) 555-0132", None),
        ("123", "DE"),
        ("+49 30", None),
        ("0000000000", "DE"),
        ("+1 415 555 01321234", None),  # too long
        ("call me", "DE"),
        ("N/A", "DE"),
        ("", "DE"),
        (None, "DE"),
        ("030 1234567", "Germany"),  # region must be an alpha-2 code
    ],
)
def test_unusable_numbers_are_invalid(raw, country):
    assert standardize_phone(raw, country) == (None, False)


def test_parsing_is_cached():
    phone_module._cached_e164.cache_clear()
    standardize_phone("030 1234567", "DE")
    standardize_phone(" 030 1234567 ", "de")
    info = phone_module._cached_e164.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_batch_matches_single_numbers_and_keeps_order():
    pairs = [("030 1234567", "DE"), ("junk", None), ("(415) 555-0132", "US")]
    assert phone_module.e164_batch(pairs) == [(BERLIN, True), (None, False), (SAN_FRANCISCO, True)]


def test_large_batches_split_across_processes_keep_order(monkeypatch):
    monkeypatch.setattr(phone_module, "PARALLEL_MIN_PAIRS", 2)
    pairs = [(f"030 12345{index:02d}", "DE") for index in range(40)] + [("junk", None)]
    expected = [phone_module.e164_from_text(text, region) for text, region in pairs]
    assert phone_module.e164_batch(pairs) == expected
    assert expected[0] == ("+49301234500", True) and expected[-1] == (None, False)


def test_helper_process_gives_the_same_answers():
    pairs = [("030 1234567", "DE"), ("junk", None), ("+81 3-1234-5678", None)]
    helper = phone_module._HelperProcess(pairs)
    assert helper.results() == [phone_module.e164_from_text(text, region) for text, region in pairs]


_REGIONS = sorted(
    region
    for region in phonenumbers.SUPPORTED_REGIONS
    if phonenumbers.example_number(region) is not None
)


@given(st.sampled_from(_REGIONS))
def test_every_written_form_of_a_number_gives_one_e164(region):
    number = phonenumbers.example_number(region)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert standardize_phone(e164, None) == (e164, True)
    assert standardize_phone(international, None) == (e164, True)
    assert standardize_phone("00" + e164[1:], None) == (e164, True)
    assert standardize_phone(national, region) == (e164, True)


@given(st.sampled_from(_REGIONS), st.text(alphabet="0123456789 -()/", max_size=16))
def test_e164_output_reparses_to_itself(region, raw):
    e164, valid = standardize_phone(raw, region)
    if valid:
        assert e164 is not None and e164.startswith("+")
        assert standardize_phone(e164, None) == (e164, True)
        assert standardize_phone(e164, region) == (e164, True)
    else:
        assert e164 is None


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("030 1234567", "0301234567"),
        ("(415) 555-0132", "4155550132"),
        ("030/123.45-67", "0301234567"),
        ("030 1234567 ext. 12", "0301234567"),
        ("+49 30 1234567", None),  # international: readable without a country
        ("0049 30 1234567", None),
        ("1234", None),  # too short to be a number anywhere
        ("1234567890123456", None),  # longer than E.164 allows
        ("call me", None),
        ("1-800-FLOWERS", None),
    ],
)
def test_national_digits(raw, digits):
    assert national_digits(raw) == digits


@given(st.sampled_from(["DE", "US", "FR", "JP", "KR", "BR", "GB"]))
def test_a_valid_number_written_nationally_keeps_its_digits(region):
    number = phonenumbers.example_number(region)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = national_digits(national)
    assert digits is not None and digits.endswith(str(number.national_number))
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    assert national_digits(international) is None
