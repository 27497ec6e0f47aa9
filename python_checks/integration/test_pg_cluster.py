"""The throwaway PostgreSQL cluster the engine tests run on."""

from __future__ import annotations

import psycopg

from crm_quality import pg_cluster
from crm_quality.build import postgres_session_options


def test_cluster_serves_a_utf8_database_on_localhost(postgres_env: dict[str, str]) -> None:
    with psycopg.connect(**_connect_arguments(postgres_env)) as connection:
        encoding, ctype, upper = connection.execute(
            "select pg_encoding_to_char(encoding), datctype, upper('straße ÿ') "
            "from pg_database where datname = current_database()"
        ).fetchone()
    assert postgres_env["PGHOST"] == "127.0.0.1"
    assert encoding == "UTF8"
    assert ctype == pg_cluster.DATABASE_LOCALE
    # lower()/upper() follow the database's ctype: under plain C they would skip 'ÿ'.
    assert upper == "STRAßE Ÿ"


def test_the_database_sorts_text_by_language_not_by_code_point(postgres_env) -> None:
    """As most servers do: the engine tests then catch SQL whose result depends on the
    collation (code_point_order where an order decides a result)."""
    assert pg_cluster.has_locale(pg_cluster.DATABASE_LOCALE), (
        f"no {pg_cluster.DATABASE_LOCALE} locale for the test database; as root: localedef -i "
        "en_US -f UTF-8 en_US.UTF-8 (.ci/run does)"
    )
    with psycopg.connect(**_connect_arguments(postgres_env)) as connection:
        in_database, by_code_point = connection.execute(
            "select 'a' < 'B', 'a' collate \"C\" < 'B'"
        ).fetchone()
    assert (in_database, by_code_point) == (True, False)


def test_the_builds_session_options_reach_the_server(postgres_env: dict[str, str]) -> None:
    """The options a build hands libpq (PGOPTIONS) are ones the server takes."""
    options = postgres_session_options("")
    with psycopg.connect(**_connect_arguments(postgres_env), options=options) as connection:
        (jit,) = connection.execute("show jit").fetchone()
        (merge_joins,) = connection.execute("show enable_mergejoin").fetchone()
    assert (jit, merge_joins) == ("off", "off")


def _connect_arguments(environment: dict[str, str]) -> dict[str, str]:
    return {
        "host": environment["PGHOST"],
        "port": environment["PGPORT"],
        "user": environment["PGUSER"],
        "dbname": environment["PGDATABASE"],
    }
