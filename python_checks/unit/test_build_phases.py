"""A build's three dbt selections and its one set of run results (crm_quality/build.py)."""

from __future__ import annotations

import json
import threading

import pytest

from crm_quality.build import (
    _parse_beside_load,
    beside_training_selection,
    first_selection,
    main,
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


def test_dbt_parses_while_the_raw_tables_load():
    # Each side waits for the other to have started: run one after the other, they time out.
    parsing, loading = threading.Event(), threading.Event()
    phases: dict[str, list[float]] = {}

    def parse() -> str:
        parsing.set()
        assert loading.wait(5), "the load did not run while dbt parsed"
        return "parsed"

    def load() -> None:
        loading.set()
        assert parsing.wait(5), "dbt did not parse while the raw tables loaded"

    assert _parse_beside_load(parse, load, {}, phases) == "parsed"
    assert set(phases) == {"load", "dbt: parse"}


def test_a_failed_load_is_raised_after_the_parse():
    parsed = []

    def load() -> None:
        raise OSError("raw file unreadable")

    with pytest.raises(OSError, match="unreadable"):
        _parse_beside_load(lambda: parsed.append(True), load, {}, {})
    assert parsed == [True]


def test_the_phases_go_to_the_file_asked_for_and_not_to_the_output(tmp_path, capsys):
    """make build's output is dbt's and the errors; when each phase ran is for make bench."""
    phases_file = tmp_path / "phases.json"
    arguments = ["--raw-dir", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb")]
    assert main([*arguments, "--phases-file", str(phases_file)]) == 1
    printed = capsys.readouterr().out
    assert printed.startswith("error: source 'crm' (crm_contacts.csv): file not found")
    assert printed.count("\n") == 1
    phases = json.loads(phases_file.read_text(encoding="utf-8"))
    assert list(phases) == ["prepare"]
    started, ended = phases["prepare"]
    assert 0 < started <= ended
