"""The raw-file reader: every row kept, repaired or quarantined, never lost."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.ingest import RawInputError, load_raw_file, read_raw_csv
from crm_quality.ingest.contract import REPORT_FOOTER_REASON
from crm_quality.ingest.csv_rows import is_blank_row
from python_checks.unit.fixtures.ingest.raw_dir import SALESFORCE_REPORT_FOOTER

REPO_ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["id", "name", "city"]


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "people.csv"
    path.write_bytes(data)
    return path


def test_messy_file_rows_are_kept_repaired_or_quarantined(tmp_path):
    path = write(
        tmp_path,
        b"\xef\xbb\xbfid,Name ,city\r\n"
        b'1,"x\ny",a\r\n'
        b"2,z\x00w,b\n"
        b'3,"unbalanced,c\n'
        b"4,ok,d\n"
        b"5,too,many,fields\n"
        b"6,caf\xe9,e\n"
        b"7,few\n"
        b"\n"
        b'8,"q ""quoted""",f\n',
    )
    frame = read_raw_csv(path, COLUMNS)
    kept = frame[~frame["_is_quarantined"]]
    assert list(kept["id"]) == ["1", "2", "4", "6", "8"]
    assert list(kept["name"]) == ["x\ny", "zw", "ok", "café", 'q "quoted"']
    assert list(kept["_load_issue"].fillna("")) == [
        "",
        "nul_bytes_removed",
        "",
        "non_utf8_bytes_decoded_as_latin1",
        "",
    ]
    quarantined = frame[frame["_is_quarantined"]]
    assert list(quarantined["_line_number"]) == [5, 7, 9]
    assert list(quarantined["_quarantine_reason"]) == [
        "unbalanced quotes",
        "expected 3 fields, found 4",
        "expected 3 fields, found 2",
    ]
    assert list(quarantined["_raw_text"]) == ['3,"unbalanced,c', "5,too,many,fields", "7,few"]
    assert list(frame["_row_number"]) == list(range(1, 9))


def test_missing_column_is_named(tmp_path):
    with pytest.raises(RawInputError, match="missing contract column\\(s\\): city"):
        read_raw_csv(write(tmp_path, b"id,name\n1,a\n"), COLUMNS)
    with pytest.raises(RawInputError, match="missing contract column\\(s\\): city"):
        load_raw_file(duckdb.connect(), write(tmp_path, b"id,name\n1,a\n"), COLUMNS)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(RawInputError, match="'nothing.csv' not found"):
        load_raw_file(duckdb.connect(), tmp_path / "nothing.csv", COLUMNS)


def test_clean_file_takes_the_fast_reader_and_agrees_with_the_forgiving_one(tmp_path):
    path = write(tmp_path, b'id,name,city,extra\n1,"a, b",x,1\n2,,y,2\n\n3,"c\nd",z,3\n')
    connection = duckdb.connect()
    fast = load_raw_file(connection, path, COLUMNS)
    assert isinstance(fast, duckdb.DuckDBPyRelation)
    slow = read_raw_csv(path, COLUMNS)
    assert fast.project("id, name, city, _row_number").fetchall() == [
        tuple(None if value != value else value for value in row)
        for row in slow[["id", "name", "city", "_row_number"]].itertuples(index=False)
    ]


def test_trailing_empty_fields_are_read_alike_by_both_readers(tmp_path):
    """`2;b;y;` (a spreadsheet's trailing delimiter) is a record in the fast reader; the
    forgiving one, which a broken row elsewhere in the file calls in, quarantined it, so the
    same row counted or not by what else the file held. A non-empty extra field stays a broken
    row in both."""
    body = b"id;name;city\n1;a;x\n2;b;y;\n3;c;z;;\n4;d;w;extra\n"
    fast = load_raw_file(duckdb.connect(), write(tmp_path, body[: body.index(b"4;")]), COLUMNS)
    assert isinstance(fast, duckdb.DuckDBPyRelation)
    assert fast.project("id, city").fetchall() == [("1", "x"), ("2", "y"), ("3", "z")]
    slow = read_raw_csv(write(tmp_path, body), COLUMNS)
    kept = slow[~slow["_is_quarantined"]]
    assert list(zip(kept["id"], kept["city"], strict=True)) == [("1", "x"), ("2", "y"), ("3", "z")]
    assert list(slow.loc[slow["_is_quarantined"], "_quarantine_reason"]) == [
        "expected 3 fields, found 4"
    ]


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        (b"id,name,city", []),  # only a header, no line break
        (b"\xef\xbb\xbfID,Name,City\r\n1,a,x\r\n", [("1", "a", "x")]),  # BOM, CRLF
        ("id,name,city\n1,José,서울\n".encode(), [("1", "José", "서울")]),  # not ASCII
    ],
)
def test_the_fast_reader_finds_the_header_of_any_utf8_export(tmp_path, data, rows):
    fast = load_raw_file(duckdb.connect(), write(tmp_path, data), COLUMNS)
    assert isinstance(fast, duckdb.DuckDBPyRelation)
    assert fast.project("id, name, city").fetchall() == rows


