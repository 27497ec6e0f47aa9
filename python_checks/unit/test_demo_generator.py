"""The demo generator: deterministic files whose truth matches what is really in them.

Values are checked with small reference standardizers written here (phonenumbers for
phones), independent of the generator's own bookkeeping.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import phonenumbers
import pytest
import yaml

from crm_quality.demo import DemoConfig, DemoGenerator, country_aliases, generate
from crm_quality.demo import defects as dq
from crm_quality.demo.__main__ import main
from crm_quality.demo.phones import PhoneBook, calling_code
from crm_quality.demo.pools import COUNTRIES, CURRENCY
from crm_quality.demo.sources import BILLING_COLUMNS, CRM_COLUMNS
from crm_quality.demo.world import World
from crm_quality.standardize import (
    PERSON_FIELD_TYPES,
    PERSON_INPUT_COLUMNS,
    clean_text,
    load_country_aliases,
    resolve_country,
    standardize_people,
)

AS_OF = date(2026, 6, 30)
PEOPLE = 4000
SEED = 11
REPO_ROOT = Path(__file__).resolve().parents[2]


# --- reference standardizers ------------------------------------------------------------


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


ALIASES = {_key(spelling): code for spelling, code in country_aliases().items()}
PLACEHOLDERS = {"", "null", "n/a", "-", "none"}
# Names people carry are never placeholders for a name ('Null', 'Nil', 'Na').
NAME_PLACEHOLDERS = {"", "n/a", "-"}
EMAIL = re.compile(r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d")


def is_placeholder(raw: str, field: str = "") -> bool:
    tokens = NAME_PLACEHOLDERS if field in ("first_name", "last_name") else PLACEHOLDERS
    return raw.strip().casefold() in tokens


# The amount rule (README): '.' decimals; with ',' and '.', the rightmost is the decimal
# separator and the other groups thousands; one separator repeated over 3-digit groups
# groups thousands; one ',' before 1–2 digits is a decimal comma; one separator before
# exactly three digits is ambiguous.
_AMOUNT_RULES = (
    (r"\d{1,3}[.,]\d{3}", lambda text: ""),  # ambiguous
    (r"\d+(\.\d+)?", lambda text: text),
    (r"\d{1,3}(,\d{3})+\.\d+", lambda text: text.replace(",", "")),
    (r"\d{1,3}(\.\d{3})+,\d+", lambda text: text.replace(".", "").replace(",", ".")),
    (
        r"\d{1,3}(,\d{3}){2,}|\d{1,3}(\.\d{3}){2,}",
        lambda text: text.replace(",", "").replace(".", ""),
    ),
    (r"\d+,\d{1,2}", lambda text: text.replace(",", ".")),
)


def std_amount(raw: str) -> float | None:
    text = raw.strip()
    for pattern, rewrite in _AMOUNT_RULES:
        if re.fullmatch(pattern, text):
            rewritten = rewrite(text)
            return float(rewritten) if rewritten else None
    return None


def std_country(raw: str) -> str | None:
    return ALIASES.get(_key(raw))


def std_email(raw: str) -> str | None:
    text = raw.strip().lower()
    return text if EMAIL.fullmatch(text) else None


def std_phone(raw: str, region: str | None) -> str | None:
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def std_date(raw: str) -> date | None:
    text = raw.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").date()
    except ValueError:
        return None


def std_birth_date(raw: str) -> date | None:
    parsed = std_date(raw)
    if parsed is None or parsed > AS_OF or parsed < date(1900, 1, 1):
        return None
    return parsed


# --- fixtures -------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(DemoConfig(PEOPLE, SEED), out, workers=1)
    return out


@pytest.fixture(scope="module")
def files(demo_dir: Path) -> dict[str, object]:
    return {
        "crm": read_csv(demo_dir / "crm_contacts.csv"),
        "billing": read_csv(demo_dir / "billing_customers.csv"),
        "orders": read_csv(demo_dir / "orders.csv"),
        "records": read_csv(demo_dir / "truth_records.csv"),
        "defects": read_csv(demo_dir / "truth_defects.csv"),
        "truth": json.loads((demo_dir / "truth.json").read_text(encoding="utf-8")),
    }


@pytest.fixture(scope="module")
def chunks() -> list:
    """The same run in memory, with each record's final field states."""
    return list(DemoGenerator(DemoConfig(PEOPLE, SEED)).chunks())


def defects_by_row(files: dict, system: str) -> dict[int, set[tuple[str, str]]]:
    found: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for row in files["defects"]:
        if row["source_system"] == system:
            found[int(row["row_number"])].add((row["defect_type"], row["field"]))
    return found


def person_of(files: dict, system: str) -> dict[int, str]:
    return {
        int(row["row_number"]): row["person_id"]
        for row in files["records"]
        if row["source_system"] == system
    }


# --- determinism ----------------------------------------------------------------------


