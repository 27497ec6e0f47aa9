"""Countries written any way ('DE', 'DEU', 'Deutschland', 'U.S.', '日本') to ISO alpha-2.

Resolution is a dictionary lookup on `normalize_key`, never fuzzy: a wrong country would
also corrupt phone parsing, so an unknown spelling stays unknown and is reported.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from pathlib import Path

from crm_quality.standardize.text import clean_text, default_placeholders, normalize_key


def resolve_country(
    value: object,
    aliases: Mapping[str, str],
    placeholders: Collection[str] = default_placeholders("country"),
) -> str | None:
    """ISO 3166-1 alpha-2 code for a country spelling, or None when missing or unknown.

    A leading article is ignored when the full spelling is unknown ('The Netherlands').
    """
    text = clean_text(value, placeholders)
    if text is None:
        return None
    key = normalize_key(text)
    code = aliases.get(key)
    if code is None and key.startswith("the "):
        code = aliases.get(key[4:])
    return code


def load_country_aliases(path: str | Path) -> dict[str, str]:
    """Alias → alpha-2 mapping from a country_aliases.csv seed.

    Read with the csv module, not pandas: pandas would turn Namibia's 'NA' into a missing
    value. Aliases are normalized again so a hand-edited seed still matches.
    """
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return {
            normalize_key(row["alias"]): row["country_code"].strip().upper()
            for row in csv.DictReader(handle)
            if row["alias"] and row["country_code"]
        }
