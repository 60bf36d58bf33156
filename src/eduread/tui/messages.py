"""Messages any screen or pane may post, so screens and panes stay independent of each other."""

from __future__ import annotations

from textual.message import Message


class OpenReport(Message):
    """Open a library report in the reader, at a body offset when given (a figure, a hit, a note).

    With `find`, every occurrence of that text is marked, the one at `offset` current.
    """

    def __init__(self, num: int, offset: int | None = None, find: str | None = None) -> None:
        super().__init__()
        self.num = num
        self.offset = offset
        self.find = find


class JumpTo(Message):
    """Show a body offset of the open report (from the outline or the figures table)."""

    def __init__(self, offset: int, end: int | None = None) -> None:
        super().__init__()
        self.offset = offset
        self.end = end


class FindWord(Message):
    """Find a word in the open report (a keyword picked from the panel)."""

    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word


class LibraryChanged(Message):
    """Reports were added, removed or re-parsed (by this app's upkeep or another process)."""
