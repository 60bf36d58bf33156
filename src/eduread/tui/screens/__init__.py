"""The screens a key opens from anywhere: one line each in SCREENS registers a screen.

Each entry names the key, a short name, the title shown in the footer, help and command palette,
and where the Screen class lives ("module:Class", imported only when the screen is first opened,
so start-up never pays for it). The class is built with no arguments; it reads the app's library
(`self.app.library`) and posts `messages.OpenReport` to open a report in the reader. The reader
derives the key binding, the help line and the palette command from the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from textual.binding import Binding
from textual.screen import Screen


@dataclass(frozen=True)
class ScreenEntry:
    """A screen reachable by a key, the palette and help."""

    key: str
    name: str
    title: str
    description: str
    target: str  # "package.module:Class"
    footer: bool = False  # shown in the footer (the rest are in help and the command palette)

    def load(self) -> type[Screen]:
        """The Screen class (its module is imported now, not at start-up)."""
        module, _, cls = self.target.partition(":")
        return getattr(import_module(module), cls)


SCREENS: list[ScreenEntry] = [
    ScreenEntry(
        "s",
        "search",
        "Search all",
        "Search every report in the library",
        "eduread.tui.screens.search_screen:SearchScreen",
        footer=True,
    ),
    ScreenEntry(
        "B",
        "bookmarks",
        "Bookmarks",
        "Every bookmark, newest first (d deletes)",
        "eduread.tui.screens.bookmarks_screen:BookmarksScreen",
    ),
    ScreenEntry(
        "F",
        "figures",
        "Figures across reports",
        "One measure by place and year: table and chart",
        "eduread.tui.screens.figures_screen:FiguresScreen",
    ),
    ScreenEntry(
        "T",
        "trends",
        "Term trends",
        "How often terms occur by year, place or kind: chart and table",
        "eduread.tui.screens.trends_screen:TrendsScreen",
    ),
    ScreenEntry(
        "V",
        "topics",
        "Topic coverage",
        "The share of text places (or years) give each topic",
        "eduread.tui.screens.topics_screen:TopicsScreen",
    ),
    ScreenEntry(
        "A",
        "notes",
        "Notes",
        "Your notes and codes across the library",
        "eduread.tui.screens.notes_screen:NotesScreen",
    ),
]


def by_name(name: str) -> ScreenEntry:
    """The registered screen called `name`."""
    return next(s for s in SCREENS if s.name == name)


def screen_bindings() -> list[Binding]:
    """A key binding for each registered screen (the reader's; the app's open_screen action)."""
    return [Binding(s.key, f"app.open_screen('{s.name}')", s.title, show=s.footer) for s in SCREENS]
