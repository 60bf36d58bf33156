"""The across-the-library screens driven through Textual's pilot on the seeds (and 怀化's next two years)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Static

from conftest import huaihua_next_year
from eduread.library import notes
from eduread.library.store import Library
from eduread.tui.messages import OpenReport
from test_across import huaihua_year_after


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """The seeds and 怀化's 2020 and 2021 reports."""
    from eduread.library.importer import import_paths

    lib = Library(tmp_path / "lib")
    (tmp_path / "hh2020.txt").write_text(huaihua_next_year(), encoding="utf-8")
    (tmp_path / "hh2021.txt").write_text(huaihua_year_after(), encoding="utf-8")
    import_paths(lib, [str(tmp_path / "hh2020.txt"), str(tmp_path / "hh2021.txt")], keywords=False)
    return lib


class Host(App[None]):
    """Pushes one screen and records the reports it asks to open."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.start = screen
        self.opened: list[tuple[int, int | None, str | None]] = []

    def on_mount(self) -> None:
        self.push_screen(self.start)

    def on_open_report(self, message: OpenReport) -> None:
        self.opened.append((message.num, message.offset, message.find))


async def _settle(pilot, n: int = 3) -> None:
    for _ in range(n):
        await pilot.pause()


def _plot_text(screen) -> str:
    from textual_plotext import PlotextPlot

    plot = screen.query_one(PlotextPlot)
    return plot.plt.build()


async def test_figures_screen_charts_a_measure_and_opens_a_figure(library: Library) -> None:
    from eduread.tui.screens.figures_screen import FiguresScreen

    screen = FiguresScreen(library, what="新增学位")
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 6
        assert [r.text for r in screen.records][:2] == ["4.07万个", "3.12万个"]
        legend = str(screen.query_one("#chart-legend", Static).render())
        assert "怀化市" in legend and "target" in legend
        assert "2019" in _plot_text(screen) and "2022" in _plot_text(screen)
        assert "40,000" in _plot_text(screen) and ".3" not in _plot_text(screen)  # round ticks, no 38683.3
        table.focus()
        await pilot.press("2")  # sort by year, then again reversed
        await pilot.press("2")
        await _settle(pilot)
        first = table.get_row_at(0)
        assert first[1] == 2022
        await pilot.press("enter")
        await _settle(pilot)
        record = next(r for r in screen.records if r.year == 2022)
        assert app.opened == [(record.num, record.start, record.text)]


async def test_figures_screen_filters_by_kind_and_place(library: Library) -> None:
    from eduread.tui.screens.figures_screen import FiguresScreen

    screen = FiguresScreen(library)
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        everything = len(screen.records)
        screen.query_one("#f-kind", Input).value = "percent"
        screen.query_one("#f-place", Input).value = "长沙"
        screen.query_one("#f-kind", Input).focus()
        await pilot.press("enter")
        await _settle(pilot)
        assert 0 < len(screen.records) < everything
        assert {(r.kind, r.place) for r in screen.records} == {("percent", "长沙市")}


async def test_trends_screen_counts_and_lists_reports_of_a_year(library: Library) -> None:
    from eduread.tui.screens.trends_screen import ReportsWithTerm, TrendsScreen

    screen = TrendsScreen(library)
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press(*"新增学位")  # typed into the terms box
        await pilot.press("enter")
        await _settle(pilot)
        by_key = {r.key: r for r in screen.rows}
        # each summary's 新增学位 in its year, each plan's in the next (怀化 2019+2020, 2020+2021)
        assert by_key["2019"].occurrences == 1 and by_key["2020"].occurrences == 2
        assert "2019" in _plot_text(screen)
        table = screen.query_one(DataTable)
        table.move_cursor(row=[r.key for r in screen.rows].index("2019"))
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, ReportsWithTerm)
        await pilot.press("enter")
        await _settle(pilot)
        num, offset, term = app.opened[0]
        assert term == "新增学位" and library.body(num)[offset : offset + 4] == "新增学位"
        by_year = str(screen.query_one("#trend-summary", Static).render())
        screen.by = "place"
        screen.run_query()
        assert {r.key for r in screen.rows} >= {"怀化市", "长沙市"}
        # the totals count each report once, whatever the grouping
        by_place = str(screen.query_one("#trend-summary", Static).render())
        total = sum(r.occurrences for r in screen.rows)
        assert (
            f"新增学位 {total} occurrences in " in by_place and f"新增学位 {total} occurrences in " in by_year
        )


async def test_topics_screen_heat_map_opens_the_sections_of_a_cell(library: Library) -> None:
    from eduread.tui.screens.topics_screen import CellSections, TopicsScreen

    screen = TopicsScreen(library)
    app = Host(screen)
    async with app.run_test(size=(160, 45)) as pilot:
        await _settle(pilot, 6)
        await app.workers.wait_for_complete()
        await _settle(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 5 and screen.result is not None
        row = screen.result.rows.index("怀化市")
        column = 2 + screen.result.topics.index("party")
        table.move_cursor(row=row, column=column)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, CellSections)
        assert "党建" in str(app.screen.query_one("Label").render())
        await pilot.press("enter")
        await _settle(pilot)
        num, offset, _find = app.opened[0]
        assert library.report(num).section_path(offset)[-1].start == offset


async def test_notes_screen_lists_copies_and_deletes(library: Library) -> None:
    from eduread.tui.screens.notes_screen import NotesScreen

    body = library.body(1)
    start = body.index("全市通过新建改扩建项目")
    kept = notes.add_note(library.conn, 1, start, start + 30, "学位增速", "学位")
    long = notes.add_note(library.conn, 2, 0, 200, "另一条", "其他")  # a passage longer than its cell
    screen = NotesScreen(library)
    app = Host(screen)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        row = table.get_row_at(next(i for i, n in enumerate(screen.found) if n.id == long))
        assert str(row[-1]).endswith("…") and len(str(row[-1])) == 60
        screen.query_one("#n-code", Input).value = "学位"
        screen.query_one("#n-code", Input).focus()
        await pilot.press("enter")
        await _settle(pilot)
        assert [n.id for n in screen.found] == [kept]
        detail = str(screen.query_one("#note-detail", Static).render())
        assert "——怀化市教育局《2019年工作总结与2020年工作计划》,一、(三),发布于2020-09-02" in detail
        await pilot.press("y")
        assert copied and copied[0].startswith(body[start : start + 30].strip())
        assert "发布于2020-09-02" in copied[0] and copied[0].endswith("学位增速")
        await pilot.press("enter")
        await _settle(pilot)
        assert app.opened == [(1, start, None)]
        await pilot.press("d", "d")
        await _settle(pilot)
        assert notes.note(library.conn, kept) is None


async def test_reader_writes_a_note_on_the_section_and_marks_it(tmp_path: Path) -> None:
    from eduread.tui.report_view import ReportView
    from eduread.tui.screens.notes_screen import NoteDialog

    app = _reader_on(tmp_path, "怀化")
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot, 6)
        view = app.query_one(ReportView)
        report = view.report
        section = next(s for s in report.all_sections() if s.title.startswith("教育重点项目建设"))
        view.scroll_to_offset(section.start)
        await _settle(pilot)
        await pilot.press("a")
        await _settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.span[0] == section.start
        await pilot.press(*"供给", "enter", *"学位", "enter")
        await _settle(pilot)
        saved = notes.notes(app.library.conn)
        assert [(n.start, n.text, n.codes) for n in saved] == [(section.start, "供给", ["学位"])]
        assert view._notes == [(saved[0].start, saved[0].end)]
        await pilot.press("F")
        await _settle(pilot)
        from eduread.tui.screens.figures_screen import FiguresScreen

        assert isinstance(app.screen, FiguresScreen)
        app.screen.query_one(DataTable).focus()
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen is app.screen_stack[0] and app.reader.current_num is not None


async def test_export_dialog_asks_before_replacing_a_file(library: Library, tmp_path: Path) -> None:
    from eduread.tui.screens.export_dialog import ExportDialog
    from eduread.tui.screens.figures_screen import FiguresScreen

    screen = FiguresScreen(library, what="新增学位")
    app = Host(screen)
    target = tmp_path / "out.csv"
    target.write_text("mine", encoding="utf-8")
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        screen.query_one(DataTable).focus()
        await pilot.press("e")
        await _settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        box = app.screen.query_one(Input)
        assert box.value.endswith("新增学位.xlsx")  # a name is proposed, nothing is written yet
        box.value = str(target)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, ExportDialog) and target.read_text(encoding="utf-8") == "mine"
        assert "exists" in str(app.screen.query_one("#export-message", Static).render())
        await pilot.press("enter")  # the same name again: replace it
        await _settle(pilot)
        assert app.screen is screen
        lines = target.read_bytes().decode("utf-8-sig").splitlines()
        assert target.read_bytes().startswith(b"\xef\xbb\xbf") and len(lines) == 7
        assert not list(tmp_path.glob(".eduread-*"))  # no temporary file left behind


async def test_figures_screen_lists_figures_of_a_library_from_before_the_table(
    library: Library, monkeypatch
) -> None:
    from eduread.library import figure_table
    from eduread.tui.screens.figures_screen import SETTLE_S, FiguresScreen

    library.conn.execute("DELETE FROM figures")
    library.conn.execute("DELETE FROM figures_done")
    library.conn.commit()
    fills = []
    real_fill = figure_table.fill_missing

    def slow_fill(*args, **kwargs):  # as in a large library: the listing takes a while
        fills.append(1)
        time.sleep(SETTLE_S * 2)
        return real_fill(*args, **kwargs)

    monkeypatch.setattr(figure_table, "fill_missing", slow_fill)
    screen = FiguresScreen(library, what="新增学位")
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE_S * 3)
        await _settle(pilot)
        await app.workers.wait_for_complete()
        await _settle(pilot)
        assert screen.query_one(DataTable).row_count == 6
        assert fills == [1]  # one listing of the older reports, not one per query


def _figures_failing(library: Library, monkeypatch, function: str, error: Exception):
    """A figures screen in its host app, with figure_table.<function> failing as a library can."""
    from eduread.library import figure_table
    from eduread.tui.screens.figures_screen import FiguresScreen

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(figure_table, function, failing)
    screen = FiguresScreen(library)
    return screen, Host(screen)


async def _settled_summary(app: App, pilot, screen) -> str:
    await app.workers.wait_for_complete()
    await _settle(pilot)
    return str(screen.query_one("#figure-summary", Static).render())


async def test_figures_screen_filters_what_is_listed_when_the_older_reports_cannot_be(
    library: Library, monkeypatch
) -> None:
    import sqlite3

    from eduread.tui.screens.figures_screen import SETTLE_S

    num = library.entries(place="怀化")[0].num  # one report from before the figures table
    library.conn.execute("DELETE FROM figures WHERE num = ?", (num,))
    library.conn.execute("DELETE FROM figures_done WHERE num = ?", (num,))
    library.conn.commit()
    locked = sqlite3.OperationalError("database is locked")
    screen, app = _figures_failing(library, monkeypatch, "fill_missing", locked)
    async with app.run_test(size=(100, 24)) as pilot:
        summary = await _settled_summary(app, pilot, screen)
        assert "not all: the figures could not be listed" in summary, summary
        everything = screen.query_one(DataTable).row_count
        assert everything > 0 and all(r.num != num for r in screen.records)
        screen.query_one("#f-place", Input).value = "天门"  # the filters still work on what is listed
        await pilot.pause(SETTLE_S * 2)
        await _settled_summary(app, pilot, screen)
        assert screen.records and {r.place for r in screen.records} == {"天门市"}


async def test_figures_screen_says_a_damaged_library_and_stays_open(library: Library, monkeypatch) -> None:
    import sqlite3

    damaged = sqlite3.DatabaseError("database disk image is malformed")
    screen, app = _figures_failing(library, monkeypatch, "records", damaged)
    async with app.run_test(size=(100, 24)) as pilot:
        summary = await _settled_summary(app, pilot, screen)
        assert "the figures could not be read: database disk image is malformed" in summary
        assert app.is_running and app.screen is screen


async def test_a_note_on_a_sub_section_of_a_one_line_report_ends_with_it(tmp_path: Path) -> None:
    from eduread.tui.report_view import ReportView
    from eduread.tui.screens.notes_screen import NoteDialog

    app = _reader_on(tmp_path, "余姚")  # saved from a web page: its paragraphs run together
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot, 6)
        view = app.query_one(ReportView)
        report = view.report
        assert "\n" not in report.body
        section = next(s for s in report.all_sections() if s.title.startswith("基层党建更有实效"))
        view.scroll_to_offset(section.start + 1)
        await _settle(pilot)
        await pilot.press("a")
        await _settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.span == (section.start, section.end)  # not on to the end of the report


def _reader_on(tmp_path: Path, place: str):
    """The reader on a new library of the seeds, opening the report of a place."""
    from eduread.tui.app import ReaderApp

    folder = tmp_path / "lib"
    lib = Library(folder)
    num = lib.entries(place=place)[0].num
    lib.close()
    return ReaderApp(str(folder), open_num=num)


async def test_the_report_restored_at_start_shows_its_notes(tmp_path: Path) -> None:
    from eduread.tui.app import ReaderApp
    from eduread.tui.report_view import ReportView

    folder = tmp_path / "lib"
    lib = Library(folder)
    num = lib.entries(place="怀化")[0].num
    report = lib.report(num)
    section = next(s for s in report.all_sections() if s.title.startswith("教育重点项目建设"))
    notes.add_note(lib.conn, num, section.start, section.end, "供给", ["学位"])
    lib.set_setting("last_report", str(num))
    lib.close()
    app = ReaderApp(str(folder))
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot, 6)
        assert app.reader.current_num == num
        assert app.query_one(ReportView)._notes == [(section.start, section.end)]


async def test_figures_screen_filters_as_the_measure_is_typed(library: Library) -> None:
    from eduread.tui.screens.figures_screen import SETTLE_S, FiguresScreen

    screen = FiguresScreen(library)
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        everything = len(screen.records)
        assert screen.query_one("#f-what", Input).has_focus
        await pilot.press(*"新增学位")  # no Enter: the table follows once typing pauses
        await pilot.pause(SETTLE_S + 0.2)
        await app.workers.wait_for_complete()
        await _settle(pilot)
        assert 0 < len(screen.records) < everything
        assert screen.query_one(DataTable).row_count == 6
        assert "2019" in _plot_text(screen)  # the measure's values charted over the years
        assert screen.query_one("#f-what", Input).has_focus  # the typing was never taken away


@pytest.mark.parametrize(
    "target", ["figures_screen:FiguresScreen", "trends_screen:TrendsScreen", "notes_screen:NotesScreen"]
)
async def test_escape_in_a_filter_goes_to_the_table_and_the_footer_says_so(
    library: Library, target: str
) -> None:
    from importlib import import_module

    module, _, name = target.partition(":")
    screen = getattr(import_module(f"eduread.tui.screens.{module}"), name)(library)
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        table = screen.query_one(DataTable)
        if not table.row_count:  # a table with nothing in it: Escape goes straight back
            table.add_column("x")
            table.add_row("a row")
        screen.query(Input).first().focus()
        await _settle(pilot)
        assert screen.active_bindings["escape"].binding.description == "To the table"
        await pilot.press("escape")
        await _settle(pilot)
        assert app.screen is screen and table.has_focus
        assert screen.active_bindings["escape"].binding.description == "Back"
        await pilot.press("escape")
        await _settle(pilot)
        assert app.screen is not screen


async def test_figures_screen_completes_a_kind(library: Library) -> None:
    from eduread.tui.screens.figures_screen import FiguresScreen

    screen = FiguresScreen(library)
    app = Host(screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        box = screen.query_one("#f-kind", Input)
        box.focus()
        await pilot.press("p")
        await _settle(pilot)
        await pilot.press("right")  # takes the suggestion
        assert box.value == "percent"


@pytest.mark.parametrize(
    "low,high", [(0, 8.24), (0, 5), (28600, 41000), (0, 0.37), (3, 4), (0, 12.8), (0, 3)]
)
def test_a_chart_axis_is_labelled_by_at_least_three_round_values_within_its_range(
    low: float, high: float
) -> None:
    from eduread.tui.screens.charts import nice_ticks

    ticks, labels = nice_ticks(low, high)
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert 3 <= len(ticks) <= 7 and len(steps) == 1 and low <= ticks[0] and ticks[-1] <= high
    assert high - ticks[-1] < steps.pop()  # the top label is near the peak: 8 under 8.24, not 5
    assert len(labels) == len(ticks)


def test_a_trend_line_breaks_at_years_without_reports() -> None:
    from eduread.tui.screens.charts import _runs

    points = [(2018, 0.0), (2019, 0.0), (2020, 0.0), (2023, 3.9), (2024, 3.9)]
    assert _runs(points) == [points[:3], points[3:]]
    assert _runs([(2020, 1.0)]) == [[(2020, 1.0)]] and _runs([]) == []


async def test_trends_by_place_draws_a_bar_for_every_term(library: Library) -> None:
    from eduread.tui.screens.trends_screen import TrendsScreen

    screen = TrendsScreen(library)
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press(*"学位 教师", "enter")
        await _settle(pilot)
        screen.by = "place"
        screen.run_query()
        await _settle(pilot)
        legend = str(screen.query_one("#chart-legend", Static).render())
        assert "■ 学位" in legend and "■ 教师" in legend and "怀化市" in legend
