"""Benchmark the full build (crm_quality.build, as `make build` runs it) on generated data,
twice, against Splink alone on the same records: wall time per stage, records per second, peak
memory. Writes <out>.json and <out>.md (`make bench`).

    python benchmarks/run_benchmark.py --people 1060000 --seed 20261127 \
        --work target/entity-resolution/bench --out benchmarks/results_1m

Data is generated once per (people, seed) and reused while the generator is unchanged. The
build runs twice on one warehouse file: first on a fresh file, so the training step trains a
model on the records; then again on the same data, so it only profiles them and reuses the
stored model (mart_matching_model is read after each build to show it). The clusters are judged
against the generator's truth (DuckDB). Then benchmarks/splink_baseline.py runs Splink alone on
the same records in a process of its own. The machine is shared: compare ratios within one run.

Stage times come from dbt's run_results.json (both dbt invocations of the build) and, for the
training step between them, from the phase times the build prints: a stage's wall time is the
span from its first node's start to its last node's end (dbt runs two threads, so stages
overlap a little); its busy time is the sum of its nodes' execution times. A process's peak RSS
is its maximum resident set size from wait4 (dbt runs inside the build's process, so its
memory is counted with the training step's); /proc is sampled twice a second, summed over the
process and any children, so each stage's, node's and Splink phase's peak can be told apart.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import psycopg
import yaml

from crm_quality import pg_cluster
from crm_quality.build import postgres_session_options
from crm_quality.connect import (
    connect,
    connect_postgres,
    duckdb_profile_config,
    postgres_connection,
)
from crm_quality.matching.accuracy import accuracy_report
from crm_quality.publish_postgres import SCHEMA_SUFFIXES

REPO_ROOT = Path(__file__).resolve().parent.parent
AS_OF_DATE = "2026-06-30"
# On PostgreSQL the builds write into schemas of their own (the first build drops them), so a
# server given by PGHOST keeps its warehouse's `main` untouched.
PG_SCHEMA = "crm_bench"
# The server settings the results record (the memory a query may use before spilling; the
# database's collation, which sorts text; PostgreSQL 16 and later no longer list it).
PG_SETTINGS = ("shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size",
               "max_parallel_workers_per_gather", "jit", "lc_collate")  # fmt: skip

# The clusters are judged at the build's er_match_threshold.
ACCURACY_THRESHOLD = 0.9
ACCURACY_TASKS = (
    ("crm_dedup", "CRM deduplication"),
    ("billing_dedup", "billing deduplication"),
    ("crm_billing_link", "CRM–billing linkage"),
)

TRAINING_STAGE = "matching: training (or reuse check)"
# The build's training step (crm_quality/matching/train_step.py), between its two dbt selections.
TRAINING_STEP = "step.crm_quality.matching_training"
SCORING_STAGE = "matching: scoring pairs (Splink)"
CLUSTERING_STAGE = "matching: clustering"
# Our stage and Splink alone's phase doing the same step.
COMPARED_STEPS: tuple[tuple[str, str], ...] = (
    (TRAINING_STAGE, "training"),
    (SCORING_STAGE, "prediction"),
    (CLUSTERING_STAGE, "clustering"),
)

# Stage of a node, from its path in the project (first match wins).
STAGES: tuple[tuple[str, str], ...] = (
    ("test.", "data tests"),
    ("operation.", "run hooks"),
    ("seed.", "seeds"),
    ("models/staging/", "staging"),
    ("models/intermediate/standardized/", "standardization"),
    (TRAINING_STEP, TRAINING_STAGE),
    ("int_record_pairs_scored", SCORING_STAGE),
    ("int_person_records_clustered", CLUSTERING_STAGE),
    ("models/intermediate/resolution/", "matching: resolved records"),
    ("models/intermediate/quality/", "quality checks"),
    ("models/marts/", "marts"),
    ("models/monitoring/", "monitoring"),
)


def _stage(result: dict, nodes: dict) -> str:
    unique_id = result["unique_id"]
    path = nodes.get(unique_id, {}).get("original_file_path", "")
    for marker, stage in STAGES:
        if unique_id.startswith(marker) or marker in path or unique_id.endswith(marker):
            return stage
    return "other"


def _timestamp(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


GENERATOR_STAMP = "generator.sha256"  # beside the data: the generator that wrote it


def generator_digest() -> str:
    """The demo generator's source, hashed: data an earlier version wrote is not reused."""
    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "crm_quality" / "demo").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def generate(people: int, seed: int, raw_dir: Path) -> float:
    """Generate the data unless this generator already wrote it for the same people and
    seed; seconds spent."""
    truth, stamp = raw_dir / "truth.json", raw_dir / GENERATOR_STAMP
    if truth.exists() and stamp.exists():
        summary = json.loads(truth.read_text("utf-8"))
        same = summary.get("people") == people and summary.get("seed") == seed
        if same and stamp.read_text("utf-8") == generator_digest():
            return 0.0
    shutil.rmtree(raw_dir, ignore_errors=True)
    started = time.perf_counter()
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
            str(raw_dir),
        ],
        check=True,
        cwd=REPO_ROOT,
    )
    stamp.write_text(generator_digest(), "utf-8")
    return time.perf_counter() - started


PROC = Path("/proc")


