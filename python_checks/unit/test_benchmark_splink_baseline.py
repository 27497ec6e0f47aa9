"""Splink alone, as make bench runs it, is given the build's own comparisons and blocking."""

from __future__ import annotations

from crm_quality.matching.model import load_model
from python_checks.benchmark_scripts import load_benchmark_script


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
    baseline = load_benchmark_script("splink_baseline").project_baseline(model)
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
    baseline = load_benchmark_script("splink_baseline").stock_baseline()
    settings = baseline.settings.get_settings("duckdb").as_dict()
    assert _shape(settings) != _shape(load_model()["splink_settings"])
