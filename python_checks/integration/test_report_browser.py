"""The report renders in headless Chromium: every figure drawn, no script error, not blank."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from python_checks.integration.test_monitoring_builds import shared_history

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--virtual-time-budget=10000",
]
# Injected first into a copy of the report: records script errors and, once loaded, how many
# figures Plotly drew, in attributes of <html> that --dump-dom prints.
PROBE = """<script>
window.addEventListener("error", function (event) {
    var root = document.documentElement;
    root.setAttribute("data-js-errors", (root.getAttribute("data-js-errors") || "")
        + "|" + event.message);
});
window.addEventListener("load", function () {
    setTimeout(function () {
        document.documentElement.setAttribute("data-plots-drawn",
            String(document.querySelectorAll(".js-plotly-plot .main-svg").length));
    }, 500);
});
</script>"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from crm_quality.report import write_report

    history = shared_history(tmp_path_factory)
    return write_report(
        history.warehouse, tmp_path_factory.mktemp("browser") / "data_quality_report.html"
    )


def chromium(page: Path, profile: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *arguments, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw (still filtered) scanlines of an 8-bit PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, width, height, idat = 8, 0, 0, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunk = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    return width, height, zlib.decompress(idat)


def test_report_renders_every_figure_without_script_errors(report, tmp_path):
    probed = tmp_path / "probed.html"
    probed.write_text(
        report.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1),
        encoding="utf-8",
    )
    completed = chromium(probed, tmp_path / "profile", "--dump-dom")
    assert completed.returncode == 0, completed.stderr[-2000:]
    dom = completed.stdout
    assert 'data-js-errors="' not in dom, dom[:500]
    drawn = dom.split('data-plots-drawn="', 1)[1].split('"', 1)[0]
    # Each figure draws one or more SVG layers.
    assert int(drawn) >= 5


def test_screenshot_is_not_blank(report, tmp_path):
    screenshot = tmp_path / "report.png"
    completed = chromium(
        report,
        tmp_path / "profile",
        "--window-size=1200,3000",
        "--hide-scrollbars",
        f"--screenshot={screenshot}",
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    try:
        from PIL import Image, ImageStat
    except ImportError:
        width, height, pixels = png_pixels(screenshot)
        assert (width, height) == (1200, 3000)
        # A blank page compresses to a handful of byte values; charts, text and colour do not.
        assert len(set(pixels)) > 64
        assert len(zlib.compress(pixels)) > 100_000
    else:
        with Image.open(screenshot) as image:
            variance = ImageStat.Stat(image.convert("L")).var[0]
        assert variance > 100
