"""Seeds for SQL phone standardization, generated from libphonenumber's metadata.

The pinned `phonenumbers` package carries Google's metadata; this module writes the parts that
parsing and `is_valid_number` use as CSV seeds, so the SQL macros (macros/standardize/phones.sql)
judge numbers as the Python path does:

    python -m crm_quality.standardize.phone_metadata --out seeds/     (or `make phone-metadata`)

- phone_regions.csv: one row per region (and per non-geographic calling code, region '001'):
  calling code, whether it is the main region of its code and its place in the code's region
  list, prefixes, the general pattern and possible lengths, and leading digits.
- phone_number_types.csv: the national-number pattern and lengths of each number type.
- phone_character_folds.csv: characters rewritten before parsing: Unicode spaces, invisible and
  control characters (what clean_text does) and NFKC forms and decimal digits of other scripts
  that become one ASCII character (what NFKC and phonenumbers' digit normalization do).

Patterns are libphonenumber's Java regexes; they use only classes, groups, alternation and
counted repetition, which mean the same in Python, RE2 (DuckDB) and PostgreSQL ARE on digit
strings. `check_patterns` refuses metadata using anything else.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE
from phonenumbers.phonemetadata import PhoneMetadata

REGIONS_SEED = "phone_regions.csv"
NUMBER_TYPES_SEED = "phone_number_types.csv"
CHARACTER_FOLDS_SEED = "phone_character_folds.csv"

# Number types in the order _number_type_helper tries them (any match makes a number valid).
NUMBER_TYPES: tuple[str, ...] = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)

REGION_COLUMNS: tuple[str, ...] = (
    "calling_code",
    "region",
    "region_rank",
    "is_main_region",
    "international_prefix",
    "national_prefix",
    "national_prefix_for_parsing",
    "national_prefix_transform_rule",
    "leading_digits",
    "general_pattern",
    "possible_lengths",
    "possible_lengths_local_only",
    "same_mobile_and_fixed_line_pattern",
)
NUMBER_TYPE_COLUMNS: tuple[str, ...] = (
    "calling_code",
    "region",
    "number_type",
    "national_number_pattern",
    "possible_lengths",
)
CHARACTER_FOLD_COLUMNS: tuple[str, ...] = ("code_point", "folded_code_point", "fold_step")

# Regex syntax the metadata may use: digits, \d, classes, groups, alternation, quantifiers and
# the '$' some national-prefix patterns end an alternative with.
_PORTABLE_PATTERN = re.compile(r"(?:\\d|\(\?:|[0-9\[\]\-()|?{},*+$])*")

# clean_text's invisible format characters (dropped) and str.split()'s whitespace (one space).
_INVISIBLE = ("\u200b", "\u2060", "\ufeff", "\u00ad")


def _lengths(values: tuple[int, ...] | None) -> str:
    return " ".join(str(value) for value in values or ())


def _metadata(calling_code: int, region: str) -> PhoneMetadata:
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(calling_code, region)
    if metadata is None:  # pragma: no cover - the code map only lists loadable regions
        raise ValueError(f"no metadata for {region} (+{calling_code})")
    return metadata


def check_patterns(pattern: str | None) -> None:
    """Raise when a pattern uses regex syntax whose meaning differs between engines."""
    if pattern and not _PORTABLE_PATTERN.fullmatch(pattern):
        raise ValueError(f"pattern uses syntax the SQL engines may read differently: {pattern}")


def region_rows() -> Iterator[dict[str, str]]:
    """One row per (calling code, region), regions in the code map's order."""
    for calling_code, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        for rank, region in enumerate(regions):
            metadata = _metadata(calling_code, region)
            general = metadata.general_desc
            rule = metadata.national_prefix_transform_rule
            for pattern in (
                metadata.international_prefix,
                metadata.national_prefix_for_parsing,
                metadata.leading_digits,
                general.national_number_pattern,
            ):
                check_patterns(pattern)
            if rule:
                _check_transform(metadata.national_prefix_for_parsing or "", rule)
            yield {
                "calling_code": str(calling_code),
                "region": region,
                "region_rank": str(rank),
                "is_main_region": "true" if rank == 0 else "false",
                "international_prefix": metadata.international_prefix or "",
                "national_prefix": metadata.national_prefix or "",
                "national_prefix_for_parsing": metadata.national_prefix_for_parsing or "",
                "national_prefix_transform_rule": rule or "",
                "leading_digits": metadata.leading_digits or "",
                "general_pattern": general.national_number_pattern or "",
                "possible_lengths": _lengths(general.possible_length),
                "possible_lengths_local_only": _lengths(general.possible_length_local_only),
                "same_mobile_and_fixed_line_pattern": (
                    "true" if metadata.same_mobile_and_fixed_line_pattern else "false"
                ),
            }


