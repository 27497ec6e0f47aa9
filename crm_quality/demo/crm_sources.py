"""--layout sources: the demo CRM as a company really holds it, in four exports.

The CRM records are the contract layout's, drawn the same way; which file holds one follows
the channel it came in through (SOURCE_OF_CHANNEL):
- sales_rep, import → salesforce_contacts (Contact.csv): reps enter contacts, imports land there;
- partner_api, event → salesforce_leads (Lead.csv): referrals and event scans start as leads;
- web_form → hubspot (hubspot_contacts.csv): the marketing site's forms feed HubSpot;
- newsletter.csv (channel 'newsletter'): the web shop's newsletter sign-ups, with web-form
  quality but only e-mail, names and sign-up date. NEWSLETTER_SIGNUP_SHARE of the CRM's people
  also sign up there, and NEWSLETTER_ONLY_SHARE of the people every other source lacks are on
  the list alone. Only people whose names Windows-1252 can write sign up (the tool would
  mangle the others).
Each record of a person draws its own channel, so a person's duplicates often sit in
different sources: cross-source duplicates.

The Salesforce files also hold rows that are no CRM record, excluded by the warehouse but
counted in its conservation check: converted leads (CONVERTED_LEAD_SHARE of contacts have
the lead they came from: IsConverted true, ConvertedContactId the contact's Id, the contact's
details, created 1–120 days before it) and recycle-bin rows (IsDeleted true, DELETED_ROW_SHARE
per active row: a copy of a real record, in Contact.csv with MasterRecordId naming the
record it was merged into, or junk like 'Test Test').

Salesforce and HubSpot assign every id, so there ids are never blank or repeated; the
newsletter has no id column. Values keep the generator's rendering and defects; timestamps
and birth dates keep their states: a valid one is written in the tool's own format on the
same day and second, a blank one empty, an unparseable one as it was.

Truth: defects are judged on active records only, with the source's uncollected fields left
out (CrmSource.collected). Which record of a person is 'the duplicate' follows the chunk's
shuffled order, as in the contract layout: its total per person is fixed, its split over
sources and channels is the warehouse survivorship's call (compare those closely, not exactly).
`cross_source_duplicate_records` counts, per person with active records in several CRM
sources, the sources beyond the first: the duplicates left once each source is deduplicated
on its own.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from crm_quality.demo import defects as dq
from crm_quality.demo.defects import MISSING, OK, FieldState
from crm_quality.demo.generator import SYSTEMS, Chunk, DemoConfig, DemoGenerator
from crm_quality.demo.phones import calling_code
from crm_quality.demo.pools import COUNTRIES
from crm_quality.demo.render import date_texts, iso_date
from crm_quality.demo.sources import (
    BILLING_COLUMNS,
    CRM_COLUMNS,
    CRM_HISTORY_DAYS,
    ORDER_COLUMNS,
    AccountPlan,
    CrmBuilder,
    SourceRecord,
)
from crm_quality.demo.truth import SourceTally, household_key, person_key
from crm_quality.demo.world import Person, Picker

NEWSLETTER_SIGNUP_SHARE = 0.12
NEWSLETTER_ONLY_SHARE = 0.25
CONVERTED_LEAD_SHARE = 0.30
DELETED_ROW_SHARE = 0.02
DELETED_COPY_SHARE = 0.7  # of deleted rows; the rest is junk
# Salesforce: a mobile number goes to MobilePhone, a landline to Phone, except that some
# users type any number into the first phone field they see.
MOBILE_IN_PHONE_SHARE = 0.2
LANDLINE_IN_MOBILE_SHARE = 0.05
NEWSLETTER = "newsletter"
ACTIVE, DELETED, CONVERTED_LEAD = "active", "deleted", "converted_lead"
JUNK = ("Test", "Test", "test@example.com")


@dataclass(frozen=True)
class CrmSource:
    """One CRM export: its file, the channels it receives and the contract fields it holds."""

    name: str
    file: str
    collected: tuple[str, ...]

    @property
    def uncollected(self) -> frozenset[str]:
        return frozenset(CRM_COLUMNS) - set(self.collected)


_PERSON = ("first_name", "last_name", "email", "phone", "street_address", "city", "postal_code")
_AUDIT = ("source_channel", "created_at", "updated_at")
CONTACTS = CrmSource(
    "salesforce_contacts",
    "Contact.csv",
    ("contact_id", *_PERSON, "country", "birth_date", *_AUDIT),
)
LEADS = CrmSource(
    "salesforce_leads", "Lead.csv", ("contact_id", *_PERSON, "country", "company_name", *_AUDIT)
)
HUBSPOT = CrmSource(
    "hubspot", "hubspot_contacts.csv", ("contact_id", *_PERSON, "country", "birth_date", *_AUDIT)
)
NEWSLETTER_LIST = CrmSource(
    NEWSLETTER, "newsletter.csv", ("first_name", "last_name", "email", "created_at")
)
CRM_SOURCES = (CONTACTS, LEADS, HUBSPOT, NEWSLETTER_LIST)
SOURCE_OF_CHANNEL = {
    "sales_rep": CONTACTS,
    "import": CONTACTS,
    "partner_api": LEADS,
    "event": LEADS,
    "web_form": HUBSPOT,
    NEWSLETTER: NEWSLETTER_LIST,
}
UNCOLLECTED_BY_CHANNEL = {
    channel: source.uncollected for channel, source in SOURCE_OF_CHANNEL.items()
}
# truth.json's `sources`: (name, role, collected contract fields), in sources.yml's order.
SOURCE_SPECS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    *((source.name, "crm", source.collected) for source in CRM_SOURCES),
    ("billing", "billing", BILLING_COLUMNS),
    ("orders", "orders", ORDER_COLUMNS),
)

SOURCES_YML = """\
crm:
  - {name: salesforce_contacts, file: Contact.csv, preset: salesforce_contact}
  - {name: salesforce_leads, file: Lead.csv, preset: salesforce_lead}
  - {name: hubspot, file: hubspot_contacts.csv, preset: hubspot_contact}
  - name: newsletter
    file: newsletter.csv
    columns: {email: E-Mail, first_name: Vorname, last_name: Nachname, created_at: Anmeldedatum}
    channel: newsletter
