"""Read a plain-text report: decode it leniently and keep what was repaired for the import line."""

from __future__ import annotations

from eduread.text.decode import decode_text, strip_controls
from eduread.text.document import Document
from eduread.text.formats.html import read_html
from eduread.text.formats.sniff import looks_like_html


def read_plain(data: bytes, *, html: bool | None = None) -> Document:
    """A text file's Document; markup (a page saved as .txt or .doc, as some sites serve) reads as HTML."""
    decoded = decode_text(data)
    text = decoded.text.lstrip("\ufeff")
    if html is None:
        html = looks_like_html(text[:2048])
    if html:
        document = read_html(text, decoded.notes)
    else:
        document = Document(text, "text", [], list(decoded.notes))
    document.text = strip_controls(document.text)
    document.title_hints = [strip_controls(h) for h in document.title_hints]
    return document
