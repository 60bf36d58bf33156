"""Screenshots of the main screens at 80×24 and 120×35, light and dark, compared with committed SVGs.

Each test opens the same fixed library (the five seeds, keywords filled, copied to a temp dir), so
nothing in a picture depends on the clock, the machine or the order the tests run in. Update the
pictures after an intended change with `pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eduread.library.keywords import fill_missing
from eduread.library.store import Library
from eduread.tui.app import ReaderApp

SIZES = [(80, 24), (120, 35)]
THEMES = ["eduread-dark", "eduread-light"]


@pytest.fixture(scope="module")
def base_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds with their keywords, made once for the module."""
    folder = tmp_path_factory.mktemp("snapshots") / "lib"
    library = Library(folder)
    try:
        fill_missing(library)
    finally:
        library.close()
    return folder


def _app(base: Path, tmp_path: Path, theme: str, place: str = "怀化") -> ReaderApp:
    folder = tmp_path / "lib"
    shutil.copytree(base, folder)
    library = Library(folder, seed=False)
    try:
        library.set_setting("theme", theme)
        num = library.entries(place=place)[0].num
    finally:
        library.close()
    return ReaderApp(str(folder), open_num=num)


async def _settled(pilot) -> None:
    """Background work done and drawn: nothing left to change the picture."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.wait_for_scheduled_animations()


SCREENS = {
    "reader": [],
    "library": ["l"],
    "figures": ["f"],
    "compare": ["c", "c"],
    "help": ["question_mark"],
    "search": ["s", *"教师队伍"],
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, base_library: Path, tmp_path: Path, screen: str, size, theme: str) -> None:
    app = _app(base_library, tmp_path, theme)

    async def run_before(pilot) -> None:
        await _settled(pilot)
        for key in SCREENS[screen]:
            await pilot.press(key)
            await _settled(pilot)
        from textual.widgets import Input

        for box in pilot.app.screen.query(Input):  # a blinking cursor would be drawn on or off by chance
            box.cursor_blink = False
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
