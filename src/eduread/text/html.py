"""Flatten a saved HTML page to the lines a browser shows of its article (see formats/html.py)."""

from __future__ import annotations


def html_to_text(markup: str) -> str:
    """Text of an HTML page's main content, one block per line, chrome, scripts and styles dropped."""
    from eduread.text.formats.html import read_html

    return read_html(markup).text
