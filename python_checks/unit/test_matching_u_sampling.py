"""u from random pairs in one pass (crm_quality.matching.u_sampling): Splink's estimate, exactly."""

from __future__ import annotations

import logging

import pytest
from splink import DuckDBAPI, Linker

from crm_quality.matching.training import train_model
from crm_quality.matching.u_sampling import compared_shares, estimate_u, stopped_counts
from python_checks.unit.test_matching_scoring import training_records


@pytest.fixture(scope="module")
def records_and_settings():
    records = training_records(4)
    model = train_model(DuckDBAPI(), records, seed=5, u_sample_pairs=2e5)
    return records, model["splink_settings"]


def u_values(linker: Linker) -> list:
    return [
        (
            comparison["output_column_name"],
            level.get("label_for_charts"),
            level.get("u_probability"),
        )
        for comparison in linker.misc.save_model_to_json()["comparisons"]
        for level in comparison["comparison_levels"]
    ]


# Few pairs: most levels stay under the minimum in every chunk; more: some reach it after a
# few chunks; a low minimum: some comparisons reach it in the probe (0: all); none: every chunk
# counts.
@pytest.mark.parametrize(
    ("max_pairs", "min_count_per_level"),
    [(2e4, 100), (2e5, 100), (1e7, 100), (1e7, 3), (2e5, 0), (2e5, None)],
)
def test_u_is_splinks_to_the_last_bit(records_and_settings, max_pairs, min_count_per_level):
    records, settings = records_and_settings

    def linker() -> Linker:
        return Linker(DuckDBAPI().register(records), settings, log_level=logging.WARNING)

    splinks = linker()
    splinks.training.estimate_u_using_random_sampling(
        max_pairs=max_pairs, seed=7, min_count_per_level=min_count_per_level
    )
    ours = linker()
    estimate_u(ours, max_pairs, 7, min_count_per_level)

    assert u_values(ours) == u_values(splinks)

    def model(linker: Linker) -> dict:
        return {k: v for k, v in linker.misc.save_model_to_json().items() if k != "linker_uid"}

    assert model(ours) == model(splinks)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_u_is_the_same_however_many_threads_share_the_pairs(records_and_settings, threads):
    """Each thread compares its own share of the pairs: the counts, and u, are Splink's."""
    records, settings = records_and_settings

    def linker(threads: int | None = None) -> Linker:
        db_api = DuckDBAPI()
        if threads:
            db_api.duckdb_con.execute(f"set threads = {threads}")
        return Linker(db_api.register(records), settings, log_level=logging.WARNING)

    splinks = linker()
    splinks.training.estimate_u_using_random_sampling(max_pairs=2e5, seed=7)
    ours = linker(threads)
    estimate_u(ours, 2e5, 7)

    assert u_values(ours) == u_values(splinks)
    connection = ours._db_api.duckdb_con
    assert connection.execute("select current_setting('threads')").fetchall()[0][0] == threads
    assert connection.execute("select current_setting('disabled_optimizers')").fetchall() == [("",)]


def test_the_probe_alone_counts_when_every_level_reaches_the_minimum_there():
    # (chunk, in probe, level, pairs); the probe's pairs belong to chunk 1.
    rows = [(1, True, 0, 150), (1, True, 1, 120), (1, False, 0, 900), (2, False, 1, 40)]
    assert stopped_counts(rows, [0, 1], 100, 10) == {0: 150.0, 1: 120.0}


def test_chunks_count_until_every_level_reaches_the_minimum():
    rows = [
        (1, True, 0, 10),
        (1, False, 0, 200),
        (1, False, 1, 30),
        (2, False, 1, 80),
        (3, False, 1, 500),
        (2, False, 2, 7),  # not a level of this comparison (its null level)
    ]
    assert stopped_counts(rows, [0, 1], 100, 10) == {0: 210.0, 1: 110.0}
    # Without a minimum, every chunk counts; a level no pair reached counts 0.
    assert stopped_counts(rows, [0, 1, 3], None, 10) == {0: 210.0, 1: 610.0, 3: 0.0}


def test_a_comparisons_share_leaves_out_the_pairs_at_its_null_level():
    """u is a share of the pairs a comparison compares: one side without an e-mail is not
    among them, so the matches taken out of u are taken out of fewer pairs."""
    counts = [
        {"gamma_email": -1, "gamma_birth_date": 1, "pairs": 30},
        {"gamma_email": 0, "gamma_birth_date": -1, "pairs": 50},
        {"gamma_email": 1, "gamma_birth_date": 0, "pairs": 20},
    ]
    shares = compared_shares(counts, {"email": "gamma_email", "birth_date": "gamma_birth_date"})
    assert shares == {"email": 0.7, "birth_date": 0.5}
