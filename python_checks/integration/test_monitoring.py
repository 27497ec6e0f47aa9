"""Monitoring on real builds: quality history, test-results history, monitors and anomalies.

The shared sequence (test_monitoring_builds) builds BASELINE_SEEDS generated datasets and then one
with its missing-email rate tripled into one warehouse; only that last build is judged.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from crm_quality.connect import connect
from python_checks.dbt_runner import generate_demo
from python_checks.integration.test_monitoring_builds import (
    HISTORY_ROWS_OF_RUN,
    UNTESTED_SEEDS,
    HistoryBuilds,
    dbt,
    shared_history,
)

pytestmark = pytest.mark.integration

EMAIL_SERIES = "crm/all/completeness/missing/email"
# Series the tripled missing-email rate must not disturb.
UNRELATED_SERIES = [
    ("defect_rate_pct", "crm/all/completeness/missing/phone"),
    ("defect_rate_pct", "crm/all/completeness/missing/country"),
    ("defect_rate_pct", "crm/all/validity/invalid/phone"),
    ("defect_rate_pct", "crm/all/validity/invalid/birth_date"),
    ("defect_rate_pct", "crm/all/timeliness/stale/last_touched_at"),
    ("defect_rate_pct", "crm/all/accuracy/inaccurate/phone"),
    ("defect_rate_pct", "billing/all/all/any/record"),
    ("shortage_rate_pct", "all"),
    ("null_rate_pct", "phone"),
    ("null_rate_pct", "country"),
]


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> HistoryBuilds:
    built = shared_history(tmp_path_factory)
    for build in built.builds:
        assert build.returncode == 0, build.output[-4000:]
    return built


def is_email_related(metric: str, breakdown_value: str) -> bool:
    """Series a missing-email surge may move: email series and the rollups that count them."""
    parts = breakdown_value.split("/")
    if "email" in parts:
        return True
    # Records with at least one (completeness) defect, per source, per channel or overall.
    return metric == "defect_rate_pct" and parts[-3:] in (
        ["completeness", "any", "record"],
        ["all", "any", "record"],
    )


# --- quality history -------------------------------------------------------------------------


def test_two_builds_in_a_row_leave_two_runs(history):
    first, second = history.builds[:2]
    assert (first.history_runs, second.history_runs) == (1, 2)
    assert second.history_rows == first.history_rows + len(second.own_history)


def test_every_build_appends_one_run_and_keeps_earlier_rows(history):
    assert [build.history_runs for build in history.builds] == list(
        range(1, len(history.builds) + 1)
    )
    run_ids = {
        run_id
        for (run_id,) in history.query("select distinct run_id from mart_data_quality_history")
    }
    assert run_ids == {build.invocation_id for build in history.builds}
    for build in history.builds:
        assert build.own_history, "a build recorded no metrics"
        assert history.query(HISTORY_ROWS_OF_RUN, [build.invocation_id]) == build.own_history


def test_history_matches_the_marts_of_the_latest_build(history):
    latest = history.builds[-1].invocation_id
    mismatches = history.query(
        """
        select history.breakdown_value
        from mart_data_quality_history as history
        left join mart_defect_rate as mart
            on history.breakdown_value = mart.source_system || '/'
                || case when mart.source_name = 'all' then '' else mart.source_name || '/' end
                || mart.source_channel || '/'
                || mart.quality_dimension || '/' || mart.defect_type || '/' || mart.field
        where history.run_id = ? and history.metric = 'defect_rate_pct'
            and (mart.records_checked is distinct from history.denominator
                 or mart.defective_records is distinct from history.numerator
                 or mart.defect_rate_pct is distinct from history.value)
        """,
        [latest],
    )
    assert mismatches == []
    assert history.query(
        "select count(*) from mart_data_quality_history "
        "where run_id = ? and metric = 'defect_rate_pct'",
        [latest],
    ) == history.query("select count(*) from mart_defect_rate")


# --- test-results history ----------------------------------------------------------------------


def test_every_test_of_every_build_is_recorded_with_its_status(history):
    for build in history.builds:
        recorded = dict(
            history.query(
                "select test_unique_id, status from fct_test_results_history where run_id = ?",
                [build.invocation_id],
            )
        )
        assert recorded == build.test_statuses
        assert bool(recorded) is (build.seed not in UNTESTED_SEEDS), build.seed
    # The last build ran the unit tests too (test_monitoring_builds): they are recorded alike.
    assert any(node.startswith("unit_test.") for node in history.builds[-1].test_statuses)


def test_the_audit_schema_holds_the_rows_the_latest_build_stored(history):
    """A test's rows go to main_audit when it found any, warned or failed, or is a monitor; a
    test that passed clean leaves no table there (dropping an earlier build's) and names none."""
    latest = history.builds[-1].invocation_id
    results = history.query(
        "select test_type, status, failures, is_monitor, failures_relation"
        " from fct_test_results_history where run_id = ? and test_type != 'unit'",
        [latest],
    )
    kept = {
        relation.split(".")[-1].strip('"')
        for _, status, failures, is_monitor, relation in results
        if status in ("warn", "fail") or failures or is_monitor
    }
    clean = [row for row in results if row[1] == "pass" and row[2] == 0 and not row[3]]
    assert kept and clean
    assert [row for row in clean if row[4] is not None] == []
    audit = {
        name
        for (name,) in history.query(
            "select table_name from duckdb_tables() where schema_name = 'main_audit'"
        )
    }
    assert audit - {"fct_test_failures_history"} == kept


def builds_running_tests(history: HistoryBuilds) -> list:
    """The builds that ran the data tests (UNTESTED_SEEDS ran none)."""
    return [build for build in history.builds if build.seed not in UNTESTED_SEEDS]


def test_monitors_keep_their_measured_value_in_every_build(history):
    rows = history.query(
        """
        select results.run_id, results.status, results.measured_pct, results.warn_pct,
               results.error_pct, cast(metrics.value as double)
        from fct_test_results_history as results
        inner join mart_data_quality_history as metrics
            on results.run_id = metrics.run_id
            and metrics.metric = 'defect_rate_pct'
            and metrics.breakdown_value = 'crm/all/all/any/record'
        where results.test_name = 'monitor_crm_defect_rate'
        """
    )
    assert len(rows) == len(builds_running_tests(history))
    for _run_id, status, measured, warn_pct, error_pct, mart_value in rows:
        assert status == "pass"
        assert measured == pytest.approx(mart_value, abs=1e-4)
        assert (warn_pct, error_pct) == (60.0, 75.0)
    monitors = history.query(
        "select count(*), count(measured_pct) from fct_test_results_history where is_monitor"
    )[0]
    # Twelve monitors a build; the match-precision one measures nothing without review labels.
    assert monitors == (
        12 * len(builds_running_tests(history)),
        11 * len(builds_running_tests(history)),
    )


def test_null_rate_monitor_measures_the_golden_records(history):
    latest = history.builds[-1].invocation_id
    measured, numerator, denominator = history.query(
        """
        select measured_pct, measured_numerator, measured_denominator
        from fct_test_results_history
        where run_id = ? and test_name = 'monitor_customer_email_null_rate'
        """,
        [latest],
    )[0]
    nulls, customers = history.query("select count(*) - count(email), count(*) from dim_customers")[
        0
    ]
    assert (numerator, denominator) == (nulls, customers)
    assert measured == pytest.approx(round(100 * nulls / customers, 4))


# --- anomalies -----------------------------------------------------------------------------------


def test_tripled_missing_email_rate_is_flagged(history):
    flagged = history.query(
        "select metric, breakdown_value from mart_quality_anomalies "
        "where is_latest_build and is_anomaly"
    )
    assert ("defect_rate_pct", EMAIL_SERIES) in flagged
    unrelated = [series for series in flagged if not is_email_related(*series)]
    assert unrelated == []


def test_no_unrelated_metric_is_flagged(history):
    statuses = dict(
        history.query(
            "select metric || ':' || breakdown_value, status from mart_quality_anomalies "
            "where is_latest_build"
        )
    )
    for metric, breakdown_value in UNRELATED_SERIES:
        assert statuses[f"{metric}:{breakdown_value}"] == "normal", (metric, breakdown_value)


def test_earlier_builds_are_not_judged_before_enough_history(history):
    assert (
        history.query(
            "select distinct status from mart_quality_anomalies where not is_latest_build "
            "and status not in ('insufficient_history', 'not_judged')"
        )
        == []
    )


def test_anomaly_test_warns_on_the_latest_build_only(history):
    statuses = history.query(
        """
        select run_id, status, failures from fct_test_results_history
        where test_type = 'no_anomaly_in_latest_build'
        order by run_started_at
        """
    )
    assert [status for _, status, _ in statuses[:-1]] == ["pass"] * (
        len(builds_running_tests(history)) - 1
    )
    run_id, status, failures = statuses[-1]
    anomalies = history.query(
        "select count(*) from mart_quality_anomalies where is_latest_build and is_anomaly"
    )[0][0]
    assert (status, failures) == ("warn", anomalies)
    kept = history.query(
        "select count(*) from main_audit.fct_test_failures_history "
        "where run_id = ? and test_name like 'no_anomaly_in_latest_build%'",
        [run_id],
    )[0][0]
    assert kept == anomalies


def test_breached_monitors_warn_and_fail_without_holding_back_any_model(history, tmp_path):
    """Tight thresholds on a copy: the monitors warn and fail, the history still records the
    build, and the previous build's failing rows survive the audit tables being replaced."""
    work_dir = tmp_path / "breach"
    work_dir.mkdir()
    shutil.copy(history.warehouse, work_dir / "warehouse.duckdb")
    tight = {
        dimension: {"warn": 99, "error": 100}
        for dimension in ("completeness", "validity", "accuracy", "uniqueness", "timeliness")
    }
    completed = dbt(
        ["build", "--select", "mart_defect_rate+", "mart_customer_shortage"],
        history.raw_dirs[-1],
        work_dir,
        extra_vars={
            "monitor_defect_rate_pct": {**tight, "all": {"warn": 10, "error": 20}},
            "monitor_shortage_rate_pct": {"warn": 1, "error": 90},
        },
    )
    assert completed.returncode == 1, completed.stdout[-4000:]
    run_results = json.loads((work_dir / "target" / "run_results.json").read_text())
    # Nothing skipped, nothing errored: exposures are no-ops, the rest ran.
    statuses_of_nodes = {result["status"] for result in run_results["results"]}
    assert statuses_of_nodes <= {"success", "pass", "warn", "fail", "no-op"}
    new_run = run_results["metadata"]["invocation_id"]
    with connect(work_dir / "warehouse.duckdb", restricted=True) as connection:
        statuses = dict(
            connection.execute(
                "select test_name, status from fct_test_results_history "
                "where run_id = ? and is_monitor",
                [new_run],
            ).fetchall()
        )
        recorded_runs = connection.execute(
            "select count(distinct run_id) from mart_data_quality_history"
        ).fetchone()[0]
        kept = dict(
            connection.execute(
                """
                select test_name, list(distinct run_id)
                from main_audit.fct_test_failures_history
                group by test_name
                """
            ).fetchall()
        )
    assert statuses["monitor_crm_defect_rate"] == "fail"
    assert statuses["monitor_customer_shortage_rate"] == "warn"
    assert statuses["monitor_crm_defect_rate_validity"] == "pass"
    # The failing monitor held nothing back: the quality history recorded this build too.
    assert recorded_runs == len(history.builds) + 1
    assert kept["monitor_crm_defect_rate"] == [new_run]
    anomaly_test = next(name for name in kept if name.startswith("no_anomaly_in_latest_build"))
    assert history.builds[-1].invocation_id in kept[anomaly_test]


# --- the anomaly rule against a reference implementation --------------------------------------

DEFAULT_RULE = {
    "anomaly_baseline_builds": 10,
    "anomaly_min_history": 7,
    "anomaly_threshold": 4.5,
    "anomaly_min_departure_pct": 0.5,
    "anomaly_min_denominator": 50,
    "anomaly_rebaseline_builds": 3,
}


@dataclass(frozen=True)
class Judgement:
    status: str
    baseline_builds: int | None
    baseline_median: float | None


def reference_judgements(builds: list[tuple[float | None, int]], rule: dict) -> list[Judgement]:
    """The anomaly rule of docs/monitoring.md, written plainly: (value, denominator) per build."""
    judgements = []
    baseline: list[float] = []
    # Anomalous builds in a row on one side of the median, and that side.
    run: list[float] = []
    run_side = 0
    rebaselined = False
    for value, denominator in builds:
        if value is None or denominator < rule["anomaly_min_denominator"]:
            judgements.append(Judgement("not_judged", None, None))
            continue
        window = baseline[-rule["anomaly_baseline_builds"] :]
        if not window:
            judgements.append(Judgement("insufficient_history", 0, None))
            baseline.append(value)
            continue
        median = statistics.median(window)
        mad = statistics.median(abs(past - median) for past in window)
        share = max(min(median / 100, 1 - median / 100), 1 / denominator)
        spread = max(1.4826 * mad, 100 * math.sqrt(share * (1 - share) / denominator))
        allowed = max(rule["anomaly_threshold"] * spread, rule["anomaly_min_departure_pct"])
        if len(window) < rule["anomaly_min_history"] and not rebaselined:
            status = "insufficient_history"
        elif abs(value - median) > allowed:
            status = "anomaly"
        else:
            status = "normal"
        judgements.append(Judgement(status, len(window), median))
        if status != "anomaly":
            baseline.append(value)
            run, run_side = [], 0
            continue
        side = 1 if value > median else -1
        run, run_side = ([*run, value] if side == run_side else [value]), side
        if len(run) >= rule["anomaly_rebaseline_builds"]:
            baseline, run, run_side, rebaselined = run, [], 0, True
    return judgements


def synthetic_series(rng: random.Random) -> dict[str, list[tuple[float | None, int]]]:
    """Hand-made series for the edge cases, and random ones with spikes, gaps and small counts."""
    builds = 20
    series: dict[str, list[tuple[float | None, int]]] = {
        # Constant: a 0.3-point move is within the minimum departure, a 1-point move is not.
        "constant": [(10.0, 1_000_000)] * 11
        + [(10.3, 1_000_000)]
        + [(10.0, 1_000_000)] * 2
        + [(11.0, 1_000_000)]
        + [(10.0, 1_000_000)] * 5,
        # Two spikes in a row: the first must not enter the baseline and hide the second.
        "double_spike": [(20.0 + (index % 3) * 0.2, 2000) for index in range(builds)],
        "too_short": [(5.0, 1000)] * 5,
        # A lasting step: flagged for anomaly_rebaseline_builds builds, then the new level.
        "step": [(10.0, 1_000_000)] * 8 + [(20.0, 1_000_000)] * 6,
        "small_counts": [(50.0, 20)] * builds,
        "gaps": [
            (None if index % 4 == 0 else 30.0 + (index % 2) * 0.1, 1000) for index in range(builds)
        ],
    }
    series["double_spike"][12] = (35.0, 2000)
    series["double_spike"][13] = (36.0, 2000)
    for number in range(25):
        level = rng.uniform(0.5, 60)
        denominator = rng.choice([30, 80, 400, 1500, 10_000])
        values: list[tuple[float | None, int]] = []
        for _ in range(rng.randint(3, builds)):
            noise = rng.gauss(0, 100 * math.sqrt(level / 100 * (1 - level / 100) / denominator))
            value = min(max(level + noise, 0.0), 100.0)
            if rng.random() < 0.12:
                value = min(value + rng.uniform(3, 20), 100.0)
            values.append((None if rng.random() < 0.05 else round(value, 4), denominator))
        series[f"random_{number:02d}"] = values
    return series


def test_anomaly_rule_matches_reference_implementation(tmp_path):
    series = synthetic_series(random.Random(20261125))
    raw_dir = tmp_path / "raw"
    generate_demo(raw_dir, people=40, seed=5)
    work_dir = tmp_path / "rule"
    work_dir.mkdir()
    start = datetime(2026, 1, 1)
    rows = []
    for name, builds in series.items():
        for index, (value, denominator) in enumerate(builds):
            numerator = 0 if value is None else round(value * denominator / 100)
            run_id, started = f"run-{index:02d}", start + timedelta(days=index)
            rows.append((run_id, started, name, numerator, denominator, value))
    with connect(work_dir / "warehouse.duckdb", read_only=False, restricted=True) as connection:
        connection.execute(
            """
            create table mart_data_quality_history (
                run_id varchar, run_started_at timestamp, as_of_date date, metric varchar,
                breakdown varchar, breakdown_value varchar, numerator bigint,
                denominator bigint, value decimal(9, 4)
            )
            """
        )
        connection.executemany(
            "insert into mart_data_quality_history "
            "values (?, ?, null, 'synthetic', 'series', ?, ?, ?, ?)",
            rows,
        )
    completed = dbt(
        ["run", "--select", "fct_anomaly_baseline_resets", "mart_quality_anomalies"],
        raw_dir,
        work_dir,
        extra_vars=DEFAULT_RULE,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]
    with connect(work_dir / "warehouse.duckdb", restricted=True) as connection:
        scored = connection.execute(
            """
            select breakdown_value, run_id, status, baseline_builds, cast(baseline_median as double)
            from mart_quality_anomalies
            order by breakdown_value, run_id
            """
        ).fetchall()
    actual: dict[str, list[Judgement]] = {}
    for name, _run_id, status, baseline_builds, median in scored:
        actual.setdefault(name, []).append(Judgement(status, baseline_builds, median))
    for name, builds in series.items():
        expected = reference_judgements(builds, DEFAULT_RULE)
        assert [(j.status, j.baseline_builds) for j in actual[name]] == [
            (j.status, j.baseline_builds) for j in expected
        ], name
        for got, want in zip(actual[name], expected, strict=True):
            if want.baseline_median is None:
                assert got.baseline_median is None, name
            else:
                assert got.baseline_median == pytest.approx(want.baseline_median, abs=1e-3), name

    statuses = {name: [judgement.status for judgement in judged] for name, judged in actual.items()}
    assert statuses["constant"][11] == "normal" and statuses["constant"][14] == "anomaly"
    assert statuses["double_spike"][12:14] == ["anomaly", "anomaly"]
    assert actual["double_spike"][14].baseline_builds == 10
    assert statuses["step"][8:] == ["anomaly"] * 3 + ["normal"] * 3
    assert actual["step"][11].baseline_median == pytest.approx(20.0)
    assert set(statuses["too_short"]) == {"insufficient_history"}
    assert set(statuses["small_counts"]) == {"not_judged"}
    random_statuses = {
        status
        for name, judged in statuses.items()
        if name.startswith("random")
        for status in judged
    }
    assert {"anomaly", "normal", "not_judged"} <= random_statuses
