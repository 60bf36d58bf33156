"""Questions across the library: figures by measure, term trends, topic coverage, notes, citations, exports."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, huaihua_next_year
from eduread.analysis.citation import citation, quoted
from eduread.analysis.exports import ExportError, escape_cell, write_table
from eduread.analysis.figures_across import matching_keys
from eduread.analysis.trends import trend
from eduread.cli import main
from eduread.library import notes
from eduread.library.search import occurrences
from eduread.library.store import Library
from eduread.text.matching import match_form

HUAIHUA = "000_74b69ab3a17d35dc.txt"


def huaihua_year_after() -> str:
    """怀化's 2021 summary and 2022 plan, derived from the seed: 新增学位 2.45万."""
    text = huaihua_next_year()
    text = text.replace("2020年工作总结与2021年工作计划", "2021年工作总结与2022年工作计划", 1)
    text = text.replace("一、2020年工作总结", "一、2021年工作总结", 1)
    text = text.replace("二、2021年工作计划", "二、2022年工作计划", 1)
    text = text.replace("发布时间:2021-03-02", "发布时间:2022-03-02", 1)
    return text.replace("新增学位3.12万个", "新增学位2.45万个", 1).replace(
        "新增学位2.86万个以上", "新增学位数2万个以上", 1
    )


@pytest.fixture
def folder(tmp_path: Path) -> str:
    """A library of the five seeds and 怀化's next two years."""
    lib = tmp_path / "lib"
    Library(lib).close()
    (tmp_path / "hh2020.txt").write_text(huaihua_next_year(), encoding="utf-8")
    (tmp_path / "hh2021.txt").write_text(huaihua_year_after(), encoding="utf-8")
    assert (
        main(["--library", str(lib), "import", str(tmp_path / "hh2020.txt"), str(tmp_path / "hh2021.txt")])
        == 0
    )
    return str(lib)


def run_json(capsys, *args: str):
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_figures_of_one_measure_over_the_years(folder: str, capsys) -> None:
    rows = run_json(capsys, "--library", folder, "figures", "--what", "新增学位", "--place", "怀化", "--json")
    got = [(r["year"], r["part"], r["text"], r["value"], r["what"]) for r in rows]
    assert got == [
        (2019, "summary", "4.07万个", 40700, "新建改扩建项目新增学位"),
        (2020, "summary", "3.12万个", 31200, "新建改扩建项目新增学位"),
        (2020, "plan", "2.86万个以上", 28600, "新增学位"),
        (2021, "summary", "2.45万个", 24500, "新建改扩建项目新增学位"),
        (2021, "plan", "2.86万个以上", 28600, "新增学位"),
        (2022, "plan", "2万个以上", 20000, "新增学位数"),
    ]
    first = rows[0]
    assert first["province"] == "湖南省" and first["unit"] == "个" and first["kind"] == "count"
    assert first["section"] == "一、2019年工作总结 › (三)教育重点项目建设进展顺利"
    assert first["sentence"].startswith("全市通过新建改扩建项目新增学位4.07万个")
    body = Library(folder).body(1)
    assert body[first["offset"] : first["offset"] + 6] == "4.07万个"


def test_a_measure_is_found_by_its_other_names(folder: str, capsys) -> None:
    plain = run_json(capsys, "--library", folder, "figures", "--what", "新增学位", "--json")
    with_ending = run_json(capsys, "--library", folder, "figures", "--what", "新增学位数", "--json")
    assert plain == with_ending and len(plain) == 6
    longer = run_json(capsys, "--library", folder, "figures", "--what", "建改扩建项目新增学位", "--json")
    assert {r["what"] for r in longer} == {"新建改扩建项目新增学位", "新增学位", "新增学位数"}
    assert matching_keys("新增学位", ["新增学位", "建改扩建项目新增学位", "新增学位学校", "学位"]) == [
        "学位",
        "建改扩建项目新增学位",
        "新增学位",
    ]


def test_a_chart_of_levels_leaves_changes_out(folder: str) -> None:
    """幼儿园1670所,比上年增加43所: the 43 is a change, not the number of kindergartens."""
    from dataclasses import replace

    from eduread.analysis.figures_across import find_figures, series

    library = Library(folder, seed=False)
    base = find_figures(library, what="新增学位")[0]
    library.close()
    level = replace(base, year=2019, value=1670.0, kind="count", unit="所", part_kind="summary")
    change = replace(base, year=2020, value=43.0, kind="change", unit="所", part_kind="summary")
    (line,) = series([level, change], "所")
    assert line.outcomes == [(2019, 1670.0)]
    (line,) = series([change], "所")  # only changes: then they are what is charted
    assert line.outcomes == [(2020, 43.0)]


