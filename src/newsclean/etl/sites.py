"""Text dumps stripped per site with :func:`newsclean.strip_many` (``--site-field``).

What repeats across the pages of one site (menus, promos, footers) is only visible
across pages, so this step runs in the main process, over the input stream in order,
before the chunks: each text record routed to ``strip`` gets its article computed
here (:attr:`newsclean.etl.records.Record.prepared`); the workers only normalize and
sketch. The windows of ``strip_many`` do not depend on ``chunk_size`` or ``jobs``, so
neither changes the output; a resumed run streams the input through again.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable, Iterator

from ..errors import RecordError
from .config import PipelineConfig
from .records import Record
from .rows import field_text, mode_of

__all__ = ["SITE_WINDOW", "strip_ahead", "strip_per_site"]

#: Pages counted before they are stripped (``strip_many``'s ``window``).
SITE_WINDOW = 500


class _Sites:
    """The sites of the texts handed out so far, read by ``strip_many`` batch by batch."""

    def __init__(self) -> None:
        self.queue: deque[str] = deque()

    def __iter__(self) -> _Sites:
        return self

    def __next__(self) -> str:
        if not self.queue:
            raise StopIteration
        return self.queue.popleft()


def strip_per_site(items: Iterable[Record | RecordError], config: PipelineConfig) -> Iterator[Record | RecordError]:
    """``items`` in order; the text records to strip carry their article from ``strip_many``."""
    from ..stripping import strip_many

    assert config.site_field is not None
    pending: deque[tuple[Record | RecordError, bool]] = deque()
    sites = _Sites()

    def texts() -> Iterator[str]:
        for item in items:
            value = None
            if isinstance(item, Record) and mode_of(item, config) == "strip":
                value = field_text(item, config.text_field, html=False)
            if not isinstance(item, Record) or not isinstance(value, str):
                pending.append((item, False))
                continue
            pending.append((item, True))
            sites.queue.append(str(item.fields.get(str(config.site_field)) or ""))
            yield value

    for article in strip_many(texts(), sites=sites, window=SITE_WINDOW):
        while True:
            item, stripped = pending.popleft()
            if not stripped:
                yield item
                continue
            assert isinstance(item, Record)
            yield dataclasses.replace(item, prepared=article.to_dict())
            break
    while pending:
        yield pending.popleft()[0]


def strip_ahead(items: list[Record | RecordError], config: PipelineConfig) -> list[Record | RecordError]:
    """``items`` (a chunk), the text records to strip carrying their article.

    The chunk's texts are stripped one after another, then their articles' languages
    detected one after another (:func:`newsclean.stripping.core.with_languages`: the
    language model stays in the processor's cache, the same articles as ``strip``
    record by record, faster). A text that ``strip`` cannot take is left as it is:
    :func:`newsclean.etl.rows.record_to_row` strips it and rejects it, saying why.
    """
    from ..stripping.core import strip_body, with_languages

    at: list[int] = []
    found = []
    for k, item in enumerate(items):
        if isinstance(item, Record) and item.prepared is None and mode_of(item, config) == "strip":
            text = field_text(item, config.text_field, html=False, url=item.fields.get(config.url_field))
            if isinstance(text, str):
                try:
                    found.append(strip_body(text))
                except Exception:  # noqa: BLE001,S112 -- record_to_row rejects it
                    continue
                at.append(k)
    if not found:
        return items
    try:
        articles = with_languages(found)
    except Exception:  # noqa: BLE001 -- each record stripped again on its own, errors located
        return items
    out = list(items)
    for k, article in zip(at, articles, strict=True):
        record = out[k]
        assert isinstance(record, Record)
        out[k] = dataclasses.replace(record, prepared=article.to_dict())
    return out
