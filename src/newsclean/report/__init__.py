"""An HTML report of a run: what came in, what went out, which articles are copies and why.

:func:`write_report` reads a run's output (and, if given, its rejects, its summary and
its input) and writes one self-contained static HTML page: inline CSS and SVG charts,
no script, nothing fetched from the network, so it opens offline and can be mailed. Its
size is bounded whatever the number of records, by sampling (:class:`ReportConfig`):
every sample states its size and the total it came from.

The page is rendered with Jinja2, the optional extra ``report``
(``pip install 'newsclean[report]'``); without it :func:`write_report` raises
:class:`~newsclean.MissingExtraError` (exit code 4 on the command line). Counting and
sampling (:mod:`.scan`) and the evidence (:mod:`.evidence`, from
:func:`newsclean.explain_pair`) need no extra.
"""

from __future__ import annotations

from .render import ReportStats, build_context, render_html, write_report
from .scan import ReportConfig, RunScan, scan_output

__all__ = [
    "ReportConfig",
    "ReportStats",
    "RunScan",
    "build_context",
    "render_html",
    "scan_output",
    "write_report",
]
