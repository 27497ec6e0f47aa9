"""fct_merge_suggestions judged against the generator's truth (truth_records.csv): shared by the
integration tests of the single-CRM and the several-source builds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from crm_quality.connect import connect
from crm_quality.matching.accuracy import read_truth_records

# The bar: suggestions are true duplicates with precision >= 0.995.
MIN_PRECISION = 0.995

SUGGESTIONS_SQL = """
    select
        suggestions.*,
        masters.source_name as master_xref_source_name,
        duplicates.source_name as duplicate_xref_source_name,
        masters.source_system as master_source_system,
        duplicates.source_system as duplicate_source_system,
        master_records.survivor_rank as master_survivor_rank,
        duplicate_records.survivor_rank as duplicate_survivor_rank,
        duplicate_records.customer_id as duplicate_customer_id
    from fct_merge_suggestions as suggestions
    inner join customer_xref as masters on suggestions.master_record_key = masters.record_key
    inner join customer_xref as duplicates
        on suggestions.duplicate_record_key = duplicates.record_key
    inner join int_person_records_resolved as master_records
        on suggestions.master_record_key = master_records.record_key
    inner join int_person_records_resolved as duplicate_records
        on suggestions.duplicate_record_key = duplicate_records.record_key
"""

# CRM person records (converted leads are not: they are their contact).
PERSON_RECORDS_SQL = """
    select record_key from customer_xref
    where source_system = 'crm' and link_type = 'entity_resolution'
"""


@dataclass(frozen=True)
class JudgedSuggestions:
    """The suggestions with truth's person of each record, and truth's duplicates to find."""

    suggestions: pd.DataFrame
    true_duplicates: int

    @property
    def judged(self) -> pd.DataFrame:
        """Suggestions whose both records truth knows (ids it can join)."""
        frame = self.suggestions
        return frame[frame.master_person.notna() & frame.duplicate_person.notna()]

    @property
    def precision(self) -> float:
        judged = self.judged
        return float((judged.master_person == judged.duplicate_person).mean())

    @property
    def recall(self) -> float:
        """Share of truth's within-source duplicate records suggested (correctly)."""
        judged = self.judged
        return int((judged.master_person == judged.duplicate_person).sum()) / self.true_duplicates


def judge(warehouse: Path, raw_dir: Path) -> JudgedSuggestions:
    with connect(warehouse, restricted=True) as connection:
        suggestions = connection.execute(SUGGESTIONS_SQL).fetchdf()
        rows = connection.execute(PERSON_RECORDS_SQL).fetchall()
    active = {key for (key,) in rows}
    truth = read_truth_records(raw_dir)
    persons = truth.set_index("record_key")["person_id"]
    suggestions["master_person"] = suggestions.master_record_key.map(persons)
    suggestions["duplicate_person"] = suggestions.duplicate_record_key.map(persons)
    crm = truth[(truth.source_system == "crm") & truth.record_key.isin(active)].copy()
    crm["source_name"] = crm.record_key.str.split(":").str[0]
    per_person = crm.groupby(["source_name", "person_id"]).size()
    return JudgedSuggestions(suggestions, int((per_person - 1).sum()))


def assert_within_one_source(suggestions: pd.DataFrame) -> None:
    """Both records of every suggestion in one CRM source and one customer; each duplicate
    once, and never a master too (a chain of merges)."""
    assert len(suggestions) > 0
    assert (suggestions.master_source_system == "crm").all()
    assert (suggestions.duplicate_source_system == "crm").all()
    assert (suggestions.master_xref_source_name == suggestions.duplicate_xref_source_name).all()
    assert (suggestions.source_name == suggestions.master_xref_source_name).all()
    assert (suggestions.customer_id == suggestions.duplicate_customer_id).all()
    assert suggestions.duplicate_record_key.is_unique
    assert not set(suggestions.duplicate_record_key) & set(suggestions.master_record_key)


def assert_masters_rank_first(suggestions: pd.DataFrame) -> None:
    """The master is its group's first record by survivorship (survivor_rank orders a
    customer's CRM records, and a group lies within one customer)."""
    assert (suggestions.master_survivor_rank < suggestions.duplicate_survivor_rank).all()
