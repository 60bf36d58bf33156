"""Turn the bytes of a saved page into text, whatever encoding the site used, repairing small damage."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from eduread.text.names import counted

# Encodings Chinese government sites use; the detector only chooses among these.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UTF8_LEAD = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")

MAX_BYTES = 20 * 1024 * 1024
# A few damaged bytes in a long UTF-8 file are repaired; more than this share means another encoding.
_MAX_BAD_SHARE = 0.002
_MAX_NUL_SHARE = 0.001


class DecodeError(ValueError):
    """The bytes are not text we can read; the message says why in a few words."""


@dataclass
class Decoded:
    """Decoded text and what was repaired on the way ("1 invalid byte replaced")."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: NULs in the high bytes and a strict decode into readable text."""
    sample = data[:8000]
    nuls = sample.count(b"\x00")
    if len(sample) < 4 or nuls < max(2, len(sample) // 500):
        return None
    odd = sample[1::2].count(b"\x00")
    if max(odd, nuls - odd) < 0.75 * nuls:  # UTF-16 NULs sit mostly on one side of each pair
        return None
    for encoding in ("utf_16_le", "utf_16_be"):
        try:
            text = data[: len(data) - len(data) % 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        head = text[:4000]
        readable = sum(1 for ch in head if ch.isprintable() or ch in "\n\r\t")
        if readable >= 0.97 * len(head) and "\x00" not in head:
            return text
    return None


def _mostly_utf8(data: bytes) -> int | None:
    """How many bytes break UTF-8 in text that is otherwise plainly UTF-8 (None if it is not)."""
    text = data.decode("utf_8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf_8", errors="ignore").count("\ufffd")
    if bad <= 0:
        return None
    good_multibyte = len(_UTF8_LEAD.findall(data))
    if bad <= max(3, _MAX_BAD_SHARE * len(data)) and good_multibyte >= 20 * bad:
        return bad
    return None


def _detect(data: bytes) -> Decoded:
    """Strict UTF-8 first (it never false-positives), then nearly-UTF-8, then the detector."""
    try:
        return Decoded(data.decode("utf_8"), "utf-8")
    except UnicodeDecodeError:
        pass
    bad = _mostly_utf8(data)
    if bad is not None:
        return Decoded(
            data.decode("utf_8", errors="replace"), "utf-8", [f"{counted(bad, 'invalid byte')} replaced"]
        )
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        if name in ("gb2312", "gbk", "gb18030"):
            name = "gb18030"
        try:
            return Decoded(data.decode(name), name)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise DecodeError("not text in a known encoding (tried UTF-8, GB18030, Big5, UTF-16)")
    encoding = best.encoding
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"
    text = data.decode(encoding, errors="replace")
    notes = []
    if "\ufffd" in text:
        notes.append(f"{counted(text.count(chr(0xFFFD)), 'invalid byte')} replaced")
    return Decoded(text, encoding, notes)


def decode_text(data: bytes) -> Decoded:
    """Decode a text file's bytes; a few NULs or broken bytes are repaired and noted; raises DecodeError."""
    if not data.strip():
        raise DecodeError("empty file")
    if len(data) > MAX_BYTES:
        raise DecodeError(f"too large for a report ({len(data) // (1024 * 1024)} MB)")
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        decoded = Decoded(body.decode("utf_8", errors="replace"), "utf-8")
        bad = decoded.text.count("\ufffd") - body.decode("utf_8", errors="ignore").count("\ufffd")
        if bad:
            decoded.notes.append(f"{counted(bad, 'invalid byte')} replaced")
        return decoded
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf_16", errors="replace"), "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return Decoded(utf16, "utf-16")
    notes: list[str] = []
    nuls = data.count(b"\x00")
    if nuls:
        if nuls > max(8, _MAX_NUL_SHARE * len(data)):
            raise DecodeError("binary file, not text")
        data = data.replace(b"\x00", b"")
        notes.append(f"{counted(nuls, 'NUL byte')} dropped")
    decoded = _detect(data)
    decoded.notes[:0] = notes
    return decoded


def decode_bytes(data: bytes, *, html: bool | None = None) -> str:
    """Decode a report file's bytes to text, turning HTML into lines; raises DecodeError."""
    from eduread.text.formats.sniff import looks_like_html
    from eduread.text.html import html_to_text

    text = decode_text(data).text
    if html is None:
        html = looks_like_html(text[:2048])
    if html:
        text = html_to_text(text)
    text = strip_controls(text)
    if not text.strip():
        raise DecodeError("no readable text")
    return text


def strip_controls(text: str) -> str:
    """Drop C0/C1 controls (bar newline and tab) and bidi overrides that could drive a terminal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)
