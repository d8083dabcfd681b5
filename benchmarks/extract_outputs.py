"""Save every ``Article`` field of the default ``extract`` on the DEV pages, or compare two saves.

The check behind "outputs identical" claims of exact speed-ups: save once with the old code
(e.g. ``PYTHONPATH=/tmp/base/src``, from ``git archive main src | tar -x -C /tmp/base``), once
with the new, and compare; every field of every page must be equal.

    PYTHONPATH=/tmp/base/src python benchmarks/extract_outputs.py save /tmp/old.jsonl.gz
    python benchmarks/extract_outputs.py save /tmp/new.jsonl.gz
    python benchmarks/extract_outputs.py compare /tmp/old.jsonl.gz /tmp/new.jsonl.gz
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import DATASETS, read_records  # noqa: E402


def save(out: str, sets: list[str]) -> int:
    """Write one JSON line per page: set, id and the Article's fields."""
    import newsclean

    print(f"newsclean from {newsclean.__file__}", file=sys.stderr)
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        for name in sets:
            for rec in read_records(name):
                art = newsclean.extract(rec.get("html") or "")
                row = [name, rec.get("id"), dataclasses.asdict(art)]
                handle.write(json.dumps(row, ensure_ascii=False, default=repr) + "\n")
    return 0


def compare(old: str, new: str) -> int:
    """Print how many pages differ (0 is the pass); exit 1 if any does."""
    with gzip.open(old, "rt", encoding="utf-8") as a, gzip.open(new, "rt", encoding="utf-8") as b:
        left = [json.loads(line) for line in a]
        right = [json.loads(line) for line in b]
    differ = [(x[0], x[1]) for x, y in zip(left, right, strict=False) if x != y]
    print(f"pages: {len(left)} / {len(right)}; differ: {len(differ)} {differ[:10]}")
    return 0 if not differ and len(left) == len(right) else 1


def main(argv: list[str] | None = None) -> int:
    """``save OUT [--sets ...]`` or ``compare OLD NEW``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_save = sub.add_parser("save")
    p_save.add_argument("out")
    p_save.add_argument("--sets", default=",".join(DATASETS))
    p_compare = sub.add_parser("compare")
    p_compare.add_argument("old")
    p_compare.add_argument("new")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    if args.command == "save":
        return save(args.out, args.sets.split(","))
    return compare(args.old, args.new)


if __name__ == "__main__":
    raise SystemExit(main())
