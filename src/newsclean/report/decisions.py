"""Strip's per-line decisions for the records of a run: ``strip --explain`` and the report.

A run keeps no per-line state (its output holds the articles), so the decisions are
computed again from the input: :func:`newsclean.strip` is deterministic, so
``strip(text, explain=True)`` decides every line exactly as the run did. Records are
matched to output rows by the id the run gave them (:func:`newsclean.etl.rows.record_id`).
"""

from __future__ import annotations

import importlib
import os
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from ..errors import InputError
from ..etl import PipelineConfig
from ..etl.readers import Record, read_inputs
from ..etl.rows import record_id
from ..etl.writers import open_writer
from ..stripping import strip, strip_many
from ..types import Article, LineDecision

__all__ = [
    "StripView",
    "decision_rows",
    "decisions_path",
    "explained_records",
    "find_records",
    "site_field",
    "strip_views",
    "write_strip_explanations",
]

_DEFAULT_WINDOW = 500  # strip_many's default window


@dataclass(frozen=True, slots=True)
class StripView:
    """One input record with strip's decision for each of its lines.

    Attributes:
        id: the record id (as in the run's output).
        where: ``path:line`` of the record in the input.
        decisions: one per input line (see :class:`newsclean.LineDecision`).
        status: the article status strip gave.
    """

    id: str
    where: str
    decisions: tuple[LineDecision, ...]
    status: str


def _text_of(record: Record, config: PipelineConfig) -> str | None:
    value = record.fields.get(config.text_field)
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return value if isinstance(value, str) else None


def _strip_mode(record: Record, config: PipelineConfig) -> bool:
    if config.mode == "strip":
        return True
    return config.mode == "auto" and not record.fields.get(config.html_field)


def find_records(
    inputs: Sequence[str], ids: Collection[str], config: PipelineConfig
) -> dict[str, Record]:
    """The input records of ``ids`` (one streaming pass; the first record of an id wins)."""
    found: dict[str, Record] = {}
    wanted = set(ids)
    if not wanted:
        return found
    for item in read_inputs(inputs, input_format=config.input_format):
        if not isinstance(item, Record):
            continue
        doc_id = record_id(item, config)
        if doc_id in wanted and doc_id not in found:
            found[doc_id] = item
            if len(found) == len(wanted):
                break
    return found


def strip_views(
    inputs: Sequence[str], ids: Sequence[str], config: PipelineConfig
) -> tuple[StripView, ...]:
    """Strip's decisions for the records of ``ids`` that were stripped (in ``ids`` order)."""
    records = find_records(inputs, ids, config)
    views: list[StripView] = []
    for doc_id in ids:
        record = records.get(doc_id)
        if record is None or not _strip_mode(record, config):
            continue
        text = _text_of(record, config)
        if text is None:
            continue
        article = strip(text, explain=True)
        views.append(StripView(doc_id, record.where, article.decisions, article.status))
    return tuple(views)


def decision_rows(doc_id: str, where: str, decisions: Sequence[LineDecision]) -> Iterator[dict[str, object]]:
    """The JSONL rows of ``strip --explain`` for one record: one per input line.

    Examples:
        >>> from newsclean import LineDecision
        >>> rows = decision_rows("n1", "in.jsonl:3", [LineDecision(1, "Home | News", False, "menu", 0.02)])
        >>> next(rows)
        {'id': 'n1', 'where': 'in.jsonl:3', 'line': 1, 'kept': False, 'reason': 'menu', 'score': 0.02, 'text': 'Home | News'}
    """
    for d in decisions:
        yield {"id": doc_id, "where": where, "line": d.line_no, "kept": d.kept, "reason": d.reason,
               "score": d.score, "text": d.text}


def decisions_path(output: str) -> str:
    """Where ``strip --explain`` writes by default: beside the output, ``NAME.decisions.jsonl``.

    Examples:
        >>> decisions_path("out/articles.jsonl.gz"), decisions_path("a.parquet")
        ('out/articles.decisions.jsonl', 'a.decisions.jsonl')
    """
    if output == "-":
        msg = "--explain without a path needs -o FILE (the decisions go beside it); or give --explain PATH"
        raise InputError(msg)
    folder, name = os.path.split(output)
    for suffix in (".gz", ".zst", ".zstd", ".jsonl", ".json", ".parquet", ".pq"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return os.path.join(folder, f"{name}.decisions.jsonl")


def site_field(config: PipelineConfig) -> str | None:
    """The run's ``--site-field``, if it has one (pages then stripped with their site's)."""
    value = getattr(config, "site_field", None)
    return value if isinstance(value, str) else None


def _site_window() -> int:
    """The window of pages ``strip_many`` counts per batch in a run (``etl.sites.SITE_WINDOW``)."""
    try:
        value = importlib.import_module("newsclean.etl.sites").SITE_WINDOW
    except (ImportError, AttributeError):  # an ETL without per-site stripping
        return _DEFAULT_WINDOW
    return int(value)


class _Queue:
    """The sites of the texts drawn so far; ``strip_many`` reads them batch by batch.

    An iterator that can run dry and go on later (a generator could not): each batch's
    texts are drawn before its sites.
    """

    def __init__(self, items: deque[str]) -> None:
        self.items = items

    def __iter__(self) -> _Queue:
        return self

    def __next__(self) -> str:
        if not self.items:
            raise StopIteration
        return self.items.popleft()


def explained_records(
    inputs: Sequence[str], config: PipelineConfig
) -> Iterator[tuple[Record, Article]]:
    """Each stripped input record with strip's explained article, in input order.

    Without a site field every dump is stripped alone, as the run did. With one
    (``--site-field``), the dumps go through :func:`newsclean.strip_many` in input order
    with the same sites and window as the run, so that lines repeated across a site's
    pages get the reason ``template`` here too.
    """
    records = (item for item in read_inputs(inputs, input_format=config.input_format)
               if isinstance(item, Record) and _strip_mode(item, config) and _text_of(item, config) is not None)
    field = site_field(config)
    if field is None:
        for record in records:
            yield record, strip(str(_text_of(record, config)), explain=True)
        return
    pending: deque[Record] = deque()
    sites: deque[str] = deque()

    def texts() -> Iterator[str]:
        for record in records:
            pending.append(record)
            sites.append(str(record.fields.get(field) or ""))
            yield str(_text_of(record, config))

    for article in strip_many(texts(), sites=_Queue(sites), window=_site_window(), explain=True):
        yield pending.popleft(), article


def write_strip_explanations(inputs: Sequence[str], path: str, config: PipelineConfig) -> int:
    """Write strip's per-line decisions of every stripped input record to ``path`` (JSONL).

    Rows (see :func:`decision_rows`): ``id``, ``where`` (input ``path:line``), ``line``,
    ``kept``, ``reason``, ``score``, ``text``. Records that were rejected (unreadable, no
    text field) have no rows; they are in the run's rejects. The file is written under a
    temporary name and renamed, so it is complete or absent.

    Returns:
        The number of records explained.
    """
    tmp = f"{path}.tmp"
    writer = open_writer(tmp, output="jsonl")
    explained = 0
    try:
        for item, article in explained_records(inputs, config):
            for row in decision_rows(record_id(item, config) or item.where, item.where, article.decisions):
                writer.write(row)
            explained += 1
    except BaseException:
        writer.close()
        os.remove(tmp)
        raise
    writer.close()
    os.replace(tmp, path)
    return explained
