"""Sources already in the warehouse: sources.yml names a relation instead of a file, on
DuckDB and on PostgreSQL, and the builds give the figures the same rows give as files.

One CRM exported the way companies hold it (Salesforce contacts and leads with conversions and
recycle-bin rows, a HubSpot export, a German newsletter list; East Asian and German people
without birth dates) is built three ways: from its files on DuckDB, and with the HubSpot
contacts, the billing accounts and the orders read from warehouse tables (every column text, as
an EL tool lands a CSV) on DuckDB and on PostgreSQL. The two relation builds hold the same
tables on both engines.
"""

from __future__ import annotations

import json
import shutil
from contextlib import closing
from pathlib import Path

import duckdb
import pytest
import yaml

from crm_quality import dbt_in_process
from crm_quality.ingest import RawInputError
from crm_quality.ingest.contract import RAW_CONTRACT
from crm_quality.ingest.dbt_declarations import write_dbt_declarations
from crm_quality.ingest.declared import SOURCES_FILE, declared_sources
from crm_quality.ingest.raw_tables import warehouse_catalog
from python_checks import cross_engine
from python_checks.dbt_runner import DbtRun, dbt_environment, generate_demo, run_dbt
from python_checks.integration.conftest import RATE_MONITORS

pytestmark = pytest.mark.integration

LANDING = "landing"
# Source name → its file in the generated data: one source of each role.
IN_WAREHOUSE = {
    "hubspot": "hubspot_contacts.csv",
    "billing": "billing_customers.csv",
    "orders": "orders.csv",
}
POSTGRES_SCHEMA = "relations"
COMPANY_EXPORTS = [
    "--layout", "sources", "--leads", "150", "--countries", "CN,JP,KR,DE",
    "--without", "birth_date",
]  # fmt: skip
# A company's exports without birth dates breach the rate monitors: not what these builds are for.
BUILD = ["build", "--exclude", *RATE_MONITORS]
# The aggregate marts BI reads, compared whole.
MARTS = ("mart_customer_shortage", "mart_defect_rate")
# Columns naming the build itself (its id, its clock).
BUILD_COLUMNS = {"run_id", "run_started_at"}


def relation_name(file: str) -> str:
    return f"{LANDING}.{Path(file).stem}"


def with_relations(files_dir: Path, out_dir: Path) -> Path:
    """A copy of `files_dir` whose sources.yml reads IN_WAREHOUSE from relations."""
    shutil.copytree(files_dir, out_dir)
    declared = yaml.safe_load((files_dir / SOURCES_FILE).read_text(encoding="utf-8"))
    for entries in declared.values():
        for entry in entries:
            if entry["name"] in IN_WAREHOUSE:
                assert entry.pop("file") == IN_WAREHOUSE[entry["name"]]
                entry["relation"] = relation_name(IN_WAREHOUSE[entry["name"]])
    (out_dir / SOURCES_FILE).write_text(yaml.safe_dump(declared), encoding="utf-8")
    for file in IN_WAREHOUSE.values():
        (out_dir / file).unlink()  # read from the warehouse, or not at all
    return out_dir


def landed_rows(path: Path) -> duckdb.DuckDBPyRelation:
    return duckdb.sql(f"select * from read_csv('{path}', all_varchar = true)")


def land_in_duckdb(files_dir: Path, warehouse: Path) -> None:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(f"create schema {LANDING}")
        for file in IN_WAREHOUSE.values():
            connection.execute(
                f"create table {relation_name(file)} as"
                f" select * from read_csv('{files_dir / file}', all_varchar = true)"
            )


def land_in_postgres(files_dir: Path, environment: dict[str, str]) -> None:
    with cross_engine.connect_postgres(environment) as postgres:
        postgres.execute(f"drop schema if exists {LANDING} cascade")
        postgres.execute(f"create schema {LANDING}")
        for file in IN_WAREHOUSE.values():
            rows = landed_rows(files_dir / file)
            columns = ", ".join(f'"{column}" text' for column in rows.columns)
            postgres.execute(f"create table {relation_name(file)} ({columns})")
            with postgres.cursor().copy(f"copy {relation_name(file)} from stdin") as copy:
                for row in rows.fetchall():
                    copy.write_row(row)


