"""Choose the tail-trimming rules (``newsclean.extraction.tail``) leave-one-dataset-out.

Reads the vote's bodies cached by ``benchmarks/extract_dev_cache.py`` (``--out``
folder, ``verdict`` per page) and the text blocks cached by ``extract_train.featurize``,
applies every rule setting of a small grid after the vote (before chrome removal, as
``extract`` does) and scores it with the reference scorer's functions. For each DEV set
the setting with the best mean F1 gain on the *other two* sets is chosen and scored on
the held-out one; by-site folds on wcxb_dev likewise (choose on the other folds' sites).

    python benchmarks/extract_dev_cache.py --no-candidates --out /tmp/newsclean-dev2
    python benchmarks/extract_tail_tune.py --cache /tmp/newsclean-dev2
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _extract_anchors import DATASETS, SHARED, read_records  # noqa: E402


def _reference() -> Any:
    sys.path.insert(0, str(SHARED / "tools"))
    import eval_extract

    return eval_extract


def grid() -> list[Any]:
    """The rule settings tried (``None``: no trimming)."""
    from newsclean.extraction.tail import TailRules

    settings: list[Any] = [None]
    values = itertools.product((False, True), (2.0, 0.9, 0.7, 0.5), (False, True), (0.3, 0.6))
    for headings, density, comments, position in values:
        if headings or density <= 1.0 or comments:
            settings.append(TailRules(headings=headings, link_density=density, comments=comments, min_position=position))
    return settings


def label(rules: Any) -> str:
    """A short name of a setting."""
    if rules is None:
        return "none"
    density = "off" if rules.link_density > 1 else f"{rules.link_density:g}"
    on = {True: "on", False: "off"}
    return f"headings={on[rules.headings]} links>={density} comments={on[rules.comments]} from={rules.min_position:g}"


def pages(dataset: str, cache: Path) -> list[dict[str, Any]]:
    """Per page: gold text, site, cached verdict and title, blocks."""
    import extract_train
    from newsclean.extraction.blocks import PageBlocks

    with gzip.open(cache / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as fh:
        dev = {row["id"]: row for row in map(json.loads, fh)}
    feats = {p["id"]: p for p in extract_train.featurize(dataset)}
    out = []
    for rec in read_records(dataset):
        f = feats[rec["id"]]
        blocks = PageBlocks(f["texts"], f["X"], f["page"], ())
        out.append({"id": rec["id"], "gold": rec.get("text") or "", "site": f["site"], "verdict": tuple(dev[rec["id"]]["verdict"]),
                    "title": dev[rec["id"]]["title"], "blocks": blocks, "page_type": dev[rec["id"]]["page_type"]})  # fmt: skip
    return out


def outputs(page_rows: list[dict[str, Any]], rules: Any) -> list[str]:
    """extract's text per page with ``rules`` applied after the vote."""
    import newsclean
    from newsclean.extraction import _clean
    from newsclean.extraction.chrome import remove_chrome
    from newsclean.extraction.tail import trim_tail

    config = replace(newsclean.ExtractConfig(), remove_chrome=False)
    texts = []
    for page in page_rows:
        if "cleaned" not in page:
            page["cleaned"] = _clean(page["verdict"], page["title"], config)
        paragraphs = page["cleaned"]
        if rules is not None:
            paragraphs = trim_tail(paragraphs, page["blocks"], rules).paragraphs
        texts.append("\n\n".join(remove_chrome(paragraphs)))
    return texts


def f1_of(page_rows: list[dict[str, Any]], texts: list[str]) -> dict[str, float]:
    """Macro P, R and F1 of the averages (the reference scorer's summary)."""
    ref = _reference()
    rows = [{"id": p["id"], "ms": 0.0, "error": None, "output": t, **ref.bow_scores(p["gold"], t)}
            for p, t in zip(page_rows, texts, strict=True)]  # fmt: skip
    s = ref.summarize(rows)
    return {"p": s["precision"], "r": s["recall"], "f1": s["f1"]}


def main(argv: list[str] | None = None) -> int:
    """Print the grid per set and the leave-one-dataset-out choice."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/newsclean-dev2"))
    parser.add_argument("--site-folds", type=int, default=5)
    args = parser.parse_args(argv)
    settings = grid()
    data = {name: pages(name, args.cache) for name in DATASETS}
    results: dict[str, list[dict[str, float]]] = {}
    texts: dict[str, list[list[str]]] = {}
    for name, rows in data.items():
        texts[name] = [outputs(rows, s) for s in settings]
        results[name] = [f1_of(rows, t) for t in texts[name]]
    print("| setting | " + " | ".join(DATASETS) + " |\n|---|" + "---|" * len(DATASETS))
    for i, s in enumerate(settings):
        cells = [f"{results[n][i]['f1']:.4f} (P {results[n][i]['p']:.3f})" for n in DATASETS]
        print(f"| {label(s)} | " + " | ".join(cells) + " |")
    print("\nleave-one-dataset-out (chosen on the other two sets by mean F1 gain):")
    for held in DATASETS:
        others = [n for n in DATASETS if n != held]
        gain = [sum(results[n][i]["f1"] - results[n][0]["f1"] for n in others) / 2 for i in range(len(settings))]
        best = max(range(len(settings)), key=lambda i: (round(gain[i], 6), -i))
        print(f"  {held}: chose {label(settings[best])} (gain on {'+'.join(others)} {gain[best]:+.4f}); "
              f"held-out F1 {results[held][0]['f1']:.4f} -> {results[held][best]['f1']:.4f} "
              f"({results[held][best]['f1'] - results[held][0]['f1']:+.4f})")  # fmt: skip
    if args.site_folds:
        import extract_train

        rows = data["wcxb_dev"]
        folds = extract_train.by_site_folds(rows, args.site_folds)
        print(f"\nwcxb_dev by-site {args.site_folds} folds (chosen on the other folds):")
        chosen_texts: list[str] = [""] * len(rows)
        for fold in range(args.site_folds):
            train = [k for k, f in enumerate(folds) if f != fold]
            scores = [f1_of([rows[k] for k in train], [t[k] for k in train])["f1"] for t in texts["wcxb_dev"]]
            best = max(range(len(settings)), key=lambda i: (round(scores[i], 6), -i))
            for k, f in enumerate(folds):
                if f == fold:
                    chosen_texts[k] = texts["wcxb_dev"][best][k]
            print(f"  fold {fold}: chose {label(settings[best])}")
        print(f"  wcxb_dev F1 {results['wcxb_dev'][0]['f1']:.4f} -> {f1_of(rows, chosen_texts)['f1']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
