"""Build ``src/newsclean/data/strip/stopwords.txt`` from jusText's stoplists.

jusText (BSD 2-Clause, Jan Pomikálek) ships stoplists for ~100 languages. newsclean
uses one language-agnostic set for its "stopword ratio" line feature, so this script
takes the union of the lists of ~30 major news languages, keeps plain alphabetic words
of at most 15 characters and writes them sorted, one per line. The file carries its
origin in a header comment. Run it again only when the language list changes:

    python benchmarks/strip_build_stopwords.py
"""

from __future__ import annotations

from pathlib import Path

import justext

LANGUAGES = (
    "Arabic", "Bulgarian", "Catalan", "Croatian", "Czech", "Danish", "Dutch", "English",
    "Finnish", "French", "German", "Greek", "Hebrew", "Hindi", "Hungarian", "Indonesian",
    "Italian", "Norwegian_Bokmal", "Persian", "Polish", "Portuguese", "Romanian",
    "Russian", "Serbian", "Slovak", "Spanish", "Swedish", "Turkish", "Ukrainian",
    "Vietnamese",
)

OUT = Path(__file__).resolve().parent.parent / "src/newsclean/data/strip/stopwords.txt"


def main() -> None:
    """Write the derived stopword file."""
    words: set[str] = set()
    for lang in LANGUAGES:
        stoplist = justext.get_stoplist(lang)
        for word in stoplist:
            word = word.lower()
            if word.isalpha() and len(word) <= (15 if len(stoplist) <= 1000 else 7):
                words.add(word)
    header = (
        "# Derived from the jusText 3.0 stoplists (BSD 2-Clause, (c) Jan Pomikalek):\n"
        f"# union of {len(LANGUAGES)} languages ({', '.join(LANGUAGES)}),\n"
        "# alphabetic words of <= 15 characters (<= 7 for lists over 1000 words), lowercased. Built by benchmarks/strip_build_stopwords.py\n"
    )
    OUT.write_text(header + "\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {OUT}")


if __name__ == "__main__":
    main()
