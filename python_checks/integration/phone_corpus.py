"""A seeded corpus of written phone numbers from every region, and the Python reference answer.

For each region: the example number of every type, written nationally and internationally,
with punctuation, national and international prefixes, extensions and vanity letters, then with
one digit changed, dropped or added, plus junk. Regions are sometimes missing, foreign or not
ISO codes, so the 'unverifiable' and cross-region paths are exercised too.
"""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from crm_quality.standardize.phone import e164_from_text, national_digits, normalize_region
from crm_quality.standardize.text import clean_text, default_placeholders

NUMBER_TYPES = (
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
)
_EXTENSIONS = (
    " ext. 12",
    " x123",
    " #45",
    ",,789",
    ";ext=55",
    " Durchwahl 12",
    " poste 3",
    " doб 7",
    " extensión 9",
    " int. 4",
    "-12#",
    " anexo 88",
    "/x2303",
    " EXT:1234",
)
_PUNCTUATION = ("-", ".", " ", "/", "(", ")", "–", "‐", "·", "  ", "\u00a0", "\u3000")
_JUNK = (
    "",
    "-",
    "N/A",
    "null",
    "NA",
    "0",
    "x",
    "tbd",
    "???",
    "Tel.",
    "+",
    "++49",
    "00",
    "+0",
    "abc",
    "call me",
    "1-800-FLOWERS",
    "+1 800 FLOWERS",
    "tel:+49-30-1234567",
    "+49 (0) 30 1234567",
    "(0049) 30 1234567",
    "0049 030 1234567",
    "+44 (0)20 7946 0958",
    "０３０ １２３４５６７",
    "＋４９ ３０ １２３４５６７",
    "٠٣٠١٢٣٤٥٦٧",
    "+49 30 1234567\u200b",
    "+1 (415) 555-0132 x302/x2303",
    "1234",
    "12345",
    "+999 123456",
    "+800 1234 5678",
    "+882 13 1234 5678",
    "+7 701 123 4567",
    "+7 912 345 67 89",
    "+44 1624 456789",
    "+1 268 464 1234",
    "011 49 30 1234567",
    "8 10 49 30 1234567",
    "+33 (0)1 23 45 67 89",
)


def _mutations(rng: random.Random, digits: str) -> list[str]:
    position = rng.randrange(len(digits))
    changed = (
        digits[:position]
        + str((int(digits[position]) + rng.randint(1, 9)) % 10)
        + digits[position + 1 :]
    )
    dropped = digits[:position] + digits[position + 1 :]
    added = digits[:position] + str(rng.randint(0, 9)) + digits[position:]
    return [changed, dropped, added]


def _punctuate(rng: random.Random, text: str) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if ch.isdigit() and rng.random() < 0.15:
            out.append(rng.choice(_PUNCTUATION))
    return "".join(out)


def _written(rng: random.Random, number: phonenumbers.PhoneNumber) -> list[str]:
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    nsn = phonenumbers.national_significant_number(number)
    code = str(number.country_code)
    forms = [
        national,
        international,
        e164,
        nsn,
        "00" + e164[1:],
        code + nsn,
        _punctuate(rng, national),
        _punctuate(rng, international),
        international + rng.choice(_EXTENSIONS),
        national + rng.choice(_EXTENSIONS),
        "+" + code + " (0) " + nsn,
        "Tel: " + international,
        international.replace("+", "+ "),
    ]
    for base in (nsn, code + nsn):
        forms.extend(_mutations(rng, base))
        forms.extend("+" + mutated for mutated in _mutations(rng, code + nsn))
    return forms


def _examples() -> list[tuple[str, phonenumbers.PhoneNumber]]:
    """libphonenumber's example number of every type of every region ('001': non-geographic)."""
    examples: list[tuple[str, phonenumbers.PhoneNumber]] = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for number_type in NUMBER_TYPES:
            number = phonenumbers.example_number_for_type(region, number_type)
            if number is not None:
                examples.append((region, number))
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            examples.append(("001", number))
    return examples


def _given_region(rng: random.Random, region: str, regions: list[str]) -> str | None:
    """Mostly the number's own region; sometimes none, another, or one that is no ISO code."""
    roll = rng.random()
    if roll < 0.70:
        return region if region != "001" else rng.choice(regions)
    if roll < 0.80:
        return None
    if roll < 0.93:
        return rng.choice(regions)
    return rng.choice(("de", " GB ", "XX", "AQ", "", "USA", "1"))


def every_region_corpus(
    seed: int, forms_per_example: int = 3
) -> list[tuple[str | None, str | None]]:
    """Every example number (each region's every type) written nationally for its own region,
    internationally without one, and in `forms_per_example` random forms of _written; plus
    every junk value. Small (~5,600 distinct pairs) but no region's metadata goes untested."""
    rng = random.Random(seed)
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    pairs: list[tuple[str | None, str | None]] = []
    for region, number in _examples():
        forms = _written(rng, number)
        national_region = region if region != "001" else None
        pairs.append((forms[0], national_region))
        pairs.append((forms[1], None))
        pairs.extend(
            (text, _given_region(rng, region, regions))
            for text in rng.sample(forms[2:], forms_per_example)
        )
    pairs.extend((junk, region) for junk in _JUNK for region in (None, "DE"))
    pairs.append((None, None))
    return pairs


def corpus(size: int, seed: int) -> list[tuple[str | None, str | None]]:
    """About `size` (phone, region) pairs, the same for the same seed."""
    rng = random.Random(seed)
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    examples = _examples()
    pairs: list[tuple[str | None, str | None]] = []
    while len(pairs) < size:
        region, number = rng.choice(examples)
        for text in _written(rng, number):
            pairs.append((text, _given_region(rng, region, regions)))
        if rng.random() < 0.3:
            pairs.append((rng.choice(_JUNK), rng.choice([None, *regions[:40]])))
        if rng.random() < 0.05:
            pairs.append((None, rng.choice([None, "DE"])))
    return pairs[:size]


def reference(phone: str | None, region: str | None) -> tuple[str | None, str | None, str]:
    """(phone, phone_key, phone_status) as crm_quality.standardize.frame._phone_columns gives."""
    text = clean_text(phone, default_placeholders("phone"))
    if text is None:
        return None, None, "missing"
    parsing_region = normalize_region(region)
    if parsing_region is None:
        digits = national_digits(text)
        if digits is not None:
            return None, digits, "unverifiable"
    number, valid = e164_from_text(text, parsing_region)
    return (number, number, "valid") if valid else (None, None, "invalid")
