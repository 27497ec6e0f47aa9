"""Does training on review labels beat unsupervised training? Measured on data with truth.

    .venv/bin/python benchmarks/label_training.py --work target/label-study \
        --out benchmarks/label_training [--sizes 50,100,200] [--pseudo-counts 20]

Per dataset: a build without labels; the review sample of its warehouse (as make review-sample
draws it) labelled from the truth (python_checks/review_truth.py) at each sample size; then
two builds of a copy of that warehouse with the labels: one training as before
(er_train_on_labels false: the labels only bind the clusters) and one whose training uses
them. Pair precision, recall and F1 at the headline threshold are read twice: from the model's
scores alone (no label binding, the threshold sweep) and from the built clusters; the shortage
error is the built mart's. Writes OUT.md and OUT.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crm_quality.connect import connect  # noqa: E402
from crm_quality.external.febrl import write_raw  # noqa: E402
from crm_quality.matching.accuracy import accuracy_report  # noqa: E402
from crm_quality.review import queries  # noqa: E402
from crm_quality.review.sample import draw_sample  # noqa: E402
from python_checks.review_truth import label_pairs, write_labels  # noqa: E402

AS_OF = "2026-06-30"
THRESHOLD = "0.9"
NOT_MEASURED = [
    "--exclude",
    "test_name:null_rate_at_most",
    "test_name:shortage_rate_at_most",
    "test_name:defect_rate_at_most",
]


def generated(people: int, seed: int, *extra: str) -> Callable[[Path], None]:
    def write(raw: Path) -> None:
        subprocess.run(
            [sys.executable, "-m", "crm_quality.demo", "--people", str(people), "--seed",
             str(seed), "--as-of", AS_OF, "--out", str(raw), *extra],
            check=True, cwd=REPO, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    return write


DATASETS: dict[str, Callable[[Path], None]] = {
    "generated 3,000 people": generated(3000, 5),
    "generated 3,000 people, no e-mail or phone": generated(3000, 6, "--without", "email,phone"),
    "FEBRL2 (link layout)": lambda raw: write_raw("2", "link", raw),
    # Larger: the uncertain bands hold more pairs than a sample labels.
    "generated 20,000 people": generated(20000, 7),
}


def build(raw: Path, warehouse: Path, variables: str, labels: Path | None = None) -> float:
    """One whole build (crm_quality.build); returns its seconds."""
    env = {**os.environ, "CRM_LABELS": str(labels) if labels else ""}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "crm_quality.build", "--raw-dir", str(raw), "--warehouse",
         str(warehouse), "--target", "duckdb", "--target-path", str(warehouse.parent / "target"),
         "--vars", variables, "--", *NOT_MEASURED],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-3000:])
    return time.perf_counter() - started


def sample_labels(warehouse: Path, raw: Path, size: int, out: Path) -> dict[str, int]:
    """The review sample of `size` pairs, labelled from the truth into `out`."""
    with connect(warehouse, restricted=True) as connection:
        _, seed = queries.sample_settings(connection)
        draw = draw_sample(
            queries.scored_pairs(connection), queries.near_miss_pairs(connection), set(), size, seed
        )
    labels = label_pairs([pair.key for _, pair in draw.pairs], raw, warehouse)
    out.unlink(missing_ok=True)
    write_labels(labels, out)
    return {"labels": len(labels), "matches": int(labels["is_match"].sum())}


def measured(warehouse: Path, raw: Path) -> dict[str, object]:
    report = accuracy_report(warehouse, raw, thresholds=[float(THRESHOLD)])
    with connect(warehouse, restricted=True) as connection:
        (model,) = connection.execute(
            "select model_json from matching_model_registry order by trained_at desc limit 1"
        ).fetchone()
    return {
        "model": report["threshold_sweep"][THRESHOLD],
        "clusters": report["headline"],
        "shortage_error_pct_points": report["shortage"]["error_pct_points"],
        "labels_in_training": json.loads(model)["training"].get("labels"),
    }


def run(
    work: Path, sizes: list[int], pseudo_counts: list[float], names: list[str]
) -> dict[str, object]:
    results: dict[str, object] = {}
    for name in names:
        write = DATASETS[name]
        root = work / "".join(char if char.isalnum() else "-" for char in name.lower())
        shutil.rmtree(root, ignore_errors=True)
        write(root / "raw")
        base = root / "unsupervised" / "warehouse.duckdb"
        base.parent.mkdir(parents=True)
        seconds = build(root / "raw", base, f'{{as_of_date: "{AS_OF}"}}')
        rows = [
            {"run": "unsupervised, no labels", "seconds": seconds, **measured(base, root / "raw")}
        ]
        for size in sizes:
            labels = root / f"labels_{size}.csv"
            counts = sample_labels(base, root / "raw", size, labels)
            runs = [("labels bind clusters only", "false", 20.0)] + [
                (f"labels train m (pseudo-count {alpha:g})", "true", alpha)
                for alpha in pseudo_counts
            ]
            for label, train, alpha in runs:
                warehouse = root / f"{size}_{train}_{alpha:g}" / "warehouse.duckdb"
                warehouse.parent.mkdir(parents=True)
                shutil.copy(base, warehouse)
                variables = (
                    f'{{as_of_date: "{AS_OF}", er_train_on_labels: {train},'
                    f" er_label_pseudo_count: {alpha}}}"
                )
                seconds = build(root / "raw", warehouse, variables, labels)
                rows.append(
                    {"run": f"{size} labels: {label}", "sample": counts, "seconds": seconds,
                     **measured(warehouse, root / "raw")}
                )  # fmt: skip
                print(name, rows[-1]["run"], rows[-1]["model"]["crm_dedup"], flush=True)
        results[name] = rows
    return results


def _cell(metrics: dict[str, dict[str, float]], task: str) -> str:
    row = metrics.get(task)
    if not row or not row.get("true_pairs"):
        return "–"
    return f"{row['precision']:.4f} / {row['recall']:.4f} / {row['f1']:.4f}"


def render(results: dict[str, object], command: str) -> str:
    lines = [
        "# Training on review labels vs unsupervised training",
        "",
        f"Measured with `{command}` (written by benchmarks/label_training.py; see its docstring).",
        "P / R / F1 are pair precision, recall and F1 at the headline threshold (0.9): *model*",
        "from the model's scores alone, *clusters* from the build's customers, where the labels",
        "also bind. Shortage error: estimated minus true shortage rate, in points.",
        "",
    ]
    for name, rows in results.items():
        lines += [
            f"## {name}",
            "",
            "| run | labels (matches) | model CRM dedup P / R / F1 | model CRM↔billing P / R / F1 "
            "| clusters CRM dedup F1 | clusters CRM↔billing F1 | shortage error (points) |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            sample = row.get("sample")
            given = f"{sample['labels']} ({sample['matches']})" if sample else "–"
            clusters = row["clusters"]
            error = row["shortage_error_pct_points"]
            lines.append(
                f"| {row['run']} | {given} | {_cell(row['model'], 'crm_dedup')} "
                f"| {_cell(row['model'], 'crm_billing_link')} "
                f"| {clusters.get('crm_dedup', {}).get('f1', float('nan')):.4f} "
                f"| {clusters.get('crm_billing_link', {}).get('f1', float('nan')):.4f} "
                f"| {'–' if error is None else f'{error:+.3f}'} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=REPO / "target" / "label-study")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "label_training")
    parser.add_argument("--sizes", default="50,100,200")
    parser.add_argument("--pseudo-counts", default="20")
    parser.add_argument(
        "--datasets", default=";".join(DATASETS), help=f"';'-separated, of: {'; '.join(DATASETS)}"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    alphas = [float(alpha) for alpha in args.pseudo_counts.split(",")]
    results = run(args.work, sizes, alphas, args.datasets.split(";"))
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    command = " ".join(["benchmarks/label_training.py", *sys.argv[1:]])
    args.out.with_suffix(".md").write_text(render(results, command), "utf-8")
    print(render(results, command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
