"""The compare screen driven with keys through Textual's pilot, on the real seeds."""

from __future__ import annotations

from pathlib import Path

from conftest import huaihua_next_year
from eduread.library.importer import import_paths
from eduread.library.store import Library
from eduread.tui.app import ReaderApp
from eduread.tui.report_view import ReportView
from eduread.tui.screens.compare_screen import ComparePane, CompareScreen
from eduread.tui.screens.help_screen import HelpScreen
from eduread.tui.screens.search_screen import SearchScreen


def _library(tmp_path: Path, *extra: str) -> str:
    folder = tmp_path / "lib"
    lib = Library(folder)
    try:
        for i, text in enumerate(extra):
            path = tmp_path / f"extra-{i}.txt"
            path.write_text(text, encoding="utf-8")
            import_paths(lib, [str(path)], keywords=False)
    finally:
        lib.close()
    return str(folder)


def _num(folder: str, place: str, year: int | None = None) -> int:
    lib = Library(folder)
    try:
        return lib.entries(place=place, year=year)[0].num
    finally:
        lib.close()


async def _settle(pilot) -> None:
    for _ in range(4):
        await pilot.pause()


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def _open_compare(pilot, app: ReaderApp, first: int, second: int) -> CompareScreen:
    app.open_report(first)
    await _settle(pilot)
    await pilot.press("c")
    assert "marked" in str(app.query_one("#status").render())
    app.open_report(second)
    await _settle(pilot)
    await pilot.press("c")
    await _settle(pilot)
    assert isinstance(app.screen, CompareScreen)
    return app.screen


