"""Source-system records for true people: billing accounts, CRM contacts and orders.

Each builder owns a random stream, decides per field whether the value arrives clean,
missing, invalid or (CRM only) inaccurate, renders it with its system's untidiness and
keeps the final state of every measured field for the truth files.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crm_quality.demo import defects as dq
from crm_quality.demo.defects import (
    INACCURATE,
    INVALID,
    MISSING,
    OK,
    UNVERIFIABLE,
    DefectRates,
    FieldState,
)
from crm_quality.demo.phones import PhoneBook, calling_code
from crm_quality.demo.pools import (
    COUNTRIES,
    CURRENCY,
    DEFAULT_COUNTRIES,
    MISSING_NAME_TOKENS,
    MISSING_TOKENS,
    NICKNAMES,
    ORDER_MEDIAN,
    WHOLE_UNIT_CURRENCIES,
)
from crm_quality.demo.render import BILLING_RENDER, CRM_RENDER, Renderer, iso_date
from crm_quality.demo.world import FIRST_POOL, Person, Picker, World, pick
from crm_quality.ingest.contract import RAW_CONTRACT

# The demo writes exactly the raw input contract the warehouse reads.
CRM_COLUMNS = RAW_CONTRACT["crm_contacts"]
BILLING_COLUMNS = RAW_CONTRACT["billing_customers"]
ORDER_COLUMNS = RAW_CONTRACT["orders"]

SECOND_ACCOUNT_SHARE = 0.05
ACCOUNT_STATUSES = ("active", "closed", "suspended")
ACCOUNT_STATUS_WEIGHTS = (0.82, 0.12, 0.06)
# Orders per account: 0–15, most accounts order a few times.
ORDER_COUNT_WEIGHTS = (12, 14, 13, 11, 9, 8, 7, 6, 5, 4, 3, 3, 2, 1, 1, 1)
ORDER_YEARS = 5

DUPLICATE_PERSON_SHARE = 0.10  # CRM people with 1–3 extra records
EXTRA_RECORD_COUNTS = (1, 2, 3)
EXTRA_RECORD_WEIGHTS = (0.70, 0.22, 0.08)
CRM_HISTORY_DAYS = 3650  # contacts were created over the last ten years
RECENTLY_TOUCHED_SHARE = 0.82
# How CRM staff write some names: Korean names typed in Latin letters on English forms,
# Brazilians recorded under their last (paternal) surname only.
ROMANIZED_KOREAN_NAME_SHARE = 0.3
SINGLE_BRAZILIAN_SURNAME_SHARE = 0.3
# Cases drawn from their own random streams, so the rest of the data stays as it was:
# a billing account two housemates hold together (one row per holder, the same account_id,
# the first holder's e-mail and phone), as a share of households of two or more customers;
JOINT_ACCOUNT_SHARE = 0.1
# CRM records never edited (updated_at blank), and imported without either timestamp;
BLANK_UPDATED_AT_SHARE = 0.02
BLANK_TIMESTAMPS_SHARE = 0.002
# CRM records without a country whose phone is written the national way ('030 1234567');
NATIONAL_PHONE_WITHOUT_COUNTRY_SHARE = 0.5
# order amounts written with separators ('1,234.50', '1.234,50', '12,50'; '8,000' is
# ambiguous and so invalid).
SEPARATOR_AMOUNT_SHARE = 0.05
# Leads (--leads): CRM-only people, mostly from forms and events.
LEAD_CHANNEL_WEIGHTS = (0.5, 0.05, 0.3, 0.15, 0.0)

# Columns a source system may not capture at all (--without), and their positions in the row
# `contact_fields` renders. 'street_address' stands for the whole address: street, city and
# postal code (the country is a required field and stays).
DROPPABLE_FIELDS: tuple[str, ...] = ("email", "phone", "birth_date", "street_address")
_DROPPED_POSITIONS: dict[str, tuple[int, ...]] = {
    "email": (3,),
    "phone": (4,),
    "street_address": (5, 6, 7),
    "birth_date": (9,),
}

_CJK_NAME_CHARS = {
    country: tuple(sorted({ch for name in FIRST_POOL[country] for ch in name.native}))
    for country in ("CN", "JP", "KR")
}


@dataclass(slots=True)
class SourceRecord:
    """One exported row of a person, its rendered values and the final state of each field."""

    person: Person
    values: list[str]  # the rendered row; its id (first column) is set on assembly
    states: dict[str, FieldState]
    record_id: str = ""
    row_number: int = 0
    defects: list[dq.Defect] = field(default_factory=list)
    account: AccountPlan | None = None  # billing: the plan the row was rendered from
    touched: tuple[int, int] | None = None  # CRM: last valid touch (day ordinal, seconds)
    source_name: str = ""  # --layout sources: the CRM export holding the record


def typo(rng: random.Random, name: str, country: str) -> str:
    """One slip of the keyboard: a letter swapped, dropped, doubled or transposed."""
    if country in _CJK_NAME_CHARS and not name.isascii():
        index = int(rng.random() * len(name))
        replacement = pick(rng, _CJK_NAME_CHARS[country])
        changed = name[:index] + replacement + name[index + 1 :]
        return changed if changed != name else name + replacement
    while True:
        index = 1 + int(rng.random() * (len(name) - 1)) if len(name) > 1 else 0
        roll = int(rng.random() * 4)
        if roll == 0:
            changed = name[:index] + pick(rng, "aeinorstl") + name[index + 1 :]
        elif roll == 1 and len(name) > 2:
            changed = name[:index] + name[index + 1 :]
        elif roll == 2:
            changed = name[:index] + name[index] + name[index:]
        elif index + 1 < len(name):
            changed = name[:index] + name[index + 1] + name[index] + name[index + 2 :]
        else:
            continue
        if changed != name and changed.strip():
            return changed


def draw_outcomes(
    rng: random.Random, thresholds: dict[str, tuple[float, float, float]], accuracy: bool
) -> dict[str, str]:
    """'ok', 'missing', 'invalid' or 'inaccurate' per measured field, one draw each."""
    outcomes = {}
    for field_name in dq.OUTCOME_FIELDS:
        missing, invalid, inaccurate = thresholds[field_name]
        roll = rng.random()
        if roll >= (inaccurate if accuracy else invalid):
            outcomes[field_name] = OK
        elif roll < missing:
            outcomes[field_name] = MISSING
        elif roll < invalid:
            outcomes[field_name] = INVALID
        else:
            outcomes[field_name] = INACCURATE
    return outcomes


@dataclass(slots=True)
class AccountPlan:
    """What one billing account will hold, decided before any rendering.

    Plans come from their own random stream so the CRM side can know a person's valid
    billing values (for accuracy) without rendering billing at all.
    """

    email: str
    phone: str  # national number
    outcomes: dict[str, str]
    joint_with: AccountPlan | None = None  # a joint account: the first holder's plan


class BillingPlanner:
    """Decides accounts per customer: how many, which e-mail and phone, which defects."""

    def __init__(self, seed: int, world: World, phones: PhoneBook) -> None:
        self.rng = random.Random(f"{seed}/billing-plan")
        self.world = world
        self.phones = phones
        self._thresholds = dq.outcome_thresholds(dq.BILLING_RATES)

    def plan(self, person: Person) -> list[AccountPlan]:
        """One account, or two (same name and birth date, maybe other e-mail or phone)."""
        rng = self.rng
        first = AccountPlan(person.email, person.phone, draw_outcomes(rng, self._thresholds, False))
        plans = [first]
        if rng.random() < SECOND_ACCOUNT_SHARE:
            email, phone = person.email, person.phone
            if rng.random() < 0.5:
                email = self.world.alt_email(rng, person)
            if rng.random() < 0.3:
                phone = self.phones.mobile(rng, person.country, register=False)
            plans.append(AccountPlan(email, phone, draw_outcomes(rng, self._thresholds, False)))
        return plans

    def joint(self, rng: random.Random, holder: list[AccountPlan]) -> AccountPlan | None:
        """A second holder's row of the first holder's account, or None.

        Only clean accounts are shared, so which of the two rows the warehouse calls the
        repeated id changes no count of defective records.
        """
        first = holder[0]
        if any(outcome != OK for outcome in first.outcomes.values()):
            return None
        if rng.random() >= JOINT_ACCOUNT_SHARE:
            return None
        return AccountPlan(first.email, first.phone, dict(first.outcomes), joint_with=first)

    def valid_values(self, person: Person, plans: list[AccountPlan]) -> dict[str, set[str]]:
        """The person's valid canonical billing values per accuracy field."""
        values: dict[str, set[str]] = {}
        for plan in plans:
            outcomes = plan.outcomes
            if outcomes["email"] == OK:
                values.setdefault("email", set()).add(plan.email)
            if outcomes["phone"] == OK:
                values.setdefault("phone", set()).add(self.phones.e164(person.country, plan.phone))
            if outcomes["country"] == OK:
                values.setdefault("country", set()).add(person.country)
            if outcomes["birth_date"] == OK:
                values.setdefault("birth_date", set()).add(iso_date(person.birth))
        return values


