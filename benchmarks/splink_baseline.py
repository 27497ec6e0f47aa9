"""Splink alone on the records a build resolved: the warehouse's overhead around matching.

Run by run_benchmark.py in its own process, so its peak memory is its own:

    python benchmarks/splink_baseline.py --warehouse W.duckdb --out splink.json \
        [--settings project|stock]
    python benchmarks/splink_baseline.py --target postgres --schema main --out splink.json

Reads the matching features of int_person_records_standardized from the built warehouse
(the input crm-quality's own matching reads; on PostgreSQL the records are pulled into
DuckDB and the features computed there), trains a `dedupe_only` model with Splink's own
training (prior from deterministic rules, u by random sampling, EM per blocking rule),
predicts at match probability 0.01 and clusters at 0.9, like the build. Splink runs on its
default in-memory DuckDB. Writes each phase's start, end and seconds.

* `project` (the default): the build's own comparisons and blocking rules, read from the
  model the build trained (its populated fields and planned keys), with the build's
  deterministic rules, recall, u sample and seed, and EM on the build's training keys.
* `stock`: Splink's comparison library and five of the build's kind of blocking keys, as
  Splink's documentation sets up a first model.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import splink
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from crm_quality.connect import connect, postgres_connection
from crm_quality.matching import settings as project
from crm_quality.matching import training as project_training
from crm_quality.matching.blocking import key_pairs_sql
from crm_quality.matching.duckdb_backend import matching_features
from crm_quality.matching.features import INPUT_COLUMNS
from crm_quality.matching.train_step import PostgresWarehouse as PostgresTables

MAX_KEY_GROUP_SIZE = 20  # the build's max_exact_key_group_size
PREDICT_THRESHOLD = 0.01  # the build's er_pair_min_match_probability
CLUSTER_THRESHOLD = 0.9  # the build's er_match_threshold
U_SAMPLE_PAIRS = 5e6
SEED = 20261126


STOCK_BLOCKING_KEYS = (
    ("email",),
    ("phone",),
    ("last_name_key", "birth_date"),
    ("first_name_key", "birth_date"),
    ("street_key", "postal_key"),
)


@dataclasses.dataclass(frozen=True)
class Baseline:
    """What Splink alone is given: settings, its blocking keys, and how it trains."""

    settings: SettingsCreator
    blocking_keys: tuple[tuple[str, ...], ...]
    deterministic_keys: tuple[tuple[str, ...], ...]
    recall: float
    em_keys: tuple[tuple[str, ...], ...]
    u_sample_pairs: float
    seed: int


def stock_baseline() -> Baseline:
    """Stock comparisons and the build's kind of blocking keys."""
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        comparisons=[
            cl.NameComparison("first_name_key"),
            cl.NameComparison("last_name_key"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("email"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("postal_key"),
            cl.ExactMatch("city_key"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*key) for key in STOCK_BLOCKING_KEYS],
    )
    # Each EM rule leaves out what it blocks on; together they estimate every comparison.
    return Baseline(
        settings=settings,
        blocking_keys=STOCK_BLOCKING_KEYS,
        deterministic_keys=(("email",), ("first_name_key", "last_name_key", "birth_date")),
        recall=0.8,
        em_keys=(("email",), ("last_name_key", "birth_date")),
        u_sample_pairs=U_SAMPLE_PAIRS,
        seed=SEED,
    )


def project_baseline(model: dict[str, Any]) -> Baseline:
    """The build's own comparisons, blocking keys and training rules, from its model."""
    shape = model["training"]
    fields = shape["fields"]
    keys = tuple(tuple(key) for key in shape["blocking"]["keys"])
    creator = project.settings_creator(fields, list(keys), 1 / max(shape["record_count"], 2))
    # Splink's own output columns: the build keeps extra ones only to read levels back.
    defaults = SettingsCreator(link_type="dedupe_only", comparisons=[])
    settings = dataclasses.replace(
        creator,
        retain_matching_columns=defaults.retain_matching_columns,
        retain_intermediate_calculation_columns=defaults.retain_intermediate_calculation_columns,
        additional_columns_to_retain=[],
    )
    return Baseline(
        settings=settings,
        blocking_keys=keys,
        deterministic_keys=tuple(project.keys_within(project.CANDIDATE_DETERMINISTIC_KEYS, fields)),
        recall=shape.get("deterministic_recall", project_training.DETERMINISTIC_RECALL),
        em_keys=tuple(project.training_keys(fields)),
        u_sample_pairs=shape.get("u_sample_pairs", project_training.U_SAMPLE_PAIRS),
        seed=shape.get("seed", project_training.DEFAULT_SEED),
    )


def trained_linker(db_api: DuckDBAPI, features: Any, baseline: Baseline) -> Linker:
    """A linker on `features`: prior from near-certain rules, u from random pairs, m by EM."""
    linker = Linker(db_api.register(features), baseline.settings, log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on(*key) for key in baseline.deterministic_keys], recall=baseline.recall
    )
    training.estimate_u_using_random_sampling(max_pairs=baseline.u_sample_pairs, seed=baseline.seed)
    for key in baseline.em_keys:
        training.estimate_parameters_using_expectation_maximisation(block_on(*key))
    return linker


