"""The training step of a build, between its two dbt selections (crm_quality/build.py).

dbt-postgres runs no Python models, so training runs outside dbt: it reads the standardized
records and the build's settings from the warehouse the first selection built (a DuckDB file,
or PostgreSQL through the PG* variables), trains or reuses exactly as `train_or_reuse` decides,
and appends the new model to the registry tables in the restricted schema, where the second
selection reads them (source `matching`). On both engines the records are pulled, ordered by
record_key, into an in-process DuckDB and trained by the same Splink code, so a PostgreSQL
warehouse gets the same model as a DuckDB one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd
import pyarrow as pa

from crm_quality.connect import duckdb_profile_config, postgres_connection
from crm_quality.duckdb_memory import keep_freed_blocks
from crm_quality.matching.diagnostics import FRAME_COLUMNS, diagnostics_frame, summary_row
from crm_quality.matching.duckdb_backend import (
    TrainingOptions,
    model_in_use,
    registry_schema,
    train_or_reuse,
)
from crm_quality.matching.features import INPUT_COLUMNS
from crm_quality.settings import setting, settings_row

RESTRICTED_SUFFIX = "_restricted"
REGISTRY_TABLE = "matching_model_registry"
RECORDS_MODEL = "int_person_records_standardized"
LABELS_MODEL = "int_review_labels_latest"
SETTINGS_MODEL = "build_settings"
# A warehouse built before training was a step kept its registry in this (then Python) model.
LEGACY_REGISTRY = "int_matching_models"

# The registry: the model rows, plus the summary mart_matching_model shows (computed here,
# where the model document is parsed, so no engine parses JSON).
REGISTRY_COLUMNS = pa.schema(
    [
        *registry_schema(),
        pa.field("compared_fields", pa.string()),
        pa.field("probability_two_random_records_match", pa.float64()),
        pa.field("is_identification_weak", pa.bool_()),
    ]
)
# The diagnostics of each model, one table per kind (crm_quality.matching.diagnostics).
_DIAGNOSTIC_TYPES = {
    "model_id": pa.string(),
    "field_name": pa.string(),
    "fill_rate": pa.float64(),
    "min_fill_rate": pa.float64(),
    "is_compared": pa.bool_(),
    "purpose": pa.string(),
    "blocking_key": pa.string(),
    "record_pairs": pa.int64(),
    "is_used": pa.bool_(),
    "estimated_comparisons": pa.string(),
    "em_iterations": pa.int64(),
    "is_converged": pa.bool_(),
    "comparison": pa.string(),
    "level_label": pa.string(),
    "level_order": pa.int64(),
    "m_probability": pa.float64(),
    "u_probability": pa.float64(),
    "match_weight": pa.float64(),
    "is_observed": pa.bool_(),
    "is_estimated": pa.bool_(),
    "is_at_bound": pa.bool_(),
}
DIAGNOSTIC_TABLES = {kind: f"matching_model_{kind}" for kind in FRAME_COLUMNS}
TABLES: dict[str, pa.Schema] = {
    REGISTRY_TABLE: REGISTRY_COLUMNS,
    **{
        table: pa.schema([pa.field(name, _DIAGNOSTIC_TYPES[name]) for name in FRAME_COLUMNS[kind]])
        for kind, table in DIAGNOSTIC_TABLES.items()
    },
}
_SQL_TYPES = {
    pa.string(): "text",
    pa.timestamp("us"): "timestamp",
    pa.int64(): "bigint",
    pa.float64(): "double precision",
    pa.bool_(): "boolean",
}


class Warehouse(Protocol):
    """What the step needs of a warehouse: read a query as Arrow, run a statement, append rows."""

    def read(self, sql: str) -> pa.Table: ...

    def has_table(self, schema: str, table: str) -> bool: ...

    def execute(self, sql: str) -> None: ...

    def append(self, relation: str, rows: pa.Table) -> None: ...


class DuckDBWarehouse:
    """A DuckDB warehouse file (the build's working copy), written in one transaction."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection

    def read(self, sql: str) -> pa.Table:
        return self.connection.sql(sql).to_arrow_table()

    def has_table(self, schema: str, table: str) -> bool:
        sql = (
            "select count(*) from information_schema.tables"
            " where table_schema = ? and table_name = ?"
        )
        # Fetched whole: a half-read result blocks the connection's next register().
        return self.connection.execute(sql, [schema, table]).fetchall()[0][0] > 0

    def execute(self, sql: str) -> None:
        self.connection.execute(sql)

    def append(self, relation: str, rows: pa.Table) -> None:
        self.connection.register("appended_rows", rows)
        try:
            self.connection.execute(f"insert into {relation} select * from appended_rows")
        finally:
            self.connection.unregister("appended_rows")


# PostgreSQL type names as Arrow types (anything else is read as text).
_ARROW_TYPES = {
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "int2": pa.int64(),
    "int4": pa.int64(),
    "int8": pa.int64(),
    "float4": pa.float64(),
    "float8": pa.float64(),
    "numeric": pa.float64(),
    "bool": pa.bool_(),
}


class PostgresWarehouse:
    """A PostgreSQL warehouse through psycopg (the PG* variables), written in one transaction."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def read(self, sql: str) -> pa.Table:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
            fields = [
                pa.field(column.name, _ARROW_TYPES.get(self._type_name(column), pa.string()))
                for column in cursor.description
            ]
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in fields]
        return pa.Table.from_arrays(
            [
                pa.array(list(values), type=field.type)
                for values, field in zip(columns, fields, strict=True)
            ],
            schema=pa.schema(fields),
        )

    def _type_name(self, column: Any) -> str:
        info = self.connection.adapters.types.get(column.type_code)
        return info.name if info else "text"

    def has_table(self, schema: str, table: str) -> bool:
        sql = (
            "select count(*) from information_schema.tables"
            " where table_schema = %s and table_name = %s"
        )
        return self.connection.execute(sql, [schema, table]).fetchone()[0] > 0

    def execute(self, sql: str) -> None:
        self.connection.execute(sql)

    def append(self, relation: str, rows: pa.Table) -> None:
        with self.connection.cursor().copy(f"copy {relation} from stdin") as copy:
            for row in rows.to_pylist():
                copy.write_row(tuple(row.values()))


@contextmanager
def open_warehouse(target: str, duckdb_path: Path | None = None) -> Iterator[Warehouse]:
    """The build's warehouse, committed when the step succeeds and rolled back when it fails."""
    if target == "postgres":
        with postgres_connection() as connection:  # commits on success, rolls back on error
            yield PostgresWarehouse(connection)
        return
    if duckdb_path is None:
        raise ValueError("the duckdb target needs the warehouse file's path")
    with closing(duckdb.connect(str(duckdb_path))) as connection:
        connection.execute("begin")
        yield DuckDBWarehouse(connection)
        connection.execute("commit")


@dataclass(frozen=True)
class StepResult:
    """What the step did: the model in use, and whether this build trained it."""

    model_id: str | None
    trained: bool
    reason: str | None
    record_count: int


@dataclass(frozen=True)
class TrainingInputs:
    """What the step reads from the warehouse: the records, the registry so far, the options."""

    restricted: str
    records: pa.Table
    previous: pa.Table
    options: TrainingOptions
    max_key_group_size: int


@dataclass(frozen=True)
class Trained:
    """What training decided, in memory: the new registry row (none when reused) and the
    model in use after it."""

    row: pa.Table
    in_use: tuple | None


def run_train_step(warehouse: Warehouse, schema: str = "main") -> StepResult:
    """Train or reuse the matching model on the records the first selection built, and append
    a newly trained model (with its diagnostics) to the registry."""
    inputs = read_training_inputs(warehouse, schema)
    return record_training(warehouse, inputs, train(inputs))


def read_training_inputs(warehouse: Warehouse, schema: str = "main") -> TrainingInputs:
    """The registry tables made sure of, and everything training reads from the warehouse."""
    restricted = f"{schema}{RESTRICTED_SUFFIX}"
    ensure_tables(warehouse, restricted)
    settings = settings_row(
        warehouse.read(f'select * from "{schema}"."{SETTINGS_MODEL}"').to_pandas()
    )
    columns = ", ".join(f'"{column}"' for column in INPUT_COLUMNS)
    records = canonical(warehouse.read(f'select {columns} from "{restricted}"."{RECORDS_MODEL}"'))
    previous = warehouse.read(f'select * from "{restricted}"."{REGISTRY_TABLE}"')
    options = TrainingOptions(
        retrain=setting(settings, "er_retrain"),
        min_fill_rate=setting(settings, "er_min_fill_rate"),
        max_pairs_per_record=setting(settings, "er_max_pairs_per_record"),
        starting_model_path=setting(settings, "er_model_path"),
        labels=review_labels(warehouse, restricted)
        if setting(settings, "er_train_on_labels")
        else None,
        label_pseudo_count=setting(settings, "er_label_pseudo_count"),
        band_edges=tuple(
            setting(settings, name)
            for name in (
                "er_pair_min_match_probability",
                "er_lenient_match_threshold",
                "er_match_threshold",
                "er_conservative_match_threshold",
            )
        ),
    )
    max_key_group_size = setting(settings, "max_exact_key_group_size")
    return TrainingInputs(restricted, records, previous, options, max_key_group_size)


def train(inputs: TrainingInputs) -> Trained:
    """Train or reuse (train_or_reuse) in a DuckDB of its own: no warehouse is open meanwhile,
    so the build goes on beside it."""
    previous = inputs.previous
    # One thread: DuckDB's parallel sums differ in their last bits from run to run, and the
    # model id hashes the trained floats; one thread gives both engines the same model.
    with closing(duckdb.connect(config={"threads": 1})) as session:
        keep_freed_blocks(session, duckdb_profile_config()["memory_limit"])
        # The records in whichever order the engine gave them: the features Splink reads come
        # out in record_key order (matching_features), and Splink's sums follow their order.
        row = train_or_reuse(
            session,
            session.from_arrow(inputs.records),
            session.from_arrow(previous) if previous.num_rows else None,
            inputs.options,
            max_key_group_size=inputs.max_key_group_size,
        )
        registry = pa.concat_tables([previous.select(row.column_names).cast(row.schema), row])
        return Trained(row, model_in_use(session.from_arrow(registry)))


def record_training(warehouse: Warehouse, inputs: TrainingInputs, trained: Trained) -> StepResult:
    """Append a newly trained model (with its diagnostics) to the registry."""
    if trained.row.num_rows:
        append_model(warehouse, inputs.restricted, trained.row)
    model_id, _, _, reason = trained.in_use or (None, None, None, None)
    return StepResult(model_id, bool(trained.row.num_rows), reason, inputs.records.num_rows)


def review_labels(warehouse: Warehouse, restricted: str) -> pd.DataFrame | None:
    """The latest answer per labelled pair (int_review_labels_latest), in the order the labels
    file gave them; None on a warehouse built before labels reached training."""
    if not warehouse.has_table(restricted, LABELS_MODEL):
        return None
    return warehouse.read(
        "select record_key_a as record_key_l, record_key_b as record_key_r, is_match"
        f' from "{restricted}"."{LABELS_MODEL}" order by label_row_number'
    ).to_pandas()


def canonical(records: pa.Table) -> pa.Table:
    """The records with the types both engines' drivers agree on (DuckDB's TIMESTAMP_S and
    INTEGER arrive as microsecond timestamps and 64-bit integers from PostgreSQL)."""
    fields = []
    for field in records.schema:
        if pa.types.is_timestamp(field.type):
            field = field.with_type(pa.timestamp("us"))
        elif pa.types.is_integer(field.type):
            field = field.with_type(pa.int64())
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            field = field.with_type(pa.string())
        fields.append(field)
    return records.cast(pa.schema(fields))


def ensure_tables(warehouse: Warehouse, restricted: str) -> None:
    """Create the registry and diagnostics tables when missing; a warehouse whose registry was
    the former Python model int_matching_models keeps its models (no needless retraining)."""
    warehouse.execute(f'create schema if not exists "{restricted}"')
    migrate = not warehouse.has_table(restricted, REGISTRY_TABLE) and warehouse.has_table(
        restricted, LEGACY_REGISTRY
    )
    for table, columns in TABLES.items():
        definitions = ", ".join(f'"{field.name}" {_SQL_TYPES[field.type]}' for field in columns)
        warehouse.execute(f'create table if not exists "{restricted}"."{table}" ({definitions})')
    if migrate:
        legacy = warehouse.read(f'select * from "{restricted}"."{LEGACY_REGISTRY}"')
        rows = legacy.select(registry_schema().names).cast(registry_schema())
        for index in range(rows.num_rows):
            append_model(warehouse, restricted, rows.slice(index, 1))


def append_model(warehouse: Warehouse, restricted: str, row: pa.Table) -> None:
    """Append one registry row, with its summary and its diagnostics."""
    with closing(duckdb.connect()) as session:
        in_use = model_in_use(session.from_arrow(row))
    summary = summary_row(in_use)
    registry = row
    for field in REGISTRY_COLUMNS:
        if field.name not in row.column_names:
            registry = registry.append_column(field, pa.array([summary[field.name]], field.type))
    warehouse.append(f'"{restricted}"."{REGISTRY_TABLE}"', registry.cast(REGISTRY_COLUMNS))
    for kind, table in DIAGNOSTIC_TABLES.items():
        frame = diagnostics_frame(kind, in_use)
        warehouse.append(f'"{restricted}"."{table}"', _arrow(frame, TABLES[table]))


def _arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    columns = {
        field.name: pa.array(
            [None if pd.isna(value) else value for value in frame[field.name]], type=field.type
        )
        for field in schema
    }
    return pa.table(columns, schema=schema)
