"""A build of the warehouse leaves the tests of the SQL itself to `make test` unless asked."""

from crm_quality.build import build_arguments


def test_a_build_leaves_unit_and_invariant_tests_out_by_default() -> None:
    assert build_arguments(["--exclude", "monitor_x"], sql_tests=False) == [
        "--exclude",
        "tag:invariant",
        "monitor_x",
        "--exclude-resource-type",
        "unit_test",
    ]
    assert build_arguments([], sql_tests=False) == [
        "--exclude",
        "tag:invariant",
        "--exclude-resource-type",
        "unit_test",
    ]


def test_the_tests_of_the_sql_run_when_asked_for() -> None:
    assert build_arguments(["--exclude", "monitor_x"], sql_tests=True) == ["--exclude", "monitor_x"]


def test_arguments_naming_their_excluded_types_keep_them() -> None:
    arguments = ["--exclude-resource-type", "test", "unit_test"]
    assert build_arguments(arguments, sql_tests=False) == [
        "--exclude",
        "tag:invariant",
        *arguments,
    ]
