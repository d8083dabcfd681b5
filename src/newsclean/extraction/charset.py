"""Decode the bytes of an HTML page: BOM, then declared charset, then content sniffing.

The order follows the WHATWG encoding sniffing algorithm, simplified: a byte-order
mark wins; then UTF-8 if the bytes are valid UTF-8 and not pure ASCII (mislabelled
UTF-8 pages are common, legacy text that is valid UTF-8 by chance is not); then the
charset of the HTTP ``Content-Type`` header (the *transport* charset: a WARC response
carries it) if the bytes decode with it; then a
``<meta charset>`` or ``<meta http-equiv="Content-Type">`` declaration in the first
:data:`PRESCAN_BYTES` bytes *if the bytes decode with it*; otherwise the content is
sniffed (:func:`sniff_charset`): windows-1252 when no byte is in 0xC0-0xFF (where every
legacy single-byte charset keeps most of its letters, so no such charset's text is
there), else the guess of chardetng, the detector Firefox uses for unlabelled pages
(``chardetng-py``), told the top-level domain of the page's URL when there is one; and
as a last resort windows-1252 with replacement characters, which never fails.

Declared labels are mapped the way browsers map them (WHATWG "encoding labels"):
``iso-8859-1``/``ascii`` mean windows-1252, ``shift_jis`` means cp932, ``gb2312``
and ``gbk`` mean gb18030, ``euc-kr`` means cp949. Pages label themselves with the
narrow standard name but are written with the vendor superset.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["PRESCAN_BYTES", "decode_html", "decode_text", "looks_binary", "sniff_charset"]

#: How many leading bytes are searched for a charset declaration. WHATWG scans 1024;
#: real pages put long ``<script>`` blocks before the ``<meta>``, so look further.
PRESCAN_BYTES = 16384

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{2,40})""",
    re.IGNORECASE,
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:+-]{2,40})""")

# Browser label -> the codec that decodes what such pages really contain.
_SUPERSETS = {
    "windows-874": "cp874",
    "iso-8859-8-i": "iso8859-8",
    "x-mac-cyrillic": "mac-cyrillic",
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    # A page that says UTF-16 in a <meta> is ASCII-compatible bytes, so not UTF-16.
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
    "utf-32": "utf-8",
}


def _codec_for(label: bytes) -> str | None:
    """The Python codec name for a declared charset label, or ``None`` if unknown."""
    try:
        name = label.decode("ascii").strip().lower()
        name = codecs.lookup(_SUPERSETS.get(name, name)).name
    except (LookupError, UnicodeDecodeError, ValueError):
        return None
    return _SUPERSETS.get(name, name)


def declared_charset(data: bytes) -> str | None:
    """The charset declared in a page's first bytes (``<meta>`` or XML declaration).

    Examples:
        >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
        'cp1251'
        >>> declared_charset(b'<meta charset="Shift_JIS">')
        'cp932'
        >>> declared_charset(b"<p>none</p>") is None
        True
    """
    head = data[:PRESCAN_BYTES]
    for pattern in (_XML_DECL, _META_CHARSET):
        match = pattern.search(head)
        if match:
            codec = _codec_for(match.group(1))
            if codec:
                return codec
    return None


def looks_binary(data: bytes) -> bool:
    """Whether bytes look like a binary file (NUL bytes or many control bytes) rather than text.

    UTF-16/32 text has NUL bytes too; call this after BOM detection.

    Examples:
        >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
        True
        >>> looks_binary("<p>Привет</p>".encode("cp1251"))
        False
    """
    head = data[:4096]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) // 20


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


#: Bytes where legacy single-byte charsets (windows-125x, ISO-8859-x, KOI8) keep most
#: of their letters; windows-1252 has only punctuation and symbols below them.
_LETTER_BYTES = re.compile(rb"[\xc0-\xff]")


def sniff_charset(data: bytes, url: str | None = None) -> str | None:
    """The charset of undeclared, non-UTF-8 page bytes, guessed from the content.

    windows-1252 when no byte is in 0xC0-0xFF and the bytes decode with it: that range
    holds most letters of every legacy single-byte charset, so such bytes are text in
    none of them, and windows-1252's own bytes below it are punctuation and symbols
    (``£``, ``«``, ``®``, curly quotes; an English page's only non-ASCII). Else
    chardetng's guess (Firefox's detector for unlabelled pages), told the top-level
    domain of ``url`` (``.pl``, ``.ru``, ...) as Firefox is. ``None``: no guess.

    Examples:
        >>> sniff_charset("<p>A £5 fee, “quoted”</p>".encode("cp1252"))
        'cp1252'
        >>> sniff_charset("<p>Zażółć gęślą jaźń, powiedział wczoraj minister.</p>".encode("cp1250"), url="https://x.pl/a")
        'cp1250'
    """
    if not _LETTER_BYTES.search(data) and _strict(data, "cp1252") is not None:
        return "cp1252"
    import chardetng_py

    # A sample keeps sniffing fast on big pages; the tail is where a page's words are less
    # likely to be ASCII markup, so look at both ends.
    sample = data if len(data) <= 200_000 else data[:100_000] + data[-100_000:]
    try:
        guess = chardetng_py.detect(sample, allow_utf8=False, tld=_tld(url))
    except (ValueError, TypeError, RuntimeError):  # a detector failure means "no guess"
        return None
    return _codec_for(guess.encode("ascii", "replace"))


def _tld(url: str | None) -> bytes | None:
    """The URL's top-level domain as chardetng wants it: lower-case ASCII (punycode)."""
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname or ""
        label = host.rstrip(".").rsplit(".", 1)[-1] if "." in host else ""
        tld = label.encode("idna").lower() if label else b""
    except (ValueError, UnicodeError):
        return None
    return tld if tld.isalnum() or tld.startswith(b"xn--") else None


