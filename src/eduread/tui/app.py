"""The reader app: owns the library, the themes, the settings and the keys that work everywhere.

Screens do the rest: the reader (screens/reader_screen.py) is the app's base screen; the screens
in screens/__init__.py's SCREENS open with their key from anywhere; compare, help and the
palette's screens are pushed on demand. Screens open reports by posting messages.OpenReport.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from eduread.library.store import DB_NAME, Entry, Library, LibraryError, needs_upgrade
from eduread.paths import library_dir
from eduread.tui.messages import LibraryChanged, OpenReport
from eduread.tui.screens import SCREENS, by_name
from eduread.tui.screens.reader_screen import ReaderScreen
from eduread.tui.themes import VARIABLE_DEFAULTS, discover

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from textual.command import Provider

    from eduread.library.search import SearchResult

T = TypeVar("T")
POLL_SECONDS = 2.0  # how often the reader looks for reports another process imported
READING_WIDTHS = (40, 50, 60, 0)  # characters per line (0: as wide as the pane)
DEFAULT_READING_WIDTH = 40


def _open_report_provider() -> type[Provider]:
    """The palette's "Open …" commands, loaded when the palette first opens."""
    from eduread.tui.palette import OpenReportProvider

    return OpenReportProvider


def _compare_with_provider() -> type[Provider]:
    """The palette's "Compare with …" commands, loaded when the palette first opens."""
    from eduread.tui.palette import CompareWithProvider

    return CompareWithProvider