def test_figures_filter_by_kind_and_year(folder: str, capsys) -> None:
    rows = run_json(capsys, "--library", folder, "figures", "--kind", "percent", "--year", "2019", "--json")
    assert rows and all(r["kind"] == "percent" and r["year"] == 2019 for r in rows)


def _part_stretches(report, by: str) -> dict[str, tuple[int, int]] | None:
    """Each key's stretch of a report of several parts, worked out from the parse itself: a part
    starts at its first section (analysis.parts), the opening belongs to the first; None: whole."""
    from eduread.analysis.parts import part_sections

    if len({(p.year, p.kind) for p in report.parts}) < 2:
        return None
    starts = []
    for part in report.parts:
        sections = part_sections(report, part)
        if sections is report.sections:
            return None
        starts.append((sections[0].start, str(part.year) if by == "year" else part.kind))
    starts.sort()
    bounds = [0, *(s for s, _ in starts[1:]), len(report.body)]
    return {key: (bounds[i], bounds[i + 1]) for i, (_, key) in enumerate(starts)}


@pytest.mark.parametrize("by", ["year", "place", "province", "kind"])
def test_trend_counts_equal_a_plain_scan(folder: str, by: str) -> None:
    library = Library(folder)
    terms = ["学位", "双减", "大班额", "教育局", "%"]
    rows = trend(library, terms, by)
    for term in terms:
        scanned = {e.num: occurrences(match_form(library.body(e.num)), term) for e in library.entries()}
        keyed = [r for r in rows if r.term == term]
        if by in ("place", "province"):  # one key a report: the keys add up to the scan
            assert sum(r.occurrences for r in keyed) == sum(map(len, scanned.values()))
        for row in keyed:
            plain = 0
            for num in row.nums:
                stretches = _part_stretches(library.report(num), by) if by in ("year", "kind") else None
                start, end = stretches[row.key] if stretches else (0, 10**9)
                plain += sum(1 for at in scanned[num] if start <= at < end)
            assert row.occurrences == plain
    if by in ("year", "kind"):  # a key's characters: its parts' stretches, or whole reports
        characters: dict[str, int] = {}
        for entry in library.entries():
            if entry.doc_class != "report" or not entry.parts:
                continue
            report = library.report(entry.num)
            stretches = _part_stretches(report, by)
            for key in {str(p.year) if by == "year" else p.kind for p in report.parts}:
                start, end = stretches[key] if stretches else (0, len(report.body))
                characters[key] = characters.get(key, 0) + end - start
        assert {r.key: r.characters for r in rows if r.term == "学位" and r.key in characters} == characters
    by_year = {(r.term, r.key): r for r in trend(library, ["新增学位", "双减"], "year")}
    # 怀化's reports: each summary's 新增学位 in its own year, each plan's in the next
    assert [by_year[("新增学位", y)].occurrences for y in ("2019", "2020", "2021", "2022")] == [1, 2, 2, 1]
    assert by_year[("双减", "2019")].occurrences == 0


def test_the_top_headings_read_from_a_stored_outline_are_what_json_reads(folder: str) -> None:
    from eduread.library.part_spans import top_headings

    library = Library(folder, seed=False)
    outlines = [o for (o,) in library.conn.execute("SELECT outline FROM parses")]
    library.close()
    odd = [[0, 9, 1, 'a "quoted" 标题 \\ back'], [9, 20, 2, "二级"], [20, 30, 1, '二、x, [1, 2, 1, "y"]']]
    outlines += [json.dumps(odd, ensure_ascii=False), json.dumps(odd, separators=(",", ":")), "[]"]
    for outline in outlines:
        expected = [(start, title) for start, _end, level, title in json.loads(outline) if level == 1]
        assert top_headings(outline) == expected
    assert len(outlines) > 5