def test_nul_bytes_and_other_encodings_take_the_forgiving_reader(tmp_path):
    for data in (b"id,name,city\n1,a\x00b,x\n", "id,name,city\n1,café,x\n".encode("cp1252")):
        frame = load_raw_file(duckdb.connect(), write(tmp_path, data), COLUMNS)
        assert not isinstance(frame, duckdb.DuckDBPyRelation)
        assert list(frame["name"]) in (["ab"], ["café"])


@pytest.mark.parametrize(
    "broken",
    [
        b"3,too,many,fields\r\n",  # a broken row calls the forgiving reader in
        "3,José,z\r\n".encode("cp1252"),  # so does another encoding
    ],
)
def test_a_line_break_inside_quotes_is_kept_as_written_by_either_reader(tmp_path, broken):
    """The forgiving reader gave a quoted CRLF as LF: a value then depended on whether another
    row of its file was broken."""
    body = b'id,name,city\r\n1,"a\r\nb",x\r\n2,"c\nd",y\r\n'
    fast = load_raw_file(duckdb.connect(), write(tmp_path, body), COLUMNS)
    assert isinstance(fast, duckdb.DuckDBPyRelation)
    assert fast.project("name").fetchall() == [("a\r\nb",), ("c\nd",)]
    slow = load_raw_file(duckdb.connect(), write(tmp_path, body + broken), COLUMNS)
    assert not isinstance(slow, duckdb.DuckDBPyRelation)
    assert list(slow["name"][:2]) == ["a\r\nb", "c\nd"]


# Excel saves the unused rows at the end of a sheet as delimiters alone, or with spaces or
# empty quotes between them.
EXCEL_BLANK_ROWS = b';;\r\n"";"";""\r\n  ; ;\t\r\n;;;\r\n'


@pytest.mark.parametrize(
    ("body", "fast"),
    [
        (b"1;a;x\r\n2;b;y\r\n" + EXCEL_BLANK_ROWS, True),  # trailing: the fast reader
        (b"1;a;x\r\n" + EXCEL_BLANK_ROWS + b"2;b;y\r\n", False),  # between records
        ("1;a;x\r\n2;ä;y\r\n".encode("cp1252") + EXCEL_BLANK_ROWS, False),  # not UTF-8
    ],
)
def test_rows_of_only_delimiters_are_blank_lines_not_records(tmp_path, body, fast):
    path = write(tmp_path, b"id;name;city\r\n" + body)
    rows = load_raw_file(duckdb.connect(), path, COLUMNS)
    assert isinstance(rows, duckdb.DuckDBPyRelation) is fast
    if fast:
        rows = rows.df()
    assert list(rows["id"]) == ["1", "2"]
    assert not rows["_is_quarantined"].any()
    assert list(rows["_row_number"]) == [1, 2]  # numbered as if the blank rows were not there


# Cells a blank row may hold (BLANK's characters, empty) and cells that make a row a record,
# some of them starting with a blank character.
BLANKISH_CELLS = ["", " ", "\t", "\xa0", "\n", " \xa0 "]
TEXT_CELLS = ["x", "é", "\xa0x", " y", "\t\xa0z", '"', "0"]


def quoted_csv(rows: list[list[str]]) -> bytes:
    body = "".join(
        ",".join('"' + cell.replace('"', '""') + '"' for cell in row) + "\n"
        for row in [COLUMNS, *rows]
    )
    return body.encode("utf-8")


def cells_of(frame: pd.DataFrame) -> list[list[str]]:
    """The contract columns' values, a null as an empty cell."""
    return [
        [value if isinstance(value, str) else "" for value in row] for row in frame[COLUMNS].values
    ]


@pytest.mark.parametrize(
    "last_rows",
    [
        [["\xa0", "", ""]],  # blank whatever its first character
        [["", "\xa0x", ""]],  # a record whose first field is blank
        [[" ", "", "y"], ["\t", " ", "\r\n"]],
        [["\xa0x", "", ""], ["", "", ""]],  # a first field starting blank, then text
    ],
)
def test_fast_reader_tells_blank_rows_by_every_field(tmp_path, last_rows):
    rows = [["1", "a", "x"], *last_rows]
    got = load_raw_file(duckdb.connect(), write(tmp_path, quoted_csv(rows)), COLUMNS)
    assert isinstance(got, duckdb.DuckDBPyRelation)  # nothing blank between records
    assert cells_of(got.df()) == [row for row in rows if not is_blank_row(row)]


@given(
    st.lists(
        st.lists(st.sampled_from(BLANKISH_CELLS + TEXT_CELLS), min_size=3, max_size=3),
        max_size=8,
    )
)
def test_any_blank_rows_are_no_records_on_either_reader(tmp_path_factory, rows):
    path = write(tmp_path_factory.mktemp("blank"), quoted_csv(rows))
    got = load_raw_file(duckdb.connect(), path, COLUMNS)
    frame = got.df() if isinstance(got, duckdb.DuckDBPyRelation) else got
    assert cells_of(frame) == [row for row in rows if not is_blank_row(row)]