class _Builder:
    """Rendering of the contact fields shared by billing and CRM.

    A subclass names its system (the random stream's purpose) and its render settings.
    """

    SYSTEM: str
    RENDER: Any

    def __init__(
        self,
        seed: int,
        world: World,
        phones: PhoneBook,
        as_of: int,
        without: frozenset[str] = frozenset(),
    ) -> None:
        self.rng = random.Random(f"{seed}/{self.SYSTEM}")
        self.render = Renderer(self.rng, self.RENDER, phones)
        self.world = world
        self.phones = phones
        self.as_of = as_of
        self.without = without
        self._calling_codes = {country: calling_code(country) for country in COUNTRIES}

    def _name(self, value: str, outcome: str) -> tuple[str, FieldState]:
        if outcome == MISSING or not value:
            return self.render.missing(MISSING_NAME_TOKENS), (MISSING, None)
        return self.render.text(value), (OK, value)

    def contact_fields(
        self,
        person: Person,
        outcomes: dict[str, str],
        first: str,
        last: str,
        email: str | None,
        phone: str | None,
    ) -> tuple[list[str], dict[str, FieldState]]:
        """An id slot, then rendered first_name … birth_date (billing order), and final states.

        `email` or `phone` None means the record simply lacks it (a sparse duplicate).
        """
        rng = self.rng
        render = self.render
        country = person.country
        states: dict[str, FieldState] = {}

        outcome = outcomes["country"]
        record_country: str | None = None
        if outcome == MISSING:
            country_text, states["country"] = render.missing(), (MISSING, None)
        elif outcome == INVALID:
            country_text, states["country"] = render.text(dq.invalid_country(rng)), (INVALID, None)
        else:
            record_country = country
            if outcome == INACCURATE:
                # From the default countries, so default runs draw as they always did.
                while record_country == country:
                    record_country = pick(rng, DEFAULT_COUNTRIES)
            country_text, states["country"] = render.country(record_country), (OK, record_country)

        first_text, states["first_name"] = self._name(first, outcomes["first_name"])
        last_text, states["last_name"] = self._name(last, outcomes["last_name"])

        outcome = outcomes["email"]
        if outcome == MISSING or email is None:
            email_text, states["email"] = render.missing(), (MISSING, None)
        elif outcome == INVALID:
            email_text, states["email"] = dq.invalid_email(rng, email), (INVALID, None)
        else:
            if outcome == INACCURATE:
                email = self.world.other_email(rng, person)
            email_text, states["email"] = render.email(email), (OK, email)

        outcome = outcomes["phone"]
        if outcome == MISSING or phone is None:
            phone_text, states["phone"] = render.missing(), (MISSING, None)
        elif outcome == INVALID:
            regions = (country,) if record_country in (None, country) else (record_country, country)
            phone_text = dq.invalid_phone(rng, self._calling_codes[country], phone, regions)
            states["phone"] = (INVALID, None)
        else:
            if outcome == INACCURATE:
                phone = self.phones.mobile(rng, country, register=False)
            phone_text = render.phone(country, phone, record_country)
            states["phone"] = (OK, self.phones.e164(country, phone))

        outcome = outcomes["birth_date"]
        birth = person.birth
        if outcome == INVALID:
            roll = rng.random()
            if roll < 0.5:
                birth_text = dq.unparseable_date(rng, birth)
            elif roll < 0.75:  # in the future
                birth_text = render.date(self.as_of + 1 + int(rng.random() * 3650))
            else:  # before 1900: a century slip ('1885' for '1985') or the 1800s
                birth_text = render.date(dq.implausible_birth_date(birth))
            states["birth_date"] = (INVALID, None)
        else:
            if outcome == INACCURATE:
                birth = dq.other_birth_date(rng, birth, self.as_of)
            birth_text, states["birth_date"] = render.date(birth), (OK, iso_date(birth))

        values = [
            "",
            first_text,
            last_text,
            email_text,
            phone_text,
            render.text(person.street),
            render.text(person.city),
            render.text(person.postal),
            country_text,
            birth_text,
        ]
        blank_dropped_fields(values, states, self.without)
        return values, states


