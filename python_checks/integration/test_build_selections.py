"""A whole build runs in three dbt selections around the training step (crm_quality/build.py):
together they must run every model, seed and data test of the project exactly once."""

from __future__ import annotations

import json
from collections import Counter

RUN_BY_A_WHOLE_BUILD = ("model", "seed", "test")


def test_the_selections_run_every_node_once(warehouse):
    target = warehouse.warehouse.parent / "target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    expected = {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in RUN_BY_A_WHOLE_BUILD
    }
    runs = Counter(result["unique_id"] for result in results)
    assert expected - runs.keys() == set()
    assert {unique_id for unique_id in expected if runs[unique_id] > 1} == set()
