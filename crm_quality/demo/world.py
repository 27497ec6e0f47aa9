"""The true world behind the demo sources: people, their households and contact details.

Every person is real and distinct; the CRM and billing exports are noisy views of them.
People are produced in chunks (households never split across chunks) so a million of them
stream through the generator in bounded memory.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from crm_quality.demo.phones import PhoneBook
from crm_quality.demo.pools import (
    BUSINESS_TLD,
    CITIES,
    COMPANY_SUFFIXES,
    COMPANY_WORDS,
    EMAIL_DOMAINS,
    FAMILY_ADDRESS,
    FAMILY_ADDRESS_DEFAULT,
    FIRST_NAMES,
    LAST_NAMES,
    STREETS,
    City,
    Name,
    country_weights,
)

BIRTH_FIRST = date(1935, 1, 1).toordinal()
BIRTH_LAST = date(2006, 12, 31).toordinal()
# Share of people living in a multi-person household, and how large households are.
HOUSEHOLD_SHARE = 0.08
HOUSEHOLD_SIZES = (2, 3, 4)
HOUSEHOLD_SIZE_WEIGHTS = (0.55, 0.30, 0.15)
COMPANY_SHARE = 0.25
MOBILE_SHARE = 0.8
# Hard cases for entity resolution, each a distinct person in the truth (drawn from their
# own random stream, so the rest of the world stays as it was):
# households whose first two members share one family address ('familie.mueller@gmx.de');
FAMILY_EMAIL_SHARE = 0.1
# look-alike pairs at one address: twins (same surname and birth date, other first names)
# or father and son (Jr./Sr.: the same full name, born 20–40 years apart), as a share of
# the world's units (a person alone, a household);
LOOKALIKE_UNIT_SHARE = 0.002
# colleagues (2–3, unrelated) who all give their small firm's shared 'info@' address.
COLLEAGUE_UNIT_SHARE = 0.005
COLLEAGUE_SIZES = (2, 3)
JUNIOR_AGE_GAP_YEARS = (20, 40)

_GERMAN_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_SPECIAL_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ı": "i", "Ø": "O"}
)
_POSTAL_LETTERS = "ABDEFGHJLNPRSTUWXZ"


def ascii_fold(text: str, country: str = "") -> str:
    """Lower-case ASCII letters and digits only, the way names end up in mail addresses.

    German-speaking countries write umlauts as 'ae/oe/ue' ('Müller' → 'mueller').
    """
    if country in ("DE", "AT", "CH"):
        text = text.translate(_GERMAN_FOLD)
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_FOLD))
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def _folded(names: dict[str, tuple[Name, ...]]) -> dict[str, tuple[Name, ...]]:
    return {
        country: tuple(
            name if name.latin else Name(name.native, ascii_fold(name.native, country))
            for name in pool
        )
        for country, pool in names.items()
    }


FIRST_POOL = _folded(FIRST_NAMES)
LAST_POOL = _folded(LAST_NAMES)


@dataclass(slots=True)
class Person:
    """One real person: the values every source should agree on."""

    person_id: int
    household_id: int  # 0 when the person lives alone
    country: str
    first: Name
    last: Name
    birth: int  # date ordinal
    email: str
    phone: str  # national number in `country`
    street: str
    city: str
    postal: str
    company: str
    alt_email: str = ""  # a second address, drawn on first use
    is_customer: bool = False
    in_crm: bool = False


class Picker:
    """Weighted choice by bisecting cumulative weights (random.choices is slower per call)."""

    def __init__(self, items, weights) -> None:
        self.items = tuple(items)
        self._cumulative = tuple(accumulate(weights))
        self._total = self._cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect(self._cumulative, rng.random() * self._total)]


def pick(rng: random.Random, items):
    """Uniform choice from a sequence."""
    return items[int(rng.random() * len(items))]


def fill_pattern(rng: random.Random, pattern: str) -> str:
    """'10###' → '10437'; '@' draws a postcode letter."""
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(str(int(rng.random() * 10)))
        elif ch == "@":
            out.append(pick(rng, _POSTAL_LETTERS))
        else:
            out.append(ch)
    return "".join(out)


def street_address(rng: random.Random, country: str) -> str:
    """A street line in the country's usual order ('Hauptstraße 12', '12 High Street')."""
    street = pick(rng, STREETS[country])
    number = 1 + int(rng.random() ** 2 * 180)
    if country in ("DE", "AT", "CH", "NL"):
        suffix = "a" if rng.random() < 0.05 else ""
        return f"{street} {number}{suffix}"
    if country == "US":
        line = f"{number * 10 + int(rng.random() * 10)} {street}"
        return f"{line}, Apt {1 + int(rng.random() * 30)}" if rng.random() < 0.15 else line
    if country == "GB":
        line = f"{number} {street}"
        return f"Flat {1 + int(rng.random() * 12)}, {line}" if rng.random() < 0.1 else line
    if country == "FR":
        return f"{number} {street}"
    if country in ("ES", "IT"):
        return f"{street}, {number}"
    if country == "CN":
        return f"{street}{number}号"
    if country == "KR":  # Korean order: road, building number, then building and flat
        line = f"{street} {number}"
        if rng.random() < 0.3:
            building = 101 + int(rng.random() * 12)
            flat = (1 + int(rng.random() * 25)) * 100 + 1 + int(rng.random() * 6)
            return f"{line}, {building}동 {flat}호"
        return line
    if country == "BR":
        line = f"{street}, {number * 10 + int(rng.random() * 10)}"
        return f"{line} - Apto {1 + int(rng.random() * 180)}" if rng.random() < 0.3 else line
    # JP: block-lot-building numbering after the district name.
    return f"{street}{1 + int(rng.random() * 5)}-{1 + int(rng.random() * 30)}-{number % 20 + 1}"


