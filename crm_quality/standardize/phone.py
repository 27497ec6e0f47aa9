"""Phone numbers to E.164, judged valid by libphonenumber's metadata (phonenumbers).

A national number ('030 1234567', '(415) 555-0132') only means something with its country,
so the caller passes the record's resolved country as the region. Without one, only
numbers written internationally ('+49 …', '0049 …') can be read.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

import phonenumbers

from crm_quality.standardize.text import clean_text, default_placeholders

_INVALID: tuple[str | None, bool] = (None, False)


def _international_prefix_to_plus(text: str) -> str:
    """Rewrite a leading '00' international prefix as '+' ('0049-30-…' → '+49-30-…').

    phonenumbers only honours '00' when the region's own international prefix is '00', and
    not at all without a region; in CRM data '00' before a country code is near universal.
    No national number starts with '00' (a trunk '0' is never followed by another '0').
    """
    for index, ch in enumerate(text):
        if ch.isdigit() or ch == "+":
            if text.startswith("00", index):
                return text[:index] + "+" + text[index + 2 :]
            return text
    return text


# Extension markers phonenumbers does not know (it handles 'ext', 'x', '#', 'anexo', …).
_EXTENSION = re.compile(
    r"[\s,;]*(?:durchwahl|dw|nebenstelle|nst|poste|interno|interne|int|ext|extension)\.?"
    r"\s*:?\s*\d{1,6}\s*$",
    re.IGNORECASE,
)


def normalize_region(country_code: object) -> str | None:
    """Upper-case alpha-2 region for phonenumbers, or None when not a plausible code."""
    if not isinstance(country_code, str):
        return None
    region = country_code.strip().upper()
    return region if len(region) == 2 and region.isalpha() else None


def _prepared(text: str) -> str:
    return _international_prefix_to_plus(_EXTENSION.sub("", unicodedata.normalize("NFKC", text)))


# Digits and the punctuation numbers are written with; E.164 allows at most 15 digits.
_NATIONAL_CHARACTERS = re.compile(r"[\d\s\-().\/]+")
_MIN_DIGITS, _MAX_DIGITS = 5, 15


def national_digits(text: str) -> str | None:
    """The digits of a number written in national format ('030 1234567' → '0301234567').

    None when the text is written internationally ('+49 …', '0049 …'), holds anything but
    digits and phone punctuation, or has too few or too many digits to be a phone number
    anywhere. Such a number can only be judged once its country is known.
    """
    text = _prepared(text).strip()
    if not _NATIONAL_CHARACTERS.fullmatch(text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if _MIN_DIGITS <= len(digits) <= _MAX_DIGITS else None


def e164_from_text(text: str, region: str | None) -> tuple[str | None, bool]:
    """standardize_phone for text that is already cleaned and a normalized region."""
    text = _prepared(text)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return _INVALID
    # A valid number always has a possible length; the length test is cheap and spares the
    # slow validity search (over all 25 NANP regions for a '+1' number) for most junk.
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        return _INVALID
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True


# The same numbers recur across calls (a switchboard on many contacts, re-runs); parsing is
# the expensive part of this module.
_cached_e164 = lru_cache(maxsize=1 << 16)(e164_from_text)


def standardize_phone(
    value: object,
    country_code: str | None,
    placeholders: Collection[str] = default_placeholders("phone"),
) -> tuple[str | None, bool]:
    """(E.164 number, True) for a valid number, else (None, False).

    `country_code` (ISO alpha-2) reads national formats; extensions ('x12', 'ext. 12') are
    dropped and vanity letters ('1-800-FLOWERS') are converted by phonenumbers.
    """
    text = clean_text(value, placeholders)
    if text is None:
        return _INVALID
    return _cached_e164(text, normalize_region(country_code))


# Below this many distinct numbers a helper process costs more than it saves.
PARALLEL_MIN_PAIRS = 100_000


def e164_batch(pairs: list[tuple[str, str | None]]) -> list[tuple[str | None, bool]]:
    """e164_from_text for many distinct (cleaned text, region) pairs, in order.

    Parsing costs about 20 µs a number, so a million distinct numbers would take 20 s on
    one core. Large batches give their second half to a helper process (a plain
    subprocess, so it is safe inside threaded hosts such as dbt) while this process parses
    the first half; if the helper fails or stalls, its half is parsed here.
    """
    if len(pairs) < PARALLEL_MIN_PAIRS or (os.cpu_count() or 1) < 2 or not sys.executable:
        return [e164_from_text(text, region) for text, region in pairs]
    half = len(pairs) // 2
    helper = _HelperProcess(pairs[half:])
    started = time.monotonic()
    local = [e164_from_text(text, region) for text, region in pairs[:half]]
    # The helper has the same work plus its start-up; far longer means it is stuck.
    remote = helper.results(timeout=60 + 4 * (time.monotonic() - started))
    if remote is None or len(remote) != len(pairs) - half:
        remote = [e164_from_text(text, region) for text, region in pairs[half:]]
    return local + remote


class _HelperProcess:
    """`python -m crm_quality.standardize._phone_worker`, fed JSON on stdin."""

    def __init__(self, pairs: list[tuple[str, str | None]]) -> None:
        self._output: bytes | None = None
        self._thread: threading.Thread | None = None
        payload = json.dumps(pairs, ensure_ascii=False).encode("utf-8")
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "crm_quality.standardize._phone_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except (OSError, ValueError):
            return
        # communicate() in a thread: the pipes are drained while this process parses.
        self._thread = threading.Thread(target=self._talk, args=(payload,), daemon=True)
        self._thread.start()

    def _talk(self, payload: bytes) -> None:
        try:
            output, _ = self._process.communicate(payload)
        except (OSError, ValueError):
            return
        if self._process.returncode == 0:
            self._output = output

    def results(self, timeout: float | None = None) -> list[tuple[str | None, bool]] | None:
        """The helper's answers, or None if it could not start, failed or timed out."""
        if self._thread is None:
            return None
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._process.kill()
            self._thread.join()
            return None
        if self._output is None:
            return None
        try:
            return [(number, bool(valid)) for number, valid in json.loads(self._output)]
        except (ValueError, TypeError):
            return None
