"""E-mail addresses: one canonical spelling and a practical syntax check.

The check is deliberately practical rather than RFC 5322 complete: quoted local parts and
IP-literal domains are legal but in a CRM they are almost always typos or junk.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from crm_quality.standardize.text import clean_text, default_placeholders, is_missing

# Local part: dot-separated runs of anything but whitespace, control characters and the
# specials that need quoting. Non-ASCII letters are allowed (internationalized mail).
_LOCAL_RUN = r"[^\s\x00-\x1f\x7f@\"(),:;<>\[\]\\.]+"
_LOCAL = rf"{_LOCAL_RUN}(?:\.{_LOCAL_RUN})*"
# Domain labels: letters (any script) or digits, inner hyphens; TLD of two or more letters
# or an ASCII-encoded (xn--) internationalized TLD.
_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})"
_EMAIL = re.compile(rf"(?P<local>{_LOCAL})@(?P<domain>(?:{_LABEL}\.)+{_TLD})")
# The same language spelled out for ASCII input, which is most addresses and matches about
# twice as fast as the Unicode classes.
_ASCII_LOCAL_RUN = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_ASCII_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL_ASCII = re.compile(
    rf"(?P<local>{_ASCII_LOCAL_RUN}(?:\.{_ASCII_LOCAL_RUN})*)"
    rf"@(?P<domain>(?:{_ASCII_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[a-z0-9-]{{1,59}}))"
)

_WRAPPING = re.compile(r"[<>:]")
_MAILTO = re.compile(r"^(?:mailto:\s*)+", re.IGNORECASE)


def standardize_email(
    value: object, placeholders: Collection[str] = default_placeholders("email")
) -> str | None:
    """Trimmed, lower-case address without a 'mailto:' prefix or surrounding angle brackets.

    'John Doe <JOHN@EXAMPLE.COM>' keeps only the bracketed address. Providers treat the
    local part case-insensitively in practice, so lower-casing it lets duplicates meet.
    The result is not validated; see `is_valid_email`.
    """
    text = clean_text(value, placeholders)
    if text is not None and text.isascii() and not _WRAPPING.search(text):
        return text.lower()  # nothing to unwrap, and lower() keeps ASCII text clean
    # Repeat until nothing changes, so the result is a fixed point even for nested junk
    # such as '<mailto:<a@b.com>>'. A pass that changes anything removes a character, bar
    # the first lower-casing, which bounds the passes by the length.
    for _ in range(len(text) + 2 if text else 0):
        unwrapped = _unwrap(text, placeholders)
        if unwrapped is None or unwrapped == text:
            return unwrapped
        text = unwrapped
    return text


def _unwrap(text: str, placeholders: Collection[str]) -> str | None:
    text = _MAILTO.sub("", text)
    if text.endswith(">") and "<" in text:
        text = text[text.rindex("<") + 1 : -1]
    return clean_text(_MAILTO.sub("", text.strip("<> ")).lower(), placeholders)


def is_valid_email(value: object) -> bool:
    """Practical syntax check of an (already standardized) address."""
    if is_missing(value) or not isinstance(value, str):
        return False
    if len(value) > 254:
        return False
    match = (_EMAIL_ASCII if value.isascii() else _EMAIL).fullmatch(value)
    if match is None:
        return False
    return len(match["local"]) <= 64 and len(match["domain"]) <= 253


def email_domain(value: object) -> str | None:
    """Domain of a valid address after standardization, else None."""
    email = standardize_email(value)
    if email is None or not is_valid_email(email):
        return None
    return email.rpartition("@")[2]


def is_disposable_domain(domain: str | None, disposable: Collection[str]) -> bool:
    """True when `domain` or one of its parent domains is a known throwaway provider."""
    if not domain:
        return False
    if domain in disposable:
        return True
    parts = domain.split(".")
    return any(".".join(parts[index:]) in disposable for index in range(1, len(parts) - 1))
