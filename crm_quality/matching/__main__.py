"""Command line: train the matching model, or measure a build's accuracy against truth.

    python -m crm_quality.matching train --warehouse W.duckdb [--out MODEL.json] [--seed N]
                                         [--labels LABELS.csv]
    python -m crm_quality.matching train-step [--target postgres] [--duckdb-path W.duckdb]
    python -m crm_quality.matching accuracy --warehouse W.duckdb --raw RAW_DIR --out PREFIX
    python -m crm_quality.matching summary --out PREFIX LABEL=REPORT.json ...

`train` reads int_person_records_standardized from a built warehouse (read-only) and runs
Splink on an in-memory DuckDB; with `--labels` (a steward's labels file, docs/review.md) the
labelled matches inform m. `train-step` is a build's training step (train_step.py: train
or reuse, append to the warehouse's registry); crm_quality.build runs it between the two dbt
selections. `accuracy` writes PREFIX.json and PREFIX.md; `summary` puts
several accuracy reports into one PREFIX.md / PREFIX.json (benchmarks/accuracy).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from splink import DuckDBAPI

from crm_quality.connect import connect
from crm_quality.matching.accuracy import accuracy_report, render_markdown, render_summary
from crm_quality.matching.duckdb_backend import matching_features
from crm_quality.matching.model import DEFAULT_MODEL_PATH, save_model
from crm_quality.matching.train_step import open_warehouse, run_train_step
from crm_quality.matching.training import DEFAULT_SEED, train_model
from crm_quality.review.labels import read_labels

DEFAULT_MAX_KEY_GROUP_SIZE = 20


def _train(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with connect(args.warehouse, restricted=True) as warehouse:
        records = warehouse.table("int_person_records_standardized")
        features = matching_features(warehouse, records, args.max_key_group_size)
    labels = read_labels(args.labels) if args.labels else None
    model = train_model(DuckDBAPI(), features, seed=args.seed, labels=labels)
    path = save_model(model, args.out)
    used = model["training"].get("labels")
    with_labels = f", {used['pairs_used']} of {used['pairs_given']} labelled pairs" if used else ""
    print(
        f"trained on {features.num_rows} records (seed {args.seed}{with_labels}) in "
        f"{time.perf_counter() - started:.1f}s -> {path}"
    )
    return 0


def _train_step(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with open_warehouse(args.target, args.duckdb_path) as warehouse:
        result = run_train_step(warehouse, args.schema)
    done = f"trained model {result.model_id}" if result.trained else f"reused {result.model_id}"
    print(
        f"matching: {done} on {result.record_count} records ({result.reason}) in "
        f"{time.perf_counter() - started:.1f}s"
    )
    return 0


def _accuracy(args: argparse.Namespace) -> int:
    report = accuracy_report(args.warehouse, args.raw, thresholds=args.thresholds)
    prefix = Path(args.out)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    prefix.with_suffix(".md").write_text(render_markdown(report), "utf-8")
    print(render_markdown(report))
    return 0


def _summary(args: argparse.Namespace) -> int:
    reports = {}
    for item in args.reports:
        label, _, path = item.partition("=")
        reports[label] = json.loads(Path(path).read_text("utf-8"))
    prefix = Path(args.out)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.with_suffix(".json").write_text(json.dumps(reports, indent=2) + "\n", "utf-8")
    text = render_summary(reports)
    prefix.with_suffix(".md").write_text(text, "utf-8")
    print(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_quality.matching")
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train the model on a built warehouse")
    train.add_argument("--warehouse", type=Path, required=True)
    train.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    train.add_argument("--seed", type=int, default=DEFAULT_SEED)
    train.add_argument("--max-key-group-size", type=int, default=DEFAULT_MAX_KEY_GROUP_SIZE)
    train.add_argument("--labels", type=Path, help="review labels CSV (CRM_LABELS) to inform m")
    train.set_defaults(run=_train)

    step = commands.add_parser("train-step", help="a build's training step (train or reuse)")
    step.add_argument("--target", choices=("duckdb", "postgres"), default="duckdb")
    step.add_argument("--duckdb-path", type=Path, help="the DuckDB warehouse file being built")
    step.add_argument("--schema", default=os.environ.get("CRM_PG_SCHEMA", "main"))
    step.set_defaults(run=_train_step)

    accuracy = commands.add_parser("accuracy", help="measure a build against generator truth")
    accuracy.add_argument("--warehouse", type=Path, required=True)
    accuracy.add_argument("--raw", type=Path, required=True, help="the generated data (truth)")
    accuracy.add_argument("--out", type=Path, required=True, help="output prefix (.json, .md)")
    accuracy.add_argument(
        "--thresholds",
        type=lambda text: [float(value) for value in text.split(",")],
        default=[0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995],
    )
    accuracy.set_defaults(run=_accuracy)

    summary = commands.add_parser("summary", help="several accuracy reports in one page")
    summary.add_argument("--out", type=Path, required=True, help="output prefix (.json, .md)")
    summary.add_argument("reports", nargs="+", help="LABEL=path/to/report.json")
    summary.set_defaults(run=_summary)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
