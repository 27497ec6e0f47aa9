"""A whole build runs in three dbt selections around the training step (crm_quality/build.py):
together they must run every model, seed and data test of the project exactly once, except the
data tests of the SQL itself (tag invariant), which a warehouse build leaves to `make test`."""

from __future__ import annotations

import json
import shutil
from collections import Counter

from python_checks.dbt_runner import PARTIAL_PARSE_FILE, run_dbt

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


def test_a_dbt_command_after_a_whole_build_starts_from_its_parse(warehouse, tmp_path):
    """The suite's other dbt commands (a parse, a `dbt run`) reuse a whole build's saved parse:
    dbt parses in full when the target named differs, and the build names its target."""
    build_dir = warehouse.warehouse.parent
    saved_parse = tmp_path / "target" / PARTIAL_PARSE_FILE
    saved_parse.parent.mkdir(parents=True)
    shutil.copyfile(build_dir / "target" / PARTIAL_PARSE_FILE, saved_parse)
    run = run_dbt(["parse"], build_dir.parent / "raw", tmp_path)
    assert run.returncode == 0, run.output[-4000:]
    assert "Unable to do partial parsing" not in run.output, run.output[-4000:]
