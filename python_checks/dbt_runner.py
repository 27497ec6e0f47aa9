"""Run the dbt project against a given raw directory and warehouse file, as a user would."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from crm_quality import dbt_in_process
from crm_quality.build import run_build
from crm_quality.connect import connect
from crm_quality.ingest import RawInputError
from crm_quality.ingest.dbt_declarations import write_dbt_declarations
from crm_quality.ingest.raw_tables import load_into_duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
AS_OF_DATE = "2026-06-30"


@dataclass(frozen=True)
class DbtRun:
    """A finished dbt invocation and the warehouse it wrote."""

    returncode: int
    output: str
    warehouse: Path

    def query(self, sql: str) -> list[tuple]:
        with connect(self.warehouse, restricted=True) as connection:
            return connection.execute(sql).fetchall()

    def scalar(self, sql: str) -> object:
        return self.query(sql)[0][0]

    def node_statuses(self) -> dict[str, str]:
        """Node name → status ('success', 'pass', 'fail', 'error', 'skipped') from run_results.

        Names drop the resource type, project and test hash: 'stg_crm__contacts',
        'monitor_crm_defect_rate'.
        """
        results_file = self.warehouse.parent / "target" / "run_results.json"
        results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
        return {result["unique_id"].split(".")[2]: result["status"] for result in results}


def generate_demo(out_dir: Path, people: int, seed: int, extra_args: Sequence[str] = ()) -> dict:
    """Generate demo data with the project's generator; returns its truth.json.

    `extra_args` go to the generator's command line as they are ('--without', 'email').
    """
    subprocess.run(
        [
            sys.executable,
            "-m",
            "crm_quality.demo",
            "--people",
            str(people),
            "--seed",
            str(seed),
            "--as-of",
            AS_OF_DATE,
            "--out",
            str(out_dir),
            *extra_args,
        ],
        check=True,
        cwd=REPO_ROOT,
        capture_output=True,
    )
    return json.loads((out_dir / "truth.json").read_text(encoding="utf-8"))


def dbt_environment(raw_dir: Path, work_dir: Path, warehouse: Path) -> dict[str, str]:
    """The environment of a dbt run on raw_dir into warehouse, as `make build` sets it up: the
    raw directory's sources declared to dbt (lineage) in work_dir, so that parallel builds
    never share declarations. Unusable inputs are left for the build to report, as a user
    would see them."""
    with contextlib.suppress(RawInputError):
        write_dbt_declarations(raw_dir, work_dir / "declared")
    return {
        **os.environ,
        "CRM_DECLARED_DIR": str(work_dir / "declared"),
        "CRM_RAW_DIR": str(raw_dir),
        "CRM_DUCKDB_PATH": str(warehouse),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # The file log at debug level costs some 5 % of a build; the output keeps dbt's info.
        "DBT_LOG_LEVEL_FILE": os.environ.get("DBT_LOG_LEVEL_FILE", "warn"),
    }


def run_dbt(
    command: list[str],
    raw_dir: Path,
    work_dir: Path,
    variables: dict | None = None,
    *,
    sql_tests: bool = False,
) -> DbtRun:
    """Run `dbt <command>` on raw_dir into work_dir/warehouse.duckdb, with the test as-of date
    and any other `variables` (dbt vars); `sql_tests` as in dbt_process."""
    completed = dbt_process(command, raw_dir, work_dir, variables, sql_tests=sql_tests)
    return DbtRun(
        completed.returncode, completed.stdout + completed.stderr, work_dir / "warehouse.duckdb"
    )


def dbt_process(
    command: list[str],
    raw_dir: Path,
    work_dir: Path,
    variables: dict | None = None,
    *,
    sql_tests: bool = False,
) -> subprocess.CompletedProcess:
    """`dbt <command>` on raw_dir into work_dir/warehouse.duckdb, run in this process
    (crm_quality/dbt_in_process.py) and returned as a finished process; a whole `dbt build`
    runs as crm_quality.build.run_build (make build's phases, in place).

    A whole build leaves the tests of the SQL out unless `sql_tests` (dbt's unit tests and the
    invariant data tests, crm_quality.build.build_arguments): they hold whatever the raw data,
    so `make dbt-test` runs them once (and the PostgreSQL build once more on its engine) rather
    than every build of the suite (about 6 s each).

    dbt parses the project only partly when the saved parse's vars, profile (the warehouse
    path) and dbt_project.yml's env vars (CRM_DECLARED_DIR) are as before; a full parse takes
    about 10 s of each build. So dbt sees every work directory through one path per test
    process (a symlink, pointed at work_dir for this run; a process runs one dbt at a time),
    and starts from the process's latest saved parse with the same vars, one with the same
    declared sources too when there is one: the suite's raw directories come in a few layouts,
    and a change of layout makes dbt parse some sixty files again (3 to 5 s).
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    stage = _point_stage_at(work_dir)
    environment = dbt_environment(raw_dir, stage, stage / "warehouse.duckdb")
    variables_json = json.dumps({"as_of_date": AS_OF_DATE, **(variables or {})})
    saved_parse = work_dir / "target" / PARTIAL_PARSE_FILE
    latest = _latest_parse(_parse_keys(variables_json, stage / "declared"))
    if latest and not saved_parse.exists():
        saved_parse.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(latest, saved_parse)
    if is_whole_build(command):
        built = run_build(
            raw_dir,
            warehouse=stage / "warehouse.duckdb",
            target=TARGET,
            variables=variables_json,
            target_path=work_dir / "target",
            log_path=work_dir / "logs",
            dbt_args=command[1:],
            sql_tests=sql_tests,
            declared_dir=stage / "declared",
            environment=environment,
            publishing=False,
        )
        _remember_parse(_parse_keys(variables_json, stage / "declared"), saved_parse)
        return subprocess.CompletedProcess(command, built.returncode, built.output, "")
    if command[0] in LOADING_COMMANDS:
        try:
            load_into_duckdb(raw_dir, work_dir / "warehouse.duckdb")
        except (RawInputError, duckdb.Error) as error:  # as `make build` reports it, before dbt
            return subprocess.CompletedProcess(command, 1, "", f"error: {error}\n")
    # The build names its target, and dbt parses in full when the named target differs from its
    # saved parse's (none named is another): so every command names it.
    named_target = [] if "--target" in command else ["--target", TARGET]
    invocation = dbt_in_process.invoke(
        [
            *command,
            *named_target,
            "--vars",
            variables_json,
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
        ],
        environment,
    )
    completed = subprocess.CompletedProcess(command, invocation.returncode, invocation.output, "")
    _remember_parse(_parse_keys(variables_json, stage / "declared"), saved_parse)
    return completed


