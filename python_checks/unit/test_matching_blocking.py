"""Choosing blocking keys: populated fields only, pair counts within the budget."""

from __future__ import annotations

import pyarrow as pa
import yaml
from splink import DuckDBAPI

from crm_quality.matching.blocking import (
    DEFAULT_MAX_PAIRS_PER_RECORD,
    MIN_PAIR_BUDGET,
    TOTAL_PAIRS_PER_RECORD_FACTOR,
    choose_blocking_keys,
    count_key_pairs,
)
from crm_quality.matching.features import DERIVED_FIELDS
from crm_quality.matching.settings import CANDIDATE_BLOCKING_KEYS
from python_checks.dbt_runner import REPO_ROOT

NAMES_AND_BIRTH = ("first_name_key", "last_name_key", "birth_date", "postal_key")


def test_pairs_are_counted_per_key_group_and_nulls_never_pair():
    db_api = DuckDBAPI()
    table = db_api.register(
        pa.table(
            {
                "record_key": ["a", "b", "c", "d", "e"],
                "last_name_key": ["x", "x", "x", "y", None],
                "birth_date": ["1", "1", "2", "2", "2"],
            }
        )
    ).physical_name
    counts = count_key_pairs(db_api, table, [("last_name_key",), ("last_name_key", "birth_date")])
    assert counts == {("last_name_key",): 3, ("last_name_key", "birth_date"): 1}


def test_keys_need_every_column_populated():
    keys = choose_blocking_keys(NAMES_AND_BIRTH, {}, record_count=1000)
    assert ("email",) not in keys and ("phone",) not in keys
    assert ("last_name_key", "birth_date") in keys
    assert ("name_pair_key", "postal_key") in keys and ("name_pair_key",) in keys
    fields_used = {
        field for key in keys for column in key for field in DERIVED_FIELDS.get(column, (column,))
    }
    assert fields_used <= set(NAMES_AND_BIRTH)


def test_the_names_in_either_order_need_both_names():
    keys = choose_blocking_keys(("first_name_key", "birth_date", "postal_key"), {}, 1000)
    assert not any("name_pair_key" in key for key in keys)


def test_a_key_over_the_budget_is_left_out():
    records = 1_000_000
    counts = {key: 1_000 for key in CANDIDATE_BLOCKING_KEYS}
    counts[("name_pair_key",)] = 50 * records
    keys = choose_blocking_keys(NAMES_AND_BIRTH, counts, records, max_pairs_per_record=20)
    assert ("name_pair_key",) not in keys
    assert ("last_name_key", "birth_date") in keys
    small = choose_blocking_keys(
        NAMES_AND_BIRTH, {**counts, ("name_pair_key",): MIN_PAIR_BUDGET}, 1000
    )
    assert ("name_pair_key",) in small


def test_the_library_default_is_the_projects_var():
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["er_max_pairs_per_record"] == DEFAULT_MAX_PAIRS_PER_RECORD


def test_by_default_the_name_and_postcode_keys_of_a_million_contacts_are_left_out():
    # Their pair counts at a million CRM contacts (docs/entity_resolution.md, section 3).
    records = 1_891_268
    counts = {key: 1_000_000 for key in CANDIDATE_BLOCKING_KEYS}
    counts[("last_name_key", "postal_key")] = 6_584_270
    counts[("first_name_key", "postal_key")] = 5_949_580
    counts[("birth_date", "city_key")] = 2_476_878
    fields = (*NAMES_AND_BIRTH, "city_key")
    keys = choose_blocking_keys(fields, counts, records)
    assert ("last_name_key", "postal_key") not in keys
    assert ("first_name_key", "postal_key") not in keys
    assert ("birth_date", "city_key") in keys


def test_all_keys_together_stay_within_the_total_budget():
    records = 100_000
    per_key = 20 * records
    counts = {key: per_key for key in CANDIDATE_BLOCKING_KEYS}
    keys = choose_blocking_keys(NAMES_AND_BIRTH, counts, records, max_pairs_per_record=20)
    assert len(keys) == TOTAL_PAIRS_PER_RECORD_FACTOR
    assert keys[0] == ("last_name_key", "birth_date")  # candidates keep their order
