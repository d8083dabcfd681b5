"""Build the report's context from a run and render it with the Jinja2 template."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._optional import require
from ..duplicates import PairEvidence
from ..duplicates.config import DedupConfig
from ..errors import InputError
from ..etl import PipelineConfig, RunSummary
from .decisions import StripView, site_field, strip_views
from .evidence import (
    ApartPair,
    ApartSearch,
    MemberEvidence,
    describe,
    find_kept_apart,
    member_evidence,
)
from .scan import (
    ClusterSample,
    Doc,
    ReportConfig,
    RunScan,
    scan_output,
)
from .tally import RejectGroup, read_rejects, reject_groups
from .view import Pane, cards, charts, pane_pair, percent, strip_records

__all__ = ["ApartView", "ClusterView", "MemberView", "ReportStats", "build_context", "render_html",
           "write_report"]

_TEMPLATE = "report.html.j2"


@dataclass(frozen=True, slots=True)
class MemberView:
    """A duplicate beside its representative, with the evidence in words."""

    evidence: MemberEvidence
    left: Pane
    right: Pane
    verdict: str
    link: str | None

    @property
    def doc(self) -> Doc:
        """The duplicate."""
        return self.evidence.doc


@dataclass(frozen=True, slots=True)
class ClusterView:
    """A cluster as shown: the sample and its members' views."""

    sample: ClusterSample
    members: tuple[MemberView, ...]


@dataclass(frozen=True, slots=True)
class ApartView:
    """A pair kept apart by the figures rule, with the swapped figures marked."""

    pair: ApartPair
    left: Pane
    right: Pane
    verdict: str


@dataclass(frozen=True, slots=True)
class ReportStats:
    """What :func:`write_report` wrote.

    Attributes:
        path: the report file.
        size: its size in bytes.
        rows: rows of the run's output read.
        clusters_shown: clusters shown.
        seconds: time taken.
    """

    path: str
    size: int
    rows: int
    clusters_shown: int
    seconds: float


Layers = dict[str, list[tuple[int, int]]]


def _passage_layers(evidence: PairEvidence) -> tuple[Layers, Layers]:
    """The shared passages and the swapped figures as spans of each text."""
    a: Layers = {
        "shared": [p.a_span for p in evidence.shared_passages],
        "figure": [f.a_span for f in evidence.figure_swaps],
    }
    b: Layers = {
        "shared": [p.b_span for p in evidence.shared_passages],
        "figure": [f.b_span for f in evidence.figure_swaps],
    }
    return a, b


def _cluster_view(sample: ClusterSample, config: ReportConfig, dedup: DedupConfig) -> ClusterView:
    rep = sample.representative
    if rep is None:
        return ClusterView(sample, ())
    views: list[MemberView] = []
    for ev in member_evidence(rep, sample.members, dedup):
        layers_a, layers_b = _passage_layers(ev.evidence)
        left, right = pane_pair(rep.text, ev.doc.text, config.text_chars, layers_a, layers_b)
        link = None
        if not ev.evidence.duplicate:
            link = (f"It is in this cluster through member {ev.link[0]}: {describe(ev.link[1], dedup)}."
                    if ev.link is not None else
                    "It is in this cluster through a chain of copies via members not shown here.")
        views.append(MemberView(ev, left, right, describe(ev.evidence, dedup), link))
    return ClusterView(sample, tuple(views))


def _apart_views(search: ApartSearch, config: ReportConfig, dedup: DedupConfig) -> tuple[ApartView, ...]:
    out: list[ApartView] = []
    for pair in search.pairs:
        layers_a, layers_b = _passage_layers(pair.evidence)
        left, right = pane_pair(pair.a.text, pair.b.text, config.text_chars, layers_a, layers_b)
        out.append(ApartView(pair, left, right, describe(pair.evidence, dedup)))
    return tuple(out)


def _summary_numbers(summary: RunSummary | Mapping[str, Any] | None) -> tuple[int | None, int | None]:
    if summary is None:
        return None, None
    data = summary.to_dict() if isinstance(summary, RunSummary) else summary
    records_in, rejects = data.get("records_in"), data.get("rejects")
    return (records_in if isinstance(records_in, int) else None,
            rejects if isinstance(rejects, int) else None)


