"""dbt commands run inside this process (dbt's programmatic API), as a build runs them.

A dbt process costs a few seconds of imports and a parse before any node runs; a build runs
dbt twice, and the test suite some fifty builds. In one process dbt is imported once, and a
build parses once and hands that manifest to both of its selections (crm_quality/build.py).

dbt keeps state in module globals between commands: its event loggers (the last command's log
file stays open), the registered adapter (holding the manifest) and dbt-duckdb's database
instance (which refuses a second opening with another configuration, as the training step
makes). `invoke` releases all of them when the command ends, so that after it this process
holds no file of the command, as if dbt had run in a process of its own.
"""

from __future__ import annotations

import argparse
import gc
import io
import logging
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import chdir, contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

REPO_ROOT = Path(__file__).resolve().parent.parent
# The Python loggers dbt's event manager writes through (dbt_common.events.logger).
DBT_LOGGERS = ("stdout_log", "file_log")
# Python's cycle collector while dbt runs: a collection every 20,000 allocations, not 700, and
# a full one every 4 million. dbt allocates millions of short-lived objects per command, and
# each full collection walks every object alive, the manifest's included: a build on 300
# generated people spent 4.2 CPU seconds collecting, 1.5 with this and collecting_less's freeze.
DBT_GC_THRESHOLD = (20_000, 20, 10)


@dataclass
class Invocation:
    """A finished dbt command: whether it succeeded, what it printed, and dbt's result
    (the Manifest of a parse, the RunExecutionResult of a build; None after an error)."""

    success: bool
    output: str
    result: object = None
    exception: BaseException | None = None

    @property
    def returncode(self) -> int:
        """The dbt command's exit status: 1 when nodes failed, 2 when dbt itself failed."""
        return 0 if self.success else 2 if self.exception is not None else 1


class Tee(io.StringIO):
    """The text written, kept; and passed on to `echo` as it comes, when there is one."""

    def __init__(self, echo: TextIO | None = None) -> None:
        super().__init__()
        self.echo = echo

    def write(self, text: str) -> int:
        if self.echo is not None:
            self.echo.write(text)
            self.echo.flush()
        return super().write(text)


def invoke(
    args: Sequence[str],
    environment: Mapping[str, str],
    manifest: object | None = None,
    echo: TextIO | None = None,
) -> Invocation:
    """`dbt <args>` in the project directory with `environment` as a dbt process's; its
    printed lines are returned, and written to `echo` as dbt prints them when given. With
    `manifest`, dbt does not parse."""
    with (
        collecting_less(),
        templates_compiled_once(),
        event_messages_deferred(),
        unlogged_events_skipped(),
    ):
        return _invoke(args, environment, manifest, echo)


def _invoke(
    args: Sequence[str],
    environment: Mapping[str, str],
    manifest: object | None,
    echo: TextIO | None,
) -> Invocation:
    from dbt.cli.exceptions import DbtInternalException, DbtUsageException
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import capture_stdout_logs, stop_capture_stdout_logs

    output = Tee(echo)
    capture_stdout_logs(output)
    try:
        # dbt resolves relative paths (target, logs, the DuckDB file) from the working
        # directory, as in the project directory where `dbt` runs.
        with (
            environ(environment),
            chdir(REPO_ROOT),
            redirect_stdout(output),
            redirect_stderr(output),
        ):
            outcome = dbtRunner(manifest=manifest).invoke(list(args))
    finally:
        stop_capture_stdout_logs()
        release_dbt_state()
    if isinstance(outcome.exception, KeyboardInterrupt):
        raise outcome.exception
    if isinstance(outcome.exception, (DbtUsageException, DbtInternalException)):
        # Raised before dbt's logging started, so nothing printed them (the dbt CLI does).
        output.write(f"error: {outcome.exception}\n")
    return Invocation(outcome.success, output.getvalue(), outcome.result, outcome.exception)


def add_project_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of a command that runs dbt on a raw directory's warehouse (a build, a
    reset), with make's defaults."""
    parser.add_argument("--raw-dir", type=Path, default=os.environ.get("CRM_RAW_DIR", "data/demo"))
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=os.environ.get("CRM_DUCKDB_PATH", "warehouse/crm_quality.duckdb"),
        help="the DuckDB warehouse file (duckdb target)",
    )
    parser.add_argument("--target", choices=("duckdb", "postgres"), default="duckdb")
    parser.add_argument("--vars", default="{}", help="dbt vars, as YAML")
    parser.add_argument("--target-path", type=Path, default=Path("target"))


def at_project_root(path: Path) -> Path:
    """A path as dbt, running in the project directory, reads it."""
    return path if path.is_absolute() else REPO_ROOT / path