def test_trend_cli_json_and_csv(folder: str, capsys, tmp_path: Path) -> None:
    rows = run_json(capsys, "--library", folder, "trend", "新增学位", "--json")
    y2019 = next(r for r in rows if r["key"] == "2019")
    assert y2019["reports"] == 1 and y2019["occurrences"] == 1  # its 2019 summary: the 2020 plan's is 2020's
    assert y2019["per_10k"] == round(1 * 10000 / y2019["characters"], 3)
    out = tmp_path / "trend.csv"
    assert main(["--library", folder, "trend", "学位", "--by", "place", "--csv", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == ["term", "key", "reports", "reports_total", "occurrences", "characters", "per_10k"]
    assert ["学位", "怀化市"] == table[[r[1] for r in table].index("怀化市")][:2]


def test_an_export_never_replaces_a_file_unasked(folder: str, capsys, tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    out.write_text("mine", encoding="utf-8")
    assert main(["--library", folder, "figures", "--csv", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "already exists" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "mine"
    assert main(["--library", folder, "figures", "--csv", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["--library", folder, "figures", "--csv", str(tmp_path / "nope" / "f.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cells_that_would_run_as_formulas_are_escaped(tmp_path: Path) -> None:
    assert [escape_cell(v) for v in ("=SUM(A1)", "+1", "-x", "@a", "\tx", "\rx", "ok", -3, 2.5)] == [
        "'=SUM(A1)",
        "'+1",
        "'-x",
        "'@a",
        "'\tx",
        "'\rx",
        "ok",
        -3,
        2.5,
    ]
    rows = [['=HYPERLINK("http://x")', -1, "怀化"]]
    target = write_table(tmp_path / "t.csv", ["a", "b", "c"], rows)
    text = target.read_bytes().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ['\'=HYPERLINK("http://x")', "-1", "怀化"]
    with pytest.raises(ExportError):
        write_table(tmp_path / "t.txt", ["a"], [[1]])


def test_xlsx_opens_with_its_rows(folder: str, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "f.xlsx"
    assert main(["--library", folder, "figures", "--what", "新增学位", "--xlsx", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("report", "place", "province", "year")
    assert [(r[1], r[3], r[7]) for r in values[1:3]] == [("怀化市", 2019, 40700), ("怀化市", 2020, 31200)]


def test_topic_matrix_by_place_and_year(folder: str, capsys) -> None:
    data = run_json(capsys, "--library", folder, "topics", "--json")
    places = {row["place"]: row for row in data["rows"]}
    assert set(places) == {"怀化市", "余姚市", "长沙市", "天门市", "南通市崇川区"}
    assert places["怀化市"]["reports"] == 3
    huaihua = places["怀化市"]
    assert (
        huaihua["党建与政治建设"] > 15
        and 0 < sum(v for k, v in huaihua.items() if k not in ("place", "reports")) <= 100
    )
    by_year = run_json(capsys, "--library", folder, "topics", "--by", "year", "--place", "怀化", "--json")
    assert [r["year"] for r in by_year["rows"]] == ["2019", "2020", "2021", "2022"]


def test_notes_round_trip_and_export(folder: str, capsys, tmp_path: Path) -> None:
    library = Library(folder)
    body = library.body(1)
    start = body.index("全市通过新建改扩建项目")
    note_id = notes.add_note(library.conn, 1, start, start + 20, "学位供给的增速", "学位, 供给，学位")
    notes.add_note(library.conn, 2, 0, 10, "=cmd|' /C calc'!A0", ["其他"])
    got = notes.note(library.conn, note_id)
    assert got is not None and (got.start, got.end, got.codes, got.place) == (
        start,
        start + 20,
        ["学位", "供给"],
        "怀化市",
    )
    assert [n.id for n in notes.notes(library.conn, code="学位")] == [note_id]
    assert notes.codes(library.conn) == {"供给": 1, "其他": 1, "学位": 1}
    rows = run_json(capsys, "--library", folder, "notes", "--code", "学位", "--json")
    assert rows[0]["passage"] == body[start : start + 20]
    assert rows[0]["citation"] == "——怀化市教育局《2019年工作总结与2020年工作计划》,一、(三),发布于2020-09-02"
    capsys.readouterr()
    assert main(["--library", folder, "notes", "--markdown"]) == 0
    md = capsys.readouterr().out
    assert "> " + body[start : start + 20] in md and "`学位`" in md
    out = tmp_path / "notes.csv"
    assert main(["--library", folder, "notes", "--csv", str(out)]) == 0
    assert "'=cmd|" in out.read_bytes().decode("utf-8-sig")
    capsys.readouterr()
    assert main(["--library", folder, "cite", "--note", str(note_id)]) == 0
    assert capsys.readouterr().out == (
        body[start : start + 20]
        + "\n——怀化市教育局《2019年工作总结与2020年工作计划》,一、(三),发布于2020-09-02\n学位供给的增速\n"
    )
    assert main(["--library", folder, "cite", "--note", "999"]) == 2
    notes.update_note(library.conn, note_id, "改写", "新码")
    assert notes.note(library.conn, note_id).codes == ["新码"]
    assert notes.delete_note(library.conn, note_id) and notes.note(library.conn, note_id) is None


def test_bookmarks_are_notes_and_can_be_deleted(folder: str) -> None:
    library = Library(folder)
    assert library.add_bookmark(1, 120, "(三)教育重点项目建设进展顺利")
    assert not library.add_bookmark(1, 120, "again")  # one bookmark a place: `m` twice says so
    assert library.add_bookmark(2, 5, "开头")
    assert [b[:3] for b in library.bookmarks()] == [(2, 5, "开头"), (1, 120, "(三)教育重点项目建设进展顺利")]
    assert [n.kind for n in notes.notes(library.conn, kind="bookmark")] == ["bookmark", "bookmark"]
    assert notes.notes(library.conn) == []  # bookmarks are not listed as notes
    library.remove_bookmark(1, 120)
    assert [b[:2] for b in library.bookmarks()] == [(2, 5)]


def test_old_bookmarks_and_notes_move_into_the_notes_table(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    path = library.path
    library.close()
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP TABLE notes; CREATE TABLE notes (num INTEGER NOT NULL, offset INTEGER NOT NULL, text TEXT NOT NULL,"
        " created TEXT NOT NULL DEFAULT (datetime('now')));"
        "INSERT INTO notes(num, offset, text) VALUES (1, 40, 'old note');"
        "INSERT INTO bookmarks(num, offset, label) VALUES (3, 77, 'old mark');"
        "DELETE FROM state WHERE key = 'across';"
    )
    conn.commit()
    conn.close()
    library = Library(tmp_path / "lib")
    assert [b[:3] for b in library.bookmarks()] == [(3, 77, "old mark")]
    assert [(n.num, n.start, n.text) for n in notes.notes(library.conn)] == [(1, 40, "old note")]


def test_citation_of_a_passage_and_of_a_report(folder: str, capsys) -> None:
    library = Library(folder)
    report = library.report(1)
    start = report.body.index("全市通过新建改扩建项目")
    expected = "——怀化市教育局《2019年工作总结与2020年工作计划》,一、(三),发布于2020-09-02"
    assert citation(report, start, start + 10) == expected
    assert quoted(report, start, start + 10) == report.body[start : start + 10] + "\n" + expected
    changsha = library.report(next(e.num for e in library.entries() if e.place_name == "长沙市"))
    assert citation(changsha) == "——长沙市教育局《2019年工作计划》,发布于2019-01-22"
    capsys.readouterr()
    assert main(["--library", folder, "cite", report.id[:8]]) == 0
    assert capsys.readouterr().out == "——怀化市教育局《2019年工作总结与2020年工作计划》,发布于2020-09-02\n"
    number = [s.start for s in report.all_sections()].index(report.section_path(start)[-1].start) + 1
    assert main(["--library", folder, "cite", report.id[:8], "--section", str(number)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("(三)教育重点项目建设进展顺利") and out.endswith(expected + "\n")
    assert main(["--library", folder, "cite", report.id[:8], "--section", "999"]) == 2


def test_figures_table_fills_for_a_library_from_before_it(folder: str, capsys) -> None:
    library = Library(folder)
    library.conn.execute("DELETE FROM figures")
    library.conn.execute("DELETE FROM figures_done")
    library.close()
    rows = run_json(capsys, "--library", folder, "figures", "--what", "新增学位", "--json")
    assert len(rows) == 6


def test_figures_keep_their_sentences_as_offsets_and_older_tables_are_made_again(folder: str, capsys) -> None:
    before = run_json(capsys, "--library", folder, "figures", "--what", "新增学位", "--json")
    library = Library(folder)
    conn = library.conn
    columns = {r[1] for r in conn.execute("PRAGMA table_info(figures)")}
    assert "sentence" not in columns and {"sentence_start", "sentence_end"} <= columns
    for start, end, lo, hi in conn.execute("SELECT start, end, sentence_start, sentence_end FROM figures"):
        assert lo <= start < end <= hi  # the figure stands inside its sentence
    with library.transaction() as conn:  # the version-2 layout: each figure's sentence copied out
        conn.execute("DROP TABLE figures")
        conn.execute(
            "CREATE TABLE figures (num INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,"
            " text TEXT NOT NULL, value REAL, unit TEXT NOT NULL, kind TEXT NOT NULL, what TEXT NOT NULL,"
            " what_key TEXT NOT NULL, bound TEXT, approx TEXT, part_kind TEXT, year INTEGER,"
            " section TEXT NOT NULL, sentence TEXT NOT NULL)"
        )
        conn.execute("UPDATE state SET value = '2' WHERE key = 'across'")
    library.close()
    after = run_json(capsys, "--library", folder, "figures", "--what", "新增学位", "--json")
    assert after == before and len(after) == 6


def test_seed_files_are_what_the_tests_assume() -> None:
    assert "新增学位4.07万个" in (SEEDS / HUAIHUA).read_text(encoding="utf-8")


def test_notes_follow_a_report_replaced_when_its_cleaned_text_changes(tmp_path: Path) -> None:
    from eduread.library.reparse import reparse_stale
    from eduread.parse.model import PARSER_VERSION

    library = Library(tmp_path / "lib")
    old = library.entries(place="天门")[0]
    body = library.body(old.num)
    start = body.index("全力维护校园安全")
    notes.add_note(library.conn, old.num, start, start + 8, "安全", "安全")
    library.add_bookmark(old.num, start, "mark")
    from eduread.library.packed import pack, unpack

    with library.transaction() as conn:  # as if an older cleaner had kept a line that today's removes
        (packed,) = conn.execute("SELECT original FROM texts WHERE num = ?", (old.num,)).fetchone()
        original = unpack(packed, body)  # the original is stored deflated against its body
        conn.execute(
            "UPDATE texts SET body = ?, original = ? WHERE num = ?",
            ("旧版页脚\n" + body, pack(original, "旧版页脚\n" + body), old.num),
        )
        conn.execute("UPDATE notes SET start = start + 5, end = end + 5 WHERE num = ?", (old.num,))
        conn.execute("UPDATE parses SET parser_version = ? WHERE num = ?", (PARSER_VERSION - 1, old.num))
    assert reparse_stale(library) == 1
    new = library.entries(place="天门")[0]
    assert new.num != old.num
    moved = notes.notes(library.conn, num=new.num)
    assert [(n.start, n.end, n.text, n.codes) for n in moved] == [(start, start + 8, "安全", ["安全"])]
    assert [b[:3] for b in library.bookmarks()] == [(new.num, start, "mark")]
    assert library.body(new.num)[moved[0].start : moved[0].end] == "全力维护校园安全"


def test_trend_reads_traditional_characters_as_simplified(tmp_path: Path) -> None:
    text = (SEEDS / "001_a6c8c882fd1a3a93.txt").read_text(encoding="utf-8")
    assert "双减" in text
    variant = tmp_path / "traditional.txt"
    variant.write_text(text.replace("余姚", "慈溪").replace("双减", "雙減", 1), encoding="utf-8")
    library = Library(tmp_path / "lib")
    assert main(["--library", str(library.folder), "import", str(variant)]) == 0
    rows = {r.key: r for r in trend(library, ["双减"], "place")}
    scanned = sum(
        len(occurrences(match_form(library.body(e.num)), "双减")) for e in library.entries(place="慈溪")
    )
    assert rows["慈溪市"].occurrences == scanned == rows["余姚市"].occurrences


def test_a_table_on_an_80_column_terminal_keeps_each_row_on_one_line(capsys, monkeypatch) -> None:
    import os
    import shutil

    from rich.cells import cell_len

    from eduread.commands.table_out import print_table

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a: os.terminal_size((80, 24)))
    columns = ["report", "place", "year", "part", "text", "what", "section", "sentence"]
    row = [
        "55a71f5c4d",
        "怀化市",
        "2019",
        "summary",
        "4.07万个",
        "新建改扩建项目新增学位",
        "一、2019年工作总结 › (三)教育重点项目建设进展顺利",
        "全市通过新建改扩建项目新增学位4.07万个,全年共消除义务教育大班额1463个。",
    ]
    print_table(columns, [row, row])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(cell_len(line) <= 80 for line in lines)
    assert lines[1].startswith("55a71f5c4d") and "…" in lines[1]
    long = [*row[:4], "2.86万个以上", *row[5:]]  # the figure itself, as `eduread figures` keeps it
    print_table(columns, [long], keep=[2, 4])
    lines = capsys.readouterr().out.splitlines()
    assert (
        all(cell_len(line) <= 80 for line in lines) and " 2019 " in lines[1] and " 2.86万个以上 " in lines[1]
    )