class _RssSampler(threading.Thread):
    """Samples the resident set size of a process and its children from /proc twice a second,
    and, given the PostgreSQL server's postmaster, the server's memory at the same moments."""

    def __init__(self, pid: int, server_pid: int | None = None) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.server_pid = server_pid
        self.status = Path(f"/proc/{pid}/status")
        self.samples: list[tuple[float, float]] = []
        self.server_samples: list[tuple[float, float]] = []
        self.server_measures: set[str] = set()
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(0.5):
            if not self.status.exists():
                return
            moment = time.time()
            self.samples.append((moment, _tree_rss_kib(self.pid) / 1024**2))
            if self.server_pid is not None:
                kib, measure = tree_memory_kib(self.server_pid)
                self.server_samples.append((moment, kib / 1024**2))
                self.server_measures.update(measure.split(" and "))


def _tree_rss_kib(pid: int) -> int:
    """Resident set size of a process and its descendants."""
    try:
        match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    return (int(match.group(1)) if match else 0) + sum(_tree_rss_kib(int(c)) for c in children)


def process_memory_kib(pid: int, proc: Path = PROC) -> tuple[int, str]:
    """A process's proportional set size (PSS: shared pages split among their sharers, so a
    sum over PostgreSQL's processes counts shared_buffers once) when smaps_rollup is readable,
    else its RSS; with which of the two it is. (0, "gone") when the process has ended."""
    try:
        rollup = (proc / str(pid) / "smaps_rollup").read_text()
        match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        if match:
            return int(match.group(1)), "PSS"
    except OSError:
        pass
    try:
        status = (proc / str(pid) / "status").read_text()
    except OSError:
        return 0, "gone"
    # An exiting process (a zombie) has no memory left to count, and no VmRSS line.
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return (int(match.group(1)), "RSS") if match else (0, "gone")


def process_tree(pid: int, proc: Path = PROC) -> list[int]:
    """`pid` and its descendants (PostgreSQL's postmaster and its backends and workers)."""
    try:
        children = (proc / str(pid) / "task" / str(pid) / "children").read_text().split()
    except OSError:
        return [pid]
    return [
        pid,
        *(descendant for child in children for descendant in process_tree(int(child), proc)),
    ]


def tree_memory_kib(pid: int, proc: Path = PROC) -> tuple[int, str]:
    """Memory of a process and its descendants, summed (PSS where readable, else RSS), and
    which measure the sum is: "PSS", "RSS" or "PSS and RSS"."""
    total, measures = 0, set()
    for member in process_tree(pid, proc):
        kib, measure = process_memory_kib(member, proc)
        total += kib
        if measure != "gone":
            measures.add(measure)
    return total, " and ".join(sorted(measures)) or "gone"


def parent_pid(pid: int, proc: Path = PROC) -> int | None:
    """A process's parent (a PostgreSQL backend's is the postmaster); None if not on this host."""
    try:
        match = re.search(r"^PPid:\s+(\d+)", (proc / str(pid) / "status").read_text(), re.M)
    except OSError:
        return None
    return int(match.group(1)) if match else None


def run_measured(
    command: list[str], env: dict[str, str], log_path: Path, server_pid: int | None = None
) -> dict:
    """Run `command` (output to `log_path`): wall seconds, exit status, peak and sampled RSS,
    and, given the PostgreSQL postmaster's pid, the server's sampled memory and peak."""
    with log_path.open("w", encoding="utf-8") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=log)
        sampler = _RssSampler(process.pid, server_pid)
        sampler.start()
        # wait4 gives this child's own peak; RUSAGE_CHILDREN would be the largest child so far.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        sampler.finished.set()
    measured = {
        "wall_seconds": round(wall, 1),
        "exit_status": process.returncode,
        "peak_rss_gib": round(usage.ru_maxrss / 1024**2, 2),
        "rss_samples": sampler.samples,
    }
    if server_pid is not None:
        measured |= server_peaks(sampler.samples, sampler.server_samples)
        measures = sampler.server_measures - {"gone"}
        measured["server_memory_measure"] = " and ".join(sorted(measures)) or None
        measured["server_samples"] = sampler.server_samples
    return measured


def server_peaks(
    build: list[tuple[float, float]], server: list[tuple[float, float]]
) -> dict[str, float | None]:
    """The server's peak, and the peak of build + server taken at the same moments (the two
    lists are sampled together, one pair per tick)."""
    together = [b + s for (_, b), (_, s) in zip(build, server, strict=False)]
    return {
        "server_peak_gib": round(max(s for _, s in server), 2) if server else None,
        "build_and_server_peak_gib": round(max(together), 2) if together else None,
    }


class Warehouse(NamedTuple):
    """Where the builds write: a DuckDB file, or `schema` (and its _restricted and _audit
    schemas) on the PostgreSQL server of the PG* variables, whose postmaster is `server_pid`
    when it runs on this host (its memory is sampled then)."""

    target: str
    path: Path
    schema: str = PG_SCHEMA
    server_pid: int | None = None


def drop_schemas(schema: str) -> None:
    """Drop what an earlier benchmark built in `schema` (and its _restricted and _audit
    schemas), so the first build starts empty and trains."""
    with postgres_connection(autocommit=True) as connection:
        for suffix in SCHEMA_SUFFIXES:
            connection.execute(f'drop schema if exists "{schema}{suffix}" cascade')


@contextlib.contextmanager
def postgres_server(work_dir: Path) -> Iterator[str]:
    """The PostgreSQL server to build on, described: the PG* variables' when PGHOST is set,
    else a throwaway cluster under `work_dir` (its PG* variables set here), stopped on exit,
    also on error."""
    if os.environ.get("PGHOST"):
        yield f"the server at PGHOST={os.environ['PGHOST']}"
        return
    directory = work_dir / "pg"
    saved = dict(os.environ)
    cluster = pg_cluster.start(directory)
    os.environ.update(cluster.environment)
    try:
        yield f"a throwaway cluster on 127.0.0.1 (crm_quality.pg_cluster, under {directory})"
    finally:
        pg_cluster.stop(directory)
        os.environ.clear()
        os.environ.update(saved)


