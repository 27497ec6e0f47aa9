"""One build of the warehouse, in phases: the one way make, the tests and the benchmark build.

    python -m crm_quality.build --raw-dir D [--warehouse W.duckdb] [--target postgres]
        [--vars '{as_of_date: ...}'] [--target-path target] [--no-publish]
        [--phases-file F.json] [-- DBT ARGS]

1. prepare: a DuckDB build works on a copy beside the published file (crm_quality/publish.py),
   a PostgreSQL one in building schemas (crm_quality/publish_postgres.py);
2. load: the raw files declared to dbt, then `dbt parse` while they load into the raw tables
   (crm_quality.ingest);
3. `dbt build` of what training reads (TRAINING_INPUTS and everything upstream of it);
4. the training step (crm_quality/matching/train_step.py): train or reuse, append the model,
   while `dbt build` builds what neither training reads nor reads its model (the orders and
   most raw-row checks): training runs on one thread, for the same model every time, so the
   other core would otherwise idle;
5. `dbt build` of everything that reads the model;
6. publish the working copy or schemas when every model built, all at once.

dbt-postgres runs no Python models, so training runs between dbt selections. dbt runs in this
process (crm_quality/dbt_in_process.py), parsing the project once for all three selections.
The invocations are one build: all get the same CRM_BUILD_ID and CRM_BUILD_STARTED_AT,
which the monitoring macros record instead of each invocation's own id and clock, and their
results are merged into one run_results.json carrying that id. When a selection fails, the
selections after it do not run (a single dbt build would have skipped everything downstream).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import duckdb
import psycopg

from crm_quality import dbt_in_process, publish
from crm_quality.connect import postgres_connection
from crm_quality.dbt_in_process import at_project_root, environ
from crm_quality.ingest import RawInputError
from crm_quality.ingest.dbt_declarations import write_dbt_declarations
from crm_quality.ingest.raw_tables import load_into_duckdb, load_into_postgres, warehouse_catalog
from crm_quality.matching.train_step import (
    StepResult,
    Trained,
    TrainingInputs,
    open_warehouse,
    read_training_inputs,
    record_training,
    train,
)
from crm_quality.warehouse_roles import MissingRolesError, require_roles

# The models the training step reads; the first selection is them and their ancestors.
TRAINING_INPUTS = ("build_settings", "int_person_records_standardized", "int_review_labels_latest")
# The dbt selections of a whole build: training's inputs, what is built beside training, the rest.
SELECTIONS = 3
# Everything downstream of the registry the training step appends to.
TRAINED_MODEL_READERS = "source:matching+"
# Tests go with the selection holding all the nodes they test, so none runs twice or never.
INDIRECT_SELECTION = ("--indirect-selection", "cautious")
# Statuses of nodes that did their job (a warning is news, not a failure).
OK_STATUSES = ("success", "pass", "warn", "no-op")
# PostgreSQL settings for the build's own sessions (dbt's and the training step's), through
# libpq's PGOPTIONS. JIT compiles each query's expressions before running it; the check
# models' queries have thousands (a column per check), and compiling them took 34 of the check
# counts' 49 s at 200k people. Merge joins: on tables without indexes each one sorts both
# inputs, and PostgreSQL chose them wherever its 4MB work_mem made a hash join spill; hash joins
# instead took the pair scoring from 42.6 to 29.8 s at 200k people, the shortage mart from 9.5
# to 4.6 s, the check counts from 14.6 to 11.2 s. Nested loops: the planner misjudges the rows
# of a chain of CTEs (a few where there are thousands), then compares two large inputs row by
# row; the missing customers took 30 s at 50,000 people where a hash join takes 1
# (python_checks/integration/test_postgres_plans.py). A setting PGOPTIONS already gives is left
# as given.
POSTGRES_SESSION_SETTINGS = {"jit": "off", "enable_mergejoin": "off", "enable_nestloop": "off"}


@dataclass
class BuildResult:
    """A finished build: exit status, everything it printed, and when each phase ran."""

    returncode: int
    output: str
    warehouse: Path | None
    run_results: Path
    # Phase name → [start, end] in seconds since the epoch (the benchmark's stage times).
    phases: dict[str, list[float]] = field(default_factory=dict)
    trained: bool | None = None


def first_selection(dbt_args: Sequence[str]) -> list[str]:
    """dbt arguments of the selection the training step needs."""
    return ["--select", *(f"+{model}" for model in TRAINING_INPUTS), *dbt_args]


def beside_training_selection(dbt_args: Sequence[str]) -> list[str]:
    """dbt arguments of what neither training reads nor reads its model: built while the
    training step trains (the orders, most raw-row checks); `dbt_args` may add --exclude's."""
    return _excluding([*_training_inputs(), TRAINED_MODEL_READERS], dbt_args)


