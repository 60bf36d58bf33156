"""Turn the bytes of a saved page into text, whatever encoding the site used."""

from __future__ import annotations

import codecs
import re

from eduread.text.html import html_to_text

# Encodings Chinese government sites use; the detector only chooses among these.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]
_HTML_SNIFF = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<meta|<body|<div|<p[\s>])", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")

MAX_BYTES = 20 * 1024 * 1024


class DecodeError(ValueError):
    """The bytes are not text we can read; the message says why in a few words."""


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: NULs in the high bytes and a strict decode into readable text."""
    sample = data[:8000]
    if len(sample) < 4 or b"\x00" not in sample:
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


def _detect(data: bytes) -> str:
    """Strict UTF-8 first (it never false-positives), then the detector among Chinese codecs."""
    try:
        return data.decode("utf_8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        if name in ("gb2312", "gbk", "gb18030"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise DecodeError("not text in a known encoding (tried UTF-8, GB18030, Big5, UTF-16)")
    encoding = best.encoding
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"
    return data.decode(encoding, errors="replace")


def decode_bytes(data: bytes, *, html: bool | None = None) -> str:
    """Decode a report file's bytes to text, turning HTML into lines; raises DecodeError."""
    if not data.strip():
        raise DecodeError("empty file")
    if len(data) > MAX_BYTES:
        raise DecodeError(f"too large for a report ({len(data) // (1024 * 1024)} MB)")
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf_8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf_16", errors="replace")
    else:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            text = utf16
        elif b"\x00" in data[:8192]:
            raise DecodeError("binary file, not text")
        else:
            text = _detect(data)
    if html is None:
        html = bool(_HTML_SNIFF.match(text.encode("utf-8", "ignore")[:512]))
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
