"""The reset_anomaly_baseline operation's --args, as dbt reads them (YAML)."""

from __future__ import annotations

import yaml

from crm_quality.anomaly_reset import Series


def test_operation_args_pass_any_text_as_written():
    reason = 'it\'s "done": {re-collected}, #2 — é'
    series = Series("defect_rate_pct", "crm/all: x", reason=reason)
    assert yaml.safe_load(series.operation_args()) == {
        "metric": "defect_rate_pct",
        "breakdown_value": "crm/all: x",
        "reason": reason,
    }