def company_name(rng: random.Random, country: str, last: Name) -> str:
    """An employer or trading name; some contain a comma to exercise CSV quoting."""
    suffix = pick(rng, COMPANY_SUFFIXES.get(country, COMPANY_SUFFIXES["DE"]))
    if country in ("CN", "JP", "KR"):
        return f"{last.native}{suffix}"
    roll = rng.random()
    if roll < 0.5:
        return f"{last.native} {suffix}"
    if roll < 0.7:
        partner = pick(rng, LAST_POOL[country]).native
        return f"{last.native}, {partner} {suffix}"
    return f"{pick(rng, COMPANY_WORDS)} {suffix}"


class World:
    """Produces distinct people chunk by chunk, with unique e-mail addresses and phones.

    `countries` restricts the population to those ISO codes (default: the usual mix).
    """

    def __init__(
        self, seed: int, people: int, phones: PhoneBook, countries: tuple[str, ...] = ()
    ) -> None:
        self.seed = seed
        self.rng = random.Random(f"{seed}/world")
        self.cases = random.Random(f"{seed}/world-cases")
        self.people = people
        self.phones = phones
        self.emitted = 0
        self.households = 0
        self._used_emails: set[str] = set()
        weights = country_weights(countries)
        self._country = Picker(weights, weights.values())
        self._city = {
            country: Picker(cities, [city.weight for city in cities])
            for country, cities in CITIES.items()
        }
        self._household_size = Picker(HOUSEHOLD_SIZES, HOUSEHOLD_SIZE_WEIGHTS)
        mean_size = sum(s * w for s, w in zip(HOUSEHOLD_SIZES, HOUSEHOLD_SIZE_WEIGHTS, strict=True))
        # Probability that a new unit is a household, so HOUSEHOLD_SHARE of people live in one.
        self._household_unit = HOUSEHOLD_SHARE / (mean_size - HOUSEHOLD_SHARE * (mean_size - 1))

    # --- contact details -------------------------------------------------------------

    def email(
        self, rng: random.Random, person: Person, avoid_domain: str = "", register: bool = True
    ) -> str:
        """A new name-based address ('jose.garcia84@gmail.com'), unique among the people's own.

        Only the people's own addresses are registered (`register`): an address a source
        system draws must not change the world the other system's pass replays.
        """
        country = person.country
        domains = EMAIL_DOMAINS[country]
        domain = pick(rng, domains)
        while domain == avoid_domain:
            domain = pick(rng, domains)
        first, last = person.first.latin, person.last.latin
        if domain == "qq.com" and rng.random() < 0.5:
            local = str(rng.randrange(10_000_000, 3_000_000_000))
        else:
            roll = rng.random()
            if roll < 0.35:
                local = f"{first}.{last}"
            elif roll < 0.5:
                local = f"{first}{last}"
            elif roll < 0.62:
                local = f"{first[0]}.{last}"
            elif roll < 0.72:
                local = f"{first}_{last}"
            elif roll < 0.8:
                local = f"{last}.{first}"
            elif roll < 0.9:
                local = f"{first[0]}{last}"
            else:
                local = first
            roll = rng.random()
            if roll < 0.25:
                local += f"{date.fromordinal(person.birth).year % 100:02d}"
            elif roll < 0.5:
                local += str(1 + int(rng.random() * 999))
        address = f"{local}@{domain}"
        while address in self._used_emails:
            address = f"{local}{rng.randrange(10, 100_000)}@{domain}"
        if register:
            self._used_emails.add(address)
        return address

    def other_email(self, rng: random.Random, person: Person, avoid_domain: str = "") -> str:
        """An address of the person's besides their own: name-based like it, and tagged with
        the person's number ('mia.schneider.202091@outlook.com'), which no one else's address
        ends with. Source passes draw these and never register them (a pass's draw must not
        change the world the other pass replays), so the tag alone keeps them apart: untagged,
        at a million people 8,165 personal addresses were given by several people."""
        local, _, domain = self.email(rng, person, avoid_domain, register=False).partition("@")
        return f"{local}.{person.person_id}@{domain}"

    def alt_email(self, rng: random.Random, person: Person) -> str:
        """The person's second address (older or private), the same one on every use.

        Drawn from the person's own random stream, so CRM and billing, generated in separate
        passes, give a person the same second address.
        """
        if not person.alt_email:
            own = random.Random(f"{self.seed}/alt-email/{person.person_id}")
            person.alt_email = self.other_email(own, person, person.email.rpartition("@")[2])
        return person.alt_email

    # --- people ------------------------------------------------------------------------

    def _birth(self) -> int:
        return BIRTH_FIRST + int(self.rng.random() * (BIRTH_LAST - BIRTH_FIRST + 1))

    def _person(
        self,
        country: str,
        last: Name,
        city: City,
        street: str,
        postal: str,
        household: int,
        housemates: tuple[Person, ...] = (),
        first: Name | None = None,
        birth: int | None = None,
    ) -> Person:
        """A new person; `first` or `birth` given are shared with a housemate (Jr., twin),
        the other one differs from every housemate's."""
        rng = self.rng
        fixed_first, fixed_birth = first, birth
        while True:
            first = fixed_first or pick(rng, FIRST_POOL[country])
            birth = fixed_birth or self._birth()
            if not any(
                (fixed_first is None and first == other.first)
                or (fixed_birth is None and birth == other.birth)
                for other in housemates
            ):
                break
        self.emitted += 1
        person = Person(
            person_id=self.emitted,
            household_id=household,
            country=country,
            first=first,
            last=last,
            birth=birth,
            email="",
            phone="",
            street=street,
            city=city.name,
            postal=postal,
            company="",
        )
        person.email = self.email(rng, person)
        if rng.random() < COMPANY_SHARE:
            person.company = company_name(rng, country, last)
        return person

    def _single(self, country: str | None = None) -> Person:
        rng = self.rng
        country = country or self._country(rng)
        city = self._city[country](rng)
        person = self._person(
            country,
            pick(rng, LAST_POOL[country]),
            city,
            street_address(rng, country),
            fill_pattern(rng, pick(rng, city.postal_patterns)),
            0,
        )
        if rng.random() < MOBILE_SHARE:
            person.phone = self.phones.mobile(rng, country)
        else:
            person.phone = self.phones.landline(rng, country, city.area_code)
        return person

    def _household(self, size: int, kind: str = "family") -> list[Person]:
        """2–4 people sharing surname, address and landline, never first name or birth date.

        `kind` 'twins': two people born the same day; 'junior': two with the same first name.
        """
        rng = self.rng
        self.households += 1
        country = self._country(rng)
        city = self._city[country](rng)
        last = pick(rng, LAST_POOL[country])
        street = street_address(rng, country)
        postal = fill_pattern(rng, pick(rng, city.postal_patterns))
        landline = self.phones.landline(rng, country, city.area_code)
        members: list[Person] = []
        for _ in range(size):
            first: Name | None = None
            birth: int | None = None
            if members and kind == "twins":
                birth = members[0].birth
            elif members and kind == "junior":
                first = members[0].first
                low, high = JUNIOR_AGE_GAP_YEARS
                gap = int((low + self.cases.random() * (high - low)) * 365.25)
                birth = members[0].birth + gap  # the son, or else the father
                if birth > BIRTH_LAST:
                    birth = max(members[0].birth - gap, BIRTH_FIRST)
            person = self._person(
                country, last, city, street, postal, self.households, tuple(members), first, birth
            )
            person.phone = landline
            members.append(person)
        if kind == "family" and self.cases.random() < FAMILY_EMAIL_SHARE:
            self._share_family_address(members[:2])
        return members

    def _share_family_address(self, members: list[Person]) -> None:
        """Give `members` one household address ('familie.mueller@gmx.de')."""
        rng = self.cases
        country = members[0].country
        surname = members[0].last.latin or "family"
        local = FAMILY_ADDRESS.get(country, FAMILY_ADDRESS_DEFAULT).format(surname)
        address = f"{local}@{pick(rng, EMAIL_DOMAINS[country])}"
        while address in self._used_emails:
            address = f"{local}{rng.randrange(2, 1000)}@{address.partition('@')[2]}"
        self._used_emails.add(address)
        for person in members:
            person.email = address

    def _lookalikes(self) -> list[Person]:
        """Twins, or a father and son of the same name, at one address."""
        return self._household(2, "twins" if self.cases.random() < 0.5 else "junior")

    def _colleagues(self, size: int) -> list[Person]:
        """Unrelated people of one country who all give their firm's 'info@' address."""
        first = self._single()
        members = [first] + [self._single(first.country) for _ in range(size - 1)]
        company = first.company or company_name(self.cases, first.country, first.last)
        words = (ascii_fold(word, first.country) for word in company.split())
        slug = "-".join(word for word in words if word) or f"{first.last.latin}-co"
        domain = f"{slug}.{BUSINESS_TLD[first.country]}"
        address = f"info@{domain}"
        while address in self._used_emails:
            address = f"info@{slug}{self.cases.randrange(2, 1000)}.{BUSINESS_TLD[first.country]}"
        self._used_emails.add(address)
        for person in members:
            person.company = company
            person.email = address
        return members

    def chunk(self, size: int) -> list[Person]:
        """The next ≈`size` people (fewer at the end); empty when everyone was produced."""
        people: list[Person] = []
        rng = self.rng
        while len(people) < size and self.emitted < self.people:
            remaining = self.people - self.emitted
            case = self.cases.random()
            if remaining >= 2 and case < LOOKALIKE_UNIT_SHARE:
                people.extend(self._lookalikes())
            elif remaining >= 2 and case < LOOKALIKE_UNIT_SHARE + COLLEAGUE_UNIT_SHARE:
                size_drawn = COLLEAGUE_SIZES[int(self.cases.random() * len(COLLEAGUE_SIZES))]
                people.extend(self._colleagues(min(size_drawn, remaining)))
            elif remaining >= 2 and rng.random() < self._household_unit:
                people.extend(self._household(min(self._household_size(rng), remaining)))
            else:
                people.append(self._single())
        return people
