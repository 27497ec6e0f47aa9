"""The sources a raw directory declares in `sources.yml`, checked against their files.

Without sources.yml the directory holds the three contract files, read as sources named
after their role: `crm` (crm_contacts.csv), `billing` (billing_customers.csv), `orders`
(orders.csv), each CSV or Parquet (crm_contacts.parquet, …). Each declared source says, per
contract field, which of its file's columns hold it; a field with no column is one the
source does not collect. A source already in the warehouse names its relation (`relation:
schema.table`) instead of a file: its columns are checked against the warehouse's catalog
(crm_quality/ingest/relations.py).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from crm_quality.ingest.contract import OPTIONAL_ROLES, ROLE_TABLES, ROLES, role_fields
from crm_quality.ingest.csv_rows import header_as_written
from crm_quality.ingest.files import RawInputError, sniff
from crm_quality.ingest.presets import PERSON_FIELDS, PRESETS, Naming
from crm_quality.ingest.relations import Catalog, WarehouseRelation
from crm_quality.standardize.dates import DATE_ORDERS

SOURCES_FILE = "sources.yml"
# What a contract file may be without sources.yml, in the order a missing one is reported.
DEFAULT_FILE_SUFFIXES = ("csv", "parquet")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Columns a `columns:` example in a message maps: an id column ("Contact ID", "Kontakt-ID",
# "Record ID") and an e-mail column ("Email", "E-Mail", "Email Address").
_ID_WORD = re.compile(r"(?<![^\W_])id(?![^\W_])", re.IGNORECASE)
_EMAIL_WORD = re.compile(r"e-?mail", re.IGNORECASE)
ENTRY_KEYS = (
    "name",
    "file",
    "relation",
    "preset",
    "columns",
    "channel",
    "channel_column",
    "converts_to",
    "deleted_column",
    "converted_flag_column",
    "converted_id_column",
    "freshness",
    "loaded_at_column",
    "billing_source",
    "date_order",
)
FRAME_COLUMNS = (
    "source_system",
    "source_name",
    "source_file",
    "preset",
    "field",
    "file_columns",
    "is_collected",
    "converts_to",
    "billing_source",
    "date_order",
)


@dataclass(frozen=True)
class DeclaredSource:
    """One source as its file (or relation) is: `columns` holds only columns it has."""

    role: str
    name: str
    file: str | None  # relative to CRM_RAW_DIR; None for a relation
    preset: str | None
    columns: Mapping[str, tuple[str, ...]]  # contract field → file columns, first non-blank wins
    channel: str | None = None  # a constant channel for every row
    channel_column: str | None = None
    deleted_column: str | None = None
    converted_flag_column: str | None = None
    converted_id_column: str | None = None
    converts_to: str | None = None  # the source a converted lead's contact lives in
    naming: str | None = None  # which header vocabulary of the preset the file uses
    relation: WarehouseRelation | None = None  # where a source already in the warehouse is
    freshness: Mapping[str, object] | None = None  # dbt's freshness block, for a relation
    loaded_at_column: str | None = None  # the relation's timestamp column freshness reads
    # Orders: the billing source whose account ids they carry; None when several could be.
    billing_source: str | None = None
    # How its slashed day-and-month dates read (DATE_ORDERS); None refuses them as ambiguous.
    date_order: str | None = None

    @property
    def origin(self) -> str:
        """Where the rows come from, as messages and `source_file` name it: the file, or the
        relation as `schema.table`."""
        if self.relation is not None:
            return f"{self.relation.schema}.{self.relation.table}"
        return str(self.file)

    @property
    def collected_fields(self) -> tuple[str, ...]:
        return tuple(
            field
            for field in role_fields(self.role)
            if field in self.columns or (field == "source_channel" and self.channel)
        )

    @property
    def not_collected_fields(self) -> tuple[str, ...]:
        return tuple(
            field for field in role_fields(self.role) if field not in self.collected_fields
        )


class _Entry:
    """Error messages for one entry of sources.yml, naming its source, file (or relation) and
    raw dir."""

    def __init__(self, raw_dir: Path, role: str, entry: Mapping[str, object]):
        self.raw_dir, self.role, self.entry = raw_dir, role, entry
        self.name = str(entry.get("name", "?"))
        self.kind = "relation" if "relation" in entry and "file" not in entry else "file"
        self.origin = str(entry.get(self.kind, "?"))

    def error(self, message: str) -> RawInputError:
        return RawInputError(
            f"source {self.name!r} ({self.origin}): {message} (CRM_RAW_DIR={str(self.raw_dir)!r})"
        )

    def text(self, key: str) -> str | None:
        value = self.entry.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{key!r} must be a non-empty text, got {value!r}")
        return value.strip()


def _file_columns_as_written(path: Path) -> list[str]:
    """The file's column names as it spells them, trimmed (CSV header or Parquet schema)."""
    file_format, header_line = sniff(path)
    if file_format.kind == "parquet":
        with duckdb.connect() as connection:
            names = connection.execute(
                "select name from parquet_schema(?) where num_children is null", [str(path)]
            ).fetchall()
        return [name.strip() for (name,) in names]
    return header_as_written(header_line, file_format.delimiter or ",")


