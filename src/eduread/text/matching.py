"""The form of text used for matching (parsing, search, find): same length as the original, so offsets hold.

What the reader shows, `y` copies and snippets quote is the report's own text; only matching sees
this form: full-width ASCII folded (，→, （一）→(一)) and traditional characters read as simplified
(總結 → 总结) through OpenCC, a maintained converter. OpenCC loads only when a text holds a
character that is written differently in traditional script, so plain simplified text never pays
for it.
"""

from __future__ import annotations

from functools import lru_cache

from eduread.text.width import fold_width


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """Characters OpenCC's t2s dictionary changes (a set, made once: long texts ask often)."""
    return frozenset(_characters())


def _characters() -> str:
    from eduread.text.traditional_chars import CHARACTERS

    return CHARACTERS


@lru_cache(maxsize=1)
def _converter():  # -> opencc.OpenCC
    import opencc

    return opencc.OpenCC("t2s")


def has_traditional(text: str) -> bool:
    """Whether any character of the text is one that traditional script writes differently."""
    if len(text) < 16 and _traditional.cache_info().currsize == 0:  # a query: no set to build
        return not text.isascii() and any(ch in _characters() for ch in text)
    return not _traditional().isdisjoint(text)


def to_simplified(text: str) -> str:
    """Traditional characters as simplified, one character for one (offsets hold)."""
    if not has_traditional(text):
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: convert character by character instead.
    convert = _converter().convert
    return "".join(ch if ch not in _traditional() else (convert(ch) or ch)[:1] for ch in text)


def match_form(text: str) -> str:
    """Text folded for matching, one character for one: width folded, traditional read as simplified.

    Every offset into the result is an offset into `text`; what is shown and copied is `text` itself.
    A parse asks for the same body's form several times (outline, figures, class), so long texts
    are remembered for a moment.
    """
    if len(text) > 256:
        return _long_form(text)
    return to_simplified(fold_width(text))


@lru_cache(maxsize=16)
def _long_form(text: str) -> str:
    return to_simplified(fold_width(text))


def simplified_runs(text: str) -> list[tuple[int, str]]:
    """Where reading as simplified changes the width-folded text, as (offset, characters) runs.

    Stored beside a body, they give its match form (`with_runs`) without loading OpenCC: a
    search process reads a page of bodies and would otherwise spend most of its time on it.
    """
    if not has_traditional(text):
        return []
    folded, form = fold_width(text), match_form(text)
    runs: list[tuple[int, str]] = []
    end = -1
    changed = []
    for at in range(0, len(form), 32):  # blocks compared whole first: most hold no change
        if folded[at : at + 32] != form[at : at + 32]:
            changed += [i for i in range(at, min(at + 32, len(form))) if folded[i] != form[i]]
    for i in changed:
        if i == end:
            runs[-1] = (runs[-1][0], runs[-1][1] + form[i])
        else:
            runs.append((i, form[i]))
        end = i + 1
    return runs


def with_runs(text: str, runs: list[tuple[int, str]] | list[list]) -> str:
    """`match_form(text)` from the runs `simplified_runs` gave for it: the same text, no OpenCC."""
    folded = fold_width(text)
    if not runs:
        return folded
    pieces, at = [], 0
    for start, chars in runs:
        pieces += (folded[at:start], chars)
        at = start + len(chars)
    pieces.append(folded[at:])
    return "".join(pieces)


def forget() -> None:
    """Drop the remembered forms (benchmarks time a parse as if each text were new)."""
    _long_form.cache_clear()
