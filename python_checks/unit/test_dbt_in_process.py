"""dbt in this process (crm_quality/dbt_in_process.py): the environment it sees, its status."""

from __future__ import annotations

import os

from crm_quality.dbt_in_process import Invocation, environ


def test_the_environment_is_the_given_one_meanwhile_and_restored_after(monkeypatch):
    monkeypatch.setenv("CRM_ONLY_OUTSIDE", "outside")
    monkeypatch.delenv("CRM_ONLY_INSIDE", raising=False)
    before = dict(os.environ)
    with environ({"CRM_ONLY_INSIDE": "inside"}):
        assert dict(os.environ) == {"CRM_ONLY_INSIDE": "inside"}
    assert dict(os.environ) == before


def test_the_exit_status_is_the_dbt_commands():
    assert Invocation(True, "").returncode == 0
    assert Invocation(False, "").returncode == 1  # nodes failed
    assert Invocation(False, "", exception=RuntimeError("no profile")).returncode == 2
