"""Shared fixtures: the seed files, their hand-checked facts, and XDG dirs kept in a temp folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EXPECTED = json.loads((Path(__file__).parent / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own XDG dirs and library, so the real user dirs are never touched."""
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = tmp_path / "xdg" / var.lower()
        path.mkdir(parents=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.delenv("EDUREAD_HOME", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def seed_path(name: str) -> Path:
    """Path of a bundled seed file by its file name in expected.json."""
    return SEEDS / name


@pytest.fixture(params=[e["file"] for e in EXPECTED], ids=[e["place"] for e in EXPECTED])
def expected(request: pytest.FixtureRequest) -> dict:
    """One seed's hand-checked facts."""
    return next(e for e in EXPECTED if e["file"] == request.param)


def huaihua_next_year() -> str:
    """怀化's following report, derived from the seed: 2020 summary and 2021 plan, one result changed."""
    text = (SEEDS / "000_74b69ab3a17d35dc.txt").read_text(encoding="utf-8")
    text = text.replace("2019年工作总结与2020年工作计划", "2020年工作总结与2021年工作计划", 1)
    text = text.replace("一、2019年工作总结", "一、2020年工作总结", 1)
    text = text.replace("二、2020年工作计划", "二、2021年工作计划", 1)
    text = text.replace("发布时间:2020-09-02", "发布时间:2021-03-02", 1)
    return text.replace("新增学位4.07万个", "新增学位3.12万个", 1)


def seeded_library(tmp_path: Path) -> str:
    """A library folder holding the five seeds (made the way a new user's library is)."""
    from eduread.library.store import Library

    folder = tmp_path / "lib"
    Library(folder).close()
    return str(folder)


def report_num(folder: str, place: str, year: int | None = None) -> int:
    """The number of the first report of a place (and year) in a library folder."""
    from eduread.library.store import Library

    lib = Library(folder)
    try:
        return lib.entries(place=place, year=year)[0].num
    finally:
        lib.close()
