"""Table writers: CSV (UTF-8, header, minimal quoting, '\\n' line ends) or Parquet.

Rows arrive chunk by chunk and are written straight away, so memory stays flat however
many people are generated. Parquet columns are all strings: the raw exports are text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

FORMATS = ("csv", "parquet")


class TableWriter(Protocol):
    rows: int

    def write(self, rows: Sequence[Sequence[str]]) -> None: ...

    def close(self) -> None: ...


class CsvTableWriter:
    """A CSV file written with the csv module (QUOTE_MINIMAL)."""

    def __init__(self, path: Path, columns: Iterable[str]) -> None:
        self.path = path
        self.rows = 0
        self._handle = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        columns = tuple(columns)
        if columns:  # a headerless part file when there are no columns
            self._writer.writerow(columns)

    def write(self, rows: Sequence[Sequence[str]]) -> None:
        self._writer.writerows(rows)
        self.rows += len(rows)

    def close(self) -> None:
        self._handle.close()


class ParquetTableWriter:
    """A Parquet file of string columns, one row group per written chunk."""

    def __init__(self, path: Path, columns: Iterable[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        self.path = path
        self.rows = 0
        self._columns = tuple(columns)
        self._schema = pa.schema([(name, pa.string()) for name in self._columns])
        self._writer = pq.ParquetWriter(path, self._schema, compression="zstd")

    def write(self, rows: Sequence[Sequence[str]]) -> None:
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        table = self._pa.table(
            {
                name: self._pa.array(values, self._pa.string())
                for name, values in zip(self._columns, columns, strict=True)
            },
            schema=self._schema,
        )
        self._writer.write_table(table)
        self.rows += len(rows)

    def close(self) -> None:
        self._writer.close()


def open_table(directory: Path, name: str, columns: Iterable[str], fmt: str) -> TableWriter:
    """A writer for `name`.csv or `name`.parquet in `directory`."""
    if fmt == "csv":
        return CsvTableWriter(directory / f"{name}.csv", columns)
    if fmt == "parquet":
        return ParquetTableWriter(directory / f"{name}.parquet", columns)
    raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
