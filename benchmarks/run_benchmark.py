"""Benchmark the full `dbt build` on generated data: wall time per stage, records per second,
peak memory. Writes <out>.json and <out>.md (`make bench`).

    python benchmarks/run_benchmark.py --people 1061500 --seed 20261127 \
        --work target/entity-resolution/bench --out benchmarks/results

Data is generated once per (people, seed) and reused. Stage times come from dbt's
run_results.json: a stage's wall time is the span from its first node's start to its last
node's end (dbt runs two threads, so stages overlap a little); its busy time is the sum of
its nodes' execution times. Peak RSS is the dbt process's maximum resident set size (DuckDB
and the Python models run inside it, so it covers them), from getrusage; /proc is sampled
twice a second so each stage's and node's peak can be told apart.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
AS_OF_DATE = "2026-06-30"

# Stage of a node, from its path in the project (first match wins).
STAGES: tuple[tuple[str, str], ...] = (
    ("test.", "data tests"),
    ("operation.", "run hooks"),
    ("seed.", "seeds"),
    ("models/staging/", "staging"),
    ("models/intermediate/standardized/", "standardization"),
    ("int_record_pairs_scored", "matching: scoring pairs (Splink)"),
    ("int_person_records_clustered", "matching: clustering"),
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


def generate(people: int, seed: int, raw_dir: Path) -> float:
    """Generate the data unless the same people and seed are already there; seconds spent."""
    truth = raw_dir / "truth.json"
    if truth.exists():
        summary = json.loads(truth.read_text("utf-8"))
        if summary.get("people") == people and summary.get("seed") == seed:
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
    return time.perf_counter() - started


class _RssSampler(threading.Thread):
    """Samples a process's resident set size from /proc twice a second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.status = Path(f"/proc/{pid}/status")
        self.samples: list[tuple[float, float]] = []
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(0.5):
            try:
                text = self.status.read_text()
            except OSError:
                return
            match = re.search(r"VmRSS:\s+(\d+) kB", text)
            if match:
                self.samples.append((time.time(), int(match.group(1)) / 1024**2))


def run_build(raw_dir: Path, work_dir: Path, profiles_dir: Path = REPO_ROOT) -> dict:
    """A clean full `dbt build`; its wall time, exit status, peak RSS and an RSS timeline."""
    warehouse = work_dir / "warehouse.duckdb"
    for stale in (warehouse, work_dir / "warehouse.duckdb.wal"):
        stale.unlink(missing_ok=True)
    target = work_dir / "target"
    env = {
        **os.environ,
        "CRM_RAW_DIR": str(raw_dir),
        "CRM_DUCKDB_PATH": str(warehouse),
        "DBT_PROFILES_DIR": str(profiles_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--vars",
        f'{{as_of_date: "{AS_OF_DATE}"}}',
        "--target-path",
        str(target),
        "--log-path",
        str(work_dir / "logs"),
    ]
    log = (work_dir / "build.log").open("w", encoding="utf-8")
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=log, text=True)
    sampler = _RssSampler(process.pid)
    sampler.start()
    returncode = process.wait()
    wall = time.perf_counter() - started
    sampler.finished.set()
    log.close()
    # ru_maxrss of the largest finished child: the dbt process (DuckDB runs inside it).
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    output = (work_dir / "build.log").read_text("utf-8")
    summary = re.search(r"Done\. (PASS=.*)", output)
    return {
        "wall_seconds": round(wall, 1),
        "exit_status": returncode,
        "dbt_summary": summary.group(1).strip() if summary else None,
        "peak_rss_gib": round(peak_kib / 1024**2, 2),
        "rss_samples": sampler.samples,
        "run_results": json.loads((target / "run_results.json").read_text("utf-8")),
        "manifest_nodes": _manifest_nodes(target / "manifest.json"),
    }


def limited_profiles(directory: Path, memory_limit: str) -> Path:
    """A copy of the project's profiles.yml with DuckDB's memory_limit set."""
    profiles = yaml.safe_load((REPO_ROOT / "profiles.yml").read_text("utf-8"))
    for output in profiles["crm_quality"]["outputs"].values():
        output.setdefault("config_options", {})["memory_limit"] = memory_limit
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
                "peak_rss_gib": _peak_between(samples, start, end) if start else None,
            }
        )
    order = {stage: index for index, (_, stage) in enumerate(STAGES[1:] + STAGES[:1])}
    stages = [
        {
            "stage": stage,
            "nodes": count,
            "wall_seconds": round(end - start, 1) if end else 0.0,
            "busy_seconds": round(busy, 1),
            "peak_rss_gib": _peak_between(samples, start, end) if end else None,
        }
        for stage, (start, end, busy, count) in sorted(
            spans.items(), key=lambda item: order.get(item[0], len(order))
        )
    ]
    matching = [node for node in nodes if node["stage"].startswith("matching")]
    nodes.sort(key=lambda node: -node["seconds"])
    return stages, nodes[:15], matching