billing:
  - {name: billing, file: billing_customers.csv}
orders:
  - {name: orders, file: orders.csv}
"""

CONTACT_HEADER = (
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "FirstName",
    "LastName",
    "MailingStreet",
    "MailingCity",
    "MailingState",
    "MailingPostalCode",
    "MailingCountry",
    "Phone",
    "MobilePhone",
    "Email",
    "Birthdate",
    "LeadSource",
    "CreatedDate",
    "LastModifiedDate",
)
LEAD_HEADER = (
    "Id",
    "IsDeleted",
    "FirstName",
    "LastName",
    "Company",
    "Street",
    "City",
    "State",
    "PostalCode",
    "Country",
    "Phone",
    "MobilePhone",
    "Email",
    "LeadSource",
    "IsConverted",
    "ConvertedContactId",
    "ConvertedDate",
    "CreatedDate",
    "LastModifiedDate",
)
# The default column labels of HubSpot's own contact export.
HUBSPOT_HEADER = (
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Street Address",
    "City",
    "Postal Code",
    "Country/Region",
    "Date of birth",
    "Create Date",
    "Last Modified Date",
    "Original Source",
    "Lifecycle Stage",
)
NEWSLETTER_HEADER = ("E-Mail", "Vorname", "Nachname", "Anmeldedatum")

# Positions in a contract row (CRM_COLUMNS).
_ID, _CHANNEL, _FIRST, _LAST, _EMAIL, _PHONE, _STREET, _CITY, _POSTAL, _COUNTRY = range(10)
_BIRTH, _COMPANY, _CREATED, _UPDATED = range(10, 14)


def cp1252_writable(person: Person) -> bool:
    """Whether the newsletter tool's Windows-1252 file can hold the person's names."""
    try:
        (person.first.native + person.last.native).encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce id: key prefix, pod, ten base-62 digits, and the
    three-character suffix that encodes which of the first 15 characters are upper case."""
    digits = []
    for _ in range(10):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    short = f"{prefix}5g{''.join(reversed(digits))}"
    suffix = ""
    for start in (0, 5, 10):
        bits = sum(1 << i for i, ch in enumerate(short[start : start + 5]) if "A" <= ch <= "Z")
        suffix += _SUFFIX_CHARS[bits]
    return short + suffix


