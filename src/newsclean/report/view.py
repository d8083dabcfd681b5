"""What the template shows: the scan of a run turned into cards, charts and marked texts.

Pure functions from :class:`~newsclean.report.scan.RunScan` (and the optional run
summary, rejects and strip decisions) to small frozen view objects. The template only
loops over them and escapes their text; no number is computed in the template.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .decisions import StripView
from .marks import Segment, changed_words, clip_spans, segments
from .scan import Doc, ReportConfig, RunScan
from .svg import bar_chart, unit_bins
from .tally import histogram

__all__ = [
    "Card",
    "Pane",
    "StripLine",
    "StripRecord",
    "cards",
    "charts",
    "cut",
    "pane_pair",
    "percent",
    "single_pane",
    "strip_records",
]


@dataclass(frozen=True, slots=True)
class Card:
    """A headline number with what it means."""

    label: str
    value: str
    note: str


@dataclass(frozen=True, slots=True)
class Pane:
    """A text as shown: its marked pieces, and how much of it is shown.

    Attributes:
        segments: the shown part, cut where marks start and end.
        shown: characters shown.
        total: characters in the whole text.
    """

    segments: tuple[Segment, ...]
    shown: int
    total: int

    @property
    def cut(self) -> bool:
        """Whether the text is shown truncated."""
        return self.shown < self.total


@dataclass(frozen=True, slots=True)
class StripLine:
    """One input line in the strip view."""

    line_no: int
    text: str
    kept: bool
    reason: str
    score: float | None


@dataclass(frozen=True, slots=True)
class StripRecord:
    """A record in the strip / extract view.

    Attributes:
        doc: the output row.
        where: ``path:line`` of the input record, when it was found.
        lines: the first input lines with strip's decisions (empty for HTML records).
        total_lines: input lines in all.
        reasons: ``(reason, lines)`` of the dropped lines, most first.
        kept_lines: input lines kept (body and title).
        pane: the article text as written (shown when there are no lines).
    """

    doc: Doc
    where: str | None
    lines: tuple[StripLine, ...]
    total_lines: int
    reasons: tuple[tuple[str, int], ...]
    kept_lines: int
    pane: Pane


def percent(part: int, whole: int) -> str:
    """``part`` as a percentage of ``whole``, one decimal.

    Examples:
        >>> percent(1, 3), percent(0, 0)
        ('33.3%', '-')
    """
    return f"{100 * part / whole:.1f}%" if whole else "-"


def cut(text: str, limit: int) -> int:
    """Where to cut ``text`` to show at most ``limit`` characters: at a space if there is one.

    Examples:
        >>> cut("one two three", 9), cut("one two", 50), cut("abcdefgh", 4)
        (7, 7, 4)
    """
    if len(text) <= limit:
        return len(text)
    space = text.rfind(" ", 0, limit + 1)
    return space if space > limit // 2 else limit


def pane_pair(
    text_a: str,
    text_b: str,
    limit: int,
    extra_a: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    extra_b: Mapping[str, Sequence[tuple[int, int]]] | None = None,
) -> tuple[Pane, Pane]:
    """Two texts side by side: the shown part of each, changed words marked ``changed``.

    Words are compared over the shown parts only (the first ``limit`` characters), so
    the cost stays bounded on long texts. ``extra_a`` / ``extra_b`` add more layers of
    spans (e.g. ``shared`` passages, ``figure`` swaps) over the whole texts; they are
    clipped to the shown parts.

    Examples:
        >>> a, b = pane_pair("Prices rose 3% today.", "Prices fell 4% today.", 100)
        >>> [(s.text, s.marks) for s in b.segments]
        [('Prices ', ()), ('fell 4%', ('changed',)), (' today.', ())]
    """
    end_a, end_b = cut(text_a, limit), cut(text_b, limit)
    shown_a, shown_b = text_a[:end_a], text_b[:end_b]
    changed_a, changed_b = changed_words(shown_a, shown_b)
    layers_a: dict[str, list[tuple[int, int]]] = {"changed": changed_a}
    layers_b: dict[str, list[tuple[int, int]]] = {"changed": changed_b}
    for layers, extra, end in ((layers_a, extra_a, end_a), (layers_b, extra_b, end_b)):
        for name, spans in (extra or {}).items():
            layers[name] = clip_spans(spans, end)
    return (Pane(tuple(segments(shown_a, layers_a)), end_a, len(text_a)),
            Pane(tuple(segments(shown_b, layers_b)), end_b, len(text_b)))


def single_pane(text: str, limit: int) -> Pane:
    """A text shown alone (no marks), cut to ``limit`` characters."""
    end = cut(text, limit)
    return Pane((Segment(text[:end]),) if end else (), end, len(text))


def cards(scan: RunScan, records_in: int | None, rejects: int | None) -> tuple[Card, ...]:
    """The summary numbers, each with a line saying what it counts."""
    out = [
        Card("Records in", f"{records_in:,}" if records_in is not None else "?",
             "input records read, good and bad" if records_in is not None
             else "unknown: pass the run's --stats or --rejects file"),
        Card("Articles out", f"{scan.rows:,}", "rows in the output file"),
        Card("Rejected", f"{rejects:,}" if rejects is not None else "?",
             "bad records skipped (see 'Rejected records')" if rejects is not None
             else "unknown: pass the run's --rejects file"),
    ]
    if scan.has_clusters:
        out += [
            Card("Clusters", f"{scan.clusters:,}",
                 f"groups of copies; {scan.multi_clusters:,} with 2 or more members"),
            Card("Duplicates", f"{scan.duplicates:,}",
                 f"{percent(scan.duplicates, scan.rows)} of the articles are copies of another one"),
            Card("Largest cluster", f"{scan.largest_cluster:,}", "members of the biggest group of copies"),
        ]
    return tuple(out)


def charts(scan: RunScan, threshold: float, containments: Sequence[float]) -> dict[str, str]:
    """The SVG charts: cluster sizes, similarity to the representative, containment."""
    if not scan.has_clusters:
        return {}
    labels = unit_bins(len(scan.similarity_histogram))
    out = {
        "sizes": bar_chart([(label, n) for label, n, _ in scan.size_histogram],
                           title="Clusters per size", x_label="members per cluster",
                           y_label="clusters"),
        "size_records": bar_chart([(label, r) for label, _, r in scan.size_histogram],
                                  title="Articles per cluster size", x_label="members per cluster",
                                  y_label="articles"),
        "similarity": bar_chart(list(zip(labels, scan.similarity_histogram, strict=True)),
                                title="Similarity of each copy to its representative",
                                x_label="estimated Jaccard similarity to the representative",
                                y_label="copies", label_every=4,
                                marker=(threshold, f"threshold {threshold:g}")),
    }
    if containments:
        counts = histogram(containments)
        out["containment"] = bar_chart(list(zip(unit_bins(len(counts)), counts, strict=True)),
                                       title="Containment of the copies shown",
                                       x_label="share of the smaller text's 5-word phrases found in the other",
                                       y_label="copies shown", label_every=4)
    return out


def strip_records(
    scan: RunScan, views: Sequence[StripView], config: ReportConfig
) -> tuple[StripRecord, ...]:
    """The strip / extract view of the sampled rows (strip's lines where they were found)."""
    by_id = {v.id: v for v in views}
    out: list[StripRecord] = []
    for doc in scan.strip_sample:
        view = by_id.get(doc.id)
        pane = single_pane(doc.text, config.text_chars)
        if view is None:
            out.append(StripRecord(doc, None, (), 0, (), 0, pane))
            continue
        dropped = Counter(d.reason for d in view.decisions if not d.kept and d.reason != "blank")
        lines = tuple(StripLine(d.line_no, d.text, d.kept, d.reason, d.score)
                      for d in view.decisions[: config.strip_lines])
        out.append(StripRecord(doc, view.where, lines, len(view.decisions),
                               tuple(sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))),
                               sum(d.kept for d in view.decisions), pane))
    return tuple(out)

