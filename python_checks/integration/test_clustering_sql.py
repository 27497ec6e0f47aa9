"""int_person_records_clustered (SQL) against the numpy clustering it replaced, the reference.

dbt builds the model (it iterates while it compiles) on DuckDB and PostgreSQL over the pairs
of the shared generated build plus hand-made graphs (long chains in random and in key order, a
star, a cycle, singletons, keys a locale would sort differently), and it must give exactly
what cluster_pairs_at_thresholds gives, leaving no scratch table behind.
"""

from __future__ import annotations

import random

import duckdb
import pandas as pd
import psycopg
import pytest
import yaml

from crm_quality.connect import duckdb_profile_config
from crm_quality.matching.clusters import cluster_pairs_at_thresholds
from python_checks.sql_render import REPO_ROOT, render_duckdb_path, run_models

pytestmark = pytest.mark.integration

# The model's inputs, where its refs find them on both engines.
SCHEMA = "main_restricted"
INPUTS = (
    f"{SCHEMA}.int_person_records_standardized",
    f"{SCHEMA}.int_record_pairs_scored",
    f"{SCHEMA}.int_review_labels_latest",
)
LABEL_COLUMNS = ["record_key_a", "record_key_b", "is_match"]
PG_DATABASE = "clustering_test"
PAIR_COLUMNS = ["record_key_l", "record_key_r", "match_probability"]
COLUMNS = {  # model column -> reference column
    "cluster_id": "headline_cluster_id",
    "cluster_size": "headline_cluster_size",
    "match_probability": "headline_match_probability",
    "conservative_cluster_id": "conservative_cluster_id",
    "lenient_cluster_id": "lenient_cluster_id",
}


def thresholds() -> dict[str, float]:
    variables = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    return {
        "headline": variables["er_match_threshold"],
        "conservative": variables["er_conservative_match_threshold"],
        "lenient": variables["er_lenient_match_threshold"],
    }


def hand_made_graphs() -> tuple[list[str], list[tuple[str, str, float]]]:
    rng = random.Random(11)
    keys: list[str] = []
    pairs: list[tuple[str, str, float]] = []

    def chain(prefix: str, length: int, low: float, high: float) -> None:
        members = [f"{prefix}:{number:05d}" for number in range(length)]
        rng.shuffle(members)
        keys.extend(members)
        pairs.extend(
            (a, b, rng.uniform(low, high)) for a, b in zip(members, members[1:], strict=False)
        )

    chain("lenient-chain", 3000, 0.5, 0.6)
    chain("headline-chain", 800, 0.9, 0.95)
    # In key order, each record's smallest neighbour is its predecessor: one tree 500 deep.
    ordered = [f"ordered-chain:{number:03d}" for number in range(500)]
    keys.extend(ordered)
    pairs.extend((a, b, 0.97) for a, b in zip(ordered, ordered[1:], strict=False))
    keys.extend(["star:z", *(f"star:a{leaf:02d}" for leaf in range(50))])
    pairs.extend(("star:z", f"star:a{leaf:02d}", 0.995) for leaf in range(50))
    cycle = [f"cycle:{number:02d}" for number in range(30)]
    rng.shuffle(cycle)
    keys.extend(cycle)
    pairs.extend((a, b, 0.92) for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True))
    # Two parts joined only at the lenient threshold; a record alone; one with a weak link only.
    keys.extend(["join:1", "join:2", "join:3", "join:4", "lone:1", "lone:2", "lone:3"])
    pairs += [("join:1", "join:2", 0.95), ("join:3", "join:4", 0.999), ("join:2", "join:3", 0.6)]
    pairs += [("lone:2", "lone:3", 0.2)]
    # Code-point order differs from a locale's: 'B' < 'b', 'a-c' < 'ab', 'f' < 'é'.
    keys.extend(["crm:b", "crm:B", "crm:ab", "crm:a-c", "crm:é", "crm:f"])
    pairs += [("crm:b", "crm:B", 0.97), ("crm:ab", "crm:a-c", 0.97), ("crm:é", "crm:f", 0.97)]
    return keys, [(min(a, b), max(a, b), p) for a, b, p in pairs]


def hand_made_labels() -> pd.DataFrame:
    """A steward's labels on the hand-made graphs: non-matches that split a chain (at its
    weakest link between them), a star (a leaf goes alone) and a cycle, a match joining a lone
    record, labels that contradict each other, one naming no record, and a labelled
    non-match with no other path between its records."""
    labels = [
        ("headline-chain:00000", "headline-chain:00799", False),
        ("star:a00", "star:a01", False),
        ("cycle:00", "cycle:15", False),
        ("join:1", "lone:1", True),
        ("crm:B", "crm:b", True),
        ("crm:a-c", "crm:b", True),
        ("crm:B", "crm:a-c", False),
        ("crm:nobody", "star:z", True),
        ("crm:f", "crm:é", False),
    ]
    return pd.DataFrame(
        [(min(a, b), max(a, b), match) for a, b, match in labels], columns=LABEL_COLUMNS
    )


