"""Quickstart: normalize a few copies of one news item and show that they compare equal.

Run: python examples/quickstart.py
"""

from __future__ import annotations

import newsclean

COPIES = [
    "“Rates will stay on hold,” the central bank said on Tuesday — again…",
    '"RATES will stay on hold," the central bank said on Tuesday - again...',
    "Rates&nbsp;will stay on hold, the central bank said on Tuesday &#8212; again",
]


def main() -> None:
    keys = {newsclean.comparison_form(text) for text in COPIES}
    for text in COPIES:
        print(f"{text!r}\n  -> {newsclean.normalize(text)!r}")
    print(f"distinct comparison forms: {len(keys)}")
    if len(keys) != 1:
        msg = "copies did not compare equal"
        raise SystemExit(msg)


if __name__ == "__main__":
    main()