class IdSequence:
    """Increasing ids in file order, from a seeded start: Salesforce (with a key prefix) or
    HubSpot's numeric record ids (prefix None)."""

    def __init__(self, rng: random.Random, prefix: str | None) -> None:
        self.rng = rng
        self.prefix = prefix
        self.number = (
            62**6 + int(rng.random() * 62**6) if prefix else 10**10 + int(rng.random() * 4 * 10**10)
        )

    def __call__(self) -> str:
        self.number += 1 + int(self.rng.random() * 40)
        return salesforce_id(self.prefix, self.number) if self.prefix else str(self.number)


@dataclass(slots=True)
class SourceRow:
    """One data row of a CRM export: an active record, a converted lead or a deleted row.

    `values` is in contract order; `times` is (created, last modified) and `birth` the birth
    date, already in the file's format. `person` is None for junk.
    """

    person: Person | None
    values: list[str]
    status: str
    times: tuple[str, str]
    birth: str = ""
    record: SourceRecord | None = None
    converted_contact: SourceRow | None = None
    converted_on: str = ""
    master: SourceRow | None = None
    mobile: bool = False
    record_id: str = ""
    row_number: int = 0


def file_time(source: CrmSource, text: str, state: FieldState) -> str:
    """A timestamp as the source's tool writes it; blank when missing, as-is when invalid."""
    kind, value = state
    if kind == MISSING:
        return ""
    if kind != OK or value is None:
        return text
    if source is NEWSLETTER_LIST:
        return date_texts(date.fromisoformat(value).toordinal())[1]  # DD.MM.YYYY
    if source is HUBSPOT:
        return f"{value} {text[11:19]}" if len(text) == 19 else value
    return f"{value}T{text[11:19] if len(text) == 19 else '00:00:00'}.000Z"


def file_birth(text: str, state: FieldState) -> str:
    kind, value = state
    if kind == MISSING:
        return ""
    return value if kind == OK and value else text


