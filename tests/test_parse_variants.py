"""The same report saved differently (width, encoding, HTML, line ends, indents) parses the same."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest

from conftest import EXPECTED, seed_path
from eduread.parse import Report, parse_bytes
from eduread.text.matching import match_form


def _shape(report: Report) -> tuple:
    outline = [(s.level, s.title) for s in report.all_sections()]
    figures = [(f.text, f.value, f.unit, f.kind, f.bound, f.approx) for f in report.figures]
    parts = [(p.kind, p.year, p.label) for p in report.parts]
    return (
        report.title,
        report.place.path,
        report.issuer,
        parts,
        report.published,
        report.signed,
        outline,
        figures,
    )


def _fullwidth(text: str) -> str:
    return text.translate(
        str.maketrans(
            {
                ",": "，",
                "(": "（",
                ")": "）",
                ":": "：",
                ";": "；",
                "%": "％",
                "0": "０",
                "4": "４",
                ".": "．",
            }
        )
    )


def _html(text: str) -> str:
    paras = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n"))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>x</title>"
        "<style>p{color:red}</style><script>var a='一、不是标题';</script></head><body>"
        "<nav>首页 &gt; 信息公开</nav><div class='content'>" + paras + "</div></body></html>"
    )


VARIANTS: dict[str, Callable[[str], tuple[bytes, bool | None]]] = {
    "fullwidth": lambda t: (_fullwidth(t).encode("utf-8"), None),
    "gb18030": lambda t: (t.encode("gb18030"), None),
    "utf16": lambda t: (t.encode("utf-16"), None),
    "utf16le-nobom": lambda t: (t.encode("utf-16-le"), None),
    "utf8-bom": lambda t: (b"\xef\xbb\xbf" + t.encode("utf-8"), None),
    "html": lambda t: (_html(t).encode("utf-8"), True),
    "crlf": lambda t: (t.replace("\n", "\r\n").encode("utf-8"), None),
    "nbsp-indent": lambda t: (
        "\n".join("\u00a0\u00a0\u3000" + line for line in t.split("\n")).encode("utf-8"),
        None,
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", [e["file"] for e in EXPECTED])
def test_variant_parses_the_same(name: str, variant: str) -> None:
    data = seed_path(name).read_bytes()
    original = parse_bytes(data, name)
    text = data.decode("utf-8")
    if variant == "gb18030":
        text = text.replace("\xa0", " ")  # GB18030 keeps NBSP, but keep the test about encoding only
    changed, is_html = VARIANTS[variant](text)
    report = parse_bytes(changed, f"{name}:{variant}", html=is_html)
    if variant == "fullwidth":
        # The report's own characters are kept: the shape is the same once folded for matching.
        assert _folded(_shape(report)) == _folded(_shape(original))
        assert "，" in report.body and "（" in report.title + report.body
    else:
        assert _shape(report) == _shape(original)


def _folded(value: object) -> object:
    if isinstance(value, str):
        return match_form(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_folded(v) for v in value)
    return value


def test_fullwidth_report_keeps_its_own_punctuation() -> None:
    """The body, titles and figures show the characters the report was written with, offsets intact."""
    text = _fullwidth(seed_path(EXPECTED[0]["file"]).read_text(encoding="utf-8"))
    report = parse_bytes(text.encode("utf-8"), "fullwidth.txt")
    assert report.body in text.replace("\r", "")
    assert any("（" in s.marker for s in report.all_sections())
    for section in report.all_sections():
        assert report.body[section.title_start : section.title_end] == section.title
        assert "," not in section.title or "，" not in text
    for figure in report.figures:
        assert report.body[figure.start : figure.end] == figure.text
    assert any("．" in f.text or "０" in f.text for f in report.figures)


def test_big5_text_decodes() -> None:
    text = "臺北市教育局2019年工作總結\n\n一、推動教育發展。本年度新增學位1200個,教師培訓3000人次,學校建設20所,學生人數增加。"
    from eduread.text.decode import decode_bytes

    assert decode_bytes(text.encode("big5")).startswith("臺北市教育局2019年工作總結")
