"""Wrong arguments to the public functions fail at the call with an InputError that names them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import newsclean
from newsclean import InputError
from newsclean.stripping import TemplateLearner

_STORY = "A story long enough to keep around, with its own words in it, and then some more."


@pytest.mark.parametrize(("call", "name"), [
    (lambda: newsclean.extract("<p>x</p>", config="vote"), "ExtractConfig"),
    (lambda: newsclean.strip(_STORY, config={"min_words": 3}), "StripConfig"),
    (lambda: newsclean.normalize(_STORY, config="NFC"), "NormalizeConfig"),
    (lambda: newsclean.find_reuse([_STORY, _STORY], config=0.5), "ReuseConfig"),
    (lambda: TemplateLearner(config=3), "TemplateConfig"),
])
def test_a_config_of_the_wrong_kind_is_named(call: Callable[[], object], name: str) -> None:
    with pytest.raises(InputError, match=rf"config={name}\(\.\.\.\) or None"):
        call()


@pytest.mark.parametrize("sites", [["a.example"], ["a.example", "b.example", "c.example"]])
def test_strip_many_needs_one_site_per_text(sites: list[str]) -> None:
    with pytest.raises(InputError, match="one site per text"):
        list(newsclean.strip_many([_STORY, _STORY], sites=sites))
    assert len(list(newsclean.strip_many([_STORY, _STORY], sites=["a.example", "b.example"]))) == 2


@pytest.mark.parametrize(("call", "name"), [
    (lambda: newsclean.dedup([_STORY, _STORY], config="exact"), "DedupConfig"),
    (lambda: newsclean.DedupIndex(":memory:"), "DedupConfig"),  # a path where the config goes
])
def test_a_dedup_config_of_the_wrong_kind_is_named(call: Callable[[], object], name: str) -> None:
    with pytest.raises(InputError, match=rf"config={name}\(\.\.\.\) or None"):
        call()


def test_dedup_of_a_generator_says_to_pass_a_list() -> None:
    with pytest.raises(InputError, match=r"pass list\(texts\)"):
        newsclean.dedup(t for t in [_STORY, _STORY])
    assert newsclean.dedup([_STORY, _STORY]).labels == ("0", "0")


@pytest.mark.parametrize("url", [123, b"https://example.com/a", ["https://example.com/a"]])
def test_extract_refuses_a_url_that_is_not_text(url: object) -> None:
    page = "<html><body><p>The council met on Tuesday and agreed on a new budget for the schools.</p></body></html>"
    for html in (page, page.encode("cp1252")):
        with pytest.raises(newsclean.InputError, match="url must be a str or None"):
            newsclean.extract(html, url=url)  # type: ignore[arg-type]
