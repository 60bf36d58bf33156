"""`eduread parse` as a user runs it: summaries, JSON, and one clear line per bad file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import seed_path

HUAIHUA = str(seed_path("000_74b69ab3a17d35dc.txt"))
TIANMEN = str(seed_path("003_b5818a88827ebf16.txt"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eduread", *args], capture_output=True, text=True, timeout=60
    )


def test_summary_shows_outline_and_place() -> None:
    out = run("parse", HUAIHUA)
    assert out.returncode == 0, out.stderr
    assert "湖南省 › 怀化市" in out.stdout
    assert "(一) 思想政治建设持续加强" in out.stdout
    assert "2019 工作总结 (summary)" in out.stdout


def test_json_single_and_many() -> None:
    one = json.loads(run("parse", "--json", HUAIHUA).stdout)
    assert one["title"] == "怀化市教育局2019年工作总结与2020年工作计划"
    assert one["place"]["path"] == ["湖南省", "怀化市"] and one["place"]["code"] == "431200"
    assert {"kind", "year", "label"} <= set(one["parts"][0])
    assert {"level", "marker", "title", "start", "end", "children"} <= set(one["sections"][0])
    assert {"text", "start", "end", "value", "unit", "kind", "bound", "approx", "label"} <= set(
        one["figures"][0]
    )
    many = json.loads(run("parse", "--json", HUAIHUA, TIANMEN).stdout)
    assert [r["place"]["name"] for r in many] == ["怀化市", "天门市"]


def test_bad_files_one_line_each_good_still_print(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "english.txt").write_text("The quick brown fox jumps over the lazy dog. " * 40)
    (tmp_path / "novel.txt").write_text(
        "第一章 风起\n\n" + "他走进了那间屋子,窗外下着雨,灯光昏暗,桌上放着一封旧信。" * 30, encoding="utf-8"
    )
    (tmp_path / "folder").mkdir()
    bad = ["missing.txt", "empty.txt", "binary.txt", "english.txt", "folder"]
    out = run("parse", "--json", *(str(tmp_path / b) for b in bad), str(tmp_path / "novel.txt"), HUAIHUA)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == len(bad)
    for name, line in zip(bad, lines, strict=True):
        assert name in line and line.startswith("eduread: ")
    assert "no such file" in lines[0] and "empty" in lines[1] and "binary" in lines[2]
    assert "not Chinese" in lines[3]
    # Chinese prose that is not a report is read all the same, as `other` with its reason.
    novel, huaihua = json.loads(out.stdout)
    assert novel["class"] == "other" and "education" in novel["class_reason"]
    assert huaihua["class"] == "report" and huaihua["review"] == []
    assert huaihua["place"]["name"] == "怀化市"


def test_gbk_file_parses(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(Path(TIANMEN).read_text(encoding="utf-8").replace("\xa0", " ").encode("gbk"))
    assert json.loads(run("parse", "--json", str(path)).stdout)["title"] == "天门市教育局2018年工作要点"


def test_markup_like_text_prints_literally(tmp_path: Path) -> None:
    path = tmp_path / "markup.txt"
    text = (
        Path(HUAIHUA)
        .read_text(encoding="utf-8")
        .replace("(一)思想政治建设持续加强", "(一)思想[bold]政治[/bold]建设持续加强")
    )
    path.write_text(text, encoding="utf-8")
    out = run("parse", str(path))
    assert "(一) 思想[bold]政治[/bold]建设持续加强" in out.stdout