@contextmanager
def collecting_less() -> Iterator[None]:
    """Meanwhile, the cycle collector leaves alone every object alive on entry (the manifest a
    build parsed, imported modules) and runs at DBT_GC_THRESHOLD. On exit they are collectable
    again and the thresholds are as they were: nothing is kept beyond the command."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*DBT_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextmanager
def unlogged_events_skipped() -> Iterator[None]:
    """Meanwhile, dbt drops an event below warn that none of its loggers would write, before
    turning it into a message. dbt builds a protobuf message and a log line for every event,
    and only then lets the log's level discard it: a test build, logging to file at warn,
    fires some 25,000 debug events (each query, twice), 1.3 CPU seconds of a 20. Warnings
    and errors always go through (--warn-error may make them fail the command), as do the
    lines dbt prints whatever the level (`dbt show`'s rows)."""
    from dbt_common.events.event_manager import EventManager

    fire_event = EventManager.fire_event

    def fire_if_logged(manager, event, level=None, node=None, force_warn_or_error_handling=False):
        if force_warn_or_error_handling or logged(manager, event, level):
            fire_event(manager, event, level, node, force_warn_or_error_handling)

    EventManager.fire_event = fire_if_logged
    try:
        yield
    finally:
        EventManager.fire_event = fire_event


@contextmanager
def templates_compiled_once() -> Iterator[None]:
    """Meanwhile, Jinja compiles each template source once per process. dbt makes a new Jinja
    environment for every node it renders and compiles the node's code there again: its
    data tests share a few sources (`{{ test_not_null(**_dbt_generic_test_kwargs) }}`), and
    every build of a process the same models. The compiled code depends only on the source and
    on the environment's class, extensions and syntax settings, which are the key."""
    import jinja2

    compile_ = jinja2.Environment.compile

    def compile_once(environment, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):  # an already parsed template
            return compile_(environment, source, name, filename, raw, defer_init)
        key = (
            type(environment),
            tuple(environment.extensions),
            tuple(getattr(environment, setting) for setting in JINJA_SYNTAX_SETTINGS),
            source, name, filename, raw, defer_init,
        )  # fmt: skip
        if key not in _COMPILED:
            _COMPILED[key] = compile_(environment, source, name, filename, raw, defer_init)
        return _COMPILED[key]

    jinja2.Environment.compile = compile_once
    try:
        yield
    finally:
        jinja2.Environment.compile = compile_


# The Environment settings that change what Jinja compiles a source into.
JINJA_SYNTAX_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix",
    "line_comment_prefix", "trim_blocks", "lstrip_blocks", "newline_sequence",
    "keep_trailing_newline", "optimized", "finalize", "autoescape", "is_async",
)  # fmt: skip
_COMPILED: dict[tuple, object] = {}


@contextmanager
def event_messages_deferred() -> Iterator[None]:
    """Meanwhile, a dbt event builds its protobuf message when first read, not when made.
    dbt makes each event with its message (protobuf parsing, some 175 µs) before firing it,
    and unlogged_events_skipped then drops most unread: a test build of 2,000 people, logging
    to file at warn, made 6,845 events and read 607, 1.2 CPU seconds of messages against 0.13.
    An event made meanwhile and read later still builds its message then."""
    from dbt_common.events.base_types import BaseEvent

    _read_builds_the_message(BaseEvent)
    build_message = BaseEvent.__init__

    def defer(event, *args, **kwargs):
        object.__setattr__(event, _DEFERRED, (build_message, args, kwargs))

    BaseEvent.__init__ = defer
    try:
        yield
    finally:
        BaseEvent.__init__ = build_message


# The attribute holding a deferred event's constructor and arguments until its message is read.
_DEFERRED = "_crm_quality_deferred"


def _read_builds_the_message(event_class: type) -> None:
    """An event's attributes live in its message (dbt's __getattr__ and __setattr__ pass them
    on): make both build a deferred message first. Once per process; harmless on events made
    outside event_messages_deferred, which have their message from the start."""
    if getattr(event_class, "_crm_quality_reads_build", False):
        return
    get, set_ = event_class.__getattr__, event_class.__setattr__

    def built(event) -> None:
        deferred = event.__dict__.pop(_DEFERRED, None)
        if deferred is not None:
            build_message, args, kwargs = deferred
            build_message(event, *args, **kwargs)

    def getattr_(event, key):
        built(event)
        return get(event, key)

    def setattr_(event, key, value):
        built(event)
        set_(event, key, value)

    event_class.__getattr__ = getattr_
    event_class.__setattr__ = setattr_
    event_class._crm_quality_reads_build = True


def logged(manager: object, event: object, level: object | None = None) -> bool:
    """Whether dbt's event manager would write `event` (at `level`, else its own) anywhere."""
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.logger import PRINT_EVENT_NAMES, _log_level_map

    severity = _log_level_map[level or event.level_tag()]
    if severity >= _log_level_map[EventLevel.WARN] or type(event).__name__ in PRINT_EVENT_NAMES:
        return True
    return any(severity >= _log_level_map[logger.level] for logger in manager.loggers)


@contextmanager
def environ(environment: Mapping[str, str]) -> Iterator[None]:
    """os.environ set to `environment` meanwhile (dbt, the loaders and psycopg read it)."""
    saved = dict(os.environ)
    _replace_environ(environment)
    try:
        yield
    finally:
        _replace_environ(saved)


def _replace_environ(environment: Mapping[str, str]) -> None:
    """os.environ made `environment`, never empty meanwhile, and only the variables that
    differ written: the C library's getenv in another thread (DuckDB's, while the build trains
    beside dbt) can crash on a variable being set, so an environment already in place is left
    untouched."""
    for name, value in environment.items():
        if os.environ.get(name) != value:
            os.environ[name] = value
    for name in os.environ.keys() - environment.keys():
        del os.environ[name]


def release_dbt_state() -> None:
    """Close what the last dbt command left open: its log files, its adapters' connections
    and, on DuckDB, the database (dbt-duckdb keeps it in a class attribute)."""
    from dbt.adapters.factory import reset_adapters
    from dbt_common.events.event_manager_client import cleanup_event_logger

    cleanup_event_logger()
    for name in DBT_LOGGERS:
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
    reset_adapters()
    duckdb_connections = sys.modules.get("dbt.adapters.duckdb.connections")
    if duckdb_connections is not None:
        manager = duckdb_connections.DuckDBConnectionManager
        database = manager._ENV  # dbt-duckdb has no public way to close it
        manager.close_all_connections()  # forgets the database without closing it
        if database is not None:
            database.close()
