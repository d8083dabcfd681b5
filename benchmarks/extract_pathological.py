"""Time newsclean.extract (and trafilatura beside it) on pathological pages.

Pages (all generated here, no data needed):

- ``20mb``: a 20 MB page: an article followed by ~20 MB of teaser blocks. newsclean
  cuts pages at ``ExtractConfig.max_chars`` (5,000,000 characters, documented) at a
  tag boundary, so its time is bounded by the cut.
- ``deep``: 10,000 nested ``<div>`` around an article (lxml's HTML parser stops nesting
  at its depth limit; selectolax does not recurse).
- ``no-text``: 2 MB of markup without a single visible word (empty divs, scripts, styles).
- ``one-node``: a single 5 MB text node without markup inside.
- ``attrs``: 50,000 elements each with many attributes.
- ``attrs-one``: one element with 100,000 attributes (1.5 MB); lexbor's parse is
  quadratic in the attributes of one element, so ``extract`` keeps the first 256.

    python benchmarks/extract_pathological.py           # all pages
    python benchmarks/extract_pathological.py --quick   # smaller versions (CI smoke run)
"""

from __future__ import annotations

import argparse
import logging
import signal
import time
from collections.abc import Callable
from types import FrameType

ARTICLE = "".join(
    f"<p>Paragraph {i}: the council met again on Tuesday to discuss the harbour bridge and its repairs.</p>"
    for i in range(12)
)


def pages(scale: float) -> dict[str, str]:
    """The pathological pages; ``scale`` < 1 makes them smaller."""
    teaser = '<div class="teaser"><a href="/x">Another story about the harbour</a><span>2 min read</span></div>'
    deep = int(10_000 * min(scale * 10, 1.0))
    return {
        "20mb": f"<html><body><article>{ARTICLE}</article>" + teaser * int(20_000_000 * scale / len(teaser)) + "</body></html>",
        "deep": "<html><body>" + "<div>" * deep + ARTICLE + "</div>" * deep + "</body></html>",
        "no-text": "<html><head><style>p{}</style></head><body>"
        + '<div class="x"><span></span><script>var a=1;</script></div>' * int(2_000_000 * scale / 56)
        + "</body></html>",
        "one-node": "<html><body><p>" + "word " * int(1_000_000 * scale) + "</p></body></html>",
        "attrs": "<html><body>"
        + '<div a="1" b="2" c="3" d="4" e="5" f="6" g="7" h="8">x</div>' * int(50_000 * scale)
        + "</body></html>",
        "attrs-one": "<html><body><div "
        + " ".join(f'a{i}="{i}"' for i in range(int(100_000 * min(scale * 4, 1.0))))
        + f">{ARTICLE}</div></body></html>",
    }


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def timed(func: Callable[[str], object], html: str, timeout_s: float) -> tuple[float, str]:
    """Seconds taken and a short outcome (``"ok"``, ``"timeout"``, or the exception)."""
    signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    outcome = "ok"
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        result = func(html)
        status = getattr(result, "status", None)
        outcome = status if isinstance(status, str) else ("empty" if not result else "ok")
    except _Timeout:
        outcome = "timeout"
    except Exception as exc:  # noqa: BLE001 - the outcome is what we report
        outcome = type(exc).__name__
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - start, outcome


def main(argv: list[str] | None = None) -> int:
    """Print a table of times per page and system."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="pages at 1/20 size")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per call")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    import trafilatura

    import newsclean

    systems: dict[str, Callable[[str], object]] = {
        "newsclean.extract": newsclean.extract,
        "trafilatura (include_comments=False)": lambda h: trafilatura.extract(h, include_comments=False),
    }
    print("| page | size (chars) | system | seconds | outcome |")
    print("|---|---|---|---|---|")
    for name, html in pages(0.05 if args.quick else 1.0).items():
        for label, func in systems.items():
            seconds, outcome = timed(func, html, args.timeout)
            print(f"| {name} | {len(html):,} | {label} | {seconds:.2f} | {outcome} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
