"""Generated dbt declarations: a dbt source per role, a table per declared source, a macro
listing them; deterministic, written only on change, and checked for staleness."""

from __future__ import annotations

import ast

import jinja2
import pytest
import yaml

from crm_quality.ingest import RawInputError
from crm_quality.ingest.__main__ import main
from crm_quality.ingest.contract import FIELD_DESCRIPTIONS
from crm_quality.ingest.dbt_declarations import (
    MACRO_PATH,
    SOURCES_PATH,
    check_dbt_declarations,
    write_dbt_declarations,
)
from python_checks.unit.fixtures.ingest.raw_dir import SOURCES_YML, make_raw_dir


def macro_result(out, role: str) -> list[str]:
    """Call the generated macro the way dbt would (`return` hands back its argument)."""
    template = (out / MACRO_PATH).read_text() + f"{{{{ declared_sources({role!r}) }}}}"
    rendered = jinja2.Environment(extensions=["jinja2.ext.do"]).from_string(template)
    return ast.literal_eval(rendered.render({"return": lambda value: value}).strip())


def test_sources_file_declares_every_source_with_what_it_collects(tmp_path):
    raw, out = make_raw_dir(tmp_path), tmp_path / "project"
    written = write_dbt_declarations(raw, out)
    assert sorted(written) == sorted([out / SOURCES_PATH, out / MACRO_PATH])
    document = yaml.safe_load((out / SOURCES_PATH).read_text(encoding="utf-8"))
    sources = {source["name"]: source for source in document["sources"]}
    assert list(sources) == ["crm", "billing", "orders"]
    tables = {table["name"]: table for table in sources["crm"]["tables"]}
    assert list(tables) == [
        "salesforce_contacts",
        "salesforce_leads",
        "hubspot",
        "hubspot_export",
        "newsletter",
    ]
    leads = tables["salesforce_leads"]
    assert leads["meta"]["file"] == "Lead.csv"
    assert leads["meta"]["preset"] == "salesforce_lead"
    assert leads["meta"]["role"] == "crm"
    assert "birth_date" in leads["meta"]["not_collected_fields"]
    assert "company_name" in leads["meta"]["collected_fields"]
    assert "Lead.csv" in leads["description"] and "salesforce_lead" in leads["description"]
    assert "Does not collect: birth_date." in leads["description"]
    columns = {column["name"]: column["description"] for column in leads["columns"]}
    assert columns["LastName"] == f"→ last_name: {FIELD_DESCRIPTIONS['last_name']}"
    assert columns["ConvertedContactId"].startswith("→ converted_contact_id")
    newsletter = tables["newsletter"]
    assert "Channel: newsletter for every row." in newsletter["description"]
    assert [column["name"] for column in newsletter["columns"]] == [
        "Vorname",
        "Nachname",
        "E-Mail",
        "Telefon",
        "Mobil",
        "Anmeldedatum",
    ]
    assert [table["name"] for table in sources["billing"]["tables"]] == ["billing_main"]
    assert [table["name"] for table in sources["orders"]["tables"]] == ["orders"]


def test_macro_lists_each_roles_sources(tmp_path):
    out = tmp_path / "project"
    write_dbt_declarations(make_raw_dir(tmp_path), out)
    assert macro_result(out, "crm") == [
        ["crm", "salesforce_contacts"],
        ["crm", "salesforce_leads"],
        ["crm", "hubspot"],
        ["crm", "hubspot_export"],
        ["crm", "newsletter"],
    ]
    assert macro_result(out, "orders") == [["orders", "orders"]]


def test_output_is_deterministic_and_written_only_on_change(tmp_path):
    raw, out = make_raw_dir(tmp_path), tmp_path / "project"
    write_dbt_declarations(raw, out)
    first = {path: (out / path).read_bytes() for path in (SOURCES_PATH, MACRO_PATH)}
    stamps = {path: (out / path).stat().st_mtime_ns for path in first}
    assert write_dbt_declarations(raw, out) == []
    assert {path: (out / path).stat().st_mtime_ns for path in first} == stamps
    other = tmp_path / "again"
    write_dbt_declarations(raw, other)
    assert {path: (other / path).read_bytes() for path in first} == first


def test_stale_declarations_are_refused_until_redeclared(tmp_path):
    raw, out = make_raw_dir(tmp_path), tmp_path / "project"
    check_dbt_declarations(raw, out)  # nothing generated yet: nothing to be stale
    write_dbt_declarations(raw, out)
    check_dbt_declarations(raw, out)
    (raw / "sources.yml").write_text(SOURCES_YML.replace("name: hubspot\n", "name: hs\n"))
    with pytest.raises(RawInputError) as caught:
        check_dbt_declarations(raw, out)
    assert str(caught.value).startswith(
        f"the dbt declarations in {str(out)!r} are out of date for CRM_RAW_DIR={str(raw)!r}"
    )
    assert str(caught.value).endswith("run `make declare`")
    assert main(["declare", "--raw-dir", str(raw), "--out", str(out), "--check"]) == 1
    assert main(["declare", "--raw-dir", str(raw), "--out", str(out)]) == 0
    check_dbt_declarations(raw, out)
    assert ["crm", "hs"] in macro_result(out, "crm")


def test_every_contract_field_has_one_description():
    from crm_quality.ingest.contract import RAW_CONTRACT

    fields = {field for table in RAW_CONTRACT.values() for field in table}
    assert set(FIELD_DESCRIPTIONS) == fields


def test_a_declared_date_order_is_in_the_sources_description(tmp_path):
    declared = SOURCES_YML.replace(
        "    channel: newsletter\n", "    channel: newsletter\n    date_order: day_first\n"
    )
    raw, out = make_raw_dir(tmp_path, sources_yml=declared), tmp_path / "project"
    write_dbt_declarations(raw, out)
    document = yaml.safe_load((out / SOURCES_PATH).read_text(encoding="utf-8"))
    (crm,) = [source for source in document["sources"] if source["name"] == "crm"]
    descriptions = {table["name"]: table["description"] for table in crm["tables"]}
    assert "D/M/YYYY or M/D/YYYY read day first (date_order)." in descriptions["newsletter"]
    assert "date_order" not in descriptions["hubspot"]
