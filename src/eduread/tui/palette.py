"""Command palette providers: open a report by place and year, compare the open report with another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import Hit, Hits, Provider

if TYPE_CHECKING:
    from eduread.library.store import Entry
    from eduread.tui.app import ReaderApp

_FILLER = {"open", "compare", "with", "对比", "比较", "打开"}


def entry_matches(entry: Entry, words: list[str], shown: str = "") -> bool:
    """Whether every typed word is in a report's title, place names, years or its palette line
    (怀化 finds 怀化市; "Open 株洲 2021" finds the entry shown as "Open 株洲 2021: …")."""
    haystack = " ".join(
        [shown, entry.title, entry.place_name, *entry.place_path, *map(str, entry.years)]
    ).lower()
    return all(w.lower() in haystack for w in words if w.lower().rstrip(":") not in _FILLER)


def _years(entry: Entry) -> str:
    return "/".join(map(str, entry.years)) or "—"


class OpenReportProvider(Provider):
    """Open a report by place and year (怀化 2019)."""

    async def search(self, query: str) -> Hits:
        app: ReaderApp = self.app  # type: ignore[assignment]
        if not app.over_reader(self.screen):
            return
        words = query.replace(":", " ").split()
        for entry in app.all_entries():
            text = f"Open {entry.place_name} {_years(entry)}: {entry.title}"
            if entry_matches(entry, words, text):
                yield Hit(
                    1.0 if words else 0.5,
                    Text(text),
                    lambda num=entry.num: app.open_report(num),
                    help=" › ".join(entry.place_path),
                )

    async def discover(self) -> Hits:
        async for hit in self.search(""):
            yield hit


class CompareWithProvider(Provider):
    """Compare the open report with another (怀化 2020 → plan vs outcome)."""

    async def search(self, query: str) -> Hits:
        app: ReaderApp = self.app  # type: ignore[assignment]
        reader = app.reader
        current = reader.current_num if reader is not None else None
        if current is None or not app.over_reader(self.screen):
            return
        words = query.replace(":", " ").split()
        for entry in app.all_entries():
            own = " (its own parts)" if entry.num == current else ""
            text = f"Compare with {entry.place_name} {_years(entry)}{own}: {entry.title}"
            if not entry_matches(entry, words, text):
                continue
            yield Hit(
                0.9 if words else 0.4,
                Text(text),
                lambda num=entry.num: app.open_compare(current, num),
                help="side by side, aligned by topic",
            )

    async def discover(self) -> Hits:
        async for hit in self.search(""):
            yield hit