def second_selection(dbt_args: Sequence[str]) -> list[str]:
    """dbt arguments of everything that reads the trained model, after training."""
    return ["--select", TRAINED_MODEL_READERS, *_excluding(_training_inputs(), dbt_args)]


def build_arguments(dbt_args: Sequence[str], sql_tests: bool) -> list[str]:
    """`dbt_args` with the tests of the SQL itself left out unless `sql_tests`: dbt's unit tests
    (fixed inputs) and the data tests tagged `invariant` (they hold by the models'
    construction, whatever the data). `make test` runs them on its generated data; a build of
    the warehouse need not (tens of seconds at a million records). Arguments that already name
    the resource types they leave out keep them."""
    arguments = list(dbt_args)
    if sql_tests:
        return arguments
    if "--exclude-resource-type" not in arguments:
        arguments += ["--exclude-resource-type", "unit_test"]
    return _excluding(["tag:invariant"], arguments)


def _training_inputs() -> list[str]:
    return [f"+{model}" for model in TRAINING_INPUTS]


def _excluding(excluded: Sequence[str], dbt_args: Sequence[str]) -> list[str]:
    """`dbt_args` with `excluded` added to its --exclude (one is added when it has none)."""
    extra = list(dbt_args)
    if "--exclude" in extra:
        position = extra.index("--exclude") + 1
        extra[position:position] = excluded
        return extra
    return ["--exclude", *excluded, *extra]


def build_identity() -> dict[str, str]:
    """The id and start time both dbt invocations of one build record (macros/monitoring)."""
    started = datetime.now(UTC).replace(tzinfo=None)
    return {
        "CRM_BUILD_ID": str(uuid.uuid4()),
        "CRM_BUILD_STARTED_AT": started.strftime("%Y-%m-%d %H:%M:%S.%f"),
    }


def merged_run_results(phases: Sequence[dict], build_id: str) -> dict:
    """The phases' run_results.json as one: every node's result, under the build's id."""
    merged = dict(phases[-1])
    merged["metadata"] = {**phases[-1]["metadata"], "invocation_id": build_id}
    merged["results"] = [result for phase in phases for result in phase["results"]]
    merged["elapsed_time"] = sum(phase.get("elapsed_time", 0) for phase in phases)
    return merged