def server_state() -> dict:
    """The server's version and memory settings, and its postmaster's pid when it runs on
    this host (the parent of this session's backend): None when it cannot be sampled."""
    with postgres_connection(autocommit=True) as connection:
        backend, version = connection.execute(
            "select pg_backend_pid(), current_setting('server_version')"
        ).fetchone()
        settings = dict(
            connection.execute(
                "select name, current_setting(name) from pg_settings where name = any(%s)",
                [list(PG_SETTINGS)],
            ).fetchall()
        )
        # While the backend lives: once the connection closes it exits, and /proc forgets it.
        postmaster = parent_pid(backend)
    return {"version": version, "settings": settings, "postmaster_pid": postmaster}


def build_environment(warehouse: Warehouse, profiles_dir: Path) -> dict[str, str]:
    """The build's environment: the profiles to use, and on PostgreSQL the schema to build
    into (a DuckDB build reads its tables from `main`, whatever the environment says)."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(profiles_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.pop("CRM_PG_SCHEMA", None)
    if warehouse.target == "postgres":
        env["CRM_PG_SCHEMA"] = warehouse.schema
    return env


def run_build(raw_dir: Path, work_dir: Path, profiles_dir: Path, warehouse: Warehouse, *,
              name: str, fresh: bool) -> dict:  # fmt: skip
    """A full build as `make build` runs it (crm_quality.build: load, dbt, the training step,
    dbt; on a new warehouse file, or dropped schemas, if `fresh`), measured, and the model it
    used."""
    if fresh:
        if warehouse.target == "postgres":
            drop_schemas(warehouse.schema)
        for stale in (warehouse.path, Path(f"{warehouse.path}.wal")):
            stale.unlink(missing_ok=True)
    target = work_dir / "target"
    phases_file = work_dir / f"{name}.phases.json"
    phases_file.unlink(missing_ok=True)
    env = build_environment(warehouse, profiles_dir)
    command = [sys.executable, "-m", "crm_quality.build", "--raw-dir", str(raw_dir),
               "--target", warehouse.target, "--warehouse", str(warehouse.path), "--no-publish",
               "--vars", f'{{as_of_date: "{AS_OF_DATE}"}}', "--target-path", str(target),
               "--log-path", str(work_dir / "logs"), "--phases-file", str(phases_file)]  # fmt: skip
    log = work_dir / f"{name}.log"
    measured = run_measured(command, env, log, warehouse.server_pid)
    text = log.read_text("utf-8")
    phases = json.loads(phases_file.read_text("utf-8")) if phases_file.is_file() else {}
    load = phases.get("load", [0.0, 0.0])
    summaries = re.findall(r"Done\. (PASS=.*)", text)
    run_results = json.loads((target / "run_results.json").read_text("utf-8"))
    if "training step" in phases:
        run_results["results"].append(_step_result(*phases["training step"]))
    return {
        **measured,
        "load_seconds": round(load[1] - load[0], 1),
        # One summary per dbt invocation (the build runs two); '|' would split a table cell.
        "dbt_summary": " then ".join(summary.strip() for summary in summaries) or None,
        "run_results": run_results,
        "manifest_nodes": _manifest_nodes(target / "manifest.json"),
        "model": model_state(warehouse),
    }


def _step_result(started: float, ended: float) -> dict:
    """The training step (outside dbt) as a node result, so it is a stage like the others."""
    timing = {
        "name": "execute",
        "started_at": datetime.fromtimestamp(started, UTC).isoformat(),
        "completed_at": datetime.fromtimestamp(ended, UTC).isoformat(),
    }
    return {"unique_id": TRAINING_STEP, "status": "success", "execution_time": ended - started,
            "timing": [timing]}  # fmt: skip


def open_reader(warehouse: Warehouse) -> Any:
    """A read-only connection to the built warehouse that also finds the restricted schemas,
    on either engine; both answer `execute(sql).fetchone()`."""
    if warehouse.target == "postgres":
        return connect_postgres(schema=warehouse.schema, restricted=True)
    return connect(warehouse.path, restricted=True)


def first_rows(warehouse: Warehouse, queries: Sequence[str]) -> list[tuple]:
    """Each query's first row, read from the built warehouse on either engine."""
    connection = open_reader(warehouse)
    try:
        return [connection.execute(sql).fetchone() for sql in queries]
    finally:
        connection.close()


def model_state(warehouse: Warehouse) -> dict:
    """The model mart_matching_model says the build used, the registry's row count, the
    model's prediction blocking keys and the pairs they make (summed per key), and the scored
    pairs and clusters (at the headline threshold) the build made."""
    try:
        row, *counts = first_rows(
            warehouse,
            (
                "select model_id, trained_at, training_reason, training_record_count"
                " from mart_matching_model",
                "select count(*) from int_matching_models",
                "select count(*) from int_record_pairs_scored",
                "select count(distinct cluster_id) from int_person_records_clustered",
                "select count(*) from fct_matching_blocking_keys where purpose = 'prediction'"
                " and is_used",
                "select sum(record_pairs) from fct_matching_blocking_keys"
                " where purpose = 'prediction' and is_used",
            ),
        )
    except (duckdb.Error, psycopg.Error) as error:
        return {"error": str(error)[:300]}
    counts = [count for (count,) in counts]
    model_id, trained_at, reason, record_count = row
    return {
        "model_id": model_id,
        "trained_at": trained_at.isoformat(),
        "training_reason": reason,
        "training_record_count": record_count,
        "registry_rows": counts[0],
        "pairs": counts[1],
        "clusters": counts[2],
        "blocking_keys": counts[3],
        "blocking_key_pairs": int(counts[4] or 0),
    }


