"""E-mail standardization, the practical syntax check, domains and throwaway providers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.standardize import (
    email_domain,
    is_disposable_domain,
    is_valid_email,
    standardize_email,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  John.Doe@Example.COM ", "john.doe@example.com"),
        ("MAILTO:anna@example.de", "anna@example.de"),
        ("mailto: anna@example.de", "anna@example.de"),
        ("<anna@example.de>", "anna@example.de"),
        ("Anna Schmidt <Anna@Example.de>", "anna@example.de"),
        ("<mailto:anna@example.de>", "anna@example.de"),
        ("anna\u00a0@example.de", "anna @example.de"),  # kept, then judged invalid
        ("Müller@Bücher.DE", "müller@bücher.de"),
        ("N/A", None),
        ("<n/a>", None),
        ("", None),
        (None, None),
    ],
)
def test_standardize_email(raw, expected):
    assert standardize_email(raw) == expected


@pytest.mark.parametrize(
    "email",
    [
        "john.doe@example.com",
        "j@example.co",
        "first.last+crm@mail.example.co.uk",
        "o'brien@example.ie",
        "user_name-1@sub-domain.example.org",
        "müller@bücher.de",
        "用户@例子.广告",
        "info@xn--bcher-kva.de",
        "info@example.xn--p1ai",
    ],
)
def test_valid_emails(email):
    assert is_valid_email(email)


@pytest.mark.parametrize(
    "email",
    [
        "",
        "plainaddress",
        "@example.com",
        "john@",
        "john@@example.com",
        "john@doe@example.com",
        "john doe@example.com",
        "john..doe@example.com",
        ".john@example.com",
        "john.@example.com",
        "john@example",
        "john@example.c",
        "john@example.123",
        "john@-example.com",
        "john@example-.com",
        "john@exa_mple.com",
        "john@example..com",
        "john@.example.com",
        '"john"@example.com',
        "john(at)example.com",
        "a" * 65 + "@example.com",
        None,
    ],
)
def test_invalid_emails(email):
    assert not is_valid_email(email)


def test_email_domain():
    assert email_domain(" Anna@Example.DE ") == "example.de"
    assert email_domain("mailto:x@sub.example.co.uk") == "sub.example.co.uk"
    assert email_domain("not an email") is None
    assert email_domain(None) is None


def test_disposable_domains_match_subdomains(lookups):
    assert is_disposable_domain("mailinator.com", lookups.disposable_domains)
    assert is_disposable_domain("eu.mailinator.com", lookups.disposable_domains)
    assert not is_disposable_domain("example.com", lookups.disposable_domains)
    assert not is_disposable_domain("com", lookups.disposable_domains)
    assert not is_disposable_domain(None, lookups.disposable_domains)


@given(st.text())
def test_standardize_email_is_idempotent(raw):
    once = standardize_email(raw)
    assert standardize_email(once) == once


_LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_+-", min_size=1, max_size=20)
_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=15)
_TLD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6)


@given(_LOCAL, st.lists(_LABEL, min_size=1, max_size=3), _TLD)
def test_well_formed_addresses_validate_in_any_case(local, labels, tld):
    address = f"{local}@{'.'.join(labels)}.{tld}"
    assert is_valid_email(address)
    assert standardize_email(f" <{address.upper()}> ") == address
