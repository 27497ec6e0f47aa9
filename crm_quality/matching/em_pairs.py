"""EM's pairs compared on every core, then put in one order before its iterations sum them.

Splink's EM session compares the pairs a training key makes, then its iterations sum match
probabilities over them. Training's connection runs on one thread (crm_quality.matching.threads):
DuckDB's parallel sums of doubles differ in their last bits from run to run. Comparing is no sum,
so it may use every core, as long as the compared pairs then sit in one order, the pair's
record ids, whatever order the threads made them in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from splink.internals.em_training_session import EMTrainingSession
from splink.internals.linker_components import training as splink_training
from splink.internals.pipeline import CTEPipeline
from splink.internals.splink_dataframe import SplinkDataFrame

from crm_quality.matching.threads import all_threads

COMPARISON_VECTORS = "__splink__df_comparison_vectors"


class OrderedPairsEMSession(EMTrainingSession):
    """Splink's EM session, its compared pairs made on every core and ordered by record ids."""

    def _comparison_vectors(self) -> SplinkDataFrame:
        uid = self._original_linker._settings_obj.column_info_settings.unique_id_input_column
        with all_threads(self.db_api):
            compared = super()._comparison_vectors()
            pipeline = CTEPipeline()
            pipeline.enqueue_sql(
                f"select * from {compared.physical_name} order by {uid.name_l}, {uid.name_r}",
                COMPARISON_VECTORS,
            )
            ordered = self.db_api.sql_pipeline_to_splink_dataframe(pipeline)
        compared.drop_table_from_database_and_remove_from_cache()
        return ordered


@contextmanager
def em_pairs_in_one_order() -> Iterator[None]:
    """Splink's `estimate_parameters_using_expectation_maximisation` runs OrderedPairsEMSession
    until the block ends (it names its session class in its own module)."""
    splink_training.EMTrainingSession = OrderedPairsEMSession
    try:
        yield
    finally:
        splink_training.EMTrainingSession = EMTrainingSession
