"""The command-line side of the report: ``report``, ``explain``, ``run --report``, ``strip --explain``.

:mod:`newsclean.cli` adds these with a few calls: :func:`add_parsers` (the two
subcommands), :func:`add_run_options` / :func:`add_strip_options` (the flags), then
:func:`explain_path` and :func:`check_options` before a run, :func:`after_run` after it, and :func:`run_command`
for the two subcommands. Errors are raised as :class:`~newsclean.InputError` /
:class:`~newsclean.MissingExtraError`, which the CLI maps to exit codes 2 and 4.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    from .scan import ReportConfig

__all__ = ["add_parsers", "add_run_options", "add_strip_options", "after_run", "check_options",
           "explain_path", "run_command"]

_REPORT_HELP = "A run's output -> one self-contained HTML report (summary, charts, clusters, evidence)."
_EXPLAIN_HELP = "Two texts -> why they are copies or not (Jaccard, containment, rule, figures, passages)."

_REPORT_EXAMPLES = """\
examples:
  newsclean run news.jsonl -o out.jsonl --rejects rejects.jsonl --stats stats.json
  newsclean report out.jsonl -o report.html --rejects rejects.jsonl --stats stats.json --input news.jsonl
  newsclean run news.jsonl -o out.jsonl --report report.html     # the same in one step

The report is one static HTML file (no script, nothing loaded from the network; it opens
offline). Large runs are sampled (the report states how many it shows of how many); its
size depends on the sampling options, not on the number of records.
"""

_EXPLAIN_EXAMPLES = """\
examples:
  newsclean explain a.txt b.txt
  newsclean explain a.txt b.txt --threshold 0.8 --json

Both files are read as UTF-8 and normalized as a run normalizes article texts; the
character spans refer to the normalized texts (printed with --json).
"""


def _sampling_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report-clusters", type=int, default=10, metavar="N",
                        help="largest clusters shown (default: 10; as many again are drawn at random)")
    parser.add_argument("--report-members", type=int, default=4, metavar="N",
                        help="members shown per cluster, the least similar first (default: 4)")
    parser.add_argument("--report-seed", type=int, default=1, metavar="N",
                        help="seed of the report's random samples (default: 1)")


def add_parsers(sub: Any, exit_codes: str) -> None:
    """Add the ``report`` and ``explain`` subcommands to ``sub`` (argparse subparsers)."""
    report = sub.add_parser("report", help=_REPORT_HELP, description=_REPORT_HELP,
                            epilog=_REPORT_EXAMPLES + "\n" + exit_codes,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("run_output", metavar="RUN_OUTPUT",
                        help="the output of 'newsclean run' / 'dedup' (.jsonl[.gz|.zst] or .parquet)")
    report.add_argument("-o", "--output", required=True, metavar="REPORT.html", help="the HTML file to write")
    report.add_argument("--rejects", metavar="PATH", help="the run's rejects file (rejects by reason)")
    report.add_argument("--stats", metavar="PATH", help="the run's --stats JSON (records in, rejects)")
    report.add_argument("--input", action="append", default=[], metavar="INPUT",
                        help="the run's input (repeatable): adds strip's per-line decisions")
    report.add_argument("--from", dest="source", choices=["auto", "html", "text"], default="auto",
                        help="as given to 'newsclean run' (default: auto)")
    report.add_argument("--text-field", default="text", help="input field with the text (default: text)")
    report.add_argument("--html-field", default="html", help="input field with the HTML (default: html)")
    report.add_argument("--id-field", default="id", help="record id field (default: id)")
    report.add_argument("--source-field", default="source",
                        help="output field counted per source (default: source; else site_name, URL host)")
    report.add_argument("--threshold", type=float, default=0.5,
                        help="the run's --threshold, for the evidence (default: 0.5)")
    _sampling_options(report)
    _quiet_verbose(report)
    explain = sub.add_parser("explain", help=_EXPLAIN_HELP, description=_EXPLAIN_HELP,
                             epilog=_EXPLAIN_EXAMPLES + "\n" + exit_codes,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    explain.add_argument("text_a", metavar="A.txt", help="first text file (UTF-8)")
    explain.add_argument("text_b", metavar="B.txt", help="second text file (UTF-8)")
    explain.add_argument("--threshold", type=float, default=0.5,
                         help="Jaccard similarity from which two texts are copies (default: 0.5)")
    explain.add_argument("--json", action="store_true", help="print the evidence as JSON")
    _quiet_verbose(explain)


def _quiet_verbose(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)")
    parser.set_defaults(jobs=1, chunk_size=1)  # what newsclean.cli checks of every command


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """``run --report PATH`` (and the sampling options)."""
    parser.add_argument("--report", metavar="PATH",
                        help="also write an HTML report of the run (extra 'report'; see 'newsclean report')")
    _sampling_options(parser)


def add_strip_options(parser: argparse.ArgumentParser) -> None:
    """``strip --explain [PATH]``."""
    parser.add_argument("--explain", nargs="?", const="", default=None, metavar="PATH",
                        help="also write strip's decision for every input line (line, kept, reason, score) "
                             "as JSONL; default path: beside the output, NAME.decisions.jsonl")


def _report_config(args: argparse.Namespace) -> ReportConfig:
    from .scan import ReportConfig

    return ReportConfig(largest_clusters=args.report_clusters, random_clusters=args.report_clusters,
                        members_per_cluster=args.report_members, seed=args.report_seed,
                        id_field=args.id_field, text_field=getattr(args, "text_field", "text"),
                        source_field=getattr(args, "source_field", "source"))


def explain_path(args: argparse.Namespace) -> None:
    """Resolve ``strip --explain``'s default path (beside the output); refuse it with stdin."""
    if getattr(args, "explain", None) is not None:
        if "-" in args.inputs:
            msg = "--explain reads the input again: give it as a file, not stdin"
            raise InputError(msg)
        from .decisions import decisions_path

        args.explain = args.explain or decisions_path(args.output)