def _file_header(path: Path) -> list[str]:
    """The file's column names, trimmed and lowercased (CSV header or Parquet schema)."""
    return [name.lower() for name in _file_columns_as_written(path)]


def _warehouse_relation(entry: _Entry, name: str, catalog: Catalog | None) -> WarehouseRelation:
    if catalog is None:
        raise entry.error(
            "a relation is read from the warehouse: load it with the build (make build) or "
            "python -m crm_quality.ingest load"
        )
    try:
        relation = catalog.relation(name)
    except ValueError as error:
        raise entry.error(str(error)) from None
    if relation is None:
        raise entry.error(f"relation not found in {catalog.where}")
    if not relation.readable:
        raise entry.error(
            f"not readable in {catalog.where}: grant select on {relation.schema}.{relation.table}"
        )
    return relation


def _column_list(entry: _Entry, field: str, value: object) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(item, str) and item.strip() for item in values):
        raise entry.error(f"columns: {field!r} must name a {entry.kind} column or a list of them")
    return tuple(item.strip() for item in values)


def _spreadsheet_column(position: int) -> str:
    """A 1-based column position as a spreadsheet names it: 1 → A, 27 → AA."""
    letters = ""
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _require_columns(entry: _Entry, header: list[str], columns: list[str]) -> None:
    """Each of `columns` is in the header exactly once: a name the header repeats (Excel's
    `Telefon;Telefon`) would silently read only the first of its columns."""
    for column in columns:
        if column.lower() not in header:
            raise entry.error(
                f"column {column!r} not found; the {entry.kind} has: "
                f"{', '.join(header) or 'no columns'}"
            )
        positions = [number for number, name in enumerate(header, 1) if name == column.lower()]
        if len(positions) > 1:
            numbers = ", ".join(map(str, positions[:-1])) + f" and {positions[-1]}"
            letters = ", ".join(map(_spreadsheet_column, positions[:-1]))
            raise entry.error(
                f"column {column!r} is ambiguous: the {entry.kind} has {len(positions)} columns "
                f"of that name (ignoring case and surrounding spaces), columns {numbers} "
                f"({letters} and {_spreadsheet_column(positions[-1])}); rename one (say to "
                f"'{column} 2') and map the one you mean, or both as a list: "
                f"[{column}, {column} 2] (the first non-blank wins)"
            )


def _present(header: list[str], column: str | None) -> str | None:
    return column if column and column.lower() in header else None


def _freshness(
    entry: _Entry, relation: WarehouseRelation | None, columns: Mapping[str, tuple[str, ...]]
) -> tuple[Mapping[str, object] | None, str | None]:
    """dbt's freshness block and the timestamp column it reads (the catalog's spelling): for
    `dbt source freshness`, which queries the warehouse, so only a relation has them. The
    column defaults to the one the source maps to updated_at."""
    freshness, named = entry.entry.get("freshness"), entry.text("loaded_at_column")
    if freshness is None and named is None:
        return None, None
    if relation is None:
        raise entry.error(
            "freshness and loaded_at_column need a relation: dbt source freshness queries the "
            "warehouse (a file's staleness is the timeliness checks')"
        )
    if freshness is not None and not isinstance(freshness, Mapping):
        raise entry.error(
            f"freshness must be dbt's freshness block (warn_after, error_after), got {freshness!r}"
        )
    column = named or next(iter(columns.get("updated_at", ())), None)
    if column is None:
        raise entry.error("freshness needs a loaded_at_column: the source maps no updated_at")
    _require_columns(entry, relation.header, [column])
    if not relation.is_timestamp(column):
        kind = relation.types[relation.header.index(column.lower())] if relation.types else "?"
        raise entry.error(
            f"column {column!r} is {kind}: dbt source freshness needs a timestamp column "
            "(name one with loaded_at_column)"
        )
    return (dict(freshness) if freshness is not None else None), relation.column(column)