def _counts(raw_dir: Path) -> dict:
    summary = json.loads((raw_dir / "truth.json").read_text("utf-8"))
    return {
        key: summary[key] for key in ("people", "seed", "crm_rows", "billing_rows", "order_rows")
    }


def render(result: dict) -> str:
    data, build = result["data"], result["build"]
    lines = [
        "# Benchmark: full `dbt build`",
        "",
        f"Run {result['started_at']} on {result['machine']}. Generated data: "
        f"{data['people']:,} people (seed {data['seed']}): {data['crm_rows']:,} CRM contacts, "
        f"{data['billing_rows']:,} billing accounts, {data['order_rows']:,} orders "
        + (
            f"(generated in {result['generation_seconds']} s, not part of the build)."
            if result["generation_seconds"]
            else "(reused from an earlier run; generating is not part of the build)."
        ),
        "",
        "| figure | value |",
        "|---|---|",
        f"| full `dbt build` wall time | {build['wall_seconds']} s |",
        f"| person records (CRM + billing) per second | {result['records_per_second']:,} |",
        f"| peak RSS (dbt process, DuckDB and Python models included) | "
        f"{build['peak_rss_gib']} GiB |",
        f"| DuckDB memory_limit | {result['duckdb_memory_limit']} |",
        f"| dbt result | {build['dbt_summary']} (exit status {build['exit_status']}) |",
        "",
        "Failed tests: " + (", ".join(result["failed_tests"]) or "none") + ".",
        "",
        "## Wall time per stage",
        "",
        "| stage | nodes | wall s | busy s | peak RSS GiB (sampled) |",
        "|---|---|---|---|---|",
    ]
    for stage in result["stages"]:
        lines.append(
            f"| {stage['stage']} | {stage['nodes']} | {stage['wall_seconds']} "
            f"| {stage['busy_seconds']} | {stage['peak_rss_gib']} |"
        )
    lines += [
        "",
        "## Slowest nodes",
        "",
        "| node | stage | s | peak RSS GiB (sampled) |",
        "|---|---|---|---|",
    ]
    for node in result["slowest_nodes"]:
        lines.append(
            f"| {node['node']} | {node['stage']} | {node['seconds']} | {node['peak_rss_gib']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--work", type=Path, required=True, help="data, warehouse and logs")
    parser.add_argument("--out", type=Path, required=True, help="output prefix (.json, .md)")
    parser.add_argument(
        "--memory-limit",
        help="build with DuckDB's memory_limit set to this (e.g. 3GB) in a copy of profiles.yml",
    )
    args = parser.parse_args(argv)

    args.work.mkdir(parents=True, exist_ok=True)
    raw_dir = args.work / "raw"
    generation = generate(args.people, args.seed, raw_dir)
    data = _counts(raw_dir)
    started_at = datetime.now().isoformat(timespec="seconds")
    profiles_dir = REPO_ROOT
    if args.memory_limit:
        profiles_dir = limited_profiles(args.work / "profiles", args.memory_limit)
    build = run_build(raw_dir, args.work, profiles_dir)
    stages, slowest, matching = summarise(build)
    records = data["crm_rows"] + data["billing_rows"]
    result = {
        "started_at": started_at,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3)} GiB RAM",
        "duckdb_memory_limit": args.memory_limit
        or os.environ.get("CRM_DUCKDB_MEMORY_LIMIT", "3GB (the profile's default)"),
        "data": data,
        "generation_seconds": round(generation, 1),
        "build": {
            key: value
            for key, value in build.items()
            if key not in ("run_results", "manifest_nodes", "rss_samples")
        },
        "records_per_second": round(records / build["wall_seconds"]),
        "stages": stages,
        "slowest_nodes": slowest,
        "matching_nodes": matching,
        "failed_tests": [
            result["unique_id"].split(".")[2]
            for result in build["run_results"]["results"]
            if result["status"] in ("fail", "error")
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    args.out.with_suffix(".md").write_text(render(result), "utf-8")
    print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
