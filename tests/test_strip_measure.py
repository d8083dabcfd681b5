"""The page-at-once (numpy) line measurement equals the line-by-line reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.stripping.lines import _MEASURE_CHARS, _measure, _measure_all
from newsclean.stripping.measure import _TABLE, char_flags
from newsclean.stripping.patterns import CONTAINS_ANCHORS, STOPWORDS

# Pieces that hit every measured column and every character class: chrome phrases,
# marks, bylines, dates (figures, month words before and after figures, markers),
# stopwords and anchors glued to other words, title case (also Dž/ǅ titlecase letters),
# digits of other scripts, CJK, astral characters, odd whitespace, unprintable and lone
# surrogate characters, words longer than any stopword.
_PIECES = st.sampled_from([
    "Share", "Most Read", "© 2024 Example Ltd.", "By Jane Doe", "12 March 2024 10:15", "5 min read",
    "updated", "published", "the", "and", "Cookies help us", "cookies", "accept", "___", "(c)", "[x]",
    "[ ]", "Σ", "ΟΔΟΣ", "İstanbul", "新闻报道中国日本語新闻报道中国日本語新闻报道", "O'Neil", "USA", "2024",
    "٣٤", "²", "½", "don't", "said.", "Hello,", "x;y:z", "\u00a0", "\t", "\u2009", "\x0b", "\x1c",
    "\x00\x01", "\u200b", "  ", " ", "“Quote”", "…", "Reply", "ago", "ǅungla", "Džamija", "ǈ", "ẞ",
    "ﬁ", "𝐀𝐁", "😀", "\ud800", "mis à jour 3", "3 september", "September 3", "Sept. 3",
    "10:15", "1.2.2024", "supercalifragilisticexpialidocious", "MARKETS", "Ⅻ", "_", "a_b",
    "\u0301", "ǆ", "ʰ", "ª",
])
# The longest table words (a token of that length must still be looked up).
_LONGEST = st.sampled_from(sorted(STOPWORDS | CONTAINS_ANCHORS, key=lambda w: (-len(w), w))[:5])
_LINE = st.lists(st.one_of(_PIECES, _LONGEST, st.text(max_size=8)), max_size=14).map("".join).map(
    lambda s: s.replace("\n", " ").replace("\r", " "))


def _reference(contents: list[str]) -> list[list[object]]:
    return [list(col) for col in zip(*map(_measure, contents), strict=True)] if contents else [[]] * 12


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, max_size=25))
def test_numpy_measurement_equals_reference(contents: list[str]) -> None:
    assert [list(col) for col in _measure_all(contents)] == _reference(contents)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec=None), max_size=40).map(
    lambda s: s.replace("\n", " ").replace("\r", " ")), max_size=10))
def test_numpy_measurement_equals_reference_on_any_characters(contents: list[str]) -> None:
    assert [list(col) for col in _measure_all(contents)] == _reference(contents)


def test_a_wrong_measurement_is_caught() -> None:
    # The comparison is sensitive: a column that is off by one on one line differs.
    contents = ["The minister said so.", "• Home", "12 March 2024"]
    fast = [list(col) for col in _measure_all(contents)]
    assert fast == _reference(contents)
    for k in range(1, 7):
        wrong = [list(col) for col in fast]
        wrong[k][0] += 1
        assert wrong != _reference(contents)


def test_long_lines_and_empty_lines_mix() -> None:
    contents = ["", "Share", "word " * (_MEASURE_CHARS // 4), "", "By Jane Doe", "x" * 50]
    assert [list(col) for col in _measure_all(contents)] == _reference(contents)


def test_lookup_table_is_char_flags() -> None:
    for code in [*range(0, 0x3000, 7), *range(0xD7F0, 0xE010), 0xFEFF, 0xFFFD, 0xFFFF]:
        assert int(_TABLE[code]) == char_flags(chr(code)), hex(code)


def test_hash_table_lookup_finds_every_table_word_and_only_those() -> None:
    from newsclean.stripping import measure

    words = sorted(STOPWORDS | CONTAINS_ANCHORS)
    others = ("zzqxv", "thee", "th", "xthe")
    page = "\n".join([*words, *others]) + "\n"
    stop, kinds, _, _, _ = measure._word_kinds(page, len(words) + len(others))
    assert stop.tolist() == [int(w in STOPWORDS) for w in (*words, *others)]
    assert ((kinds & 2) != 0).tolist() == [w in CONTAINS_ANCHORS for w in (*words, *others)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab .c", min_size=1, max_size=5), min_size=1, max_size=8),
       st.text(alphabet="ab .cd", max_size=30))
def test_trie_pattern_finds_what_the_longest_first_alternation_finds(phrases: list[str], text: str) -> None:
    import re

    from newsclean.stripping.patterns import trie_pattern

    alternation = re.compile("|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)))
    trie = re.compile(trie_pattern(phrases))
    expect, got = alternation.search(text), trie.search(text)
    assert (expect and (expect.span(), expect.group())) == (got and (got.span(), got.group()))
    assert [m.group() for m in alternation.finditer(text)] == [m.group() for m in trie.finditer(text)]


_DATE_PIECES = st.sampled_from([
    "1", "12", "2024", "12345", ":", "::", ".", "/", "-", "3:15", "10:15", "1.2.2024", "12/31/99", "a", "x1",
    "_", "_1", " ", "  ", "\t", "\u00a0", "september", "sept", "sept.", "mar", "march", "ago", "٣", "²",
    "١٢:٣٠", "ǅ", "jan", "januar", "января", "3september",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_DATE_PIECES, st.text(alphabet="0123456789:./- _ab", max_size=6)), max_size=10).map("".join))
def test_digit_first_date_pattern_matches_where_the_figure_parts_match(line: str) -> None:
    from newsclean.stripping.measure import _DATE_FIGURE_ANY_RE, _DATE_FIGURE_RE

    assert (_DATE_FIGURE_ANY_RE.search(line) is None) == (_DATE_FIGURE_RE.search(line) is None)


def test_digit_first_date_pattern_keeps_the_word_boundary() -> None:
    from newsclean.stripping.measure import _DATE_FIGURE_ANY_RE, _DATE_FIGURE_RE

    for line, hit in [("at 10:15", True), ("x10:15", False), ("_1:15", False), ("1:15", True), ("a12.3.2024", False),
                      ("on 3 march", True), ("3march", True), ("123:45", False), ("12345/1/1", False)]:
        assert (_DATE_FIGURE_ANY_RE.search(line) is not None) is hit, line
        assert (_DATE_FIGURE_RE.search(line) is not None) is hit, line


def test_every_exact_phrase_is_found_by_its_hash_with_trimmed_ends() -> None:
    from newsclean.stripping import measure
    from newsclean.stripping.patterns import EXACT, TRIM_CHARS

    keys = sorted(EXACT)
    lines = [f"• {key} 12:" for key in keys] + ["zzqxv", "", "• 3 •", "share share", "x" * 40]
    page = "\n".join(lines) + "\n"
    hit = measure._word_kinds(page, len(lines))[4]
    assert hit[: len(keys)].tolist() == [1] * len(keys)
    assert hit[len(keys):].tolist() == [0] * 5
    assert all(EXACT.get(line.strip(TRIM_CHARS)) == EXACT[key] for line, key in zip(lines, keys, strict=False))


def test_the_bit_filter_passes_every_table_word_and_stops_most_others() -> None:
    from newsclean.stripping import measure

    def passes(value: int) -> bool:
        return all(int(measure._WORD_FILTER[bit >> 6]) >> (bit & 63) & 1 for bit in measure._filter_bits(value))

    assert all(passes(value) for value in measure._WORD_HASH[measure._WORD_LEN > 0].tolist())
    # Tokens that are no table word (hashed as the kernel hashes them): most are stopped.
    others = [f"zq{k}x" for k in range(2000)]
    codes = measure._codes("\n".join(others) + "\n")
    starts, ends = measure._token_spans((measure._flags(codes) & measure.WORD) != 0)
    hashes = measure._token_hashes(codes, starts, ends).tolist()
    assert sum(map(passes, hashes)) < 0.1 * len(others)


def test_the_lowercase_table_is_str_lower_of_every_bmp_character() -> None:
    from newsclean.stripping.measure import _LOWER, _LOWER_SPECIAL

    wrong = [i for i in range(0x10000) if chr(i) not in _LOWER_SPECIAL and chr(int(_LOWER[i])) != chr(i).lower()]
    assert wrong == []
    assert set(_LOWER_SPECIAL) == {"İ", "Σ"}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_LINE, st.sampled_from(["• Home", "ÉLYSÉE", "ΟΔΟΣ", "Straße", "ǅ", "Ⅻ", "ｗ"]),
                          st.text(alphabet="abcΣσςİIıΩÅ•’\u0301 ", max_size=10)), max_size=20),
       st.booleans())
def test_the_page_is_lowercased_as_str_lower_does(contents: list[str], ascii_only: bool) -> None:
    # Pages with bullets and curly quotes (the table), and with "Σ", "İ", astral
    # characters and lone surrogates (str.lower itself), and ASCII pages.
    from newsclean.stripping.measure import _codes, _lower

    page = "\n".join(contents) + "\n"
    if ascii_only:
        page = page.encode("ascii", "ignore").decode("ascii")
    low, low_codes = _lower(page, _codes(page))
    assert low == page.lower()
    assert low_codes.tolist() == _codes(page.lower()).tolist()
