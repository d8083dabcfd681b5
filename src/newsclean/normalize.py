"""Text normalization: one spelling for the many ways news text encodes the same words.

Two forms:

- :func:`normalize` gives *display* text: Unicode composed (NFKC by default), one form
  for quotes, apostrophes, dashes, ellipses and spaces, invisible characters removed,
  HTML entities decoded, mojibake repaired (ftfy), line endings unified, runs of spaces
  collapsed, paragraphs (blocks separated by a blank line) kept. It is idempotent.
- :func:`comparison_form` gives the *comparison* key that dedup hashes: the display form,
  case-folded, with punctuation dropped, as one line of words separated by single spaces;
  a word that mixes Latin, Cyrillic and Greek look-alikes is read in its own script.
  Two copies of an article that differ only in typography, case, punctuation or line
  wrapping have the same comparison form.

Each step is a small ``str -> str`` function named for its effect; :func:`normalize`
composes them and repeats the composition until nothing changes (at most a few rounds:
e.g. ``&amp;eacute;`` takes two), which makes it idempotent by construction.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Literal

import regex

__all__ = [
    "NormalizeConfig",
    "comparison_form",
    "fold_case",
    "fold_homoglyphs",
    "normalize",
    "split_paragraphs",
    "word_tokens",
]

UnicodeForm = Literal["NFC", "NFKC"]

# Characters that render as nothing and break string equality: zero-width space/joiners,
# word joiner, BOM, soft hyphen, bidi marks/embeddings/isolates, Mongolian vowel separator.
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\ufeff"
)
# Zero-width non-joiner / joiner spell words in joining and Indic scripts (Persian "می‌خواهم",
# Devanagari conjuncts) and build emoji sequences: kept there, dropped anywhere else
# (between Latin letters they only break string equality). The comparison form drops all.
_JOINERS = "\u200c\u200d"
_JOINING = (
    r"\p{Arabic}\p{Syriac}\p{Nko}\p{Mongolian}\p{Devanagari}\p{Bengali}\p{Gurmukhi}\p{Gujarati}"
    r"\p{Oriya}\p{Tamil}\p{Telugu}\p{Kannada}\p{Malayalam}\p{Sinhala}\p{Myanmar}\p{Khmer}\p{Tibetan}"
    r"\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F"
)
_STRAY_JOINER = regex.compile(rf"(?<![{_JOINING}])[{_JOINERS}]|[{_JOINERS}](?![{_JOINING}])")
_NO_JOINERS = str.maketrans("", "", _JOINERS)
# C0/C1 controls other than tab and newline (after line endings are unified).
_CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)))

# (not the ASCII backtick: code and Markdown spell with it, and ASCII punctuation is kept)
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc\u02bb\u02b9\u2035\u00b4\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a\u301d\u301e\u301f\uff02"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"

_TYPOGRAPHY = str.maketrans(
    {
        **{c: "'" for c in _SINGLE_QUOTES},
        **{c: '"' for c in _DOUBLE_QUOTES},
        **{c: "-" for c in _DASHES},
        "\u2026": "...",
        "\u22ef": "...",
        **{c: None for c in _INVISIBLE},
        **{c: None for c in _CONTROLS},
    }
)
# Every Unicode space separator (NBSP, thin, narrow, ideographic, ...) and tab -> " ".
# (stdlib re: 3-5x faster than the regex module for these simple classes)
_SPACE_CLASS = "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # = [\p{Zs}\t]
_OTHER_SPACES = "\t\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))  # all but " "
# The runs of spaces that collapsing changes: one that holds another space than " ", or
# two or more (a lone " " is left as it is, without a copy: the common case).
_SPACE_RUN = re.compile(f"[{re.escape(_OTHER_SPACES)}][{_SPACE_CLASS}]*| [{_SPACE_CLASS}]+")
_NON_ASCII_SPACES = _OTHER_SPACES[1:]  # (tab aside)
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028]")
_LINE_BREAK_CHARS = ("\r", "\v", "\f", "\x85", "\u2028", "\u2029")
_PARAGRAPH_SEPARATOR = "\u2029"
_NEWLINE_RUN = re.compile("\n\n\n+")
_ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
#: ``&amp;amp;...`` escaped any number of times: one pass makes it one ``&``, so a
#: bounded number of decoding rounds reaches the fixed point however deep the nesting.
_NESTED_AMP = re.compile(r"&(?:amp;)+")
_WORD = regex.compile(r"\w+")
# The runs of non-word characters (\W = not \w) other than a lone " " before a word.
_NON_WORD_RUN = regex.compile(r"[^\w ]\W*| \W+")
_ASCII_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})
_MAX_ROUNDS = 6


@dataclass(frozen=True, slots=True)
class NormalizeConfig:
    """Options of :func:`normalize`; change one with :func:`dataclasses.replace`.

    Attributes:
        unicode_form: ``"NFKC"`` (default) folds compatibility characters too: NBSP to
            space, ``ﬁ`` to ``fi``, full-width Latin to ASCII, ``…`` to ``...``. ``"NFC"``
            only composes; use it to keep superscripts, full-width CJK punctuation etc.
        fix_mojibake: repair text decoded with the wrong charset (``CafÃ©`` -> ``Café``)
            with ftfy's ``fix_encoding``, only where ftfy's badness check flags it.
        decode_entities: decode HTML entities (``&amp;`` ``&#8217;`` ``&eacute;``),
            repeatedly, so double-escaped text comes out clean.
        typography: one form for quotes (``'`` and ``"``, guillemets included),
            dashes (``-``) and ellipses (``...``).
        remove_invisible: drop zero-width characters, soft hyphens, bidi controls and
            C0/C1 control characters.
    """

    unicode_form: UnicodeForm | None = "NFKC"
    fix_mojibake: bool = True
    decode_entities: bool = True
    typography: bool = True
    remove_invisible: bool = True

    def __post_init__(self) -> None:
        # unicodedata also takes the decomposed forms; anything else would fail at the first text
        if self.unicode_form not in (None, "NFKC", "NFC", "NFKD", "NFD"):
            from .errors import InputError

            msg = f"unicode_form must be 'NFKC', 'NFC' or None, got {self.unicode_form!r}"
            raise InputError(msg)


DEFAULT_CONFIG = NormalizeConfig()


# -- steps: each a small str -> str function named for its effect ---------------------------


def unify_line_endings(text: str) -> str:
    r"""``\r\n``, ``\r``, form feeds, NEL and U+2028 become ``\n``; U+2029 a blank line.

    Examples:
        >>> unify_line_endings("a\r\nb\rc\u2029d")
        'a\nb\nc\n\nd'
    """
    # (a search for each character first: most texts hold none, and ``in`` is a C scan)
    if not any(char in text for char in _LINE_BREAK_CHARS):
        return text
    text = _LINE_BREAKS.sub("\n", text)
    return text.replace(_PARAGRAPH_SEPARATOR, "\n\n")


def _decode_entity(match: regex.Match[str]) -> str:
    decoded = html.unescape(match.group())
    # An entity for a line break or control character must not create lines or
    # paragraphs (in HTML it is plain whitespace).
    if decoded != match.group() and (decoded.isspace() or not decoded.isprintable()):
        return " "
    return decoded


def decode_html_entities(text: str) -> str:
    """Decode HTML entities until none is left (``&amp;amp;`` -> ``&``).

    Examples:
        >>> decode_html_entities("Caf&eacute; &amp;amp; bar &#8217;s")
        'Café & bar ’s'
    """
    if "&" not in text:
        return text
    text = _NESTED_AMP.sub("&", text)
    for _ in range(16):
        decoded = _ENTITY.sub(_decode_entity, text)
        if decoded == text:
            break
        text = decoded
    return text


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as Latin-1/cp1252 (and similar), using ftfy.

    Only text that ftfy's badness heuristic flags is touched, so correct text in any
    script passes through unchanged.

    Examples:
        >>> fix_mojibake("The cafÃ© said â€œhelloâ€\\x9d")
        'The café said “hello”'
    """
    if text.isascii() or not _maybe_mojibake(text):
        return text
    import ftfy  # deferred: importing ftfy costs ~100 ms

    fixed: str = ftfy.fix_encoding(text)
    return fixed


@functools.cache
def _mojibake_hint() -> re.Pattern[str]:
    # Every alternative of ftfy's BADNESS_RE contains at least one character of this class
    # (its categories other than the "common" letters, plus the literals it names), so a
    # text without one is never bad. Checked alternative by alternative against ftfy 6.3.
    from ftfy.badness import MOJIBAKE_CATEGORIES as cat

    chars = "".join(
        cat[name]
        for name in (
            "c1", "bad", "lower_accented", "upper_accented", "box", "start_punctuation",
            "end_punctuation", "currency", "numeric", "law",
        )
    )
    return re.compile(f"[{chars}ŒœÂÃÎÐ×ØÙà√≈‚°µЂ€]")


def _maybe_mojibake(text: str) -> bool:
    """ftfy's ``is_bad``, run only on windows around the characters it can match.

    ftfy's badness regex costs ~1 ms per 5 kB of Cyrillic text; real text has few of the
    characters it needs (quotes, guillemets), so probing short windows around them gives
    the same answer at a fraction of the cost (a window edge can only add a false alarm,
    after which ``fix_encoding`` still decides for itself).
    """
    from ftfy.badness import is_bad

    starts = [m.start() for m in islice(_mojibake_hint().finditer(text), 201)]  # (201: more than 200)
    if not starts:
        return False
    if len(starts) > 200:
        return bool(is_bad(text))
    probe = "\x00".join(text[max(0, i - 6) : i + 7] for i in starts)
    return bool(is_bad(probe))


def compose_unicode(text: str, form: UnicodeForm = "NFKC") -> str:
    """Unicode normal form ``form`` (NFKC folds compatibility characters too).

    Examples:
        >>> compose_unicode("ﬁne\u00a0cafe\u0301")
        'fine café'
    """
    if text.isascii() or unicodedata.is_normalized(form, text):
        return text
    return unicodedata.normalize(form, text)


def unify_typography(text: str) -> str:
    """One form for quotes, apostrophes, dashes and ellipses; invisible characters dropped.

    Examples:
        >>> unify_typography("«Да» — it’s “done”…")
        '"Да" - it\\'s "done"...'
        >>> unify_typography("`x` and ‘y’"), unify_typography("`x`")  # ASCII or not, ` stays
        ("`x` and 'y'", '`x`')
    """
    if text.isascii():  # of the characters to change only the controls are ASCII
        return text.translate(_ASCII_CONTROLS) if _ASCII_CONTROL_RE.search(text) else text
    # str.translate looks every character up in a dict (slow on long non-ASCII text);
    # the characters to change are rare, so find them with a compiled class first, then
    # replace each one found all at once (no replacement holds a character to replace, so
    # the order does not matter: the text of str.translate).
    runs = _TYPOGRAPHY_RE.findall(text)
    for char in set("".join(runs)) if runs else ():
        text = text.replace(char, _TYPOGRAPHY_CHARS[char])
    return _drop_stray_joiners(text)


def _drop_stray_joiners(text: str) -> str:
    if "\u200c" in text or "\u200d" in text:
        return _STRAY_JOINER.sub("", text)
    return text


_ASCII_CONTROLS = str.maketrans({c: None for c in _CONTROLS if ord(c) < 0x80})
_ASCII_CONTROL_RE = re.compile("[" + re.escape("".join(c for c in _CONTROLS if ord(c) < 0x80)) + "]")
_TYPOGRAPHY_RE = re.compile(
    "[" + re.escape("".join(chr(c) for c in _TYPOGRAPHY)) + "]+"
)


_TYPOGRAPHY_CHARS = {chr(code): value or "" for code, value in _TYPOGRAPHY.items()}
assert not any(c in value for value in _TYPOGRAPHY_CHARS.values() for c in _TYPOGRAPHY_CHARS)
_INVISIBLE_ONLY = str.maketrans({c: None for c in _INVISIBLE + _CONTROLS})


def remove_invisible(text: str) -> str:
    """Drop zero-width and bidi characters, soft hyphens and control characters.

    A zero-width (non-)joiner stays where it spells a word: between letters of a joining
    or Indic script (Persian, Arabic, Devanagari, ...) or inside an emoji sequence.

    Examples:
        >>> remove_invisible("co\u00adop\u200beration")
        'cooperation'
    """
    return _drop_stray_joiners(text.translate(_INVISIBLE_ONLY))


def collapse_whitespace(text: str) -> str:
    r"""One space between words, no spaces at line ends, one blank line between paragraphs.

    Examples:
        >>> collapse_whitespace("  a \u2009 b \n\n\n  c\t d ")
        'a b\n\nc d'
    """
    # Each run of spaces becomes one " " (only the runs that change are matched); then
    # a space beside a line break is one a line starts or ends with, and with no such
    # space left a blank run is three or more line breaks in a row. Every test is a C
    # scan that finds nothing in most texts (a text normalized already: nothing copied).
    if "  " in text or "\t" in text or (not text.isascii() and _has_other_space(text)):
        text = _SPACE_RUN.sub(" ", text)
    if "\n" not in text:
        return text.strip(" ")
    if " \n" in text:
        text = text.replace(" \n", "\n")
    if "\n " in text:
        text = text.replace("\n ", "\n")
    if "\n\n\n" in text:
        text = _NEWLINE_RUN.sub("\n\n", text)
    return text.strip("\n ")


def _has_other_space(text: str) -> bool:
    return any(char in text for char in _NON_ASCII_SPACES)


def _steps(config: NormalizeConfig) -> list[Callable[[str], str]]:
    steps: list[Callable[[str], str]] = [unify_line_endings]
    if config.decode_entities:
        steps.append(decode_html_entities)
    if config.fix_mojibake:
        steps.append(fix_mojibake)
    if config.unicode_form is not None:
        form = config.unicode_form
        steps.append(lambda t: compose_unicode(t, form))
    if config.typography:
        steps.append(unify_typography)
    elif config.remove_invisible:
        steps.append(remove_invisible)
    steps.append(collapse_whitespace)
    return steps


def normalize(text: str, config: NormalizeConfig | None = None) -> str:
    r"""Normalize ``text`` for display and storage, keeping its paragraphs.

    The steps run in this order, and the whole chain repeats until the text stops
    changing, so ``normalize(normalize(x)) == normalize(x)`` for every string:
    line endings, HTML entities, mojibake, Unicode form, typography (quotes,
    apostrophes, dashes, ellipses, invisible characters), whitespace.

    Letters and digits are kept, up to the Unicode folding of ``config.unicode_form``
    and the repair of mojibake; paragraphs (blocks separated by a blank line) are kept,
    except ones with nothing visible in them.

    Args:
        text: any string.
        config: options; ``None`` means :class:`NormalizeConfig` defaults.

    Returns:
        The normalized text.

    Raises:
        InputError: if ``text`` is not a ``str``.

    Examples:
        >>> normalize("“Hello”\u00a0—\u00a0it’s  the\u200b end…\r\n\r\n\r\nNext &amp; last")
        '"Hello" - it\'s the end...\n\nNext & last'
        >>> normalize("Москва\u00a0— «столица»")
        'Москва - "столица"'
    """
    if not isinstance(text, str):
        from .errors import InputError

        msg = f"normalize() takes a str, got {type(text).__name__}; decode bytes first"
        raise InputError(msg)
    if config is not None and not isinstance(config, NormalizeConfig):
        from .errors import config_of

        config_of(config, NormalizeConfig, "normalize()")
    steps = _steps(config or DEFAULT_CONFIG)
    for _ in range(_MAX_ROUNDS):
        before = text
        for step in steps:
            text = step(text)
        if text == before:
            break
    return text


def split_paragraphs(text: str) -> list[str]:
    r"""The paragraphs of ``text``: blocks separated by blank lines, stripped, non-empty.

    Examples:
        >>> split_paragraphs("a\nb\n\n\n c \r\n\r\nd")
        ['a\nb', 'c', 'd']
    """
    text = unify_line_endings(text)
    return [p.strip() for p in regex.split(r"\n[ \t]*\n", text) if p.strip()]


# Latin, Cyrillic and Greek letters drawn alike, one case per class (Unicode's confusables
# for these scripts, with the Russian У for a capital Y; "-": no look-alike in that
# script). A word mixing scripts is written in one of them with look-alikes of another
# (OCR, keyboard layouts, text disguised to pass a filter); the classes map them back.
_LOOKALIKES = (
    # Latin, Cyrillic, Greek
    "A\u0410\u0391 B\u0412\u0392 C\u0421- E\u0415\u0395 H\u041d\u0397 I\u0406\u0399 "
    "J\u0408- K\u041a\u039a M\u041c\u039c N-\u039d O\u041e\u039f P\u0420\u03a1 S\u0405- "
    "T\u0422\u03a4 X\u0425\u03a7 Y\u0423\u03a5 Z-\u0396 \u00cb\u0401- "
    "a\u0430- c\u0441\u03f2 e\u0435- o\u043e\u03bf p\u0440\u03c1 x\u0445- y\u0443- "
    "s\u0455- i\u0456\u03b9 j\u0458\u03f3 h\u04bb- d\u0501- q\u051b- w\u051d- l\u04cf- "
    "v-\u03bd k-\u03ba u-\u03c5 \u00eb\u0451-"
).split()
_SCRIPTS = ("Latin", "Cyrillic", "Greek")  # in this order when nothing else decides
# Per script: the letters of it that have a look-alike in another script, and the table
# writing every look-alike of the other scripts as this script's letter.
_ALIKES = tuple(frozenset(c[k] for c in _LOOKALIKES if c[k] != "-") for k in range(3))
_TO_SCRIPT = tuple(
    str.maketrans({c[j]: c[k] for c in _LOOKALIKES for j in range(3) if j != k and "-" not in (c[j], c[k])})
    for k in range(3)
)
_LETTERS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f",  # Latin (Latin-1, Extended-A/B)
    "\u0400-\u0481\u048a-\u052f",  # Cyrillic letters
    "\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u03ff\u1f00-\u1fbc",  # Greek
)
# Where a word mixes scripts: a letter of one of them right before a letter of another.
_MIXED = re.compile(
    "|".join(f"[{_LETTERS[a]}][{''.join(_LETTERS[b] for b in range(3) if b != a)}]" for a in range(3))
)
_SCRIPT_LETTER = tuple(regex.compile(rf"\p{{{name}}}") for name in _SCRIPTS)
_NOT_LATIN = re.compile(f"[{_LETTERS[1]}{_LETTERS[2]}]")  # a first, cheaper test


def _one_script(match: regex.Match[str]) -> str:
    word = match.group()
    if _MIXED.search(word) is None:
        return word
    letters = [pattern.findall(word) for pattern in _SCRIPT_LETTER]
    # Letters without a look-alike in another script say which script the word is in;
    # when they do not decide, the script with more letters, then Latin, Cyrillic, Greek.
    rank = [
        (sum(ch not in _ALIKES[k] for ch in letters[k]), len(letters[k]), -k) for k in range(3)
    ]
    target = max(range(3), key=rank.__getitem__)
    return word.translate(_TO_SCRIPT[target])


def fold_homoglyphs(text: str) -> str:
    """Each word that mixes Latin, Cyrillic and Greek letters, written in its own script.

    A word mixes scripts where a letter of one of them stands right before a letter of
    another (``Mоscow``; not ``5кг2kg``, whose scripts meet only across a digit). Its
    script is the one of its letters that have no look-alike in another of
    these scripts (then the script with more letters, then Latin, Cyrillic, Greek); its
    look-alike letters of the other scripts (``а`` for ``a``, ``Н`` for ``H``, ``Α``
    for ``A``, ...) become that script's. Words in one script, and letters without a
    look-alike, are left as they are. Comparison only (:func:`fold_case` calls it):
    :func:`normalize` never changes a letter.

    Examples:
        >>> fold_homoglyphs("M\u043escow") == "Moscow"  # Cyrillic о in a Latin word
        True
        >>> fold_homoglyphs("\u041co\u0441\u043a\u0432a")  # Latin o and a in a Cyrillic word
        'Москва'
        >>> fold_homoglyphs("\u0391\u03b8\u03b7\u03bd\u03b1 \u0391thens")  # Greek Α in a Latin word
        'Αθηνα Athens'
        >>> fold_homoglyphs("iPhone и Москва")  # no word mixes the scripts
        'iPhone и Москва'
    """
    if text.isascii() or _NOT_LATIN.search(text) is None or _MIXED.search(text) is None:
        return text
    return _WORD.sub(_one_script, text)


def fold_case(text: str) -> str:
    """Case folding for comparison: ``str.casefold`` after :func:`fold_homoglyphs`.

    A Turkish dotted capital I is an "i": ``"İ".casefold()`` is "i" plus a combining
    dot, so "İSTANBUL" and "Istanbul" would differ; the dot is dropped after an "i".
    A word mixing Latin, Cyrillic and Greek look-alikes is read in its own script first.

    Examples:
        >>> fold_case("İSTANBUL Straße") == fold_case("Istanbul STRASSE")
        True
        >>> fold_case("R\u0415UT\u0415RS") == fold_case("Reuters")  # Cyrillic Е twice
        True
    """
    folded = fold_homoglyphs(text).casefold()
    return folded.replace("i\u0307", "i") if "\u0307" in folded else folded


def _key_once(text: str, config: NormalizeConfig | None) -> str:
    folded = fold_case(normalize(text, config))
    if "\u200c" in folded or "\u200d" in folded:
        folded = folded.translate(_NO_JOINERS)
    # = " ".join(_WORD.findall(folded)): ASCII text with its non-word characters made
    # spaces, split; other text with each run of non-word characters made one " " (the
    # lone " " between two words, most runs, left as it is rather than copied word by word)
    if folded.isascii():
        return " ".join(folded.translate(_ASCII_NON_WORD).split())
    return _NON_WORD_RUN.sub(" ", folded).strip(" ")


def _comparison_key(text: str, config: NormalizeConfig | None) -> str:
    # Case folding can expose a new mojibake pattern to ftfy ('ƒÈ' -> 'ƒè' reads as
    # cp1252 bytes of UTF-8 'ď'), so the key is iterated to its fixed point, which makes
    # comparison_form idempotent. An ASCII key is always stable: one round suffices.
    key = _key_once(text, config)
    for _ in range(_MAX_ROUNDS):
        if key.isascii():
            break
        again = _key_once(key, config)
        if again == key:
            break
        key = again
    return key


def word_tokens(text: str, config: NormalizeConfig | None = None) -> list[str]:
    """The words of the comparison form: normalized, case-folded, punctuation dropped.

    Examples:
        >>> word_tokens("It’s the U.S. — «Ёлка»!")
        ['it', 's', 'the', 'u', 's', 'ёлка']
    """
    key = _comparison_key(text, config)
    return key.split(" ") if key else []


def comparison_form(text: str, config: NormalizeConfig | None = None) -> str:
    """The strict form that dedup hashes: case-folded words joined by single spaces.

    Case, punctuation, quotes, dashes, line wrapping and paragraph breaks make no
    difference; words are Unicode ``\\w+`` runs (letters, digits, marks, underscore)
    of the :func:`normalize` output, case-folded (``ß`` -> ``ss``; :func:`fold_case`),
    a word mixing Latin, Cyrillic and Greek look-alikes read in its own script
    (:func:`fold_homoglyphs`).

    Examples:
        >>> comparison_form("“Stocks  FELL,” he said —\\n\\nagain.")
        'stocks fell he said again'
        >>> comparison_form("Straße") == comparison_form("STRASSE")
        True
        >>> comparison_form("Mосква Mоscow")  # Latin M in one, Cyrillic о in the other
        'москва moscow'
    """
    return _comparison_key(text, config)
