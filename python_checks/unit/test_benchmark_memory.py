"""make bench's memory readings: PSS where /proc gives it, else RSS, summed over a process tree
(the PostgreSQL server's postmaster and its backends), read here from a fake /proc."""

from __future__ import annotations

from pathlib import Path

from python_checks.benchmark_scripts import load_benchmark_script


def _process(proc: Path, pid: int, *, parent: int = 1, rss: int | None = None,
             pss: int | None = None, children: tuple[int, ...] = ()) -> None:  # fmt: skip
    """A fake /proc/<pid>: status (PPid, VmRSS), smaps_rollup (Pss) and its children."""
    folder = proc / str(pid)
    (folder / "task" / str(pid)).mkdir(parents=True)
    status = f"Name:\tpostgres\nPPid:\t{parent}\n" + (f"VmRSS:\t{rss} kB\n" if rss else "")
    (folder / "status").write_text(status)
    if pss is not None:
        rollup = f"00400000-7ffe [rollup]\nRss:\t{rss or 0} kB\nPss:\t{pss} kB\n"
        (folder / "smaps_rollup").write_text(rollup)
    (folder / "task" / str(pid) / "children").write_text(" ".join(map(str, children)))


def test_pss_is_read_where_smaps_rollup_gives_it_else_rss(tmp_path):
    bench = load_benchmark_script("run_benchmark")
    _process(tmp_path, 10, rss=900, pss=300)
    _process(tmp_path, 11, rss=700)  # smaps_rollup unreadable: RSS
    _process(tmp_path, 12)  # a zombie: no memory, no VmRSS
    assert bench.process_memory_kib(10, tmp_path) == (300, "PSS")
    assert bench.process_memory_kib(11, tmp_path) == (700, "RSS")
    assert bench.process_memory_kib(12, tmp_path) == (0, "gone")
    assert bench.process_memory_kib(13, tmp_path) == (0, "gone")  # ended


def test_a_server_tree_sums_its_processes_and_says_which_measure(tmp_path):
    bench = load_benchmark_script("run_benchmark")
    # postmaster 100; backends 101 and 102; 102 runs a parallel worker 103.
    _process(tmp_path, 100, rss=500, pss=100, children=(101, 102))
    _process(tmp_path, 101, parent=100, rss=400, pss=150)
    _process(tmp_path, 102, parent=100, rss=300, pss=120, children=(103,))
    _process(tmp_path, 103, parent=102, rss=250, pss=80)
    _process(tmp_path, 200, rss=9999, pss=9999)  # not the server's
    assert bench.process_tree(100, tmp_path) == [100, 101, 102, 103]
    assert bench.tree_memory_kib(100, tmp_path) == (450, "PSS")
    _process(tmp_path, 104, parent=100, rss=60)
    (tmp_path / "100" / "task" / "100" / "children").write_text("101 102 104")
    assert bench.tree_memory_kib(100, tmp_path) == (510, "PSS and RSS")


def test_a_backends_parent_is_the_postmaster_and_a_remote_one_has_none(tmp_path):
    bench = load_benchmark_script("run_benchmark")
    _process(tmp_path, 101, parent=100, rss=400)
    assert bench.parent_pid(101, tmp_path) == 100
    assert bench.parent_pid(555, tmp_path) is None  # the backend is not on this host


def test_build_and_server_peak_adds_samples_taken_together():
    bench = load_benchmark_script("run_benchmark")
    build = [(1.0, 1.0), (1.5, 2.0), (2.0, 0.5)]
    server = [(1.0, 0.25), (1.5, 0.5), (2.0, 3.0)]
    # The sum peaks at the third tick (3.5), not at the two peaks added (2.0 + 3.0).
    assert bench.server_peaks(build, server) == {
        "server_peak_gib": 3.0,
        "build_and_server_peak_gib": 3.5,
    }
    assert bench.server_peaks([], []) == {
        "server_peak_gib": None,
        "build_and_server_peak_gib": None,
    }
