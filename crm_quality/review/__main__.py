"""Usage: python -m crm_quality.review sample --warehouse warehouse/crm_quality.duckdb
                                              [--out reviews/pairs_to_review.csv] [--labels FILE]
       python -m crm_quality.review sample --target postgres   (the PostgreSQL of the PG* variables)

Writes the review sample of the published warehouse (docs/review.md) and prints its summary.
The labels file defaults to CRM_LABELS; its pairs are never sampled again.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from crm_quality.connect import TARGETS, connect, connect_postgres, exit_when_unreadable
from crm_quality.ingest import RawInputError
from crm_quality.review import queries
from crm_quality.review.labels import labelled_pairs
from crm_quality.review.sample import draw_sample, review_rows, summary, write_review_file


def sample(target: str, warehouse: Path | None, out: Path, labels: Path | None) -> str:
    """Write the review file `out`; returns the summary to print."""
    labelled = labelled_pairs(labels) if labels else set()
    # The records' values are personal data: the restricted schema.
    if target == "postgres":
        connection = connect_postgres(restricted=True)
    else:
        connection = connect(warehouse, restricted=True)
    with connection:
        size, seed = queries.sample_settings(connection)
        draw = draw_sample(
            queries.scored_pairs(connection),
            queries.near_miss_pairs(connection),
            labelled,
            size,
            seed,
        )
        keys = [pair.key for _, pair in draw.pairs]
        records = queries.record_values(connection, [key for pair in keys for key in pair])
        comparisons = queries.pair_comparisons(connection, keys)
    write_review_file(review_rows(draw, records, comparisons), out)
    return f"{summary(draw)}\nwritten to {out} (personal data: keep it out of git and e-mail)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sample_parser = commands.add_parser("sample", help="write the review sample")
    sample_parser.add_argument("--warehouse", type=Path, help="the DuckDB warehouse file")
    sample_parser.add_argument("--target", choices=TARGETS, default="duckdb")
    sample_parser.add_argument("--out", type=Path, default=Path("reviews/pairs_to_review.csv"))
    sample_parser.add_argument(
        "--labels",
        type=Path,
        default=Path(os.environ["CRM_LABELS"]) if os.environ.get("CRM_LABELS") else None,
        help="the labels file (default: CRM_LABELS); its pairs are not sampled again",
    )
    args = parser.parse_args(argv)
    if args.target == "duckdb" and args.warehouse is None:
        parser.error("the DuckDB target needs --warehouse")
    if args.target == "duckdb" and not args.warehouse.is_file():
        parser.error(f"no warehouse at {args.warehouse}: run `make build` first")
    try:
        with exit_when_unreadable(args.target, args.warehouse):
            print(sample(args.target, args.warehouse, args.out, args.labels))
    except RawInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