def _raw_with_crm_source(raw: Path, entry: str) -> Path:
    """A raw directory declaring one crm source (`entry`, a sources.yml mapping), the other
    roles' default files empty."""
    raw.mkdir()
    for table in ("billing_customers", "orders"):
        (raw / f"{table}.csv").write_text(",".join(RAW_CONTRACT[table]) + "\n", encoding="utf-8")
    (raw / SOURCES_FILE).write_text(f"crm:\n  - {entry}\n", encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def builds(tmp_path_factory, postgres_env) -> dict:
    root = tmp_path_factory.mktemp("relation-sources")
    generate_demo(root / "files", people=600, seed=11, extra_args=COMPANY_EXPORTS)
    relations = with_relations(root / "files", root / "relations")
    # The reference figures: the relation builds run the data tests on the same rows.
    reference = [*BUILD, "--exclude-resource-type", "test", "unit_test"]
    from_files = run_dbt(reference, root / "files", root / "duckdb-files")
    land_in_duckdb(root / "files", root / "duckdb-relations" / "warehouse.duckdb")
    from_relations = run_dbt(BUILD, relations, root / "duckdb-relations")
    land_in_postgres(root / "files", postgres_env)
    on_postgres = cross_engine.build_on_postgres(
        BUILD, relations, root / "postgres", postgres_env, schema=POSTGRES_SCHEMA
    )
    return {
        "root": root,
        "files": from_files,
        "relations": from_relations,
        "postgres": on_postgres,
        "env": postgres_env,
    }


def _mart_rows(query, schema: str, mart: str, columns: list[str]) -> list[tuple]:
    names = ", ".join(f'"{column}"' for column in columns)
    return cross_engine.sorted_rows(query(f'select {names} from "{schema}"."{mart}"'))


def _mart_columns(build: DbtRun, mart: str) -> list[str]:
    rows = build.query(
        "select column_name from information_schema.columns"
        f" where table_schema = 'main' and table_name = '{mart}' order by ordinal_position"
    )
    return [name for (name,) in rows if name not in BUILD_COLUMNS]


def test_every_build_passes_every_test(builds) -> None:
    for name in ("files", "relations"):
        assert builds[name].returncode == 0, builds[name].output[-3000:]
    assert builds["postgres"].returncode == 0, builds["postgres"].stdout[-3000:]
    assert cross_engine.unpassed(builds["root"] / "postgres") == {}


def test_converted_leads_take_their_contacts_on_both_engines(builds) -> None:
    converted = "select count(*) > 0 from customer_xref where link_type = 'converted_lead'"
    found = cross_engine.on_both_engines(
        builds["relations"], builds["env"], POSTGRES_SCHEMA, converted
    )
    assert found == (True, True)


def test_every_mart_is_identical_on_both_engines(builds) -> None:
    differences = cross_engine.differing_tables(
        builds["relations"], builds["env"], builds["root"] / "postgres", schema=POSTGRES_SCHEMA
    )
    assert differences == {}


def test_headline_and_merge_files_read_alike_from_both_engines(builds, tmp_path) -> None:
    """Salesforce's mixed-case ids sort by code point in the merge files on both engines."""
    differing, read = cross_engine.read_off_differences(
        builds["relations"], builds["env"], POSTGRES_SCHEMA, tmp_path
    )
    assert differing == []
    assert "salesforce_merge.csv" in read


def test_relation_rows_load_whole_and_named_by_their_relation(builds) -> None:
    expected = {
        relation_name(file): len(landed_rows(builds["root"] / "files" / file).fetchall())
        for file in IN_WAREHOUSE.values()
    }
    tables = ("raw_crm_records", "raw_billing_customers", "raw_orders")
    union = " union all ".join(
        f"select source_file, _is_quarantined from main_restricted.{table}" for table in tables
    )
    counted = builds["relations"].query(
        f"select source_file, count(*), count(*) filter (where _is_quarantined)"
        f" from ({union}) as rows group by source_file"
    )
    loaded = {file: (count, quarantined) for file, count, quarantined in counted}
    assert {name: loaded[name] for name in expected} == {
        name: (count, 0) for name, count in expected.items()
    }
    with cross_engine.connect_postgres(builds["env"]) as postgres:
        rows = postgres.execute(
            f"select source_file, count(*) from ({union.replace('main_', POSTGRES_SCHEMA + '_')})"
            " as rows group by source_file"
        ).fetchall()
    assert {name: count for name, count in rows if name in expected} == expected


@pytest.mark.parametrize("mart", MARTS)
def test_relations_give_the_figures_files_give(builds, mart: str) -> None:
    files, relations = builds["files"], builds["relations"]
    columns = _mart_columns(files, mart)
    expected = _mart_rows(files.query, "main", mart, columns)
    assert expected
    assert _mart_rows(relations.query, "main", mart, columns) == expected
    with cross_engine.connect_postgres(builds["env"]) as postgres:
        on_postgres = _mart_rows(
            lambda sql: postgres.execute(sql).fetchall(), POSTGRES_SCHEMA, mart, columns
        )
    assert cross_engine.rows_differ(expected, on_postgres) == []


def test_a_relation_the_role_may_not_read_is_named_as_such(
    tmp_path, postgres_env, monkeypatch
) -> None:
    """PostgreSQL's information_schema lists only what the role may read; the build looks in
    the catalog, so the message says the role may not read the relation, and a grant is all it
    takes. A materialized view is a relation too."""
    role = "relation_source_reader"
    with cross_engine.connect_postgres(postgres_env) as postgres:
        postgres.execute("drop schema if exists guarded cascade")
        postgres.execute("create schema guarded")
        postgres.execute("create table guarded.landed (id text, email text)")
        postgres.execute("create materialized view guarded.contacts as table guarded.landed")
        postgres.execute(f"drop role if exists {role}")
        postgres.execute(f"create role {role} login")
        postgres.execute(f"grant usage on schema guarded to {role}")
    raw = _raw_with_crm_source(
        tmp_path / "raw",
        "{name: guarded, relation: guarded.contacts, columns: {contact_id: id, email: email}}",
    )
    for name, value in {**postgres_env, "PGUSER": role}.items():
        monkeypatch.setenv(name, value)
    with (
        warehouse_catalog("postgres", None) as catalog,
        pytest.raises(
            RawInputError,
            match=rf"not readable in PostgreSQL .* as role {role}: grant select on guarded\.",
        ),
    ):
        declared_sources(raw, catalog)
    with cross_engine.connect_postgres(postgres_env) as postgres:
        postgres.execute(f"grant select on guarded.contacts to {role}")
    with warehouse_catalog("postgres", None) as catalog:
        crm = [source.origin for source in declared_sources(raw, catalog) if source.role == "crm"]
    assert crm == ["guarded.contacts"]


def _freshness_status(raw: Path, work: Path, modified_days_ago: int) -> tuple[str, int]:
    with closing(duckdb.connect(str(work / "warehouse.duckdb"))) as connection:
        connection.execute(
            "update landing.signups set modified_at ="
            f" (now() at time zone 'UTC') - interval {modified_days_ago} day"
        )
    run = run_dbt(["source", "freshness", "--select", "source:landing.signups"], raw, work)
    (result,) = json.loads((work / "target" / "sources.json").read_text())["results"]
    return result["status"], run.returncode


def test_dbt_source_freshness_reads_a_relation_source(tmp_path) -> None:
    """A source already in the warehouse is a dbt source on its relation: `dbt source
    freshness` reads the column the source maps to updated_at against its freshness block."""
    work = tmp_path / "work"
    work.mkdir()
    with closing(duckdb.connect(str(work / "warehouse.duckdb"))) as connection:
        connection.execute("create schema landing")
        connection.execute(
            "create table landing.signups (id varchar, email varchar, modified_at timestamp)"
        )
        connection.execute("insert into landing.signups values ('1', 'ada@example.com', null)")
    raw = _raw_with_crm_source(
        tmp_path / "raw",
        "{name: signups, relation: landing.signups,"
        " columns: {contact_id: id, email: email, updated_at: modified_at},"
        " freshness: {warn_after: {count: 1, period: day}, error_after: {count: 30, period: day}}}",
    )
    with warehouse_catalog("duckdb", work / "warehouse.duckdb") as catalog:
        write_dbt_declarations(raw, work / "declared", catalog)
    assert _freshness_status(raw, work, 0) == ("pass", 0)
    assert _freshness_status(raw, work, 3) == ("warn", 0)
    assert _freshness_status(raw, work, 60) == ("error", 1)


def test_dbt_source_freshness_on_postgres_reads_a_typed_column(
    tmp_path, postgres_env, monkeypatch
) -> None:
    """PostgreSQL's catalog gives each column's type, so a timestamptz named in mixed case is
    the freshness column, quoted as spelled; dbt-postgres reads it."""
    with cross_engine.connect_postgres(postgres_env) as postgres:
        postgres.execute("drop schema if exists typed cascade")
        postgres.execute("create schema typed")
        postgres.execute(
            "create table typed.contacts"
            ' (id text, "Synced" timestamptz, seen date, n numeric(9, 2))'
        )
        postgres.execute(
            "insert into typed.contacts values ('1', now() - interval '3 days', null, null)"
        )
    for name, value in postgres_env.items():
        monkeypatch.setenv(name, value)
    work = tmp_path / "work"
    raw = _raw_with_crm_source(
        tmp_path / "raw",
        "{name: synced, relation: typed.contacts, columns: {contact_id: id},"
        " loaded_at_column: synced, freshness: {warn_after: {count: 1, period: day}}}",
    )
    with warehouse_catalog("postgres", None) as catalog:
        relation = catalog.relation("typed.contacts")
        write_dbt_declarations(raw, work / "declared", catalog)
    assert relation is not None
    assert relation.types == ("text", "timestamp with time zone", "date", "numeric(9,2)")
    assert [relation.is_timestamp(column) for column in ("ID", "synced", "seen", "n")] == [
        False, True, True, False,
    ]  # fmt: skip
    environment = {
        **dbt_environment(raw, work, work / "unused.duckdb"),
        **postgres_env,
        "CRM_DBT_TARGET": "postgres",
    }
    invocation = dbt_in_process.invoke(
        ["source", "freshness", "--select", "source:typed.synced", "--target-path",
         str(work / "target"), "--log-path", str(work / "logs")],
        environment,
    )  # fmt: skip
    assert invocation.returncode == 0, invocation.output[-2000:]
    (result,) = json.loads((work / "target" / "sources.json").read_text())["results"]
    assert result["status"] == "warn"


def test_a_relation_source_is_in_the_lineage_on_its_relation(builds) -> None:
    manifest = json.loads(
        (builds["relations"].warehouse.parent / "target" / "manifest.json").read_text()
    )
    source = manifest["sources"]["source.crm_quality.landing.hubspot"]
    assert (source["schema"], source["identifier"]) == (LANDING, "hubspot_contacts")
    staging = manifest["nodes"]["model.crm_quality.stg_crm__contacts"]["depends_on"]["nodes"]
    assert "source.crm_quality.landing.hubspot" in staging


def test_declarations_of_an_older_release_stop_with_what_to_run(tmp_path) -> None:
    """Declarations listed source names before relation sources had dbt sources of their
    own; left from an older release, they stop the compile and say what to run."""
    work = tmp_path / "work"
    raw = _raw_with_crm_source(tmp_path / "raw", "{name: crm, file: crm_contacts.csv}")
    (raw / "crm_contacts.csv").write_text(
        ",".join(RAW_CONTRACT["crm_contacts"]) + "\n", encoding="utf-8"
    )
    environment = dbt_environment(raw, work, work / "warehouse.duckdb")
    (work / "declared" / "macros" / "declared_sources.sql").write_text(
        "{% macro declared_sources(role) %}{{ return({'crm': ['crm'], 'billing': ['billing'],"
        " 'orders': ['orders']}[role]) }}{% endmacro %}\n",
        encoding="utf-8",
    )
    invocation = dbt_in_process.invoke(
        ["compile", "--select", "stg_crm__contacts", "--target-path", str(work / "target"),
         "--log-path", str(work / "logs")],
        environment,
    )  # fmt: skip
    assert invocation.returncode != 0
    assert "were written by an older crm-quality: run `make declare`" in invocation.output
