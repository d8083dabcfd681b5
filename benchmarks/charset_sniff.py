"""How often an undeclared legacy-encoded page is decoded as it was written.

Pages without a charset declaration, not UTF-8, are the ones whose charset must be
guessed (:func:`newsclean.extraction.charset.sniff_charset`). Two sample sets, in one run:

- **DEV pages re-encoded**: the HTML of every page of the three DEV extraction sets, its
  ``<meta charset>`` removed, encoded in the legacy charset(s) of its language (by the
  gold text: English and Western European in windows-1252, Russian in windows-1251 and
  KOI8-R, Japanese in Shift_JIS and EUC-JP, ...; a character the charset lacks becomes a
  numeric reference, as legacy publishing systems wrote it). Pages that stay ASCII are
  left out (they need no guess).
- **Stopword pages**: short and long pages (150 to 4,000 characters of text in simple
  markup) made of random sentences of jusText's stopwords (bundled with trafilatura) for
  33 languages, in each language's legacy charsets (windows-1250 and ISO-8859-2 for
  Polish, Czech, ...; windows-1257 for the Baltic languages, ...). Seeded.

A page counts as right when the decoded text equals the text it was made from. Systems:
the previous rule (charset_normalizer's best guess), newsclean's sniffer without a URL,
and with the page's URL (its top-level domain, DEV pages only). ms/page is the mean guess
time.

``--texts``: the same for plain texts (:func:`newsclean.extraction.charset.decode_text`,
what the ETL does with a folder's ``.txt`` files and binary text columns): the DEV pages'
gold texts and the stopword pages' paragraphs, re-encoded the same way, against the
previous rule (a text that is not UTF-8 was a reject: never right).

    python benchmarks/charset_sniff.py
    python benchmarks/charset_sniff.py --texts
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import os
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "extraction"
DEV_SETS = ("scrapinghub_aeb", "dragnet", "wcxb_dev")
DEV_CODECS = {
    "en": ["cp1252"], "fr": ["cp1252"], "de": ["cp1252"], "es": ["cp1252"], "it": ["cp1252"],
    "pt": ["cp1252"], "nl": ["cp1252"], "ru": ["cp1251", "koi8_r"], "uk": ["cp1251"],
    "bg": ["cp1251"], "ja": ["shift_jis", "euc_jp"], "zh": ["gb18030", "big5"], "ko": ["euc_kr"],
}
STOPWORD_CODECS = {
    "Polish": ["cp1250", "iso8859_2"], "Czech": ["cp1250", "iso8859_2"], "Slovak": ["cp1250", "iso8859_2"],
    "Hungarian": ["cp1250", "iso8859_2"], "Slovenian": ["cp1250", "iso8859_2"],
    "Croatian": ["cp1250", "iso8859_2"], "Romanian": ["cp1250"], "Lithuanian": ["cp1257", "iso8859_13"],
    "Latvian": ["cp1257", "iso8859_13"], "Estonian": ["cp1257"], "Turkish": ["cp1254", "iso8859_9"],
    "Greek": ["cp1253", "iso8859_7"], "Russian": ["cp1251", "koi8_r", "iso8859_5"],
    "Ukrainian": ["cp1251", "koi8_u"], "Bulgarian": ["cp1251"], "Serbian": ["cp1251"],
    "Macedonian": ["cp1251"], "Hebrew": ["cp1255", "iso8859_8"], "Arabic": ["cp1256"],
    "French": ["cp1252", "iso8859_15"], "German": ["cp1252"], "Spanish": ["cp1252"],
    "Italian": ["cp1252"], "Portuguese": ["cp1252"], "Dutch": ["cp1252"], "Swedish": ["cp1252"],
    "Danish": ["cp1252"], "Finnish": ["cp1252"], "Icelandic": ["cp1252"], "Catalan": ["cp1252"],
    "Norwegian_Bokmal": ["cp1252"], "English": ["cp1252"],
}
_META = re.compile(r"<meta[^>]+charset[^>]*>", re.IGNORECASE)


def _sample(group: str, codec: str, html: str, url: str | None) -> dict[str, Any] | None:
    data = html.encode(codec, errors="xmlcharrefreplace")
    if data.isascii():
        return None
    return {"group": group, "codec": codec, "data": data, "text": data.decode(codec), "url": url}


def _text_sample(sample: dict[str, Any] | None, text: str) -> dict[str, Any] | None:
    """A page's sample made plain text: ``text`` in the page's charset (a character it lacks
    replaced by ``?``, as a legacy export writes it)."""
    if sample is None:
        return None
    data = text.encode(sample["codec"], errors="replace")
    if data.isascii():
        return None
    return {**sample, "data": data, "text": data.decode(sample["codec"])}


def dev_samples(texts: bool = False) -> Iterator[dict[str, Any]]:
    """The DEV pages (``texts``: their gold texts) re-encoded in their language's legacy charsets."""
    from newsclean.language import article_language

    for name in DEV_SETS:
        path = DATA / f"{name}.jsonl.gz"
        if not path.exists():
            print(f"({path} not found: DEV pages skipped)")
            return
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                gold = record.get("text") or ""
                language = (article_language(gold[:2000]) if gold else None) or "en"
                html = _META.sub("", record.get("html") or "")
                for codec in DEV_CODECS.get(language, []):
                    sample = _sample(f"DEV {codec}", codec, html, record.get("url"))
                    if texts:
                        sample = _text_sample(sample, gold)
                    if sample:
                        yield sample