def dbt_environment(
    environment: Mapping[str, str],
    identity: Mapping[str, str],
    raw_dir: Path,
    declared_dir: Path,
    target: str,
) -> dict[str, str]:
    """The variables every selection and the training step of one build run under."""
    dbt_env = {
        **environment,
        **identity,
        "CRM_RAW_DIR": str(raw_dir),
        "CRM_DECLARED_DIR": str(declared_dir),
        "CRM_DBT_TARGET": target,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if target == "postgres":
        dbt_env["PGOPTIONS"] = postgres_session_options(environment.get("PGOPTIONS", ""))
    return dbt_env


def postgres_session_options(pgoptions: str) -> str:
    """PGOPTIONS with POSTGRES_SESSION_SETTINGS added where it does not set them already."""
    given = set(re.findall(r"(?:-c\s*|--)([\w.]+)\s*=", pgoptions))
    added = [f"-c {name}={value}" for name, value in POSTGRES_SESSION_SETTINGS.items()
             if name not in given]  # fmt: skip
    return " ".join([pgoptions.strip(), *added]).strip()


def failed_nodes(run_results: dict) -> list[str]:
    return [
        result["unique_id"]
        for result in run_results["results"]
        if result["status"] not in OK_STATUSES
    ]


def _prepare(
    target: str, warehouse: Path | None, publishing: bool, target_path: Path, live: str
) -> Path | str | None:
    """Where this build writes: a DuckDB build being published works on the working copy, a
    PostgreSQL one in building schemas (publish_postgres.py); otherwise in place. A PostgreSQL
    server must have the roles the models are granted to, checked before anything loads."""
    if target == "postgres":
        with postgres_connection(autocommit=True) as connection:
            require_roles(connection)
    if not publishing:
        return warehouse
    if target == "duckdb":
        return publish.prepare(at_project_root(warehouse))
    from crm_quality import publish_postgres  # only the postgres target needs psycopg

    manifest_path = at_project_root(target_path) / "manifest.json"
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else None
    )
    return publish_postgres.prepare(live, manifest)


def _publish(
    target: str, warehouse: Path | None, run_results: Path, publishing: bool, live: str
) -> str:
    """Publish the build when its figures are complete; what went wrong otherwise."""
    if not publishing:
        return ""
    if target == "postgres":
        from crm_quality import publish_postgres

        incomplete = publish_postgres.publish(live, run_results, publish_postgres.DROP_WAIT_SECONDS)
        kept, kept_build = f"schema {live}", publish_postgres.building_schema(live)
    else:
        incomplete = publish.publish(at_project_root(warehouse), run_results)
        kept, kept_build = str(warehouse), str(publish.working_path(warehouse))
    if not incomplete:
        return ""
    shown = sorted(incomplete, key=lambda node: node.endswith(": skipped"))[: publish.SHOWN_NODES]
    return (
        f"Build not published (kept {kept} as it was): its figures are incomplete; the "
        f"build is at {kept_build}.\n  " + "\n  ".join(shown) + "\n"
    )


def _load(raw_dir: Path, target: str, working: Path | None) -> None:
    labels = os.environ.get("CRM_LABELS") or None  # a steward's review labels, when kept
    labels = labels and at_project_root(Path(labels))
    if target == "postgres":
        load_into_postgres(raw_dir, os.environ.get("CRM_PG_SCHEMA", "main"), labels)
    else:
        load_into_duckdb(raw_dir, working, labels_file=labels)


def _parse_beside_load(
    parse: Callable[[], dbt_in_process.Invocation],
    load: Callable[[], None],
    dbt_env: Mapping[str, str],
    phases: dict[str, list[float]],
) -> dbt_in_process.Invocation:
    """`dbt parse` while the raw tables load on a worker thread: parsing needs only the
    declarations, and the load spends its time in DuckDB and Arrow, which release the GIL.
    Every path the load reads is absolute (dbt changes the working directory). Raises what the
    load raised, after the parse, whose output is then not shown."""
    started = time.time()

    def timed_load() -> None:
        load()
        phases["load"] = [started, time.time()]

    with environ(dbt_env), ThreadPoolExecutor(max_workers=1) as pool:
        loading = pool.submit(timed_load)
        parsed = parse()
        phases["dbt: parse"] = [started, time.time()]
        loading.result()
    return parsed


