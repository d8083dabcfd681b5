"""Records -> output rows (article fields added) or located rejects."""

from __future__ import annotations

import logging
import os

from ..errors import NewscleanError, RecordError
from ..normalize import normalize
from .config import Mode, PipelineConfig
from .readers import Record

__all__ = ["record_to_row", "reject_entry"]

log = logging.getLogger(__name__)


def _record_id(record: Record, config: PipelineConfig) -> str:
    value = record.fields.get(config.id_field)
    if value is None or value == "":
        return f"{os.path.basename(record.path)}:{record.line}"
    return str(value)


def _field_text(record: Record, name: str) -> str | RecordError:
    value = record.fields.get(name)
    if value is None:
        present = ", ".join(sorted(record.fields)[:8]) or "none"
        return RecordError(f"missing field {name!r} (fields: {present})", path=record.path, line=record.line)
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as exc:
            return RecordError(f"undecodable bytes in field {name!r} at byte {exc.start}", path=record.path, line=record.line)
    if not isinstance(value, str):
        reason = f"field {name!r} is {type(value).__name__}, not text"
        return RecordError(reason, path=record.path, line=record.line)
    return value


def _mode_of(record: Record, config: PipelineConfig) -> Mode:
    if config.mode != "auto":
        return config.mode
    return "extract" if record.fields.get(config.html_field) else "strip"


def _article_fields(text: str, url: object, mode: Mode) -> dict[str, object]:
    if mode == "extract":
        from ..extraction import extract

        return extract(text, url=url if isinstance(url, str) else None).to_dict()
    if mode == "strip":
        from ..stripping import strip

        return strip(text).to_dict()
    clean = normalize(text)
    return {"text": clean, "status": "ok" if clean.strip() else "empty_input"}


def record_to_row(record: Record, config: PipelineConfig) -> dict[str, object] | RecordError:
    """One output row: the input fields plus the article fields, or why there is none.

    Article fields overwrite input fields of the same name, except that a missing
    (``None``) article value never erases an input value. The text is normalized.

    Examples:
        >>> rec = Record({"id": 7, "text": "“Hi”\u00a0there", "lang": "en"}, "in.jsonl", 1)
        >>> record_to_row(rec, PipelineConfig())
        {'id': '7', 'text': '"Hi" there', 'lang': 'en', 'status': 'ok'}
        >>> print(record_to_row(Record({"id": "x"}, "in.jsonl", 2), PipelineConfig()))
        in.jsonl:2: missing field 'text' (fields: id)
    """
    mode = _mode_of(record, config)
    text = _field_text(record, config.html_field if mode == "extract" else config.text_field)
    if isinstance(text, RecordError):
        return text
    try:
        article = _article_fields(text, record.fields.get(config.url_field), mode)
    except NewscleanError as exc:
        return RecordError(f"{mode} failed: {exc}", path=record.path, line=record.line)
    except Exception as exc:
        # A dependency (lxml, trafilatura, ...) choking on odd data must not stop the run:
        # the record is rejected with the error's name (datatrove counts these the same way).
        log.debug("%s failed on %s", mode, record.where, exc_info=True)
        return RecordError(f"{mode} failed: {type(exc).__name__}: {exc}", path=record.path, line=record.line)
    row: dict[str, object] = {k: v for k, v in record.fields.items() if k not in config.drop_fields}
    row[config.id_field] = _record_id(record, config)
    if isinstance(article.get("text"), str):
        article["text"] = normalize(str(article["text"]))
    for key, value in article.items():
        if value is not None or key not in row:
            row[key] = value
    return row


def reject_entry(error: RecordError) -> dict[str, object]:
    """The rejects-file entry of ``error``: path, line, offset, reason."""
    return {"path": error.path, "line": error.line, "offset": error.offset, "reason": error.reason}


def record_id(record: Record, config: PipelineConfig) -> str:
    """The id that :func:`record_to_row` gives ``record`` (for tools that look records up).

    Examples:
        >>> record_id(Record({"id": 7, "text": "x"}, "dir/in.jsonl", 4), PipelineConfig())
        '7'
    """
    return _record_id(record, config)