def _yaml_plain(name: str) -> str:
    """`name` as a value in a YAML flow mapping: as it is when YAML reads it back unchanged,
    else double-quoted."""
    try:
        plain = yaml.safe_load(f"{{field: {name}}}") == {"field": name}
    except yaml.YAMLError:
        plain = False
    return name if plain else json.dumps(name, ensure_ascii=False)


def _mapping_example(role: str, written: list[str]) -> str:
    """A `columns:` mapping of the file's own columns, for a message: its id column (a name
    with the word "id") as the role's id field and its e-mail column as email, else its first
    column as the id field."""
    id_column = next((name for name in written if _ID_WORD.search(name)), None)
    email_column = next((name for name in written if _EMAIL_WORD.search(name)), None)
    pairs = [(role_fields(role)[0], id_column), ("email", email_column)]
    if id_column is None and email_column is None:
        pairs = [(role_fields(role)[0], written[0])]
    mapped = ", ".join(f"{field}: {_yaml_plain(column)}" for field, column in pairs if column)
    return f"columns: {{{mapped}}}"


def _preset_naming(
    entry: _Entry, preset_name: str, header: list[str], written: list[str]
) -> Naming:
    """The preset's header vocabulary the file uses, recognized by its id column. Without it
    the file is of another layout (a report, a translated export), which the message says,
    with the `columns:` mapping that reads it."""
    preset = PRESETS.get(preset_name)
    if preset is None or preset.role != entry.role:
        known = ", ".join(sorted(key for key, value in PRESETS.items() if value.role == entry.role))
        raise entry.error(f"unknown preset {preset_name!r}; known: {known or 'none'}")
    naming = preset.naming_for(header)
    if naming is None:
        wanted = " or ".join(dict.fromkeys(repr(naming.id_column) for naming in preset.namings))
        hint = ""
        if written:
            layouts = "; ".join(naming.label for naming in preset.namings)
            hint = (
                f". This looks like a different layout from those preset {preset_name!r} "
                f"reads ({layouts}), such as a report or a translated export. A `columns:` "
                "mapping instead of the preset reads any header, one entry per contract field: "
                f"`{_mapping_example(entry.role, written)}`"
            )
        raise entry.error(
            f"column {wanted} not found; the {entry.kind} has: "
            f"{', '.join(header) or 'no columns'}{hint}"
        )
    return naming


def _preset_columns(entry: _Entry, naming: Naming, header: list[str]) -> dict[str, tuple[str, ...]]:
    """The preset's columns the file has; a field none of whose columns it has is not
    collected, but a file without any person column is no CRM export."""
    columns = {
        field: found
        for field, candidates in naming.columns.items()
        if (found := tuple(column for column in candidates if column.lower() in header))
    }
    if not any(field in columns for field in PERSON_FIELDS):
        looked_for = [column for field in PERSON_FIELDS for column in naming.columns[field]]
        raise entry.error(
            f"none of the columns {', '.join(map(repr, looked_for))} found; "
            f"the {entry.kind} has: {', '.join(header)}"
        )
    return columns


def _mapped_columns(entry: _Entry, role: str, mapping: object) -> dict[str, tuple[str, ...]]:
    """A `columns:` mapping, each contract field to its column or columns."""
    if not isinstance(mapping, Mapping) or not mapping:
        raise entry.error(f"columns must map contract fields to {entry.kind} columns")
    fields = role_fields(role)
    for field in mapping:
        if field not in fields:
            raise entry.error(
                f"columns: {field!r} is not a contract field of {role}; "
                f"fields are: {', '.join(fields)}"
            )
    return {field: _column_list(entry, field, mapping[field]) for field in mapping}


def _date_order(entry: _Entry) -> str | None:
    """The entry's date_order: one of DATE_ORDERS, or None (not given)."""
    value = entry.entry.get("date_order")
    if value is None:
        return None
    if value not in DATE_ORDERS:
        raise entry.error(f"date_order must be one of {', '.join(DATE_ORDERS)}, got {value!r}")
    return value