def _train_beside(
    build_beside: Callable[[], dict | None],
    warehouse: Callable[[], AbstractContextManager],
    dbt_env: Mapping[str, str],
    phases: dict[str, list[float]],
) -> tuple[StepResult, dict | None]:
    """The training step, with `build_beside` (a dbt selection) running while it trains.

    Training reads its inputs, trains in a DuckDB of its own on a worker thread, and appends
    the model once the selection beside it is done: the warehouse is open to one at a time.
    Returns the step's result and the selection's run results.
    """
    schema = dbt_env.get("CRM_PG_SCHEMA", "main")
    started = time.time()

    def timed_training(inputs: TrainingInputs) -> tuple[Trained, float]:
        return train(inputs), time.time()

    # Set once for the whole step: dbt's own environ() then finds it in place and writes
    # nothing while the training thread runs (crm_quality.dbt_in_process._replace_environ).
    with environ(dbt_env):
        with warehouse() as connection:
            inputs = read_training_inputs(connection, schema)
        with ThreadPoolExecutor(max_workers=1) as pool:
            training = pool.submit(timed_training, inputs)
            beside_started = time.time()
            try:
                beside = build_beside()
            finally:
                phases["dbt: beside training"] = [beside_started, time.time()]
            trained, trained_at = training.result()
        phases["training step"] = [started, trained_at]
        with warehouse() as connection:
            step = record_training(connection, inputs, trained)
    return step, beside