def run_splink_alone(warehouse: Warehouse, work_dir: Path, settings: str) -> dict:
    """benchmarks/splink_baseline.py on the built warehouse's records, in its own process, with
    the project's comparisons and blocking ('project') or the stock ones ('stock')."""
    out = work_dir / f"splink_alone_{settings}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).with_name("splink_baseline.py")),
               "--target", warehouse.target, "--out", str(out), "--settings", settings]  # fmt: skip
    if warehouse.target == "postgres":
        command += ["--schema", warehouse.schema]
    else:
        command += ["--warehouse", str(warehouse.path)]
    log = work_dir / f"splink_alone_{settings}.log"
    measured = run_measured(command, dict(os.environ), log)
    samples = measured.pop("rss_samples")
    if measured["exit_status"] != 0:
        return {**measured, "error": log.read_text("utf-8")[-1500:]}
    result = json.loads(out.read_text("utf-8"))
    phases = [
        {
            "phase": phase,
            "seconds": times["seconds"],
            "peak_rss_gib": _peak_between(samples, times["start"], times["end"]),
        }
        for phase, times in result.pop("phases").items()
    ]
    return {**measured, **result, "phases": phases}


def profile_memory_limit() -> str:
    """The builds' DuckDB memory_limit when --memory-limit does not set it."""
    limit = duckdb_profile_config()["memory_limit"]
    if "CRM_DUCKDB_MEMORY_LIMIT" in os.environ:
        return f"{limit} (CRM_DUCKDB_MEMORY_LIMIT)"
    return f"{limit} (the profile's default)"


def limited_profiles(directory: Path, memory_limit: str) -> Path:
    """A copy of the project's profiles.yml with DuckDB's memory_limit set (its block
    allocator follows it: crm_quality/duckdb_memory.py)."""
    profiles = yaml.safe_load((REPO_ROOT / "profiles.yml").read_text("utf-8"))
    profiles["crm_quality"]["outputs"]["duckdb"]["config_options"]["memory_limit"] = memory_limit
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "profiles.yml").write_text(yaml.safe_dump(profiles), "utf-8")
    return directory


def _manifest_nodes(path: Path) -> dict:
    manifest = json.loads(path.read_text("utf-8"))
    return {**manifest.get("nodes", {}), **manifest.get("sources", {})}


def _peak_between(samples: list[tuple[float, float]], start: float, end: float) -> float | None:
    inside = [rss for moment, rss in samples if start <= moment <= end]
    return round(max(inside), 2) if inside else None


def summarise(build: dict) -> tuple[list[dict], list[dict], list[dict]]:
    """Per-stage wall and busy seconds and peak RSS, and the slowest nodes."""
    spans: dict[str, list[float]] = defaultdict(lambda: [float("inf"), 0.0, 0.0, 0])
    samples = build["rss_samples"]
    server = build.get("server_samples")  # PostgreSQL's memory, when sampled

    def peaks(start: float | None, end: float | None) -> dict:
        found = {"peak_rss_gib": _peak_between(samples, start, end) if end else None}
        if server is not None:
            found["server_peak_gib"] = _peak_between(server, start, end) if end else None
        return found

    nodes = []
    for result in build["run_results"]["results"]:
        stage = _stage(result, build["manifest_nodes"])
        timing = [t for t in result.get("timing", []) if t.get("started_at")]
        start = end = None
        if timing:
            start = min(_timestamp(t["started_at"]) for t in timing)
            end = max(_timestamp(t["completed_at"]) for t in timing)
            span = spans[stage]
            span[0], span[1] = min(span[0], start), max(span[1], end)
        spans[stage][2] += result["execution_time"]
        spans[stage][3] += 1
        nodes.append(
            {
                "node": result["unique_id"].split(".", 2)[-1],
                "stage": stage,
                "seconds": round(result["execution_time"], 2),
                "status": result["status"],
                **peaks(start, end),
            }
        )
    order = {stage: index for index, (_, stage) in enumerate(STAGES[1:] + STAGES[:1])}
    stages = [
        {
            "stage": stage,
            "nodes": count,
            "wall_seconds": round(end - start, 1) if end else 0.0,
            "busy_seconds": round(busy, 1),
            **peaks(start, end),
        }
        for stage, (start, end, busy, count) in sorted(
            spans.items(), key=lambda item: order.get(item[0], len(order))
        )
    ]
    matching = [node for node in nodes if node["stage"].startswith("matching")]
    nodes.sort(key=lambda node: -node["seconds"])
    return stages, nodes[:15], matching


def clusters_accuracy(warehouse: Warehouse, raw_dir: Path) -> dict | None:
    """The builds' clusters and figures against the generator's truth, so a faster build shows
    what it cost. DuckDB only: on PostgreSQL the cross-engine test compares them with DuckDB's."""
    if warehouse.target != "duckdb":
        return None
    report = accuracy_report(warehouse.path, raw_dir, thresholds=[ACCURACY_THRESHOLD])
    return {key: report[key] for key in ("headline", "shortage", "duplicates")}


