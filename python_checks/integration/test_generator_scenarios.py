"""Builds on generated data shaped unlike the default, against the generator's truth.

Scenarios: CRM and billing exports without e-mail, without phone or without birth date, and
a population of Korea, Brazil and Japan only. Their deterministic figures (row counts, the
naive shortage, completeness and validity defects per field, order checks) must equal the
truth exactly; entity resolution (pair F1, shortage, duplicates) must come close to it, with
only the populated fields compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crm_quality.matching.accuracy import accuracy_report
from python_checks.dbt_runner import DbtRun, generate_demo, run_dbt

pytestmark = pytest.mark.integration

PEOPLE = 1500
SEED = 20261201
# The checks mart_defect_rate reports per field (dbt var required_fields, validity rules).
COMPLETENESS_FIELDS = ("first_name", "last_name", "email", "phone", "country")
VALIDITY_FIELDS = ("email", "phone", "country", "birth_date")
# A CRM without this field's values makes these monitors exceed their error thresholds.
MISSING_FIELD_MONITORS = ("monitor_crm_defect_rate", "monitor_crm_defect_rate_completeness")


@dataclass(frozen=True)
class Scenario:
    """Generator arguments for one build and what that build is known to report."""

    name: str
    generator_args: tuple[str, ...]
    dropped_field: str | None = None
    # Monitors whose failure is the right verdict on this data.
    failing_monitors: frozenset[str] = frozenset()
    # Warning tests that are right to warn on this data.
    warning_tests: frozenset[str] = frozenset()
    # 'crm/completeness/missing/last_name' → why the warehouse disagrees with the truth.
    known_gaps: Mapping[str, str] = field(default_factory=dict)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "without_email",
        ("--without", "email"),
        dropped_field="email",
        failing_monitors=frozenset({"monitor_customer_email_null_rate", *MISSING_FIELD_MONITORS}),
    ),
    Scenario(
        "without_phone",
        ("--without", "phone"),
        dropped_field="phone",
        failing_monitors=frozenset({"monitor_customer_phone_null_rate", *MISSING_FIELD_MONITORS}),
    ),
    Scenario(
        "without_birth_date",
        ("--without", "birth_date"),
        dropped_field="birth_date",
        # Training is not degenerate without birth dates: a duplicate whose first name is
        # mistyped keeps its inbox (features.NAME_SIMILARITY), so EM sees first names
        # differ between records of one person.
    ),
    Scenario("countries_kr_br_jp", ("--countries", "KR,BR,JP")),
)


@dataclass(frozen=True)
class ScenarioBuild:
    """One scenario's generated raw files, their truth.json and the finished build."""

    scenario: Scenario
    raw_dir: Path
    truth: dict
    run: DbtRun


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda scenario: scenario.name)
def scenario_build(request, tmp_path_factory) -> ScenarioBuild:
    scenario: Scenario = request.param
    root = tmp_path_factory.mktemp(scenario.name)
    truth = generate_demo(root / "raw", PEOPLE, SEED, scenario.generator_args)
    run = run_dbt(["build"], root / "raw", root / "build")
    return ScenarioBuild(scenario, root / "raw", truth, run)


DEFECTS = """
    select source_system, defective_records, records_checked from mart_defect_rate
    where source_name = 'all' and source_channel = 'all'
      and quality_dimension = '{}' and defect_type = '{}' and field = '{}'
"""
TRUTH_KEYS = {"crm": "defects", "billing": "billing_defects"}


def defect_counts(build: ScenarioBuild, key: str) -> dict[str, int]:
    """Defective records per source system for 'dimension/defect_type/field'."""
    return {system: bad for system, bad, _ in build.run.query(DEFECTS.format(*key.split("/")))}


def truth_counts(build: ScenarioBuild, key: str, systems=("crm", "billing")) -> dict[str, int]:
    return {system: build.truth[TRUTH_KEYS[system]].get(key, 0) for system in systems}