def _declare(
    raw_dir: Path, role: str, raw_entry: object, names: set[str], catalog: Catalog | None
) -> DeclaredSource:
    if not isinstance(raw_entry, Mapping):
        raise RawInputError(
            f"{SOURCES_FILE} in CRM_RAW_DIR={str(raw_dir)!r}: each entry of {role!r} must be a "
            f"mapping with name and file, got {raw_entry!r}"
        )
    entry = _Entry(raw_dir, role, raw_entry)
    unknown = sorted(set(raw_entry) - set(ENTRY_KEYS))
    if unknown:
        raise entry.error(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(ENTRY_KEYS)}")
    name, file, relation_name = entry.text("name"), entry.text("file"), entry.text("relation")
    if name is None or not NAME_PATTERN.match(name):
        raise entry.error("name must be lowercase letters, digits and _, starting with a letter")
    if name == "all":
        raise entry.error("'all' names the rollups over sources in the marts; choose another name")
    if name in names:
        raise entry.error("name is used by another source; source names are unique")
    if file is None and relation_name is None:
        raise entry.error("file is missing (or a relation: schema.table in the warehouse)")
    if file is not None and relation_name is not None:
        raise entry.error("give either file or relation, not both")
    preset_name, mapping = entry.text("preset"), raw_entry.get("columns")
    channel, channel_column = entry.text("channel"), entry.text("channel_column")
    if channel and channel_column:
        raise entry.error("give either channel or channel_column, not both")
    if role != "crm" and (channel or channel_column or entry.text("converts_to")):
        raise entry.error("channel, channel_column and converts_to belong to crm sources")
    if role != "orders" and entry.text("billing_source"):
        raise entry.error("billing_source belongs to orders sources")
    relation = None
    if relation_name is not None:
        relation = _warehouse_relation(entry, relation_name, catalog)
        header, written = relation.header, [column.strip() for column in relation.columns]
    else:
        path = raw_dir / file
        if not path.is_file():
            hint = (
                f"; with no {role} export, declare `{role}: []` in {SOURCES_FILE}"
                if role in OPTIONAL_ROLES
                else ""
            )
            raise entry.error("file not found" + hint)
        written = _file_columns_as_written(path)
        header = [name.lower() for name in written]
    links = {
        key: entry.text(key)
        for key in ("deleted_column", "converted_flag_column", "converted_id_column")
    }
    naming_label = None
    columns = {} if preset_name or mapping is not None else {f: (f,) for f in role_fields(role)}
    if preset_name:
        naming = _preset_naming(entry, preset_name, header, written)
        naming_label = naming.label
        columns = _preset_columns(entry, naming, header)
        mapped = mapping if isinstance(mapping, Mapping) else {}
        if not (channel or channel_column or "source_channel" in mapped):
            channel_column = _present(header, naming.channel_column)
        for key in links:
            links[key] = links[key] or _present(header, getattr(naming, key))
    if mapping is not None:
        # Beside a preset, columns: maps what the preset does not or maps otherwise (HubSpot's
        # "Last Activity Date" as updated_at, say), field by field.
        columns.update(_mapped_columns(entry, role, mapping))
    if channel and "source_channel" in columns:
        raise entry.error("give either channel or a source_channel column, not both")
    if channel_column:
        columns["source_channel"] = (channel_column,)
    if entry.text("converts_to") and not links["converted_id_column"]:
        raise entry.error("converts_to needs a converted_id_column (the converted contact's id)")
    _require_columns(entry, header, [c for found in columns.values() for c in found])
    _require_columns(entry, header, [column for column in links.values() if column])
    freshness, loaded_at_column = _freshness(entry, relation, columns)
    return DeclaredSource(
        role=role,
        name=name,
        file=file,
        preset=preset_name,
        columns={field: columns[field] for field in role_fields(role) if field in columns},
        channel=channel,
        channel_column=channel_column,
        converts_to=entry.text("converts_to"),
        naming=naming_label,
        relation=relation,
        freshness=freshness,
        loaded_at_column=loaded_at_column,
        billing_source=entry.text("billing_source"),
        date_order=_date_order(entry),
        **links,
    )


def _default_file(raw_dir: Path, role: str) -> str:
    """The contract file of `role` in raw_dir: <table>.csv, or <table>.parquet when only that is
    there (a missing file is reported as the CSV)."""
    files = [f"{ROLE_TABLES[role]}.{suffix}" for suffix in DEFAULT_FILE_SUFFIXES]
    present = [name for name in files if (raw_dir / name).is_file()]
    if len(present) > 1:
        raise RawInputError(
            f"source {role!r}: both {' and '.join(present)} in CRM_RAW_DIR={str(raw_dir)!r};"
            f" keep one, or declare which to read in {SOURCES_FILE}"
        )
    return present[0] if present else files[0]


def _entries(raw_dir: Path) -> dict[str, list[object]]:
    where = f"{SOURCES_FILE} in CRM_RAW_DIR={str(raw_dir)!r}"
    path = raw_dir / SOURCES_FILE
    document = _sources_document(path, where) if path.is_file() else {}
    # A role sources.yml leaves out reads its contract file; one it lists as [] has no source.
    return {
        role: document[role]
        if role in document
        else [{"name": role, "file": _default_file(raw_dir, role)}]
        for role in ROLES
    }


