"""The report in a real headless browser (Debian's chromium): rendered DOM and a screenshot.

Skips without chromium (``.ci/run`` installs it as it installs redis-server) or without
the ``report`` extra.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("jinja2", reason="the report needs the 'report' extra (jinja2)")

from test_report import run_with_report  # noqa: E402  (after the skip: it needs jinja2 too)

pytestmark = pytest.mark.slow

CHROMIUM = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)


def chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Headless chromium on ``url``, offline and with a throwaway profile."""
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *extra, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "HOME": str(profile)})


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_renders_in_chromium(tmp_path: Path) -> None:
    out, report = run_with_report(tmp_path)
    url = report.resolve().as_uri()
    dom = chromium(url, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    # The summary numbers as the browser laid them out.
    assert re.search(r'data-card="Records in">8<', html)
    assert re.search(r'data-card="Rejected">2<', html)
    assert re.search(r'data-card="Articles out">6<', html)
    # A known cluster, its members beside the representative, and a known swapped figure.
    assert 'id="cluster-tram-1"' in html
    assert all(f"<code>{doc}</code>" in html for doc in ("tram-1", "tram-2", "tram-3"))
    assert '<span class="figure swap-a">41.50</span>' in html
    assert '<span class="figure swap-b">38.20</span>' in html
    shot = tmp_path / "report.png"
    taken = chromium(url, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1600",
                     "--hide-scrollbars")
    assert taken.returncode == 0, taken.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a real, non-blank picture
