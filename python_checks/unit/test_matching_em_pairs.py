"""EM's pairs: compared on every core, summed by its iterations in one order."""

from __future__ import annotations

from splink import DuckDBAPI
from splink.internals import em_training_session
from splink.internals.pipeline import CTEPipeline

from crm_quality.matching import threads
from crm_quality.matching.settings import UNIQUE_ID
from crm_quality.matching.training import train_model
from python_checks.unit.test_matching_scoring import training_records


def test_em_compares_on_every_core_and_iterates_over_the_pairs_in_id_order(monkeypatch):
    """Comparing is no sum, so it may use every core; the iterations then read the pairs in
    record-id order on the connection's one thread, whatever order the threads made them in."""
    compared_on, iterated = [], []
    compare, iterate = (
        em_training_session.EMTrainingSession._comparison_vectors,
        em_training_session.expectation_maximisation,
    )

    def spied_compare(session):
        threads_now = session.db_api.duckdb_con.execute("select current_setting('threads')")
        compared_on.append(threads_now.fetchall()[0][0])
        made = compare(session)
        # Threads may make the pairs in any order: here, the reverse of the ids' order.
        pipeline = CTEPipeline()
        pipeline.enqueue_sql(
            f"select * from {made.physical_name} order by {UNIQUE_ID}_l desc, {UNIQUE_ID}_r desc",
            "__splink__pairs_made_in_another_order",
        )
        return session.db_api.sql_pipeline_to_splink_dataframe(pipeline)

    def spied_iterate(*, db_api, df_comparison_vector_values, **rest):
        iterated.append(
            db_api.duckdb_con.execute(
                f"select {UNIQUE_ID}_l, {UNIQUE_ID}_r"
                f" from {df_comparison_vector_values.physical_name}"
            ).fetchall()
        )
        return iterate(
            db_api=db_api, df_comparison_vector_values=df_comparison_vector_values, **rest
        )

    monkeypatch.setattr(em_training_session.EMTrainingSession, "_comparison_vectors", spied_compare)
    monkeypatch.setattr(em_training_session, "expectation_maximisation", spied_iterate)
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 4)
    db_api = DuckDBAPI()
    db_api.duckdb_con.execute("set threads = 1")
    train_model(db_api, training_records(3), seed=5, u_sample_pairs=2e5)

    assert compared_on and set(compared_on) == {4}
    assert iterated and all(len(pairs) > 100 and pairs == sorted(pairs) for pairs in iterated)
    assert db_api.duckdb_con.execute("select current_setting('threads')").fetchall() == [(1,)]


def test_the_model_is_the_same_on_any_number_of_cores(monkeypatch):
    def trained(cores: int) -> dict:
        monkeypatch.setattr(threads.os, "cpu_count", lambda: cores)
        db_api = DuckDBAPI()
        db_api.duckdb_con.execute("set threads = 1")
        return train_model(db_api, training_records(3), seed=5, u_sample_pairs=2e5)

    assert trained(1) == trained(4)