def run_build(
    raw_dir: Path,
    *,
    warehouse: Path | None = None,
    target: str = "duckdb",
    variables: str = "{}",
    target_path: Path = Path("target"),
    log_path: Path | None = None,
    dbt_args: Sequence[str] = (),
    declared_dir: Path | None = None,
    environment: Mapping[str, str] | None = None,
    publishing: bool = True,
    training_inputs_only: bool = False,
    sql_tests: bool = False,
    echo: TextIO | None = None,
) -> BuildResult:
    """Build raw_dir into the warehouse (module docstring); never raises for a failed phase.

    `training_inputs_only` stops after the first selection (make train-model trains a shipped
    model on it); `sql_tests` runs the tests of the SQL too (build_arguments, make test).
    Paths are handed to dbt as given (dbt runs in the project directory; a path that stays the
    same keeps dbt's partial parse); `declared_dir` defaults to target_path/declared.
    Everything the build prints is in the result's output, and written to `echo` as it happens
    when given (make build's live progress).
    """
    environment = dict(os.environ if environment is None else environment)
    dbt_args = build_arguments(dbt_args, sql_tests)
    live = environment.get("CRM_PG_SCHEMA", "main")  # the schema BI reads, on PostgreSQL
    declared_dir = declared_dir or target_path / "declared"
    run_results = at_project_root(target_path) / "run_results.json"
    run_results.unlink(missing_ok=True)
    result = BuildResult(1, "", warehouse, run_results)
    clock = time.time()

    def say(text: str, echoed: bool = False) -> None:
        """Add to the build's output; `echoed` when dbt already wrote it to echo."""
        result.output += text
        if echo is not None and not echoed:
            echo.write(text)
            echo.flush()

    def lap(phase: str) -> None:
        nonlocal clock
        result.phases[phase] = [clock, time.time()]
        clock = time.time()

    identity = build_identity()
    dbt_env = dbt_environment(environment, identity, raw_dir, declared_dir, target)
    try:
        with environ(dbt_env):
            working = _prepare(target, warehouse, publishing, target_path, live)
        if target == "postgres":
            dbt_env["CRM_PG_SCHEMA"] = str(working or live)
            working = None
        elif working is not None:
            dbt_env["CRM_DUCKDB_PATH"] = str(working)
        lap("prepare")
        working_file = working and at_project_root(working)
        with environ(dbt_env), warehouse_catalog(target, working_file) as catalog:
            write_dbt_declarations(at_project_root(raw_dir), at_project_root(declared_dir), catalog)
    except (
        RawInputError,
        publish.PublishError,
        MissingRolesError,
        duckdb.Error,
        psycopg.Error,
        OSError,
    ) as error:
        # As make reported it before dbt ran: one line, no traceback.
        say(f"error: {error}\n")
        return result

    # Every selection shares one parse: its manifest, or None when the project does not parse.
    common = [
        "--target", target, "--vars", variables, "--target-path", str(target_path),
        *(["--log-path", str(log_path)] if log_path else []),
    ]  # fmt: skip
    try:
        parsed = _parse_beside_load(
            lambda: dbt_in_process.invoke(["parse", *common], dbt_env),
            lambda: _load(at_project_root(raw_dir), target, working and at_project_root(working)),
            dbt_env,
            result.phases,
        )
    except (RawInputError, duckdb.Error, psycopg.Error, OSError) as error:
        say(f"error: {error}\n")
        return result
    clock = time.time()
    say(parsed.output)
    manifest = parsed.result if parsed.success else None

    def dbt_build(selection: list[str]) -> dict | None:
        run_results.unlink(missing_ok=True)
        if manifest is None:
            return None
        built = dbt_in_process.invoke(
            ["build", *selection, *INDIRECT_SELECTION, *common], dbt_env, manifest, echo
        )
        say(built.output, echoed=True)
        if not run_results.is_file():
            return None
        return json.loads(run_results.read_text(encoding="utf-8"))

    phases = []
    first = dbt_build(first_selection(dbt_args))
    lap("dbt: training inputs")
    if first is not None:
        phases.append(first)
    if training_inputs_only:
        result.returncode = 0 if first is not None and not failed_nodes(first) else 1
        return result
    if first is not None and not failed_nodes(first):
        step = None
        try:
            step, beside = _train_beside(
                lambda: dbt_build(beside_training_selection(dbt_args)),
                lambda: open_warehouse(target, working and at_project_root(working)),
                dbt_env,
                result.phases,
            )
            result.trained = step.trained
            action = "trained" if step.trained else "reused"
            why = f" ({step.reason})" if step.trained else ""
            say(f"matching: {action} model {step.model_id}{why}\n")
        except Exception as error:  # noqa: BLE001 - reported like a failing node
            say(f"error: the matching training step failed: {error!r}\n")
            beside = None
        clock = time.time()
        if beside is not None:
            phases.append(beside)
        if step is not None and beside is not None and not failed_nodes(beside):
            second = dbt_build(second_selection(dbt_args))
            lap("dbt: everything else")
            if second is not None:
                phases.append(second)
    if phases:
        merged = merged_run_results(phases, identity["CRM_BUILD_ID"])
        run_results.write_text(json.dumps(merged), encoding="utf-8")
    complete = len(phases) == SELECTIONS and not failed_nodes(merged)
    if len(phases) == SELECTIONS:
        try:
            with environ(environment):  # psycopg reads the PG* variables there
                say(_publish(target, warehouse, run_results, publishing, live))
        except publish.PublishError as error:
            say(f"publish: {error}\n")
            complete = False
        lap("publish")
    elif publishing:
        kept = warehouse if target == "duckdb" else f"schema {live}"
        say(f"Build not published (kept {kept} as it was): it stopped early.\n")
    result.returncode = 0 if complete else 1
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    dbt_in_process.add_project_arguments(parser)
    parser.add_argument("--log-path", type=Path, help="dbt's log directory")
    parser.add_argument("--no-publish", action="store_true", help="build the file in place")
    parser.add_argument(
        "--training-inputs-only", action="store_true", help="stop after what training reads"
    )
    parser.add_argument(
        "--sql-tests", action="store_true", help="run the tests of the SQL too (make test)"
    )
    parser.add_argument(
        "--phases-file",
        type=Path,
        help="write when each phase ran there, as JSON seconds since the epoch (make bench)",
    )
    parser.add_argument("dbt_args", nargs="*", help="more dbt arguments (after --), e.g. --exclude")
    args = parser.parse_args(argv)
    if args.target == "duckdb":
        args.warehouse.parent.mkdir(parents=True, exist_ok=True)
    result = run_build(
        args.raw_dir,
        warehouse=args.warehouse if args.target == "duckdb" else None,
        target=args.target,
        variables=args.vars,
        target_path=args.target_path,
        log_path=args.log_path,
        dbt_args=args.dbt_args,
        publishing=not args.no_publish,
        training_inputs_only=args.training_inputs_only,
        sql_tests=args.sql_tests,
        echo=sys.stdout,
    )
    if args.phases_file is not None:
        args.phases_file.write_text(json.dumps(result.phases), encoding="utf-8")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
