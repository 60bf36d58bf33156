"""Parse layer: cleaned text to a Report (title, place, parts, outline, figures); no UI, no jieba.

The model loads with the package; the parser itself only when first asked for, so code that needs
only the dataclasses (the reader at start-up) does not pay for the parser's imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eduread.parse.model import Figure, Part, Region, Report, Section

if TYPE_CHECKING:
    from eduread.parse.report import parse_bytes, parse_file, parse_text

__all__ = ["Figure", "Part", "Region", "Report", "Section", "parse_bytes", "parse_file", "parse_text"]
_LAZY = {"parse_bytes", "parse_file", "parse_text"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from eduread.parse import report

        return getattr(report, name)
    raise AttributeError(f"module 'eduread.parse' has no attribute {name!r}")
