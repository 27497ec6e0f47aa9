"""The trained person-matching model as a JSON document, and its adaptation to a build.

The file holds Splink's settings (comparisons with their trained m and u probabilities) and
how it was trained. Splink's prior, the probability that two random records match, falls
with the size of the data (each person has a handful of records however many people there
are), so a build rescales it from the training data's record count to its own.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from crm_quality.matching.settings import settings_creator, settings_dict

MODEL_FORMAT = "crm_quality.person_model/1"
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "models" / "person_model.json"


def make_model(
    splink_settings: dict[str, Any], training_record_count: int, training: dict[str, Any]
) -> dict[str, Any]:
    """A model document from trained Splink settings and the facts of its training run."""
    settings = copy.deepcopy(splink_settings)
    # A per-run random id: it would change the file on every retraining for no reason.
    settings.pop("linker_uid", None)
    return {
        "format": MODEL_FORMAT,
        "training": {"record_count": int(training_record_count), **training},
        "splink_settings": settings,
    }


def save_model(model: dict[str, Any], path: str | Path) -> Path:
    """Write the model as stable, diff-friendly JSON (sorted keys, rounded floats)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_rounded(model), indent=2, sort_keys=True) + "\n", "utf-8")
    return path


def load_model(path: str | Path = DEFAULT_MODEL_PATH) -> dict[str, Any]:
    model = json.loads(Path(path).read_text("utf-8"))
    if model.get("format") != MODEL_FORMAT:
        raise ValueError(f"{path} is not a {MODEL_FORMAT} model")
    return model


def settings_for_records(model: dict[str, Any], record_count: int) -> dict[str, Any]:
    """Splink settings for a build over `record_count` records (the prior rescaled)."""
    settings = copy.deepcopy(model["splink_settings"])
    trained = model["training"]["record_count"]
    prior = settings["probability_two_random_records_match"]
    if record_count > 1 and trained > 1:
        prior = prior * (trained - 1) / (record_count - 1)
    settings["probability_two_random_records_match"] = min(prior, 0.5)
    return settings


def _rounded(value: Any, digits: int = 10) -> Any:
    """Floats to `digits` significant digits, so a retrained file diffs only where it changed."""
    if isinstance(value, float):
        return float(f"{value:.{digits}g}")
    if isinstance(value, dict):
        return {key: _rounded(item, digits) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item, digits) for item in value]
    return value


TRAINED_LEVEL_KEYS = ("m_probability", "u_probability", "tf_minimum_u_value")


def settings_for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The trained model's Splink settings with SQL written for another engine ('spark').

    The model's shape is rebuilt from crm_quality.matching.settings for `dialect`, and the
    trained prior and m and u probabilities are copied across level by level.
    """
    trained = model["splink_settings"]
    shape = model["training"]
    keys = [tuple(key) for key in shape["blocking"]["keys"]]
    creator = settings_creator(shape["fields"], keys)
    settings = settings_dict(creator.get_settings(dialect).as_dict())
    settings["probability_two_random_records_match"] = trained[
        "probability_two_random_records_match"
    ]
    by_name = {c["output_column_name"]: c for c in trained["comparisons"]}
    for comparison in settings["comparisons"]:
        trained_levels = by_name[comparison["output_column_name"]]["comparison_levels"]
        if len(trained_levels) != len(comparison["comparison_levels"]):
            raise ValueError(f"{comparison['output_column_name']}: the model's shape changed")
        for level, trained_level in zip(
            comparison["comparison_levels"], trained_levels, strict=True
        ):
            for key in TRAINED_LEVEL_KEYS:
                if key in trained_level:
                    level[key] = trained_level[key]
    return settings
