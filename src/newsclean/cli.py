"""The ``newsclean`` command: a thin argparse front end over :mod:`newsclean.etl`.

Exit codes (also in ``newsclean --help``):

- 0: done (bad records, if any, were skipped, counted and written to ``--rejects``);
- 1: internal error (a bug: please report it; ``-vv`` shows the traceback);
- 2: usage error: bad option, missing input, index built with other options;
- 3: more rejected records than ``--max-errors``: stopped early (run again to resume);
- 4: an optional dependency is missing (the message says which extra to install);
- 5: the index or the work directory is in use by another run (its PID is named):
  nothing was written; run again later;
- 6: the index cannot be used: damaged, not a newsclean index, read-only, or its
  Redis server is unreachable or failed;
- 7: the system failed: disk full, an I/O error, a read-only file system (the run
  stopped where it was; free space and run the same command again to resume);
- 130: interrupted (Ctrl-C), 143: terminated (SIGTERM): stopped cleanly; run the same
  command again to resume.

Examples:
    >>> parser = build_parser()
    >>> args = parser.parse_args(["dedup", "in.jsonl", "-o", "out.jsonl", "--jobs", "2"])
    >>> args.command, args.inputs, args.jobs
    ('dedup', ['in.jsonl'], 2)
"""

from __future__ import annotations

import argparse
import errno
import functools
import json
import logging
import os
import shutil
import signal
import sys
from collections.abc import Sequence
from typing import Any

from .errors import (
    IndexUnusableError,
    InputError,
    InUseError,
    MissingExtraError,
    NewscleanError,
    TooManyErrors,
)
from .etl.records import MAX_RECORD_BYTES

__all__ = ["EXIT_CODES", "build_parser", "main"]

log = logging.getLogger("newsclean")

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_TOO_MANY_ERRORS = 3
EXIT_MISSING_EXTRA = 4
EXIT_IN_USE = 5
EXIT_INDEX_UNUSABLE = 6
EXIT_ENVIRONMENT = 7
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
EXIT_TERMINATED = 143

EXIT_CODES = """\
exit codes:
  0    done (bad records were skipped, counted, and written to --rejects)
  1    internal error (a bug; -vv shows the traceback)
  2    usage error: bad option, missing input, index built with other options
  3    more rejected records than --max-errors: stopped early (run again to resume)
  4    an optional dependency is missing (the message names the extra to install)
  5    the index or work directory is in use by another run (PID named); nothing written
  6    the index cannot be used: damaged, not a newsclean index, read-only, unreachable
  7    system failure: disk full, I/O error, read-only file system (run again to resume)
  130  interrupted (Ctrl-C); run the same command again to resume
  141  the reader of standard output went away (`newsclean ... -o - | head`)
  143  terminated (SIGTERM); run the same command again to resume
"""

_EXAMPLES = {
    "run": """\
examples:
  newsclean run news.jsonl.gz -o clean.jsonl
  newsclean run crawl.warc.gz -o articles.parquet --index seen.sqlite --jobs 4
  newsclean run dumps/ -o out.jsonl --from text --representatives-only --clusters clusters.jsonl
  cat news.jsonl | newsclean run - -o - --quiet > out.jsonl
  newsclean run news.jsonl -o out.jsonl --report report.html
""",
    "extract": """\
examples:
  newsclean extract pages.jsonl --html-field html -o articles.jsonl
  newsclean extract crawl.warc.gz -o articles.parquet --drop-field html --jobs 2
""",
    "strip": """\
examples:
  newsclean strip dumps.jsonl.zst --text-field body -o articles.jsonl
  newsclean strip dumps/ -o articles.jsonl
  newsclean strip dumps.jsonl -o articles.jsonl --explain   # + articles.decisions.jsonl
""",
    "dedup": """\
examples:
  newsclean dedup articles.jsonl -o clusters.jsonl --threshold 0.6
  newsclean dedup today.jsonl -o new.jsonl --index seen.sqlite --representatives-only
  newsclean dedup today.parquet -o out.parquet --index redis://127.0.0.1:6379/0
  newsclean dedup big.parquet -o out.parquet --engine spark --spark-master yarn
""",
    "reuse": """\
examples:
  newsclean reuse articles.jsonl -o reuse-pairs.jsonl
  newsclean reuse day1.jsonl day2.jsonl -o pairs.jsonl --containment 1.0 --min-words 20
""",
}