def _sources_document(path: Path, where: str) -> Mapping[str, list[object]]:
    """sources.yml read and checked: roles it names, each a non-empty list of entries (an
    optional role's may be empty: it has no source)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise RawInputError(f"{where} is not valid YAML: {error}") from error
    if not isinstance(document, Mapping):
        raise RawInputError(f"{where} must map roles ({', '.join(ROLES)}) to lists of sources")
    for role, entries in document.items():
        if role not in ROLES:
            raise RawInputError(f"{where}: unknown role {role!r}; roles are {', '.join(ROLES)}")
        if not isinstance(entries, list):
            raise RawInputError(f"{where}: {role!r} must be a list of sources")
        if not entries and role not in OPTIONAL_ROLES:
            optional = ", ".join(f"{name}: []" for name in OPTIONAL_ROLES)
            raise RawInputError(
                f"{where}: {role!r} must list at least one source (only {optional} may be empty)"
            )
    return document


def _with_conversions(raw_dir: Path, sources: list[DeclaredSource]) -> list[DeclaredSource]:
    """Each lead source's converts_to: as declared, else the only source of the preset its
    preset converts into (a salesforce_lead into the salesforce_contact source)."""
    crm_names = [source.name for source in sources if source.role == "crm"]
    resolved = []
    for source in sources:
        target = source.converts_to
        into = PRESETS[source.preset].converts_into_preset if source.preset else None
        if target is not None:
            if target not in crm_names or target == source.name:
                raise RawInputError(
                    f"source {source.name!r} ({source.origin}): converts_to {target!r} is not "
                    f"another crm source; crm sources are: {', '.join(crm_names)} "
                    f"(CRM_RAW_DIR={str(raw_dir)!r})"
                )
        elif into and source.converted_id_column:
            candidates = [other.name for other in sources if other.preset == into]
            if len(candidates) > 1:
                raise RawInputError(
                    f"source {source.name!r} ({source.origin}): several {into} sources "
                    f"({', '.join(candidates)}); say which one with converts_to "
                    f"(CRM_RAW_DIR={str(raw_dir)!r})"
                )
            target = candidates[0] if candidates else None
        resolved.append(dataclasses.replace(source, converts_to=target))
    return resolved


def _with_billing_sources(raw_dir: Path, sources: list[DeclaredSource]) -> list[DeclaredSource]:
    """Each orders source's billing_source: as declared, else the only billing source (with
    several, None: an order's account id may be any billing source's)."""
    billing_names = [source.name for source in sources if source.role == "billing"]
    resolved = []
    for source in sources:
        named = source.billing_source
        if named is not None and named not in billing_names:
            raise RawInputError(
                f"source {source.name!r} ({source.origin}): billing_source {named!r} is not a "
                f"billing source; billing sources are: {', '.join(billing_names)} "
                f"(CRM_RAW_DIR={str(raw_dir)!r})"
            )
        if source.role == "orders" and named is None and len(billing_names) == 1:
            named = billing_names[0]
        resolved.append(dataclasses.replace(source, billing_source=named))
    return resolved


def declared_sources(raw_dir: str | Path, catalog: Catalog | None = None) -> list[DeclaredSource]:
    """Every source of `raw_dir`, role by role (crm, billing, orders) in declaration order;
    `catalog` is the warehouse's, where sources name relations.

    Raises RawInputError naming the source, its file (or relation) and the key or column at
    fault.
    """
    raw_dir = Path(raw_dir)
    sources: list[DeclaredSource] = []
    names: set[str] = set()
    for role, entries in _entries(raw_dir).items():
        for entry in entries:
            source = _declare(raw_dir, role, entry, names, catalog)
            names.add(source.name)
            sources.append(source)
    return _with_billing_sources(raw_dir, _with_conversions(raw_dir, sources))


def sources_frame(raw_dir: str | Path, catalog: Catalog | None = None) -> pd.DataFrame:
    """Which contract fields each source collects: one row per (source, field of its role)."""
    rows = [
        {
            "source_system": source.role,
            "source_name": source.name,
            "source_file": source.origin,
            "preset": source.preset,
            "field": field,
            "file_columns": " / ".join(source.columns[field]) if field in source.columns else None,
            "is_collected": field in source.collected_fields,
            "converts_to": source.converts_to,
            "billing_source": source.billing_source,
            "date_order": source.date_order,
        }
        for source in declared_sources(raw_dir, catalog)
        for field in role_fields(source.role)
    ]
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS)).astype({"is_collected": "bool"})