def _salesforce_time(ordinal: int, seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{iso_date(ordinal)}T{hours:02d}:{rest // 60:02d}:{rest % 60:02d}.000Z"


class NewsletterBuilder(CrmBuilder):
    """Newsletter sign-ups: web-form quality, only e-mail, names and sign-up date kept."""

    SYSTEM = "newsletter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        web_form = Picker(("web_form",), (1,))
        self._channel = self._lead_channel = web_form
        self.cases = random.Random(f"{self.world.seed}/newsletter-cases")

    def _sparse_field(self, rng: random.Random) -> str:
        """A sign-up always has an e-mail; a sparse one lacks the phone instead (not kept)."""
        dropped = super()._sparse_field(rng)
        return "phone" if dropped == "email" else dropped

    def signup(self, person: Person) -> SourceRecord:
        # A sign-up is the e-mail the person shops with, typed afresh: web-form defects, but
        # not a duplicate's other inbox (with names only beside it, nobody could link it).
        record = self._record(person, duplicate=False)
        record.values[_CHANNEL] = NEWSLETTER
        for name in NEWSLETTER_LIST.uncollected & record.states.keys():
            record.states[name] = (MISSING, None)
        kind, created = record.states["created_at"]
        record.touched = (date.fromisoformat(created).toordinal(), 0) if kind == OK else None
        return record


class SourcesDemoGenerator(DemoGenerator):
    """The demo generator with the CRM spread over Salesforce, HubSpot and a newsletter."""

    def __init__(self, config: DemoConfig, systems: Sequence[str] = SYSTEMS) -> None:
        super().__init__(config, systems)
        seed = config.seed
        self.newsletter = NewsletterBuilder(
            seed, self.world, self.phones, config.as_of.toordinal(), frozenset(config.without)
        )
        self._joining = random.Random(f"{seed}/newsletter-members")
        self._signups = random.Random(f"{seed}/newsletter-signups")
        self._extras = random.Random(f"{seed}/crm-source-rows")
        self._ids = {
            CONTACTS.name: IdSequence(random.Random(f"{seed}/ids/contacts"), "003"),
            LEADS.name: IdSequence(random.Random(f"{seed}/ids/leads"), "00Q"),
            HUBSPOT.name: IdSequence(random.Random(f"{seed}/ids/hubspot"), None),
        }
        self._newsletter_only: set[int] = set()
        self._calling_codes = {code: calling_code(code) for code in COUNTRIES}
        self._row_counts = dict.fromkeys((source.name for source in CRM_SOURCES), 0)
        tally = self.tally
        tally.source_specs = SOURCE_SPECS
        tally.crm.uncollected = UNCOLLECTED_BY_CHANNEL
        tally.by_source = {
            source.name: SourceTally(uncollected=UNCOLLECTED_BY_CHANNEL) for source in CRM_SOURCES
        }

    def _joins_elsewhere(self, person: Person) -> bool:
        if self._joining.random() >= NEWSLETTER_ONLY_SHARE or not cp1252_writable(person):
            return False
        self._newsletter_only.add(person.person_id)
        return True

    def _crm_records(
        self, person: Person, billing_country: bool, leads: bool
    ) -> list[SourceRecord]:
        if person.person_id in self._newsletter_only:
            self._newsletter_only.discard(person.person_id)
            return [self.newsletter.signup(person)]
        records = super()._crm_records(person, billing_country, leads)
        if self._signups.random() < NEWSLETTER_SIGNUP_SHARE and cp1252_writable(person):
            records.append(self.newsletter.signup(person))
        return records

    def _number_crm(self, crm: list[SourceRecord], plans: dict[int, list[AccountPlan]]) -> None:
        """Defects of the active records, judged with what their source collects."""
        tally = self.tally
        seen_people: set[int] = set()
        billing_values: dict[int, dict[str, set[str]]] = {}
        for record in crm:
            tally.crm_rows += 1
            person = record.person
            channel = record.values[_CHANNEL]
            source = SOURCE_OF_CHANNEL[channel]
            for name in source.uncollected & record.states.keys():
                record.states[name] = (MISSING, None)
            known = None
            if person.is_customer:
                known = billing_values.get(person.person_id)
                if known is None:
                    known = self.planner.valid_values(person, plans[person.person_id])
                    billing_values[person.person_id] = known
            judgement = dq.field_defects(
                record.states, known, self.stale_before, source.uncollected
            )
            if person.person_id in seen_people:
                judgement.defects.append(("uniqueness", "duplicate", "record"))
            seen_people.add(person.person_id)
            record.defects = judgement.defects
            record.source_name = source.name
            tally.crm.add(channel, judgement)
            tally.by_source[source.name].add(channel, judgement)

    def _lay_out_crm(self, chunk: Chunk) -> None:
        """The chunk's rows per export, with converted leads and deleted rows, numbered."""
        rng = self._extras
        files: dict[str, list[SourceRow]] = {source.name: [] for source in CRM_SOURCES}
        for record in chunk.crm:
            source = SOURCE_OF_CHANNEL[record.values[_CHANNEL]]
            states = record.states
            times = (
                file_time(source, record.values[_CREATED], states["created_at"]),
                file_time(source, record.values[_UPDATED], states["updated_at"]),
            )
            row = SourceRow(record.person, record.values, ACTIVE, times, record=record)
            row.birth = file_birth(record.values[_BIRTH], states["birth_date"])
            row.mobile = self._in_mobile_column(rng, record)
            files[source.name].append(row)
        for contact in list(files[CONTACTS.name]):
            if rng.random() < CONVERTED_LEAD_SHARE:
                files[LEADS.name].append(self._converted_lead(rng, contact))
        for source in (CONTACTS, LEADS):
            rows = files[source.name]
            for row in [row for row in rows if row.status == ACTIVE]:
                if rng.random() < DELETED_ROW_SHARE:
                    rows.append(self._deleted_row(rng, source, row))
        for name, rows in files.items():
            rng.shuffle(rows)
            next_id = self._ids.get(name)
            for row in rows:
                self._row_counts[name] += 1
                row.row_number = self._row_counts[name]
                row.record_id = next_id() if next_id else ""
                if row.record is not None:
                    row.record.row_number, row.record.record_id = row.row_number, row.record_id
        self._count_sources(files)
        chunk.crm_files = files

    def _in_mobile_column(self, rng: random.Random, record: SourceRecord) -> bool:
        """Whether Salesforce holds the record's phone in MobilePhone rather than Phone."""
        person = record.person
        kind, value = record.states["phone"]
        national = person.phone
        if kind == OK and value:
            national = value[len(self._calling_codes[person.country]) + 1 :]
        if self.phones.is_mobile(person.country, national):
            return rng.random() >= MOBILE_IN_PHONE_SHARE
        return rng.random() < LANDLINE_IN_MOBILE_SHARE

    def _converted_lead(self, rng: random.Random, contact: SourceRow) -> SourceRow:
        """The lead a contact was converted from: its details, created before it."""
        state = contact.record.states["created_at"] if contact.record else (MISSING, None)
        as_of = self.config.as_of.toordinal()
        if state[0] == OK and state[1]:
            converted = date.fromisoformat(state[1]).toordinal()
        else:
            converted = as_of - int(rng.random() * CRM_HISTORY_DAYS)
        created = converted - 1 - int(rng.random() * 120)
        seconds = int(rng.random() * 86400)
        times = (
            _salesforce_time(created, seconds),
            _salesforce_time(converted, int(rng.random() * 86400)),
        )
        row = SourceRow(contact.person, list(contact.values), CONVERTED_LEAD, times)
        row.converted_contact = contact
        row.converted_on = iso_date(converted)
        row.mobile = contact.mobile
        return row

    def _deleted_row(self, rng: random.Random, source: CrmSource, row: SourceRow) -> SourceRow:
        """A recycle-bin row: a merged-away copy of `row`, or junk someone typed and deleted."""
        deleted_on = self.config.as_of.toordinal() - int(rng.random() * 300)
        modified = _salesforce_time(deleted_on, int(rng.random() * 86400))
        if rng.random() < DELETED_COPY_SHARE:
            # Deleted after it was created (ISO texts compare like the instants).
            times = (row.times[0], max(modified, row.times[0]))
            copy = SourceRow(row.person, list(row.values), DELETED, times)
            copy.birth, copy.mobile = row.birth, row.mobile
            copy.master = row if source is CONTACTS else None
            return copy
        values = [""] * len(CRM_COLUMNS)
        values[_CHANNEL] = row.values[_CHANNEL]
        values[_FIRST], values[_LAST], values[_EMAIL] = JUNK
        created = _salesforce_time(deleted_on - int(rng.random() * 30), 0)
        return SourceRow(None, values, DELETED, (created, modified))

    def _count_sources(self, files: dict[str, list[SourceRow]]) -> None:
        """truth.json's per-source figures and cross-source duplicates of this chunk."""
        counts = self.tally.source_counts
        sources_of: dict[int, set[str]] = defaultdict(set)
        for name, rows in files.items():
            people: dict[int, Person] = {}
            for row in rows:
                counts[name, "rows"] += 1
                if row.status == DELETED:
                    counts[name, "deleted_rows"] += 1
                elif row.status == CONVERTED_LEAD:
                    counts[name, "converted_leads"] += 1
                elif row.person is not None:
                    counts[name, "active_records"] += 1
                    people[row.person.person_id] = row.person
                    sources_of[row.person.person_id].add(name)
            counts[name, "persons"] += len(people)
            counts[name, "actual_customers_in_source"] += sum(
                person.is_customer for person in people.values()
            )
        for names in sources_of.values():
            if len(names) > 1:
                self.tally.persons_in_several_crm_sources += 1
                self.tally.cross_source_duplicate_records += len(names) - 1


# --- files ------------------------------------------------------------------------------


def _phones(row: SourceRow) -> tuple[str, str]:
    """(Phone, MobilePhone): the record's phone in one of the two."""
    phone = row.values[_PHONE]
    return ("", phone) if row.mobile else (phone, "")


def contact_line(row: SourceRow) -> list[str]:
    values = row.values
    return [
        row.record_id,
        "true" if row.status == DELETED else "false",
        row.master.record_id if row.master else "",
        values[_FIRST],
        values[_LAST],
        values[_STREET],
        values[_CITY],
        "",
        values[_POSTAL],
        values[_COUNTRY],
        *_phones(row),
        values[_EMAIL],
        row.birth,
        values[_CHANNEL],
        *row.times,
    ]


def lead_line(row: SourceRow) -> list[str]:
    values = row.values
    converted = row.converted_contact
    return [
        row.record_id,
        "true" if row.status == DELETED else "false",
        values[_FIRST],
        values[_LAST],
        values[_COMPANY],
        values[_STREET],
        values[_CITY],
        "",
        values[_POSTAL],
        values[_COUNTRY],
        *_phones(row),
        values[_EMAIL],
        values[_CHANNEL],
        "true" if converted else "false",
        converted.record_id if converted else "",
        row.converted_on,
        *row.times,
    ]


def hubspot_line(row: SourceRow) -> list[str]:
    values = row.values
    person = row.person
    return [
        row.record_id,
        values[_FIRST],
        values[_LAST],
        values[_EMAIL],
        values[_PHONE],
        values[_STREET],
        values[_CITY],
        values[_POSTAL],
        values[_COUNTRY],
        row.birth,
        *row.times,
        values[_CHANNEL],
        "Customer" if person is not None and person.is_customer else "Lead",
    ]


def newsletter_line(row: SourceRow) -> list[str]:
    values = row.values
    return [values[_EMAIL], values[_FIRST], values[_LAST], row.times[0]]


# name → (header, line renderer, encoding, csv writer options)
_FILE_FORMATS: dict[str, tuple[tuple[str, ...], Any, str, dict[str, Any]]] = {
    CONTACTS.name: (CONTACT_HEADER, contact_line, "utf-8", {"quoting": csv.QUOTE_ALL}),
    LEADS.name: (LEAD_HEADER, lead_line, "utf-8", {"quoting": csv.QUOTE_ALL}),
    HUBSPOT.name: (HUBSPOT_HEADER, hubspot_line, "utf-8-sig", {}),
    NEWSLETTER: (NEWSLETTER_HEADER, newsletter_line, "cp1252", {"delimiter": ";"}),
}


class CrmSourceFiles:
    """The four CRM exports, written chunk by chunk, and their truth rows."""

    def __init__(self, out: Path) -> None:
        self._handles = []
        self._writers = {}
        for source in CRM_SOURCES:
            header, _, encoding, options = _FILE_FORMATS[source.name]
            handle = (out / source.file).open("w", encoding=encoding, newline="")
            line_end = "\r\n" if source is NEWSLETTER_LIST else "\n"  # a Windows tool
            writer = csv.writer(handle, lineterminator=line_end, **options)
            writer.writerow(header)
            self._handles.append(handle)
            self._writers[source.name] = writer

    def write(self, chunk: Chunk) -> tuple[list[tuple], list[tuple]]:
        """Write the chunk's rows; return its truth_records and truth_defects rows."""
        record_rows: list[tuple] = []
        defect_rows: list[tuple] = []
        for name, rows in chunk.crm_files.items():
            render = _FILE_FORMATS[name][1]
            self._writers[name].writerows(render(row) for row in rows)
            for row in rows:
                person = row.person
                record_rows.append(
                    (
                        "crm",
                        row.row_number,
                        row.record_id,
                        person_key(person.person_id) if person else "",
                        ("false" if person.is_customer else "true") if person else "",
                        household_key(person.household_id) if person else "",
                        name,
                        row.status,
                    )
                )
                for defect in row.record.defects if row.record else ():
                    defect_rows.append(("crm", row.row_number, row.record_id, *defect, name))
        return record_rows, defect_rows

    def close(self) -> None:
        for handle in self._handles:
            handle.close()


def write_sources_yml(out: Path) -> None:
    (out / "sources.yml").write_text(SOURCES_YML, encoding="utf-8")