REPORT_HEADER = '"Contact ID","First Name","Last Name","Mailing Street"'
REPORT_ROWS = [
    '"0031","Anna","Schmidt","Hauptstr. 1\nHinterhaus"',
    '"0032","Max","Weber","Main St 2"',
]
REPORT_FOOTER = list(SALESFORCE_REPORT_FOOTER)
REPORT_COLUMNS = ["contact id", "first name"]


def report(tmp_path: Path, *lines: str) -> pd.DataFrame:
    """A report export of `lines` after the header, as the loader reads it."""
    path = write(tmp_path, ("\n".join([REPORT_HEADER, *lines]) + "\n").encode("utf-8"))
    return load_raw_file(duckdb.connect(), path, REPORT_COLUMNS)


def test_a_salesforce_report_footer_is_quarantined_as_no_record(tmp_path):
    rows = report(tmp_path, *REPORT_ROWS, *REPORT_FOOTER)
    assert list(rows["contact id"][:2]) == ["0031", "0032"]
    footer = rows[rows["_is_quarantined"]]
    # Every footer line with text is accounted for, as a footer; the blank ones are no rows.
    assert set(footer["_quarantine_reason"]) == {REPORT_FOOTER_REASON}
    assert list(footer["_raw_text"]) == [line for line in REPORT_FOOTER if line != '""']
    assert list(footer["_line_number"]) == [5, 8, 9, 10, 11, 12]
    assert list(rows["_row_number"]) == list(range(1, 9))
    # Without the Grand Totals line (a report with no totals), and in German.
    german = [
        line.replace("All rights reserved", "Alle Rechte vorbehalten") for line in REPORT_FOOTER
    ]
    rows = report(tmp_path, *REPORT_ROWS, *german[1:])
    assert list(rows["_quarantine_reason"].fillna("")) == ["", ""] + [REPORT_FOOTER_REASON] * 5


@pytest.mark.parametrize(
    ("lines", "reasons"),
    [
        # A broken record just before the footer is still a broken record.
        ([*REPORT_ROWS, '"0033 Anna"', *REPORT_FOOTER[1:]], ["fields"] + ["footer"] * 5),
        # One-field lines after a blank line, with no Grand Totals or copyright: broken records.
        ([*REPORT_ROWS, '""', '"0033 Anna"', '"0034 Max"'], ["fields", "fields"]),
        # A copyright line in the data, not at its end, marks no footer.
        ([REPORT_ROWS[0], '""', REPORT_FOOTER[4], REPORT_ROWS[1]], ["fields"]),
    ],
)
def test_only_a_trailing_marked_block_is_a_report_footer(tmp_path, lines, reasons):
    rows = report(tmp_path, *lines)
    found = rows.loc[rows["_is_quarantined"], "_quarantine_reason"]
    expected = {"fields": "expected 4 fields, found 1", "footer": REPORT_FOOTER_REASON}
    assert list(found) == [expected[reason] for reason in reasons]


def test_the_quarantine_model_tells_footer_lines_by_their_reason():
    model = REPO_ROOT / "models/intermediate/ingest/int_raw_rows_quarantined.sql"
    assert f"_quarantine_reason != '{REPORT_FOOTER_REASON}'" in model.read_text()


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.lists(st.lists(cells, min_size=3, max_size=3), max_size=20))
def test_any_well_quoted_rows_round_trip(tmp_path_factory, rows):
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    body = "".join(",".join(quote(cell) for cell in row) + "\n" for row in rows)
    path = write(tmp_path_factory.mktemp("rt"), ("id,name,city\n" + body).encode("utf-8"))
    frame = read_raw_csv(path, COLUMNS)
    assert not frame["_is_quarantined"].any()
    got = [
        [value if isinstance(value, str) else "" for value in row] for row in frame[COLUMNS].values
    ]
    read = [[cell.replace("\x00", "") for cell in row] for row in rows]
    # A row of blank cells is a blank row, no record.
    assert got == [row for row in read if not is_blank_row(row)]


def test_fast_reader_numbers_rows_in_file_order_reading_on_every_core(tmp_path):
    rows = 300_000  # several of the reader's parallel chunks
    body = "".join(f"{number},name {number},city\n" for number in range(1, rows + 1))
    path = write(tmp_path, f"id,name,city\n{body}".encode())
    connection = duckdb.connect(config={"threads": 4})
    fast = load_raw_file(connection, path, COLUMNS)
    # Parsed once: the rows come from that parse, not from another read of the file, and no
    # window numbers them (a window reads the whole file on one core).
    plan = fast.explain().lower()
    assert "read_csv" not in plan and "window" not in plan
    in_order = fast.aggregate("bool_and(cast(id as bigint) = _row_number), count(*)")
    assert in_order.fetchall() == [(True, rows)]