def _accuracy_lines(accuracy: dict | None) -> list[str]:
    """The accuracy section's text: pair figures per task, then the shortage and duplicates."""
    if accuracy is None:
        return ["Measured on DuckDB only: on PostgreSQL the cross-engine test compares the "
                "clusters and figures with DuckDB's."]  # fmt: skip
    headline, shortage = accuracy["headline"], accuracy["shortage"]
    duplicates = accuracy["duplicates"]
    lines = ["| task | true pairs | predicted pairs | precision | recall | F1 |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for key, label in ACCURACY_TASKS:
        row = headline[key]
        lines.append(
            f"| {label} | {row['true_pairs']:,} | {row['predicted_pairs']:,} | "
            f"{row['precision']} | {row['recall']} | {row['f1']} |"
        )
    error = duplicates["relative_error"]
    return [
        *lines,
        "",
        f"Shortage rate {shortage['shortage_rate_pct']} % against the truth's "
        f"{shortage['true_shortage_rate_pct']} % ({shortage['error_pct_points']} points; "
        f"the truth {'within' if shortage['truth_within_bounds'] else 'OUTSIDE'} the bounds "
        f"{shortage['shortage_rate_low_pct']}–{shortage['shortage_rate_high_pct']} %). CRM "
        f"duplicate records {duplicates['crm_duplicate_records']:,} against "
        f"{duplicates['true_crm_duplicate_records']:,}"
        + (f" ({error:+.2%})" if error is not None else "")
        + f". Households merged: {headline['household_merges']:,}.",
    ]


def source_state() -> dict:
    """The commit measured and the files that differed from it when the run started."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True)
        return done.stdout

    changed = [line[3:] for line in git("status", "--porcelain").splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "uncommitted": changed}


def _counts(raw_dir: Path) -> dict:
    summary = json.loads((raw_dir / "truth.json").read_text("utf-8"))
    return {
        key: summary[key] for key in ("people", "seed", "crm_rows", "billing_rows", "order_rows")
    }


def _tests(build: dict, statuses: tuple[str, ...]) -> list[str]:
    return [
        result["unique_id"].split(".")[2]
        for result in build["run_results"]["results"]
        if result["status"] in statuses
    ]


# A PostgreSQL build's server memory figures (run_measured), when the server was sampled.
SERVER_FIGURES = ("server_peak_gib", "build_and_server_peak_gib", "server_memory_measure")


def build_result(build: dict, name: str, records: int) -> dict:
    """One build's figures: totals, the model it used, stages, slowest and matching nodes."""
    stages, slowest, matching = summarise(build)
    figures = {key: build[key] for key in ("wall_seconds", "exit_status", "dbt_summary")}
    return {
        "name": name,
        **figures,
        "peak_rss_gib": build["peak_rss_gib"],
        **{key: build[key] for key in SERVER_FIGURES if key in build},
        "records_per_second": round(records / build["wall_seconds"]),
        "model": build["model"],
        "failed_tests": _tests(build, ("fail", "error")),
        "warned_tests": _tests(build, ("warn",)),
        "stages": stages,
        "slowest_nodes": slowest,
        "matching_nodes": matching,
    }


# Issue targets for the full DuckDB build at a million CRM contacts (the first build, which
# trains): time against Splink alone on the same records, throughput, peak memory.
TARGET_RATIO_TO_SPLINK = 1.5
TARGET_RECORDS_PER_SECOND = 15_000
TARGET_PEAK_RSS_GIB = 6.0


def targets(first: dict, splink: dict, target: str = "duckdb") -> list[dict]:
    """The first build's headline figures beside their targets, and whether each is met. A
    build that failed meets none: its time and throughput measure a build that stopped. The
    targets are the DuckDB build's: on another engine the figures stand beside them unjudged
    (met None), with the server's memory added to the build's."""
    # A Splink run that failed measured how long it took to fail, not Splink.
    splink_seconds = splink.get("wall_seconds") if splink.get("exit_status", 0) == 0 else None
    ratio = _ratio(first["wall_seconds"], splink_seconds)
    completed = first.get("exit_status", 0) == 0
    judged = target == "duckdb"
    rows = [
        ("full build / Splink alone (wall time)", ratio, TARGET_RATIO_TO_SPLINK, "at most"),
        (
            "person records per second",
            first["records_per_second"],
            TARGET_RECORDS_PER_SECOND,
            "at least",
        ),
        ("peak RSS GiB", first["peak_rss_gib"], TARGET_PEAK_RSS_GIB, "at most"),
    ]
    if "build_and_server_peak_gib" in first:
        figure = "peak RSS + database server memory GiB (sampled together)"
        rows.append((figure, first["build_and_server_peak_gib"], TARGET_PEAK_RSS_GIB, "at most"))
    return [
        {
            "figure": figure,
            "value": value,
            "target": f"{direction} {bound:,}",
            "met": (
                completed
                and value is not None
                and (value <= bound if direction == "at most" else value >= bound)
            )
            if judged
            else None,
        }
        for figure, value, bound, direction in rows
    ]


def _targets_table(result: dict) -> list[str]:
    lines = ["| figure (first build) | value | target | met |", "|---|---|---|---|"]
    for row in result.get("targets") or targets(
        result["builds"][0], result["splink_alone"], result.get("target", "duckdb")
    ):
        met = {True: "yes", False: "**no**", None: "not judged (DuckDB's target)"}[row["met"]]
        lines.append(f"| {row['figure']} | {_cell(row['value'])} | {row['target']} | {met} |")
    return lines


def _cell(value: object) -> str:
    """A table cell; a missing figure (e.g. a peak of a step shorter than a sample) is '–'."""
    if value is None or value == "":
        return "–"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    return round(ours / theirs, 2) if ours is not None and theirs else None


def _stage_figure(build: dict, stage: str, key: str) -> float | None:
    return next((row[key] for row in build["stages"] if row["stage"] == stage), None)


def compare(build: dict, splink: dict) -> list[dict]:
    """Our matching stages (busy seconds) beside Splink alone's phases, with the ratios."""
    phases = {phase["phase"]: phase for phase in splink.get("phases", [])}
    rows = []
    for stage, phase in COMPARED_STEPS:
        ours = _stage_figure(build, stage, "busy_seconds")
        theirs = phases.get(phase, {}).get("seconds")
        rows.append(
            {
                "step": stage,
                "splink_phase": phase,
                "crm_quality_seconds": ours,
                "splink_alone_seconds": theirs,
                "ratio": _ratio(ours, theirs),
                "crm_quality_peak_rss_gib": _stage_figure(build, stage, "peak_rss_gib"),
                "splink_alone_peak_rss_gib": phases.get(phase, {}).get("peak_rss_gib"),
            }
        )
    if all(row["ratio"] is not None for row in rows):
        ours = round(sum(row["crm_quality_seconds"] for row in rows), 1)
        theirs = round(sum(row["splink_alone_seconds"] for row in rows), 1)
        rows.append(
            {
                "step": "the three together",
                "splink_phase": "training + prediction + clustering",
                "crm_quality_seconds": ours,
                "splink_alone_seconds": theirs,
                "ratio": _ratio(ours, theirs),
                "crm_quality_peak_rss_gib": max(
                    (row["crm_quality_peak_rss_gib"] or 0) for row in rows
                ),
                "splink_alone_peak_rss_gib": splink["peak_rss_gib"],
            }
        )
    return rows


# What each build's model state is called in the results table.
MODEL_ROWS = (
    ("mart_matching_model.model_id", "model_id"),
    ("mart_matching_model.trained_at", "trained_at"),
    ("mart_matching_model.training_reason", "training_reason"),
    ("int_matching_models rows (the registry)", "registry_rows"),
    ("pairs scored (match probability >= 0.01)", "pairs"),
    ("clusters at the headline threshold (0.9)", "clusters"),
    ("prediction blocking keys", "blocking_keys"),
    ("pairs those keys make (summed per key)", "blocking_key_pairs"),
    ("reading the model failed", "error"),
)


def _builds_table(result: dict) -> list[str]:
    first, second = result["builds"]
    rows = [
        ("full `dbt build` wall time (s)", "wall_seconds"),
        ("person records (CRM + billing) per second", "records_per_second"),
        ("peak RSS GiB (dbt process, DuckDB and Python models included)", "peak_rss_gib"),
        ("dbt result", "dbt_summary"),
        ("exit status", "exit_status"),
    ]
    if "server_peak_gib" in first:
        measure = first.get("server_memory_measure") or "PSS or RSS"
        rows[3:3] = [
            (f"PostgreSQL server peak GiB ({measure}, all its processes)", "server_peak_gib"),
            ("build process + server peak GiB (sampled together)", "build_and_server_peak_gib"),
        ]
    lines = [
        f"| figure | {first['name']} | {second['name']} |",
        "|---|---|---|",
        *(f"| {label} | {_cell(first[key])} | {_cell(second[key])} |" for label, key in rows),
        f"| {TRAINING_STAGE} (s) | {_stage_figure(first, TRAINING_STAGE, 'busy_seconds')} "
        f"| {_stage_figure(second, TRAINING_STAGE, 'busy_seconds')} |",
        *(
            f"| {status} tests | {', '.join(first.get(key, [])) or 'none'} "
            f"| {', '.join(second.get(key, [])) or 'none'} |"
            for status, key in (("failed", "failed_tests"), ("warned", "warned_tests"))
        ),
    ]
    for label, key in MODEL_ROWS:
        if key in first["model"] or key in second["model"]:
            cells = [label, first["model"].get(key), second["model"].get(key)]
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return lines


# How each Splink alone was set up, as the results say it.
BASELINES = {
    "project": "the build's own comparisons and blocking keys, read from the model the first "
    "build trained, with Splink's own training (prior from the build's deterministic rules, u "
    "from random pairs, EM on the build's training keys)",
    "stock": "Splink's comparison library and five of the build's kind of blocking keys",
}


def _comparison_table(splink: dict, rows: list[dict], first: dict) -> list[str]:
    if "error" in splink:
        return [
            f"Splink alone failed (exit status {splink['exit_status']}):",
            "",
            "```",
            splink["error"],
            "```",
        ]
    phases = ", ".join(f"{phase['phase']} {phase['seconds']} s" for phase in splink["phases"])
    lines = [
        f"Splink {splink['splink_version']} alone (benchmarks/splink_baseline.py: "
        f"{BASELINES[splink.get('settings', 'stock')]}; its default in-memory DuckDB) on the "
        f"same {splink['records']:,} records, in a process of its own: {splink['wall_seconds']} "
        f"s in all ({phases}), peak RSS {splink['peak_rss_gib']} GiB; "
        f"{splink['pairs']:,} pairs at match probability >= 0.01, {splink['clusters']:,} "
        f"clusters at 0.9; its {splink.get('blocking_keys')} blocking keys make "
        f"{_cell(splink.get('blocking_key_pairs'))} pairs (summed per key). The first build: "
        f"{_cell(first.get('pairs'))} pairs, {_cell(first.get('clusters'))} clusters, "
        f"{_cell(first.get('blocking_keys'))} blocking keys making "
        f"{_cell(first.get('blocking_key_pairs'))} pairs. crm-quality's figures are the first "
        "build's (the one that trains): "
        "the nodes' execution times, which include reading the records from the warehouse and "
        "writing the result back; their peaks are the whole dbt process's while the stage ran "
        "(another node may run beside it).",
        "",
        "| step | Splink alone phase | crm-quality s | Splink alone s | ours / Splink alone "
        "| crm-quality peak GiB | Splink alone peak GiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell(value) for value in row.values()) + " |")
    return lines


def _stages_table(result: dict) -> list[str]:
    first, second = result["builds"]
    by_stage = [{row["stage"]: row for row in build["stages"]} for build in (first, second)]
    names = list(by_stage[0]) + [name for name in by_stage[1] if name not in by_stage[0]]
    keys = ["wall_seconds", "busy_seconds", "peak_rss_gib"]
    headers = ["wall s", "busy s", "peak GiB"]
    if "server_peak_gib" in first:
        keys.append("server_peak_gib")
        headers.append("server peak GiB")
    columns = [f"first: {headers[0]}", *headers[1:], f"second: {headers[0]}", *headers[1:]]
    lines = [
        "| stage | nodes | " + " | ".join(columns) + " |",
        "|---|---|" + "---|" * len(columns),
    ]
    for name in names:
        cells = [name, next(s[name]["nodes"] for s in by_stage if name in s)]
        for stages in by_stage:
            row = stages.get(name, {})
            cells += [row.get(key, "") for key in keys]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return lines


def _engine_text(result: dict) -> dict[str, str]:
    """What the results say about the engine the builds ran on (DuckDB when not recorded)."""
    if result.get("target", "duckdb") != "postgres":
        return {
            "name": "DuckDB",
            "engine": "Target: DuckDB (the embedded warehouse file). DuckDB memory_limit of "
            f"the builds: {result['duckdb_memory_limit']}.",
            "targets": "The targets hold at a million CRM contacts; a smaller run shows the trend.",
            "store": "one warehouse file",
            "fresh": "a fresh warehouse file",
            "same": "the same file",
        }
    server = result["postgres"]
    settings = ", ".join(f"{name} {value}" for name, value in server["settings"].items())
    memory = (
        f"Its memory is sampled over all its processes ({server['memory_measure']})."
        if server.get("postmaster_pid")
        else "It does not run on this host: its memory is not measured."
    )
    return {
        "name": "PostgreSQL",
        "engine": f"Target: PostgreSQL {server['version']}, {server['server']}; the builds "
        f"write into schema {server['schema']} (and its _restricted and _audit schemas). "
        f"Server settings: {settings}"
        + (
            f"; the builds' own sessions take PGOPTIONS `{server['build_session_options']}`"
            " (crm_quality.build)"
            if server.get("build_session_options")
            else ""
        )
        + f". {memory}",
        "targets": "The speed targets are for the DuckDB build at a million CRM contacts: "
        "the PostgreSQL build's figures stand beside them unjudged.",
        "store": "one database",
        "fresh": f"empty schemas (the first build drops {server['schema']} and its "
        "_restricted and _audit schemas)",
        "same": "the same schemas",
    }


def render(result: dict) -> str:
    """The result as Markdown."""
    data, (first, second) = result["data"], result["builds"]
    reuse = result["reuse"]
    engine = _engine_text(result)
    lines = [
        f"# Benchmark on {engine['name']}: full `dbt build` twice, and Splink alone on the "
        "same records",
        "",
        *([f"**Note:** {result['note']}", ""] if result.get("note") else []),
        f"{engine['engine']} Run {result['started_at']} on {result['machine']}. Generated data: "
        f"{data['people']:,} people (seed {data['seed']}): {data['crm_rows']:,} CRM contacts, "
        f"{data['billing_rows']:,} billing accounts, {data['order_rows']:,} orders "
        + (
            f"(generated in {result['generation_seconds']} s, not part of the build)."
            if result["generation_seconds"]
            else "(reused from an earlier run; generating is not part of the build)."
        )
        + f" Code: commit {result['source']['commit']}"
        + (
            f", with uncommitted changes to {', '.join(result['source']['uncommitted'])}."
            if result["source"]["uncommitted"]
            else "."
        )
        + " The machine is shared with other jobs: compare the ratios between figures of this "
        "run, not absolute times across runs.",
        "",
        "## Targets",
        "",
        engine["targets"],
        "",
        *_targets_table(result),
        "",
        f"## Two builds on {engine['store']}",
        "",
        f"The first build starts from {engine['fresh']}, so int_matching_models trains a "
        f"model on the records; the second builds the same data into {engine['same']}, so it "
        "only profiles the records and reuses the stored model.",
        "",
        *_builds_table(result),
        "",
        f"Second build reused the first build's model: **{'yes' if reuse['reused'] else 'NO'}**"
        f" ({reuse['evidence']}). Reuse check / training time: "
        f"{reuse['reuse_check_seconds']} s / {reuse['training_seconds']} s = "
        f"{_ratio(reuse['reuse_check_seconds'], reuse['training_seconds'])}; second / first "
        f"build wall time: {_ratio(second['wall_seconds'], first['wall_seconds'])}.",
        "",
        f"## Accuracy against the generator's truth (threshold {ACCURACY_THRESHOLD:g})",
        "",
        "The clusters the builds made (the second reuses the first's model), judged against "
        "the people the generator drew (crm_quality.matching.accuracy).",
        "",
        *_accuracy_lines(result.get("accuracy")),
        "",
        "## crm-quality against Splink alone",
        "",
        "Splink alone is Splink with the project's own comparisons and blocking rules, trained "
        "and run on the same standardized records: the targets' ratio is to it. Splink's stock "
        "comparisons on fewer keys follow, for scale.",
        "",
        *_comparison_table(
            result["splink_alone"], result["comparison"], result["builds"][0]["model"]
        ),
        *(
            [
                "",
                "### Splink alone, stock comparisons",
                "",
                *_comparison_table(
                    result["splink_stock"],
                    result["comparison_stock"],
                    result["builds"][0]["model"],
                ),
            ]
            if "splink_stock" in result
            else []
        ),
        "",
        "## Time per stage",
        "",
        *_stages_table(result),
    ]
    for build in (first, second):
        keys = ["node", "stage", "seconds", "peak_rss_gib"]
        header = "| node | stage | s | peak RSS GiB (sampled) |"
        if "server_peak_gib" in build:
            keys.append("server_peak_gib")
            header += " server peak GiB |"
        lines += [
            "",
            f"## Slowest nodes, {build['name']}",
            "",
            header,
            "|---" * len(keys) + "|",
        ]
        lines += [
            "| " + " | ".join(_cell(node.get(key)) for key in keys) + " |"
            for node in build["slowest_nodes"]
        ]
    return "\n".join(lines) + "\n"


def reuse_evidence(first: dict, second: dict) -> dict:
    """Whether the second build used the first build's model, and the figures showing it."""
    before, after = first["model"], second["model"]
    reused = (
        "error" not in before
        and "error" not in after
        and before["model_id"] == after["model_id"]
        and before["trained_at"] == after["trained_at"]
        and before["registry_rows"] == after["registry_rows"]
    )
    evidence = (
        f"model_id {after.get('model_id')} and trained_at {after.get('trained_at')} after both "
        f"builds, int_matching_models {before.get('registry_rows')} -> "
        f"{after.get('registry_rows')} row(s)"
    )
    return {
        "reused": reused,
        "evidence": evidence,
        "training_seconds": _stage_figure(first, TRAINING_STAGE, "busy_seconds"),
        "reuse_check_seconds": _stage_figure(second, TRAINING_STAGE, "busy_seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--work", type=Path, required=True, help="data, warehouse and logs")
    parser.add_argument("--out", type=Path, required=True, help="output prefix (.json, .md)")
    parser.add_argument(
        "--memory-limit",
        help="build with DuckDB's memory_limit set to this (e.g. 8GB) in a copy of profiles.yml",
    )
    parser.add_argument("--note", help="a remark printed at the top of <out>.md")
    parser.add_argument(
        "--target",
        choices=("duckdb", "postgres"),
        default="duckdb",
        help="the warehouse engine; postgres: the PG* variables' server when PGHOST is set, "
        "else a throwaway cluster under --work",
    )
    parser.add_argument(
        "--pg-schema", default=PG_SCHEMA, help="postgres: the schema the builds write (dropped)"
    )
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    raw_dir = args.work / "raw"
    generation = generate(args.people, args.seed, raw_dir)
    data = _counts(raw_dir)
    records = data["crm_rows"] + data["billing_rows"]
    started_at = datetime.now().isoformat(timespec="seconds")
    source = source_state()
    profiles_dir = REPO_ROOT
    if args.memory_limit:
        profiles_dir = limited_profiles(args.work / "profiles", args.memory_limit)
    warehouse = Warehouse(args.target, args.work / "warehouse.duckdb")
    postgres = None
    with contextlib.ExitStack() as stack:
        if args.target == "postgres":
            server = stack.enter_context(postgres_server(args.work))
            postgres = {"server": server, "schema": args.pg_schema, **server_state()}
            warehouse = Warehouse(
                "postgres", warehouse.path, args.pg_schema, postgres["postmaster_pid"]
            )
        builds = [
            build_result(
                run_build(raw_dir, args.work, profiles_dir, warehouse, name="build-1", fresh=True),
                "first build (fresh: trains)",
                records,
            ),
            build_result(
                run_build(raw_dir, args.work, profiles_dir, warehouse, name="build-2", fresh=False),
                "second build (same data: reuses)",
                records,
            ),
        ]
        accuracy = clusters_accuracy(warehouse, raw_dir)
        splink = run_splink_alone(warehouse, args.work, "project")
        stock = run_splink_alone(warehouse, args.work, "stock")
    if postgres is not None:
        postgres["memory_measure"] = builds[0].get("server_memory_measure")
        postgres["build_session_options"] = postgres_session_options(
            os.environ.get("PGOPTIONS", "")
        )
    result = {
        "target": args.target,
        "postgres": postgres,
        "started_at": started_at,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3)} GiB RAM",
        "duckdb_memory_limit": args.memory_limit or profile_memory_limit(),
        "note": args.note,
        "source": source,
        "data": data,
        "generation_seconds": round(generation, 1),
        "reuse": reuse_evidence(*builds),
        "builds": builds,
        "accuracy": accuracy,
        "splink_alone": splink,
        "comparison": compare(builds[0], splink),
        "splink_stock": stock,
        "comparison_stock": compare(builds[0], stock),
        "targets": targets(builds[0], splink, args.target),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    args.out.with_suffix(".md").write_text(render(result), "utf-8")
    print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