async def test_mark_then_compare_steps_topic_rows(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    app = ReaderApp(folder)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(pilot)
        screen = await _open_compare(pilot, app, _num(folder, "怀化"), _num(folder, "天门"))
        assert "怀化市" in _text(app, "#compare-header") and "天门市" in _text(app, "#compare-header")
        assert f"1/{len(screen.result.rows)}" in _text(app, "#compare-header")
        left, right = screen.query_one("#left", ComparePane), screen.query_one("#right", ComparePane)
        # Step to the safety row: both panes show its sections, headings marked.
        safety = next(i for i, r in enumerate(screen.result.rows) if r.topic == "safety")
        await pilot.press(*["n"] * safety)
        await _settle(pilot)
        assert screen.row.topic == "safety"
        assert left.report.body[left.top_offset() :].startswith("(七)教育大局和谐稳定")
        assert right.report.body[right.top_offset() :].startswith("三、全力维护校园安全")
        assert left.report.body[slice(*left.hits[0])] == "(七)教育大局和谐稳定"
        assert "安全稳定" in _text(app, "#compare-header")
        await pilot.press("p")
        await _settle(pilot)
        assert screen.index == safety - 1
        # Rows with no partner say so in the pane's label.
        lonely = next(i for i, r in enumerate(screen.result.rows) if not r.left)
        screen.show_row(lonely)
        await _settle(pilot)
        assert _text(app, "#left-label").startswith("no section on")


async def test_linked_scrolling_unlink_and_swap(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    app = ReaderApp(folder)
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        screen = await _open_compare(pilot, app, _num(folder, "长沙"), _num(folder, "天门"))
        left, right = screen.query_one("#left", ComparePane), screen.query_one("#right", ComparePane)
        left.focus()
        before = (left.scroll_offset.y, right.scroll_offset.y)
        await pilot.press("j", "j", "j")
        await _settle(pilot)
        assert left.scroll_offset.y == before[0] + 3
        assert right.scroll_offset.y == before[1] + 3
        await pilot.press("L")
        await pilot.press("j", "j")
        await _settle(pilot)
        assert left.scroll_offset.y == before[0] + 5
        assert right.scroll_offset.y == before[1] + 3
        assert "unlinked" in _text(app, "#compare-header")
        await pilot.press("x")
        await _settle(pilot)
        assert left.report.place.name == "天门市" and right.report.place.name == "长沙市"
        assert "天门市 2018 工作要点  ⇄  长沙市 2019 工作计划" in _text(app, "#compare-header")


async def test_own_parts_figures_and_open_at_section(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    app = ReaderApp(folder)
    huaihua = _num(folder, "怀化")
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        screen = await _open_compare(pilot, app, huaihua, huaihua)
        assert screen.result.left.part.year == 2019 and screen.result.right.part.year == 2020
        schools = next(i for i, r in enumerate(screen.result.rows) if r.topic == "schools")
        screen.show_row(schools)
        await _settle(pilot)
        await pilot.press("f")
        await _settle(pilot)
        table = screen.query_one("#pairs")
        # Pairs by what each figure counts: 农村公办幼儿园 21所 ↔ 47所 pairs now as well.
        assert table.has_focus and table.row_count == 3
        assert [str(c) for c in table.get_row_at(0)] == ["农村公办幼儿园", "21所", "47所", "+26所"]
        assert [str(c) for c in table.get_row_at(1)] == ["新增学位", "4.07万个", "2.86万个以上", "-1.21万个"]
        await pilot.press("down")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        left, right = screen.query_one("#left", ComparePane), screen.query_one("#right", ComparePane)
        assert left.report.body[slice(*left.hits[0])] == "4.07万个"
        assert right.report.body[slice(*right.hits[0])] == "2.86万个以上"
        right.focus()
        await pilot.press("enter")
        await _settle(pilot)
        assert not isinstance(app.screen, CompareScreen)
        view = app.query_one(ReportView)
        assert app.reader.current_num == huaihua
        assert "2.86万个以上" in view.report.body[view.top_offset() : view.top_offset() + 400]


async def test_plan_vs_outcome_from_the_palette(tmp_path: Path) -> None:
    folder = _library(tmp_path, huaihua_next_year())
    app = ReaderApp(folder, open_num=_num(folder, "怀化", 2019))
    async with app.run_test(size=(130, 35)) as pilot:
        await _settle(pilot)
        app.reader.pick_compare()
        await _settle(pilot)
        await pilot.press(*"怀化 2021")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.result.plan_vs_outcome
        assert "plan vs outcome" in _text(app, "#compare-header")
        schools = next(i for i, r in enumerate(screen.result.rows) if r.topic == "schools")
        screen.show_row(schools)
        await _settle(pilot)
        table = screen.query_one("#pairs")
        headers = [str(c.label) for c in table.columns.values()]
        assert headers == ["measure", "target", "result", "difference", "target"]
        assert [str(c) for c in table.get_row_at(0)] == [
            "新增学位",
            "2.86万个以上",
            "3.12万个",
            "+0.26万个",
            "met",
        ]


async def test_reader_keys_rest_under_the_compare_screen(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    app = ReaderApp(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = await _open_compare(pilot, app, _num(folder, "余姚"), _num(folder, "崇川"))
        rows = screen.query_one("#rows")
        assert not rows.display or rows.has_class("-hidden")  # 80 columns: the panes get the width
        await pilot.press("s")
        await _settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        await pilot.press("r")
        await _settle(pilot)
        assert not rows.has_class("-hidden") and rows.has_focus
        await pilot.press("down", "down")
        await _settle(pilot)
        assert screen.index == 2
        await pilot.press("question_mark")
        await _settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        titles = [title for title, _ in app.screen.groups]
        described = {b.description for _, bindings in app.screen.groups for b in bindings}
        assert titles[0] == "Compare" and {"Next topic", "Swap sides", "Link/unlink"} <= described
        assert "Search all" not in described
        await pilot.press("escape")
        await pilot.press("escape")
        await _settle(pilot)
        assert not isinstance(app.screen, CompareScreen)
        assert app.reader.current_num == _num(folder, "崇川")


async def test_compare_needs_a_second_report(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "长沙"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("c", "c")  # 长沙's report has one part: nothing to compare it with
        await _settle(pilot)
        assert not isinstance(app.screen, CompareScreen)


async def test_clicking_a_topic_row_moves_both_panes(tmp_path: Path) -> None:
    folder = _library(tmp_path)
    app = ReaderApp(folder)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(pilot)
        screen = await _open_compare(pilot, app, _num(folder, "怀化"), _num(folder, "天门"))
        safety = next(i for i, r in enumerate(screen.result.rows) if r.topic == "safety")
        rows = screen.query_one("#rows")
        # Topic names wrap to different heights: click down the list until the safety row is hit.
        for y in range(1, rows.size.height):
            await pilot.click("#rows", offset=(4, y))
            await _settle(pilot)
            if screen.index >= safety:
                break
        assert screen.index == safety
        left = screen.query_one("#left", ComparePane)
        assert left.report.body[left.top_offset() :].startswith("(七)教育大局和谐稳定")
        assert rows.highlighted == safety
