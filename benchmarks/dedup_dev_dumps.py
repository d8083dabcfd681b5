"""Chaining check on real page dumps: ``newsclean run --from text`` on the DEV sets' dumps.

Every page of the three extraction DEV sets (``../shared/data/extraction``: scrapinghub_aeb,
dragnet, wcxb_dev) has two plain-text dumps of the whole page (lynx and inscriptis).
All dumps go through ``newsclean run --from text`` (strip, normalize, dedup) in one run.
Then, judged by the gold article bodies:

- clusters that join two *different* articles (members from pages whose gold bodies
  have word 5-gram Jaccard < 0.5), and how many such pairs;
- the pages whose two dumps land in one cluster (the same article, rendered twice), of
  the pages whose two dumps both keep text.

It runs twice: records with a ``text`` only, and records that also carry their site (the
URL's host, and the renderer: one site's pages rendered alike) through ``--site-field``,
so that ``strip_many`` removes what repeats across a site's pages, as a crawl that keeps
its URLs would.

    python benchmarks/dedup_dev_dumps.py            # all three sets
    python benchmarks/dedup_dev_dumps.py --quick    # the first 300 pages
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsclean.duplicates import DedupConfig, similarity, sketch_texts  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", ROOT.parent / "shared"))
SETS = ("scrapinghub_aeb", "dragnet", "wcxb_dev")


def load_pages(limit: int | None) -> list[dict[str, str]]:
    pages: list[dict[str, str]] = []
    for name in SETS:
        with gzip.open(SHARED / "data" / "extraction" / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                pages.append({"page": f"{name}:{rec['id']}", "gold": rec.get("text") or "",
                              "site": urlsplit(rec.get("url") or "").hostname or "",
                              "lynx": rec.get("dump_lynx") or "", "inscriptis": rec.get("dump_inscriptis") or ""})
    return pages[:limit] if limit else pages


def gold_jaccard(pages: dict[str, str], a: str, b: str) -> float:
    sk = sketch_texts([pages[a], pages[b]], ["a", "b"])
    jac, _ = similarity(sk, np.array([[0, 1]]), DedupConfig())
    return float(jac[0])


def run(pages: list[dict[str, str]], jobs: str, with_site: bool) -> list[dict[str, object]]:
    """``newsclean run --from text`` over every dump; its output rows."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "dumps.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for p in pages:
                for kind in ("lynx", "inscriptis"):
                    if p[kind].strip():
                        rec = {"id": f"{p['page']}#{kind}", "text": p[kind], "site": f"{p['site']}#{kind}"}
                        fh.write(json.dumps(rec) + "\n")
        cmd = [sys.executable, "-m", "newsclean", "run", str(src), "-o", str(out), "--from", "text",
               "--quiet", "--jobs", jobs]
        if with_site:
            cmd += ["--site-field", "site"]
        subprocess.run(cmd, check=True)
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def report(pages: list[dict[str, str]], rows: list[dict[str, object]], title: str) -> None:
    gold = {p["page"]: p["gold"] for p in pages}
    clusters: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        clusters[str(row["cluster_id"])].append(str(row["id"]))
    wrong_clusters = 0
    wrong_pairs = 0
    pairs = 0
    for members in clusters.values():
        page_ids = sorted({m.split("#")[0] for m in members})
        bad = 0
        for i, a in enumerate(page_ids):
            for b in page_ids[i + 1 :]:
                pairs += 1
                if gold_jaccard(gold, a, b) < 0.5:
                    bad += 1
        wrong_pairs += bad
        wrong_clusters += bad > 0
    of_page: dict[str, set[str]] = defaultdict(set)
    kept: dict[str, int] = defaultdict(int)
    for row in rows:
        page = str(row["id"]).split("#")[0]
        of_page[page].add(str(row["cluster_id"]))
        kept[page] += row["status"] == "ok"
    both = [p["page"] for p in pages if kept[p["page"]] == 2]
    together = sum(1 for p in both if len(of_page[p]) == 1)
    multi = sum(1 for m in clusters.values() if len({x.split("#")[0] for x in m}) > 1)
    print(f"## {title}")
    print(f"{len(pages)} pages, {len(rows)} dumps through newsclean run --from text")
    print(f"clusters with dumps of several pages: {multi}; joining different articles: {wrong_clusters} "
          f"({wrong_pairs} of {pairs} page pairs, gold Jaccard < 0.5)")
    print(f"pages whose two dumps share a cluster: {together}/{len(both)} ({together / len(both):.3f}) "
          "of the pages whose two dumps keep text")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the first 300 pages")
    parser.add_argument("--jobs", default="2")
    args = parser.parse_args(argv)
    pages = load_pages(300 if args.quick else None)
    report(pages, run(pages, args.jobs, with_site=False), "text only")
    report(pages, run(pages, args.jobs, with_site=True), "with --site-field (URL host + renderer)")


if __name__ == "__main__":
    main()
