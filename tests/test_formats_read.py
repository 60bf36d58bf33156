"""Each seed saved as .docx, as a text PDF and as web pages reads to the same report as its .txt."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import EXPECTED, seed_path
from eduread.parse import Report, parse_bytes, parse_text
from eduread.text.read import read_bytes
from format_samples import seed_docx, seed_pdf, site_page, word_html

SEED_NAMES = [e["file"] for e in EXPECTED]


def _shared(a: list[str], b: list[str]) -> float:
    """Share of a's items (with repeats) also found in b."""
    if not a:
        return 1.0
    return sum((Counter(a) & Counter(b)).values()) / len(a)


def _txt(name: str) -> Report:
    return parse_bytes(seed_path(name).read_bytes(), name)


def _assert_same_report(report: Report, base: Report) -> None:
    assert report.title == base.title
    assert report.place.path == base.place.path
    assert [(p.kind, p.year, p.label) for p in report.parts] == [
        (p.kind, p.year, p.label) for p in base.parts
    ]
    outline = _shared([s.title for s in base.all_sections()], [s.title for s in report.all_sections()])
    figures = _shared([f.text for f in base.figures], [f.text for f in report.figures])
    assert outline >= 0.95 and figures >= 0.95, (outline, figures)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_docx_reads_as_its_txt(name: str) -> None:
    text = seed_path(name).read_text(encoding="utf-8")
    document = read_bytes(seed_docx(text), "report.docx")
    assert document.format == "docx"
    assert "教育局文件 内部资料" not in document.text and "第 1 页" not in document.text  # header, footer
    _assert_same_report(parse_text(document.text, title_hints=document.title_hints), _txt(name))


def test_docx_list_numbers_are_written_out() -> None:
    """The outline's markers come from Word's numbering.xml, not from the paragraphs' text."""
    text = seed_path("000_74b69ab3a17d35dc.txt").read_text(encoding="utf-8")
    plain = read_bytes(seed_docx(text, numbering=True), "a.docx").text
    assert "\n一、2019年工作总结\n" in plain and "\n二、2020年工作计划\n" in plain
    assert "\n(八)班子自身建设日益完善" in plain
    report = parse_text(plain)
    assert [s.marker for s in report.sections] == ["一、", "二、"]


def test_docx_table_rows_and_docx_that_is_a_doc() -> None:
    text = seed_path("001_a6c8c882fd1a3a93.txt").read_text(encoding="utf-8")
    plain = read_bytes(seed_docx(text), "b.docx").text
    assert "索引号: | 00297276X/2024-58017 | 内容分类: | 规划总结 |" in plain


@pytest.mark.parametrize("name", SEED_NAMES)
def test_text_pdf_reads_as_its_txt(name: str) -> None:
    text = seed_path(name).read_text(encoding="utf-8")
    document = read_bytes(seed_pdf(text), "report.pdf")
    assert document.format == "pdf"
    assert "教育局公开文件" not in document.text  # the running header
    assert "— 1 —" not in document.text and "— 2 —" not in document.text  # page numbers
    _assert_same_report(parse_text(document.text), _txt(name))


def test_pdf_lines_rejoin_across_lines_and_pages() -> None:
    """Wrapped lines and page breaks vanish: every paragraph of the .txt is one line of the PDF's text."""
    text = seed_path("002_68d8026e029efe2e.txt").read_text(encoding="utf-8")
    document = read_bytes(seed_pdf(text), "c.pdf")
    paragraphs = [line.strip() for line in text.split("\n") if len(line.strip()) > 150]
    lines = set(document.text.split("\n"))
    assert len(paragraphs) > 5 and all(p in lines for p in paragraphs)


