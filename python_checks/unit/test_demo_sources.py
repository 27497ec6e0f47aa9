"""--layout sources: Salesforce, HubSpot and newsletter exports, and truth that knows who is
where. The files are read back here as a loader would read them, independent of the
generator's bookkeeping."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import phonenumbers
import pytest
import yaml

from crm_quality.demo import DemoConfig, generate
from crm_quality.demo.__main__ import main
from python_checks.unit.test_demo_generator import (
    is_placeholder,
    std_birth_date,
    std_country,
    std_date,
    std_email,
)

PEOPLE = 2500
SEED = 11
AS_OF = date(2026, 6, 30)
CRM_FILES = {
    "salesforce_contacts": "Contact.csv",
    "salesforce_leads": "Lead.csv",
    "hubspot": "hubspot_contacts.csv",
    "newsletter": "newsletter.csv",
}
ID_COLUMN = {"salesforce_contacts": "Id", "salesforce_leads": "Id", "hubspot": "Record ID"}
PLACEHOLDERS = {"", "null", "n/a", "-", "none"}
SF_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z")
# Every (dimension/type/field) check a source that does not collect the field must skip.
UNCOLLECTED_CHECKS = {
    "newsletter": (
        "completeness/missing/contact_id",
        "uniqueness/duplicate_id/contact_id",
        "completeness/missing/phone",
        "completeness/missing/country",
        "validity/invalid/phone",
        "validity/invalid/country",
        "validity/invalid/birth_date",
        "validity/invalid/updated_at",
        "accuracy/inaccurate/phone",
        "accuracy/inaccurate/country",
        "accuracy/inaccurate/birth_date",
    ),
    "salesforce_leads": ("validity/invalid/birth_date", "accuracy/inaccurate/birth_date"),
}


def _digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _rows(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _read_source(out: Path, name: str) -> list[dict[str, str]]:
    if name == "newsletter":
        return _rows(out / CRM_FILES[name], "cp1252", ";")
    return _rows(out / CRM_FILES[name], "utf-8-sig")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sources")
    generate(DemoConfig(PEOPLE, SEED, layout="sources"), directory, workers=1)
    return directory


@pytest.fixture(scope="module")
def files(out: Path) -> dict[str, object]:
    return {
        **{name: _read_source(out, name) for name in CRM_FILES},
        "billing": _rows(out / "billing_customers.csv"),
        "records": _rows(out / "truth_records.csv"),
        "defects": _rows(out / "truth_defects.csv"),
        "truth": json.loads((out / "truth.json").read_text(encoding="utf-8")),
    }


def _truth_by_source(files: dict) -> dict[str, list[dict[str, str]]]:
    by_source = defaultdict(list)
    for row in files["records"]:
        by_source[row["source_name"]].append(row)
    return by_source


# --- the contract layout stays as it was ------------------------------------------------


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        # Digests of the generator's contract layout (as before --layout existed) since second
        # and old e-mail addresses carry their person's number: change them only on purpose.
        (
            DemoConfig(500, 3),
            "6cac6a749766d9878c6e8755fe996b7d3441326ae3ffdd69993396da9a2b50ee",
        ),
        (
            DemoConfig(300, 5, leads=50, without=frozenset({"phone"})),
            "d7f8dc0922570f776678574fbc4582d4bb7af5969088e9b89e3c7417a3aad0ae",
        ),
    ],
)
def test_contract_layout_bytes_are_unchanged(tmp_path: Path, config, expected) -> None:
    generate(config, tmp_path, workers=1)
    assert _digest(tmp_path) == expected


def test_sources_layout_is_deterministic_serial_parallel_and_cli(tmp_path: Path) -> None:
    generate(DemoConfig(300, 9, layout="sources"), tmp_path / "a", workers=1)
    generate(DemoConfig(300, 9, layout="sources"), tmp_path / "b", workers=2)
    main(["--people", "300", "--seed", "9", "--layout", "sources", "--out", str(tmp_path / "c")])
    generate(DemoConfig(300, 10, layout="sources"), tmp_path / "d", workers=1)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") == _digest(tmp_path / "c")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "d")


def test_sources_layout_rejects_parquet() -> None:
    with pytest.raises(ValueError, match="CSV"):
        DemoConfig(10, layout="sources", fmt="parquet")
    with pytest.raises(SystemExit):
        main(["--people", "10", "--seed", "1", "--out", "/nonexistent", "--layout", "sources",
              "--format", "parquet"])  # fmt: skip


# --- the files ----------------------------------------------------------------------------


def test_writes_the_files_and_issue_10s_sources_yml(out: Path) -> None:
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [
            *CRM_FILES.values(),
            "billing_customers.csv",
            "orders.csv",
            "sources.yml",
            "truth.json",
            "truth_defects.csv",
            "truth_records.csv",
        ]
    )
    assert yaml.safe_load((out / "sources.yml").read_text(encoding="utf-8")) == {
        "crm": [
            {"name": "salesforce_contacts", "file": "Contact.csv", "preset": "salesforce_contact"},
            {"name": "salesforce_leads", "file": "Lead.csv", "preset": "salesforce_lead"},
            {"name": "hubspot", "file": "hubspot_contacts.csv", "preset": "hubspot_contact"},
            {
                "name": "newsletter",
                "file": "newsletter.csv",
                "columns": {
                    "email": "E-Mail",
                    "first_name": "Vorname",
                    "last_name": "Nachname",
                    "created_at": "Anmeldedatum",
                },
                "channel": "newsletter",
            },
        ],
        "billing": [{"name": "billing", "file": "billing_customers.csv"}],
        "orders": [{"name": "orders", "file": "orders.csv"}],
    }


def _salesforce_suffix(short: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    return "".join(
        alphabet[sum(1 << i for i, ch in enumerate(short[start : start + 5]) if ch.isupper())]
        for start in (0, 5, 10)
    )


@pytest.mark.parametrize(
    ("name", "prefix", "header"),
    [
        (
            "salesforce_contacts",
            "003",
            "Id,IsDeleted,MasterRecordId,FirstName,LastName,MailingStreet,MailingCity,"
            "MailingState,MailingPostalCode,MailingCountry,Phone,MobilePhone,Email,Birthdate,"
            "LeadSource,CreatedDate,LastModifiedDate",
        ),
        (
            "salesforce_leads",
            "00Q",
            "Id,IsDeleted,FirstName,LastName,Company,Street,City,State,PostalCode,Country,Phone,"
            "MobilePhone,Email,LeadSource,IsConverted,ConvertedContactId,ConvertedDate,"
            "CreatedDate,LastModifiedDate",
        ),
    ],
)
def test_salesforce_files_look_like_data_loader_exports(
    out: Path, files: dict, name: str, prefix: str, header: str
) -> None:
    raw = (out / CRM_FILES[name]).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == ",".join(f'"{column}"' for column in header.split(","))
    for line in lines[1:-1]:  # every field double-quoted
        (fields,) = csv.reader([line])
        assert line == ",".join('"' + value.replace('"', '""') + '"' for value in fields)
    rows = files[name]
    ids = [row["Id"] for row in rows]
    assert len(set(ids)) == len(ids)
    assert all(len(id_) == 18 and id_.startswith(prefix) for id_ in ids)
    assert all(id_[15:] == _salesforce_suffix(id_[:15]) for id_ in ids)
    assert {row["IsDeleted"] for row in rows} == {"true", "false"}
    stamps = [row[column] for row in rows for column in ("CreatedDate", "LastModifiedDate")]
    iso = sum(bool(SF_TIMESTAMP.fullmatch(stamp)) for stamp in stamps)
    assert iso / len(stamps) > 0.97  # the rest: blank or the generator's unparseable ones
    for row in rows:
        created, modified = row["CreatedDate"], row["LastModifiedDate"]
        if SF_TIMESTAMP.fullmatch(created) and SF_TIMESTAMP.fullmatch(modified):
            assert created[:10] <= modified[:10], row  # a date-only time reads as 00:00
    assert not any(row["Phone"].strip() and row["MobilePhone"].strip() for row in rows)
    mobiles = sum(bool(row["MobilePhone"].strip()) for row in rows)
    assert 0.3 * len(rows) < mobiles < 0.7 * len(rows)


def test_hubspot_file_is_hubspots_own_export(out: Path, files: dict) -> None:
    raw = (out / "hubspot_contacts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfRecord ID,First Name,Last Name,Email,Phone Number,")
    header = raw.decode("utf-8-sig").split("\n")[0].split(",")
    assert header == [
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
    ]
    ids = [row["Record ID"] for row in files["hubspot"]]
    assert all(id_.isdigit() for id_ in ids) and len(set(ids)) == len(ids)
    assert {row["Lifecycle Stage"] for row in files["hubspot"]} == {"Customer", "Lead"}


def test_newsletter_is_semicolon_windows_1252_with_german_headers(out: Path, files: dict) -> None:
    raw = (out / "newsletter.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert text.startswith("E-Mail;Vorname;Nachname;Anmeldedatum\r\n")
    assert any(letter in text for letter in "äöüß")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert {len(row) for row in rows} == {4}
    dates = [row["Anmeldedatum"] for row in files["newsletter"] if row["Anmeldedatum"]]
    assert dates and all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", value) for value in dates)


# --- truth_records against the files ------------------------------------------------------


def test_truth_records_describe_every_row_of_every_source(files: dict) -> None:
    by_source = _truth_by_source(files)
    truth = files["truth"]
    assert set(by_source) == {*CRM_FILES, "billing"}
    for name in CRM_FILES:
        rows, records = files[name], by_source[name]
        assert [int(record["row_number"]) for record in records] == list(range(1, len(rows) + 1))
        column = ID_COLUMN.get(name)
        assert [record["source_record_id"] for record in records] == [
            row[column] if column else "" for row in rows
        ]
        statuses = Counter(record["record_status"] for record in records)
        figures = truth["sources"][name]
        assert figures["rows"] == len(rows)
        assert statuses["active"] == figures["active_records"]
        assert statuses["deleted"] == figures["deleted_rows"]
        assert statuses["converted_lead"] == figures["converted_leads"]
        for row, record in zip(rows, records, strict=True):
            assert (row.get("IsDeleted") == "true") == (record["record_status"] == "deleted")
            converted = row.get("IsConverted") == "true"
            assert converted == (record["record_status"] == "converted_lead")
            assert record["source_system"] == "crm"
    assert {record["record_status"] for record in by_source["billing"]} == {"active"}
    assert truth["sources"]["salesforce_contacts"]["deleted_rows"] > 0
    assert truth["sources"]["salesforce_leads"]["deleted_rows"] > 0
    assert truth["sources"]["salesforce_leads"]["converted_leads"] > 0


def test_converted_leads_point_at_an_active_contact_of_the_same_person(files: dict) -> None:
    by_source = _truth_by_source(files)
    contacts = {record["source_record_id"]: record for record in by_source["salesforce_contacts"]}
    contact_rows = {row["Id"]: row for row in files["salesforce_contacts"]}
    converted = 0
    for row, record in zip(files["salesforce_leads"], by_source["salesforce_leads"], strict=True):
        if row["IsConverted"] != "true":
            assert row["ConvertedContactId"] == ""
            continue
        converted += 1
        contact = contacts[row["ConvertedContactId"]]
        assert contact["record_status"] == "active"
        assert contact["person_id"] == record["person_id"] != ""
        assert row["CreatedDate"] < contact_rows[row["ConvertedContactId"]]["CreatedDate"] or (
            not SF_TIMESTAMP.fullmatch(contact_rows[row["ConvertedContactId"]]["CreatedDate"])
        )
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["ConvertedDate"])
    assert converted == files["truth"]["crm_converted_leads"]


def test_merged_away_contacts_name_a_surviving_contact_of_the_same_person(files: dict) -> None:
    by_source = _truth_by_source(files)
    person_of = {
        record["source_record_id"]: record["person_id"]
        for record in by_source["salesforce_contacts"]
        if record["record_status"] == "active"
    }
    merged = 0
    for row, record in zip(
        files["salesforce_contacts"], by_source["salesforce_contacts"], strict=True
    ):
        if row["MasterRecordId"]:
            merged += 1
            assert row["IsDeleted"] == "true"
            assert person_of[row["MasterRecordId"]] == record["person_id"]
    assert merged > 0
    junk = [record for record in files["records"] if record["record_status"] == "deleted"]
    assert any(record["person_id"] == "" for record in junk)


# --- truth.json --------------------------------------------------------------------------


def test_per_source_figures_add_up_to_the_crm(files: dict) -> None:
    truth = files["truth"]
    sources = truth["sources"]
    records = files["records"]
    crm_names = [name for name, figures in sources.items() if figures["role"] == "crm"]
    assert crm_names == list(CRM_FILES)
    active = [r for r in records if r["source_system"] == "crm" and r["record_status"] == "active"]
    customers = {r["person_id"] for r in records if r["source_system"] == "billing"}
    assert sum(sources[name]["active_records"] for name in crm_names) == truth["crm_rows"]
    assert truth["crm_rows"] == len(active)
    assert truth["crm_persons"] == len({r["person_id"] for r in active})
    assert truth["crm_duplicate_records"] == truth["crm_rows"] - truth["crm_persons"]
    assert truth["actual_customers_in_crm"] == len(customers & {r["person_id"] for r in active})
    assert truth["crm_deleted_rows"] == sum(sources[name]["deleted_rows"] for name in crm_names)
    sources_of = defaultdict(set)
    for record in active:
        sources_of[record["person_id"]].add(record["source_name"])
    for name in crm_names:
        figures = sources[name]
        persons = {r["person_id"] for r in active if r["source_name"] == name}
        assert figures["rows"] == (
            figures["active_records"] + figures["deleted_rows"] + figures["converted_leads"]
        )
        assert figures["persons"] == len(persons)
        assert figures["actual_customers_in_source"] == len(persons & customers)
        assert figures["missing_customers"] == len(customers - persons)
    several = [names for names in sources_of.values() if len(names) > 1]
    assert truth["persons_in_several_crm_sources"] == len(several)
    assert truth["cross_source_duplicate_records"] == sum(len(names) - 1 for names in several)
    # Often enough to measure, and the newsletter alone knows some customers.
    assert truth["persons_in_several_crm_sources"] > 0.08 * truth["crm_persons"]
    only_newsletter = [p for p, names in sources_of.items() if names == {"newsletter"}]
    assert len(set(only_newsletter) & customers) > 10
    assert sources["billing"]["actual_customers_in_source"] == truth["actual_customers"]
    assert sources["orders"]["rows"] == truth["order_rows"]
    assert sources["newsletter"]["collected_fields"] == [
        "first_name",
        "last_name",
        "email",
        "created_at",
    ]
    assert "birth_date" not in sources["salesforce_leads"]["collected_fields"]


def test_defect_truth_leaves_uncollected_fields_out(files: dict) -> None:
    truth = files["truth"]
    by_source = truth["defect_rates_by_source"]["crm"]
    overall = truth["defect_rates"]["crm"]["all"]
    for name, checks in UNCOLLECTED_CHECKS.items():
        for key in checks:
            assert by_source[name][key] == {"records_checked": 0, "defective_records": 0}, key
    # Every check and record-level row of the CRM is the sum of its sources.
    assert set(by_source) == set(CRM_FILES)
    for key, figures in overall.items():
        for figure in ("records_checked", "defective_records"):
            assert figures[figure] == sum(by_source[name][key][figure] for name in by_source)
    newsletter = by_source["newsletter"]
    assert (
        newsletter["completeness/missing/email"]["records_checked"]
        == (truth["sources"]["newsletter"]["active_records"])
    )
    # truth_defects holds active records' defects only, and adds up to `defects`.
    statuses = {(r["source_name"], r["row_number"]): r["record_status"] for r in files["records"]}
    crm_defects = [d for d in files["defects"] if d["source_system"] == "crm"]
    assert all(statuses[d["source_name"], d["row_number"]] == "active" for d in crm_defects)
    counted = Counter(
        f"{d['quality_dimension']}/{d['defect_type']}/{d['field']}" for d in crm_defects
    )
    assert truth["defects"] == dict(sorted(counted.items()))
    per_source = Counter(
        (d["source_name"], f"{d['quality_dimension']}/{d['defect_type']}/{d['field']}")
        for d in crm_defects
    )
    for name, checks in by_source.items():
        for key, figures in checks.items():
            if "/any/" not in key:  # a record has each catalog defect at most once
                assert figures["defective_records"] == per_source[name, key], (name, key)


def _placeholder(value: str) -> bool:
    return value.strip().casefold() in PLACEHOLDERS


def test_missing_phone_means_both_salesforce_phone_columns_are_blank(files: dict) -> None:
    """The warehouse takes the first non-blank of Phone and MobilePhone."""
    missing = {
        int(d["row_number"])
        for d in files["defects"]
        if d["source_name"] == "salesforce_contacts" and d["field"] == "phone"
        and d["defect_type"] == "missing"
    }  # fmt: skip
    records = _truth_by_source(files)["salesforce_contacts"]
    for number, (row, record) in enumerate(
        zip(files["salesforce_contacts"], records, strict=True), start=1
    ):
        if record["record_status"] != "active":
            continue
        phone = row["Phone"] if row["Phone"].strip() else row["MobilePhone"]
        assert _placeholder(phone) == (number in missing)
    assert missing


def test_newsletter_timeliness_is_judged_on_the_sign_up_date(files: dict) -> None:
    stale = {
        int(d["row_number"])
        for d in files["defects"]
        if d["source_name"] == "newsletter" and d["defect_type"] == "stale"
    }
    cutoff = AS_OF - timedelta(days=files["truth"]["stale_after_days"])
    for number, row in enumerate(files["newsletter"], start=1):
        text = row["Anmeldedatum"].strip()
        day, month, year = (int(part) for part in text.split(".")) if text else (1, 1, 1)
        assert (date(year, month, day) < cutoff) == (number in stale), row
    assert stale


def test_channels_are_what_the_warehouse_computes(files: dict) -> None:
    truth = files["truth"]
    channel_columns = {
        "salesforce_contacts": "LeadSource",
        "salesforce_leads": "LeadSource",
        "hubspot": "Original Source",
    }
    found = {"all", "newsletter"}
    for name, column in channel_columns.items():
        found |= {row[column].strip().lower() or "unknown" for row in files[name]}
    assert set(truth["defect_rates"]["crm"]) == found


# Contract field → file column per source, for the checks read back from the files.
FIELD_COLUMNS = {
    "salesforce_contacts": {
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "birth_date": "Birthdate",
        "created_at": "CreatedDate",
        "updated_at": "LastModifiedDate",
    },
    "salesforce_leads": {
        "first_name": "FirstName",
        "last_name": "LastName",
        "email": "Email",
        "created_at": "CreatedDate",
        "updated_at": "LastModifiedDate",
    },
    "hubspot": {
        "first_name": "First Name",
        "last_name": "Last Name",
        "email": "Email",
        "birth_date": "Date of birth",
        "created_at": "Create Date",
        "updated_at": "Last Modified Date",
    },
    "newsletter": {
        "first_name": "Vorname",
        "last_name": "Nachname",
        "email": "E-Mail",
        "created_at": "Anmeldedatum",
    },
}


def _parses(text: str, field: str) -> bool:
    if SF_TIMESTAMP.fullmatch(text.strip()):
        return True
    parsed = (std_birth_date if field == "birth_date" else std_date)(text)
    return parsed is not None


def test_missing_and_invalid_defects_are_what_the_files_hold(files: dict) -> None:
    """Read back from each file: a name or e-mail is missing exactly where it is a
    placeholder; an e-mail, birth date or timestamp invalid exactly where it is there but
    does not parse."""
    defects = defaultdict(set)
    for row in files["defects"]:
        if row["source_system"] == "crm":
            defects[row["source_name"], int(row["row_number"])].add(
                (row["defect_type"], row["field"])
            )
    by_source = _truth_by_source(files)
    checked = Counter()
    for name, columns in FIELD_COLUMNS.items():
        for number, (row, record) in enumerate(
            zip(files[name], by_source[name], strict=True), start=1
        ):
            if record["record_status"] != "active":
                continue
            found = defects[name, number]
            for field, column in columns.items():
                raw = row[column]
                blank = is_placeholder(raw, field)
                if field in ("first_name", "last_name", "email"):
                    assert (("missing", field) in found) == blank, (name, field, raw)
                if field == "email":
                    invalid = not blank and std_email(raw) is None
                elif field in ("birth_date", "updated_at", "created_at"):
                    invalid = not blank and not _parses(raw, field)
                else:
                    continue
                assert (("invalid", field) in found) == invalid, (name, field, raw)
                checked[name, invalid] += 1
    assert all(checked[name, False] > 100 for name in FIELD_COLUMNS)
    assert sum(checked[name, True] for name in FIELD_COLUMNS) > 50


def test_salesforce_keeps_mobiles_in_mobilephone_and_landlines_in_phone(files: dict) -> None:
    kinds = {"Phone": Counter(), "MobilePhone": Counter()}
    mobile_types = {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    for row in files["salesforce_contacts"] + files["salesforce_leads"]:
        country = std_country(row.get("MailingCountry", row.get("Country", "")))
        for column, counts in kinds.items():
            try:
                number = phonenumbers.parse(row[column].strip(), country)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                counts[phonenumbers.number_type(number) in mobile_types] += 1
    assert kinds["MobilePhone"][True] > 0.9 * sum(kinds["MobilePhone"].values())
    assert kinds["Phone"][False] > 0.4 * sum(kinds["Phone"].values())