def build_context(
    scan: RunScan,
    *,
    config: ReportConfig,
    dedup: DedupConfig,
    title: str,
    summary: RunSummary | Mapping[str, Any] | None = None,
    rejects: Sequence[RejectGroup] | None = None,
    views: Sequence[StripView] = (),
    strip_inputs: bool = False,
    inputs: Sequence[str] = (),
) -> dict[str, Any]:
    """Everything the template shows, as plain values and frozen view objects.

    The records in and rejects come from ``summary`` when given; else they are counted
    from the output and ``rejects`` (rows + rejects), or unknown.
    """
    from .. import __version__

    records_in, reject_count = _summary_numbers(summary)
    if rejects is not None:
        reject_count = sum(g.count for g in rejects) if reject_count is None else reject_count
        records_in = scan.rows + reject_count if records_in is None else records_in
    clusters = tuple(_cluster_view(s, config, dedup) for s in scan.clusters_shown)
    containments = [m.evidence.evidence.containment for c in clusters for m in c.members]
    search = find_kept_apart(scan.pair_sample, dedup, config.kept_apart_pairs) if scan.has_clusters else None
    strip = strip_records(scan, views, config)
    return {
        "version": __version__,
        "title": title,
        "inputs": [os.path.basename(p) or p for p in inputs],
        "scan": scan,
        "cards": cards(scan, records_in, reject_count),
        "charts": charts(scan, dedup.threshold, containments),
        "containment_count": len(containments),
        "clusters": clusters,
        "n_largest": sum(1 for s in scan.clusters_shown if s.picked == "largest"),
        "n_random": sum(1 for s in scan.clusters_shown if s.picked == "random"),
        "members_per_cluster": config.members_per_cluster,
        "search": search,
        "apart": _apart_views(search, config, dedup) if search is not None else (),
        "strip": strip,
        "strip_bad": sum(1 for r in strip if r.doc.status != "ok"),
        "strip_inputs": strip_inputs,
        "strip_alone": False,
        "rejects": tuple(rejects) if rejects is not None else None,
        "reject_count": reject_count,
        "source_field": config.source_field,
        "seed": config.seed,
        "threshold": dedup.threshold,
        "containment": dedup.containment,
        "percent": percent,
    }


def render_html(context: Mapping[str, Any]) -> str:
    """The report page from :func:`build_context`'s context (needs the ``report`` extra).

    Raises:
        MissingExtraError: Jinja2 is not installed.
    """
    jinja2 = require("jinja2", extra="report", purpose="the HTML report")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsclean.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return str(env.get_template(_TEMPLATE).render(**context))


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def write_report(
    output: str,
    report_path: str,
    *,
    rejects_path: str | None = None,
    summary: RunSummary | Mapping[str, Any] | None = None,
    inputs: Sequence[str] = (),
    pipeline: PipelineConfig | None = None,
    config: ReportConfig | None = None,
    dedup: DedupConfig | None = None,
    run_inputs: Sequence[str] = (),
) -> ReportStats:
    """Write the HTML report of the run whose output is ``output``.

    Args:
        output: the run's output file (JSONL or Parquet).
        report_path: the HTML file to write (written under a temporary name, then renamed).
        rejects_path: the run's rejects file, for the rejects by reason.
        summary: the run's :class:`~newsclean.RunSummary` (or its ``--stats`` JSON as a dict).
        inputs: the run's inputs, for the strip view (strip's decisions per input line).
        pipeline: how the run read its inputs (fields, mode), to find their records.
        config: what to sample (:class:`ReportConfig`).
        dedup: the run's dedup options, for the evidence (threshold, ...).
        run_inputs: the run's inputs as named in the report (default: ``inputs``).

    Returns:
        A :class:`ReportStats`.

    Raises:
        MissingExtraError: Jinja2 is not installed (``pip install 'newsclean[report]'``).
        InputError: a missing file, a report path that is one of the run's files.
    """
    require("jinja2", extra="report", purpose="the HTML report")
    started = time.monotonic()
    config = config or ReportConfig()
    dedup = dedup or DedupConfig()
    pipeline = pipeline or PipelineConfig(mode="auto", id_field=config.id_field)
    for other in (output, rejects_path, *inputs):
        if other and other != "-" and os.path.exists(report_path) and _same_file(report_path, other):
            msg = f"the report would overwrite {other}; choose another report path"
            raise InputError(msg)
    for path in (output, rejects_path, *inputs):
        if path and path != "-" and not os.path.exists(path):
            msg = f"not found: {path}"
            raise InputError(msg)
    scan = scan_output(output, config)
    groups = reject_groups(read_rejects(rejects_path), config.reject_examples) if rejects_path else None
    views = strip_views(list(inputs), [d.id for d in scan.strip_sample], pipeline) if inputs else ()
    context = build_context(scan, config=config, dedup=dedup, title=os.path.basename(output),
                            summary=summary, rejects=groups, views=views, strip_inputs=bool(inputs),
                            inputs=run_inputs or inputs)
    context["strip_alone"] = bool(inputs) and site_field(pipeline) is not None
    page = render_html(context)
    tmp = f"{report_path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, report_path)
    return ReportStats(report_path, os.path.getsize(report_path), scan.rows, len(scan.clusters_shown),
                       round(time.monotonic() - started, 3))
