"""One exception type for input we refuse, so every face can print it as one line."""


class ReportError(Exception):
    """A file that cannot become a report; the message names the reason in plain words."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
