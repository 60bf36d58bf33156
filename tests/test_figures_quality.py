"""How many of the seeds' Arabic-digit figures are found, and how many highlighted ones are real."""

from __future__ import annotations

import re

from conftest import EXPECTED, seed_path
from eduread.parse import parse_file

# Hand-checked: digit runs in the seeds that are not figures a reader wants highlighted.
NOT_FIGURES = {
    "000_74b69ab3a17d35dc.txt": {"2.0"},  # 教育信息化2.0 (a programme name)
    "001_a6c8c882fd1a3a93.txt": {"1", "5"},  # “1+X+Y” model, 5A等级 grade
    "002_68d8026e029efe2e.txt": {"2", "1"},  # 体艺“2+1” programme
    "004_b2038b0e5d3d19c3.txt": {"12345"},  # the 12345 hotline
}


def test_every_digit_run_is_found() -> None:
    total = found = 0
    for entry in EXPECTED:
        report = parse_file(seed_path(entry["file"]))
        covered = [(f.start, f.end) for f in report.figures]
        covered += [(s.start, s.title_start) for s in report.all_sections()]
        for match in re.finditer(r"\d+", report.body):
            total += 1
            if any(a <= match.start() and match.end() <= b for a, b in covered):
                found += 1
    assert total > 250
    assert found / total >= 0.98


def test_highlighted_figures_are_real() -> None:
    highlighted = wrong = 0
    for entry in EXPECTED:
        report = parse_file(seed_path(entry["file"]))
        for figure in report.figures:
            if figure.highlighted:
                highlighted += 1
                if figure.text in NOT_FIGURES.get(entry["file"], set()):
                    wrong += 1
            if figure.kind in ("year", "date"):
                assert not figure.highlighted
        for text in NOT_FIGURES.get(entry["file"], set()):
            assert all(not f.highlighted for f in report.figures if f.text == text), text
    assert highlighted > 180
    assert (highlighted - wrong) / highlighted >= 0.98


def test_set_phrases_are_not_figures() -> None:
    report = parse_file(seed_path("000_74b69ab3a17d35dc.txt"))
    texts = {f.text for f in report.figures}
    for phrase in ("一岗双责", "十九大", "三帮一劝", "两个维护"):
        assert phrase in report.body
        assert not any(phrase in t for t in texts)


def test_labels_name_the_measure() -> None:
    report = parse_file(seed_path("000_74b69ab3a17d35dc.txt"))
    labels = {f.text: f.label for f in report.figures}
    assert labels["4.07万个"] == "建改扩建项目新增学位"[-4:] or labels["4.07万个"].endswith("新增学位")
    assert labels["90.21%"] == "录取率"
    assert labels["2.86万个以上"].endswith("新增学位")
    changes = [f for f in report.figures if f.kind == "change"]
    assert {f.text for f in changes} >= {"1388人", "67%"}


def test_what_is_counted_stops_at_a_paragraph_break_but_not_at_a_wrapped_line() -> None:
    from eduread.parse import parse_text

    head = "南通市崇川区教育体育局2019年工作总结\n\n一、主要工作\n"
    paragraph = parse_text(head + "完成9所学校的雨污分流整治工程\n\n三是加强科研引领,不断提升教育质量。\n")
    assert [f.what for f in paragraph.figures if f.text == "9所"] == ["雨污分流整治工程"]  # not 工程三
    wrapped = parse_text(head + "完成9所学校的雨污分\n流整治工程。\n")  # a PDF's line wrap inside a word
    assert [f.what for f in wrapped.figures if f.text == "9所"] == ["雨污分流整治工程"]
    # the Chongchuan seed itself
    seed = parse_file(seed_path("004_b2038b0e5d3d19c3.txt"))
    assert [f.what for f in seed.figures if f.text == "9所"] == ["雨污分流整治工程"]


def test_a_long_label_is_cut_where_a_place_name_ends_not_inside_it() -> None:
    from eduread.parse import parse_text

    text = "余姚市教育局2023年工作总结\n\n一、主要工作\n入选宁波市基层思想政治工作优秀案例汇编1项,宣讲团走进校园。\n"
    (what,) = [f.what for f in parse_text(text).figures if f.text == "1项"]
    assert what == "基层思想政治工作优秀案例汇编"  # was 波市基层…: the last 16 characters
