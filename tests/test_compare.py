"""Comparison on the real seeds: topic labels, alignment expectations, figure pairs, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEEDS, huaihua_next_year
from eduread.analysis.compare import Comparison, compare, heading
from eduread.analysis.figure_match import label_similarity
from eduread.analysis.parts import part_sections
from eduread.analysis.topics import classify, taxonomy
from eduread.cli import main
from eduread.library.selectors import SelectorError, split_selectors
from eduread.parse import Report, Section, parse_file, parse_text

LABELS = json.loads((Path(__file__).parent / "topic_labels.json").read_text(encoding="utf-8"))

HUAIHUA = "000_74b69ab3a17d35dc.txt"
YUYAO = "001_a6c8c882fd1a3a93.txt"
CHANGSHA = "002_68d8026e029efe2e.txt"
TIANMEN = "003_b5818a88827ebf16.txt"
CHONGCHUAN = "004_b2038b0e5d3d19c3.txt"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Report]:
    return {name: parse_file(SEEDS / name) for name in (HUAIHUA, YUYAO, CHANGSHA, TIANMEN, CHONGCHUAN)}


def find(report: Report, title: str) -> Section:
    return next(s for s in report.all_sections() if heading(s) == title)


def row_of(result: Comparison, side: str, section: Section):
    rows = [r for r in result.rows if r.covers(side, section)]
    assert len(rows) == 1, f"{heading(section)} falls in {len(rows)} rows"
    return rows[0]


def test_taxonomy_has_about_sixteen_topics_with_keywords() -> None:
    topics = taxonomy()
    assert 15 <= len(topics) <= 18
    assert len({t.id for t in topics}) == len(topics)
    assert all(len(t.keywords) >= 5 for t in topics)


def test_topic_accuracy_on_hand_labels(seeds: dict[str, Report]) -> None:
    right = total = 0
    misses = []
    for name, table in LABELS.items():
        if name == "about":
            continue
        report = seeds[name]
        topics = classify(report)
        for top in report.sections:
            for section in (top, *top.children):
                want = table[heading(section)]
                want = want if isinstance(want, list) else [want]
                got = topics[section.start]
                label = "mixed" if got.mixed else (got.primary or "none")
                total += 1
                if label in want:
                    right += 1
                else:
                    misses.append((heading(section), want, label))
    # Every level-1 and level-2 section of the five seeds is labelled (116 of them).
    assert total == 116
    assert right / total >= 0.95, misses


def test_section_scores_read_from_the_report_s_occurrences_equal_a_scan_of_each_section(
    seeds: dict[str, Report], monkeypatch
) -> None:
    from eduread.analysis import topics

    sections = 0
    for report in seeds.values():
        occurrences = topics._Occurrences(report.body)
        for section in report.all_sections():
            stretch = report.body[section.title_end : section.end]
            assert occurrences.score(section.title_end, section.end) == topics.score_text(stretch)
            sections += 1
    assert sections > 100
    # a keyword whose occurrences can overlap (教育教育教育 holds 教育教育 once to str.count, not twice)
    words = [(*topics.taxonomy()[0].keywords, ("教育教育", 1.0))]
    changed = (topics.Topic(topics.taxonomy()[0].id, "test", words[0]), *topics.taxonomy()[1:])
    monkeypatch.setattr(topics, "taxonomy", lambda: changed)
    topics._keywords_by_head.cache_clear()
    topics._overlapping.cache_clear()
    try:
        body = "一、教育教育教育。二、学校教育教育教育教育"
        occurrences = topics._Occurrences(body)
        for start, end in ((0, len(body)), (2, 9), (4, 8), (10, len(body))):
            assert occurrences.score(start, end) == topics.score_text(body[start:end])
        assert occurrences.score(0, len(body))[changed[0].id] >= 3.0
    finally:
        topics._keywords_by_head.cache_clear()
        topics._overlapping.cache_clear()


def test_teacher_sections_of_three_cities_share_a_row(seeds: dict[str, Report]) -> None:
    huaihua, chongchuan, changsha = seeds[HUAIHUA], seeds[CHONGCHUAN], seeds[CHANGSHA]
    teachers = find(huaihua, "(四)教师队伍建设成效明显")
    with_chongchuan = compare(huaihua, chongchuan)
    row = row_of(with_chongchuan, "left", teachers)
    assert row.covers("right", find(chongchuan, "五是注重队伍建设,全面提升师资素养"))
    with_changsha = compare(huaihua, changsha)
    row2 = row_of(with_changsha, "left", teachers)
    assert row2.covers("right", find(changsha, "七、聚焦专业发展,全面加强教师队伍建设"))
    assert row.topic == row2.topic == "teachers"


def test_poverty_relief_and_livelihood_share_a_row(seeds: dict[str, Report]) -> None:
    result = compare(seeds[HUAIHUA], seeds[TIANMEN])
    row = row_of(result, "left", find(seeds[HUAIHUA], "(六)教育扶贫扎实推进"))
    assert row.covers("right", find(seeds[TIANMEN], "17.切实改善教育民生"))


def test_safety_sections_share_a_row(seeds: dict[str, Report]) -> None:
    result = compare(seeds[HUAIHUA], seeds[TIANMEN])
    row = row_of(result, "left", find(seeds[HUAIHUA], "(七)教育大局和谐稳定"))
    assert row.covers("right", find(seeds[TIANMEN], "18.全力维护校园安全"))
    assert row.topic == "safety"


def test_rows_without_partner_show_one_empty_side(seeds: dict[str, Report]) -> None:
    result = compare(seeds[HUAIHUA], seeds[TIANMEN])
    lonely = [r for r in result.rows if not r.paired]
    assert lonely, "天门 has 普通高中 and 职业教育; 怀化 has neither"
    vocational = next(r for r in result.rows if r.topic == "vocational")
    assert not vocational.left and [heading(s) for s in vocational.right] == ["11.夯实职业教育发展基础"]
    # Every unit of each side is in exactly one row.
    for side in ("left", "right"):
        listed = [s.start for r in result.rows for s in getattr(r, side)]
        assert len(listed) == len(set(listed))


def test_parts_of_one_report_compare_summary_with_next_plan(seeds: dict[str, Report]) -> None:
    huaihua = seeds[HUAIHUA]
    result = compare(huaihua, huaihua)
    assert (result.left.part.year, result.left.part.kind) == (2019, "summary")
    assert (result.right.part.year, result.right.part.kind) == (2020, "plan")
    assert not result.plan_vs_outcome  # 2019's results against 2020's plan
    pairs = {p.label: p for r in result.rows for p in r.figures}
    seats = pairs["新增学位"]
    assert (seats.left.text, seats.right.text, seats.difference) == ("4.07万个", "2.86万个以上", "-1.21万个")
    assert row_of(result, "left", find(huaihua, "(三)教育重点项目建设进展顺利")).topic == "schools"


def test_plan_vs_outcome_pairs_targets_with_results(seeds: dict[str, Report]) -> None:
    plan = seeds[HUAIHUA]
    outcome = parse_text(huaihua_next_year())
    result = compare(plan, outcome)
    assert result.plan_vs_outcome
    assert (result.left.part.kind, result.left.part.year) == ("plan", 2020)
    assert (result.right.part.kind, result.right.part.year) == ("summary", 2020)
    seats = next(p for r in result.rows for p in r.figures if p.label == "新增学位")
    assert (seats.left.text, seats.right.text, seats.difference, seats.met) == (
        "2.86万个以上",
        "3.12万个",
        "+0.26万个",
        True,
    )
    swapped = result.swapped()
    seats = next(p for r in swapped.rows for p in r.figures if p.label == "新增学位")
    assert (seats.left.text, seats.difference) == ("3.12万个", "-0.26万个")
    assert [r.topic for r in swapped.rows] == [r.topic for r in result.rows]


def test_different_places_are_never_plan_vs_outcome(seeds: dict[str, Report]) -> None:
    huaihua, chongchuan = seeds[HUAIHUA], seeds[CHONGCHUAN]
    result = compare(huaihua, chongchuan, huaihua.find_part(2020, "plan"), chongchuan.find_part(2019, None))
    assert not result.plan_vs_outcome


def test_part_sections_pick_the_part_headings(seeds: dict[str, Report]) -> None:
    chongchuan = seeds[CHONGCHUAN]
    summary = part_sections(chongchuan, chongchuan.find_part(2019, None))
    plan = part_sections(chongchuan, chongchuan.find_part(2020, None))
    assert [heading(s) for s in summary] == ["一、2019年开展的主要工作"]
    assert [heading(s) for s in plan] == ["二、2020年的工作谋划"]
    assert part_sections(seeds[TIANMEN], seeds[TIANMEN].find_part(2018, None)) == seeds[TIANMEN].sections


def test_label_similarity_needs_two_shared_pairs() -> None:
    assert label_similarity("新增学位", "建改扩建项目新增学位") == 1.0
    assert label_similarity("新建", "新建") == 0.0  # too vague to pair
    assert label_similarity("消除普通高中大班额", "共消除义务教育大班额") < 0.6


def test_selectors_group_place_year_and_kind() -> None:
    found = split_selectors(["怀化", "2019", "崇川", "2020计划"])
    assert [(s.target, s.year, s.kind) for s in found] == [("怀化", 2019, None), ("崇川", 2020, "plan")]
    found = split_selectors(["怀化 2020年 总结", "55a71f5c"])
    assert [(s.target, s.year, s.kind) for s in found] == [
        ("怀化", 2020, "summary"),
        ("55a71f5c", None, None),
    ]
    with pytest.raises(SelectorError, match="before the year"):
        split_selectors(["2019", "怀化"])


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_compare_json_shape(tmp_path: Path, capsys) -> None:
    code, out, err = _run(
        capsys, "--library", str(tmp_path / "lib"), "compare", "怀化", "2019", "崇川", "2019", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["left"]["title"] == "怀化市教育局2019年工作总结与2020年工作计划"
    assert data["right"]["id"].startswith("64bc5b40")
    assert data["left"]["part"] == {"kind": "summary", "year": 2019}
    teachers = next(r for r in data["rows"] if r["topic"] == "教师队伍与师德")
    assert teachers["left"] == ["(四)教师队伍建设成效明显"]
    assert teachers["right"] == ["五是注重队伍建设,全面提升师资素养"]
    assert set(teachers) >= {"topic", "left", "right", "figures"}
    # Only the 2019 summary of 怀化 takes part: no 2020 plan section appears.
    assert "(三)抓好教师队伍建设" not in json.dumps(data, ensure_ascii=False)


def test_cli_compare_same_place_and_year_is_plan_vs_outcome(tmp_path: Path, capsys) -> None:
    library = str(tmp_path / "lib")
    variant = tmp_path / "huaihua-2020.txt"
    variant.write_text(huaihua_next_year(), encoding="utf-8")
    assert main(["--library", library, "import", str(variant)]) == 0
    capsys.readouterr()
    code, out, err = _run(capsys, "--library", library, "compare", "怀化", "2020", "怀化", "2020", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["plan_vs_outcome"] is True
    assert data["left"]["part"] == {"kind": "plan", "year": 2020}
    assert data["right"]["part"] == {"kind": "summary", "year": 2020}
    pair = next(f for r in data["rows"] for f in r["figures"] if f["label"] == "新增学位")
    assert (pair["left"], pair["right"], pair["met"]) == ("2.86万个以上", "3.12万个", True)
    code, out, _ = _run(capsys, "--library", library, "compare", "怀化", "2020", "怀化", "2020")
    assert "plan vs outcome" in out and "target 2.86万个以上" in out and "met" in out


def test_cli_compare_markdown_and_files(tmp_path: Path, capsys) -> None:
    code, out, err = _run(
        capsys,
        "--library",
        str(tmp_path / "lib"),
        "compare",
        str(SEEDS / CHANGSHA),
        str(SEEDS / TIANMEN),
        "--markdown",
    )
    assert code == 0, err
    assert out.startswith("# 长沙市 2019 工作计划 ⇄ 天门市 2018 工作要点")
    assert "| 安全稳定 | 保障校园安全稳定 | 三、全力维护校园安全,确保教育战线和谐稳定 |" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["怀化", "2031", "崇川"], "怀化 2031: no report in the library matches"),
        (["怀化"], "compare needs two reports, got 1"),
        (["怀化", "2019", "崇川", "长沙"], "compare needs two reports, got 3"),
        (["2019", "崇川"], "2019: name a place"),
        (["missing.txt", "怀化"], "missing.txt: no such file"),
    ],
)
def test_cli_compare_bad_selectors_are_one_line(
    tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    code, out, err = _run(capsys, "--library", str(tmp_path / "lib"), "compare", *args)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and message in err


def test_cli_compare_ambiguous_place_lists_the_choices(tmp_path: Path, capsys) -> None:
    library = str(tmp_path / "lib")
    variant = tmp_path / "huaihua-2020.txt"
    variant.write_text(huaihua_next_year(), encoding="utf-8")
    main(["--library", library, "import", str(variant)])
    capsys.readouterr()
    code, _, err = _run(capsys, "--library", library, "compare", "怀化", "2020", "崇川", "2019")
    assert code == 1
    assert "怀化 2020: 2 reports match" in err and "2020工作计划" in err and "2020工作总结" in err
