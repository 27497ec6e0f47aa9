"""Shared fixtures: the repository's seed folder and the lookups built from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from crm_quality.standardize import Lookups

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = REPO_ROOT / "seeds"

# No per-example deadline: CI shares two cores with dbt builds, and a slow example is not a
# wrong one.
settings.register_profile("crm_quality", deadline=None)
settings.load_profile("crm_quality")


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEED_DIR


@pytest.fixture(scope="session")
def lookups() -> Lookups:
    return Lookups.from_seed_dir(SEED_DIR)
