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
    event_messages_deferred,
    invoke,
    templates_compiled_once,
    unlogged_events_skipped,
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
    parse = [
        "parse",
        "--no-partial-parse",
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
    ]
    thresholds = []

    def record(phase, info):
        if phase == "start":
            thresholds.append(gc.get_threshold())

    gc.callbacks.append(record)
    try:
        parsed = invoke(parse, environment, echo=echo)
    finally:
        gc.callbacks.remove(record)
    log = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")
    return echo, parsed, thresholds, log


def test_dbt_lines_reach_the_echo_while_dbt_runs(parsed_with_echo):
    """make build shows dbt's progress as it happens, not when the build ends."""
    echo, parsed, _, _ = parsed_with_echo
    assert parsed.success, parsed.output
    assert echo.getvalue() == parsed.output
    assert "Running with dbt" in echo.getvalue().splitlines()[0]
    # dbt's first line came a parse earlier than its last (a second or more).
    assert echo.times[-1] - echo.times[0] > 0.5


def test_dbt_runs_with_the_collector_collecting_less(parsed_with_echo):
    """A parse allocates enough for collections: each ran at dbt's thresholds."""
    _, _, thresholds, _ = parsed_with_echo
    assert thresholds
    assert set(thresholds) == {DBT_GC_THRESHOLD}


def test_the_parse_reads_no_variable_that_changes_from_build_to_build(parsed_with_echo):
    """dbt parses a file again whenever an env var it read while parsing has a new value. The
    build's id and start time are new at every build, and the raw directory changes with the
    data: a parse that read them would parse the models using them again (about 1.5 s of a
    build of 2,000 people, of each of the suite's builds)."""
    _, parsed, _, _ = parsed_with_echo
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


def test_a_log_at_debug_still_gets_every_debug_event(parsed_with_echo):
    """The log file's level is debug unless DBT_LOG_LEVEL_FILE says otherwise: dropping the
    events no logger writes must keep those it does."""
    _, parsed, _, log = parsed_with_echo
    assert parsed.success, parsed.output
    assert "[debug]" in log


def test_events_no_logger_writes_are_dropped_before_they_become_messages():
    """A dropped event never becomes a message (the callback sees each message dbt builds);
    warnings, and the lines dbt prints at any level, always do."""
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.event_manager import EventManager
    from dbt_common.events.logger import LoggerConfig
    from dbt_common.events.types import Note, PrintEvent

    written = io.StringIO()
    built: list[tuple[str, str]] = []
    manager = EventManager()
    manager.add_logger(
        LoggerConfig(name="crm_quality_test_warn", level=EventLevel.WARN, output_stream=written)
    )
    manager.add_callback(lambda message: built.append((message.info.msg, message.info.level)))
    with unlogged_events_skipped():
        manager.fire_event(Note(msg="a query"), level=EventLevel.DEBUG)
        manager.fire_event(Note(msg="a node started"))
        manager.fire_event(Note(msg="a deprecation"), level=EventLevel.WARN)
        manager.fire_event(PrintEvent(msg="a row of dbt show"))
    assert built == [("a deprecation", "warn"), ("a row of dbt show", "info")]
    lines = written.getvalue().splitlines()  # a warning after its time, a printed line as is
    assert [lines[0].split("  ", 1)[1], lines[1]] == ["a deprecation", "a row of dbt show"]

    manager.add_logger(LoggerConfig(name="crm_quality_test_debug", level=EventLevel.DEBUG))
    built.clear()
    with unlogged_events_skipped():
        manager.fire_event(Note(msg="a query"), level=EventLevel.DEBUG)
    manager.fire_event(Note(msg="a node started"))  # after: dbt's own fire_event again
    assert built == [("a query", "debug"), ("a node started", "info")]


def test_an_event_builds_its_message_when_first_read_even_after():
    from dbt_common.events.types import Note

    with event_messages_deferred():
        read_meanwhile, read_after, written = (Note(msg=text) for text in ("a", "b", "c"))
        assert "pb_msg" not in vars(read_meanwhile)
        assert read_meanwhile.msg == "a"
    assert "pb_msg" not in vars(read_after)
    assert read_after.msg == "b"
    written.msg = "c, changed"
    assert written.pb_msg.msg == "c, changed"
    assert Note(msg="made outside").msg == "made outside"


def test_an_event_no_logger_writes_never_builds_its_message():
    """The point of deferring: a dropped event's message is never built."""
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.event_manager import EventManager
    from dbt_common.events.logger import LoggerConfig
    from dbt_common.events.types import Note

    manager = EventManager()
    manager.add_logger(LoggerConfig(name="crm_quality_test_warn", level=EventLevel.WARN))
    with event_messages_deferred(), unlogged_events_skipped():
        dropped, kept = Note(msg="a query"), Note(msg="a deprecation")
        manager.fire_event(dropped, level=EventLevel.DEBUG)
        manager.fire_event(kept, level=EventLevel.WARN)
    assert "pb_msg" not in vars(dropped)
    assert "pb_msg" in vars(kept)


def test_a_template_source_is_compiled_once_for_every_environment_alike():
    """dbt makes a new Jinja environment for each node it renders: a source compiled in one
    is not compiled again in the next, unless the environment compiles otherwise (dbt's
    native environment, its own code generator)."""
    from dbt_common.clients.jinja import get_template

    source = "{{ 1 + 1 }} {% do [].append(1) %}rendered"
    with templates_compiled_once():
        first, second = (get_template(source, {}) for _ in range(2))
        native = get_template(source, {}, native=True)
    assert first.root_render_func.__code__ is second.root_render_func.__code__
    assert native.root_render_func.__code__ is not first.root_render_func.__code__
    assert second.render({}) == "2 rendered"
    after = get_template(source, {})
    assert after.root_render_func.__code__ is not first.root_render_func.__code__
