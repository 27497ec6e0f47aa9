"""Every name that becomes a relation fits PostgreSQL's 63-byte identifiers."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_MAX_IDENTIFIER = 63


def _relation_names() -> list[str]:
    names = [
        path.stem
        for folder in ("models", "tests", "seeds")
        for path in (REPO_ROOT / folder).rglob("*")
        if path.suffix in (".sql", ".csv")
    ]
    for document in (REPO_ROOT / "models").rglob("*.yml"):
        content = yaml.safe_load(document.read_text(encoding="utf-8")) or {}
        names += [unit_test["name"] for unit_test in content.get("unit_tests", [])]
    return names


def test_models_tests_seeds_and_unit_tests_have_short_names() -> None:
    names = _relation_names()
    assert len(names) > 50
    too_long = [name for name in names if len(name.encode("utf-8")) > POSTGRES_MAX_IDENTIFIER]
    assert too_long == []
