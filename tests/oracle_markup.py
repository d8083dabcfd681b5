"""``cap_attributes`` as one pass of its pattern over the whole markup: the test oracle of
the faster scan (which searches only the pieces long enough to hold a long tag). Both cut
a tag by ``cut_tag``: what is checked is where the pattern is applied."""

from __future__ import annotations

import functools

from newsclean.extraction import _LONG_TAG, _LONG_TAG_CHARS, cut_tag


def one_pass_cap(text: str, limit: int) -> str:
    """Every tag of ``_LONG_TAG`` keeps its first ``limit`` attributes; short markup is unchanged."""
    if len(text) < _LONG_TAG_CHARS:
        return text
    return _LONG_TAG.sub(functools.partial(cut_tag, limit=limit), text)