def test_pdf_spacing_inside_figures_and_between_han_is_closed() -> None:
    from eduread.text.formats.pdf import _tidy

    assert _tidy("新增学位 1 万个,2 0 2 0 年完成 4 . 0 7 万个") == "新增学位 1万个,2020年完成 4.07万个"
    assert _tidy("教 育 局 工作总结 2023年") == "教育局工作总结 2023年"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_site_page_cleans_to_the_same_body_as_the_txt(name: str) -> None:
    """Saved as .txt and as .html from a site with all its chrome, a report is one report (same id)."""
    text = seed_path(name).read_text(encoding="utf-8")
    title = next(e["title"] for e in EXPECTED if e["file"] == name)
    page = site_page(text, title=title)
    report = parse_bytes(page.encode("utf-8"), "page.html")
    base = _txt(name)
    assert report.body == base.body and report.id == base.id
    for chrome in ("长者模式", "登录", "ICP备", "网站标识码", "相关文章", "分享到", "打印本页", "政务公开"):
        assert chrome not in report.body
    document = read_bytes(page.encode("utf-8"), "page.html")
    assert document.title_hints[0] == title
    assert all("_计划总结_" not in hint for hint in document.title_hints)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_word_exported_html_reads_as_plain_text(name: str) -> None:
    """<o:p>, mso- styles, a <span> per digit and source lines wrapped mid-word add no space or break."""
    text = seed_path(name).read_text(encoding="utf-8")
    report = parse_bytes(word_html(text).encode("utf-8"), "word.htm")
    base = _txt(name)
    assert report.body.replace("\n\n", "\n") == base.body.replace("\n\n", "\n")
    _assert_same_report(report, base)


def test_nested_blocks_and_unclosed_comment_keep_the_title() -> None:
    text = seed_path("000_74b69ab3a17d35dc.txt").read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    page = (
        "<html><body>"
        + "<div>" * 39
        + f"<h1>{title}</h1>"
        + "</div>" * 39
        + f"<p>{rest.replace(chr(10), '<br>')}</p><!-- 未闭合"
    )
    report = parse_bytes(page.encode("utf-8"), "nested.html")
    assert report.title == title
    assert "<!--" not in report.body and "<!--" not in report.title


def test_doc_that_is_html_reads_as_html() -> None:
    text = seed_path("004_b2038b0e5d3d19c3.txt").read_text(encoding="utf-8")
    document = read_bytes(site_page(text).encode("gb18030"), "report.doc")
    assert document.format == "html" and "长者模式" not in document.text


def test_txt_that_is_a_pdf_reads_as_pdf() -> None:
    text = seed_path("003_b5818a88827ebf16.txt").read_text(encoding="utf-8")
    document = read_bytes(seed_pdf(text), "report.txt")
    assert document.format == "pdf" and "天门市教育局2018年工作要点" in document.text


def test_title_stated_only_in_the_head_and_metadata_in_a_head_block() -> None:
    """A page whose body lacks the title gets it from <title> (site suffix cut); a block named like
    chrome that holds the 发布时间/来源 line is kept."""
    text = seed_path("000_74b69ab3a17d35dc.txt").read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    body = rest.replace("发布时间:2020-09-02 09:51 信息来源:怀化市教育局", "")
    page = (
        f"<html><head><title>{title}_政务公开_怀化市人民政府</title></head><body>"
        "<div class='head-info'>发布时间:2020-09-02 09:51 信息来源:怀化市教育局</div>"
        f"<div class='content'><p>{body.replace(chr(10), '<br>')}</p></div></body></html>"
    )
    report = parse_bytes(page.encode("utf-8"), "head.html")
    assert report.title == title and report.published == "2020-09-02"


def test_corpus_page_template_reads_without_server_tags() -> None:
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "036.html"
    if not page.exists():
        pytest.skip("the shared corpus is not beside this checkout")
    from eduread.text.read import read_document

    document = read_document(page)
    assert "<%" not in document.text and "runat" not in document.text
    assert "一、2018年中考实时录取学校" in document.text.split("\n")
    assert document.title_hints == ["考生志愿填报填表说明"]