@pytest.fixture(scope="module")
def corpus(warehouse) -> tuple[list[str], pd.DataFrame]:
    """The generated build's records and scored pairs, and the hand-made graphs."""
    keys = [
        key for (key,) in warehouse.query("select record_key from int_person_records_standardized")
    ]
    pairs = warehouse.query(
        "select record_key_l, record_key_r, match_probability from int_record_pairs_scored"
    )
    made_keys, made_pairs = hand_made_graphs()
    frame = pd.DataFrame(pairs + made_pairs, columns=PAIR_COLUMNS)
    return keys + made_keys, frame


def expected(
    keys: list[str], pairs: pd.DataFrame, labels: pd.DataFrame | None = None
) -> pd.DataFrame:
    reference = cluster_pairs_at_thresholds(keys, pairs, thresholds(), labels)
    reference = reference.set_index("record_key")
    return reference[list(COLUMNS.values())].set_axis(list(COLUMNS), axis=1)


def as_frame(rows: list[tuple], names: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=names).set_index("record_key")
    return frame[list(COLUMNS)]


def assert_identical(actual: pd.DataFrame, reference: pd.DataFrame) -> None:
    assert sorted(actual.index) == sorted(reference.index)
    actual = actual.loc[reference.index]
    for column in COLUMNS:
        mine = [None if pd.isna(value) else value for value in actual[column]]
        theirs = [None if pd.isna(value) else value for value in reference[column]]
        differing = [key for key, a, b in zip(reference.index, mine, theirs, strict=True) if a != b]
        assert differing == [], f"{column}: {len(differing)} records differ, e.g. {differing[:5]}"


def built_clusters(connection, schema: str) -> pd.DataFrame:
    """The model's table as built by run_models, as a frame comparable to expected()."""
    cursor = connection.execute(
        f"select record_key, {', '.join(COLUMNS)} from {schema}.int_person_records_clustered"
    )
    return as_frame(cursor.fetchall(), ["record_key", *COLUMNS])


def test_the_built_model_equals_the_reference_clustering(warehouse):
    keys = [
        key for (key,) in warehouse.query("select record_key from int_person_records_standardized")
    ]
    pairs = pd.DataFrame(
        warehouse.query(
            "select record_key_l, record_key_r, match_probability from int_record_pairs_scored"
        ),
        columns=PAIR_COLUMNS,
    )
    labels = pd.DataFrame(
        warehouse.query(f"select {', '.join(LABEL_COLUMNS)} from int_review_labels_latest"),
        columns=LABEL_COLUMNS,
    )
    built = warehouse.query(
        f"select record_key, {', '.join(COLUMNS)} from int_person_records_clustered"
    )
    assert len(built) == len(keys) > 1000
    assert_identical(as_frame(built, ["record_key", *COLUMNS]), expected(keys, pairs, labels))


def test_duckdb_clusters_equal_the_reference(corpus):
    keys, pairs = corpus
    with duckdb.connect(str(render_duckdb_path())) as connection:
        connection.execute(f"create schema if not exists {SCHEMA}")
        connection.register("keys_frame", pd.DataFrame({"record_key": keys}))
        connection.execute(f"create or replace table {INPUTS[0]} as select * from keys_frame")
        connection.register("pairs_frame", pairs)
        connection.execute(f"create or replace table {INPUTS[1]} as select * from pairs_frame")
        connection.register("labels_frame", hand_made_labels())
        connection.execute(f"create or replace table {INPUTS[2]} as select * from labels_frame")
    run_models("int_person_records_clustered", "duckdb")
    # dbt-duckdb keeps its database open in this process: a second connection must match it.
    with duckdb.connect(str(render_duckdb_path()), config=duckdb_profile_config()) as connection:
        actual = built_clusters(connection, SCHEMA)
        leftovers = connection.execute(
            "select table_name from information_schema.tables where table_name like 'cluster%'"
        ).fetchall()
    assert_identical(actual, expected(keys, pairs, hand_made_labels()))
    assert leftovers == []