def expect_gaps(request, build: ScenarioBuild, keys: list[str]) -> None:
    """Mark the test as an expected failure where the scenario has a known gap."""
    reasons = [build.scenario.known_gaps[key] for key in keys if key in build.scenario.known_gaps]
    if reasons:
        request.applymarker(pytest.mark.xfail(strict=True, reason="; ".join(reasons)))


def test_models_build_and_only_the_expected_tests_fail_or_warn(
    scenario_build: ScenarioBuild,
) -> None:
    statuses = scenario_build.run.node_statuses()
    assert statuses, scenario_build.run.output[-4000:]
    not_built = {
        name: status for name, status in statuses.items() if status in ("error", "skipped")
    }
    failing = {name for name, status in statuses.items() if status == "fail"}
    warning = {name for name, status in statuses.items() if status == "warn"}
    assert not_built == {}, scenario_build.run.output[-4000:]
    assert failing == scenario_build.scenario.failing_monitors
    assert warning == scenario_build.scenario.warning_tests
    assert scenario_build.run.returncode == (1 if failing else 0)


def test_row_counts_and_naive_shortage_exactly(scenario_build: ScenarioBuild) -> None:
    truth, run = scenario_build.truth, scenario_build.run
    billing, crm, naive = run.query(
        "select billing_records, crm_records, naive_shortage_rate_pct "
        "from mart_customer_shortage where breakdown = 'overall'"
    )[0]
    assert (billing, crm) == (truth["billing_rows"], truth["crm_rows"])
    assert float(naive) == pytest.approx(truth["naive_shortage_rate_pct"], abs=1e-4)
    xref = dict(run.query("select source_system, count(*) from customer_xref group by 1"))
    assert xref == {"crm": truth["crm_rows"], "billing": truth["billing_rows"]}


@pytest.mark.parametrize("field_name", COMPLETENESS_FIELDS)
def test_missing_values_per_field_exactly(scenario_build, field_name, request) -> None:
    key = f"completeness/missing/{field_name}"
    expect_gaps(request, scenario_build, [f"{system}/{key}" for system in TRUTH_KEYS])
    assert defect_counts(scenario_build, key) == truth_counts(scenario_build, key)


@pytest.mark.parametrize("field_name", VALIDITY_FIELDS)
def test_invalid_values_per_field_exactly(scenario_build, field_name, request) -> None:
    key = f"validity/invalid/{field_name}"
    expect_gaps(request, scenario_build, [f"{system}/{key}" for system in TRUTH_KEYS])
    assert defect_counts(scenario_build, key) == truth_counts(scenario_build, key)


def test_record_ids_and_timestamps_exactly(scenario_build: ScenarioBuild) -> None:
    pairs = {
        "completeness/missing/contact_id": "completeness/missing/contact_id",
        "uniqueness/duplicate_id/contact_id": "uniqueness/duplicate_id/contact_id",
        "validity/invalid/updated_at": "validity/invalid/updated_at",
    }
    for warehouse_key, truth_key in pairs.items():
        found = defect_counts(scenario_build, warehouse_key)
        assert found == truth_counts(scenario_build, truth_key, ("crm",)), warehouse_key


def test_a_dropped_field_is_missing_everywhere_and_never_judged_valid(
    scenario_build: ScenarioBuild,
) -> None:
    dropped = scenario_build.scenario.dropped_field
    if dropped is None:
        pytest.skip("no field dropped in this scenario")
    rows = {
        "crm": scenario_build.truth["crm_rows"],
        "billing": scenario_build.truth["billing_rows"],
    }
    checked = {
        system: count
        for system, _, count in scenario_build.run.query(
            DEFECTS.format("validity", "invalid", dropped)
        )
    }
    assert checked == {"crm": 0, "billing": 0}
    if dropped in COMPLETENESS_FIELDS:
        assert defect_counts(scenario_build, f"completeness/missing/{dropped}") == rows


