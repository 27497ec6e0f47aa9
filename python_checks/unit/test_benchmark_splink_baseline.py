"""Splink alone, as make bench runs it, is given the build's own comparisons and blocking."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from crm_quality.matching.model import load_model

BASELINE = Path(__file__).resolve().parents[2] / "benchmarks" / "splink_baseline.py"


def _splink_baseline():
    spec = importlib.util.spec_from_file_location("splink_baseline", BASELINE)
    module = importlib.util.module_from_spec(spec)
    # Its dataclass resolves annotations through sys.modules.
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def _shape(settings: dict) -> tuple[list, list]:
    """What decides the pairs and their levels: each level's SQL, and the blocking rules."""
    levels = [
        [level["sql_condition"] for level in comparison["comparison_levels"]]
        for comparison in settings["comparisons"]
    ]
    rules = [rule["blocking_rule"] for rule in settings["blocking_rules_to_generate_predictions"]]
    return levels, rules


def test_the_project_baseline_compares_and_blocks_as_the_model_does():
    model = load_model()
    baseline = _splink_baseline().project_baseline(model)
    settings = baseline.settings.get_settings("duckdb").as_dict()
    assert _shape(settings) == _shape(model["splink_settings"])
    assert baseline.blocking_keys == tuple(
        tuple(key) for key in model["training"]["blocking"]["keys"]
    )
    assert baseline.seed == model["training"]["seed"]
    assert [list(key) for key in baseline.deterministic_keys] == model["training"][
        "deterministic_keys"
    ]
    assert [list(key) for key in baseline.em_keys] == [
        round_["key"] for round_ in model["training"]["em_rounds"]
    ]


def test_the_stock_baseline_is_not_the_project_model():
    baseline = _splink_baseline().stock_baseline()
    settings = baseline.settings.get_settings("duckdb").as_dict()
    assert _shape(settings) != _shape(load_model()["splink_settings"])
