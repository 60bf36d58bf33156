"""Messages any screen may post to the app, so screens stay independent of each other."""

from __future__ import annotations

from textual.message import Message


class OpenReport(Message):
    """Open a library report in the reader, at a body offset when given (a figure, a hit, a note)."""

    def __init__(self, num: int, offset: int | None = None, find: str | None = None) -> None:
        super().__init__()
        self.num = num
        self.offset = offset
        self.find = find
