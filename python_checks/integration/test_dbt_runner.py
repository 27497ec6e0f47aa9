"""The test builds' dbt runner: a build in a new work directory reuses the previous parse, and
dbt commands run inside the test process leave nothing of theirs behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from python_checks.dbt_runner import REPO_ROOT, generate_demo, run_dbt

pytestmark = pytest.mark.integration

FULL_PARSE = "Unable to do partial parsing"
DBT_START = "Running with dbt="


def test_a_new_work_directory_starts_from_the_previous_parse(tmp_path):
    raw = REPO_ROOT / "data" / "demo"
    first = run_dbt(["parse"], raw, tmp_path / "first")
    assert first.returncode == 0, first.output[-4000:]
    second = run_dbt(["parse"], raw, tmp_path / "second")
    assert second.returncode == 0, second.output[-4000:]
    assert FULL_PARSE not in second.output, second.output[-4000:]
    assert (tmp_path / "second" / "target" / "manifest.json").exists()


def test_a_run_with_vars_of_its_own_leaves_the_others_their_parse(tmp_path):
    """dbt parses in full when the vars differ from its saved parse's: a build with vars of its
    own must not cost the next build with the usual vars a full parse."""
    raw = REPO_ROOT / "data" / "demo"
    other_vars = {"review_sample_size": 7}
    runs = {
        name: run_dbt(["parse"], raw, tmp_path / name, variables)
        for name, variables in [
            ("usual", None),
            ("other", other_vars),
            ("usual_again", None),
            ("other_again", other_vars),
        ]
    }
    assert all(run.returncode == 0 for run in runs.values())
    assert FULL_PARSE not in runs["usual_again"].output, runs["usual_again"].output[-4000:]
    assert FULL_PARSE not in runs["other_again"].output, runs["other_again"].output[-4000:]


def test_a_layout_seen_before_starts_from_its_own_parse(tmp_path):
    """Raw directories of another layout (other declared sources) make dbt parse some sixty
    files again: a run goes back to a parse of its own layout when the process has one."""
    generated = tmp_path / "generated"
    generate_demo(generated, people=50, seed=1)
    layouts = [("generated", generated), ("demo", REPO_ROOT / "data" / "demo")]
    for name, raw in [*layouts, ("generated_again", generated)]:
        run = run_dbt(["parse"], raw, tmp_path / name)
        assert run.returncode == 0, run.output[-4000:]
    perf = json.loads((tmp_path / "generated_again" / "target" / "perf_info.json").read_text())
    assert perf["parsed_path_count"] == 0


def open_files_under(directory: Path) -> list[str]:
    """The files under `directory` this process holds open."""
    opened = []
    for descriptor in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(descriptor)
        except OSError:  # closed meanwhile (the descriptor of this listing)
            continue
        if target.startswith(str(directory.resolve())):
            opened.append(target)
    return opened


def test_each_dbt_command_in_this_process_keeps_to_its_own_files(tmp_path, capfd, monkeypatch):
    """What a dbt process of its own gave for free: after each command no file of it is open
    (the training step and publishing open and rename the warehouse), the warehouse opens
    again with another configuration, and each command printed into its own output and log
    only, once."""
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "info")  # the suite's builds log warnings only
    raw = REPO_ROOT / "data" / "demo"
    logs = []
    for name in ("first", "second"):
        run = run_dbt(["run", "--select", "build_settings"], raw, tmp_path / name)
        assert run.returncode == 0, run.output[-4000:]
        assert open_files_under(tmp_path) == []
        duckdb.connect(str(run.warehouse), read_only=True).close()
        assert run.output.count(DBT_START) == 1, run.output[-4000:]
        logs.append((tmp_path / name / "logs" / "dbt.log").read_text(encoding="utf-8"))
    first_log_now = (tmp_path / "first" / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert first_log_now == logs[0]
    assert [log.count(DBT_START) for log in logs] == [1, 1]
    assert DBT_START not in capfd.readouterr().out


def test_a_dbt_usage_error_is_reported_as_the_dbt_command_does(tmp_path):
    run = run_dbt(["run", "--no-such-option"], REPO_ROOT / "data" / "demo", tmp_path)
    assert run.returncode == 2
    assert "--no-such-option" in run.output