def stopword_samples(seed: int = 1, texts: bool = False) -> Iterator[dict[str, Any]]:
    """Pages (``texts``: their paragraphs) of random stopword sentences in each language's legacy charsets."""
    import justext

    folder = Path(os.path.dirname(justext.__file__)) / "stoplists"
    rng = random.Random(seed)
    for language, charsets in STOPWORD_CODECS.items():
        words = [w.strip() for w in (folder / f"{language}.txt").read_text(encoding="utf-8").splitlines() if w.strip()]
        for n in range(12):
            length, paragraphs, size = (150, 400, 1200, 4000)[n % 4], [], 0
            while size < length:
                sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 18)))
                paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
                size += len(paragraphs[-1])
            html = (f"<html><head><title>{paragraphs[0][:40]}</title></head><body><div class=nav>"
                    "<a href=/>Home</a> | <a href=/news>News</a></div><article>"
                    + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")
            for codec in charsets:
                sample = _sample(f"stopwords {codec}", codec, html, None)
                if texts:
                    sample = _text_sample(sample, "\n\n".join(paragraphs))
                if sample:
                    yield sample


def _charset_normalizer(sample: dict[str, Any]) -> str | None:
    """The previous release's guess: charset_normalizer's best match (sampled the same way)."""
    from charset_normalizer import from_bytes

    data = sample["data"]
    best = from_bytes(data if len(data) <= 200_000 else data[:100_000] + data[-100_000:]).best()
    return None if best is None else best.encoding


def _codec_of(decoded: tuple[str, str] | None) -> str | None:
    return None if decoded is None else decoded[1]


def _decodes_as_written(sample: dict[str, Any], codec: str | None) -> bool:
    if not codec:
        return False
    try:
        return bool(sample["data"].decode(codecs.lookup(codec).name) == sample["text"])
    except (UnicodeDecodeError, LookupError):
        return False


def main(argv: list[str] | None = None) -> int:
    """Print the share of pages decoded as written, per charset group and system."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--texts", action="store_true", help="plain texts (decode_text) instead of pages")
    args = parser.parse_args(argv)
    from newsclean.extraction.charset import decode_text, sniff_charset

    samples = list(dev_samples(args.texts)) + list(stopword_samples(args.seed, args.texts))
    systems: dict[str, Callable[[dict[str, Any]], str | None]] = {
        "charset_normalizer (previous)": _charset_normalizer,
        "newsclean sniff_charset": lambda s: sniff_charset(s["data"]),
        "newsclean sniff_charset + URL": lambda s: sniff_charset(s["data"], s["url"]),
    }
    if args.texts:
        systems = {
            "reject unless UTF-8 (previous)": lambda s: None,
            "newsclean decode_text": lambda s: _codec_of(decode_text(s["data"])),
            "newsclean decode_text + URL": lambda s: _codec_of(decode_text(s["data"], s["url"])),
        }
    right: dict[str, dict[str, list[bool]]] = {name: defaultdict(list) for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    for sample in samples:
        for name, system in systems.items():
            start = time.perf_counter()
            guess = system(sample)
            seconds[name] += time.perf_counter() - start
            right[name][sample["group"]].append(_decodes_as_written(sample, guess))
    first = next(iter(systems))
    groups = sorted({s["group"] for s in samples}, key=lambda g: (not g.startswith("DEV"), g))
    print(f"{len(samples)} pages\n")
    print("| charset group | pages | " + " | ".join(systems) + " |")
    print("|---|---|" + "---|" * len(systems))
    for group in groups:
        n = len(right[first][group])
        print(f"| {group} | {n} | " + " | ".join(f"{sum(right[s][group]) / n:.3f}" for s in systems) + " |")
    for label, chosen in (("all DEV pages", [g for g in groups if g.startswith("DEV")]),
                          ("all stopword pages", [g for g in groups if not g.startswith("DEV")]), ("all", groups)):
        cells = []
        for s in systems:
            flags = [f for g in chosen for f in right[s][g]]
            cells.append(f"{sum(flags) / max(len(flags), 1):.3f}")
        n = sum(len(right[first][g]) for g in chosen)
        print(f"| **{label}** | {n} | " + " | ".join(cells) + " |")
    print("| ms/page (mean) | | " + " | ".join(f"{seconds[s] / len(samples) * 1000:.2f}" for s in systems) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
