"""One generated dataset and one dbt build, shared by the integration tests that read marts."""

from __future__ import annotations

import pytest

from python_checks.dbt_runner import DbtRun, generate_demo, run_dbt

PEOPLE = 3000
SEED = 20261125


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> tuple[dict, DbtRun]:
    root = tmp_path_factory.mktemp("generated")
    truth = generate_demo(root / "raw", people=PEOPLE, seed=SEED)
    run = run_dbt(["build"], root / "raw", root / "build")
    assert run.returncode == 0, run.output[-4000:]
    return truth, run


@pytest.fixture(scope="session")
def truth(generated) -> dict:
    return generated[0]


@pytest.fixture(scope="session")
def warehouse(generated) -> DbtRun:
    return generated[1]
