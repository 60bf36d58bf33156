"""A person's corrections: stored apart from the parse, shown as corrected, and never undone by a re-parse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import CORPUS, available
from eduread.library.store import Library
from eduread.parse.model import Correction

pytestmark = pytest.mark.skipif(not available(), reason=f"no development corpus at {CORPUS}")


def eduread(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eduread", "--library", str(home), *args], capture_output=True, text=True, timeout=120
    )


def test_edit_survives_reindex_and_a_parser_upgrade(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    out = eduread(home, "import", str(CORPUS / "010.txt"))
    assert "imported 1 (1 to review)" in out.stdout, out.stdout + out.stderr
    entry = next(e for e in json.loads(eduread(home, "list", "--json").stdout) if not e["place"])
    assert entry["review"] == ["place"]
    out = eduread(home, "edit", entry["id"][:8], "--place", "黄石", "--kind", "plan", "--year", "2024")
    assert out.returncode == 0 and "湖北省 › 黄石市" in out.stdout and "corrected: place, year, kind" in out.stdout
    library = Library(home)
    num = library.entry(entry["id"]).num
    # An older parser's cache forces a re-parse of the stored original, as after an upgrade.
    library.conn.execute("UPDATE parses SET parser_version = 0 WHERE num = ?", (num,))
    library.close()
    assert eduread(home, "reindex").returncode == 0
    listed = json.loads(eduread(home, "list", "--json", "--place", "黄石").stdout)
    assert [e["place_path"] for e in listed] == [["湖北省", "黄石市"]] and listed[0]["review"] == []
    library = Library(home)
    report = library.report(library.entry(entry["id"]).num)
    assert report.place.path == ["湖北省", "黄石市"] and report.corrected == ["place", "year", "kind"]
    assert library.correction(library.entry(entry["id"]).num) == Correction(place="黄石", year=2024, kind="plan")
    library.close()
    out = eduread(home, "edit", entry["id"], "--clear")
    assert "(as parsed)" in out.stdout and "still to check: place" in out.stdout


def test_kind_other_moves_a_report_out_and_back(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    eduread(home, "import", str(CORPUS / "041.txt"))
    entry = next(e for e in json.loads(eduread(home, "list", "--json").stdout) if "长春" in e["place"])
    eduread(home, "edit", entry["id"], "--kind", "other")
    moved = next(e for e in json.loads(eduread(home, "list", "--json").stdout) if e["id"] == entry["id"])
    assert moved["class"] == "other"
    eduread(home, "edit", entry["id"], "--title", "2017年长春市教育工作要点", "--kind", "plan")
    back = next(e for e in json.loads(eduread(home, "list", "--json").stdout) if e["id"] == entry["id"])
    assert back["class"] == "report" and back["title"] == "2017年长春市教育工作要点"


def test_edit_refuses_what_it_cannot_use(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    for args, message in [
        (["nosuchid", "--place", "怀化"], "no report with that id"),
        (["abc", "--year", "99999"], "give a year between"),
        (["abc"], "say what to set"),
    ]:
        out = eduread(home, "edit", *args)
        assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


def test_reports_only_skips_look_alikes_with_a_line_each(tmp_path: Path) -> None:
    home = tmp_path / "lib"
    files = [str(CORPUS / n) for n in ("001.txt", "002.txt", "019.txt", "030.txt")]
    out = eduread(home, "import", "--reports-only", *files)
    assert "imported 1" in out.stdout and "not reports skipped 3" in out.stdout
    assert sum("skipped, not a bureau's work report" in line for line in out.stderr.splitlines()) == 3
    kept = eduread(tmp_path / "all", "import", *files)
    assert "imported 4 (3 other documents)" in kept.stdout


def test_parse_json_says_class_and_review() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "eduread", "parse", "--json", str(CORPUS / "043.txt"), str(CORPUS / "010.txt")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    news, huangshi = json.loads(out.stdout)
    assert news["class"] == "other" and "meeting" in news["class_reason"] and news["review"] == []
    assert huangshi["class"] == "report" and huangshi["class_reason"] == "" and huangshi["review"] == ["place"]
    assert all("what" in f for f in huangshi["figures"])
