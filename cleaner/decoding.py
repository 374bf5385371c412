"""Bytes to text, for text and HTML input alike: a BOM, then a declared charset, then detection.

`decode_bytes(data, charset=None, html=False)` returns `(text, encoding)`:

1. A byte order mark (UTF-8, UTF-32 or UTF-16, longest first) wins over everything, as in the
   WHATWG encoding standard; the BOM is not part of the text.
2. The caller's `charset` (a `charset=` media-type parameter, a CLI option): the bytes must
   decode in it, else `UndecodableInput` (a declared charset is never second-guessed).
3. For HTML, a `<meta charset>` / `http-equiv` declaration in the first 8 KiB, when the bytes
   decode in it.
4. UTF-8, when the bytes are valid UTF-8 (most of the web; ASCII too).
5. Detection with charset-normalizer: the candidate with the least "chaos", then the most
   coherence; on a tie the encoding more common on the web wins (so a short Latin-1 text is
   read as windows-1252, which it is a subset of for text, not as Central European cp1250).

The detector was chosen by measuring (`scripts/measure_decoding.py` on
`tests/fixtures/encodings/`): Beautiful Soup's `UnicodeDammit` and charset-normalizer give the
same texts there (it defers to charset-normalizer when chardet is absent) but take ~10x longer,
so cleaner calls charset-normalizer directly. Text that decodes to binary (control, private-use
or replacement characters) raises `UndecodableInput`.
"""

from __future__ import annotations

import codecs

from . import textre
from .errors import UndecodableInput

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Searched in the first 8 KiB decoded as Latin-1 (one character a byte), with RE2.
_BSPACE = r"[ \t\n\r\f\x0b]"  # \s of a bytes pattern
_META_CHARSET = textre.compile(f"(?i)<meta[^>]{{0,300}}?charset{_BSPACE}*={_BSPACE}*[\"']?{_BSPACE}*"
                               r"([A-Za-z0-9_.:-]{1,40})")
DETECT_BYTES = 400_000  # detection reads at most this much of a document
MAX_JUNK_SHARE = 0.02  # control / private-use / unassigned characters allowed in decoded text
# Control characters (but tab, newline, form feed, carriage return), surrogates, private use
# and U+FFFD: what binary bytes decode to, and rare in real pages.
_JUNK_RANGES = ((0x00, 0x08), (0x0B, 0x0B), (0x0E, 0x1F), (0x7F, 0x9F), (0xD800, 0xDFFF), (0xE000, 0xF8FF),
                (0xFFFD, 0xFFFD))
_DROP_JUNK = {cp: None for lo, hi in _JUNK_RANGES for cp in range(lo, hi + 1)}  # for str.translate
# The same characters but surrogates (which UTF-8, and so RE2, cannot hold), in runs.
_JUNK_RUNS = textre.compile("[" + "".join(f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in _JUNK_RANGES
                                          if hi < 0xD800 or lo > 0xDFFF) + "]+")
_MAX_JUNK_RUNS = 2_000  # past this many runs (binary data), `str.translate` counts (faster then)
# Tie-break of detection, most used on the web first (W3Techs' encoding survey order, roughly).
WEB_ORDER = (
    "utf_8", "cp1252", "cp1251", "shift_jis", "cp932", "euc_jp", "gb18030", "gb2312", "gbk",
    "euc_kr", "cp949", "big5", "cp1250", "iso8859_2", "cp1256", "cp1253", "cp1254", "cp1255",
    "cp874", "cp1257", "koi8_r", "latin_1", "iso8859_15",
)


def codec_name(name: str) -> str | None:
    """Python's name of a charset label, or None when it is unknown or not a text encoding."""
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def junk_share(text: str) -> float:
    """The share of characters that binary data decodes to (in the first 200,000)."""
    sample = text[:200_000]
    if not sample:
        return 0.0
    # RE2 finds the runs of junk in C (~0.5 ms on a 200,000-character page; `str.translate`,
    # a dict lookup a character, ~10 ms). Lone surrogates (which RE2 cannot take) and pages
    # with many runs (binary data) are counted by `str.translate`: the same count.
    try:
        junk = 0
        for k, m in enumerate(_JUNK_RUNS.finditer(sample)):
            if k >= _MAX_JUNK_RUNS:
                break
            junk += m.end() - m.start()
        else:
            return junk / len(sample)
    except UnicodeEncodeError:
        pass
    return (len(sample) - len(sample.translate(_DROP_JUNK))) / len(sample)


def check_text(text: str) -> str:
    """`text`, or UndecodableInput when it looks like binary data."""
    if junk_share(text) > MAX_JUNK_SHARE:
        raise UndecodableInput(
            "the input does not look like text (too many control or unassigned characters)"
        )
    return text


def decode_bytes(data: bytes, charset: str | None = None, *, html: bool = False) -> tuple[str, str]:
    """`(text, encoding)` of `data` (see the module's docstring); raises UndecodableInput."""
    text, encoding = _decode(data, charset, html)
    return check_text(text), encoding


def _decode(data: bytes, charset: str | None, html: bool) -> tuple[str, str]:
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(bom_codec), bom_codec
            except UnicodeDecodeError as exc:
                raise UndecodableInput(
                    f"the bytes start with a {bom_codec} byte order mark but are not valid {bom_codec}: "
                    f"{exc.reason} at byte {exc.start}"
                ) from None
    if charset:
        codec = codec_name(charset)
        if codec is None:
            raise UndecodableInput(f"unknown charset {charset!r}; give a name such as 'utf-8' or 'cp1252'")
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise UndecodableInput(
                f"the bytes are not valid {charset}: {exc.reason} at byte {exc.start}"
            ) from None
    if html:
        m = _META_CHARSET.search(data[:8192].decode("latin-1"))
        codec = codec_name(m.group(1)) if m else None
        if codec is not None:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = detect(data)
    if codec is not None:
        try:
            return data.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            pass
    raise UndecodableInput("cannot decode the bytes: not UTF-8, no charset declared and none was detected")


def detect(data: bytes) -> str | None:
    """The encoding charset-normalizer finds most plausible for `data`, or None."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:DETECT_BYTES]))
    if not matches:
        return None
    best = min(matches, key=lambda m: (round(m.chaos, 3), -round(m.coherence, 3)))
    # A match stands for every code page that decodes the bytes to the same text
    # (`could_be_from_charset`): the tie-break sees them all.
    tied = [name for m in matches
            if round(m.chaos, 3) == round(best.chaos, 3) and round(m.coherence, 3) == round(best.coherence, 3)
            for name in (m.could_be_from_charset or [m.encoding])]
    rank = {name: i for i, name in enumerate(WEB_ORDER)}
    choice = min(tied, key=lambda name: rank.get(name, len(rank)))
    return codec_name(choice) or choice
