"""Settings reach Python models one way: the build_settings model, read with `setting`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from crm_quality.settings import SETTING_TYPES, setting, settings_row
from crm_quality.standardize import validate

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def project() -> dict:
    return yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))


def test_settings_are_typed_from_rendered_text():
    settings = {
        "as_of_date": " 2026-06-30 ",
        "min_birth_date": "1950-01-01",
        "max_age_years": "99",
        "er_retrain": "True",
        "er_match_threshold": "0.9",
        "er_model_path": "",
    }
    assert setting(settings, "as_of_date") == date(2026, 6, 30)
    assert setting(settings, "min_birth_date") == date(1950, 1, 1)
    assert setting(settings, "max_age_years") == 99
    assert setting(settings, "er_retrain") is True
    assert setting(settings, "er_match_threshold") == 0.9
    assert setting(settings, "er_model_path") is None


@pytest.mark.parametrize("unset", [None, "", "None", "null"])
def test_an_unset_as_of_date_means_today(unset):
    assert setting({"as_of_date": unset}, "as_of_date") == date.today()


def test_a_setting_missing_from_the_config_is_an_error_not_a_default():
    with pytest.raises(KeyError, match="min_birth_date"):
        setting({"as_of_date": "2026-06-30"}, "min_birth_date")
    with pytest.raises(KeyError, match="min_birth_date"):
        setting(None, "min_birth_date")
    with pytest.raises(KeyError, match="unknown setting"):
        setting({"typo": "1"}, "typo")


def test_the_settings_model_renders_every_setting_from_its_var(project):
    sql = (REPO_ROOT / "models" / "settings" / "build_settings.sql").read_text(encoding="utf-8")
    rendered = dict(re.findall(r"'(\w+)': (var\('[^']+'\))", sql))
    assert "sql_text_literal(env_var('CRM_RAW_DIR', 'data/demo') if execute else '')" in sql
    assert set(rendered) | {"raw_dir", "declared_dir"} == set(SETTING_TYPES)
    for name, source in rendered.items():
        assert source == f"var('{name}')", name
        assert name in project["vars"], name


def test_settings_row_reads_the_one_row_with_nulls_as_none():
    row = settings_row(pd.DataFrame({"as_of_date": [None], "max_age_years": ["120"]}))
    assert row == {"as_of_date": None, "max_age_years": "120"}
    assert setting(row, "as_of_date") == date.today()
    with pytest.raises(ValueError, match="exactly one row"):
        settings_row(pd.DataFrame({"as_of_date": ["2026-06-30", "2026-06-30"]}))


def test_python_defaults_equal_the_var_defaults(project):
    """Callers without dbt get the same rules as a default build."""
    variables = project["vars"]
    assert validate.EARLIEST_BIRTH_DATE == date.fromisoformat(variables["min_birth_date"])
    assert validate.MAX_AGE_YEARS == variables["max_age_years"]
    assert validate.EARLIEST_ORDER_DATE == date.fromisoformat(variables["min_order_date"])
    assert validate.FUTURE_SLACK_DAYS == variables["future_slack_days"]
