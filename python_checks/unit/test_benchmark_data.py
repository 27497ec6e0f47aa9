"""make bench reuses its generated data only when the current generator wrote it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from python_checks.benchmark_scripts import load_benchmark_script


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):
    """run_benchmark with the generator's command replaced: it writes truth.json only."""
    script = load_benchmark_script("run_benchmark")
    script.generated = []

    def fake_run(args: list[str], **_: object) -> None:
        out = Path(args[args.index("--out") + 1])
        out.mkdir(parents=True, exist_ok=True)
        people, seed = (int(args[args.index(flag) + 1]) for flag in ("--people", "--seed"))
        (out / "truth.json").write_text(json.dumps({"people": people, "seed": seed}), "utf-8")
        script.generated.append((people, seed))

    monkeypatch.setattr(script.subprocess, "run", fake_run)
    return script


def test_data_this_generator_wrote_is_reused(bench, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    bench.generate(100, 1, raw)
    assert bench.generate(100, 1, raw) == 0.0
    bench.generate(100, 2, raw)
    assert bench.generated == [(100, 1), (100, 2)]


def test_data_another_generator_wrote_is_generated_again(
    bench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    bench.generate(100, 1, raw)
    monkeypatch.setattr(bench, "generator_digest", lambda: "a later generator")
    bench.generate(100, 1, raw)
    assert bench.generate(100, 1, raw) == 0.0
    (raw / bench.GENERATOR_STAMP).unlink()  # written before the stamp existed
    bench.generate(100, 1, raw)
    assert bench.generated == [(100, 1)] * 3


def test_the_generator_digest_follows_its_source(
    bench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = tmp_path / "crm_quality" / "demo"
    demo.mkdir(parents=True)
    (demo / "world.py").write_text("EMAIL = 'a'\n", "utf-8")
    monkeypatch.setattr(bench, "REPO_ROOT", tmp_path)
    before = bench.generator_digest()
    (demo / "world.py").write_text("EMAIL = 'b'\n", "utf-8")
    assert bench.generator_digest() != before
    assert len(bench.generator_digest()) == 64
