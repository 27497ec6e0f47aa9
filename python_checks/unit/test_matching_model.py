"""The trained model file: round trip, prior rescaling, and the shipped model's weights."""

from __future__ import annotations

import json
import math

import pytest

from crm_quality.matching.model import (
    DEFAULT_MODEL_PATH,
    MODEL_FORMAT,
    load_model,
    make_model,
    save_model,
    settings_for_dialect,
    settings_for_records,
)
from crm_quality.matching.settings import COMPARISONS


@pytest.fixture(scope="module")
def shipped() -> dict:
    return load_model(DEFAULT_MODEL_PATH)


def _weights(model: dict, comparison: str) -> dict[str, float]:
    (found,) = [
        c for c in model["splink_settings"]["comparisons"] if c["output_column_name"] == comparison
    ]
    return {
        level["label_for_charts"]: math.log2(level["m_probability"] / level["u_probability"])
        for level in found["comparison_levels"]
        if not level.get("is_null_level")
    }


def test_model_json_round_trip(tmp_path, shipped):
    path = save_model(shipped, tmp_path / "model.json")
    assert load_model(path) == shipped
    again = save_model(load_model(path), tmp_path / "again.json")
    assert again.read_bytes() == path.read_bytes()


def test_saving_drops_the_run_id_and_rounds_floats(tmp_path):
    model = make_model(
        {"linker_uid": "abc", "probability_two_random_records_match": 1 / 3},
        training_record_count=10,
        training={"seed": 1},
    )
    saved = json.loads(save_model(model, tmp_path / "m.json").read_text())
    assert "linker_uid" not in saved["splink_settings"]
    assert saved["splink_settings"]["probability_two_random_records_match"] == 0.3333333333
    assert saved["training"] == {"record_count": 10, "seed": 1}


def test_a_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match=MODEL_FORMAT):
        load_model(path)


def test_prior_is_rescaled_to_the_build_record_count(shipped):
    trained = shipped["training"]["record_count"]
    prior = shipped["splink_settings"]["probability_two_random_records_match"]
    same = settings_for_records(shipped, trained)
    assert same["probability_two_random_records_match"] == pytest.approx(prior)
    bigger = settings_for_records(shipped, 100 * trained)
    assert bigger["probability_two_random_records_match"] == pytest.approx(
        prior * (trained - 1) / (100 * trained - 1)
    )
    assert settings_for_records(shipped, 2)["probability_two_random_records_match"] <= 0.5
    # The model itself is not changed.
    assert shipped["splink_settings"]["probability_two_random_records_match"] == prior


def test_shipped_model_is_trained_for_every_comparison(shipped):
    assert shipped["format"] == MODEL_FORMAT
    for comparison in COMPARISONS:
        weights = _weights(shipped, comparison)
        values = list(weights.values())
        # Levels run from strongest agreement to disagreement.
        assert values[0] > 3 and values[-1] < -2, (comparison, weights)


def test_shipped_model_treats_disagreeing_identity_as_strong_evidence(shipped):
    """What keeps households apart: a different first name and birth date outweigh the
    shared phone and address."""
    first = _weights(shipped, "first_name")["different"]
    birth = _weights(shipped, "birth_date")["different"]
    household = _weights(shipped, "contact_address")["same phone and street address"]
    surname = _weights(shipped, "last_name")["exact"]
    prior = shipped["splink_settings"]["probability_two_random_records_match"]
    prior_weight = math.log2(prior / (1 - prior))
    assert prior_weight + household + surname + first + birth < -5


def test_training_leaves_the_surnames_swap_level_weighing_nothing(shipped):
    # Its m and u are fixed (settings.WEIGHS_NOTHING): EM, u sampling and the u correction
    # must not move them, or a swap counts twice.
    (level,) = [
        level
        for comparison in shipped["splink_settings"]["comparisons"]
        if comparison["output_column_name"] == "last_name"
        for level in comparison["comparison_levels"]
        if level.get("label_for_charts") == "swapped with the other name"
    ]
    assert level["m_probability"] == level["u_probability"] == 0.5


def test_the_trained_model_can_be_written_for_spark(shipped):
    spark = settings_for_dialect(shipped, "spark")
    assert (
        spark["probability_two_random_records_match"]
        == (shipped["splink_settings"]["probability_two_random_records_match"])
    )
    for ours, theirs in zip(
        shipped["splink_settings"]["comparisons"], spark["comparisons"], strict=True
    ):
        for level, spark_level in zip(
            ours["comparison_levels"], theirs["comparison_levels"], strict=True
        ):
            assert level.get("m_probability") == spark_level.get("m_probability")
            assert level.get("u_probability") == spark_level.get("u_probability")
    conditions = [
        level["sql_condition"]
        for comparison in spark["comparisons"]
        for level in comparison["comparison_levels"]
    ]
    assert any("`first_name_key_l`" in condition for condition in conditions)
    duckdb_again = settings_for_dialect(shipped, "duckdb")
    assert duckdb_again["comparisons"] == shipped["splink_settings"]["comparisons"]
