"""``cap_attributes`` as one pass of its pattern over the whole markup: the test oracle of
the faster scan (which searches only the pieces long enough to hold a long tag)."""

from __future__ import annotations

import re

from newsclean.extraction import _ATTRIBUTE, _LONG_TAG, _LONG_TAG_CHARS


def one_pass_cap(text: str, limit: int) -> str:
    """Every tag of ``_LONG_TAG`` keeps its first ``limit`` attributes; short markup is unchanged."""
    if len(text) < _LONG_TAG_CHARS:
        return text

    def cut(match: re.Match[str]) -> str:
        found: list[str] = []
        for attribute in _ATTRIBUTE.finditer(match.group(2)):
            if len(found) == limit:
                return f"<{match.group(1)} " + " ".join(found)
            found.append(attribute.group())
        return match.group()

    return _LONG_TAG.sub(cut, text)
