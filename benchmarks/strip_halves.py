"""F1 of ``newsclean.strip`` (shipped model) on the even and the odd pages of a DEV set.

A rule written while reading one half of a set (``records[::2]``) is checked on the
other half (``records[1::2]``), which was not read. Run it with the installed newsclean
before and after a change (e.g. one venv per commit):

    python benchmarks/strip_halves.py --set dragnet

Scores are ``../shared/tools/eval_extract.py``'s own (macro bag-of-words F1).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from pathlib import Path

SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
sys.path.insert(0, str(SHARED / "tools"))


def main(argv: list[str] | None = None) -> None:
    """Print F1 inscriptis / lynx for each half."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default="dragnet", choices=["scrapinghub_aeb", "dragnet", "wcxb_dev"])
    args = parser.parse_args(argv)
    path = SHARED / "data" / "extraction" / f"{args.set}.jsonl.gz"
    if not path.exists():
        print(f"shared data not found: {path} (set NEWSCLEAN_SHARED); nothing to measure")
        return
    from eval_extract import bow_scores, summarize

    import newsclean

    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    for name, half in (("even (records[::2])", records[::2]), ("odd (records[1::2])", records[1::2])):
        scores = []
        for style in ("dump_inscriptis", "dump_lynx"):
            rows = []
            for rec in half:
                out = newsclean.strip(rec.get(style) or "").text
                rows.append({**bow_scores(rec.get("text") or "", out), "ms": 0.0, "error": None, "output": out})
            scores.append(summarize(rows)["f1"])
        print(f"{args.set} {name}: {len(half)} pages, F1 inscriptis / lynx {scores[0]:.3f} / {scores[1]:.3f}")


if __name__ == "__main__":
    main()