def blank_dropped_fields(
    values: list[str], states: dict[str, FieldState], without: frozenset[str]
) -> None:
    """Empty the columns the system does not capture; a measured one is then missing.

    Applied after rendering, so every random draw is made as if the column were there and
    the other columns come out exactly as in a run that keeps it.
    """
    for field_name in without:
        for position in _DROPPED_POSITIONS[field_name]:
            values[position] = ""
        if field_name in states:
            states[field_name] = (MISSING, None)


def crm_written_name(rng: random.Random, person: Person) -> tuple[str, str]:
    """(first, last) as a CRM user types them; draws only for countries with such habits."""
    first, last = person.first, person.last
    if person.country == "KR" and rng.random() < ROMANIZED_KOREAN_NAME_SHARE:
        return first.latin.capitalize(), last.latin.capitalize()
    if person.country == "BR" and rng.random() < SINGLE_BRAZILIAN_SURNAME_SHARE:
        return first.native, last.native.rsplit(" ", 1)[-1]
    return first.native, last.native


class BillingBuilder(_Builder):
    """Billing accounts rendered from their plans by a stricter system."""

    SYSTEM = "billing"
    RENDER = BILLING_RENDER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._status = Picker(ACCOUNT_STATUSES, ACCOUNT_STATUS_WEIGHTS)

    def accounts(self, person: Person, plans: list[AccountPlan]) -> list[SourceRecord]:
        rng = self.rng
        opened = self.as_of - 30 - int(rng.random() * 15 * 365)
        records = []
        for plan in plans:
            values, states = self.contact_fields(
                person,
                plan.outcomes,
                person.first.native,
                person.last.native,
                plan.email,
                plan.phone,
            )
            values.append(self._status(rng))
            values.append(iso_date(opened))
            records.append(SourceRecord(person, values, states, account=plan))
            opened += int(rng.random() * (self.as_of - opened))  # a later second account
        return records


