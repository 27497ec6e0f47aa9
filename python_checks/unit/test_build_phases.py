"""A build's three dbt selections and its one set of run results (crm_quality/build.py)."""

from __future__ import annotations

from crm_quality.build import (
    beside_training_selection,
    first_selection,
    merged_run_results,
    second_selection,
)


def test_the_selections_split_the_project_around_training():
    inputs = ["+build_settings", "+int_person_records_standardized", "+int_review_labels_latest"]
    assert first_selection(["--exclude", "test_name:x"]) == [
        "--select", *inputs, "--exclude", "test_name:x",
    ]  # fmt: skip
    # Beside training: neither what training reads nor what reads its model.
    assert beside_training_selection(["--exclude", "test_name:x"]) == [
        "--exclude", *inputs, "source:matching+", "test_name:x",
    ]  # fmt: skip
    assert beside_training_selection([]) == ["--exclude", *inputs, "source:matching+"]
    assert second_selection(["--exclude", "test_name:x"]) == [
        "--select", "source:matching+", "--exclude", *inputs, "test_name:x",
    ]  # fmt: skip
    assert second_selection([]) == ["--select", "source:matching+", "--exclude", *inputs]


def test_both_phases_results_are_one_build():
    first = {"metadata": {"invocation_id": "a"}, "results": [{"unique_id": "model.p.x"}],
             "elapsed_time": 2.0}  # fmt: skip
    second = {"metadata": {"invocation_id": "b"}, "results": [{"unique_id": "test.p.y"}],
              "elapsed_time": 3.0}  # fmt: skip
    merged = merged_run_results([first, second], "build-1")
    assert merged["metadata"]["invocation_id"] == "build-1"
    assert [result["unique_id"] for result in merged["results"]] == ["model.p.x", "test.p.y"]
    assert merged["elapsed_time"] == 5.0
