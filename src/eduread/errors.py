"""One exception type for input we refuse, so every face can print it as one line."""


class ReportError(Exception):
    """A file that cannot become a report; the message names the reason in plain words."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}


def one_line(text: str) -> str:
    """A message fit for one line of a terminal: control characters (a newline or an escape sequence
    in a file name) and bytes that are not UTF-8 are shown as \\x escapes, never acted on."""
    text = text.translate(_CONTROL)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text
