"""Texts stored compressed: an original or a parse cache is read rarely and whole, so zlib suits it.

Columns that held plain text before (libraries older than schema 6) may still hold it; `unpack`
reads both, so a library works while it is being converted.
"""

from __future__ import annotations

import zlib

LEVEL = 6


def pack(text: str) -> bytes:
    """UTF-8, deflated."""
    return zlib.compress(text.encode("utf-8"), LEVEL)


def unpack(value: bytes | str) -> str:
    """The text of a packed (bytes) or plain (str) column value."""
    if isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8")