def _check_transform(prefix_pattern: str, rule: str) -> None:
    """The SQL tells 'last group did not take part' by its empty capture: it must never be
    empty when it takes part, and the rule may only refer to groups as \\1…\\9."""
    compiled = re.compile(prefix_pattern)
    last = compiled.groups
    if last == 0 or not re.fullmatch(r"(?:[0-9]|\\[1-9])*", rule):
        raise ValueError(f"unsupported national prefix transform {prefix_pattern!r} → {rule!r}")
    group_patterns = re.findall(r"\((?!\?)", prefix_pattern)
    if len(group_patterns) != last:  # pragma: no cover - findall counts the same groups
        raise ValueError(f"cannot count the groups of {prefix_pattern!r}")
    # The last group's text: between its '(' and the matching ')'.
    start = [m.start() for m in re.finditer(r"\((?!\?)", prefix_pattern)][-1]
    depth = 0
    for end in range(start, len(prefix_pattern)):
        depth += {"(": 1, ")": -1}.get(prefix_pattern[end], 0)
        if depth == 0:
            break
    if re.fullmatch(prefix_pattern[start : end + 1], ""):
        raise ValueError(f"last group of {prefix_pattern!r} can match empty text")


def number_type_rows() -> Iterator[dict[str, str]]:
    """One row per (calling code, region, number type) the region has a pattern for."""
    for calling_code, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        for region in regions:
            metadata = _metadata(calling_code, region)
            for number_type in NUMBER_TYPES:
                desc = getattr(metadata, number_type)
                if desc is None or not desc.national_number_pattern:
                    continue
                check_patterns(desc.national_number_pattern)
                yield {
                    "calling_code": str(calling_code),
                    "region": region,
                    "number_type": number_type,
                    "national_number_pattern": desc.national_number_pattern,
                    "possible_lengths": _lengths(desc.possible_length),
                }


# Punctuation phonenumbers accepts in numbers that stays non-ASCII after NFKC (dashes, minus,
# swung dash, tilde operator); it is folded to '[', ASCII punctuation with the same role.
_NUMBER_PUNCTUATION = frozenset("\u2010\u2012\u2013\u2014\u2015\u2212\u2053\u223c")
_WORD = re.compile(r"\w")


def _nfkc_fold(char: str) -> str | None:
    """The printable ASCII character standing for `char` when phones are parsed, if any.

    Decimal digits of any script become ASCII digits and NFKC forms of one ASCII character that
    character. Other characters that are neither letters nor digits (Python's \\w) become '!':
    phonenumbers strips them from the end of a number and rejects them inside one, as the SQL
    does with '!'; its own punctuation becomes '['. Letters stay (both sides reject them).
    """
    digit = unicodedata.digit(char, None) if unicodedata.category(char) == "Nd" else None
    if digit is not None:
        return str(digit)
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and " " < folded <= "~":
        return folded
    if folded in _NUMBER_PUNCTUATION:
        return "["
    if len(folded) == 1 and not _WORD.match(folded) and unicodedata.category(char)[0] in "PSMZ":
        return "!"
    return None


def character_fold_rows() -> Iterator[dict[str, str]]:
    """Characters the SQL rewrites: first the 'clean' step (clean_text: whitespace to a space,
    invisible and control characters dropped), then the 'nfkc' step (to one ASCII character)."""
    for code_point in range(1, sys.maxunicode + 1):
        char = chr(code_point)
        if unicodedata.category(char) in ("Cn", "Co", "Cs"):  # unassigned, private, surrogates
            continue
        if char.isspace() and char != " ":
            yield {"code_point": str(code_point), "folded_code_point": "32", "fold_step": "clean"}
        elif char in _INVISIBLE or unicodedata.category(char) == "Cc":
            yield {"code_point": str(code_point), "folded_code_point": "", "fold_step": "clean"}
        elif not char.isascii():
            folded = _nfkc_fold(char)
            if folded is not None:
                yield {
                    "code_point": str(code_point),
                    "folded_code_point": str(ord(folded)),
                    "fold_step": "nfkc",
                }


def render_csv(columns: tuple[str, ...], rows: Iterator[dict[str, str]]) -> str:
    """CSV text with a header, '\\n' line ends, quoting only where needed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def seed_texts() -> dict[str, str]:
    """File name → CSV text of every phone seed."""
    return {
        REGIONS_SEED: render_csv(REGION_COLUMNS, region_rows()),
        NUMBER_TYPES_SEED: render_csv(NUMBER_TYPE_COLUMNS, number_type_rows()),
        CHARACTER_FOLDS_SEED: render_csv(CHARACTER_FOLD_COLUMNS, character_fold_rows()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="seed directory to write into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in seed_texts().items():
        (args.out / name).write_text(text, encoding="utf-8", newline="")
    print(f"phonenumbers {phonenumbers.__version__}: wrote {', '.join(seed_texts())} to {args.out}")


if __name__ == "__main__":
    main()
