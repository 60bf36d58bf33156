"""Make the seeds into the files people save: .docx with Word's own list numbering, text PDFs, site pages.

Every sample is built here from a seed's text, so the tests need no binary fixtures and say
exactly what each format adds (automatic numbers, page furniture, site chrome).
"""

from __future__ import annotations

import html
import io
import re

_CN = "一二三四五六七八九十"
# Markers the generator turns into Word's automatic numbering: level, pattern, value of the marker.
_MARKERS = [
    (0, re.compile(r"^([一二三四五六七八九十]{1,3})、"), lambda m: _cn_value(m.group(1))),
    (1, re.compile(r"^[(（]([一二三四五六七八九十]{1,3})[)）]"), lambda m: _cn_value(m.group(1))),
    (2, re.compile(r"^(\d{1,2})\.\s?"), lambda m: int(m.group(1))),
]
_NUMBERING_XML = """
<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="space"/></w:lvl>
</w:abstractNum>
"""
_NUM_XML = """
<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90"><w:abstractNumId w:val="90"/></w:num>
"""


def _cn_value(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _CN.index(numeral[1]) + 1
    if len(numeral) == 1:
        return _CN.index(numeral) + 1
    tens = _CN.index(numeral[0]) + 1
    ones = _CN.index(numeral[2]) + 1 if len(numeral) == 3 else 0
    return tens * 10 + ones


def seed_docx(text: str, *, numbering: bool = True) -> bytes:
    """A .docx of the seed: one paragraph a line, markers that run in sequence as Word list numbers,
    a table for `a | b |` rows, and a header and footer that must not be read."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering_el = document.part.numbering_part.element
    if numbering:
        first_num = numbering_el.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(parse_xml(_NUMBERING_XML))
        else:
            numbering_el.append(parse_xml(_NUMBERING_XML))
        numbering_el.append(parse_xml(_NUM_XML))
    section = document.sections[0]
    section.header.paragraphs[0].text = "教育局文件 内部资料"
    section.footer.paragraphs[0].text = "第 1 页"
    counters = [0, 0, 0]
    for line in text.split("\n"):
        if not line.strip():
            continue
        if line.count(" | ") >= 2 and line.rstrip().endswith("|"):
            cells = [c.strip() for c in line.rstrip(" |").split(" | ")]
            table = document.add_table(rows=1, cols=len(cells))
            for cell, value in zip(table.rows[0].cells, cells, strict=True):
                cell.text = value
            continue
        paragraph = document.add_paragraph()
        body = line.strip()
        for level, pattern, value in _MARKERS if numbering else ():
            match = pattern.match(body)
            if match and value(match) == counters[level] + 1:
                counters[level] += 1
                for deeper in range(level + 1, 3):
                    counters[deeper] = 0
                body = body[match.end() :]
                ppr = paragraph._p.get_or_add_pPr()
                ppr.append(
                    parse_xml(
                        '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                        f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
                    )
                )
                break
        paragraph.add_run(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def seed_pdf(text: str, *, pages_at_least: int = 0) -> bytes:
    """A text PDF of the seed in reportlab's built-in Chinese font (no font file needed): wrapped
    lines with a first-line indent, a running header and a page number on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK", firstLineIndent=24
    )
    story = [Paragraph(html.escape(line.strip()), style) for line in text.split("\n") if line.strip()]
    while pages_at_least and len(story) < pages_at_least * 40:
        story.append(PageBreak())
        story.extend(Paragraph(html.escape(line.strip()), style) for line in text.split("\n") if line.strip())

    def furniture(canvas, doc) -> None:
        canvas.setFont("STSong-Light", 9)
        canvas.drawString(72, 810, "教育局公开文件")
        canvas.drawCentredString(297, 30, f"— {doc.page} —")

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="").build(story, onFirstPage=furniture, onLaterPages=furniture)
    return out.getvalue()


def _paragraphs(text: str) -> str:
    """The seed's lines as a browser would show them: a blank line between <p>s, <br> within."""
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    return "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in block.split("\n")) + "</p>" for block in blocks
    )


def site_page(text: str, site: str = "株洲市教育局", title: str = "") -> str:
    """The seed as a government site serves it: top bar, navigation, breadcrumb, share and print bars,
    related articles and a footer with ICP备 and 网站标识码 around the article."""
    title = title or text.strip().split("\n")[0]
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{html.escape(title)}_计划总结_{site}</title>
<meta name="ArticleTitle" content="{html.escape(title)}">
<style>.nav li {{ float: left }}</style><script>var _hmt = _hmt || [];</script>
</head><body>
<div class="top-bar"><span>{site}</span> | <a href="#">无障碍</a> | <a href="#">长者模式</a> | <a href="#">登录</a> | <a href="#">注册</a></div>
<div class="header"><div class="logo"><img src="logo.png" alt="{site}"></div>
<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/jyxw">教育新闻</a></li><li><a href="/bszn">办事指南</a></li><li><a href="/hdjl">互动交流</a></li></ul>
<div class="breadcrumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a>计划总结</a></div>
<div class="main"><div class="article">
<div class="article-content" id="zoom">
{_paragraphs(text)}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="print-bar">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="related"><h3>相关文章</h3><ul>
<li><a href="/a1">{site}2018年工作总结</a></li><li><a href="/a2">关于做好2020年秋季学期开学工作的通知</a></li>
<li><a href="/a3">全市教育系统安全工作会议召开</a></li></ul></div>
</div></div>
<div class="footer"><p>主办：{site} 地址：人民路1号 电话：0731-12345678</p>
<p>湘ICP备05012345号-1 湘公网安备 43020202000123号 网站标识码：4302000012</p></div>
</body></html>"""


def word_html(text: str) -> str:
    """The seed as Word's "save as web page" writes it: MsoNormal paragraphs, mso- styles, <o:p>,
    every digit in its own <span>, and source lines wrapped inside words (年度工作\\n要点)."""

    def spans(line: str) -> str:
        out = []
        for ch in html.escape(line):
            if ch.isdigit():
                out.append(
                    f"<span lang=EN-US style='font-family:\"Times New Roman\";mso-fareast-font-family:仿宋_GB2312'>{ch}</span>"
                )
            else:
                out.append(ch)
        # Word wraps its source at about 76 columns, also in the middle of Chinese text (never in a tag).
        wrapped, column, in_tag = [], 0, False
        for piece in out:
            for ch in piece:
                in_tag = in_tag or ch == "<"
                wrapped.append(ch)
                column += 1
                if ch == ">":
                    in_tag = False
                elif not in_tag and column >= 76 and ch != "&":
                    wrapped.append("\n")
                    column = 0
        return "".join(wrapped)

    paras = "\n".join(
        f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span style='font-size:16.0pt;"
        f"font-family:仿宋_GB2312'>{spans(line)}<o:p></o:p></span></p>"
        for line in text.split("\n")
        if line.strip()
    )
    return f"""<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal {{mso-style-parent:""; margin:0cm; font-size:10.5pt;}} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><div class=WordSection1 style='layout-grid:15.6pt'>
{paras}
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
</div></body></html>"""
