"""Options and results of a run: :class:`PipelineConfig`, :class:`RunPaths`, :class:`RunSummary`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from ..errors import InputError
from .readers import InputFormat

__all__ = ["Mode", "PipelineConfig", "RunPaths", "RunSummary"]

#: How a record becomes an article: ``"extract"`` (HTML field), ``"strip"`` (text dump),
#: ``"text"`` (the text field already is the article; only normalized), ``"auto"``
#: (per record: ``extract`` when it has a non-empty HTML field, else ``strip``).
Mode = Literal["extract", "strip", "text", "auto"]


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Options of :func:`run_pipeline`; change one with :func:`dataclasses.replace`.

    Attributes:
        mode: how a record becomes an article (see :data:`Mode`).
        input_format: force the input format (default: from each input's name).
        text_field: input field with the text (modes ``strip``, ``text``).
        html_field: input field with the HTML (mode ``extract``).
        id_field: input field with the record id; a record without one gets
            ``"<file name>:<line>"``.
        url_field: input field with the page URL, passed to ``extract``.
        dedup: cluster near-duplicates (adds ``cluster_id``, ``is_representative``,
            ``similarity``).
        threshold: Jaccard similarity from which two articles are copies (0.5, as
            :class:`newsclean.cluster.DedupConfig`; estimated from 128 MinHash values).
        representatives_only: write only each cluster's representative.
        drop_fields: input fields not to copy to the output (e.g. the HTML).
        chunk_size: records per chunk: the unit of work, of parallelism and of resume.
        jobs: worker processes (1 = in this process).
        max_errors: stop (exit code 3) after more rejected records than this.
    """

    mode: Mode = "text"
    input_format: InputFormat | None = None
    text_field: str = "text"
    html_field: str = "html"
    id_field: str = "id"
    url_field: str = "url"
    dedup: bool = True
    threshold: float = 0.5
    representatives_only: bool = False
    drop_fields: tuple[str, ...] = ()
    chunk_size: int = 1000
    jobs: int = 1
    max_errors: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("extract", "strip", "text", "auto"):
            msg = f"mode must be 'extract', 'strip', 'text' or 'auto', got {self.mode!r}"
            raise InputError(msg)
        if not 0.0 < self.threshold <= 1.0:
            msg = f"threshold must be in (0, 1], got {self.threshold!r}"
            raise InputError(msg)
        for name in ("chunk_size", "jobs"):
            if getattr(self, name) < 1:
                msg = f"{name} must be >= 1, got {getattr(self, name)}"
                raise InputError(msg)
        if self.max_errors is not None and self.max_errors < 0:
            msg = f"max_errors must be >= 0, got {self.max_errors}"
            raise InputError(msg)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did (the CLI prints it at the end; ``--stats`` writes it as JSON).

    Attributes:
        records_in: input records read (good and bad).
        records_out: rows written.
        rejects: records rejected (bad data), written to the rejects file.
        clusters: clusters among this run's documents (singletons included).
        duplicates_removed: documents that are not their cluster's representative.
        seen_before: documents that matched the persistent index.
        chunks_resumed: chunks found done from an earlier, interrupted run.
        seconds: wall time of this invocation.
    """

    records_in: int = 0
    records_out: int = 0
    rejects: int = 0
    clusters: int = 0
    duplicates_removed: int = 0
    seen_before: int = 0
    chunks_resumed: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """The summary as a JSON-ready dict."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class RunPaths:
    """Where a run writes. ``output`` ``"-"`` is stdout (JSONL, not resumable)."""

    output: str
    rejects: str | None = None
    clusters: str | None = None
    index: str | None = None
    work_dir: str | None = None

