"""Files as they come: encoding and delimiter detected from the bytes, Parquet read as text,
and every row of every encoding kept or quarantined with its line and raw text."""

from __future__ import annotations

import codecs
from pathlib import Path

import duckdb
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crm_quality.ingest import load_raw_file, read_raw_csv
from crm_quality.ingest.csv_rows import is_blank_row
from crm_quality.ingest.files import detect_delimiter, detect_encoding

TEXT = "Vorname;Straße;Betrag\r\nÄnne;Weg 5;5 €\r\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # Excel's "Unicode text": BOM + UTF-16LE
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
        # A UTF-8 file with one stray Latin-1 line stays UTF-8 (that line is repaired).
        ("ä;ö\n".encode() + "é;x\n".encode("latin-1"), "utf-8"),
        (b"id,name\n1,z\x00w\n", "utf-8"),  # one NUL byte is damage, not UTF-16
    ],
)
def test_encoding_is_detected_from_the_bytes(data, expected):
    assert detect_encoding(data) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("id,name,city", ","),
        ("E-Mail;Vorname;Nachname", ";"),
        ("Record ID\tFirst Name\tEmail", "\t"),
        ("id|name|city", "|"),
        ('"Name, first";"Name, last";"City"', ";"),  # commas inside quotes do not count
        ("email", ","),
    ],
)
def test_delimiter_is_counted_in_the_header_outside_quotes(header, expected):
    assert detect_delimiter(header) == expected


def test_cp1252_semicolon_file_keeps_umlauts_and_quarantines_broken_rows(tmp_path):
    path = tmp_path / "newsletter.csv"
    path.write_bytes(
        (
            "E-Mail;Vorname;Nachname;Betrag\r\n"
            "anna@example.de;Änne;Groß;5 €\r\n"
            "bad@example.de;Zu;viele;Felder;hier\r\n"
            '"kaputt@example.de;Offen;Zitat;1\r\n'
            "max@example.de;Max;Strauß;7 €\r\n"
        ).encode("cp1252")
    )
    frame = load_raw_file(duckdb.connect(), path, ["e-mail", "vorname", "nachname", "betrag"])
    kept = frame[~frame["_is_quarantined"]]
    assert list(kept["nachname"]) == ["Groß", "Strauß"]
    assert list(kept["betrag"]) == ["5 €", "7 €"]
    assert kept["_load_issue"].isna().all()  # a cp1252 file is not damaged UTF-8
    quarantined = frame[frame["_is_quarantined"]]
    assert list(quarantined["_line_number"]) == [3, 4]
    assert list(quarantined["_quarantine_reason"]) == [
        "expected 4 fields, found 5",
        "unbalanced quotes",
    ]
    assert list(quarantined["_raw_text"]) == [
        "bad@example.de;Zu;viele;Felder;hier",
        '"kaputt@example.de;Offen;Zitat;1',
    ]
    # Conservation: every data row is kept or quarantined, numbered 1..n.
    assert list(frame["_row_number"]) == [1, 2, 3, 4]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be-bom"])
def test_utf16_unicode_text_is_read(tmp_path, codec):
    text = 'Record ID\tFirst Name\tCity\r\n1\tZoë\tMünchen\r\n2\t"Ann\tMarie"\t東京\r\n'
    data = (
        codecs.BOM_UTF16_BE + text.encode("utf-16-be")
        if codec == "utf-16-be-bom"
        else text.encode(codec)
    )
    path = tmp_path / "unicode.txt"
    path.write_bytes(data)
    frame = load_raw_file(duckdb.connect(), path, ["record id", "first name", "city"])
    assert frame[["record id", "first name", "city"]].values.tolist() == [
        ["1", "Zoë", "München"],
        ["2", "Ann\tMarie", "東京"],
    ]
    assert list(frame["_line_number"]) == [2, 3]
    assert not frame["_is_quarantined"].any()


@pytest.mark.parametrize("delimiter", ["|", ";", "\t"])
def test_clean_utf8_file_with_any_delimiter_takes_the_fast_reader(tmp_path, delimiter):
    rows = [["id", "name", "city"], ["1", f'"a{delimiter} b"', "x"], ["2", "", "Zürich"]]
    path = tmp_path / "people.csv"
    path.write_text("".join(delimiter.join(row) + "\n" for row in rows), encoding="utf-8")
    fast = load_raw_file(duckdb.connect(), path, ["id", "name", "city"])
    assert isinstance(fast, duckdb.DuckDBPyRelation)
    assert fast.project("id, name, city, _row_number").fetchall() == [
        ("1", f"a{delimiter} b", "x", 1),
        ("2", None, "Zürich", 2),
    ]
    slow = read_raw_csv(path, ["id", "name", "city"])
    assert slow["name"].tolist()[0] == f"a{delimiter} b"


def test_parquet_columns_are_read_as_text(tmp_path):
    path = tmp_path / "contacts.parquet"
    connection = duckdb.connect()
    connection.execute(
        f"""copy (
                select * from (values (1, 'Anna', date '1980-01-02', true), (2, null, null, false))
                    as t("Id", "FirstName", "Birthdate", "IsDeleted")
            ) to '{path}' (format parquet)"""
    )
    relation = load_raw_file(connection, path, ["id", "firstname", "birthdate", "isdeleted"])
    assert relation.fetchall() == [
        ("1", "Anna", "1980-01-02", "true", 1, None, None, False, None, None),
        ("2", None, None, "false", 2, None, None, False, None, None),
    ]
    assert set(relation.project("typeof(id), typeof(birthdate)").fetchall()) == {
        ("VARCHAR", "VARCHAR")
    }


cp1252_text = st.text(
    alphabet=st.characters(codec="cp1252", blacklist_characters="\r\n\x00"), max_size=8
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(cp1252_text, min_size=3, max_size=3), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_any_quoted_rows_round_trip_in_every_encoding_and_delimiter(
    tmp_path_factory, rows, delimiter, encoding
):
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    text = "".join(
        delimiter.join(quote(cell) for cell in row) + "\r\n"
        for row in [["id", "name", "city"], *rows]
    )
    path = Path(tmp_path_factory.mktemp("rt")) / "people.csv"
    data = text.encode(encoding)
    if encoding == "cp1252" and any(ord(char) > 127 for char in text):
        # Windows-1252 bytes that happen to form valid UTF-8 ("Ã©") are read as UTF-8: the
        # one case detection cannot tell apart; real cp1252 text does not look like that.
        assume(detect_encoding(data) == "cp1252")
    path.write_bytes(data)
    frame = read_raw_csv(path, ["id", "name", "city"])
    assert not frame["_is_quarantined"].any()
    got = [
        [value if isinstance(value, str) else "" for value in row]
        for row in frame[["id", "name", "city"]].values
    ]
    assert got == [row for row in rows if not is_blank_row(row)]  # a blank row is no row
