"""The form of text used for matching (parsing, search, find): same length as the original, so offsets hold."""

from __future__ import annotations

from eduread.text.width import fold_width


def match_form(text: str) -> str:
    """Text folded for matching, one character for one: full-width forms to ASCII.

    Every offset into the result is an offset into `text`; what is shown and copied is `text` itself.
    """
    return fold_width(text)
