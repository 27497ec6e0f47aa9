"""Valid, unique phone numbers per country and their everyday spellings.

Numbers are drawn from number plans (a prefix such as a mobile range or a city's area code
plus random digits). Which lengths a prefix allows is probed once with phonenumbers'
`is_valid_number`; each drawn number is then checked against the same metadata with
precompiled patterns, because the library call costs ~10 µs and the demo draws millions.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat

from crm_quality.demo.pools import CITIES, COUNTRIES

# Mobile ranges per country; NANP numbers are not split by type, so US mobiles use area codes.
MOBILE_PREFIXES: dict[str, tuple[str, ...]] = {
    "DE": ("151", "152", "157", "159", "160", "162", "170", "171", "172", "175", "176", "177"),
    "US": ("212", "213", "312", "415", "617", "646", "702", "818", "917", "929"),
    "GB": ("74", "75", "77", "78", "79"),
    "FR": ("6", "7"),
    "CN": ("130", "131", "135", "136", "138", "139", "150", "158", "186", "188", "189"),
    "JP": ("70", "80", "90"),
    "ES": ("6", "71", "72"),
    "IT": ("320", "328", "333", "338", "340", "347", "349", "366", "380", "393"),
    "NL": ("6",),
    "CH": ("76", "77", "78", "79"),
    "AT": ("650", "660", "664", "676", "680", "699"),
    "KR": ("10",),
    # Brazilian mobiles: the area code, then a 9.
    "BR": ("119", "219", "319", "419", "519", "619", "719", "819", "859"),
}

# National-number lengths people in these countries mostly have; other lengths are valid
# but rare (a 7-digit Berlin number, a 13-digit Vienna extension line).
TYPICAL_LENGTHS: dict[str, tuple[int, ...]] = {
    "DE": (10, 11),
    "AT": (10, 11),
    "IT": (10,),
    "KR": (9, 10),
    "BR": (10, 11),
}
# Lengths of single number ranges, where they differ from their country's (a 9-digit Korean
# mobile is still valid but has not been issued since 010 numbers became 010-XXXX-XXXX).
PREFIX_LENGTHS: dict[tuple[str, str], tuple[int, ...]] = {("KR", "10"): (10,)}

PHONE_STYLES: tuple[str, ...] = ("e164", "international", "dashed", "national", "digits")

_PROBE_SEED = "crm-quality/phone-plan-probe"
_PROBE_SAMPLES = 24


@dataclass(frozen=True, slots=True)
class NumberPlan:
    """A national-number prefix and the total lengths that yield valid numbers after it."""

    prefix: str
    lengths: tuple[int, ...]


class _FastValidator:
    """`is_valid_number` for fixed-line and mobile numbers of one region, as precompiled regexes.

    Mirrors phonenumbers' own rule: the national number must match the general description
    and a type description (possible lengths, then the full-match pattern).
    """

    def __init__(self, region: str) -> None:
        metadata = PhoneMetadata.metadata_for_region(region)
        general = metadata.general_desc
        self._general = self._compile(general, general)
        self._types = [
            self._compile(desc, general)
            for desc in (metadata.fixed_line, metadata.mobile)
            if desc is not None and desc.national_number_pattern
        ]

    @staticmethod
    def _compile(desc, general) -> tuple[frozenset[int], re.Pattern[str]]:
        lengths = desc.possible_length or general.possible_length
        return frozenset(lengths), re.compile(desc.national_number_pattern)

    def is_valid(self, national: str) -> bool:
        size = len(national)
        lengths, pattern = self._general
        if size not in lengths or pattern.fullmatch(national) is None:
            return False
        return any(
            size in lengths and pattern.fullmatch(national) is not None
            for lengths, pattern in self._types
        )


def calling_code(region: str) -> str:
    """Country calling code as digits ('DE' → '49')."""
    return str(PhoneMetadata.metadata_for_region(region).country_code)


def library_is_valid(region: str, national: str) -> bool:
    """phonenumbers' own verdict on a national number of `region` (slow; for probes and tests)."""
    number = phonenumbers.parse(f"+{calling_code(region)}{national}")
    return phonenumbers.is_valid_number(number)


def _random_digits(rng: random.Random, count: int) -> str:
    return f"{rng.randrange(10**count):0{count}d}" if count else ""


def _probe_plan(rng: random.Random, region: str, prefix: str) -> NumberPlan | None:
    """Lengths after `prefix` where most random numbers are valid, by phonenumbers itself."""
    possible = (
        PREFIX_LENGTHS.get((region, prefix))
        or TYPICAL_LENGTHS.get(region)
        or PhoneMetadata.metadata_for_region(region).general_desc.possible_length
    )
    lengths = []
    for length in sorted(possible):
        if length < len(prefix) + 4:
            continue
        hits = sum(
            library_is_valid(region, prefix + _random_digits(rng, length - len(prefix)))
            for _ in range(_PROBE_SAMPLES)
        )
        if hits >= _PROBE_SAMPLES // 2:
            lengths.append(length)
    return NumberPlan(prefix, tuple(lengths)) if lengths else None


