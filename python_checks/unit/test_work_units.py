"""`make test`'s work units (python_checks/conftest.py): a session-wide build is made once."""

from __future__ import annotations

import subprocess
import sys

from python_checks.conftest import SHARED_BUILDS, SLOWEST_FIRST, work_unit
from python_checks.dbt_runner import REPO_ROOT

# Prints, per collected test: its node id, whether it uses the `generated` build and whether its
# module uses the monitoring history.
COLLECT = """
import sys, pytest
class Report:
    def pytest_collection_finish(self, session):
        for item in session.items:
            module = getattr(item, "module", None)
            print("UNIT", item.nodeid, "generated" in item.fixturenames,
                  hasattr(module, "shared_history"), sep="\\t")
sys.exit(pytest.main(["--collect-only", "-q", "python_checks/integration"], plugins=[Report()]))
"""


def collected() -> list[tuple[str, bool, bool]]:
    completed = subprocess.run(
        [sys.executable, "-c", COLLECT], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    rows = [line.split("\t")[1:] for line in completed.stdout.splitlines() if line[:5] == "UNIT\t"]
    return [(nodeid, generated == "True", history == "True") for nodeid, generated, history in rows]


def test_tests_sharing_a_session_build_are_one_work_unit():
    tests = collected()
    assert tests
    for nodeid, uses_generated, uses_history in tests:
        if uses_generated:
            assert work_unit(nodeid) == "generated-warehouse", nodeid
        if uses_history:
            assert work_unit(nodeid) == "monitoring-history", nodeid
    units = {work_unit(nodeid) for nodeid, _, _ in tests}
    assert set(SHARED_BUILDS) <= units and set(SLOWEST_FIRST) <= units


def test_other_files_are_their_own_unit_and_parametrized_builds_split():
    path = "python_checks/integration/test_lead_heavy_crm.py"
    assert work_unit(f"{path}::test_a") == work_unit(f"{path}::test_b[x-y]") == path
    scenarios = "python_checks/integration/test_generator_scenarios.py"
    assert work_unit(f"{scenarios}::test_a[without_email-phone]") == f"{scenarios}[without_email]"
    assert work_unit(f"{scenarios}::test_b[without_email]") == f"{scenarios}[without_email]"
    assert work_unit(f"{scenarios}::test_b[without_phone]") != f"{scenarios}[without_email]"
    febrl = "python_checks/integration/test_febrl.py"
    assert work_unit(f"{febrl}::test_a[febrl2-dedup]") == f"{febrl}[febrl2-dedup]"
    assert work_unit(f"{febrl}::test_a[febrl1-link]") == f"{febrl}[febrl1-link]"


def test_a_shared_parameter_joins_the_files_reading_its_build():
    febrl = "python_checks/integration/test_febrl.py"
    postgres = "python_checks/integration/test_postgres_other_data.py"
    assert work_unit(f"{febrl}::test_a[febrl2-link]") == "febrl2-link"
    assert work_unit(f"{postgres}::test_b") == "febrl2-link"
    assert work_unit(f"{febrl}::test_a[febrl2-dedup]") != "febrl2-link"
