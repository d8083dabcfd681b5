"""Records -> output rows (article fields added) or located rejects."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from collections.abc import Mapping, Sequence

from ..errors import NewscleanError, RecordError
from ..normalize import normalize
from .config import Mode, PipelineConfig
from .readers import Record

__all__ = [
    "CLASH_PREFIX",
    "article_text",
    "computed_field",
    "derived_id",
    "field_names",
    "field_text",
    "merge_fields",
    "mode_of",
    "record_to_row",
    "reject_entry",
    "row_id",
    "run_view",
]

log = logging.getLogger(__name__)


#: Prefix of a newsclean field whose name an input field already has (with another value).
CLASH_PREFIX = "newsclean_"


def derived_id(record: Record) -> str:
    """The id of a record without one: ``<file name>:<line>:<hash of the record's fields>``.

    The hash (16 hex digits of SHA-256 over the fields as canonical JSON) makes ids of
    different records differ across days and across inputs of the same name; the same
    record at the same place gets the same id again (a feed delivered twice is "seen").

    Examples:
        >>> derived_id(Record({"text": "a"}, "/feeds/day.jsonl", 3))
        'day.jsonl:3:...'
        >>> derived_id(Record({"text": "a"}, "x/day.jsonl", 3)) != derived_id(Record({"text": "b"}, "x/day.jsonl", 3))
        True
    """
    canonical = json.dumps(dict(record.fields), sort_keys=True, ensure_ascii=False, default=repr)
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{os.path.basename(record.path)}:{record.line}:{digest}"


def field_names(name: str, row: Mapping[str, object] | Sequence[str]) -> list[str]:
    """``name``, then ``newsclean_<name>``, ``newsclean_newsclean_<name>``, ... as long as
    ``row`` has them (an output read again as an input carries newsclean's fields).

    Examples:
        >>> field_names("text", {"text": "a", "newsclean_text": "b"}), field_names("id", ["x"])
        (['text', 'newsclean_text'], [])
    """
    names = []
    while name in row:
        names.append(name)
        name = CLASH_PREFIX + name
    return names


def computed_field(row: Mapping[str, object], name: str) -> object:
    """The value newsclean computed for ``name`` in an output row (see :func:`merge_fields`).

    The deepest non-null of ``name``, ``newsclean_<name>``, ``newsclean_newsclean_<name>``
    ...: a computed value that clashed with an input field went one level deeper.

    Examples:
        >>> computed_field({"status": "wire", "newsclean_status": "ok"}, "status")
        'ok'
        >>> computed_field({"status": "ok"}, "status"), computed_field({}, "status")
        ('ok', None)
    """
    for key in reversed(field_names(name, row)):
        if row[key] is not None:
            return row[key]
    return None


def _is_id(value: object) -> bool:
    """Whether ``value`` can be an id: text or a number (a null or empty one: none given)."""
    return value is None or isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool))


def _id_text(value: object) -> str | None:
    return None if value is None or value == "" or not _is_id(value) else str(value)


def row_id(row: Mapping[str, object], id_field: str) -> str | None:
    """The id of an output row: its ``id_field`` value as text (``7`` -> ``'7'``).

    A record whose input id was null or empty got a derived one under
    ``newsclean_<id_field>`` (:func:`record_to_row`); this reads it. ``None``: no id.

    Examples:
        >>> row_id({"id": 7}, "id"), row_id({"id": None, "newsclean_id": "in.jsonl:2:ab"}, "id")
        ('7', 'in.jsonl:2:ab')
    """
    return _id_text(computed_field(row, id_field))


#: Fields the dedup step writes on each row (both engines: ``newsclean dedup --engine spark``
#: writes these, not the Spark DataFrame's ``containment`` and ``empty``).
DEDUP_FIELDS = ("cluster_id", "representative_id", "is_representative", "similarity")
#: Fields a run computes for each row (besides the article's metadata): read back from
#: an output by :func:`run_view`, wherever a clash with an input field put them.
RUN_FIELDS = ("text", "status", "reason", *DEDUP_FIELDS)


def run_view(row: Mapping[str, object], id_field: str) -> dict[str, object]:
    """An output row with the run's own values under their plain names (for readers of
    an output, such as the report): the id as text, and each of :data:`RUN_FIELDS`
    present in the row as :func:`computed_field` reads it. Other fields as they are.

    Examples:
        >>> run_view({"id": 3, "status": "wire", "newsclean_status": "ok"}, "id")
        {'id': '3', 'status': 'ok', 'newsclean_status': 'ok'}
    """
    view = dict(row)
    for name in RUN_FIELDS:
        if name in row:
            view[name] = computed_field(row, name)
    view[id_field] = row_id(row, id_field)
    return view


def _record_id(record: Record, config: PipelineConfig) -> str | RecordError:
    value = computed_field(record.fields, config.id_field)
    if not _is_id(value):
        return _error(record, f"field {config.id_field!r} is {type(value).__name__}, not text or a number")
    if isinstance(value, float) and not math.isfinite(value):
        # Python's JSON reader takes NaN, Infinity and 1e400 as numbers; JSON writes them as null
        return _error(record, f"field {config.id_field!r} is {value}, not a usable id (JSON writes it as null)")
    return _id_text(value) or derived_id(record)


def _error(record: Record, reason: str) -> RecordError:
    return RecordError(reason, path=record.path, line=record.line, offset=record.offset)


def field_text(record: Record, name: str, *, html: bool, url: object = None) -> str | RecordError:
    """The text of field ``name``; bytes are decoded (HTML by the one page decoder, a plain
    text by its text form, :func:`newsclean.extraction.charset.decode_text`; the
    record's ``url``, when it is a string, helps guess an undeclared charset)."""
    value = record.fields.get(name)
    if value is None:
        if name in record.fields:
            return _error(record, f"field {name!r} is null, not text")
        present = ", ".join(sorted(record.fields)[:8]) or "none"
        return _error(record, f"missing field {name!r} (fields: {present})")
    if isinstance(value, bytes | bytearray):
        from ..extraction.charset import decode_html, decode_text

        page_url = url if isinstance(url, str) else None
        if html:
            return decode_html(bytes(value), transport=record.charset, url=page_url)[0]
        decoded = decode_text(bytes(value), url=page_url)
        if decoded is None:
            return _error(record, f"undecodable bytes in field {name!r}: binary data, not text")
        return decoded[0]
    if not isinstance(value, str):
        return _error(record, f"field {name!r} is {type(value).__name__}, not text")
    return value


def _has_html(record: Record, config: PipelineConfig) -> bool:
    value = record.fields.get(config.html_field)
    if isinstance(value, bytes | bytearray):
        return bool(bytes(value).strip())
    return isinstance(value, str) and bool(value.strip())


def mode_of(record: Record, config: PipelineConfig) -> Mode:
    """How ``record`` becomes an article: ``auto`` is ``extract`` with non-blank HTML, else ``strip``."""
    if config.mode != "auto":
        return config.mode
    return "extract" if _has_html(record, config) else "strip"


def _article_fields(text: str, url: object, mode: Mode) -> dict[str, object]:
    if mode == "extract":
        from ..extraction import extract

        return extract(text, url=url if isinstance(url, str) else None).to_dict()
    if mode == "strip":
        from ..stripping import strip

        return strip(text).to_dict()
    clean = normalize(text)
    return {"text": clean, "status": "ok" if clean.strip() else "empty_input"}


def merge_fields(row: dict[str, object], computed: Mapping[str, object]) -> None:
    """Add newsclean's ``computed`` fields to ``row`` without overwriting an input field.

    A computed field whose name the row has already, with another value, is written as
    ``newsclean_<name>`` instead, the text an article was made from included: a dump
    in ``text`` stays, its cleaned article goes to ``newsclean_text`` (a text already
    clean adds nothing). A ``None`` computed value never hides an input value.

    Examples:
        >>> row = {"id": "a", "title": "Real", "source": "wire", "text": "raw"}
        >>> merge_fields(row, {"title": "Guess", "source": "text", "text": "clean", "author": None})
        >>> row
        {'id': 'a', 'title': 'Real', 'source': 'wire', 'text': 'raw', 'newsclean_title': 'Guess', 'newsclean_source': 'text', 'newsclean_text': 'clean', 'author': None}
    """
    for key, value in computed.items():
        names = field_names(key, row)
        if not names:
            row[key] = value
        elif value is not None and row[names[-1]] != value:
            row[CLASH_PREFIX + names[-1]] = value


def record_to_row(record: Record, config: PipelineConfig) -> dict[str, object] | RecordError:
    """One output row: the input fields plus the article fields, or why there is none.

    Input fields are never overwritten (see :func:`merge_fields`): an article field that
    clashes goes under ``newsclean_<name>`` (the cleaned text of a dump read from
    ``text`` under ``newsclean_text``; :func:`article_text` reads it). HTML given as bytes
    (WARC, folders, binary Parquet columns) is decoded by
    :func:`newsclean.extraction.charset.decode_html` and written decoded.

    Examples:
        >>> rec = Record({"id": 7, "text": "“Hi”\u00a0there", "lang": "en"}, "in.jsonl", 1)
        >>> record_to_row(rec, PipelineConfig(mode="text"))
        {'id': 7, 'text': '“Hi”\xa0there', 'lang': 'en', 'newsclean_text': '"Hi" there', 'status': 'ok'}
        >>> print(record_to_row(Record({"id": "x"}, "in.jsonl", 2), PipelineConfig()))
        in.jsonl:2: missing field 'text' (fields: id)
        >>> print(record_to_row(Record({"id": "x", "html": 5}, "in.jsonl", 3), PipelineConfig()))
        in.jsonl:3: missing field 'text' (fields: html, id); field 'html' is int, not text
        >>> print(record_to_row(Record({"id": "x", "html": " "}, "in.jsonl", 4), PipelineConfig()))
        in.jsonl:4: missing field 'text' (fields: html, id); field 'html' is blank
    """
    mode = mode_of(record, config)
    source_field = config.html_field if mode == "extract" else config.text_field
    text = field_text(record, source_field, html=mode == "extract", url=record.fields.get(config.url_field))
    if isinstance(text, RecordError):
        if config.mode == "auto" and config.html_field in record.fields and config.text_field not in record.fields:
            # the HTML field was there but not used: say why, not only that no text field is
            html = record.fields[config.html_field]
            kind = ("null" if html is None else "blank" if isinstance(html, str | bytes | bytearray)
                    else f"{type(html).__name__}, not text")
            return _error(record, f"{text.reason}; field {config.html_field!r} is {kind}")
        return text
    try:
        if record.prepared is not None and mode == "strip":
            article = dict(record.prepared)
        else:
            article = _article_fields(text, record.fields.get(config.url_field), mode)
    except NewscleanError as exc:
        return _error(record, f"{mode} failed: {exc}")
    except Exception as exc:
        # A dependency (lxml, trafilatura, ...) choking on odd data must not stop the run:
        # the record is rejected with the error's name (datatrove counts these the same way).
        log.debug("%s failed on %s", mode, record.where, exc_info=True)
        return _error(record, f"{mode} failed: {type(exc).__name__}: {exc}")
    doc_id = _record_id(record, config)
    if isinstance(doc_id, RecordError):
        return doc_id
    row: dict[str, object] = {k: v for k, v in record.fields.items() if k not in config.drop_fields}
    if isinstance(row.get(source_field), bytes | bytearray):
        row[source_field] = text  # the decoded page, not bytes
    if row_id(row, config.id_field) != doc_id:
        merge_fields(row, {config.id_field: doc_id})  # derived: beside a null or empty input id
    if isinstance(article.get("text"), str):
        article["text"] = normalize(str(article["text"]))
    merge_fields(row, article)
    return row


def article_text(row: Mapping[str, object]) -> object:
    """The article text of an output row: ``newsclean_text`` if the input had a ``text``.

    Examples:
        >>> article_text({"text": "dump", "newsclean_text": "article"}), article_text({"text": "clean"})
        ('article', 'clean')
    """
    return computed_field(row, "text")


def reject_entry(error: RecordError) -> dict[str, object]:
    """The rejects-file entry of ``error``: path, line, offset, reason."""
    return {"path": error.path, "line": error.line, "offset": error.offset, "reason": error.reason}


def record_id(record: Record, config: PipelineConfig) -> str | None:
    """The id that :func:`record_to_row` gives ``record`` (for tools that look records up);
    ``None`` when the record's id field is neither text nor a number (a reject).

    Examples:
        >>> record_id(Record({"id": 7, "text": "x"}, "dir/in.jsonl", 4), PipelineConfig())
        '7'
    """
    value = _record_id(record, config)
    return value if isinstance(value, str) else None
