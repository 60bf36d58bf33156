"""What reading a file yields, whatever its format: the text, titles the file states apart from it, repairs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Document:
    """A file's readable text, ready for cleaning and parsing.

    `title_hints` are titles the file states outside its running text (an HTML page's <h1>,
    og:title/ArticleTitle meta, <title>; a .docx's core title), best first; `notes` say what was
    repaired while reading ("1 invalid byte replaced"), for the import line.
    """

    text: str
    format: str = "text"  # text, html, docx, pdf
    title_hints: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
