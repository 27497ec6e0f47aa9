"""Shared fixtures: the repository's seed folder and the lookups built from it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from crm_quality import pg_cluster
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


@pytest.fixture(scope="session")
def postgres_env() -> dict[str, str]:
    """The PG* variables of a throwaway PostgreSQL cluster, one per test process.

    The cluster lives outside pytest's temporary folders: pytest makes their root private to
    this user at each session start, which would lock the cluster's owner (the postgres user,
    under root) out of its own files. No skip when PostgreSQL is missing: CI installs it
    (.ci/run), and a silent skip would hide the engine the tests exist to cover.
    """
    directory = Path(tempfile.mkdtemp(prefix="crm-quality-pg-"))
    cluster = pg_cluster.start(directory)
    yield cluster.environment
    pg_cluster.stop(directory)
    shutil.rmtree(directory, ignore_errors=True)


# --- Spreading the tests over `make test`'s xdist workers (-n 3 --dist loadfile) ---------------
# A work unit runs whole on one worker: a test file, except that each build made by a
# module-scoped fixture parameter is a unit of its own with the tests using it, and the files
# or parameters sharing one session-wide build are one unit (that build is made once, not once
# per worker).
# (pytest-xdist's own xdist_group marks do not reach its scheduler under pytest 9.)
SHARED_BUILDS = {
    # The `generated` fixture (integration/conftest.py).
    "generated-warehouse": (
        "python_checks/integration/test_marts_match_truth.py",
        "python_checks/integration/test_pii.py",
        "python_checks/integration/test_repeatable_builds.py",
        "python_checks/integration/test_raw_rows_conserved.py",
        "python_checks/integration/test_clustering_sql.py",
        "python_checks/integration/test_pair_scoring_sql.py",
        "python_checks/integration/test_standardized_models.py",
        "python_checks/integration/test_merge_suggestions.py",
        "python_checks/integration/test_build_selections.py",
        "python_checks/integration/test_uncompressed_columns.py",
        "python_checks/integration/test_date_orders.py",
    ),
    # cross_engine_builds (integration/conftest.py): DuckDB and PostgreSQL.
    "cross-engine": (
        "python_checks/integration/test_postgres_build.py",
        "python_checks/integration/test_postgres_roles.py",
        "python_checks/integration/test_postgres_plans.py",
    ),
    # review_build (integration/conftest.py): the review queue and the review loop.
    "review-build": (
        "python_checks/integration/test_review_sample.py",
        "python_checks/integration/test_review_loop.py",
    ),
    # shared_history (integration/test_monitoring_builds.py).
    "monitoring-history": (
        "python_checks/integration/test_monitoring.py",
        "python_checks/integration/test_report_warehouse.py",
        "python_checks/integration/test_report_browser.py",
    ),
    # febrl_build (integration/conftest.py): FEBRL2's link layout, built once on DuckDB.
    "febrl2-link": (
        "python_checks/integration/test_febrl.py[febrl2-link]",
        "python_checks/integration/test_postgres_other_data.py",
    ),
}
# Files whose builds are module-scoped fixture parameters: each parameter is a unit of its own.
# The parameter is the first so many '-'-separated parts of a test's id.
PER_PARAMETER = {
    "python_checks/integration/test_generator_scenarios.py": 1,  # without_email
    "python_checks/integration/test_febrl.py": 2,  # febrl2-dedup
}
# The units that take longest (measured with --durations=0), started first so that short units
# fill the end of the workers' runs; any other unit follows in collection order.
SLOWEST_FIRST = (
    "generated-warehouse",
    "monitoring-history",
    "cross-engine",
    "python_checks/integration/test_bi_reads_during_postgres_build.py",
    "python_checks/integration/test_entity_resolution_accuracy.py",
    "python_checks/integration/test_bi_reads_during_build.py",
    "python_checks/integration/test_crm_sources.py",
)


def work_unit(nodeid: str) -> str:
    """The work unit of a test, by its node id."""
    path = nodeid.split("::")[0]
    own = path
    if path in PER_PARAMETER and nodeid.endswith("]"):
        parts = nodeid.rsplit("[", 1)[1].rstrip("]").split("-")
        own = f"{path}[{'-'.join(parts[: PER_PARAMETER[path]])}]"
    for unit, members in SHARED_BUILDS.items():
        if own in members or path in members:
            return unit
    return own


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        unit = work_unit(item.nodeid)
        return SLOWEST_FIRST.index(unit) if unit in SLOWEST_FIRST else len(SLOWEST_FIRST)

    items.sort(key=rank)


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class WorkUnitScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return WorkUnitScheduling(config, log)