class CrmBuilder(_Builder):
    """CRM contacts: channel-dependent quality, duplicates, stale and inaccurate records."""

    SYSTEM = "crm"
    RENDER = CRM_RENDER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._channel = Picker(dq.CHANNELS, dq.CHANNEL_WEIGHTS)
        self._lead_channel = Picker(dq.CHANNELS, LEAD_CHANNEL_WEIGHTS)
        self._extra = Picker(EXTRA_RECORD_COUNTS, EXTRA_RECORD_WEIGHTS)
        self._thresholds = {
            channel: dq.outcome_thresholds(rates) for channel, rates in dq.CRM_RATES.items()
        }
        self.stale_cutoff = self.as_of - dq.STALE_AFTER_DAYS
        self.cases = random.Random(f"{self.world.seed}/crm-cases")

    def contacts(
        self, person: Person, billing_country: bool = False, lead: bool = False
    ) -> list[SourceRecord]:
        """The person's CRM records: one, or with 1–3 extra duplicates.

        `billing_country`: a billing account of the person carries a valid country (the
        golden country a phone without a country is judged against). `lead`: a CRM-only
        person from --leads, with the channels leads come from.
        """
        extra = self._extra(self.rng) if self.rng.random() < DUPLICATE_PERSON_SHARE else 0
        records = [self._record(person, index > 0, lead) for index in range(1 + extra)]
        self._national_phones_without_country(person, records, billing_country)
        return records

    def _national_phones_without_country(
        self, person: Person, records: list[SourceRecord], billing_country: bool
    ) -> None:
        """Write some phones of country-less records the national way ('030 1234567').

        Such a number is judged against the person's golden country, taken from their other
        records: valid when one of them carries a country, else unverifiable (left out of
        the phone validity check). Only where every such country is the person's own, so
        the truth does not depend on which record survives.
        """
        cases = self.cases
        for record in records:
            # Both draws always, so dropping a column (--without) leaves later draws alone.
            chosen = cases.random() < NATIONAL_PHONE_WITHOUT_COUNTRY_SHARE
            style = "national" if cases.random() < 0.6 else "digits"
            states = record.states
            if not chosen or states["country"][0] != MISSING or states["phone"][0] != OK:
                continue
            countries = {
                other.states["country"][1]
                for other in records
                if other is not record and other.states["country"][0] == OK
            }
            if countries - {person.country}:
                continue
            e164 = states["phone"][1]
            national = e164[len(self._calling_codes[person.country]) + 1 :]
            record.values[5] = self.phones.format(person.country, national, style)
            if not (countries or billing_country):
                states["phone"] = (UNVERIFIABLE, None)

    def _record(self, person: Person, duplicate: bool, lead: bool = False) -> SourceRecord:
        rng = self.rng
        channel = (self._lead_channel if lead else self._channel)(rng)
        rates = dq.CRM_RATES[channel]
        first, last = crm_written_name(rng, person)
        email: str | None = person.email
        phone: str | None = person.phone
        street, city, postal = person.street, person.city, person.postal
        company = person.company if rng.random() < 0.85 else ""
        if duplicate:
            roll = rng.random()
            if roll < 0.2:
                first = typo(rng, first, person.country)
            elif roll < 0.35:
                last = typo(rng, last, person.country)
            if first in NICKNAMES and rng.random() < 0.5:
                first = pick(rng, NICKNAMES[first])
            if rng.random() < 0.35:
                email = self.world.alt_email(rng, person)
            if rng.random() < 0.25:  # a sparse record: one thing never captured
                dropped = self._sparse_field(rng)
                if dropped == "email":
                    email = None
                elif dropped == "phone":
                    phone = None
                elif dropped == "address":
                    street = city = postal = ""
                else:
                    company = ""
        elif channel == "import" and rng.random() < 0.05:  # imported without street columns
            street = postal = ""

        outcomes = draw_outcomes(rng, self._thresholds[channel], person.is_customer)
        values, states = self.contact_fields(person, outcomes, first, last, email, phone)
        # Address fields are not measured: an absent one is simply empty.
        values[5] = values[5] if street else ""
        values[6] = values[6] if city else ""
        values[7] = values[7] if postal else ""
        created, updated = self._history(rates)
        created_seconds = int(rng.random() * 86400)
        updated_seconds = int(rng.random() * 86400)
        if updated == created:
            updated_seconds = max(updated_seconds, created_seconds)
        if rng.random() < rates.invalid * dq.INVALID_WEIGHTS["updated_at"]:
            updated_text = dq.unparseable_timestamp(rng, updated)
            states["updated_at"] = (INVALID, None)
        else:
            updated_text = self.render.timestamp(updated, updated_seconds)
            states["updated_at"] = (OK, iso_date(updated))
        values[0:1] = ("", channel)
        values.append(self.render.text(company))
        created_text = self.render.timestamp(created, created_seconds)
        states["created_at"] = (OK, iso_date(created))
        roll = self.cases.random()
        if roll < BLANK_TIMESTAMPS_SHARE + BLANK_UPDATED_AT_SHARE:  # never edited
            updated_text = pick(self.cases, MISSING_TOKENS)
            states["updated_at"] = (MISSING, None)
            if roll < BLANK_TIMESTAMPS_SHARE:  # imported without timestamps
                created_text = pick(self.cases, MISSING_TOKENS)
                states["created_at"] = (MISSING, None)
        values.append(created_text)
        values.append(updated_text)
        record = SourceRecord(person, values, states)
        if states["updated_at"][0] == OK:
            record.touched = (updated, updated_seconds if len(updated_text) == 19 else 0)
        elif states["created_at"][0] == OK:
            record.touched = (created, created_seconds if len(created_text) == 19 else 0)
        return record

    def _sparse_field(self, rng: random.Random) -> str:
        """What a sparse duplicate never captured: 'email', 'phone', 'address' or 'company'."""
        return pick(rng, ("email", "phone", "address", "company"))

    def _history(self, rates: DefectRates) -> tuple[int, int]:
        """(created, updated) day ordinals; never on the staleness cutoff day itself."""
        rng = self.rng
        as_of, cutoff = self.as_of, self.stale_cutoff
        if rng.random() < rates.stale:  # touched last long ago
            created = cutoff - 1 - int(rng.random() * (CRM_HISTORY_DAYS - dq.STALE_AFTER_DAYS))
            updated = created + int(rng.random() * (cutoff - created))
        else:
            created = as_of - int(rng.random() * CRM_HISTORY_DAYS)
            if rng.random() < RECENTLY_TOUCHED_SHARE:
                start = max(created, cutoff + 1)
                updated = start + int(rng.random() * (as_of - start + 1))
            else:
                updated = min(as_of, created + int(rng.random() * 180))
        if updated == cutoff:
            updated += 1
            created = min(created, updated)
        if created == cutoff:  # judged when updated_at is unusable
            created -= 1
        return created, updated


