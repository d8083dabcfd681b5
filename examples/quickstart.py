"""Quickstart: the four stages of newsclean on a small story written for this example.

Run: python examples/quickstart.py
"""

from __future__ import annotations

import newsclean

PARAGRAPHS = [
    "The city council of Port Allen voted 31 to 12 on Tuesday to approve a new tram line "
    "linking the harbour district with the university campus.",
    "The 9.4 kilometre line will have 14 stops and is expected to carry about 40,000 "
    "passengers a day once it opens in 2029, the council said.",
    "Supporters said the tram would relieve the crowded bus routes along Quay Road; "
    "opponents warned of years of construction in the old town.",
]

# 1. A news page as bytes in a legacy charset, with its site's chrome around the article.
HTML = (
    '<html><head><meta charset="windows-1252"><title>Tram line approved</title>'
    '<meta property="og:site_name" content="Port Allen Daily"></head><body>'
    '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
    "<article><h1>Tram line approved</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "<p>Share this article</p></article>"
    "<footer>\u00a9 2026 Port Allen Daily</footer></body></html>"
).encode("cp1252")

# 2. The same article as a plain-text dump of the rendered page.
DUMP = "\n".join(
    ["Port Allen Daily", "  \u2022 News", "  \u2022 Politics", "  \u2022 Sport", "",
     "Tram line approved", "", *[p + "\n" for p in PARAGRAPHS], "Share", "",
     "Most Read", "  \u2022 Storm warning for the coast tonight",
     "  \u2022 Harbour festival cancelled", "", "\u00a9 2026 Port Allen Daily. All rights reserved."]
)

# 3. A republication with typographic changes and a wire prefix, and an unrelated story.
REPUBLISHED = "PORT ALLEN (Wire) \u2014 " + "\n\n".join(PARAGRAPHS).replace("'", "\u2019")
OTHER = (
    "The harbour festival planned for Saturday was cancelled after forecasters issued a "
    "storm warning for the whole coast, the organisers said on Thursday evening."
)


def main() -> None:
    page = newsclean.extract(HTML, url="https://example.com/tram")
    print(f"extract: status={page.status} title={page.title!r} site={page.site_name!r}")
    print(f"  {len(page.paragraphs)} paragraphs, method {page.method}")

    dump = newsclean.strip(DUMP, explain=True)
    dropped = sorted({d.reason for d in dump.decisions if not d.kept and d.text.strip()})
    print(f"strip: status={dump.status} title={dump.title!r}, "
          f"{len(dump.paragraphs)} paragraphs; dropped lines as {dropped}")

    texts = [page.text, dump.text, REPUBLISHED, OTHER]
    ids = ["html", "dump", "wire", "other"]
    result = newsclean.dedup(texts, ids=ids)
    print(f"dedup: labels {dict(zip(ids, result.labels, strict=True))}")

    reuse = newsclean.find_reuse([REPUBLISHED, OTHER + "\n\n" + PARAGRAPHS[1]], ids=["wire", "other"])
    print(f"find_reuse: {len(reuse.matches)} reused paragraph(s)")

    if result.labels != ("dump", "dump", "dump", "other") or len(reuse.matches) != 1:
        msg = f"unexpected result: {result.labels}, {reuse.matches}"
        raise SystemExit(msg)


if __name__ == "__main__":
    main()
