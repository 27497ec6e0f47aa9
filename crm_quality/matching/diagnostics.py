"""The trained model's diagnostics as flat tables: fields, blocking keys, parameters.

Read from the model document (crm_quality.matching.model) that a build used, so an analyst
sees which fields were compared, how many pairs each key made, whether every EM round
converged, and each level's m, u and weight, with the degenerate ones flagged.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from crm_quality.matching.profile import is_weak

# Splink keeps probabilities inside these bounds; a value on them was not really estimated.
PROBABILITY_FLOOR = 1e-9
PROBABILITY_CEILING = 1 - 1e-9


def fields_frame(model_id: str, model: dict[str, Any]) -> pd.DataFrame:
    """One row per identifying field: its fill rate and whether it was compared."""
    training = model["training"]
    compared = set(training["fields"])
    return pd.DataFrame(
        [
            {
                "model_id": model_id,
                "field_name": field,
                "fill_rate": float(rate),
                "min_fill_rate": float(training["min_fill_rate"]),
                "is_compared": field in compared,
            }
            for field, rate in training["profile"]["fill_rates"].items()
        ]
    )


def blocking_keys_frame(model_id: str, model: dict[str, Any]) -> pd.DataFrame:
    """One row per candidate key: prediction keys (pairs, used) and EM rounds (convergence)."""
    training = model["training"]
    rows = [
        {
            "model_id": model_id,
            "purpose": "prediction",
            "blocking_key": "+".join(candidate["key"]),
            "record_pairs": int(candidate["pairs"]),
            "is_used": bool(candidate["used"]),
            "estimated_comparisons": None,
            "em_iterations": None,
            "is_converged": None,
        }
        for candidate in training["blocking"]["candidates"]
    ]
    rows += [
        {
            "model_id": model_id,
            "purpose": "training",
            "blocking_key": "+".join(round_["key"]),
            "record_pairs": int(round_["pairs"]),
            "is_used": "error" not in round_,
            "estimated_comparisons": ",".join(round_["estimated"]),
            "em_iterations": int(round_["iterations"]),
            "is_converged": bool(round_["converged"]),
        }
        for round_ in training["em_rounds"]
    ]
    return pd.DataFrame(rows).astype({"em_iterations": "Int64", "is_converged": "boolean"})


def _weight(m: float | None, u: float | None) -> float | None:
    if not m or not u:
        return None
    return math.log2(m / u)


def _at_bound(value: float | None) -> bool:
    return value is not None and not PROBABILITY_FLOOR < value < PROBABILITY_CEILING


def parameters_frame(model_id: str, model: dict[str, Any]) -> pd.DataFrame:
    """One row per comparison level (and one for the prior), flagged when degenerate.

    A level is unobserved when training could not estimate its m or u (its weight was set
    to zero, crm_quality.matching.training.neutralise_unobserved); a
    comparison is not estimated when no converged EM round could estimate its m values (they
    are then the starting model's); a probability on Splink's bounds was pinned there.
    """
    settings = model["splink_settings"]
    estimated = {
        name
        for round_ in model["training"]["em_rounds"]
        if round_.get("converged")
        for name in round_["estimated"]
    }
    unobserved = {tuple(pair) for pair in model["training"].get("unobserved_levels", [])}
    prior = float(settings["probability_two_random_records_match"])
    rows = [
        {
            "model_id": model_id,
            "comparison": "prior",
            "level_label": "two random records match",
            "level_order": 0,
            "m_probability": prior,
            "u_probability": None,
            "match_weight": math.log2(prior / (1 - prior)),
            "is_observed": True,
            "is_estimated": True,
            "is_at_bound": _at_bound(prior),
        }
    ]
    for comparison in settings["comparisons"]:
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        for order, level in enumerate(levels, start=1):
            m, u = level.get("m_probability"), level.get("u_probability")
            rows.append(
                {
                    "model_id": model_id,
                    "comparison": comparison["output_column_name"],
                    "level_label": level.get("label_for_charts", ""),
                    "level_order": order,
                    "m_probability": m,
                    "u_probability": u,
                    "match_weight": _weight(m, u),
                    "is_observed": (comparison["output_column_name"], level.get("label_for_charts"))
                    not in unobserved,
                    "is_estimated": comparison["output_column_name"] in estimated,
                    "is_at_bound": _at_bound(m) or _at_bound(u),
                }
            )
    return pd.DataFrame(rows)


FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "fields": ("model_id", "field_name", "fill_rate", "min_fill_rate", "is_compared"),
    "blocking_keys": (
        "model_id",
        "purpose",
        "blocking_key",
        "record_pairs",
        "is_used",
        "estimated_comparisons",
        "em_iterations",
        "is_converged",
    ),
    "parameters": (
        "model_id",
        "comparison",
        "level_label",
        "level_order",
        "m_probability",
        "u_probability",
        "match_weight",
        "is_observed",
        "is_estimated",
        "is_at_bound",
    ),
}


def diagnostics_frame(
    kind: str, in_use: tuple[str, dict[str, Any], Any, str] | None
) -> pd.DataFrame:
    """One diagnostics table ('fields', 'blocking_keys', 'parameters') of the model in use;
    empty (same columns) when no model was trained, e.g. on header-only exports."""
    if in_use is None:
        return pd.DataFrame(columns=list(FRAME_COLUMNS[kind]))
    builders = {
        "fields": fields_frame,
        "blocking_keys": blocking_keys_frame,
        "parameters": parameters_frame,
    }
    model_id, model, _, _ = in_use
    return builders[kind](model_id, model)[list(FRAME_COLUMNS[kind])]


def summary_row(in_use: tuple[str, dict[str, Any], Any, str] | None) -> dict:
    """The model a build used, in one row: when and why it was trained, and how strong it is.

    With no model (no records to resolve) the row says so, and identification is weak."""
    if in_use is None:
        return {
            "model_id": None,
            "trained_at": None,
            "training_reason": "no records to train on",
            "training_record_count": 0,
            "compared_fields": "",
            "probability_two_random_records_match": None,
            "is_identification_weak": True,
        }
    model_id, model, trained_at, reason = in_use
    training = model["training"]
    fields = tuple(training["fields"])
    return {
        "model_id": model_id,
        "trained_at": trained_at,
        "training_reason": reason,
        "training_record_count": int(training["record_count"]),
        "compared_fields": ",".join(fields),
        "probability_two_random_records_match": float(
            model["splink_settings"]["probability_two_random_records_match"]
        ),
        "is_identification_weak": is_weak(fields),
    }
