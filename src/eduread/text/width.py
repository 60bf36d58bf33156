"""Fold full-width ASCII forms and odd spaces to one form, so matching ignores width."""

from __future__ import annotations

import re

_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE.update(
    {
        0x3000: 0x20,
        0x00A0: 0x20,
        0x2002: 0x20,
        0x2003: 0x20,
        0x2009: 0x20,
        0x202F: 0x20,
        0xFEFF: None,
        0x2060: None,
    }
)


_ANY = re.compile("[" + "".join(re.escape(chr(cp)) for cp in _TABLE) + "]")


def fold_width(text: str) -> str:
    """Map ，（）：０-９Ａ-Ｚ and full-width/no-break spaces to ASCII; CJK punctuation stays.

    A cleaned body has none of them left: finding none is twenty times faster than translating.
    """
    found = set(_ANY.findall(text))
    if not found:
        return text
    if len(found) > 8:
        return text.translate(_TABLE)
    for ch in found:  # a few distinct marks (，（）): replacing each is several times faster than translate
        folded = _TABLE[ord(ch)]
        text = text.replace(ch, "" if folded is None else chr(folded))
    return text
