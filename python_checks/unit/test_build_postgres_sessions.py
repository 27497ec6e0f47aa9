"""A PostgreSQL build's own sessions turn JIT and merge joins off
(crm_quality.build.POSTGRES_SESSION_SETTINGS), keeping whatever the user's PGOPTIONS already
sets; a DuckDB build's variables are untouched."""

from pathlib import Path

from crm_quality.build import dbt_environment, postgres_session_options


def _environment(target: str, environment: dict[str, str]) -> dict[str, str]:
    return dbt_environment(environment, {}, Path("raw"), Path("declared"), target)


def test_a_postgres_build_turns_jit_and_merge_joins_off_beside_the_users_options() -> None:
    built = _environment("postgres", {"PGOPTIONS": "-c statement_timeout=0"})
    assert built["PGOPTIONS"] == "-c statement_timeout=0 -c jit=off -c enable_mergejoin=off"
    assert _environment("postgres", {})["PGOPTIONS"] == "-c jit=off -c enable_mergejoin=off"


def test_a_setting_the_user_gave_is_kept() -> None:
    for given in ("-c jit=on", "-cjit=on", "--jit=on", "-c search_path=x -c jit = on"):
        assert postgres_session_options(given) == f"{given} -c enable_mergejoin=off"
    both = "-c jit=on --enable_mergejoin=on"
    assert postgres_session_options(both) == both


def test_a_duckdb_build_leaves_pgoptions_alone() -> None:
    assert "PGOPTIONS" not in _environment("duckdb", {})
    assert _environment("duckdb", {"PGOPTIONS": "-c jit=on"})["PGOPTIONS"] == "-c jit=on"
