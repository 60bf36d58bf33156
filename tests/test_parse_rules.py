"""One test per rule of how the genre is written, each on a seed or corpus text changed the way real pages are."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS
from eduread.parse import parse_bytes, parse_text
from eduread.text.matching import match_form

HUAIHUA = (SEEDS / "000_74b69ab3a17d35dc.txt").read_text(encoding="utf-8")
BODY = HUAIHUA.split("\n", 1)[1]  # everything below the title line
TITLE = "怀化市教育局2019年工作总结与2020年工作计划"


def _parts(report) -> list[tuple[str, int | None]]:
    return [(p.kind, p.year) for p in report.parts]


# ---- titles ------------------------------------------------------------------------------------


def test_notice_wrapper_gives_the_report_its_own_title_and_signature() -> None:
    wrapped = (
        "怀教发〔2020〕12号\n\n怀化市教育局关于印发《怀化市教育局2019年工作总结与2020年工作计划》的通知\n\n"
        "各县市区教育局,市直各学校:\n现将《怀化市教育局2019年工作总结与2020年工作计划》印发给你们,请认真贯彻落实。\n\n"
        "怀化市教育局\n二〇二〇年一月八日\n\n" + HUAIHUA
    )
    report = parse_text(wrapped)
    assert report.title == TITLE
    assert report.signed == "2020-01-08"
    assert _parts(report) == [("summary", 2019), ("plan", 2020)]
    assert report.sections[0].title == "2019年工作总结"
    assert "印发给你们" not in report.body


def test_title_glued_to_the_first_sentence() -> None:
    glued = TITLE + BODY.replace("\n", "", 3).lstrip().replace(
        "发布时间:2020-09-02 09:51 信息来源:怀化市教育局", "", 1
    )
    report = parse_text(glued.replace("\n\n", "\n"))
    assert report.title == TITLE
    assert report.place.path == ["湖南省", "怀化市"]


def test_title_split_over_two_lines_and_repeated() -> None:
    text = "首页 > 计划总结\n怀化市教育局2019年工作总结\n与2020年工作计划\n\n" + TITLE + "\n" + BODY
    report = parse_text(text)
    assert _parts(report) == [("summary", 2019), ("plan", 2020)]
    assert TITLE not in report.body[:200]


def test_html_heading_hint_and_file_name_stand_in_for_a_missing_title() -> None:
    bare = BODY.split("一、", 1)[1]
    bare = "一、" + bare
    hinted = parse_text(
        bare, title_hints=["怀化市教育局2019年工作总结与2020年工作计划_计划总结_怀化市教育局"]
    )
    assert hinted.title == TITLE and hinted.place.path == ["湖南省", "怀化市"]
    named = parse_text(bare, source_name="/downloads/宁波市教育局2019年工作总结.html")
    assert named.title == "宁波市教育局2019年工作总结"
    assert named.place.path == ["浙江省", "宁波市"]
    assert _parts(named) == [("summary", 2019)]


def test_metadata_labels_and_values_on_separate_lines() -> None:
    text = (
        "索 引 号:\n430000/2020-00084\n发布机构:\n怀化市教育局\n生成日期:\n2020年09月02日\n标  题:\n"
        + TITLE
        + "\n\n"
        + HUAIHUA
    )
    report = parse_text(text)
    assert report.published == "2020-09-02"
    assert report.index_number == "430000/2020-00084"
    assert report.title == TITLE


def test_subtitle_of_a_speech_report_is_not_its_title() -> None:
    text = (
        "深化改革 全面提升怀化教育的整体水平\n——在2020年全市教育工作会议上的报告\n(2020年3月5日)\n同志们:\n"
        "这次会议的主要任务是,总结2019年工作,安排部署2020年全市教育工作任务。\n" + BODY
    )
    report = parse_text(text)
    assert report.title.startswith("深化改革")
    assert report.signed == "2020-03-05"
    assert _parts(report) == [("summary", 2019), ("plan", 2020)]
    assert report.place.path == ["湖南省", "怀化市"]


# ---- years and kinds ---------------------------------------------------------------------------


def test_parts_from_part_headings_when_the_title_names_none() -> None:
    report = parse_text("您当前的位置:首页 > 内容\n" + BODY)
    assert _parts(report) == [("summary", 2019), ("plan", 2020)]


def test_content_farm_title_year_loses_to_the_body() -> None:
    text = HUAIHUA.replace(
        "怀化市教育局2019年工作总结与2020年工作计划", "教育局2024年工作总结与2025年工作计划", 1
    )
    report = parse_text(text)
    assert _parts(report) == [("summary", 2019), ("plan", 2020)]
    assert any("2024" in note and "2019" in note for note in report.review)


@pytest.mark.parametrize("masked", ["20XX", "20xx", "xxxx"])
def test_masked_years_are_unknown(masked: str) -> None:
    text = HUAIHUA.replace("2019年工作总结与2020年工作计划", f"{masked}年工作总结", 1)
    text = text.replace("一、2019年工作总结", "一、工作总结").replace("二、2020年工作计划", "二、工作计划")
    text = text.replace("2019年,在市委", "一年来,在市委")
    report = parse_text(text)
    assert all(p.year is None for p in report.parts)
    assert "year" in report.review


def test_half_year_report_has_h1_and_h2_parts() -> None:
    text = HUAIHUA.replace("2019年工作总结与2020年工作计划", "2020年上半年工作总结及下半年工作计划", 1)
    text = text.replace("一、2019年工作总结", "一、上半年工作总结").replace(
        "二、2020年工作计划", "二、下半年工作计划"
    )
    text = text.replace("2019年,在市委", "2020年上半年,在市委")
    report = parse_text(text)
    assert [(p.kind, p.year, p.period) for p in report.parts] == [
        ("summary", 2020, "H1"),
        ("plan", 2020, "H2"),
    ]


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("工作意见", "plan"),
        ("工作安排", "plan"),
        ("工作打算", "plan"),
        ("工作年报", "summary"),
        ("工作汇报", "summary"),
    ],
)
def test_genre_words(word: str, kind: str) -> None:
    text = HUAIHUA.replace("2019年工作总结与2020年工作计划", f"2020年{word}", 1)
    assert _parts(parse_text(text)) == [(kind, 2020)]


# ---- places ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issuer", "path"),
    [
        ("怀化教育局", ["湖南省", "怀化市"]),
        ("中共绍兴市教育局委员会", ["浙江省", "绍兴市"]),
        ("内蒙古自治区教育厅", ["内蒙古自治区"]),
        ("广西教育厅", ["广西壮族自治区"]),
        ("北京市教委", ["北京市"]),
        ("东城区教委", ["北京市", "东城区"]),
        ("九江市柴桑区教体局", ["江西省", "九江市", "柴桑区"]),
        ("赣州市赣县区教科体局", ["江西省", "赣州市", "赣县区"]),
    ],
)
def test_issuers_resolve_to_places(issuer: str, path: list[str]) -> None:
    text = HUAIHUA.replace("怀化市教育局", "@").replace("怀化", "本地").replace("@", issuer)
    report = parse_text(text)
    assert report.place.path == path
    assert "中共" not in report.place.name or path == ["浙江省", "绍兴市"]
    assert report.review == []


def test_provincial_department_with_the_province_named_elsewhere() -> None:
    text = HUAIHUA.replace("怀化市教育局2019年", "省教育厅2019年", 1).replace("怀化", "湖南")
    report = parse_text(text)
    assert report.place.path == ["湖南省"]


def test_name_in_several_provinces_is_settled_by_context_or_reported_ambiguous() -> None:
    ambiguous = parse_text(
        HUAIHUA.replace("怀化市教育局", "鼓楼区教育局").replace("怀化", "本地").replace("湖南", "本省")
    )
    assert ambiguous.place.ambiguous and not ambiguous.place.path
    assert any(r.startswith("place: ambiguous") for r in ambiguous.review)
    settled = parse_text(HUAIHUA.replace("怀化市教育局", "南京市鼓楼区教育局").replace("怀化", "本地"))
    assert settled.place.path == ["江苏省", "南京市", "鼓楼区"]


@pytest.mark.parametrize("masked", ["XX县", "*区", "某市"])
def test_masked_places_are_unknown(masked: str) -> None:
    report = parse_text(HUAIHUA.replace("怀化市", masked).replace("怀化", "本地"))
    assert report.place.path == [] and "place" in report.review


def test_place_named_only_in_the_opening_paragraphs() -> None:
    text = "2020年,东城区教育工作的总体要求是:坚持东城教育优质均衡发展。\n" + BODY.replace("怀化", "东城")
    report = parse_text(text)
    assert report.place.path == ["北京市", "东城区"]
    assert _parts(report)[0] == ("summary", 2019)


# ---- scripts and characters --------------------------------------------------------------------


def test_traditional_big5_report_reads_as_simplified_for_matching() -> None:
    text = (
        "臨湘市教育體育局2017年工作計劃\n\n一、加強黨的建設\n全市教育系統新增學位1200個,培訓教師3000人次,"
        "建設學校20所。學校教育教學質量穩步提升。\n二、推進教育均衡發展\n學校建設與教師隊伍建設同步推進。"
    )
    report = parse_bytes(text.encode("big5"), "lx.txt")
    assert report.place.path == ["湖南省", "岳阳市", "临湘市"]
    assert _parts(report) == [("plan", 2017)]
    assert report.parts[0].label == "工作計劃"
    assert [s.title for s in report.sections] == ["加強黨的建設", "推進教育均衡發展"]
    places = {f.text: f.what for f in report.figures}
    assert places["1200個"] == "新增学位" and places["20所"] == "学校"
    assert "學位" in report.body  # shown and copied as written


def test_pinyin_glosses_do_not_hide_the_genre() -> None:
    text = HUAIHUA.replace(TITLE, "怀化市教育局2019年工作(zuo)總(zong)結與2020年工作(zuo)計劃", 1)
    report = parse_text(text)
    assert _parts(report) == [("summary", 2019), ("plan", 2020)]
    assert report.doc_class == "report"


# ---- outline -----------------------------------------------------------------------------------


def test_headings_with_spaces_inside_and_glued_to_their_sentence() -> None:
    text = HUAIHUA.replace("一、2019年工作总结", "一、2019 年工作总结").replace(
        "二、2020年工作计划\n", "二、工作计划2020年,全市教育系统将继续推进。\n"
    )
    report = parse_text(text)
    assert report.sections[0].title == "2019 年工作总结"
    assert report.sections[1].title == "工作计划"


def test_unnumbered_part_headings_stand_above_yi() -> None:
    text = HUAIHUA.replace("一、2019年工作总结", "2019年工作总结\n一、主要工作").replace(
        "二、2020年工作计划", "2020年工作计划\n一、重点任务"
    )
    report = parse_text(text)
    assert [s.title for s in report.sections] == ["2019年工作总结", "2020年工作计划"]
    assert report.sections[0].children[0].title == "主要工作"


def test_goal_list_before_the_first_yi_is_not_outline() -> None:
    text = "2020年主要目标是:\n1.新增学位1万个。\n2.建设学校10所。\n" + BODY
    report = parse_text(text)
    assert report.sections[0].title == "2019年工作总结"


@pytest.mark.parametrize("marker", ["【实事{n}】", "第{cn}部分 "])
def test_other_top_level_markers(marker: str) -> None:
    cn = "一二三四"
    text = HUAIHUA.replace("一、2019年工作总结", marker.format(n=1, cn=cn[0]) + "2019年工作总结").replace(
        "二、2020年工作计划", marker.format(n=2, cn=cn[1]) + "2020年工作计划"
    )
    report = parse_text(text)
    assert [s.title for s in report.sections] == ["2019年工作总结", "2020年工作计划"]


def test_contents_list_at_the_top_is_not_the_outline() -> None:
    toc = "目录\n一、2019年工作总结\n二、2020年工作计划\n\n"
    report = parse_text(TITLE + "\n" + toc + BODY)
    first = report.sections[0]
    assert first.title == "2019年工作总结" and first.children  # the real one, with its (一)…
    assert len(report.sections) == 2


def test_ocr_damage_is_not_a_heading() -> None:
    text = HUAIHUA.replace("(一)思想政治建设持续加强。", "(一)思想政治建设持续加强。\n2.亿元投入学校建设。\n")
    report = parse_text(text)
    assert all(not s.title.startswith("亿元") for s in report.all_sections())


# ---- figures say what they count ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text", "what"),
    [
        ("全市建设13个录播教室。", "13个", "录播教室"),
        ("新增学位1.2万个,学校建设加快。", "1.2万个", "新增学位"),
        ("公开招聘补充600名教师。", "600名", "教师"),
        ("建成10个以上名校长工作室。", "10个以上", "名校长工作室"),
        ("在校生12000人,同比增加1388人。", "1388人", "在校生"),
        ("选树36名政治素质高的机关同志组成督导组。", "36名", "机关同志"),
        ("遴选42节“思政金课”。", "42节", "思政金课"),
        ("公办幼儿园在园幼儿占比达54.96%。", "54.96%", "公办幼儿园在园幼儿占比"),
    ],
)
def test_figures_say_what_they_count(sentence: str, text: str, what: str) -> None:
    report = parse_text(
        HUAIHUA.replace("(一)思想政治建设持续加强。", "(一)思想政治建设持续加强。" + sentence, 1)
    )
    found = [f for f in report.figures if f.text == text and sentence.find(text) >= 0]
    assert any(f.what == what for f in found), [(f.text, f.what) for f in found]


def test_anniversaries_ratios_and_spans_are_not_counts() -> None:
    sentence = "庆祝建党99周年,师生比1:13.5,实施《三年行动计划(2021—2025年)》。"
    report = parse_text(
        HUAIHUA.replace("(一)思想政治建设持续加强。", "(一)思想政治建设持续加强。" + sentence, 1)
    )
    kinds = {f.text: f.kind for f in report.figures}
    assert kinds["99周年"] != "count" and kinds["1:13.5"] == "ratio" and kinds["2021—2025年"] == "year"


def test_huge_digit_runs_are_not_figures() -> None:
    report = parse_text(HUAIHUA.replace("(一)思想政治建设持续加强。", "(一)" + "9" * 5000 + "个学校。", 1))
    assert all(len(f.text) < 100 for f in report.figures)
    import json

    json.dumps(report.to_dict(), allow_nan=False)  # no Infinity, no NaN


def test_chinese_numeral_counts_but_not_slogans() -> None:
    sentence = "全力推动以下八个方面工作。做到“两个维护”,增强四个意识、坚定四个自信,落实党的十九大精神。"
    report = parse_text(
        HUAIHUA.replace("(一)思想政治建设持续加强。", "(一)思想政治建设持续加强。" + sentence, 1)
    )
    texts = {f.text: f for f in report.figures}
    assert texts["八个方面"].value == 8
    assert not {"两个", "四个", "十九大"} & set(texts)


# ---- what is not a bureau's report -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("怀化市教育局召开2020年全市教育工作会议", "meeting"),
        ("2020年怀化市政府工作报告", "政府工作报告"),
        ("怀化市第一中学2020年工作计划", "school"),
        ("怀化市教育局局长2020年度述职述廉报告", "述职"),
        ("怀化市教育局2020年度部门决算", "决算"),
    ],
)
def test_look_alikes_are_other_with_a_reason(title: str, reason: str) -> None:
    report = parse_text(HUAIHUA.replace(TITLE, title, 1).replace("全市", "全校"))
    assert report.doc_class == "other"
    assert reason in report.class_reason
    assert report.review == []


def test_a_novel_is_other_and_english_is_refused(tmp_path: Path) -> None:
    from eduread.errors import ReportError

    novel = parse_text("第一回 风起\n" + "他推开门,雨下个不停,灯光昏暗,桌上放着一封旧信。" * 40)
    assert novel.doc_class == "other" and "education" in novel.class_reason
    with pytest.raises(ReportError):
        parse_text("Annual work report of the education bureau. " * 40)


def test_match_form_keeps_offsets() -> None:
    text = "（一）臨湘市教育體育局新增學位１２００個，"
    assert len(match_form(text)) == len(text)
    assert match_form(text) == "(一)临湘市教育体育局新增学位1200个,"


def test_the_list_of_traditional_characters_matches_opencc() -> None:
    """Simplified text skips OpenCC by that list: every character OpenCC changes must be on it."""
    import opencc

    from eduread.text.matching import has_traditional

    convert = opencc.OpenCC("t2s").convert
    sample = "臨湘市教育體育局工作計劃總結學校師資隊伍黨建設關於發展與實現優質均衡廣東臺灣雲南"
    changed = [ch for ch in sample if convert(ch) != ch]
    assert changed and all(has_traditional(ch) for ch in changed)
    assert not has_traditional("怀化市教育局2019年工作总结与2020年工作计划")


def test_the_state_council_s_report_has_no_place_and_a_province_s_keeps_its_own() -> None:
    from corpus import CORPUS

    national = parse_bytes((CORPUS / "012.txt").read_bytes(), "012.txt")  # 我代表国务院，向大会报告政府工作
    assert national.doc_class == "other" and national.place.path == [] and national.issuer == "国务院"
    opening = (
        "2022年湖南省政府工作报告\n\n各位代表：\n\n现在，我代表省人民政府，向大会报告政府工作，请予审议。\n"
    )
    provincial = parse_text(opening + "一、2021年工作回顾\n湖南全省教育事业发展，新建学校120所。\n")
    assert provincial.place.path[:1] == ["湖南省"]


def test_headings_run_into_a_body_saved_as_one_line_are_found() -> None:
    from corpus import CORPUS

    one_line = parse_bytes((CORPUS / "032.txt").read_bytes(), "032.txt")  # …投入使用。二、名校品牌…
    assert [s.title for s in one_line.sections] == [
        "加快重点项目建设",
        "名校品牌建设成效明显",
        "名优队伍建设有力推进",
        "教育教学改革稳步推进",
    ]
    # in a body of ordinary lines, a numeral after a sentence's end is text, not a heading
    lines = "天门市教育局2019年工作总结\n\n一、基本情况\n全市学校建设稳步推进。二、三十所学校完成改造,成效明显。\n二、存在问题\n发展仍不平衡。\n"
    assert [s.title for s in parse_text(lines).sections] == ["基本情况", "存在问题"]
