"""The one way dbt vars reach Python steps of a build.

The matching training step (crm_quality/matching/train_step.py) runs between two dbt
invocations, where no `var()` can be called. The SQL model `build_settings` renders every
value Python needs into one row of text; the step reads that row with `settings_row` and takes
typed values with `setting`. The defaults live in dbt_project.yml alone: a name missing from
the row is an error, not a silent default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd


def _text(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return None if text in ("", "None", "none", "null") else text


def _as_of(value: object) -> date:
    """The build's reference date: `as_of_date` when set, else today."""
    text = _text(value)
    return date.today() if text is None else date.fromisoformat(text)


def _date(value: object) -> date:
    return date.fromisoformat(str(value).strip())


def _bool(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() == "true"


def _optional_path(value: object) -> str | None:
    return _text(value)


# Every setting a Python model reads, with how its rendered text becomes a value.
SETTING_TYPES: Mapping[str, Callable[[object], Any]] = {
    "raw_dir": lambda value: Path(str(value)),
    "declared_dir": lambda value: Path(str(value)),
    "as_of_date": _as_of,
    "min_birth_date": _date,
    "max_age_years": int,
    "min_order_date": _date,
    "future_slack_days": int,
    "max_exact_key_group_size": int,
    "er_retrain": _bool,
    "er_train_on_labels": _bool,
    "er_label_pseudo_count": float,
    "er_min_fill_rate": float,
    "er_max_pairs_per_record": float,
    "er_model_path": _optional_path,
    "er_pair_min_match_probability": float,
    "er_match_threshold": float,
    "er_conservative_match_threshold": float,
    "er_lenient_match_threshold": float,
    "review_sample_size": int,
    "review_sample_seed": int,
}


def settings_row(frame: pd.DataFrame) -> dict[str, object]:
    """The one row of the `build_settings` model as a name → text mapping."""
    if len(frame) != 1:
        raise ValueError(f"build_settings must hold exactly one row, found {len(frame)}")
    row = frame.iloc[0]
    return {name: None if pd.isna(row[name]) else row[name] for name in frame.columns}


def setting(settings: Mapping[str, object] | None, name: str) -> Any:
    """The typed value of `name` from the build's settings (see `settings_row`)."""
    if name not in SETTING_TYPES:
        raise KeyError(f"unknown setting {name!r}; known: {sorted(SETTING_TYPES)}")
    if not settings or name not in settings:
        raise KeyError(
            f"setting {name!r} is not in the build's settings; "
            "add it to models/settings/build_settings.sql"
        )
    return SETTING_TYPES[name](settings[name])