_DESCRIPTIONS = {
    "run": "Whole pipeline: extract (HTML) or strip (text dumps), normalize, deduplicate "
           "(the clusters of the library's newsclean.dedup), write.",
    "extract": "HTML pages -> clean articles (title, text, author, date, language, ...).",
    "strip": "Plain-text page dumps -> article bodies without menus, tickers and teasers.",
    "dedup": "Articles -> near-duplicate clusters (cluster_id, is_representative, similarity): "
             "the clusters of the library's newsclean.dedup, with the same options and defaults.",
    "reuse": "Articles -> pairs of paragraphs reused between them (all pairs of documents of the "
             "inputs; bounded memory: texts, shingles and matches spilled to a temporary directory in "
             "--spill-dir, default TMPDIR).",
}


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSONL (.gz/.zst), Parquet, WARC(.gz), a folder of .html/.txt, or - for stdin")
    parser.add_argument("-o", "--output", default="-",
                        help="output file: .jsonl[.gz|.zst] or .parquet; - = stdout (default)")
    parser.add_argument("--input-format", choices=["jsonl", "parquet", "warc", "dir"],
                        help="input format (default: from the file name)")
    parser.add_argument("--id-field", default="id", help="record id field: text or a number, written as it came (default: id; none or null: file:line:hash, under newsclean_<field> when null)")
    parser.add_argument("--drop-field", action="append", default=[], metavar="FIELD",
                        help="input field not to copy to the output (repeatable)")
    parser.add_argument("--rejects", metavar="PATH", help="write rejected records (path:line, reason) as JSONL")
    parser.add_argument("--max-errors", type=int, metavar="N", help="stop (exit 3) after more than N rejects")
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    parser.add_argument("--chunk-size", type=int, default=1000, metavar="N",
                        help="records per unit of work and of resume (default: 1000)")
    parser.add_argument("--max-record-bytes", type=int, default=MAX_RECORD_BYTES, metavar="N",
                        help="reject records larger than N bytes once decompressed (default: 32 MiB)")
    parser.add_argument("--work-dir", metavar="DIR",
                        help="folder for the resume state: newsclean creates its own folder inside DIR and "
                             "removes only that (default: OUTPUT.work)")
    parser.add_argument("--stats", metavar="PATH", help="write the run summary as JSON")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)")


def _dedup_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="Jaccard similarity (word 5-grams) from which two articles are copies (default: 0.5)")
    parser.add_argument("--representatives-only", action="store_true",
                        help="write only one article per cluster (its representative)")
    parser.add_argument("--clusters", metavar="PATH", help="also write the clusters table (JSONL or Parquet)")
    parser.add_argument("--index", metavar="PATH",
                        help="persistent index (SQLite file, or redis://host:port/db) to dedup against earlier runs")
    from .duplicates.options import add_dedup_options

    add_dedup_options(parser)  # the options of newsclean.DedupConfig, with its defaults


def _reuse_options(parser: argparse.ArgumentParser) -> None:
    """The options of :class:`newsclean.ReuseConfig`, with its defaults."""
    from .reuse import ReuseConfig

    default = ReuseConfig()
    parser.add_argument("--containment", type=float, default=default.containment, metavar="SHARE",
                        help="share of the smaller paragraph's shingles that must be in the other "
                             f"(1.0: verbatim; default: {default.containment})")
    parser.add_argument("--min-shared", type=int, default=default.min_shared, metavar="N",
                        help=f"at least this many shingles in common (default: {default.min_shared})")
    parser.add_argument("--min-words", type=int, default=default.min_words, metavar="N",
                        help=f"paragraphs with fewer words are not compared (default: {default.min_words})")
    parser.add_argument("--max-df", type=int, default=default.max_df, metavar="N",
                        help="a shingle in more paragraphs than this is boilerplate, not reuse "
                             f"(default: {default.max_df})")
    parser.add_argument("--ngram", type=int, default=default.ngram, metavar="N",
                        help=f"words per shingle (default: {default.ngram})")
    parser.add_argument("--spill-dir", metavar="DIR",
                        help="where the spill files go (about the texts' size plus 8 bytes a shingle): "
                             "a directory newsclean-reuse-* made there and removed at the end "
                             "(default: TMPDIR)")


