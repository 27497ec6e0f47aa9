"""Shared builds for the monitoring and report integration tests (this module holds no tests).

One warehouse receives BASELINE_SEEDS builds of independently generated datasets (natural
variation between builds; two of them run no data test) and then one build of a dataset whose
missing-email rate is tripled.
The sequence runs once per pytest session, whichever test module asks first.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from crm_quality.connect import connect
from python_checks.dbt_runner import dbt_process, generate_demo

PEOPLE = 1500
BASELINE_SEEDS = (101, 102, 103, 104)
ANOMALOUS_SEED = 108
# Every dbt run on the history judges a series once it has as many builds as BASELINE_SEEDS
# (the default, 7, would take three more whole builds to reach): so only the last build is
# judged. Not fewer than four: judged against seeds 101-103 only, the last build had
# crm/import/validity/invalid/birth_date flagged too (natural variation; 2026-12-02).
HISTORY_VARS = {"anomaly_min_history": len(BASELINE_SEEDS)}
MISSING_EMAIL_FACTOR = 3
# Baseline builds that run no data test (as `dbt run` would): the quality history needs only
# the models, and the test-results history must record such a build as having run none.
UNTESTED_SEEDS = (102, 103)
WITHOUT_TESTS = ["--exclude-resource-type", "test", "unit_test"]

HISTORY_ROWS_OF_RUN = """
    select metric, breakdown, breakdown_value, numerator, denominator, value
    from mart_data_quality_history
    where run_id = ?
    order by metric, breakdown, breakdown_value
"""


@dataclass
class Build:
    """One dbt invocation on the shared warehouse and what it left behind."""

    seed: int
    returncode: int
    output: str
    invocation_id: str
    history_runs: int
    history_rows: int
    # This build's rows of mart_data_quality_history, as they were right after the build.
    own_history: list[tuple]
    # dbt's status of every data and unit test of the build, by unique_id.
    test_statuses: dict[str, str]


@dataclass
class HistoryBuilds:
    """The shared warehouse and its builds, oldest first."""

    warehouse: Path
    raw_dirs: list[Path]
    builds: list[Build] = field(default_factory=list)

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with connect(self.warehouse, restricted=True) as connection:
            return connection.execute(sql, parameters or []).fetchall()


def dbt(
    command: list[str],
    raw_dir: Path,
    work_dir: Path,
    extra_vars: dict | None = None,
    *,
    sql_tests: bool = False,
) -> subprocess.CompletedProcess:
    """Run `dbt <command>` on raw_dir into work_dir/warehouse.duckdb with the test as-of date,
    HISTORY_VARS and `extra_vars` (which win); `sql_tests` as in dbt_process."""
    variables = {**HISTORY_VARS, **(extra_vars or {})}
    return dbt_process(command, raw_dir, work_dir, variables, sql_tests=sql_tests)


def multiply_missing_emails(crm_contacts: Path, missing: int, factor: int, seed: int) -> int:
    """Blank emails of present-email rows until `missing` becomes `missing × factor`.

    `missing` is the generator's truth count of CRM records missing an email (blank or a
    placeholder). Returns how many emails were blanked.
    """
    with crm_contacts.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    present = [index for index, row in enumerate(rows) if "@" in (row["email"] or "")]
    to_blank = missing * (factor - 1)
    for index in random.Random(seed).sample(present, to_blank):
        rows[index]["email"] = ""
    with crm_contacts.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return to_blank


def _build(history: HistoryBuilds, seed: int, raw_dir: Path, work_dir: Path) -> Build:
    results_file = work_dir / "target" / "run_results.json"
    results_file.unlink(missing_ok=True)
    # The last build runs the unit tests too, so their results are recorded like the others.
    command = ["build", *WITHOUT_TESTS] if seed in UNTESTED_SEEDS else ["build"]
    completed = dbt(command, raw_dir, work_dir, sql_tests=seed == ANOMALOUS_SEED)
    if not results_file.exists():
        output = completed.stdout + completed.stderr
        raise RuntimeError(f"dbt build of seed {seed} ran nothing:\n{output[-4000:]}")
    run_results = json.loads(results_file.read_text())
    invocation_id = run_results["metadata"]["invocation_id"]
    runs, rows = history.query(
        "select count(distinct run_id), count(*) from mart_data_quality_history"
    )[0]
    return Build(
        seed=seed,
        returncode=completed.returncode,
        output=completed.stdout + completed.stderr,
        invocation_id=invocation_id,
        history_runs=runs,
        history_rows=rows,
        own_history=history.query(HISTORY_ROWS_OF_RUN, [invocation_id]),
        test_statuses={
            result["unique_id"]: result["status"]
            for result in run_results["results"]
            if result["unique_id"].startswith(("test.", "unit_test."))
        },
    )


_SHARED: HistoryBuilds | None = None
_FAILURE: Exception | None = None


def shared_history(tmp_path_factory) -> HistoryBuilds:
    """The session's history warehouse, built on first use (and not retried if that failed)."""
    global _SHARED, _FAILURE
    if _FAILURE is not None:
        raise _FAILURE
    if _SHARED is None:
        try:
            _SHARED = _build_history(tmp_path_factory)
        except Exception as failure:
            _FAILURE = failure
            raise
    return _SHARED


def _build_history(tmp_path_factory) -> HistoryBuilds:
    root = tmp_path_factory.mktemp("monitoring-history")
    work_dir = root / "build"
    history = HistoryBuilds(warehouse=work_dir / "warehouse.duckdb", raw_dirs=[])
    for seed in (*BASELINE_SEEDS, ANOMALOUS_SEED):
        raw_dir = root / f"raw-{seed}"
        truth = generate_demo(raw_dir, people=PEOPLE, seed=seed)
        if seed == ANOMALOUS_SEED:
            missing = truth["defects"]["completeness/missing/email"]
            multiply_missing_emails(
                raw_dir / "crm_contacts.csv", missing, MISSING_EMAIL_FACTOR, seed
            )
        history.raw_dirs.append(raw_dir)
        history.builds.append(_build(history, seed, raw_dir, work_dir))
    return history
