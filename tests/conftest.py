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
