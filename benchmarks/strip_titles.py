"""Title accuracy of ``newsclean.strip`` per DEV set and dump style, its ceiling and its misses.

Gold titles and the hit test are ``strip_quality.py``'s (``gold_title``, ``title_hit``:
imported): wcxb_dev's ``title``; dragnet's first gold line when the page's ``<title>``
holds it (scrapinghub_aeb has no titles). Per set (split into even and odd pages, by
their order in the set: the misses of dragnet's even pages were read to write the
headline rules, the odd pages and wcxb_dev were not; and all pages) and dump style it
prints:

- accuracy: the share of pages whose headline found is a hit;
- ceiling: the share of pages where some line of the dump is a hit (a headline finder
  that picks one line of the dump cannot do better);
- the misses: no title found / the gold title left in the body (a body paragraph is a
  hit) / a wrong line (the gold title is another line of the dump, or no line of it);
- body F1 (bag-of-words macro F1 of ``../shared/tools/eval_extract.py``) on every 4th
  page with a gold title, to check that a headline rule does not cost body text;
  ``--body`` prints it instead on every 4th page of all three DEV sets (scrapinghub_aeb
  too, titles or not).

The shipped model throughout; one ``strip`` per page and style (a few minutes at most).

    python benchmarks/strip_titles.py                      # dragnet and wcxb_dev
    python benchmarks/strip_titles.py --sets dragnet --misses 40 --half even   # read misses
    python benchmarks/strip_titles.py --body               # body F1, every 4th page of each set
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import newsclean  # noqa: E402
from strip_quality import DUMPS, bow_scores, gold_title, title_hit  # noqa: E402
from strip_train import load_sets  # noqa: E402

TITLED_SETS = ("dragnet", "wcxb_dev")
DEV_SETS = ("scrapinghub_aeb", "dragnet", "wcxb_dev")
BODY_EVERY = 4
HALVES = ("even", "odd")


@dataclass
class Tally:
    """Counts of one (set, half, dump style)."""

    pages: int = 0
    hits: int = 0
    ceiling: int = 0
    none: int = 0
    in_body: int = 0
    wrong_in_dump: int = 0
    wrong_not_in_dump: int = 0
    f1: list[float] = field(default_factory=list)
    misses: list[tuple[str, str, str | None, str]] = field(default_factory=list)

    def row(self) -> str:
        n = self.pages or 1
        f1 = sum(self.f1) / len(self.f1) if self.f1 else float("nan")
        return (f"{self.hits / n:.3f} | {self.ceiling / n:.3f} | {self.none / n:.3f} | {self.in_body / n:.3f} | "
                f"{self.wrong_in_dump / n:.3f} | {self.wrong_not_in_dump / n:.3f} | {f1:.4f} ({len(self.f1)})")


def score_page(rec: dict[str, Any], key: str, gold: str, index: int, tally: Tally) -> None:
    """Strip one dump and count its title outcome (and its body F1 on every 4th page)."""
    dump = rec[key]
    art = newsclean.strip(dump)
    tally.pages += 1
    in_dump = any(title_hit(line, gold) for line in dump.split("\n") if line.strip())
    tally.ceiling += in_dump
    if index % BODY_EVERY == 0:
        tally.f1.append(bow_scores(rec.get("text") or "", art.text)["f1"])
    if title_hit(art.title, gold):
        tally.hits += 1
        return
    if any(title_hit(p, gold) for p in art.paragraphs):
        kind = "in body"
        tally.in_body += 1
    elif art.title is None:
        kind = "none"
        tally.none += 1
    elif in_dump:
        kind = "wrong (gold in dump)"
        tally.wrong_in_dump += 1
    else:
        kind = "wrong (gold not in dump)"
        tally.wrong_not_in_dump += 1
    tally.misses.append((rec["id"], kind, art.title, gold))


def body_f1() -> None:
    """Body F1 of strip on every 4th page of each DEV set, both dump styles."""
    print(f"body F1 of strip (shipped model), every {BODY_EVERY}th page of each set\n")
    print("| set | pages | " + " | ".join(k[5:] for k in DUMPS) + " |")
    print("|---|---:|" + "---:|" * len(DUMPS))
    for s in DEV_SETS:
        recs = load_sets([s])[::BODY_EVERY]
        cells = []
        for key in DUMPS:
            f1 = [bow_scores(r.get("text") or "", newsclean.strip(r[key]).text)["f1"] for r in recs]
            cells.append(f"{sum(f1) / len(f1):.4f}")
        print(f"| {s} | {len(recs)} | " + " | ".join(cells) + " |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=list(TITLED_SETS), help="DEV sets with titles to score")
    ap.add_argument("--half", choices=(*HALVES, "both"), default="both", help="even pages, odd pages or both (then all pages too)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages of each set")
    ap.add_argument("--misses", type=int, default=0, help="print the first N misses of each set and style")
    ap.add_argument("--body", action="store_true", help="only body F1 on every 4th page of all three DEV sets")
    a = ap.parse_args()
    if a.body:
        body_f1()
        return
    halves = (*HALVES, "all") if a.half == "both" else (a.half,)
    print("title accuracy of strip (shipped model); shares of the pages with a gold title; "
          f"body F1 on every {BODY_EVERY}th of them (pages scored)\n")
    print("| set | pages | dump | accuracy | ceiling | miss: none | miss: in body | miss: wrong, gold in dump | "
          "miss: wrong, gold not in dump | body F1 |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in a.sets:
        recs = [r for r in load_sets([s])]
        if a.limit:
            recs = recs[:a.limit]
        for half in halves:
            chosen = [(i, r, g) for i, r in enumerate(recs) if half == "all" or i % 2 == HALVES.index(half)
                      for g in [gold_title(r)] if g]
            for key in DUMPS:
                tally = Tally()
                for n, (_, rec, gold) in enumerate(chosen):
                    score_page(rec, key, gold, n, tally)
                print(f"| {s} | {half} ({tally.pages}) | {key[5:]} | {tally.row()} |", flush=True)
                for page_id, kind, found, gold in tally.misses[:a.misses]:
                    print(f"    {page_id} [{kind}] found={found!r} gold={gold!r}")


if __name__ == "__main__":
    main()