def test_order_checks_exactly_in_every_currency(scenario_build: ScenarioBuild) -> None:
    """Every order check as the truth has it: amounts with separators parse by the amount
    rule, the ambiguous ones ('8,000') are invalid, whatever the countries' currencies."""
    rows = scenario_build.run.query(
        "select quality_dimension, defect_type, field, records_checked, defective_records "
        "from mart_defect_rate where source_system = 'orders' and source_name = 'all' "
        "and source_channel = 'all' "
        "and field != 'record'"
    )
    assert rows
    expected = scenario_build.truth["defect_rates"]["orders"]["all"]
    assert {
        f"{dimension}/{kind}/{name}": {"records_checked": checked, "defective_records": bad}
        for dimension, kind, name, checked, bad in rows
    } == {key: figures for key, figures in expected.items() if not key.endswith("/record")}


# Entity resolution per scenario: floors about 0.005 under the measured pair F1 and about twice
# the measured errors. Without birth dates, look-alike housemates (twins, Jr./Sr.: same
# surname, phone and street) are the hard case; in Korea, Brazil and Japan, names typed in
# another script or under one of two surnames (docs/entity_resolution.md). Measured with the
# awkward cases in the data (family inboxes, joint accounts, twins and Jr./Sr.):
# pair F1 dedup / link, shortage error, duplicates error —
#   without_email       0.9974 / 0.9992, −0.07 points, +0.6 %
#   without_phone       0.9973 / 0.9996, −0.07 points, −0.6 %
#   without_birth_date  0.9840 / 0.9976, −0.06 points, −1.9 %
#   countries_kr_br_jp  0.9691 / 0.9919, +0.13 points, +3.4 %
ER_FLOORS: dict[str, dict[str, float]] = {
    "without_email": {"crm_dedup": 0.992, "crm_billing_link": 0.994},
    "without_phone": {"crm_dedup": 0.992, "crm_billing_link": 0.994},
    "without_birth_date": {"crm_dedup": 0.978, "crm_billing_link": 0.992},
    "countries_kr_br_jp": {"crm_dedup": 0.964, "crm_billing_link": 0.986},
}
SHORTAGE_POINTS = {
    "without_email": 0.15,
    "without_phone": 0.15,
    "without_birth_date": 0.13,
    "countries_kr_br_jp": 0.27,
}
DUPLICATES_RELATIVE = {
    "without_email": 0.013,
    "without_phone": 0.013,
    "without_birth_date": 0.039,
    "countries_kr_br_jp": 0.068,
}


@pytest.fixture(scope="module")
def accuracy(scenario_build: ScenarioBuild) -> dict:
    return accuracy_report(scenario_build.run.warehouse, scenario_build.raw_dir, [0.9])


def test_entity_resolution_pair_f1(scenario_build: ScenarioBuild, accuracy: dict) -> None:
    for task, floor in ER_FLOORS[scenario_build.scenario.name].items():
        assert accuracy["headline"][task]["f1"] >= floor, (task, accuracy["headline"][task])


def test_shortage_and_duplicates_close_to_truth(scenario_build, accuracy) -> None:
    name = scenario_build.scenario.name
    shortage, duplicates = accuracy["shortage"], accuracy["duplicates"]
    assert abs(shortage["error_pct_points"]) <= SHORTAGE_POINTS[name], shortage
    assert abs(duplicates["relative_error"]) <= DUPLICATES_RELATIVE[name], duplicates


def test_only_populated_fields_are_compared(scenario_build: ScenarioBuild) -> None:
    compared = dict(
        scenario_build.run.query("select field_name, is_compared from fct_matching_fields")
    )
    dropped = {"birth_date": "birth_date", "email": "email", "phone": "phone"}.get(
        scenario_build.scenario.dropped_field or ""
    )
    for field_name, is_compared in compared.items():
        assert is_compared == (field_name != dropped), field_name
