"""Customer ids last: successive builds into one warehouse, each on a changed copy of the raw
data, must leave every record's id alone unless its customer merged or split.

"Unchanged" is strict: a record present in both builds whose customer holds the same records
(of those present in both builds) before and after must keep its id, with no tolerance. The
steps run in order on one warehouse; each compares its build with the one before. Independent
edits share a step (one rebuild), each test checking its own records. A rebuild of unchanged
input, which must change no id at all: test_repeatable_builds.py.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from python_checks.dbt_runner import DbtRun, generate_demo, run_dbt

pytestmark = pytest.mark.integration

PEOPLE = 1000
SEED = 20261201
XREF = "select record_key, customer_id from customer_xref"
MAP = "select * from customer_id_map order by issued_customer_id"
REMOVED_CRM_ROWS = 40
# A whole build (the matching training step runs between its two dbt selections), tests left out.
ID_MODELS = ["build", "--exclude-resource-type", "test", "unit_test"]


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


@dataclass(frozen=True)
class Step:
    """One rebuild after an edit: the record → customer id maps of the builds around it."""

    before: dict[str, str]
    after: dict[str, str]
    run: DbtRun


class Builds:
    """One raw directory edited between builds, and one warehouse built again after each edit."""

    def __init__(self, root: Path) -> None:
        self.raw = root / "raw"
        self.work = root / "build"
        generate_demo(self.raw, people=PEOPLE, seed=SEED)
        self.runs: list[DbtRun] = []
        self.xrefs: list[dict[str, str]] = []

    def build(self) -> Step:
        # Only what ids flow through (seeds included), no tests: the full build runs elsewhere.
        run = run_dbt(ID_MODELS, self.raw, self.work)
        assert run.returncode == 0, run.output[-4000:]
        self.runs.append(run)
        self.xrefs.append(dict(run.query(XREF)))
        return Step(self.xrefs[-2] if len(self.xrefs) > 1 else {}, self.xrefs[-1], run)

    def rows(self, name: str) -> list[list[str]]:
        return read_rows(self.raw / name)

    def write(self, name: str, rows: list[list[str]]) -> None:
        write_rows(self.raw / name, rows)


def customers(xref: dict[str, str]) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for record_key, customer_id in xref.items():
        members[customer_id].add(record_key)
    return members


def unchanged_records_with_new_ids(before: dict[str, str], after: dict[str, str]) -> list:
    """Records in both builds whose customer kept the same common records but whose id moved."""
    common = before.keys() & after.keys()
    members_before, members_after = customers(before), customers(after)
    moved = []
    for record_key in sorted(common):
        mates_before = members_before[before[record_key]] & common
        mates_after = members_after[after[record_key]] & common
        if mates_before == mates_after and before[record_key] != after[record_key]:
            moved.append((record_key, before[record_key], after[record_key]))
    return moved


def merged_or_split(before: dict[str, str], after: dict[str, str]) -> int:
    common = before.keys() & after.keys()
    members_before, members_after = customers(before), customers(after)
    return sum(
        members_before[before[key]] & common != members_after[after[key]] & common for key in common
    )


# --- the steps: each edits the raw copy and rebuilds, in this order --------------------------


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    builds = Builds(tmp_path_factory.mktemp("customer_ids"))
    builds.build()
    return builds


@dataclass(frozen=True)
class Additions:
    """Three independent additions, built together: each test checks its own records."""

    step: Step
    # A CRM-only customer's contact that gained a billing account (A99999999), and its id.
    prospect: tuple[str, str]
    # A contact of a customer of several CRM records, copied as C0000000, and its id.
    duplicated: tuple[str, str]
    # Record keys with a blank or repeated source id before the additions.
    suffixed: set[str]


@pytest.fixture(scope="module")
def additions(builds) -> Additions:
    run = builds.runs[-1]
    prospect = convert_a_prospect(builds, run)
    duplicated = duplicate_with_a_smaller_key(builds, run)
    suffixed = add_blank_and_repeated_ids(builds)
    return Additions(builds.build(), prospect, duplicated, suffixed)


@pytest.fixture(scope="module")
def removal(builds, additions) -> Step:
    header, *contacts = builds.rows("crm_contacts.csv")
    # Every 20th contact, so some customers lose their smallest record and some lose all.
    kept = [row for number, row in enumerate(contacts) if number % 20 != 7]
    assert len(contacts) - len(kept) >= REMOVED_CRM_ROWS
    builds.write("crm_contacts.csv", [header, *kept])
    return builds.build()


def convert_a_prospect(builds: Builds, run: DbtRun) -> tuple[str, str]:
    """Give a CRM-only customer of one record (valid e-mail, phone and birth date) a billing
    account with its details; returns its contact id and customer id."""
    contact_id, customer_id = run.query(
        "select source_id, customer_id from int_person_records_resolved "
        "where source_system = 'crm' and cluster_size = 1 and source_id is not null "
        "and email_status = 'valid' and phone_status = 'valid' and birth_date_status = 'valid' "
        "and source_record_id = source_id order by record_key limit 1"
    )[0]
    header, *contacts = builds.rows("crm_contacts.csv")
    contact = dict(zip(header, next(row for row in contacts if row[0] == contact_id), strict=True))
    billing = builds.rows("billing_customers.csv")
    account = {**contact, "account_id": "A99999999", "account_status": "active"}
    account["opened_at"] = "2026-06-01"
    billing.append([account[column] for column in billing[0]])
    builds.write("billing_customers.csv", billing)
    return contact_id, customer_id


def duplicate_with_a_smaller_key(builds: Builds, run: DbtRun) -> tuple[str, str]:
    """Copy the smallest contact of a customer of two or more CRM records and no billing account
    as C0000000 (sorting before every generated id); returns the copied id and the customer id."""
    contact_id, customer_id = run.query(
        "select min(source_id), customer_id from int_person_records_resolved "
        "where source_system = 'crm' and source_id = source_record_id group by customer_id "
        "having count(*) >= 2 and max(cluster_size) = count(*) order by customer_id limit 1"
    )[0]
    contacts = builds.rows("crm_contacts.csv")
    copy = list(next(row for row in contacts if row[0] == contact_id))
    copy[0] = "C0000000"
    contacts.append(copy)
    builds.write("crm_contacts.csv", contacts)
    return contact_id, customer_id


def add_blank_and_repeated_ids(builds: Builds) -> set[str]:
    """Five new people with an already repeated id and five with a blank id: under a numbering
    by hash order, some would sort before the rows already there. Returns the record keys with
    a blank or repeated id before."""
    suffixed = {key for key in builds.xrefs[-1] if "#" in key}
    assert suffixed, "the generated CRM has blank or repeated ids"
    contacts = builds.rows("crm_contacts.csv")
    repeated_id = next(key for key in sorted(suffixed) if not key.startswith("crm:#"))
    repeated_id = repeated_id.removeprefix("crm:").split("#")[0]
    for number in range(10):
        first_name = f"Ottoline{number}"
        row = list(contacts[1])
        row[0] = repeated_id if number < 5 else ""
        row[2], row[4], row[5] = first_name, f"{first_name}@example.org", ""
        contacts.append(row)
    builds.write("crm_contacts.csv", contacts)
    return suffixed


# --- the tests ----------------------------------------------------------------------------------


def test_a_prospect_that_converts_keeps_its_id(additions):
    contact_id, customer_id = additions.prospect
    after = additions.step.after
    assert after[f"crm:{contact_id}"] == customer_id
    assert after["billing:A99999999"] == customer_id, "the new account should join the prospect"
    assert unchanged_records_with_new_ids(additions.step.before, after) == []


def test_a_new_duplicate_with_a_smaller_key_changes_no_id(additions):
    contact_id, customer_id = additions.duplicated
    after = additions.step.after
    assert after["crm:C0000000"] == customer_id
    assert after[f"crm:{contact_id}"] == customer_id
    assert unchanged_records_with_new_ids(additions.step.before, after) == []


def test_blank_and_repeated_source_ids_keep_their_keys_and_ids(additions):
    before, after, suffixed = additions.step.before, additions.step.after, additions.suffixed
    assert suffixed <= after.keys(), "blank or repeated ids were renumbered"
    assert {key: after[key] for key in suffixed} == {key: before[key] for key in suffixed}
    assert unchanged_records_with_new_ids(before, after) == []


def test_removed_records_change_no_other_id(removal):
    before, after = removal.before, removal.after
    assert unchanged_records_with_new_ids(before, after) == []
    # Customers that merged or split are few; they are the only ones allowed to move.
    assert merged_or_split(before, after) <= 0.01 * len(before)

    id_map = {row[0]: row[1:] for row in removal.run.query(MAP)}
    current = set(after.values())
    for customer_id in set(before.values()) - current:
        target, is_current, _issued_at, retired_at = id_map[customer_id]
        assert not is_current and retired_at is not None
        assert target is None or target in current
    gone = {before[key] for key in before.keys() - after.keys()}
    assert any(id_map[customer_id][0] is None for customer_id in gone - current)
