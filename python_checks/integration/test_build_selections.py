"""A whole build runs in three dbt selections around the training step (crm_quality/build.py):
together they must run every model, seed and data test of the project exactly once, except the
data tests of the SQL itself (tag invariant), which a warehouse build leaves to `make test`."""

from __future__ import annotations

import json
from collections import Counter

RUN_BY_A_WHOLE_BUILD = ("model", "seed", "test")
LEFT_TO_MAKE_TEST = "invariant"


def test_the_selections_run_every_node_once(warehouse):
    target = warehouse.warehouse.parent / "target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    nodes = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in RUN_BY_A_WHOLE_BUILD
    }
    invariant = {
        unique_id for unique_id, node in nodes.items() if LEFT_TO_MAKE_TEST in node["tags"]
    }
    expected = nodes.keys() - invariant
    runs = Counter(result["unique_id"] for result in results)
    assert invariant, "no data test is tagged invariant"
    assert expected - runs.keys() == set()
    assert invariant & runs.keys() == set()
    assert {unique_id for unique_id in expected if runs[unique_id] > 1} == set()
