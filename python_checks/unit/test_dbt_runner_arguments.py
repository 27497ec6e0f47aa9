"""The suite's whole builds leave dbt's unit tests to `make dbt-test` unless a test asks."""

from python_checks.dbt_runner import build_arguments


def test_a_whole_build_leaves_unit_tests_out_by_default() -> None:
    assert build_arguments(["build", "--exclude", "monitor_x"], unit_tests=False) == [
        "--exclude",
        "monitor_x",
        "--exclude-resource-type",
        "unit_test",
    ]


def test_unit_tests_run_when_asked_for() -> None:
    assert build_arguments(["build"], unit_tests=True) == []


def test_a_command_naming_its_excluded_types_is_left_as_it_is() -> None:
    command = ["build", "--exclude-resource-type", "test", "unit_test"]
    assert build_arguments(command, unit_tests=False) == command[1:]