def decode_html(data: bytes, transport: str | None = None, url: str | None = None) -> tuple[str, str]:
    """Decode page bytes to text and say which codec was used.

    Args:
        data: the raw bytes of an HTML page.
        transport: the charset the HTTP header declared (``"windows-1251"``), if any.
            It ranks above the page's own ``<meta>`` declaration, as in browsers; an
            unknown label is ignored.
        url: the page's URL, if known: its top-level domain helps the sniffer of
            undeclared pages (:func:`sniff_charset`), as in browsers; never fetched.

    Returns:
        ``(text, codec)``; ``codec`` is a Python codec name such as ``"utf-8"``,
        ``"cp1251"`` or ``"cp932"``. Undecodable bytes become U+FFFD only in the
        last-resort windows-1252 decode.

    Examples:
        >>> decode_html("<meta charset=windows-1251><p>Новости</p>".encode("cp1251"))
        ('<meta charset=windows-1251><p>Новости</p>', 'cp1251')
        >>> decode_html(codecs.BOM_UTF8 + "<p>é</p>".encode())
        ('<p>é</p>', 'utf-8')
        >>> decode_html("<p>ニュース</p>".encode("utf-8"))[1]
        'utf-8'
        >>> decode_html("<p>Новости</p>".encode("koi8-r"), transport="KOI8-R")
        ('<p>Новости</p>', 'koi8-r')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), codec
    header = _codec_for(transport.encode("ascii", "replace")) if transport else None
    labels = [c for c in dict.fromkeys((header, declared_charset(data))) if c]
    declared = labels[0] if labels else None
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and (declared in (None, "utf-8") or not data.isascii()):
        # Non-ASCII bytes that form valid UTF-8 are UTF-8 whatever the label says:
        # legacy-charset text is almost never valid UTF-8 by chance, while UTF-8
        # pages labelled iso-8859-1 by a template are common.
        return utf8, "utf-8"
    for label in labels:  # the header's, then the page's own
        text = _strict(data, label)
        if text is not None:
            return text, label
    guess = sniff_charset(data, url)
    if guess:
        text = _strict(data, guess)
        if text is not None:
            return text, guess
    if declared:
        return data.decode(declared, errors="replace"), declared
    return data.decode("cp1252", errors="replace"), "cp1252"


def decode_text(data: bytes, url: str | None = None) -> tuple[str, str] | None:
    """Decode the bytes of a plain text (a page dump, a wire story) as :func:`decode_html`
    decodes an undeclared page: a byte-order mark, then valid UTF-8, then
    :func:`sniff_charset`, then windows-1252 with replacement characters.

    A text has no ``<meta>`` to declare its charset, so nothing else is read.

    Args:
        data: the raw bytes.
        url: the text's URL, if known (its top-level domain helps the sniffer).

    Returns:
        ``(text, codec)``, or ``None`` for bytes that look binary (:func:`looks_binary`),
        which no charset makes a text.

    Examples:
        >>> decode_text("Новости дня: правительство утвердило бюджет на следующий год.".encode("cp1251"))
        ('Новости дня: правительство утвердило бюджет на следующий год.', 'cp1251')
        >>> decode_text(b"caf\\xc3\\xa9"), decode_text(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
        (('café', 'utf-8'), None)
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), codec
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:
        return utf8, "utf-8"
    if looks_binary(data):
        return None
    guess = sniff_charset(data, url)
    text = _strict(data, guess) if guess else None
    if guess and text is not None:
        return text, guess
    return data.decode("cp1252", errors="replace"), "cp1252"
