"""A build of the warehouse leaves dbt's unit tests to `make test` unless asked for them."""

from crm_quality.build import build_arguments


def test_a_build_leaves_unit_tests_out_by_default() -> None:
    assert build_arguments(["--exclude", "monitor_x"], unit_tests=False) == [
        "--exclude",
        "monitor_x",
        "--exclude-resource-type",
        "unit_test",
    ]


def test_unit_tests_run_when_asked_for() -> None:
    assert build_arguments([], unit_tests=True) == []


def test_arguments_naming_their_excluded_types_are_left_as_they_are() -> None:
    arguments = ["--exclude-resource-type", "test", "unit_test"]
    assert build_arguments(arguments, unit_tests=False) == arguments
