"""Every engine variant of a dispatched macro (`<engine>__name`, `default__name`) is SQL some
CI build renders: it is for an engine of profiles.yml (CI builds each), its `default__` is the
one some engine falls back to, and something dispatches it."""

from __future__ import annotations

import re
from pathlib import Path

import dbt.include.global_project
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_SQL = ("macros", "models", "tests", "analyses")
VARIANT = re.compile(r"{%-?\s*macro\s+([a-z]+)__(\w+)\s*\(")
DEFINITION = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(")


def ci_engines() -> set[str]:
    """The adapter types of the targets in profiles.yml: the warehouses CI builds."""
    profile = yaml.safe_load((REPO_ROOT / "profiles.yml").read_text(encoding="utf-8"))
    return {output["type"] for output in profile["crm_quality"]["outputs"].values()}


def _sql_files(root: Path, folders=PROJECT_SQL) -> list[Path]:
    return [path for folder in folders for path in (root / folder).rglob("*.sql")]


def variants(root: Path = REPO_ROOT) -> list[tuple[str, str, str]]:
    """(engine, macro, file) of every engine variant under root/macros."""
    return [
        (engine, name, str(path.relative_to(root)))
        for path in _sql_files(root, ("macros",))
        for engine, name in VARIANT.findall(path.read_text(encoding="utf-8"))
    ]


def dispatched_by_dbt() -> set[str]:
    """Macros dbt dispatches itself (a project variant overrides dbt's own)."""
    global_project = Path(next(iter(dbt.include.global_project.__path__)))
    return {
        name
        for path in global_project.rglob("*.sql")
        for name in re.findall(r"adapter\.dispatch\(\s*'(\w+)'", path.read_text(encoding="utf-8"))
    }


def project_sql_without_definitions(root: Path = REPO_ROOT) -> str:
    """The project's SQL and dbt_project.yml with each macro's own `{% macro name(` line taken
    out: what is left calls macros."""
    texts = [path.read_text(encoding="utf-8") for path in _sql_files(root)]
    texts.append((root / "dbt_project.yml").read_text(encoding="utf-8"))
    return DEFINITION.sub("", "\n".join(texts))


def test_every_variant_is_for_an_engine_ci_builds() -> None:
    engines = ci_engines() | {"default"}
    strays = [
        f"{file}: {engine}__{name}" for engine, name, file in variants() if engine not in engines
    ]
    assert strays == [], f"variants for engines CI does not build ({sorted(engines)}): {strays}"


def test_every_default_variant_is_taken_by_some_engine() -> None:
    found = {(engine, name) for engine, name, _ in variants()}
    shadowed = [
        name
        for engine, name in found
        if engine == "default" and all((other, name) in found for other in ci_engines())
    ]
    assert shadowed == [], f"every engine has its own variant; default__ never runs: {shadowed}"


def test_every_variant_is_dispatched_by_a_macro_something_calls() -> None:
    """A variant is reached through adapter.dispatch: of a macro something calls, or inline."""
    calls = project_sql_without_definitions()
    defined = {
        name
        for path in _sql_files(REPO_ROOT, ("macros",))
        for name in DEFINITION.findall(path.read_text(encoding="utf-8"))
    }
    dbt_dispatched = dispatched_by_dbt()
    unreached = []
    for engine, name, file in variants():
        if name in dbt_dispatched:
            continue
        dispatched = re.search(rf"adapter\.dispatch\(\s*'{name}'", calls)
        called = name not in defined or re.search(rf"\b{name}\s*\(", calls)
        if not (dispatched and called):
            unreached.append(f"{file}: {engine}__{name}")
    assert unreached == [], f"variants no call reaches: {unreached}"