def timed(phases: dict[str, dict], name: str, step: Callable[[], Any]) -> Any:
    """Run `step`, recording its wall-clock start and end under `name`."""
    start = time.time()
    value = step()
    end = time.time()
    phases[name] = {"start": start, "end": end, "seconds": round(end - start, 1)}
    return value


class PostgresRecords(NamedTuple):
    """The build's records on the PostgreSQL of the PG* variables, in `schema`'s restricted
    schema (where the build writes personal data)."""

    schema: str


def read_features(warehouse: Path | PostgresRecords) -> Any:
    """The build's matching input, as an Arrow table: int_person_records_standardized read
    from the DuckDB file, or pulled from PostgreSQL into DuckDB, and the same features
    computed from it (the build's own feature SQL, on DuckDB either way)."""
    if isinstance(warehouse, PostgresRecords):
        table = f'"{warehouse.schema}_restricted"."int_person_records_standardized"'
        columns = ", ".join(INPUT_COLUMNS)
        with postgres_connection() as pg:
            # Ordered as the training step orders them, whichever engine holds them.
            pulled = PostgresTables(pg).read(f"select {columns} from {table} order by record_key")
        with closing(duckdb.connect()) as connection:
            return matching_features(connection, connection.from_arrow(pulled), MAX_KEY_GROUP_SIZE)
    connection = connect(warehouse, restricted=True)
    try:
        records = connection.table("int_person_records_standardized")
        return matching_features(connection, records, MAX_KEY_GROUP_SIZE)
    finally:
        connection.close()


LATEST_MODEL_SQL = (
    "select model_json from {registry} order by trained_at desc, model_id desc limit 1"
)


def read_model(warehouse: Path | PostgresRecords) -> dict[str, Any]:
    """The model the build used (the registry's latest, as the scoring model reads it)."""
    if isinstance(warehouse, PostgresRecords):
        registry = f'"{warehouse.schema}_restricted"."int_matching_models"'
        with postgres_connection() as pg:
            (document,) = pg.execute(LATEST_MODEL_SQL.format(registry=registry)).fetchone()
        return json.loads(document)
    connection = connect(warehouse, restricted=True)
    try:
        sql = LATEST_MODEL_SQL.format(registry="int_matching_models")
        (document,) = connection.execute(sql).fetchall()[0]
        return json.loads(document)
    finally:
        connection.close()


def key_pairs(features: Any, keys: tuple[tuple[str, ...], ...]) -> int:
    """Pairs the blocking keys make, summed per key, counted as the build counts its own."""
    connection = duckdb.connect()
    connection.register("records", features)
    return sum(int(connection.execute(key_pairs_sql("records", key)).fetchone()[0]) for key in keys)


def run(warehouse: Path | PostgresRecords, settings: str) -> dict:
    """Read, train, predict and cluster; each phase's times and the output's size."""
    phases: dict[str, dict] = {}
    features = timed(phases, "reading features", lambda: read_features(warehouse))
    baseline = (
        project_baseline(read_model(warehouse)) if settings == "project" else stock_baseline()
    )
    db_api = DuckDBAPI()
    linker = timed(phases, "training", lambda: trained_linker(db_api, features, baseline))
    predictions = timed(
        phases,
        "prediction",
        lambda: linker.inference.predict(threshold_match_probability=PREDICT_THRESHOLD),
    )
    clusters = timed(
        phases,
        "clustering",
        lambda: linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, CLUSTER_THRESHOLD
        ),
    )

    def count(sql: str) -> int:
        return int(db_api.query_sql(sql, output_type="pandas").iloc[0, 0])

    return {
        "splink_version": splink.__version__,
        "settings": settings,
        "phases": phases,
        "records": features.num_rows,
        "pairs": count(f"select count(*) from {predictions.physical_name}"),
        "clusters": count(f"select count(distinct cluster_id) from {clusters.physical_name}"),
        "blocking_keys": len(baseline.blocking_keys),
        "blocking_key_pairs": key_pairs(features, baseline.blocking_keys),
        "prior": linker.misc.save_model_to_json()["probability_two_random_records_match"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=("duckdb", "postgres"), default="duckdb")
    parser.add_argument("--warehouse", type=Path, help="duckdb: the built warehouse file")
    parser.add_argument(
        "--schema", default="main", help="postgres (PG* variables): the schema built into"
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--settings", choices=("project", "stock"), default="project")
    args = parser.parse_args(argv)
    if args.target == "duckdb" and args.warehouse is None:
        parser.error("--warehouse is required with --target duckdb")
    source = PostgresRecords(args.schema) if args.target == "postgres" else args.warehouse
    result = run(source, args.settings)
    args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