def test_postgres_clusters_equal_the_reference_whatever_the_column_collation(corpus, postgres_env):
    keys, pairs = corpus
    arguments = {"host": postgres_env["PGHOST"], "port": postgres_env["PGPORT"],
                 "user": postgres_env["PGUSER"]}  # fmt: skip
    with psycopg.connect(**arguments, dbname=postgres_env["PGDATABASE"], autocommit=True) as admin:
        # A database of its own: the cross-engine build writes these tables' names too.
        admin.execute(f"drop database if exists {PG_DATABASE}")
        admin.execute(f"create database {PG_DATABASE}")
    with psycopg.connect(**arguments, dbname=PG_DATABASE) as connection:
        connection.execute(f"create schema {SCHEMA}")
        # A locale collation on the keys: the model must still order them by code point.
        connection.execute(f'create table {INPUTS[0]} (record_key text collate "und-x-icu")')
        connection.execute(
            f'create table {INPUTS[1]} (record_key_l text collate "und-x-icu", '
            'record_key_r text collate "und-x-icu", match_probability double precision)'
        )
        with connection.cursor().copy(f"copy {INPUTS[0]} from stdin") as copy:
            for key in keys:
                copy.write_row((key,))
        with connection.cursor().copy(f"copy {INPUTS[1]} from stdin") as copy:
            for row in pairs.itertuples(index=False):
                copy.write_row(tuple(row))
        connection.execute(
            f'create table {INPUTS[2]} (record_key_a text collate "und-x-icu", '
            'record_key_b text collate "und-x-icu", is_match boolean)'
        )
        with connection.cursor().copy(f"copy {INPUTS[2]} from stdin") as copy:
            for row in hand_made_labels().itertuples(index=False):
                copy.write_row(tuple(row))
        assert connection.execute(
            f"select min(record_key) from {INPUTS[0]} where record_key in ('crm:b', 'crm:B')"
        ).fetchone() == ("crm:b",)
    run_models(
        "int_person_records_clustered", "postgres", {**postgres_env, "PGDATABASE": PG_DATABASE}
    )
    with psycopg.connect(**arguments, dbname=PG_DATABASE) as connection:
        actual = built_clusters(connection, SCHEMA)
        leftovers = connection.execute(
            "select table_name from information_schema.tables where table_name like 'cluster%'"
        ).fetchall()
    assert_identical(actual, expected(keys, pairs, hand_made_labels()))
    assert leftovers == []


def test_hand_made_graphs_cover_what_they_claim():
    keys, pairs = hand_made_graphs()
    reference = cluster_pairs_at_thresholds(
        keys, pd.DataFrame(pairs, columns=PAIR_COLUMNS), thresholds()
    )
    clusters = reference.set_index("record_key")
    assert clusters.loc["lenient-chain:02999", "lenient_cluster_size"] == 3000
    assert clusters.loc["ordered-chain:499", "headline_cluster_id"] == "ordered-chain:000"
    assert clusters.loc["join:4", "headline_cluster_id"] == "join:3"
    assert clusters.loc["join:4", "lenient_cluster_id"] == "join:1"
    assert clusters.loc["crm:b", "headline_cluster_id"] == "crm:B"
    assert clusters.loc["crm:ab", "headline_cluster_id"] == "crm:a-c"
    assert clusters.loc["crm:é", "headline_cluster_id"] == "crm:f"


def test_hand_made_labels_hold_in_the_reference():
    keys, pairs = hand_made_graphs()
    frame = pd.DataFrame(pairs, columns=PAIR_COLUMNS)
    clusters = cluster_pairs_at_thresholds(keys, frame, thresholds(), hand_made_labels())
    clusters = clusters.set_index("record_key")
    headline = clusters["headline_cluster_id"]
    # The chain is cut once, at its weakest link: two clusters, each a run of the chain.
    chain = frame[frame["record_key_l"].str.startswith("headline-chain")]
    weakest = chain.loc[chain["match_probability"].idxmin()]
    sides = {headline[weakest["record_key_l"]], headline[weakest["record_key_r"]]}
    assert len(sides) == 2
    assert set(headline[headline.index.str.startswith("headline-chain")]) == sides
    assert headline["headline-chain:00000"] != headline["headline-chain:00799"]
    # One leaf leaves the star; the rest stays whole.
    assert clusters.loc["star:a01", "headline_cluster_size"] == 1
    assert clusters.loc["star:z", "headline_cluster_size"] == 50
    # The cycle splits in two, its labelled records apart.
    cycle = headline[headline.index.str.startswith("cycle:")]
    assert cycle.nunique() == 2 and cycle["cycle:00"] != cycle["cycle:15"]
    # A labelled match joins a lone record at every threshold.
    for level in thresholds():
        assert (
            clusters.loc["lone:1", f"{level}_cluster_id"]
            == clusters.loc["join:1", f"{level}_cluster_id"]
        )
    # Labelled matches hold over a non-match they contradict.
    assert headline["crm:B"] == headline["crm:b"] == headline["crm:a-c"]
    # A non-match linked only by its own pair is simply unlinked.
    assert headline["crm:f"] != headline["crm:é"]
    assert "crm:nobody" not in clusters.index
