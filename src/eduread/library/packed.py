"""Texts stored compressed: an original, a parse cache or word counts are read rarely and whole.

An original is mostly its cleaned body (which is stored plain: search and the reader read it),
so it is deflated with the body as zlib's preset dictionary: what the two share costs a few
bytes, and the original adds little more than its page furniture to the library.

Columns that held plain text before (libraries older than schema 6) may still hold it; `unpack`
reads both, so a library works while it is being converted.
"""

from __future__ import annotations

import zlib

LEVEL = 6


# Deflate looks back 32 KiB: the dictionary keeps room for the original's own page furniture,
# so a passage of the original still finds the same passage of the body within reach.
DICTIONARY = 32768 - 4096


def pack(text: str, like: str = "") -> bytes:
    """UTF-8, deflated; with `like`, deflated against it (give the same text to `unpack`)."""
    if not like:
        return zlib.compress(text.encode("utf-8"), LEVEL)
    packer = zlib.compressobj(LEVEL, zdict=_dictionary(like))
    return packer.compress(text.encode("utf-8")) + packer.flush()


def unpack(value: bytes | str, like: str = "") -> str:
    """The text of a packed (bytes) or plain (str) column value; `like` as it was packed with."""
    if isinstance(value, str):
        return value
    if not like:
        return zlib.decompress(value).decode("utf-8")
    unpacker = zlib.decompressobj(zdict=_dictionary(like))
    return (unpacker.decompress(value) + unpacker.flush()).decode("utf-8")


def _dictionary(like: str) -> bytes:
    data = like.encode("utf-8")
    return data[:DICTIONARY]