@dataclass(frozen=True, slots=True)
class _Template:
    """How phonenumbers groups one kind of number: literal text before each run of digits."""

    pieces: tuple[tuple[str, int], ...]
    tail: str

    @classmethod
    def from_formatted(cls, formatted: str, national: str) -> _Template:
        positions = [index for index, ch in enumerate(formatted) if ch.isdigit()]
        positions = positions[len(positions) - len(national) :]
        if "".join(formatted[index] for index in positions) != national:
            return cls((("", len(national)),), "")
        pieces: list[tuple[str, int]] = []
        cursor = 0
        for index in positions:
            if index == cursor and pieces:
                literal, count = pieces[-1]
                pieces[-1] = (literal, count + 1)
            else:
                pieces.append((formatted[cursor:index], 1))
            cursor = index + 1
        return cls(tuple(pieces), formatted[cursor:])

    def apply(self, national: str) -> str:
        parts = []
        start = 0
        for literal, count in self.pieces:
            parts.append(literal)
            parts.append(national[start : start + count])
            start += count
        parts.append(self.tail)
        return "".join(parts)


class PhoneBook:
    """Draws unique valid numbers per country and writes them in the styles people use."""

    def __init__(self) -> None:
        probe = random.Random(_PROBE_SEED)
        self._validators = {region: _FastValidator(region) for region in COUNTRIES}
        self._codes = {region: calling_code(region) for region in COUNTRIES}
        self._mobile: dict[str, tuple[NumberPlan, ...]] = {}
        self._landline: dict[tuple[str, str], NumberPlan] = {}
        for region in COUNTRIES:
            plans = [_probe_plan(probe, region, prefix) for prefix in MOBILE_PREFIXES[region]]
            self._mobile[region] = tuple(plan for plan in plans if plan is not None)
            for city in CITIES[region]:
                plan = _probe_plan(probe, region, city.area_code)
                if plan is not None:
                    self._landline[(region, city.area_code)] = plan
        if not all(self._mobile.values()):
            raise RuntimeError("a country has no usable mobile number plan")
        self._fallback = {
            region: tuple(plan for (code, _), plan in self._landline.items() if code == region)
            for region in COUNTRIES
        }
        self._used: set[str] = set()
        self._templates: dict[tuple[str, str, int], tuple[_Template, _Template]] = {}
        # Regions whose own international prefix is '00': a '0049 …' number reads there.
        self.dials_00 = frozenset(
            region
            for region in COUNTRIES
            if re.fullmatch(
                PhoneMetadata.metadata_for_region(region).international_prefix or "", "00"
            )
        )

    def e164(self, region: str, national: str) -> str:
        return f"+{self._codes[region]}{national}"

    def _draw(
        self, rng: random.Random, region: str, plans: tuple[NumberPlan, ...], register: bool = True
    ) -> str:
        validator = self._validators[region]
        code = self._codes[region]
        while True:
            plan = plans[int(rng.random() * len(plans))]
            length = plan.lengths[int(rng.random() * len(plan.lengths))]
            national = plan.prefix + _random_digits(rng, length - len(plan.prefix))
            if validator.is_valid(national):
                key = code + national
                if key not in self._used:
                    if register:
                        self._used.add(key)
                    return national

    def mobile(self, rng: random.Random, region: str, register: bool = True) -> str:
        """A new mobile national number (unique within this book).

        Numbers a source system draws are not registered, so they cannot change the world the
        other system's pass replays.
        """
        return self._draw(rng, region, self._mobile[region], register)

    def landline(self, rng: random.Random, region: str, area_code: str) -> str:
        """A new landline in the city's area code (another city's when that code fails)."""
        plan = self._landline.get((region, area_code))
        return self._draw(rng, region, (plan,) if plan else self._fallback[region])

    def is_mobile(self, region: str, national: str) -> bool:
        """Whether the number is in one of the region's mobile ranges (where mobiles and
        landlines share ranges, as in the US, a landline may look mobile)."""
        return national.startswith(tuple(plan.prefix for plan in self._mobile[region]))

    def is_valid(self, region: str, national: str) -> bool:
        return self._validators[region].is_valid(national)

    def _templates_for(self, region: str, national: str) -> tuple[_Template, _Template]:
        key = (region, national[:3], len(national))
        templates = self._templates.get(key)
        if templates is None:
            number = phonenumbers.parse(self.e164(region, national))
            templates = (
                _Template.from_formatted(
                    phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL), national
                ),
                _Template.from_formatted(
                    phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL), national
                ),
            )
            self._templates[key] = templates
        return templates

    def format(self, region: str, national: str, style: str) -> str:
        """The number in one of PHONE_STYLES.

        'national' and 'digits' only read back with the number's own country as the region;
        'dashed' ('0049-30-1234567') only where '00' is the international prefix.
        """
        if style == "e164":
            return self.e164(region, national)
        international, domestic = self._templates_for(region, national)
        if style == "international":
            return international.apply(national)
        if style == "dashed":
            text = international.apply(national)
            return "00" + "-".join(text[1:].replace("-", " ").split())
        if style == "national":
            return domestic.apply(national)
        if style == "digits":
            return "".join(ch for ch in domestic.apply(national) if ch.isdigit())
        raise ValueError(f"unknown phone style {style!r}")