def check_options(args: argparse.Namespace) -> None:
    """Refuse, before any work, report options that cannot be honoured (paths: ``check_paths``)."""
    if getattr(args, "report", None):
        if args.output == "-":
            msg = "--report needs -o FILE: the report reads the output file back"
            raise InputError(msg)
        _report_config(args)
        from .._optional import require

        require("jinja2", extra="report", purpose="the HTML report (--report)")


def after_run(args: argparse.Namespace, summary: Any, config: Any) -> None:
    """After a run: write the report (``run --report``) or the decisions (``strip --explain``)."""
    if getattr(args, "report", None):
        from ..cluster import DedupConfig
        from .render import write_report

        stats = write_report(
            args.output, args.report, rejects_path=args.rejects, summary=summary,
            inputs=[p for p in args.inputs if p != "-"], pipeline=config,
            config=_report_config(args), dedup=DedupConfig(threshold=args.threshold),
            run_inputs=args.inputs,
        )
        _say(args, f"newsclean {args.command}: report {stats.path} ({stats.size / 1024:.0f} KB, "
                   f"{stats.seconds:.1f} s)")
    if getattr(args, "explain", None):
        from .decisions import write_strip_explanations

        n = write_strip_explanations(args.inputs, args.explain, config)
        _say(args, f"newsclean {args.command}: per-line decisions of {n} records in {args.explain}")


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr)


def run_command(args: argparse.Namespace) -> int:
    """``newsclean report`` or ``newsclean explain``; returns the exit code (errors raise)."""
    if args.command == "explain":
        return _run_explain(args)
    return _run_report(args)


def _run_report(args: argparse.Namespace) -> int:
    from ..cluster import DedupConfig
    from ..etl import PipelineConfig
    from ..etl.output import check_distinct
    from .render import write_report

    check_distinct([args.run_output, args.rejects, args.stats, *args.input], [("report", args.output)])
    summary = None
    if args.stats:
        with open(args.stats, encoding="utf-8") as f:
            try:
                summary = json.load(f)
            except json.JSONDecodeError as exc:
                msg = f"{args.stats}: not the JSON written by --stats ({exc})"
                raise InputError(msg) from exc
        if not isinstance(summary, dict):
            msg = f"{args.stats}: not the JSON written by --stats"
            raise InputError(msg)
    mode = {"auto": "auto", "html": "extract", "text": "strip"}[args.source]
    pipeline = PipelineConfig(mode=mode, text_field=args.text_field,  # type: ignore[arg-type]
                              html_field=args.html_field, id_field=args.id_field)
    stats = write_report(args.run_output, args.output, rejects_path=args.rejects, summary=summary,
                         inputs=args.input, pipeline=pipeline, config=_report_config(args),
                         dedup=DedupConfig(threshold=args.threshold))
    _say(args, f"newsclean report: {stats.path} ({stats.size / 1024:.0f} KB) from {stats.rows} rows, "
               f"{stats.clusters_shown} clusters shown; {stats.seconds:.1f} s")
    return 0


def _read_text(path: str) -> str:
    if not os.path.isfile(path):
        msg = f"not a file: {path}"
        raise InputError(msg)
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{path}: not UTF-8 text (byte {exc.start}); convert it first"
        raise InputError(msg) from exc


def _run_explain(args: argparse.Namespace) -> int:
    from ..duplicates import explain_pair
    from ..duplicates.config import DedupConfig
    from ..normalize import normalize
    from .evidence import evidence_dict, evidence_lines

    config = DedupConfig(threshold=args.threshold)
    text_a, text_b = normalize(_read_text(args.text_a)), normalize(_read_text(args.text_b))
    evidence = explain_pair(text_a, text_b, config)
    if args.json:
        print(json.dumps(evidence_dict(evidence, text_a, text_b), ensure_ascii=False, indent=2))
    else:
        print("\n".join(evidence_lines(evidence, text_a, text_b, config, names=(args.text_a, args.text_b))))
    return 0
