"""Accuracy of resolved clusters against known truth (the demo generator's truth files).

Pair metrics count record pairs: a predicted pair is two records in the same cluster, a true
pair two records of the same person. Both sets are counted per task: CRM deduplication
(CRM × CRM), billing deduplication (billing × billing) and CRM ↔ billing linkage
(CRM × billing). Everything is computed from group sizes, so no pair is ever materialised.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd

from crm_quality.connect import connect
from crm_quality.matching.clusters import cluster_pairs_at_thresholds

TASKS: Mapping[str, tuple[str, str]] = {
    "crm_dedup": ("crm", "crm"),
    "billing_dedup": ("billing", "billing"),
    "crm_billing_link": ("crm", "billing"),
}


@dataclass(frozen=True)
class PairMetrics:
    """Pair counts and the precision, recall and F1 they give."""

    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            **asdict(self),
            "precision": round(self.precision, 6),
            "recall": round(self.recall, 6),
            "f1": round(self.f1, 6),
        }


def read_truth_records(raw_dir: str | Path) -> pd.DataFrame:
    """truth_records.csv keyed like the warehouse (`record_key`), ambiguous CRM ids left out.

    A CRM row with a blank contact_id, or an id another row of its source repeats, cannot be
    joined to the warehouse by id (the warehouse suffixes them with '#n'), so every such row is
    dropped. With several sources (the generator's sources layout) only active records count:
    rows deleted in their source and converted leads are no person records.
    """
    truth = pd.read_csv(Path(raw_dir) / "truth_records.csv", dtype=str, keep_default_na=False)
    if "source_name" not in truth.columns:  # the contract layout: sources named by role
        truth["source_name"] = truth["source_system"]
    if "record_status" in truth.columns:
        truth = truth[truth["record_status"] == "active"]
    ids = truth["source_record_id"]
    repeated = truth.duplicated(["source_name", "source_record_id"], keep=False)
    truth = truth[(ids != "") & ~repeated]
    return pd.DataFrame(
        {
            "record_key": truth["source_name"] + ":" + truth["source_record_id"],
            "source_system": truth["source_system"],
            "person_id": truth["person_id"],
            "household_id": truth["household_id"],
        }
    ).reset_index(drop=True)


def _pairs_within(counts: pd.DataFrame, left: str, right: str) -> int:
    """Pairs inside groups with `counts[left]` and `counts[right]` members of each system."""
    if left == right:
        sizes = counts[left]
        return int((sizes * (sizes - 1) // 2).sum())
    return int((counts[left] * counts[right]).sum())


def _system_counts(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    counts = frame.groupby([*keys, "source_system"]).size().unstack(fill_value=0)
    for system in ("crm", "billing"):
        if system not in counts.columns:
            counts[system] = 0
    return counts


def pair_metrics(clusters: pd.DataFrame, truth: pd.DataFrame) -> dict[str, PairMetrics]:
    """Pair precision, recall and F1 per task for clusters (record_key, cluster_id).

    Only records present in both the clusters and the truth count.
    """
    joined = truth.merge(clusters[["record_key", "cluster_id"]], on="record_key", how="inner")
    by_person = _system_counts(joined, ["person_id"])
    by_cluster = _system_counts(joined, ["cluster_id"])
    by_both = _system_counts(joined, ["cluster_id", "person_id"])
    return {
        task: PairMetrics(
            true_pairs=_pairs_within(by_person, left, right),
            predicted_pairs=_pairs_within(by_cluster, left, right),
            correct_pairs=_pairs_within(by_both, left, right),
        )
        for task, (left, right) in TASKS.items()
    }


def household_merges(clusters: pd.DataFrame, truth: pd.DataFrame) -> int:
    """Clusters holding records of two or more members of the same household."""
    joined = truth[truth["household_id"] != ""].merge(
        clusters[["record_key", "cluster_id"]], on="record_key"
    )
    people = joined.groupby(["cluster_id", "household_id"])["person_id"].nunique()
    return int((people > 1).sum())


def _rounded(value: float | None, digits: int = 4) -> float | None:
    """A figure rounded for the report; None (or NaN: no billing, no rate) stays None."""
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _metrics_row(metrics: Mapping[str, PairMetrics]) -> dict[str, dict[str, float | int]]:
    return {task: value.as_dict() for task, value in metrics.items()}


def _missing_reason_truth(
    connection: duckdb.DuckDBPyConnection, truth: pd.DataFrame
) -> dict[str, dict[str, int]]:
    """Per missing_reason: how many of those customers truly have CRM records (matcher misses)."""
    rows = connection.sql(
        """
        select missing.missing_reason, xref.record_key, missing.customer_id
        from fct_missing_customers as missing
        inner join customer_xref as xref on missing.customer_id = xref.customer_id
        """
    ).df()
    in_crm = set(truth.loc[truth["source_system"] == "crm", "person_id"])
    persons = truth.set_index("record_key")["person_id"]
    rows["person_id"] = rows["record_key"].map(persons)
    rows["truly_in_crm"] = rows["person_id"].isin(in_crm)
    by_customer = rows.groupby(["missing_reason", "customer_id"])["truly_in_crm"].any()
    summary: dict[str, dict[str, int]] = {}
    for reason, flags in by_customer.groupby(level=0):
        summary[str(reason)] = {
            "customers": int(flags.size),
            "truly_in_crm": int(flags.sum()),
        }
    return summary


def accuracy_report(
    warehouse: str | Path, raw_dir: str | Path, thresholds: list[float]
) -> dict[str, object]:
    """Accuracy of a built warehouse against the generator's truth in `raw_dir`."""
    truth = read_truth_records(raw_dir)
    summary = json.loads((Path(raw_dir) / "truth.json").read_text("utf-8"))
    with connect(warehouse, restricted=True) as connection:
        clusters = connection.sql(
            "select record_key, cluster_id from int_person_records_clustered"
        ).df()
        pairs = connection.sql(
            "select record_key_l, record_key_r, match_probability from int_record_pairs_scored"
        ).to_arrow_table()
        overall = (
            connection.sql(
                """
            select actual_customers, missing_customers, shortage_rate_pct,
                shortage_rate_low_pct, shortage_rate_high_pct
            from mart_customer_shortage where breakdown = 'overall'
            """
            )
            .df()
            .iloc[0]
        )
        duplicates = int(
            connection.execute(
                "select count(*) - count(distinct customer_id) from customer_xref "
                "where source_system = 'crm' and link_type = 'entity_resolution'"
            ).fetchall()[0][0]
        )
        missing_reasons = _missing_reason_truth(connection, truth)

    sweep = {}
    keys = clusters["record_key"]
    for threshold in thresholds:
        at = cluster_pairs_at_thresholds(keys, pairs, {"t": threshold})
        at = at.rename(columns={"t_cluster_id": "cluster_id"})
        sweep[f"{threshold:g}"] = {
            **_metrics_row(pair_metrics(at, truth)),
            "household_merges": household_merges(at, truth),
            "largest_cluster": int(at["t_cluster_size"].max()) if len(at) else 0,
        }

    true_rate = _rounded(summary["shortage_rate_pct"])
    rate = _rounded(overall["shortage_rate_pct"])
    low, high = (
        _rounded(overall["shortage_rate_low_pct"]),
        _rounded(overall["shortage_rate_high_pct"]),
    )
    has_rate = rate is not None and true_rate is not None
    true_duplicates = int(summary["crm_duplicate_records"])
    return {
        "dataset": {
            "name": summary.get("dataset", "generated"),
            "people": summary["people"],
            "seed": summary["seed"],
            "crm_rows": summary["crm_rows"],
            "billing_rows": summary["billing_rows"],
        },
        "headline": {
            **_metrics_row(pair_metrics(clusters, truth)),
            "household_merges": household_merges(clusters, truth),
        },
        "shortage": {
            "shortage_rate_pct": rate,
            "true_shortage_rate_pct": true_rate,
            "error_pct_points": _rounded(rate - true_rate) if has_rate else None,
            "shortage_rate_low_pct": low,
            "shortage_rate_high_pct": high,
            "truth_within_bounds": bool(has_rate and low <= true_rate <= high),
            "missing_customers": int(overall["missing_customers"]),
            "true_missing_customers": int(summary["missing_customers"]),
        },
        "duplicates": {
            "crm_duplicate_records": duplicates,
            "true_crm_duplicate_records": true_duplicates,
            "relative_error": _rounded((duplicates - true_duplicates) / true_duplicates, 6)
            if true_duplicates
            else None,
        },
        "missing_reasons": missing_reasons,
        "threshold_sweep": sweep,
    }


def _shortage_rows(shortage: Mapping[str, object]) -> list[str]:
    """The shortage rate and its bounds; none where there is no billing (no actual customers)."""
    if shortage["error_pct_points"] is None:
        return []
    return [
        f"| shortage rate (%) | {shortage['shortage_rate_pct']:.4f} "
        f"| {shortage['true_shortage_rate_pct']:.4f} "
        f"| {shortage['error_pct_points']:+.4f} points |",
        f"| shortage bounds (%) | {shortage['shortage_rate_low_pct']:.4f} – "
        f"{shortage['shortage_rate_high_pct']:.4f} | within: {shortage['truth_within_bounds']} | |",
    ]


def render_markdown(report: Mapping[str, object]) -> str:
    """The report as a short Markdown page."""
    dataset = report["dataset"]
    headline = report["headline"]
    shortage = report["shortage"]
    duplicates = report["duplicates"]
    lines = [
        "# Entity resolution accuracy",
        "",
        f"Generated data: {dataset['people']:,} people (seed {dataset['seed']}), "
        f"{dataset['crm_rows']:,} CRM rows, {dataset['billing_rows']:,} billing rows. "
        "Pairs counted from clusters against the generator's truth "
        "(`python -m crm_quality.matching accuracy`, `make accuracy`).",
        "",
        "## As built (headline threshold)",
        "",
        "| task | precision | recall | F1 | true pairs | predicted pairs |",
        "|---|---|---|---|---|---|",
    ]
    for task in TASKS:
        row = headline[task]
        lines.append(
            f"| {task} | {row['precision']:.4f} | {row['recall']:.4f} | {row['f1']:.4f} "
            f"| {row['true_pairs']:,} | {row['predicted_pairs']:,} |"
        )
    lines += [
        "",
        f"Household merges (clusters holding two members of one household): "
        f"{headline['household_merges']}.",
        "",
        "| figure | warehouse | truth | error |",
        "|---|---|---|---|",
        *_shortage_rows(shortage),
        f"| missing customers | {shortage['missing_customers']:,} "
        f"| {shortage['true_missing_customers']:,} | |",
        f"| CRM duplicate records | {duplicates['crm_duplicate_records']:,} "
        f"| {duplicates['true_crm_duplicate_records']:,} "
        f"| {100 * (duplicates['relative_error'] or 0):+.2f} % |",
        "",
        "Missing customers by reason (and how many of them truly have a CRM record):",
        "",
        "| reason | customers | truly in the CRM |",
        "|---|---|---|",
    ]
    for reason, row in report["missing_reasons"].items():
        lines.append(f"| {reason} | {row['customers']:,} | {row['truly_in_crm']:,} |")
    lines += [
        "",
        "## By clustering threshold",
        "",
        "| threshold | CRM dedup P / R / F1 | CRM↔billing P / R / F1 "
        "| billing dedup F1 | household merges | largest cluster |",
        "|---|---|---|---|---|---|",
    ]
    for threshold, row in report["threshold_sweep"].items():
        dedup, link = row["crm_dedup"], row["crm_billing_link"]
        lines.append(
            f"| {threshold} | {dedup['precision']:.4f} / {dedup['recall']:.4f} / "
            f"{dedup['f1']:.4f} | {link['precision']:.4f} / {link['recall']:.4f} / "
            f"{link['f1']:.4f} | {row['billing_dedup']['f1']:.4f} | {row['household_merges']} "
            f"| {row['largest_cluster']} |"
        )
    return "\n".join(lines) + "\n"


# Datasets of the external benchmark that no test and no tuning decision ever saw.
HELD_OUT = ("febrl3", "febrl4")


def _cell(row: Mapping[str, float] | None) -> str:
    if not row or not row.get("true_pairs"):
        return "–"
    return f"{row['precision']:.4f} / {row['recall']:.4f} / {row['f1']:.4f}"


def _summary_line(label: str, report: Mapping[str, object]) -> str:
    headline, shortage, duplicates = report["headline"], report["shortage"], report["duplicates"]
    error = shortage["error_pct_points"]
    shortage_cell = (
        "–"
        if error is None
        else f"{shortage['shortage_rate_pct']:.2f} vs {shortage['true_shortage_rate_pct']:.2f} "
        f"({error:+.3f})"
    )
    relative = duplicates["relative_error"]
    duplicates_cell = f"{duplicates['crm_duplicate_records']:,} vs " + (
        f"{duplicates['true_crm_duplicate_records']:,}"
        + ("" if relative is None else f" ({100 * relative:+.2f} %)")
    )
    return (
        f"| {label} | {_cell(headline['crm_dedup'])} | {_cell(headline['crm_billing_link'])} "
        f"| {shortage_cell} | {duplicates_cell} |"
    )


def render_summary(reports: Mapping[str, Mapping[str, object]]) -> str:
    """One table over every dataset (generated and external), then the generated details."""
    lines = [
        "# Entity resolution accuracy",
        "",
        "Every figure comes from a full `dbt build` on the dataset (the matcher trains on the",
        "records it resolves) and pairs counted from the clusters at the headline threshold",
        "(`make accuracy`). FEBRL is the public record-linkage benchmark (names, Australian",
        "addresses, birth dates; no e-mail, no phone) mapped into the raw contract by",
        "`crm_quality.external.febrl`: `dedup` puts every record in the CRM, `link` puts the",
        "originals in billing and the duplicates in the CRM. FEBRL1 and FEBRL2 are the test",
        "sets (python_checks/integration/test_febrl.py); "
        + ", ".join(name.upper() for name in HELD_OUT)
        + " are held out: no test and no tuning decision used them.",
        "",
        "| dataset | CRM dedup P / R / F1 | CRM↔billing P / R / F1 | shortage % vs truth "
        "(points) | CRM duplicates vs truth |",
        "|---|---|---|---|---|",
    ]
    for label, report in reports.items():
        held_out = " (held out)" if label.split("-")[0] in HELD_OUT else ""
        lines.append(_summary_line(label + held_out, report))
    generated = {label: r for label, r in reports.items() if r["dataset"].get("seed") is not None}
    for label, report in generated.items():
        details = render_markdown(report).split("\n", 1)[1]
        lines += ["", f"## {label}: details", *details.splitlines()[1:]]
    return "\n".join(lines) + "\n"
