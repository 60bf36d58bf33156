"""The reader's correction form: `e` opens it on the report, Enter stores the corrections apart from the parse."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from conftest import report_num, seeded_library
from eduread.library.store import Library
from eduread.parse.model import Correction
from eduread.tui.app import ReaderApp
from eduread.tui.screens.edit_dialog import EditDialog


async def _settle(pilot, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


def _reader_on(tmp_path: Path, place: str) -> tuple[str, int, ReaderApp]:
    """(library folder, report number, reader opened on it) for the seed report of a place."""
    folder = seeded_library(tmp_path)
    num = report_num(folder, place)
    return folder, num, ReaderApp(folder, open_num=num)


async def _open_form(app: ReaderApp, pilot) -> None:
    """`e` on the report the reader opened."""
    await _settle(pilot)
    app.reader.view.focus()
    await pilot.press("e")
    await _settle(pilot)


async def test_e_corrects_the_place_and_year_and_the_tree_follows(tmp_path: Path) -> None:
    folder, num, app = _reader_on(tmp_path, "天门")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(app, pilot)
        assert isinstance(app.screen, EditDialog)
        assert (
            "天门市" in str(app.screen.query_one("Label").render())
            or app.screen.report.place.name == "天门市"
        )
        await pilot.press(*"潜江", "tab", *"2019")
        await pilot.press("enter")
        await _settle(pilot)
        assert not isinstance(app.screen, EditDialog)
        report = app.reader.view.report
        assert report.place.path == ["湖北省", "潜江市"] and report.parts[0].year == 2019
        assert report.corrected == ["place", "year"]
        header = str(app.query_one("#report-header").render())
        assert "2019工作要点 (corrected: place, year)" in header, header  # never taken for the parse's
    library = Library(folder)
    assert library.correction(num) == Correction(place="潜江", year=2019)
    assert library.entries(place="潜江")[0].num == num
    library.close()


async def test_a_correction_made_elsewhere_shows_in_the_open_report(tmp_path: Path) -> None:
    """`eduread edit` in another terminal: the open report's header follows, as the tree does."""
    folder, num, app = _reader_on(tmp_path, "天门")
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        other = Library(folder)  # another process's connection
        other.set_correction(num, Correction(year=2017))
        other.close()
        app.library_changed()  # what the reader's watch of the database calls on a write elsewhere
        await pilot.pause(0.3)
        await _settle(pilot)
        header = str(app.query_one("#report-header").render())
        assert "2017工作要点 (corrected: year)" in header, header
        assert app.reader.view.report.parts[0].year == 2017


async def test_a_year_out_of_range_is_refused_in_the_form(tmp_path: Path) -> None:
    folder, num, app = _reader_on(tmp_path, "怀化")
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_form(app, pilot)
        await pilot.press("tab", *"99999", "enter")
        await _settle(pilot)
        assert isinstance(app.screen, EditDialog)
        assert "give a year between" in str(app.screen.query_one("#edit-message").render())
        await pilot.press("escape")
        await _settle(pilot)
        assert not isinstance(app.screen, EditDialog)
    library = Library(folder)
    assert library.correction(num) is None
    library.close()


async def test_the_form_wraps_a_long_reading_in_a_narrow_terminal(tmp_path: Path) -> None:
    folder, num, app = _reader_on(tmp_path, "崇川")  # a long title of two parts
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(app, pilot)
        reading = app.screen.query("Label")[1]
        text = str(reading.render())
        assert "to check:" in text
        # every character is on screen: the label is as tall as its text needs at its width
        from rich.cells import cell_len

        assert reading.size.height >= -(-cell_len(text) // reading.size.width) > 1


async def test_a_year_in_question_comes_filled_in_and_saving_settles_it(tmp_path: Path) -> None:
    from eduread.library.importer import import_paths

    folder = seeded_library(tmp_path)
    source = tmp_path / "tianmen.txt"  # a repost whose title says 2024 where the text is of 2015
    source.write_text(
        "天门市教育局2024年工作总结\n\n2015年，全市教育系统坚持立德树人，学校教育教学质量稳步提升。\n"
        "一、基本情况\n2015年全市新增学位1200个，培训教师3000人次，学校建设稳步推进。\n"
        "二、存在问题\n2015年教育工作仍有不足，学校发展不平衡。\n",
        encoding="utf-8",
    )
    library = Library(folder)
    num = import_paths(library, [str(source)], keywords=False).nums[0]
    assert library.entry(num).review and library.entry(num).group == "review"
    library.close()
    app = ReaderApp(folder, open_num=num)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_form(app, pilot)
        assert app.screen.query_one("#edit-year", Input).value == "2015"
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert not isinstance(app.screen, EditDialog)
    library = Library(folder)
    assert library.correction(num) == Correction(year=2015)
    assert library.entry(num).review == [] and library.entry(num).group == "report"
    library.close()


async def test_saving_the_form_unchanged_says_nothing_was_set(tmp_path: Path) -> None:
    folder = seeded_library(tmp_path)
    app = ReaderApp(folder, open_num=report_num(folder, "怀化"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_form(app, pilot)
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert not isinstance(app.screen, EditDialog)
        messages = [str(n.message) for n in app._notifications]
        assert any("nothing set" in m for m in messages) and not any("corrected" in m for m in messages)


async def test_place_completion_offers_the_longer_name_a_person_means() -> None:
    from eduread.tui.screens.edit_dialog import PlaceSuggester

    suggester = PlaceSuggester()
    got = {typed: await suggester.get_suggestion(typed) for typed in ("怀化", "长沙", "潜江", "湖南", "鹤城")}
    # a short name typed whole completes to its division, a city before the county of one name
    assert got == {"怀化": "怀化市", "长沙": "长沙市", "潜江": "潜江市", "湖南": "湖南省", "鹤城": "鹤城区"}
