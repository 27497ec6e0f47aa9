"""Messy but faithful rendering: how clean values look after people and systems typed them.

Every variation here is lossless: a rendered value standardizes back to the clean value
(trimmed and single-spaced text, lower-case e-mail, E.164 phone, ISO alpha-2 country, the
same date). Values that do not survive standardization are defects and live in defects.py.
Whitespace is only ever the ASCII space, which every SQL `trim` removes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from crm_quality.demo.phones import PHONE_STYLES, PhoneBook
from crm_quality.demo.pools import (
    COUNTRY_ENGLISH,
    COUNTRY_ISO3,
    COUNTRY_NATIVE,
    MISSING_TOKENS,
)
from crm_quality.demo.world import Picker, pick

DATE_STYLES = ("iso", "dotted", "slashed")
COUNTRY_STYLES = ("iso2", "iso3", "english", "native")


@dataclass(frozen=True)
class RenderProfile:
    """How untidy a source system is; probabilities are per rendered value."""

    recase: float  # UPPER, lower or Title case instead of the natural spelling
    pad: float  # leading and/or trailing spaces
    double_space: float  # an inner space doubled
    phone_styles: tuple[float, ...]  # weights over phones.PHONE_STYLES
    country_styles: tuple[float, ...]  # weights over COUNTRY_STYLES
    date_styles: tuple[float, ...]  # weights over DATE_STYLES
    timestamp_with_time: float  # share of timestamps that carry a time of day


CRM_RENDER = RenderProfile(
    recase=0.12,
    pad=0.06,
    double_space=0.04,
    phone_styles=(0.22, 0.28, 0.12, 0.26, 0.12),
    country_styles=(0.35, 0.10, 0.30, 0.25),
    date_styles=(0.6, 0.25, 0.15),
    timestamp_with_time=0.6,
)
BILLING_RENDER = RenderProfile(
    recase=0.02,
    pad=0.01,
    double_space=0.0,
    phone_styles=(0.6, 0.3, 0.0, 0.1, 0.0),
    country_styles=(0.8, 0.05, 0.15, 0.0),
    date_styles=(0.97, 0.03, 0.0),
    timestamp_with_time=1.0,
)

_DATE_CACHE: dict[int, tuple[str, str, str]] = {}


def date_texts(ordinal: int) -> tuple[str, str, str]:
    """The date as ('YYYY-MM-DD', 'DD.MM.YYYY', 'YYYY/MM/DD'), cached by ordinal."""
    texts = _DATE_CACHE.get(ordinal)
    if texts is None:
        day = date.fromordinal(ordinal)
        iso = day.isoformat()
        texts = (iso, f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}", iso.replace("-", "/"))
        _DATE_CACHE[ordinal] = texts
    return texts


_CLOCK_CACHE: dict[int, str] = {}


def _clock(seconds: int) -> str:
    """'HH:MM:SS' for seconds since midnight, cached."""
    text = _CLOCK_CACHE.get(seconds)
    if text is None:
        hours, rest = divmod(seconds, 3600)
        text = _CLOCK_CACHE[seconds] = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    return text


def iso_date(ordinal: int) -> str:
    return date_texts(ordinal)[0]


def _usual_first(rng: random.Random, spellings: tuple[str, ...]) -> str:
    """The first (usual) spelling most of the time, the others now and then."""
    if len(spellings) == 1 or rng.random() < 0.6:
        return spellings[0]
    return spellings[1 + int(rng.random() * (len(spellings) - 1))]


def _recase(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.45:
        return value.upper()
    if roll < 0.8:
        return value.lower()
    return value.title()


def _pad(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.4:
        return " " + value
    if roll < 0.8:
        return value + " "
    return "  " + value + " "


class Renderer:
    """Renders values for one source system with its own random stream and profile."""

    def __init__(self, rng: random.Random, profile: RenderProfile, phones: PhoneBook) -> None:
        self.rng = rng
        self.profile = profile
        self.phones = phones
        self._phone_style = Picker(PHONE_STYLES, profile.phone_styles)
        self._country_style = Picker(COUNTRY_STYLES, profile.country_styles)
        self._date_style = Picker(range(3), profile.date_styles)
        # One draw decides the variation: recase, else pad, else double an inner space.
        self._pad_limit = profile.recase + profile.pad
        self._any_change = self._pad_limit + profile.double_space

    def text(self, value: str) -> str:
        """Free text (names, street, city, company) in any case or with stray spaces."""
        roll = self.rng.random()
        if roll >= self._any_change or not value:
            return value
        if roll < self.profile.recase:
            return _recase(self.rng, value)
        if roll < self._pad_limit or " " not in value:
            return _pad(self.rng, value)
        return value.replace(" ", "  ", 1)

    def email(self, address: str) -> str:
        """Case or outer spaces only: an inner space would make the address invalid."""
        roll = self.rng.random()
        if roll >= self._pad_limit:
            return address
        if roll < self.profile.recase:
            if self.rng.random() < 0.4:
                return address.upper()
            local, _, domain = address.partition("@")
            return f"{local.title()}@{domain.capitalize()}"
        return _pad(self.rng, address)

    def phone(self, region: str, national: str, record_country: str | None) -> str:
        """A valid number in a style that reads back given the record's own country.

        National styles need the record's country to be the number's; '00' dialling needs
        a record country where '00' is the international prefix. Otherwise '+' styles.
        """
        rng = self.rng
        style = self._phone_style(rng)
        if style in ("national", "digits") and record_country != region:
            style = "international"
        elif style == "dashed" and record_country not in self.phones.dials_00:
            style = "e164"
        value = self.phones.format(region, national, style)
        if style != "e164" and rng.random() < self.profile.pad:
            value = _pad(rng, value)
        return value

    def country(self, code: str) -> str:
        """ISO2, ISO3, an English or a native spelling, in any case."""
        rng = self.rng
        style = self._country_style(rng)
        if style == "iso2":
            value = code
        elif style == "iso3":
            value = COUNTRY_ISO3[code]
        elif style == "english":
            value = _usual_first(rng, COUNTRY_ENGLISH[code])
        else:
            value = _usual_first(rng, COUNTRY_NATIVE[code])
        return self.text(value)

    def date(self, ordinal: int) -> str:
        """'YYYY-MM-DD', 'DD.MM.YYYY' or 'YYYY/MM/DD'."""
        value = date_texts(ordinal)[self._date_style(self.rng)]
        if self.rng.random() < self.profile.pad:
            value = _pad(self.rng, value)
        return value

    def timestamp(self, ordinal: int, seconds: int) -> str:
        """'YYYY-MM-DD HH:MM:SS', or only the date in one of the date styles."""
        if self.rng.random() < self.profile.timestamp_with_time:
            return f"{iso_date(ordinal)} {_clock(seconds)}"
        return date_texts(ordinal)[self._date_style(self.rng)]

    def missing(self, tokens: tuple[str, ...] = MISSING_TOKENS) -> str:
        """A placeholder for 'no value' ('', 'NULL', 'n/a', '-', 'None', spaces)."""
        token = pick(self.rng, tokens)
        if token.strip() and self.rng.random() < 0.5:
            token = _recase(self.rng, token)
        return token