class OrderBuilder:
    """Orders of a billing account over the five years before the as-of date."""

    def __init__(self, seed: int, as_of: int) -> None:
        self.rng = random.Random(f"{seed}/orders")
        self.as_of = as_of
        self.first_day = as_of - ORDER_YEARS * 365
        self._count = Picker(range(len(ORDER_COUNT_WEIGHTS)), ORDER_COUNT_WEIGHTS)
        self.cases = random.Random(f"{seed}/order-amounts")

    def orders(self, country: str, opened: int) -> list[tuple[int, str, str, bool]]:
        """(date ordinal, amount, currency, is the amount valid) per order, in date order."""
        rng = self.rng
        count = self._count(rng)
        if not count:
            return []
        start = max(opened, self.first_day)
        span = self.as_of - start + 1
        currency = CURRENCY[country]
        median = ORDER_MEDIAN[currency]
        days = sorted(start + int(rng.random() * span) for _ in range(count))
        orders = []
        for day in days:
            amount = median * math.exp(rng.gauss(0.0, 0.8))
            whole = currency in WHOLE_UNIT_CURRENCIES
            text = f"{round(amount):d}.00" if whole else f"{amount:.2f}"
            valid = True
            if self.cases.random() < SEPARATOR_AMOUNT_SHARE:
                text, valid = amount_with_separators(self.cases, text)
            orders.append((day, text, currency, valid))
        return orders


def _grouped(digits: str, separator: str) -> str:
    """'1234567' → '1,234,567'."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def amount_with_separators(rng: random.Random, plain: str) -> tuple[str, bool]:
    """'1234.50' as a person might type it, and whether the amount rule still reads it.

    Thousands grouped with ',' and a '.' decimal ('1,234.50'), or the other way round
    ('1.234,50', '12,50'); a whole amount may lose its '.00' and keep only its grouping,
    which is ambiguous when one separator is followed by three digits ('8,000') and so
    invalid; '1,234,567' (repeated groups) still reads.
    """
    units, _, cents = plain.partition(".")
    roll = rng.random()
    if roll < 0.4:
        return f"{_grouped(units, '.')},{cents}", True
    if roll < 0.8 or cents != "00" or len(units) < 4:
        return f"{_grouped(units, ',')}.{cents}", True
    text = _grouped(units, "," if rng.random() < 0.5 else ".")
    return text, text.count(text[-4]) > 1


def opened_ordinal(record: SourceRecord) -> int:
    """The account's opening day, read back from its rendered opened_at."""
    return date.fromisoformat(record.values[-1]).toordinal()