class ReaderApp(App[None]):
    """eduread's reader."""

    TITLE = "eduread"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {_open_report_provider, _compare_with_provider}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, library_folder: str | None = None, open_num: int | None = None) -> None:
        super().__init__()
        self.library_folder = library_folder
        self.library: Library | None = None
        self.library_error = ""
        self.entries: list[Entry] | None = None
        self._open_num = open_num
        self._needs_preparing = False
        self._read_only_said = False
        self._search_pool: ThreadPoolExecutor | None = None  # made at the first search
        self._searcher = None  # lives in the search thread, with its own connection
        self._searcher_stale = False
        self._data_version = 0
        self.crash: BaseException | None = None
        # Themes and the saved choice are settled before the stylesheet is first parsed.
        themes, self._theme_errors = discover()
        for theme in themes:
            self.register_theme(theme)
        try:
            if not (library_dir(library_folder) / DB_NAME).exists():
                self._needs_preparing = True  # a new library gets the bundled reports, off the UI thread
                self.library_error = "adding the bundled reports…"
            elif needs_upgrade(library_folder):  # an older eduread's library is converted off it too
                self._needs_preparing = True
                self.library_error = "upgrading the library for this version of eduread…"
            else:
                self.library = Library(library_folder, seed=False)
        except (LibraryError, sqlite3.Error, OSError) as err:
            self.library_error = f"The library cannot be opened: {' '.join(str(err).split())}"
        saved = self.library.get_setting("theme", "eduread-dark") if self.library else "eduread-dark"
        self._start_theme(saved if saved in self.available_themes else "eduread-dark")

    def _start_theme(self, name: str) -> None:
        """The theme the app starts in: what setting `theme` does, without its second CSS pass.

        Setting `self.theme` before the app runs queues a refresh of every widget's styles after
        the first one; the classes and colour filter are all the first pass needs (without them, the
        saved theme's variables applied but the body kept the dark mode's look).
        """
        self.set_reactive(ReaderApp.theme, name)
        dark = self.current_theme.dark
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes.update({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark})
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self._theme_started = True
        self.stylesheet.set_variables(self.get_css_variables())  # read by the first parse

    _theme_started = False  # until _start_theme: Textual's own first stylesheet is replaced there

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, from the saved theme on: App.__init__ asks for the default theme's
        for a stylesheet nobody reads before _start_theme sets them (1.5 ms of the first frame)."""
        return super().get_css_variables() if self._theme_started else {}

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def get_default_screen(self) -> Screen:
        return ReaderScreen(self._open_num)

    @property
    def reader(self) -> ReaderScreen | None:
        """The reader screen (the base of the screen stack)."""
        base = self.screen_stack[0] if self.screen_stack else None
        return base if isinstance(base, ReaderScreen) else None

    def over_reader(self, screen: Screen) -> bool:
        """Whether a screen is the reader itself, where reader commands make sense."""
        return isinstance(screen, ReaderScreen)

    # ---- start-up and upkeep ---------------------------------------------------------------------

    def after_first_frame(self) -> None:
        """Called by the reader once its first frame is drawn: everything that may take a while."""
        from eduread.tui.toast import install

        install()  # notifications come after the first frame
        if self._theme_errors:  # said once (after seeding, this runs again)
            self.notify("\n".join(self._theme_errors), severity="warning", markup=False)
            self._theme_errors = []
        if self._needs_preparing:
            self._seed()
            return
        if self.library is None:
            return
        self._data_version = self._safe(self.library.data_version, 0)
        self.set_interval(POLL_SECONDS, self._poll)
        self._load_entries()
        self._refresh_stale_parses()

    @work(thread=True, exclusive=True, group="seed")
    def _seed(self) -> None:
        """A new library gets the bundled reports, an older one is converted: the library itself
        does both (one place does seeding and upgrades), its progress shown in the reader."""
        try:
            Library(self.library_folder, progress=self._progress_from_thread).close()
        except (LibraryError, sqlite3.Error, OSError) as err:
            self.call_from_thread(self._library_failed, err)
            return
        self.call_from_thread(self._seeded)

    @contextmanager
    def _progress_from_thread(self, label: str, total: int) -> Iterator[Callable[[int, int], None]]:
        """The library's progress (an upgrade, a rebuilt index) as the reader's message."""

        def update(done: int, count: int) -> None:
            message = f"{label}: {done:,} of {count:,}…" if count else f"{label}…"
            self.call_from_thread(self._say_preparing, message)

        update(0, total)
        yield update

    def _say_preparing(self, message: str) -> None:
        if self._needs_preparing and self.reader is not None:
            self.reader.view.show(None, message=message)

    def _library_failed(self, err: BaseException) -> None:
        self.library_error = f"The library cannot be opened: {' '.join(str(err).split())}"
        if self.reader is not None:
            self.reader.view.show(None, message=self.library_error)

    def _seeded(self) -> None:
        self._needs_preparing = False
        try:
            self.library = Library(self.library_folder, seed=False)
        except (LibraryError, sqlite3.Error) as err:
            self._library_failed(err)
            return
        if self.reader is not None:
            self.reader.fill_tree()
        self.after_first_frame()

    @work(thread=True, exclusive=True, group="entries")
    def _load_entries(self) -> None:
        """Every entry, for the palette, read on its own connection off the UI thread."""
        try:
            library = Library(self.library_folder, seed=False)
            try:
                entries = library.entries()
            finally:
                library.close()
        except (LibraryError, sqlite3.Error):
            return
        self.call_from_thread(setattr, self, "entries", entries)

    def all_entries(self) -> list[Entry]:
        """Every entry (read now if the background read has not finished)."""
        if self.entries is None:
            self.entries = self._safe(lambda: self.library.entries() if self.library else [], [])
        return self.entries or []

    def _poll(self) -> None:
        """Reports another process imported (or removed) show up without a restart."""
        if self.library is None:
            return
        version = self._safe(self.library.data_version, self._data_version)
        if version != self._data_version:
            self._data_version = version
            self.library_changed()

    def library_changed(self) -> None:
        """The library's reports changed: tree, palette and search catch up."""
        self._searcher_stale = True
        self.entries = None
        self._load_entries()
        if self.reader is not None:
            self.reader.post_message(LibraryChanged())

    @work(thread=True, exclusive=True, group="reparse")
    def _refresh_stale_parses(self) -> None:
        """Background upkeep with progress in the status line: re-parse after a parser upgrade, and
        find the keywords of reports stored without them."""
        from eduread.library.keywords import fill_missing, missing
        from eduread.library.reparse import reparse_stale, stale_nums

        def activity(text: str) -> None:
            if self.reader is not None:
                self.call_from_thread(self.reader.set_activity, text)

        try:
            lib = Library(self.library_folder, seed=False)
        except (LibraryError, sqlite3.Error):
            return
        try:
            if stale_nums(lib):
                count = reparse_stale(
                    lib,
                    lambda done, total: activity(f"updating reports for the new parser: {done:,}/{total:,}"),
                )
                self.call_from_thread(self._after_reparse, count)
            if missing(lib):  # jieba loads here, in this thread, never before the first frame
                fill_missing(lib, lambda done, total: activity(f"finding keywords: {done:,}/{total:,}"))
                if self.reader is not None:
                    self.call_from_thread(self.reader.keywords_arrived)
        except (LibraryError, sqlite3.Error) as err:
            activity("")
            self.call_from_thread(self._say_write_failed, err)
        finally:
            lib.close()

    def _after_reparse(self, count: int) -> None:
        if self.library is not None:
            self._data_version = self._safe(self.library.data_version, 0)
        self.library_changed()
        if self.reader is not None:
            self.reader.set_activity("")
        from eduread.text.names import counted

        self.notify(f"{counted(count, 'report')} updated for the new parser")

    # ---- library calls that may fail ---------------------------------------------------------------

    def write(self, action: Callable[[], T]) -> T | None:
        """A write the reader can live without (position, setting, bookmark): on a read-only or
        damaged library it is skipped with one message, never a crash."""
        try:
            return action()
        except (LibraryError, sqlite3.Error) as err:
            self._say_write_failed(err)
            return None

    def _say_write_failed(self, err: BaseException) -> None:
        if not self._read_only_said:
            self._read_only_said = True
            self.notify(
                f"cannot save to the library ({' '.join(str(err).split())}): reading still works",
                severity="warning",
                markup=False,
            )

    def _safe(self, action: Callable[[], T], default: T) -> T:
        try:
            return action()
        except (LibraryError, sqlite3.Error):
            return default

    # ---- search, in one thread of its own ---------------------------------------------------------

    async def search(self, query: str, limit: int = 200) -> SearchResult:
        """Search the library in the search thread (its own connection), so typing never waits."""
        if self._search_pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._search_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eduread-search")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._search_pool, self._search_now, query, limit)

    def _search_now(self, query: str, limit: int) -> SearchResult:
        from eduread.library.search import Searcher

        if self._searcher is None or self._searcher_stale:
            if self._searcher is not None:
                self._searcher.library.close()
            self._searcher_stale = False
            self._searcher = Searcher(Library(self.library_folder, seed=False))
        return self._searcher.search(query, limit=limit, per_report=20)

    # ---- opening things ----------------------------------------------------------------------------

    def on_open_report(self, message: OpenReport) -> None:
        self.open_report(message.num, message.offset, message.find)

    def open_report(self, num: int, offset: int | None = None, find: str | None = None) -> None:
        """Bring the reader to the front with a report open (at an offset, its text found)."""
        reader = self.reader
        if reader is None:
            return
        while self.screen is not reader and len(self.screen_stack) > 1:
            self.pop_screen()
        reader.open_report(num, offset=offset, find=find)
        reader.reveal(num, offset)

    def action_open_screen(self, name: str) -> None:
        """Open a registered screen (SCREENS) over the reader."""
        if self.library is None:
            self.notify(self.library_error or "the library is not open", severity="warning", markup=False)
            return
        entry = by_name(name)
        screen_class = entry.load()
        if isinstance(self.screen, screen_class):
            return
        self.push_screen(screen_class())

    def open_compare(self, left_num: int | None, right_num: int) -> None:
        """Push the compare screen for two library reports (one report: its own parts)."""
        if self.library is None or left_num is None:
            return
        from eduread.analysis.compare import compare
        from eduread.tui.screens.compare_screen import CompareScreen

        try:
            left = self.library.report(left_num)
            right = self.library.report(right_num)
        except Exception as err:  # a broken stored parse must never crash the reader
            self.notify(f"cannot compare: {err}", severity="error", markup=False)
            return
        if left_num == right_num and len(left.parts) < 2:
            self.notify("this report has one part: open another report to compare with", severity="warning")
            return
        self.push_screen(CompareScreen(compare(left, right), (left_num, right_num)))

    # ---- palette, help, theme, reading width ---------------------------------------------------------

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        if not self.over_reader(screen):
            return
        for entry in SCREENS:
            yield SystemCommand(
                entry.title, entry.description, lambda name=entry.name: self.action_open_screen(name)
            )
        assert isinstance(screen, ReaderScreen)
        yield from screen.system_commands()
        now = self.reading_width()
        for chars in READING_WIDTHS:
            what = f"{chars} characters" if chars else "the whole pane"
            yield SystemCommand(
                f"Reading width: {what}" + (" (now)" if chars == now else ""),
                "How long the report's lines may be on a wide terminal",
                lambda chars=chars: self.set_reading_width(chars),
            )

    def reading_width(self) -> int:
        """Characters per line the report keeps to (0: the whole pane)."""
        saved = self.library.get_setting("reading_width") if self.library else None
        return int(saved) if saved and saved.isdigit() else DEFAULT_READING_WIDTH

    def measure_cells(self) -> int:
        """The reading width in terminal cells (a Chinese character takes two)."""
        return self.reading_width() * 2

    def set_reading_width(self, chars: int) -> None:
        """Change and keep the reading width."""
        if self.library is not None:
            library = self.library
            self.write(lambda: library.set_setting("reading_width", str(chars)))
        if self.reader is not None:
            self.reader.view.set_measure(chars * 2)
        self.notify(f"reading width: {chars} characters" if chars else "reading width: the whole pane")

    def watch_theme(self, theme: str) -> None:
        if self.library is not None and self.is_running:
            library = self.library
            self.write(lambda: library.set_setting("theme", theme))

    def action_help(self) -> None:
        from eduread.tui.report_view import ReportView
        from eduread.tui.screens.compare_screen import CompareScreen
        from eduread.tui.screens.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        if isinstance(screen, CompareScreen):
            groups = [("Compare", list(CompareScreen.BINDINGS)), ("Report panes", list(ReportView.BINDINGS))]
        elif isinstance(screen, ReaderScreen):
            groups = screen.help_groups()
        else:
            groups = [(type(screen).__name__.removesuffix("Screen") or "Screen", list(screen.BINDINGS))]
        groups.append(
            (
                "Everywhere",
                [
                    *self.BINDINGS,
                    Binding("tab", "", "Next pane"),
                    Binding("ctrl+p", "", "Command palette: open a report, theme, reading width, export CSV"),
                ],
            )
        )
        self.push_screen(HelpScreen(groups))

    # ---- quitting and crashing ---------------------------------------------------------------------

    async def action_quit(self) -> None:
        if self.reader is not None:
            self.reader._save_position()
        if self._search_pool is not None:
            self._search_pool.shutdown(wait=False, cancel_futures=True)
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        self.crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """An unforeseen error ends the app with one line (and exit status 1), not a traceback;
        EDUREAD_DEBUG=1 keeps Textual's traceback."""
        if os.environ.get("EDUREAD_DEBUG") or self.crash is None:
            super()._fatal_error()
            return
        self.bell()
        line = " ".join(str(self.crash).split()) or type(self.crash).__name__
        self._exit_renderables.append(Text(f"eduread: {type(self.crash).__name__}: {line}"))
        self._close_messages_no_wait()
