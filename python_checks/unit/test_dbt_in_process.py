"""dbt in this process (crm_quality/dbt_in_process.py): the environment it sees, its status."""

from __future__ import annotations

import gc
import io
import os
import time
from collections import UserDict

import pytest

from crm_quality.build import build_identity
from crm_quality.dbt_in_process import (
    DBT_GC_THRESHOLD,
    REPO_ROOT,
    Invocation,
    collecting_less,
    environ,
    invoke,
)


def test_the_environment_is_the_given_one_meanwhile_and_restored_after(monkeypatch):
    monkeypatch.setenv("CRM_ONLY_OUTSIDE", "outside")
    monkeypatch.delenv("CRM_ONLY_INSIDE", raising=False)
    before = dict(os.environ)
    with environ({"CRM_ONLY_INSIDE": "inside"}):
        assert dict(os.environ) == {"CRM_ONLY_INSIDE": "inside"}
    assert dict(os.environ) == before


class SizeRecordingEnviron(UserDict):
    """A stand-in for os.environ that remembers its smallest size after any change."""

    def __init__(self, initial: dict[str, str]) -> None:
        self.smallest = len(initial)
        super().__init__(initial)

    def __setitem__(self, name: str, value: str) -> None:
        super().__setitem__(name, value)
        self.smallest = min(self.smallest, len(self.data))

    def __delitem__(self, name: str) -> None:
        super().__delitem__(name)
        self.smallest = min(self.smallest, len(self.data))


def test_the_environment_is_never_empty_while_it_changes(monkeypatch):
    """dbt's threads, and a test's readers, may read os.environ while a build swaps it."""
    recording = SizeRecordingEnviron({"HOME": "/root", "CRM_ONLY_OUTSIDE": "outside"})
    monkeypatch.setattr(os, "environ", recording)
    with environ({"CRM_ONLY_INSIDE": "inside"}):
        pass
    assert recording.smallest >= 1


class WriteRecordingEnviron(UserDict):
    """A stand-in for os.environ that remembers every variable written or removed."""

    def __init__(self, initial: dict[str, str]) -> None:
        self.written: list[str] = []
        super().__init__(initial)
        self.written.clear()  # filling it is no write of the build's

    def __setitem__(self, name: str, value: str) -> None:
        self.written.append(name)
        super().__setitem__(name, value)

    def __delitem__(self, name: str) -> None:
        self.written.append(name)
        super().__delitem__(name)


def test_an_environment_already_in_place_is_not_written_again(monkeypatch):
    """The build trains on a thread while dbt runs: a variable set meanwhile can crash the C
    library's getenv in that thread, so dbt's environ() must write nothing when the build
    already set the same environment."""
    recording = WriteRecordingEnviron({"HOME": "/root", "CRM_RAW_DIR": "data/demo"})
    monkeypatch.setattr(os, "environ", recording)
    with environ({"HOME": "/root", "CRM_RAW_DIR": "data/demo"}):
        pass
    assert recording.written == []
    with environ({"HOME": "/root", "CRM_RAW_DIR": "elsewhere"}):
        assert recording.written == ["CRM_RAW_DIR"]


def test_the_exit_status_is_the_dbt_commands():
    assert Invocation(True, "").returncode == 0
    assert Invocation(False, "").returncode == 1  # nodes failed
    assert Invocation(False, "", exception=RuntimeError("no profile")).returncode == 2


class TimedWrites(io.StringIO):
    """An echo that remembers when each text arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def write(self, text: str) -> int:
        self.times.append(time.monotonic())
        return super().write(text)


@pytest.fixture(scope="module")
def parsed_with_echo(tmp_path_factory):
    """One `dbt parse` in this process: its echo, its invocation, and the collector's
    thresholds at each collection while it ran."""
    tmp_path = tmp_path_factory.mktemp("parse")
    echo = TimedWrites()
    environment = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "CRM_DECLARED_DIR": str(tmp_path / "declared"),
        "CRM_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
    }
    parse = ["parse", "--no-partial-parse", "--target-path", str(tmp_path / "target")]
    thresholds = []

    def record(phase, info):
        if phase == "start":
            thresholds.append(gc.get_threshold())

    gc.callbacks.append(record)
    try:
        parsed = invoke(parse, environment, echo=echo)
    finally:
        gc.callbacks.remove(record)
    return echo, parsed, thresholds


def test_dbt_lines_reach_the_echo_while_dbt_runs(parsed_with_echo):
    """make build shows dbt's progress as it happens, not when the build ends."""
    echo, parsed, _ = parsed_with_echo
    assert parsed.success, parsed.output
    assert echo.getvalue() == parsed.output
    assert "Running with dbt" in echo.getvalue().splitlines()[0]
    # dbt's first line came a parse earlier than its last (a second or more).
    assert echo.times[-1] - echo.times[0] > 0.5


def test_dbt_runs_with_the_collector_collecting_less(parsed_with_echo):
    """A parse allocates enough for collections: each ran at dbt's thresholds."""
    _, _, thresholds = parsed_with_echo
    assert thresholds
    assert set(thresholds) == {DBT_GC_THRESHOLD}


def test_the_parse_reads_no_variable_that_changes_from_build_to_build(parsed_with_echo):
    """dbt parses a file again whenever an env var it read while parsing has a new value. The
    build's id and start time are new at every build, and the raw directory changes with the
    data: a parse that read them would parse the models using them again (about 1.5 s of a
    build of 2,000 people, of each of the suite's builds)."""
    _, parsed, _ = parsed_with_echo
    assert parsed.success, parsed.output
    changing = {*build_identity(), "CRM_RAW_DIR"}
    assert changing & set(parsed.result.env_vars) == set()


def test_collecting_less_leaves_the_collector_as_it_was():
    """Objects alive before are left alone meanwhile, and collectable again after."""
    before = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    alive = [object() for _ in range(1000)]
    with collecting_less():
        assert gc.get_threshold() == DBT_GC_THRESHOLD
        assert gc.get_freeze_count() >= frozen_before + len(alive)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
