"""File names as they may be shown: whatever bytes a name holds, no escape sequence reaches a terminal."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import PurePath

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\udc80-\udcff]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not valid UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown_name(name: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A printable form of a file name: invalid bytes as \\xff, control and bidi characters as escapes.

    Names come from the file system and may hold any byte but '/' and NUL; printing one raw could
    move the cursor, set the window title or write the clipboard (ESC]52).
    """
    text = os.fsdecode(name) if not isinstance(name, PurePath) else os.fsdecode(os.fspath(name))
    text = _UNSAFE.sub(_escape, text)
    if any(unicodedata.category(ch) == "Cs" for ch in text):  # lone surrogates of any other kind
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def counted(count: int, word: str) -> str:
    """A count and its English noun, singular for one: "1 report", "2,000 reports"."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"
