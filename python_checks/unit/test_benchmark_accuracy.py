"""make bench judges the builds' clusters against the generator's truth beside their speed."""

from __future__ import annotations

from pathlib import Path

from python_checks.benchmark_scripts import load_benchmark_script


def _pairs(true: int, predicted: int, precision: float, recall: float, f1: float) -> dict:
    return {"true_pairs": true, "predicted_pairs": predicted, "correct_pairs": 0,
            "precision": precision, "recall": recall, "f1": f1}  # fmt: skip


ACCURACY = {
    "headline": {
        "crm_dedup": _pairs(160_592, 166_694, 0.961336, 0.997864, 0.97926),
        "billing_dedup": _pairs(42_291, 46_658, 0.906404, 1.0, 0.950904),
        "crm_billing_link": _pairs(885_327, 895_749, 0.988088, 0.99972, 0.99387),
        "household_merges": 2650,
    },
    "shortage": {
        "shortage_rate_pct": 11.9899,
        "true_shortage_rate_pct": 12.0183,
        "error_pct_points": -0.0284,
        "shortage_rate_low_pct": 11.9574,
        "shortage_rate_high_pct": 12.0204,
        "truth_within_bounds": True,
    },
    "duplicates": {
        "crm_duplicate_records": 124_971,
        "true_crm_duplicate_records": 121_306,
        "relative_error": 0.030213,
    },
}


def test_each_task_shows_its_pair_figures_and_the_shortage_its_error():
    bench = load_benchmark_script("run_benchmark")
    lines = bench._accuracy_lines(ACCURACY)
    assert "| CRM deduplication | 160,592 | 166,694 | 0.961336 | 0.997864 | 0.97926 |" in lines
    assert "| CRM–billing linkage | 885,327 | 895,749 | 0.988088 | 0.99972 | 0.99387 |" in lines
    summary = lines[-1]
    assert "11.9899 % against the truth's 12.0183 % (-0.0284 points" in summary
    assert "within the bounds 11.9574–12.0204 %" in summary
    assert "124,971 against 121,306 (+3.02%)" in summary
    assert summary.endswith("Households merged: 2,650.")


def test_truth_outside_the_bounds_is_said():
    bench = load_benchmark_script("run_benchmark")
    outside = {**ACCURACY, "shortage": {**ACCURACY["shortage"], "truth_within_bounds": False}}
    assert "the truth OUTSIDE the bounds" in bench._accuracy_lines(outside)[-1]


def test_a_postgresql_bench_leaves_the_clusters_to_the_cross_engine_test():
    bench = load_benchmark_script("run_benchmark")
    warehouse = bench.Warehouse("postgres", Path("unused.duckdb"))
    assert bench.clusters_accuracy(warehouse, Path("no-raw-dir")) is None
    assert "DuckDB only" in bench._accuracy_lines(None)[0]