def _text_options(parser: argparse.ArgumentParser, *, html: bool, text: bool) -> None:
    if text:
        parser.add_argument("--text-field", default="text", help="field with the text (default: text)")
    if html:
        parser.add_argument("--html-field", default="html", help="field with the HTML (default: html)")
        parser.add_argument("--url-field", default="url", help="field with the page URL (default: url)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsclean`` (one sub-parser per subcommand)."""
    from . import __version__
    from .report import cli as report_cli

    parser = argparse.ArgumentParser(
        prog="newsclean",
        description="Clean article text out of news pages and find which articles are copies.",
        epilog=EXIT_CODES + "\nrun 'newsclean COMMAND --help' for the options and examples of a command",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsclean {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in ("run", "extract", "strip", "dedup", "reuse"):
        cmd = sub.add_parser(name, help=_DESCRIPTIONS[name], description=_DESCRIPTIONS[name],
                             epilog=_EXAMPLES[name] + "\n" + EXIT_CODES,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        _common(cmd)
        if name == "reuse":  # one process, not resumable: see _run_reuse
            for action in cmd._actions:
                if action.dest in ("jobs", "chunk_size", "work_dir"):
                    action.help = f"{action.help}; not for reuse (one process, not resumable)"
        _text_options(cmd, html=name in ("run", "extract"), text=name != "extract")
        if name in ("run", "dedup"):
            _dedup_options(cmd)
        if name == "reuse":
            _reuse_options(cmd)
        if name == "dedup":
            cmd.add_argument("--engine", choices=["local", "spark"], default="local",
                             help="local (default): this machine, streaming and resumable; "
                                  "spark: Apache Spark (extra 'spark'), same clusters")
            cmd.add_argument("--spark-master", default="local[*]", metavar="URL",
                             help="Spark master with --engine spark (default: local[*]; "
                                  "'yarn', 'spark://host:7077', ...)")
        if name in ("run", "strip"):
            cmd.add_argument("--site-field", metavar="FIELD",
                             help="field naming each record's site: text dumps are stripped with what "
                                  "repeats across that site's pages (strip_many)")
        if name == "run":
            cmd.add_argument("--from", dest="source", choices=["auto", "html", "text"], default="auto",
                             help="html: extract from --html-field; text: strip --text-field; "
                                  "auto (default): per record, html when it has --html-field, else text")
            report_cli.add_run_options(cmd)
        if name == "strip":
            report_cli.add_strip_options(cmd)
            # INPUT is checked in main(): `--explain [PATH]` may have taken it (see _missing_inputs)
            next(a for a in cmd._actions if a.dest == "inputs").nargs = "*"
    report_cli.add_parsers(sub, EXIT_CODES)
    return parser


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("newsclean: %(levelname)s: %(message)s"))
    root = logging.getLogger("newsclean")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _mode(args: argparse.Namespace) -> str:
    if args.command in ("extract", "strip"):
        return str(args.command)
    if args.command in ("dedup", "reuse"):
        return "text"
    if args.source != "auto":
        return "extract" if args.source == "html" else "strip"
    return "auto"


def _config(args: argparse.Namespace) -> Any:
    from .etl import PipelineConfig

    return PipelineConfig(
        mode=_mode(args),  # type: ignore[arg-type]
        input_format=args.input_format,
        text_field=getattr(args, "text_field", "text"),
        html_field=getattr(args, "html_field", "html"),
        url_field=getattr(args, "url_field", "url"),
        site_field=getattr(args, "site_field", None),
        id_field=args.id_field,
        dedup=args.command in ("run", "dedup"),
        threshold=getattr(args, "threshold", 0.5),
        representatives_only=getattr(args, "representatives_only", False),
        drop_fields=tuple(args.drop_field),
        chunk_size=args.chunk_size,
        jobs=args.jobs,
        max_errors=args.max_errors,
        dedup_config=_dedup_config(args),
        max_record_bytes=args.max_record_bytes,
    )


def _dedup_config(args: argparse.Namespace) -> Any:
    from .duplicates.config import DedupConfig
    from .duplicates.options import config_from_args

    if args.command not in ("run", "dedup"):
        return None
    config = config_from_args(args)
    # The library's defaults (with --threshold) are what PipelineConfig uses without one.
    return None if config == DedupConfig(threshold=config.threshold) else config


def _count_records(inputs: Sequence[str], input_format: Any) -> int | None:
    """Number of input records, for the progress bar's ETA (only when cheap to know)."""
    from .etl.readers import detect_format, open_decompressed

    total = 0
    for path in inputs:
        fmt = input_format or detect_format(path)
        if path == "-" or fmt == "warc":
            return None
        if fmt == "dir":
            total += sum(len(files) for _, _, files in os.walk(path))
        elif fmt == "parquet":
            try:
                import pyarrow.parquet as pq

                total += int(pq.ParquetFile(path).metadata.num_rows)
            except Exception:
                return None
        else:
            try:
                with open(path, "rb") as raw:
                    stream = open_decompressed(raw, path)
                    blocks = iter(functools.partial(stream.read, 1 << 20), b"")
                    total += sum(block.count(b"\n") for block in blocks)
            except (OSError, EOFError, ValueError):
                return None
    return total


def _progress_bar(args: argparse.Namespace) -> tuple[Any, str]:
    """A tqdm bar on a terminal (records, or input bytes when the record count is unknown)."""
    if args.quiet or not sys.stderr.isatty():
        return None, "records"
    from tqdm import tqdm

    total = _count_records(args.inputs, args.input_format)
    unit = "records"
    options: dict[str, Any] = {"unit": "rec"}
    if total is None:  # WARC, stdin: bytes read, with rate and ETA (stdin: rate only)
        unit = "bytes"
        sizes = [os.path.getsize(p) for p in args.inputs if p != "-" and os.path.isfile(p)]
        total = sum(sizes) if len(sizes) == len(args.inputs) else None
        options = {"unit": "B", "unit_divisor": 1024}
    # Some terminals (and ptys under `script`) report 0 columns; tqdm then draws nothing.
    size = shutil.get_terminal_size()
    bar = tqdm(total=total, unit_scale=True, ncols=size.columns or 100, nrows=size.lines or 24,
               desc=f"newsclean {args.command}", smoothing=0.1, mininterval=0.5, **options)
    return bar, unit


def _print_summary(command: str, summary: Any, args: argparse.Namespace) -> None:
    if args.stats:
        with open(args.stats, "w", encoding="utf-8") as f:
            json.dump(summary.to_dict(), f, indent=2)
    if args.quiet:
        return
    rate = summary.records_in / summary.seconds if summary.seconds > 0 else 0.0
    parts = [f"{summary.records_in} records in", f"{summary.records_out} out"]
    if command in ("run", "dedup"):
        parts += [f"{summary.clusters} clusters", f"{summary.duplicates_removed} duplicates"]
        if getattr(args, "index", None):
            parts.append(f"{summary.seen_before} seen before")
    if summary.skipped:
        parts.append(f"{summary.skipped} skipped (not HTML)")
    rejects = f"{summary.rejects} rejects"
    if summary.rejects and args.rejects:
        rejects += f" (see {args.rejects})"
    parts.append(rejects)
    if summary.chunks_resumed:
        parts.append(f"{summary.chunks_resumed} chunks resumed")
    print(f"newsclean {command}: " + ", ".join(parts) + f"; {summary.seconds:.1f} s ({rate:.0f} records/s)",
          file=sys.stderr)


def _run_reuse(args: argparse.Namespace) -> int:
    """``newsclean reuse``: paragraph reuse between all documents of the inputs (bounded memory)."""
    from .etl import RunPaths
    from .etl.passages import run_reuse

    unsupported = [flag for flag, given in (("--jobs", args.jobs != 1), ("--chunk-size", args.chunk_size != 1000),
                                            ("--work-dir", args.work_dir is not None)) if given]
    if unsupported:
        msg = (f"newsclean reuse does not support {', '.join(unsupported)}: it runs in one process and is not "
               "resumable (its spill files are temporary: --spill-dir chooses where they go)")
        raise InputError(msg)
    from .reuse import ReuseConfig

    reuse = ReuseConfig(containment=args.containment, min_shared=args.min_shared, min_words=args.min_words,
                        max_df=args.max_df, ngram=args.ngram)
    summary = run_reuse(args.inputs, RunPaths(output=args.output, rejects=args.rejects), _config(args), reuse,
                        spill_dir=args.spill_dir)
    _print_summary("reuse", summary, args)
    return EXIT_OK


def _run_spark_dedup(args: argparse.Namespace) -> int:
    from .spark import run_cli_dedup

    unsupported = [flag for flag, value in (("--index", args.index), ("--clusters", args.clusters),
                                            ("--rejects", args.rejects), ("--work-dir", args.work_dir))
                   if value]
    if unsupported:
        msg = f"--engine spark does not support {', '.join(unsupported)}; use the local engine for them"
        raise InputError(msg)
    summary = run_cli_dedup(
        args.inputs, args.output, master=args.spark_master, text_field=args.text_field,
        id_field=args.id_field, threshold=args.threshold, config=_dedup_config(args),
        representatives_only=args.representatives_only, drop_fields=tuple(args.drop_field),
        input_format=args.input_format,
    )
    _print_summary("dedup", summary, args)
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from .etl import RunPaths, run_pipeline
    from .etl.output import check_paths
    from .report import cli as report_cli

    if args.command in ("report", "explain"):
        return report_cli.run_command(args)
    report_cli.explain_path(args)
    paths = RunPaths(output=args.output, rejects=args.rejects, clusters=getattr(args, "clusters", None),
                     index=getattr(args, "index", None), work_dir=args.work_dir)
    check_paths(paths, args.inputs, also=[("stats", args.stats), ("report", getattr(args, "report", None)),
                                          ("explain", getattr(args, "explain", None))])
    report_cli.check_options(args)
    if args.command == "reuse":
        return _run_reuse(args)
    if args.command == "dedup" and args.engine == "spark":
        return _run_spark_dedup(args)
    config = _config(args)
    bar, unit = _progress_bar(args)
    try:
        summary = run_pipeline(args.inputs, paths, config, progress_bar=bar, progress_unit=unit)
    finally:
        if bar is not None:
            bar.close()
    _print_summary(args.command, summary, args)
    report_cli.after_run(args, summary, config)
    return EXIT_OK


class Terminated(BaseException):
    """SIGTERM received: unwinds like Ctrl-C (a clean, resumable stop)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


#: errno values that are the system's fault, not the user's nor a bug.
_ENVIRONMENT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS})


def _missing_inputs(args: argparse.Namespace) -> int:
    """No INPUT: argparse's message, and the likely cause when ``--explain`` took it as its PATH."""
    hint = ""
    if getattr(args, "explain", None):
        hint = (f"; --explain took {args.explain!r} as its PATH: put --explain after the inputs, "
                f"or write --explain=PATH")
    print(f"newsclean {args.command}: error: the following arguments are required: INPUT{hint}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsclean`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "inputs", None) == []:
        return _missing_inputs(args)
    _setup_logging(args.verbose)
    if args.jobs < 1 or args.chunk_size < 1:
        parser.error("--jobs and --chunk-size must be >= 1")
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if _main_thread() else None
    try:
        return _run(args)
    except TooManyErrors as exc:
        print(f"newsclean: {exc}", file=sys.stderr)
        return EXIT_TOO_MANY_ERRORS
    except MissingExtraError as exc:
        print(f"newsclean: {exc}", file=sys.stderr)
        return EXIT_MISSING_EXTRA
    except InUseError as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return EXIT_IN_USE
    except IndexUnusableError as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return EXIT_INDEX_UNUSABLE
    except BrokenPipeError:
        # The reader of stdout left (`| head`): stop quietly, as Unix tools do, and point
        # stdout at /dev/null so that the interpreter's final flush raises nothing.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        if exc.errno in _ENVIRONMENT_ERRNOS:
            print(f"newsclean: error: {exc}; run the same command again to resume", file=sys.stderr)
            return EXIT_ENVIRONMENT
        if isinstance(exc, FileNotFoundError | IsADirectoryError | PermissionError):
            print(f"newsclean: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return _internal(exc, args)
    except InputError as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("newsclean: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("newsclean: terminated (SIGTERM); run the same command again to resume", file=sys.stderr)
        return EXIT_TERMINATED
    except NewscleanError as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug: one line, the traceback only with -v
        return _internal(exc, args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (tests, embedding)
        pass


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _internal(exc: BaseException, args: argparse.Namespace) -> int:
    log.debug("internal error", exc_info=True)
    hint = "" if args.verbose >= 2 else " (run with -vv for the traceback)"
    print(f"newsclean: internal error: {type(exc).__name__}: {exc}{hint}", file=sys.stderr)
    return EXIT_INTERNAL
