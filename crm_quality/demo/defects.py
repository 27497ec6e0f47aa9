"""Injected defects and the rules that turn a record's final state into truth rows.

A record's fields end in one of three states: ('ok', canonical value), ('missing', None)
or ('invalid', None); a CRM phone written in national format on a record without a
country, which no other record of the person can place, is ('unverifiable', None).
Defects are derived from those final states only, so a value that was made invalid is
never also counted missing, and an accidental inaccuracy (a duplicate record carrying an
older e-mail) is counted exactly like an injected one.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import phonenumbers

from crm_quality.demo.pools import UNRESOLVABLE_COUNTRIES
from crm_quality.demo.world import pick

OK = "ok"
MISSING = "missing"
INVALID = "invalid"
INACCURATE = "inaccurate"  # an outcome to inject; its final state is OK with a wrong value
UNVERIFIABLE = "unverifiable"  # neither valid nor invalid: left out of the validity check

FieldState = tuple[str, str | None]

CHANNELS = ("web_form", "sales_rep", "event", "import", "partner_api")
CHANNEL_WEIGHTS = (0.35, 0.20, 0.10, 0.25, 0.10)

COMPLETENESS_FIELDS = ("first_name", "last_name", "email", "phone", "country")
VALIDITY_FIELDS = ("email", "phone", "country", "birth_date", "updated_at")
# Validity is judged only where a value is present: a missing (or unverifiable) value
# leaves its record out of that check's denominator. created_at is never invalid here.
CHECKED_IF_PRESENT = (*VALIDITY_FIELDS, "created_at")
ACCURACY_FIELDS = ("email", "phone", "country", "birth_date")
# Fields whose outcome (ok, missing, invalid, inaccurate) is drawn from the rates below;
# updated_at is decided with the record's history.
OUTCOME_FIELDS = ("country", "first_name", "last_name", "email", "phone", "birth_date")

EARLIEST_PLAUSIBLE_BIRTH = date(1900, 1, 1).toordinal()
STALE_AFTER_DAYS = 730


@dataclass(frozen=True)
class DefectRates:
    """Per-record, per-field probabilities of a defect being injected.

    `missing`, `invalid` and `inaccurate` are scaled per field by the *_WEIGHTS below;
    `stale` is the chance that a record was last touched long ago, on top of natural ageing.
    """

    missing: float
    invalid: float
    inaccurate: float
    stale: float


# Web forms get typos (invalid values), imports lose columns and are old, partner APIs
# validate on entry, sales reps know the customer but copy details from old notes.
CRM_RATES: dict[str, DefectRates] = {
    "web_form": DefectRates(missing=0.02, invalid=0.04, inaccurate=0.02, stale=0.03),
    "sales_rep": DefectRates(missing=0.03, invalid=0.01, inaccurate=0.04, stale=0.04),
    "event": DefectRates(missing=0.06, invalid=0.03, inaccurate=0.03, stale=0.06),
    "import": DefectRates(missing=0.09, invalid=0.03, inaccurate=0.05, stale=0.12),
    "partner_api": DefectRates(missing=0.01, invalid=0.005, inaccurate=0.02, stale=0.02),
}
BILLING_RATES = DefectRates(missing=0.004, invalid=0.003, inaccurate=0.0, stale=0.0)

MISSING_WEIGHTS = {"first_name": 0.5, "last_name": 0.3, "email": 1.0, "phone": 1.2, "country": 0.6}
INVALID_WEIGHTS = {
    "email": 1.0,
    "phone": 1.0,
    "country": 0.4,
    "birth_date": 0.6,
    "updated_at": 0.3,
}
INACCURATE_WEIGHTS = {"email": 1.0, "phone": 1.0, "country": 0.3, "birth_date": 0.6}


def outcome_thresholds(rates: DefectRates) -> dict[str, tuple[float, float, float]]:
    """Cumulative (missing, +invalid, +inaccurate) probabilities per field, for one draw."""
    thresholds = {}
    for field in OUTCOME_FIELDS:
        missing = rates.missing * MISSING_WEIGHTS.get(field, 0.0)
        invalid = missing + rates.invalid * INVALID_WEIGHTS.get(field, 0.0)
        thresholds[field] = (
            missing,
            invalid,
            invalid + rates.inaccurate * INACCURATE_WEIGHTS.get(field, 0.0),
        )
    return thresholds


# Rows of the CRM export whose contact_id is empty, or repeats an earlier row's id.
MISSING_ID_RATE = 0.0015
DUPLICATE_ID_RATE = 0.0015

# A practical e-mail syntax check, the same in spirit as the warehouse's: dot-separated
# local runs, domain labels, and a top-level domain of two or more letters.
_LOCAL_RUN = r"[^\s@\"(),:;<>\[\]\\.]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
VALID_EMAIL = re.compile(rf"{_LOCAL_RUN}(?:\.{_LOCAL_RUN})*@(?:{_LABEL}\.)+[^\W\d_]{{2,}}")


# --- invalid values -----------------------------------------------------------------


def invalid_email(rng: random.Random, address: str) -> str:
    """A malformed version of a valid address: no @, two @, inner space, no TLD, dots."""
    local, _, domain = address.partition("@")
    while True:
        roll = int(rng.random() * 7)
        if roll == 0:
            value = f"{local}{domain}"
        elif roll == 1:
            value = f"{local}@@{domain}"
        elif roll == 2:
            value = f"{local}@{domain.split('.')[0]}@{domain}"
        elif roll == 3:
            cut = 1 + int(rng.random() * (len(local) - 1)) if len(local) > 1 else 1
            value = f"{local[:cut]} {local[cut:]}@{domain}"
        elif roll == 4:
            value = f"{local}@{domain.split('.')[0]}"
        elif roll == 5:
            value = f"{address}."
        else:
            value = f"{local}..{local[-1]}@{domain}" if len(local) > 1 else f"{local}@{domain}.."
        if VALID_EMAIL.fullmatch(value.strip().lower()) is None:
            return value


def reads_as_valid_phone(raw: str, regions: tuple[str | None, ...]) -> bool:
    """True when any reasonable reader finds a valid number in `raw`.

    Tried as written and with letters dropped, '00' read as '+', against each region
    (an international '+' number needs none).
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    digits = re.sub(r"[^\d+]", "", text)
    for candidate in (text, digits) if digits != text else (text,):
        if candidate.startswith("00"):
            candidate = "+" + candidate[2:]
        for region in (None,) if candidate.startswith("+") else regions:
            try:
                number = phonenumbers.parse(candidate, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return True
    return False


def invalid_phone(
    rng: random.Random, calling_code: str, national: str, regions: tuple[str | None, ...]
) -> str:
    """Too few digits, letters in place of digits, or a number the country does not have."""
    while True:
        roll = int(rng.random() * 3)
        if roll == 0:
            keep = 2 + int(rng.random() * 2)
            value = f"+{calling_code} {national[:keep]}" if rng.random() < 0.5 else national[:keep]
        elif roll == 1:
            letters = "".join(pick(rng, "ABCDEFGHKLMNOPRSTX") for _ in range(3))
            cut = len(national) // 2
            value = f"+{calling_code} {national[:cut]} {letters}{national[cut + 3 :]}"
        else:
            length = len(national) + pick(rng, (-3, 2, 3))
            digits = "".join(str(int(rng.random() * 10)) for _ in range(max(length, 3)))
            value = f"+{calling_code} {'0' if rng.random() < 0.5 else '1'}{digits}"
        if roll == 0 or not reads_as_valid_phone(value, regions):  # 2–3 digits never are
            return value


def invalid_country(rng: random.Random) -> str:
    return pick(rng, UNRESOLVABLE_COUNTRIES)


def unparseable_date(rng: random.Random, ordinal: int) -> str:
    """A date-looking text that is no calendar date in any accepted format."""
    year = date.fromordinal(ordinal).year
    roll = int(rng.random() * 5)
    if roll == 0:
        return f"{year}-{13 + int(rng.random() * 7)}-{32 + int(rng.random() * 14)}"
    if roll == 1:
        return f"{13 + int(rng.random() * 19)}/{13 + int(rng.random() * 19)}/{year}"
    if roll == 2:
        return f"{year}-02-{30 + int(rng.random() * 2)}"
    if roll == 3:
        return f"{1 + int(rng.random() * 28):02d}.{13 + int(rng.random() * 7)}.{year}"
    return "00.00.0000"


def unparseable_timestamp(rng: random.Random, ordinal: int) -> str:
    """A timestamp whose date part is impossible ('2023-02-30 10:00:00', '0000-00-00 …')."""
    day = date.fromordinal(ordinal)
    clock = f"{int(rng.random() * 24):02d}:{int(rng.random() * 60):02d}:00"
    roll = int(rng.random() * 4)
    if roll == 0:
        return f"{day.year}-02-30 {clock}"
    if roll == 1:
        return f"{day.year}-{13 + int(rng.random() * 7)}-{day.day:02d} {clock}"
    if roll == 2:
        return "0000-00-00 00:00:00"
    return f"{day.day:02d}.{13 + int(rng.random() * 7)}.{day.year}"


def implausible_birth_date(ordinal: int) -> int:
    """The birth date a century too early, or in the 1800s when that is still after 1900."""
    day = date.fromordinal(ordinal)
    year = day.year - 100 if day.year - 100 < 1900 else 1800 + day.year % 100
    return date(year, day.month, min(day.day, 28)).toordinal()


def other_birth_date(rng: random.Random, ordinal: int, as_of: int) -> int:
    """A plausible but wrong birth date: off by a day, a year, a decade, or day/month swapped."""
    day = date.fromordinal(ordinal)
    while True:
        roll = int(rng.random() * 4)
        if roll == 0:
            candidate = ordinal + pick(rng, (-1, 1, -2, 2))
        elif roll == 1:
            candidate = ordinal + pick(rng, (-365, 365, -366, 366))
        elif roll == 2:
            candidate = ordinal + pick(rng, (-3652, 3652))
        else:
            try:
                candidate = date(day.year, day.day, day.month).toordinal()
            except ValueError:
                continue
        if candidate != ordinal and EARLIEST_PLAUSIBLE_BIRTH <= candidate <= as_of:
            return candidate


# --- truth ---------------------------------------------------------------------------

Defect = tuple[str, str, str]  # (quality_dimension, defect_type, field)
STALE = ("timeliness", "stale", "last_touched_at")
INVALID_AMOUNT = ("validity", "invalid", "amount")
NO_TOUCH = ("completeness", "missing", "last_touched_at")
_NOT_THERE = (MISSING, None)


# The defect tuples, built once (a record's defects are counted millions of times).
_MISSING_DEFECT = {field: ("completeness", "missing", field) for field in COMPLETENESS_FIELDS}
_INVALID_DEFECT = {field: ("validity", "invalid", field) for field in CHECKED_IF_PRESENT}
_INACCURATE_DEFECT = {field: ("accuracy", "inaccurate", field) for field in ACCURACY_FIELDS}


class Judgement(NamedTuple):
    """One record's truth: its defects, the validity checks its absent values skip, and the
    accuracy fields it is compared on (those with a valid value on both sides)."""

    defects: list[Defect]
    skipped: list[Defect]
    accuracy_checked: list[str]


def field_defects(
    states: dict[str, FieldState],
    billing_values: dict[str, set[str]] | None,
    stale_before: str | None,
    uncollected: frozenset[str] = frozenset(),
) -> Judgement:
    """Defects of one record from its final field states.

    `billing_values` holds the person's valid canonical billing values per field (CRM only;
    None for billing records). `stale_before` is the ISO cutoff date for timeliness, judged
    on the last known touch: a valid updated_at, else a valid created_at; a record with
    neither is stale (its freshness is unknown), and missing both is a completeness defect.
    `uncollected`: fields the record's source never collects (their state is missing);
    they are neither missing nor invalid there, and timeliness falls back to created_at.
    """
    defects: list[Defect] = []
    skipped: list[Defect] = []
    checked: list[str] = []
    for field in COMPLETENESS_FIELDS:
        if states[field][0] == MISSING and field not in uncollected:
            defects.append(_MISSING_DEFECT[field])
    for field in CHECKED_IF_PRESENT:
        state = states.get(field)
        if state is None or state[0] == OK or field in uncollected:
            continue
        if state[0] == INVALID:
            defects.append(_INVALID_DEFECT[field])
        else:
            skipped.append(_INVALID_DEFECT[field])
    if billing_values is not None:
        for field in ACCURACY_FIELDS:
            kind, value = states[field]
            if kind == OK:
                known = billing_values.get(field)
                if known:
                    checked.append(field)
                    if value not in known:
                        defects.append(_INACCURATE_DEFECT[field])
    if stale_before is not None:
        updated = states.get("updated_at", _NOT_THERE)
        created = states.get("created_at", _NOT_THERE)
        if updated[0] == OK:
            touched = updated[1]
        elif created[0] == OK:
            touched = created[1]
        else:
            touched = None
            if updated[0] == MISSING and created[0] == MISSING:
                defects.append(NO_TOUCH)
        if touched is None or touched < stale_before:
            defects.append(STALE)
    return Judgement(defects, skipped, checked)
