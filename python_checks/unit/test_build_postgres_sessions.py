"""A PostgreSQL build's own sessions turn JIT, merge joins and nested loops off
(crm_quality.build.POSTGRES_SESSION_SETTINGS), keeping whatever the user's PGOPTIONS already
sets; a DuckDB build's variables are untouched."""

from pathlib import Path

from crm_quality.build import dbt_environment, postgres_session_options


def _environment(target: str, environment: dict[str, str]) -> dict[str, str]:
    return dbt_environment(environment, {}, Path("raw"), Path("declared"), target)


def test_a_postgres_build_turns_jit_merge_joins_and_nested_loops_off_beside_the_users_options() -> (
    None
):
    built = _environment("postgres", {"PGOPTIONS": "-c statement_timeout=0"})
    ours = "-c jit=off -c enable_mergejoin=off -c enable_nestloop=off"
    assert built["PGOPTIONS"] == f"-c statement_timeout=0 {ours}"
    assert _environment("postgres", {})["PGOPTIONS"] == ours


def test_a_setting_the_user_gave_is_kept() -> None:
    for given in ("-c jit=on", "-cjit=on", "--jit=on", "-c search_path=x -c jit = on"):
        assert postgres_session_options(given) == (
            f"{given} -c enable_mergejoin=off -c enable_nestloop=off"
        )
    every = "-c jit=on --enable_mergejoin=on -c enable_nestloop=on"
    assert postgres_session_options(every) == every


def test_a_duckdb_build_leaves_pgoptions_alone() -> None:
    assert "PGOPTIONS" not in _environment("duckdb", {})
    assert _environment("duckdb", {"PGOPTIONS": "-c jit=on"})["PGOPTIONS"] == "-c jit=on"
