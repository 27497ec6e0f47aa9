"""The throwaway PostgreSQL cluster the engine tests run on."""

from __future__ import annotations

import psycopg

from crm_quality.build import postgres_session_options


def test_cluster_serves_a_utf8_database_on_localhost(postgres_env: dict[str, str]) -> None:
    with psycopg.connect(**_connect_arguments(postgres_env)) as connection:
        encoding, ctype, upper = connection.execute(
            "select pg_encoding_to_char(encoding), datctype, upper('straße ÿ') "
            "from pg_database where datname = current_database()"
        ).fetchone()
    assert postgres_env["PGHOST"] == "127.0.0.1"
    assert encoding == "UTF8"
    assert ctype == "C.UTF-8"
    # lower()/upper() follow the database's ctype: under plain C they would skip 'ÿ'.
    assert upper == "STRAßE Ÿ"


def test_the_builds_session_options_reach_the_server(postgres_env: dict[str, str]) -> None:
    """The options a build hands libpq (PGOPTIONS) are ones the server takes."""
    options = postgres_session_options("")
    with psycopg.connect(**_connect_arguments(postgres_env), options=options) as connection:
        (jit,) = connection.execute("show jit").fetchone()
    assert jit == "off"


def _connect_arguments(environment: dict[str, str]) -> dict[str, str]:
    return {
        "host": environment["PGHOST"],
        "port": environment["PGPORT"],
        "user": environment["PGUSER"],
        "dbname": environment["PGDATABASE"],
    }
