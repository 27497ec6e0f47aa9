"""The check catalog is the one place a check is defined, and the check models only render it.

Every entry carries its SQL (relation, applies_when, is_defective, raw_value), dbt refuses an
entry without it, no check model holds a defect condition of its own, and the docs listing
the checks are generated from the catalog.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crm_quality.check_catalog import (
    CHECK_MODELS_DIR,
    PROJECT_DIR,
    check_models,
    generated_docs,
    load_catalog,
    run_operation,
)

SQL_KEYS = ("relation", "applies_when", "is_defective", "raw_value")
KIND_PREFIX = "int_quality_checks_"
MODELS_MACRO = "macros/quality/quality_check_models.sql"


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("catalog")


@pytest.fixture(scope="module")
def catalog(work_dir) -> list[dict]:
    return load_catalog(work_dir=work_dir)


def _sql_without_comments(path: Path) -> str:
    text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return re.sub(r"--[^\n]*", "", text)


def _check_model_paths() -> list[Path]:
    return sorted((PROJECT_DIR / CHECK_MODELS_DIR).glob(f"{KIND_PREFIX}*.sql"))


def test_every_catalog_check_carries_the_sql_it_runs(catalog):
    assert len(catalog) >= 45
    missing = [
        (check["source_system"], check["quality_dimension"], check["field"], key)
        for check in catalog
        for key in SQL_KEYS
        if not str(check.get(key) or "").strip()
    ]
    assert missing == []


def test_every_relation_the_catalog_reads_is_rendered_by_one_check_model(catalog):
    models = check_models()
    relations = {check["relation"] for check in catalog}
    assert relations == set(models), "a relation no model renders, or one no check reads"
    assert {relation: len(names) for relation, names in models.items()} == dict.fromkeys(models, 1)


def test_check_models_hold_no_defect_condition_of_their_own():
    """A defect condition written in a check model would bypass the catalog (and its docs)."""
    paths = _check_model_paths()
    assert len(paths) >= 7
    for path in [*paths, PROJECT_DIR / CHECK_MODELS_DIR / "int_orders_enriched.sql"]:
        sql = _sql_without_comments(path)
        assert "is_defective" not in sql, f"{path.name} writes a defect condition"
        assert "quality_check_outcome" not in sql, f"{path.name} judges records itself"
    for path in paths:
        calls = re.findall(r"render_quality_checks\(", _sql_without_comments(path))
        assert len(calls) == 1, f"{path.name} must render its checks with render_quality_checks"


def test_the_check_models_are_listed_once_by_the_relation_they_render():
    """quality_check_models() is what the outcomes and the long form read."""
    listed = re.findall(
        rf"'([a-z_]+)': '({KIND_PREFIX}[a-z_]+)'",
        (PROJECT_DIR / MODELS_MACRO).read_text(encoding="utf-8"),
    )
    assert {relation: [model] for relation, model in listed} == check_models()
    assert listed[0][0] == "rows_read", "the spine the other check models join to comes first"


def test_dbt_refuses_a_catalog_entry_without_a_condition(catalog, work_dir):
    entry = {key: value for key, value in catalog[0].items() if key != "is_defective"}
    refused = run_operation("quality_checks_validated", work_dir, {"checks": [entry]})
    assert refused.returncode != 0
    assert "has no is_defective" in refused.stdout + refused.stderr
    twice = run_operation("quality_checks_validated", work_dir, {"checks": catalog[:1] * 2})
    assert "in the catalog twice" in twice.stdout + twice.stderr


def test_the_docs_listing_the_checks_are_generated_from_the_catalog(catalog):
    for relative, content in generated_docs(catalog).items():
        path = PROJECT_DIR / relative
        assert path.is_file(), f"{relative} is missing: python -m crm_quality.check_catalog"
        assert path.read_text(encoding="utf-8") == content, (
            f"{relative} is stale: python -m crm_quality.check_catalog"
        )
    table = generated_docs(catalog)[Path("docs") / "quality_checks.md"]
    for check in catalog:
        assert f"| {check['field']} | {check['rule']} |" in table
