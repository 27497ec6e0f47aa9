"""The var contract (macros/inputs/var_contract.sql) covers every var, and only those, in the
kinds Python reads them as."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from crm_quality.settings import SETTING_TYPES

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_FILE = REPO_ROOT / "macros" / "inputs" / "var_contract.sql"
# The kind of contract each way crm_quality.settings types a setting belongs to.
PYTHON_KINDS = {"int": {"integer"}, "float": {"number"}, "_bool": {"boolean"}}
PYTHON_KINDS.update({"_as_of": {"date"}, "_date": {"date"}, "_optional_path": {"text"}})
# Settings that are no var (build_settings renders them from the environment).
NOT_VARS = {"raw_dir", "declared_dir"}


def returned_literal(macro: str):
    """The Python literal the macro returns (`{{ return(<literal>) }}`)."""
    text = CONTRACT_FILE.read_text(encoding="utf-8")
    found = re.search(
        r"\{% macro " + macro + r"\(\) %\}\s*\{\{ return\((.*?)\) \}\}\s*\{% endmacro %\}",
        text,
        re.DOTALL,
    )
    assert found, f"{macro} not found in {CONTRACT_FILE}"
    return ast.literal_eval(found.group(1))


@pytest.fixture(scope="module")
def contract() -> dict:
    return returned_literal("var_contract")


def test_every_var_has_a_contract_and_every_contract_a_var(contract):
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert sorted(contract) == sorted(project["vars"])


def test_orderings_name_numeric_vars(contract):
    for smaller, larger, why in returned_literal("var_orderings"):
        assert contract[smaller]["kind"] in ("integer", "number"), smaller
        assert contract[larger]["kind"] in ("integer", "number"), larger
        assert why


def test_python_reads_each_setting_as_its_contract_kind(contract):
    for name, typed in SETTING_TYPES.items():
        if name in NOT_VARS:
            continue
        kind = contract[name]["kind"]
        assert kind in PYTHON_KINDS[getattr(typed, "__name__", "")], (name, kind)


def test_each_required_field_choice_has_a_status_to_judge(contract):
    """The completeness check reads <field>_status from int_person_records_standardized."""
    models = yaml.safe_load(
        (REPO_ROOT / "models" / "intermediate" / "_intermediate__models.yml").read_text("utf-8")
    )
    (standardized,) = [
        model for model in models["models"] if model["name"] == "int_person_records_standardized"
    ]
    columns = {column["name"] for column in standardized["columns"]}
    for field in contract["required_fields"]["choices"]:
        assert f"{field}_status" in columns, field


def test_the_defaults_are_among_the_choices(contract):
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    defaults = project["vars"]
    assert set(defaults["required_fields"]) <= set(contract["required_fields"]["choices"])
    assert defaults["anomaly_test_severity"] in contract["anomaly_test_severity"]["choices"]
    assert set(defaults["monitor_defect_rate_pct"]) == set(
        contract["monitor_defect_rate_pct"]["keys"]
    )