def is_whole_build(command: list[str]) -> bool:
    """A `dbt build` of the whole project (exclusions allowed): run as `make build` runs it,
    in phases with the matching training step between (crm_quality/build.py)."""
    return command[0] == "build" and not {"--select", "-s", "--selector"} & set(command)


TARGET = "duckdb"
# dbt commands that build models, so the raw tables are loaded first (as make does).
LOADING_COMMANDS = ("build", "run")
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
# This process's latest saved parse by _parse_keys: dbt parses in full when the vars differ
# from its saved parse's, so a build with vars of its own would cost the next default build one.
_LATEST_PARSES: dict[str, Path] = {}


def _parse_keys(variables_json: str, declared_dir: Path) -> tuple[str, str]:
    """The keys a saved parse is found by, widest first: its vars; its vars and the declared
    sources' files (what dbt reads from CRM_DECLARED_DIR)."""
    declared = hashlib.sha256()
    for path in sorted(declared_dir.rglob("*")):
        if path.is_file():
            declared.update(f"{path.relative_to(declared_dir)}\0".encode() + path.read_bytes())
    return variables_json, f"{variables_json} {declared.hexdigest()}"


def _latest_parse(keys: tuple[str, ...]) -> Path | None:
    """The saved parse of the narrowest key that has one."""
    for key in reversed(keys):
        latest = _LATEST_PARSES.get(key)
        if latest and latest.exists():
            return latest
    return None


def _remember_parse(keys: tuple[str, ...], saved_parse: Path) -> None:
    if saved_parse.exists():
        _LATEST_PARSES.update(dict.fromkeys(keys, saved_parse))


def _point_stage_at(work_dir: Path) -> Path:
    """This process's fixed path to the work directory of its current dbt run."""
    stage = Path(tempfile.gettempdir()) / f"crm-quality-dbt-{os.getpid()}"
    pointer = stage.with_name(f"{stage.name}.new")
    pointer.unlink(missing_ok=True)
    pointer.symlink_to(work_dir.resolve(), target_is_directory=True)
    if not stage.is_symlink():
        atexit.register(stage.unlink, missing_ok=True)
    os.replace(pointer, stage)
    return stage
