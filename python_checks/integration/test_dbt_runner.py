"""The test builds' dbt runner: a build in a new work directory reuses the previous parse."""

from __future__ import annotations

import pytest

from python_checks.dbt_runner import REPO_ROOT, run_dbt

pytestmark = pytest.mark.integration

FULL_PARSE = "Unable to do partial parsing"


def test_a_new_work_directory_starts_from_the_previous_parse(tmp_path):
    raw = REPO_ROOT / "data" / "demo"
    first = run_dbt(["parse"], raw, tmp_path / "first")
    assert first.returncode == 0, first.output[-4000:]
    second = run_dbt(["parse"], raw, tmp_path / "second")
    assert second.returncode == 0, second.output[-4000:]
    assert FULL_PARSE not in second.output, second.output[-4000:]
    assert (tmp_path / "second" / "target" / "manifest.json").exists()
