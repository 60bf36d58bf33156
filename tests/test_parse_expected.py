"""The parser against every hand-checked fact in expected.json, on the real seed files."""

from __future__ import annotations

from functools import cache

from conftest import seed_path
from eduread.parse import Report, Section, parse_file


@cache
def parsed(name: str) -> Report:
    return parse_file(seed_path(name))


def test_title_place_issuer(expected: dict) -> None:
    report = parsed(expected["file"])
    assert report.title == expected["title"]
    assert report.place.name == expected["place"]
    assert report.place.path == expected["region"]
    assert not report.place.ambiguous
    assert report.issuer == expected["issuer"]


def test_parts(expected: dict) -> None:
    report = parsed(expected["file"])
    assert [(p.kind, p.year, p.label) for p in report.parts] == [
        (p["kind"], p["year"], p["label"]) for p in expected["parts"]
    ]


def test_dates_and_source(expected: dict) -> None:
    report = parsed(expected["file"])
    assert report.published == expected["published"]
    assert report.signed == expected.get("signed")
    assert report.source == expected["source"]


def _compare_outline(got: list[Section], want: list[dict], path: str) -> None:
    assert [s.title for s in got] == [w["title"] for w in want], path
    for section, node in zip(got, want, strict=True):
        if "number" in node:
            assert section.number == node["number"], f"{path}/{node['title']}"
        if "children" in node:
            _compare_outline(section.children, node["children"], f"{path}/{node['title']}")
        else:
            # Only inline 一是/二是 items may sit below a heading the facts list as a leaf.
            assert all(c.marker.endswith("是") for c in section.children), f"{path}/{node['title']}"


def test_outline(expected: dict) -> None:
    _compare_outline(parsed(expected["file"]).sections, expected["outline"], expected["place"])


def test_outline_titles_have_no_trailing_stop(expected: dict) -> None:
    for section in parsed(expected["file"]).all_sections():
        assert not section.title.endswith("。")
        assert parsed(expected["file"]).body[section.title_start : section.title_end] == section.title


def test_not_headings(expected: dict) -> None:
    report = parsed(expected["file"])
    for phrase in expected["not_headings"]:
        for section in report.all_sections():
            heading = f"{section.marker}{section.title}"
            assert not phrase.startswith(heading) and not heading.startswith(phrase[:8]), phrase


def test_not_body(expected: dict) -> None:
    body = parsed(expected["file"]).body
    for cruft in expected["not_body"]:
        assert cruft not in body
        assert cruft.replace("\xa0", " ") not in body


def test_figure_samples(expected: dict) -> None:
    report = parsed(expected["file"])
    by_text: dict[str, list] = {}
    for figure in report.figures:
        by_text.setdefault(figure.text, []).append(figure)
    for sample in expected["figures_sample"]:
        assert sample["text"] in by_text, sample["text"]
        figure = by_text[sample["text"]][0]
        assert figure.value == sample["value"], sample["text"]
        assert figure.unit == sample["unit"], sample["text"]
        assert figure.bound == sample.get("bound"), sample["text"]
        assert figure.approx == sample.get("approx"), sample["text"]
        assert figure.highlighted
        assert report.body[figure.start : figure.end] == figure.text


def test_index_number_year_is_not_the_report_year() -> None:
    report = parsed("003_b5818a88827ebf16.txt")
    assert "2020" in report.index_number
    assert [p.year for p in report.parts] == [2018]


def test_title_repeated_and_split() -> None:
    changsha = parsed("002_68d8026e029efe2e.txt")
    assert changsha.body.count("长沙市教育局2019年工作计划") == 0
    chongchuan = parsed("004_b2038b0e5d3d19c3.txt")
    assert not chongchuan.body.startswith("2019年工作总结及")


def test_markup_like_text_is_kept_out_of_body_but_page_meta_read() -> None:
    report = parsed("004_b2038b0e5d3d19c3.txt")
    assert "字体:[ ]" not in report.body
    assert "崇德?卓越" in report.body