def _file_bytes(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(DemoConfig(300, seed), tmp_path / name, workers=1)
    first, again, other = (_file_bytes(tmp_path / name) for name in "abc")
    assert first == again
    assert sorted(first) == [
        "billing_customers.csv",
        "crm_contacts.csv",
        "orders.csv",
        "truth.json",
        "truth_defects.csv",
        "truth_records.csv",
    ]
    assert all(first[name] != other[name] for name in first)


def test_parallel_processes_and_hash_seeds_do_not_change_the_bytes(tmp_path: Path) -> None:
    generate(DemoConfig(300, 9), tmp_path / "serial", workers=1)
    generate(DemoConfig(300, 9), tmp_path / "parallel", workers=2)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    command = [sys.executable, "-m", "crm_quality.demo", "--people", "300", "--seed", "9"]
    subprocess.run([*command, "--out", str(tmp_path / "cli")], check=True, env=env)
    serial = _file_bytes(tmp_path / "serial")
    assert _file_bytes(tmp_path / "parallel") == serial
    assert _file_bytes(tmp_path / "cli") == serial


def test_cli_prints_a_one_line_summary(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    arguments = ["--people", "200", "--seed", "3", "--out", str(tmp_path), "--as-of", "2025-12-31"]
    assert main(arguments) == 0
    line = capsys.readouterr().out.strip()
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert "\n" not in line
    assert f"crm_contacts={truth['crm_rows']}" in line
    assert f"orders={truth['order_rows']}" in line
    assert truth["as_of_date"] == "2025-12-31"


def test_parquet_holds_the_same_rows_as_csv(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    generate(DemoConfig(200, 4), tmp_path / "csv", workers=1)
    generate(DemoConfig(200, 4, fmt="parquet"), tmp_path / "parquet", workers=1)
    for name in ("crm_contacts", "billing_customers", "orders"):
        table = pq.read_table(tmp_path / "parquet" / f"{name}.parquet")
        rows = read_csv(tmp_path / "csv" / f"{name}.csv")
        assert table.to_pylist() == rows
    assert (tmp_path / "csv" / "truth.json").read_bytes() == (
        tmp_path / "parquet" / "truth.json"
    ).read_bytes()


# --- truth.json against the files -----------------------------------------------------


def test_truth_counts_match_the_files(files: dict) -> None:
    truth, records = files["truth"], files["records"]
    crm_people = [row["person_id"] for row in records if row["source_system"] == "crm"]
    billing_people = {row["person_id"] for row in records if row["source_system"] == "billing"}
    assert truth["people"] == PEOPLE
    assert truth["crm_rows"] == len(files["crm"]) == len(crm_people)
    assert truth["billing_rows"] == len(files["billing"]) == len(records) - len(crm_people)
    assert truth["order_rows"] == len(files["orders"])
    assert truth["actual_customers"] == len(billing_people)
    assert truth["actual_customers_in_crm"] == len(billing_people & set(crm_people))
    assert (
        truth["missing_customers"] == truth["actual_customers"] - truth["actual_customers_in_crm"]
    )
    assert sum(truth["missing_by_country"].values()) == truth["missing_customers"]
    assert truth["crm_persons"] == len(set(crm_people))
    assert truth["crm_prospects"] == len(set(crm_people) - billing_people)
    assert truth["crm_duplicate_records"] == len(crm_people) - len(set(crm_people))
    assert truth["shortage_rate_pct"] == round(
        truth["missing_customers"] / truth["actual_customers"] * 100, 4
    )
    assert truth["naive_shortage_rate_pct"] == round(
        (truth["billing_rows"] - truth["crm_rows"]) / truth["billing_rows"] * 100, 4
    )
    households = {row["household_id"] for row in records if row["household_id"]}
    assert truth["households"] >= len(households) > 0

    for system, key in (
        ("crm", "defects"),
        ("billing", "billing_defects"),
        ("orders", "order_defects"),
    ):
        counted = Counter(
            f"{row['quality_dimension']}/{row['defect_type']}/{row['field']}"
            for row in files["defects"]
            if row["source_system"] == system
        )
        assert truth[key] == dict(sorted(counted.items()))


def test_truth_rows_point_at_the_written_rows(files: dict) -> None:
    ids = {
        "crm": [row["contact_id"] for row in files["crm"]],
        "billing": [row["account_id"] for row in files["billing"]],
        "orders": [row["order_id"] for row in files["orders"]],
    }
    for row in files["records"] + files["defects"]:
        assert ids[row["source_system"]][int(row["row_number"]) - 1] == row["source_record_id"]
    prospects = {row["person_id"] for row in files["records"] if row["is_prospect"] == "true"}
    assert prospects
    assert not any(
        row["person_id"] in prospects
        for row in files["records"]
        if row["source_system"] == "billing"
    )


def test_world_shape_follows_the_configured_shares(files: dict) -> None:
    truth = files["truth"]
    assert 0.76 < truth["actual_customers"] / PEOPLE < 0.84
    assert 0.09 < truth["shortage_rate_pct"] / 100 < 0.15
    assert 0.12 < truth["crm_prospects"] / truth["crm_persons"] < 0.18
    assert 0.10 < truth["crm_duplicate_records"] / truth["crm_persons"] < 0.18
    billing_people = Counter(
        row["person_id"] for row in files["records"] if row["source_system"] == "billing"
    )
    second_accounts = sum(count > 1 for count in billing_people.values()) / len(billing_people)
    assert 0.03 < second_accounts < 0.07
    assert set(truth["missing_by_country"]) <= set(ALIASES.values())
    assert max(truth["missing_by_country"], key=truth["missing_by_country"].get) in ("DE", "US")


# --- people and households ------------------------------------------------------------


def test_households_share_surname_address_and_landline_but_are_different_people(
    chunks: list,
) -> None:
    households = defaultdict(list)
    people = [person for chunk in chunks for person in chunk.people]
    for person in people:
        if person.household_id:
            households[person.household_id].append(person)
    share = sum(len(members) for members in households.values()) / len(people)
    assert 0.05 < share < 0.11
    lookalikes = Counter()
    for members in households.values():
        assert 2 <= len(members) <= 4
        assert len({(p.last, p.street, p.postal, p.city, p.phone, p.country) for p in members}) == 1
        assert len({p.person_id for p in members}) == len(members)
        firsts = {p.first.native for p in members}
        births = {p.birth for p in members}
        if len(members) == 2 and len(births) == 1:  # twins
            assert len(firsts) == 2
            lookalikes["twins"] += 1
        elif len(members) == 2 and len(firsts) == 1:  # Jr. and Sr.
            assert abs(members[0].birth - members[1].birth) > 15 * 365
            lookalikes["junior"] += 1
        else:
            assert len(firsts) == len(births) == len(members)
    assert lookalikes["twins"] and lookalikes["junior"]

    # Shared e-mail addresses: a household's first two members, or colleagues' 'info@'.
    by_email: dict[str, list] = defaultdict(list)
    for person in people:
        by_email[person.email].append(person)
    shared = {email: group for email, group in by_email.items() if len(group) > 1}
    family = [group for group in shared.values() if group[0].household_id]
    colleagues = [group for email, group in shared.items() if email.startswith("info@")]
    assert len(family) > 5 and len(colleagues) > 5
    assert len(family) + len(colleagues) == len(shared)
    for group in family:
        assert len(group) == 2 and len({p.household_id for p in group}) == 1
    for group in colleagues:
        assert 2 <= len(group) <= 3 and not any(p.household_id for p in group)
        assert len({(p.company, p.country) for p in group}) == 1
        assert len({p.street for p in group}) == len(group)
    sharing = sum(len(group) for group in shared.values()) / len(people)
    assert sharing < 0.05
    singles_phones = [person.phone for person in people if not person.household_id]
    assert len(set(singles_phones)) == len(singles_phones)


def test_second_and_old_addresses_belong_to_one_person_each() -> None:
    """No two people give one personal address: a second or old address (a CRM's inaccurate
    e-mail) is its person's alone, and no one's first. Drawn per source pass, untagged, they
    collided with namesakes' as the population grew, and the collisions merged strangers."""
    world = World(11, 60_000, PhoneBook())
    people = [person for chunk in iter(lambda: world.chunk(5_000), []) for person in chunk]
    rng = random.Random(3)
    owners: dict[str, set[int]] = defaultdict(set)
    for person in people:
        for address in (world.alt_email(rng, person), world.other_email(rng, person)):
            owners[address].add(person.person_id)
    assert len(people) == 60_000
    assert {address: ids for address, ids in owners.items() if len(ids) > 1} == {}
    assert owners.keys().isdisjoint(person.email for person in people)
    # The second address is the same on every use, in every pass.
    assert world.alt_email(rng, people[7]) == world.alt_email(random.Random(4), people[7])


def test_households_look_alike_in_the_exported_rows(files: dict) -> None:
    """Members' clean billing rows share surname, street and landline; names and births differ.

    A member's second account may carry another (mobile) number, so phones must overlap.
    """
    member_of = {
        int(row["row_number"]): (row["household_id"], row["person_id"])
        for row in files["records"]
        if row["source_system"] == "billing" and row["household_id"]
    }
    defects = defects_by_row(files, "billing")
    households: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for number, row in enumerate(files["billing"], start=1):
        if number in member_of and not defects[number]:
            household, person = member_of[number]
            households[household][person].append(row)
    compared = 0
    for members in households.values():
        if len(members) < 2:
            continue
        compared += 1
        rows = [row for person_rows in members.values() for row in person_rows]
        assert len({row["last_name"].strip().casefold() for row in rows}) == 1
        assert len({_key(row["street_address"]) for row in rows}) == 1
        phones = [
            {std_phone(row["phone"], std_country(row["country"])) for row in person_rows}
            for person_rows in members.values()
        ]
        assert set.intersection(*phones)
        # Every member differs in first name or birth date (twins share the one, a father
        # and son the other).
        identities = {
            (row["first_name"].strip().casefold(), std_birth_date(row["birth_date"]))
            for person_rows in members.values()
            for row in person_rows
        }
        assert len(identities) >= len(members)
    assert compared > 10


def test_names_are_written_in_their_locale(files: dict) -> None:
    names = {row["first_name"].strip() for row in files["billing"]} | {
        row["last_name"].strip() for row in files["billing"]
    }
    assert {"王", "伟"} & names or any("\u4e00" <= ch <= "\u9fff" for ch in "".join(names))
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in "".join(names))
    assert any(name in names for name in ("José", "Müller", "François", "Zoë", "Zoé"))
    accented = [name for name in names if not name.isascii() and name[0].isascii()]
    assert len(accented) > 20


# --- values and their rendering -------------------------------------------------------


def test_billing_phones_without_defects_are_valid_numbers(files: dict) -> None:
    defects = defects_by_row(files, "billing")
    checked = 0
    for number, row in enumerate(files["billing"], start=1):
        if ("missing", "phone") in defects[number] or ("invalid", "phone") in defects[number]:
            continue
        region = std_country(row["country"])
        text = row["phone"].strip()
        if text.startswith("00"):
            text = "+" + text[2:]
        parsed = phonenumbers.parse(text, region)
        assert phonenumbers.is_valid_number(parsed), row["phone"]
        checked += 1
    assert checked > 0.97 * len(files["billing"])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def test_every_rendered_value_standardizes_to_its_true_state(chunks: list) -> None:
    """Messy rendering never changes a value; missing and invalid values really are."""
    crm_index = {name: CRM_COLUMNS.index(name) for name in CRM_COLUMNS}
    billing_index = {name: index - 1 for name, index in crm_index.items() if 2 <= index <= 10}
    checked = Counter()
    for chunk in chunks:
        for records, index in ((chunk.crm, crm_index), (chunk.billing, billing_index)):
            for record in records:
                raw = {name: record.values[position] for name, position in index.items()}
                states = record.states
                country = std_country(raw["country"])
                standardized = {
                    "first_name": raw["first_name"].strip() or None,
                    "last_name": raw["last_name"].strip() or None,
                    "email": std_email(raw["email"]),
                    "phone": std_phone(raw["phone"], country),
                    "country": country,
                    "birth_date": _iso(std_birth_date(raw["birth_date"])),
                }
                for stamp in ("created_at", "updated_at"):
                    if stamp in states:
                        standardized[stamp] = _iso(std_date(raw[stamp]))
                if country is None and states["phone"][0] != dq.MISSING:
                    # A national number without a country is read in the person's country.
                    standardized["phone"] = std_phone(raw["phone"], record.person.country)
                for field, (kind, value) in states.items():
                    if kind == dq.MISSING:
                        assert is_placeholder(raw[field], field), (field, raw[field])
                    elif kind == dq.INVALID:
                        assert not is_placeholder(raw[field], field), (field, raw[field])
                        assert standardized[field] is None, (field, raw[field])
                    elif kind == dq.UNVERIFIABLE:
                        assert field == "phone" and country is None, raw
                        assert std_phone(raw["phone"], None) is None, raw
                        assert standardized["phone"] is not None, raw
                    elif field in ("first_name", "last_name"):
                        assert not is_placeholder(raw[field], field)
                        written = " ".join(raw[field].split())
                        assert written.upper().casefold() == value.upper().casefold()
                    else:
                        assert standardized[field] == value, (field, raw[field], value)
                    checked[kind] += 1
    assert checked[dq.OK] > 40_000 and checked[dq.MISSING] > 500 and checked[dq.INVALID] > 300
    assert checked[dq.UNVERIFIABLE] > 3


def test_messy_formats_all_occur(files: dict) -> None:
    crm = files["crm"]
    phones = [row["phone"].strip() for row in crm]
    phone_patterns = {
        "e164": r"\+\d{8,15}",
        "international": r"\+\d{1,3} [\d -]+",
        "dashed": r"00\d{1,3}-[\d-]+",
        "us_national": r"\(\d{3}\) \d{3}-\d{4}",
        "trunk_national": r"0\d{1,4} [\d ]+",
        "digits": r"0?\d{9,11}",
    }
    for name, pattern in phone_patterns.items():
        assert any(re.fullmatch(pattern, phone) for phone in phones), name

    countries = Counter(row["country"] for row in crm)
    stripped = {value.strip() for value in countries}
    assert {"DE", "DEU", "Germany", "Deutschland", "Allemagne", "USA", "U.S."} <= stripped
    assert {"United States of America", "中国", "日本"} <= stripped
    assert {value.casefold() for value in stripped} >= {"españa", "schweiz"}
    assert any(value != value.strip() for value in countries)
    assert any(value.strip().islower() and len(value.strip()) > 3 for value in countries)
    assert any(value.strip().isupper() and len(value.strip()) > 3 for value in countries)

    births = [row["birth_date"].strip() for row in crm]
    for pattern in (r"\d{4}-\d{2}-\d{2}", r"\d{2}\.\d{2}\.\d{4}", r"\d{4}/\d{2}/\d{2}"):
        assert sum(bool(re.fullmatch(pattern, value)) for value in births) > 50, pattern
    stamps = [row["created_at"] for row in crm] + [row["updated_at"] for row in crm]
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", value) for value in stamps)
    assert any(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", value) for value in stamps)
    assert any(re.fullmatch(r"\d{4}/\d{2}/\d{2}", value) for value in stamps)

    emails = [row["email"] for row in crm]
    assert any(value != value.strip() for value in emails)
    assert any(value.strip().isupper() for value in emails if "@" in value)
    names = [row["first_name"] for row in crm] + [row["last_name"] for row in crm]
    assert any(value.isupper() and len(value) > 3 for value in names)
    assert any(value != value.strip() for value in names)
    streets = [row["street_address"] for row in crm]
    assert any("  " in value.strip() for value in streets + names + list(countries))
    tokens = {value.strip() for value in emails + phones + names if is_placeholder(value)}
    assert {"", "-"} <= tokens
    assert {token.casefold() for token in tokens} >= {"null", "n/a", "none"}
    assert any(token not in ("", "-") and not token.isupper() for token in tokens)
    assert any("," in row["company_name"] for row in crm)


def test_source_channels_and_orders_look_right(files: dict) -> None:
    channels = Counter(row["source_channel"] for row in files["crm"])
    assert set(channels) == set(dq.CHANNELS)
    currencies = {"EUR", "USD", "GBP", "CNY", "JPY", "CHF"}
    account_ids = {row["account_id"] for row in files["billing"]}
    per_account = Counter(row["account_id"] for row in files["orders"])
    assert max(per_account.values()) <= 15
    first_day = AS_OF - timedelta(days=5 * 365)
    invalid = defects_by_row(files, "orders")
    separated = 0
    for number, row in enumerate(files["orders"], start=1):
        assert row["account_id"] in account_ids
        assert row["currency"] in currencies
        amount = std_amount(row["amount"])
        assert (amount is None) == (("invalid", "amount") in invalid[number]), row["amount"]
        assert amount is None or amount > 0
        separated += not re.fullmatch(r"\d+\.\d{2}", row["amount"])
        assert first_day <= date.fromisoformat(row["order_date"]) <= AS_OF
    # Amounts with separators are a few percent; the ambiguous ones ('8,000') a few.
    assert 0.02 < separated / len(files["orders"]) < 0.08
    assert 0 < sum(map(len, invalid.values())) < 0.01 * len(files["orders"])
    assert {row["account_status"] for row in files["billing"]} == {"active", "closed", "suspended"}


# --- defects --------------------------------------------------------------------------


def test_contact_id_defects_are_what_they_claim(files: dict) -> None:
    defects = defects_by_row(files, "crm")
    seen: set[str] = set()
    missing = duplicated = 0
    for number, row in enumerate(files["crm"], start=1):
        contact_id = row["contact_id"]
        if ("missing", "contact_id") in defects[number]:
            assert contact_id == ""
            missing += 1
        elif ("duplicate_id", "contact_id") in defects[number]:
            assert contact_id in seen
            duplicated += 1
        else:
            assert contact_id and contact_id not in seen
        seen.add(contact_id)
    assert missing > 0 and duplicated > 0


def test_duplicate_records_are_every_record_after_a_persons_first(files: dict) -> None:
    defects = defects_by_row(files, "crm")
    persons = person_of(files, "crm")
    seen: set[str] = set()
    for number in range(1, len(files["crm"]) + 1):
        assert (("duplicate", "record") in defects[number]) == (persons[number] in seen)
        seen.add(persons[number])


def test_stale_means_the_last_touch_is_older_than_730_days_or_unknown(files: dict) -> None:
    """The last touch: a valid updated_at, else a valid created_at; none is stale too."""
    defects = defects_by_row(files, "crm")
    cutoff = AS_OF - timedelta(days=730)
    stale = blank_updated = untouched = 0
    for number, row in enumerate(files["crm"], start=1):
        updated, created = std_date(row["updated_at"]), std_date(row["created_at"])
        blank = is_placeholder(row["updated_at"]), is_placeholder(row["created_at"])
        assert (("invalid", "updated_at") in defects[number]) == (updated is None and not blank[0])
        assert created is not None or blank[1]
        touched = updated or created
        is_stale = touched is None or touched < cutoff
        assert (("stale", "last_touched_at") in defects[number]) == is_stale
        assert (("missing", "last_touched_at") in defects[number]) == (blank == (True, True))
        assert touched is None or touched != cutoff  # never on the boundary day
        stale += is_stale
        blank_updated += blank[0]
        untouched += touched is None
    rows = len(files["crm"])
    assert 0.1 < stale / rows < 0.3
    assert 0.01 < blank_updated / rows < 0.04 and 0 < untouched < 0.006 * rows


def test_inaccurate_means_valid_but_unlike_every_valid_billing_value(files: dict) -> None:
    billing_persons = person_of(files, "billing")
    billing_values: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for number, row in enumerate(files["billing"], start=1):
        for field, value in _accuracy_values(row).items():
            if value is not None:
                billing_values[billing_persons[number]][field].add(value)
    crm_persons = person_of(files, "crm")
    # A phone without a country is read in the one country the person's other rows carry.
    countries: dict[str, set] = defaultdict(set)
    for system in ("crm", "billing"):
        persons = person_of(files, system)
        for number, row in enumerate(files[system], start=1):
            countries[persons[number]].add(std_country(row["country"]))
    defects = defects_by_row(files, "crm")
    flagged = Counter()
    for number, row in enumerate(files["crm"], start=1):
        known = billing_values.get(crm_persons[number])
        others = countries[crm_persons[number]] - {None}
        fallback = next(iter(others)) if len(others) == 1 else None
        for field, value in _accuracy_values(row, fallback).items():
            expected = bool(known and known[field] and value is not None)
            expected = expected and value not in known[field]
            assert (("inaccurate", field) in defects[number]) == expected, (field, row)
            flagged[field] += expected
    assert all(flagged[field] > 5 for field in dq.ACCURACY_FIELDS)


def _accuracy_values(row: dict[str, str], fallback: str | None = None) -> dict[str, object]:
    country = std_country(row["country"])
    return {
        "email": std_email(row["email"]),
        "phone": std_phone(row["phone"], country or fallback),
        "country": country,
        "birth_date": std_birth_date(row["birth_date"]),
    }


def test_defect_counts_follow_the_configured_rates(files: dict) -> None:
    truth = files["truth"]
    channels = Counter(row["source_channel"] for row in files["crm"])

    def expected(kind: str, field: str) -> float:
        weights = {"missing": dq.MISSING_WEIGHTS, "invalid": dq.INVALID_WEIGHTS}[kind]
        return sum(
            count * getattr(dq.CRM_RATES[channel], kind) * weights[field]
            for channel, count in channels.items()
        )

    for field in ("first_name", "last_name", "country"):
        observed = truth["defects"].get(f"completeness/missing/{field}", 0)
        assert 0.65 * expected("missing", field) < observed < 1.4 * expected("missing", field)
    for field in ("email", "phone"):  # sparse duplicates add to the injected gaps
        observed = truth["defects"][f"completeness/missing/{field}"]
        assert 0.8 * expected("missing", field) < observed < 1.9 * expected("missing", field)
    for field in dq.VALIDITY_FIELDS:
        observed = truth["defects"][f"validity/invalid/{field}"]
        assert 0.65 * expected("invalid", field) < observed < 1.4 * expected("invalid", field)

    billing_rows = truth["billing_rows"]
    billing_missing = sum(
        count for key, count in truth["billing_defects"].items() if "/missing/" in key
    )
    rate = dq.BILLING_RATES.missing * sum(dq.MISSING_WEIGHTS.values())
    assert billing_missing < 2.5 * rate * billing_rows
    assert sum(truth["billing_defects"].values()) < 0.2 * sum(truth["defects"].values())
    assert not any(key.startswith(("accuracy", "timeliness")) for key in truth["billing_defects"])


def test_invalid_values_use_the_documented_shapes() -> None:
    import random

    rng = random.Random(1)
    for _ in range(200):
        assert std_email(dq.invalid_email(rng, "jose.garcia84@gmail.com")) is None
        raw = dq.invalid_phone(rng, "49", "15123456789", ("DE",))
        assert std_phone(raw, "DE") is None and std_phone(raw, None) is None
        assert std_country(dq.invalid_country(rng)) is None
        assert std_date(dq.unparseable_date(rng, date(1985, 3, 7).toordinal())) is None
        assert std_date(dq.unparseable_timestamp(rng, date(2024, 1, 31).toordinal())) is None
    wrong = dq.other_birth_date(rng, date(1985, 3, 7).toordinal(), AS_OF.toordinal())
    assert date.fromordinal(wrong) != date(1985, 3, 7)
    assert date.fromordinal(dq.implausible_birth_date(date(2003, 2, 28).toordinal())).year < 1900


def test_crm_and_billing_describe_the_same_people_across_chunks(tmp_path: Path) -> None:
    """Each system is rendered in its own pass over the world; draws one system makes (other
    emails, other phones) must not change the people the other pass sees."""
    from crm_quality.standardize import parse_date

    out = tmp_path / "chunks"
    # Large enough that email draws collide with later people's addresses.
    generate(DemoConfig(12_000, SEED, chunk_people=2_000), out, workers=1)

    def birth_dates(system: str, file_name: str) -> dict[str, set]:
        with (out / file_name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        with (out / "truth_records.csv").open(encoding="utf-8", newline="") as handle:
            owners = {
                int(row["row_number"]): row["person_id"]
                for row in csv.DictReader(handle)
                if row["source_system"] == system
            }
        with (out / "truth_defects.csv").open(encoding="utf-8", newline="") as handle:
            bad = {
                int(row["row_number"])
                for row in csv.DictReader(handle)
                if row["source_system"] == system and row["field"] == "birth_date"
            }
        found: dict[str, set] = defaultdict(set)
        for number, row in enumerate(rows, start=1):
            if number not in bad:
                found[owners[number]].add(parse_date(row["birth_date"]))
        return found

    crm, billing = (
        birth_dates("crm", "crm_contacts.csv"),
        birth_dates("billing", "billing_customers.csv"),
    )
    shared = set(crm) & set(billing)
    assert len(shared) > 5_000
    assert [person for person in shared if crm[person] != billing[person]] == []


# --- scenarios: --without and --countries ---------------------------------------------


def defect_rows(directory: Path) -> list[tuple[str, ...]]:
    return [tuple(row.values()) for row in read_csv(directory / "truth_defects.csv")]


def assert_truth_json_counts_the_defect_file(directory: Path) -> None:
    truth = json.loads((directory / "truth.json").read_text(encoding="utf-8"))
    for system, key in (
        ("crm", "defects"),
        ("billing", "billing_defects"),
        ("orders", "order_defects"),
    ):
        counted = Counter("/".join(row[3:]) for row in defect_rows(directory) if row[0] == system)
        assert truth[key] == dict(sorted(counted.items()))


SCENARIO_PEOPLE = 800
SCENARIO_SEED = 23
# Columns each --without value empties (street_address stands for the whole address).
DROPPED_COLUMNS = {
    "email": ("email",),
    "phone": ("phone",),
    "birth_date": ("birth_date",),
    "street_address": ("street_address", "city", "postal_code"),
}
SOURCE_FILES = ("crm_contacts.csv", "billing_customers.csv", "orders.csv")


def warehouse_required_fields() -> tuple[str, ...]:
    """The fields whose absence the warehouse counts (dbt var required_fields)."""
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return tuple(project["vars"]["required_fields"])


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plain")
    generate(DemoConfig(SCENARIO_PEOPLE, SCENARIO_SEED), out, workers=1)
    return out


@pytest.mark.parametrize("dropped", sorted(DROPPED_COLUMNS))
def test_without_a_field_empties_it_and_leaves_every_other_value_alone(
    plain_run: Path, tmp_path: Path, dropped: str
) -> None:
    generate(DemoConfig(SCENARIO_PEOPLE, SCENARIO_SEED, without=frozenset({dropped})), tmp_path)
    columns = DROPPED_COLUMNS[dropped]
    for name in SOURCE_FILES:
        before, after = read_csv(plain_run / name), read_csv(tmp_path / name)
        assert len(after) == len(before)
        assert list(after[0]) == list(before[0])  # the column stays in the export
        for old, new in zip(before, after, strict=True):
            assert {column: new[column] for column in columns if column in new} == {
                column: "" for column in columns if column in old
            }
            assert {key: value for key, value in new.items() if key not in columns} == {
                key: value for key, value in old.items() if key not in columns
            }
    assert any(row[columns[0]].strip() for row in read_csv(plain_run / "crm_contacts.csv"))
    # The same people behind the same rows.
    assert (tmp_path / "truth_records.csv").read_bytes() == (
        plain_run / "truth_records.csv"
    ).read_bytes()

    # Defects: none left on the dropped field, and every record missing it where the
    # warehouse counts that field's absence.
    expected = {row for row in defect_rows(plain_run) if row[5] != dropped}
    if dropped in warehouse_required_fields():
        expected |= {
            (row["source_system"], row["row_number"], row["source_record_id"])
            + ("completeness", "missing", dropped)
            for row in read_csv(plain_run / "truth_records.csv")
        }
    found = defect_rows(tmp_path)
    assert len(found) == len(set(found))
    assert set(found) == expected
    assert_truth_json_counts_the_defect_file(tmp_path)

    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    plain = json.loads((plain_run / "truth.json").read_text(encoding="utf-8"))
    assert truth.pop("without") == [dropped]
    for key in ("defects", "billing_defects", "defect_rates"):
        del truth[key], plain[key]
    assert truth == plain


def test_without_email_counts_every_record_missing_its_email(tmp_path: Path) -> None:
    generate(DemoConfig(SCENARIO_PEOPLE, SCENARIO_SEED, without=frozenset({"email"})), tmp_path)
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert truth["defects"]["completeness/missing/email"] == truth["crm_rows"] > 0
    assert truth["billing_defects"]["completeness/missing/email"] == truth["billing_rows"] > 0
    for key in ("validity/invalid/email", "accuracy/inaccurate/email"):
        assert key not in truth["defects"] and key not in truth["billing_defects"]
    assert truth["defects"]["validity/invalid/phone"] > 0  # the other fields keep theirs


def test_scenarios_are_deterministic_in_one_or_two_processes_and_from_the_cli(
    tmp_path: Path,
) -> None:
    config = DemoConfig(300, 9, without=frozenset({"phone"}), countries=("KR", "BR"))
    generate(config, tmp_path / "serial", workers=1)
    generate(config, tmp_path / "parallel", workers=2)
    cli = ["--people", "300", "--seed", "9", "--without", "phone", "--countries", "br,kr"]
    assert main([*cli, "--out", str(tmp_path / "cli")]) == 0
    serial = _file_bytes(tmp_path / "serial")
    assert _file_bytes(tmp_path / "parallel") == serial
    assert _file_bytes(tmp_path / "cli") == serial


def test_unknown_fields_and_countries_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="name"):
        DemoConfig(10, without=frozenset({"name"}))
    with pytest.raises(ValueError, match="XX"):
        DemoConfig(10, countries=("KR", "XX"))
    base = ["--people", "10", "--seed", "1", "--out", str(tmp_path)]
    for option, value in (("--without", "email,name"), ("--countries", "KR,XX")):
        with pytest.raises(SystemExit) as raised:
            main([*base, option, value])
        assert raised.value.code == 2
    assert not (tmp_path / "truth.json").exists()


# The scenario of the integration tests: two new countries and one of the default mix.
NEW_COUNTRIES = ("KR", "BR", "JP")


@pytest.fixture(scope="module")
def new_country_config() -> DemoConfig:
    return DemoConfig(1500, 31, countries=NEW_COUNTRIES)


@pytest.fixture(scope="module")
def new_country_chunks(new_country_config: DemoConfig) -> list:
    return list(DemoGenerator(new_country_config).chunks())


@pytest.fixture(scope="module")
def new_country_dir(
    tmp_path_factory: pytest.TempPathFactory, new_country_config: DemoConfig
) -> Path:
    out = tmp_path_factory.mktemp("countries")
    generate(new_country_config, out, workers=1)
    return out


def test_countries_restrict_the_population_in_their_renormalised_weights(
    new_country_chunks: list, new_country_dir: Path
) -> None:
    people = Counter(person.country for chunk in new_country_chunks for person in chunk.people)
    assert set(people) == {"KR", "BR", "JP"}
    total = sum(people.values())
    # Pool weights KR 5, BR 8, JP 7 out of 20.
    for code, share in (("KR", 0.25), ("BR", 0.40), ("JP", 0.35)):
        assert people[code] / total == pytest.approx(share, abs=0.04)
    truth = json.loads((new_country_dir / "truth.json").read_text(encoding="utf-8"))
    assert truth["countries"] == ["JP", "KR", "BR"]
    assert set(truth["missing_by_country"]) <= {"KR", "BR", "JP"}
    assert_truth_json_counts_the_defect_file(new_country_dir)


def _person_frame(records: list, columns: tuple[str, ...]) -> pd.DataFrame:
    """The records' person columns as the warehouse's standardizer takes them."""
    positions = {raw: columns.index(raw.removesuffix("_raw")) for raw in PERSON_INPUT_COLUMNS}
    return pd.DataFrame(
        {raw: [record.values[index] for record in records] for raw, index in positions.items()}
    )


def test_the_warehouse_standardizers_read_the_new_countries_as_the_truth_says(
    new_country_chunks: list, lookups
) -> None:
    """Country spellings, phones, e-mails and dates of KR and BR records, read by the
    warehouse's own standardizer with its seeds, give exactly the generator's field states."""
    checked = Counter()
    for system, columns in (("crm", CRM_COLUMNS), ("billing", BILLING_COLUMNS)):
        records = [record for chunk in new_country_chunks for record in getattr(chunk, system)]
        read = standardize_people(_person_frame(records, columns), lookups, AS_OF)
        for record, (_, row) in zip(records, read.iterrows(), strict=True):
            for field, (kind, value) in record.states.items():
                if field in ("created_at", "updated_at") or is_judged_after_clustering(
                    record, field
                ):
                    continue  # timestamps are read elsewhere
                if is_a_placeholder_to_the_warehouse(field, value, lookups):
                    continue
                status = {dq.OK: "valid", dq.MISSING: "missing", dq.INVALID: "invalid"}[kind]
                assert row[f"{field}_status"] == status, (system, field, record.values)
                if kind == dq.OK and field in ("email", "phone", "country"):
                    assert row[field] == value, (system, field, record.values)
                elif kind == dq.OK and field == "birth_date":
                    assert row[field].date().isoformat() == value
                checked[record.person.country, kind] += 1
    for code in ("KR", "BR"):
        assert checked[code, dq.OK] > 3000 and checked[code, dq.INVALID] > 10


def is_judged_after_clustering(record, field: str) -> bool:
    """A national phone on a record without a country: judged against the golden country."""
    if field != "phone" or record.states["country"][0] == dq.OK:
        return False
    if record.states["phone"][0] == dq.UNVERIFIABLE:
        return True
    phone = record.values[
        (CRM_COLUMNS if len(record.values) == len(CRM_COLUMNS) else BILLING_COLUMNS).index("phone")
    ].strip()
    return record.states["phone"][0] == dq.OK and not phone.startswith(("+", "00"))


def is_a_placeholder_to_the_warehouse(field: str, value: str | None, lookups) -> bool:
    placeholders = lookups.placeholders(PERSON_FIELD_TYPES[field])
    return value is not None and clean_text(value, placeholders) is None


def test_the_romanized_korean_surname_na_is_a_name_to_the_warehouse(
    new_country_chunks: list, lookups
) -> None:
    records = [
        record
        for chunk in new_country_chunks
        for record in chunk.crm
        if record.states["last_name"] == (dq.OK, "Na")
    ]
    assert records  # the scenario holds such records, so the gap shows in its build
    read = standardize_people(_person_frame(records, CRM_COLUMNS), lookups, AS_OF)
    assert set(read["last_name_status"]) == {"valid"}


def _column(record, columns: tuple[str, ...], name: str) -> str:
    """The rendered value, trimmed and single-spaced (rendering pads and doubles spaces)."""
    return " ".join(record.values[columns.index(name)].split())


def test_korean_and_brazilian_records_are_written_the_local_way(new_country_chunks: list) -> None:
    crm = [record for chunk in new_country_chunks for record in chunk.crm]
    billing = [record for chunk in new_country_chunks for record in chunk.billing]
    clean = [record for record in billing if not record.defects]

    def of(records: list, code: str) -> list:
        return [record for record in records if record.person.country == code]

    def hangul(text: str) -> bool:
        return any("\uac00" <= ch <= "\ud7a3" for ch in text)

    for record in of(clean, "KR"):
        assert hangul(_column(record, BILLING_COLUMNS, "last_name")), record.values
        assert re.fullmatch(r"\d{5}", _column(record, BILLING_COLUMNS, "postal_code"))
        assert re.fullmatch(
            r"\S+로 \d+(, \d+동 \d+호)?", _column(record, BILLING_COLUMNS, "street_address")
        )
        phone = std_phone(_column(record, BILLING_COLUMNS, "phone"), "KR")
        assert phone is not None and phone.startswith("+82")
    for record in of(clean, "BR"):
        assert len(record.person.last.native.split()) >= 2
        assert re.fullmatch(r"\d{5}-\d{3}", _column(record, BILLING_COLUMNS, "postal_code"))
        assert re.fullmatch(
            r"(Rua|Avenida|Travessa) .+, \d+( - Apto \d+)?",
            _column(record, BILLING_COLUMNS, "street_address"),
            re.IGNORECASE,  # billing upper-cases a few values
        )
        phone = std_phone(_column(record, BILLING_COLUMNS, "phone"), "BR")
        assert phone is not None and phone.startswith("+55")

    korean_surnames = Counter(record.person.last.latin for record in of(billing, "KR"))
    assert korean_surnames.most_common(1)[0][0] == "kim" and "na" in korean_surnames
    # CRM staff type some Korean names in Latin letters and record some Brazilians under
    # their last surname only.
    romanized = [
        record
        for record in of(crm, "KR")
        if _column(record, CRM_COLUMNS, "last_name").casefold() == record.person.last.latin
    ]
    assert 0.2 < len(romanized) / len(of(crm, "KR")) < 0.4
    short = [
        record
        for record in of(crm, "BR")
        if _column(record, CRM_COLUMNS, "last_name").casefold()
        == record.person.last.native.split()[-1].casefold()
    ]
    assert 0.2 < len(short) / len(of(crm, "BR")) < 0.4


def test_orders_of_new_countries_are_in_their_currencies(new_country_dir: Path) -> None:
    orders = read_csv(new_country_dir / "orders.csv")
    assert {row["currency"] for row in orders} == {"KRW", "BRL", "JPY"}
    for row in orders:
        amount = std_amount(row["amount"])
        if row["currency"] == "KRW" and amount is not None:  # no minor unit
            assert amount == int(amount)


def test_seeds_know_every_country_spelling_currency_and_calling_code_written(
    seed_dir: Path,
) -> None:
    aliases = load_country_aliases(seed_dir / "country_aliases.csv")
    written = country_aliases()
    assert {"KR", "BR"} <= set(written.values()) == set(COUNTRIES)
    unknown = {
        spelling: code
        for spelling, code in written.items()
        if resolve_country(spelling, aliases) != code
    }
    assert unknown == {}
    currencies = {row["currency_code"] for row in read_csv(seed_dir / "currencies.csv")}
    assert set(CURRENCY) == set(COUNTRIES)
    assert set(CURRENCY.values()) <= currencies
    countries = {row["country_code"]: row for row in read_csv(seed_dir / "countries.csv")}
    for code in COUNTRIES:
        assert countries[code]["calling_code"] == calling_code(code)


# --- awkward cases and leads --------------------------------------------------------------


def test_joint_accounts_repeat_the_first_holders_id_and_contact(files: dict) -> None:
    """A joint account: a housemate's row with the first holder's account id, e-mail and
    phone; only the repeat is a defect, and the account's orders are written once."""
    defects = defects_by_row(files, "billing")
    persons = person_of(files, "billing")
    households = {
        row["person_id"]: row["household_id"]
        for row in files["records"]
        if row["source_system"] == "billing"
    }
    rows_of: dict[str, list[int]] = defaultdict(list)
    for number, row in enumerate(files["billing"], start=1):
        rows_of[row["account_id"]].append(number)
    joint = {account: numbers for account, numbers in rows_of.items() if len(numbers) > 1}
    assert joint
    for numbers in joint.values():
        first, second = (files["billing"][number - 1] for number in numbers)
        assert len(numbers) == 2
        assert persons[numbers[0]] != persons[numbers[1]]
        assert households[persons[numbers[0]]] == households[persons[numbers[1]]] != ""
        assert std_email(first["email"]) == std_email(second["email"])
        assert {frozenset(defects[number]) for number in numbers} == {
            frozenset(),
            frozenset({("duplicate_id", "account_id")}),
        }
    flagged = sum(("duplicate_id", "account_id") in found for found in defects.values())
    assert flagged == len(joint)
    assert len({row["order_id"] for row in files["orders"]}) == len(files["orders"])


def test_placeholder_like_names_are_names(files: dict) -> None:
    """Na, Nil and Null are written as people's names and are never counted missing."""
    for system in ("crm", "billing"):
        defects = defects_by_row(files, system)
        seen = Counter()
        for number, row in enumerate(files[system], start=1):
            for field in ("first_name", "last_name"):
                written = row[field].strip().casefold()
                if written in ("na", "nil", "null"):
                    assert ("missing", field) not in defects[number], row
                    seen[written] += 1
                elif ("missing", field) in defects[number]:
                    assert written in NAME_PLACEHOLDERS, row
        assert set(seen) == {"na", "nil", "null"}, (system, seen)


def test_national_phones_without_a_country_are_judged_by_the_persons_other_records(
    chunks: list,
) -> None:
    """Valid when another record of the person gives a country, else unverifiable."""
    judged = Counter()
    for chunk in chunks:
        for record in chunk.crm:
            phone = record.values[CRM_COLUMNS.index("phone")].strip()
            kind, value = record.states["phone"]
            national = phone and not phone.startswith(("+", "00"))
            no_country = record.states["country"][0] == dq.MISSING
            if not (no_country and national) or kind in (dq.INVALID, dq.MISSING):
                continue
            assert kind in (dq.OK, dq.UNVERIFIABLE), (phone, kind)
            assert std_phone(phone, None) is None
            if kind == dq.OK:
                assert std_phone(phone, record.person.country) == value
            judged[kind] += 1
    assert judged[dq.OK] > 10 and judged[dq.UNVERIFIABLE] > 3


LEADS = 250


@pytest.fixture(scope="module")
def lead_dirs(tmp_path_factory: pytest.TempPathFactory, plain_run: Path) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("leads")
    assert (
        main(
            [
                "--people",
                str(SCENARIO_PEOPLE),
                "--seed",
                str(SCENARIO_SEED),
                "--leads",
                str(LEADS),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return plain_run, out


def test_leads_add_crm_only_people_and_leave_everything_else_alone(lead_dirs) -> None:
    plain, leads = lead_dirs
    for name in ("billing_customers.csv", "orders.csv"):
        assert (leads / name).read_bytes() == (plain / name).read_bytes()
    before, after = (read_csv(path / "crm_contacts.csv") for path in (plain, leads))
    assert after[: len(before)] == before
    added = after[len(before) :]
    assert len(added) >= LEADS
    channels = Counter(row["source_channel"] for row in added)
    assert channels["web_form"] + channels["event"] > 0.6 * len(added)

    records = [
        row for row in read_csv(leads / "truth_records.csv") if row["source_system"] == "crm"
    ]
    lead_people = {row["person_id"] for row in records[len(before) :]}
    assert len(lead_people) == LEADS
    assert all(int(person[1:]) > SCENARIO_PEOPLE for person in lead_people)
    assert {row["is_prospect"] for row in records[len(before) :]} == {"true"}

    truth = json.loads((leads / "truth.json").read_text(encoding="utf-8"))
    plain_truth = json.loads((plain / "truth.json").read_text(encoding="utf-8"))
    assert truth["leads"] == LEADS and truth["people"] == SCENARIO_PEOPLE
    assert truth["crm_prospects"] == plain_truth["crm_prospects"] + LEADS
    assert truth["actual_customers"] == plain_truth["actual_customers"]
    assert truth["shortage"]["overall"]["all"]["crm_only_customers"] == truth["crm_prospects"]
    assert_truth_json_counts_the_defect_file(leads)


def test_help_documents_the_leads_option() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "crm_quality.demo", "--help"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "--leads N" in completed.stdout and "CRM-only" in completed.stdout
