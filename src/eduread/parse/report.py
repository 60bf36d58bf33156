"""Turn decoded page text into a Report: the one entry point every face calls to parse."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from eduread.errors import ReportError
from eduread.parse.figures import find_figures
from eduread.parse.model import Region, Report
from eduread.parse.outline import parse_outline
from eduread.parse.regions import gazetteer
from eduread.parse.title import find_issuer, find_parts
from eduread.text.clean import clean, iso_date
from eduread.text.names import shown_name
from eduread.text.read import read_bytes, read_document

# Files a folder import reads; other document formats in a folder are named and skipped.
REPORT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf")
_EDU_WORDS = re.compile(r"教育|学校|教师|学生|幼儿园|中小学")
_SIGNATURE_DATE = re.compile(
    r"((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○O一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*$"
)


def report_id(body: str) -> str:
    """A stable id: the first 16 hex digits of the cleaned body's SHA-256."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def _signed(body: str) -> str | None:
    tail = body[-60:].rstrip(" |\n")
    match = _SIGNATURE_DATE.search(tail)
    return iso_date(match.group(1)) if match else None


def parse_text(
    raw: str,
    *,
    source_name: str = "<text>",
    strict: bool = True,
    title_hints: Sequence[str] = (),
) -> Report:
    """Parse decoded text; with `strict`, text that is not an education report raises ReportError.

    `title_hints` are titles the file states outside its text (HTML <h1>/meta, a .docx's title).
    """
    cleaned = clean(raw)
    meta = cleaned.meta
    body = cleaned.body
    if strict:
        _check_is_report(body, meta.title, source_name)
    title = meta.title
    issuer, place_name = find_issuer(title)
    if not issuer:
        issuer, place_name = find_issuer(meta.source)
    if not place_name:
        place_name = _place_from_body(body)
    region = gazetteer().resolve(place_name, context=title + body[:3000]) if place_name else None
    if region is None:
        region = Region()
    sections = parse_outline(body)
    markers = {s.start for top in sections for s in top.walk()}
    figures = [f for f in find_figures(body) if f.start not in markers]
    return Report(
        id=report_id(body),
        title=title,
        place=region,
        issuer=issuer,
        parts=find_parts(title),
        published=meta.published,
        signed=_signed(body),
        source=meta.source,
        index_number=meta.index_number,
        meta=dict(meta.fields),
        sections=sections,
        figures=figures,
        body=body,
    )


def _place_from_body(body: str) -> str:
    """A place named near the signature when the title names none."""
    tail = body[-80:]
    issuer, place = find_issuer(tail)
    return place


# A school's own plan or summary names the school where a bureau's names the bureau.
_SCHOOL = re.compile(r"([\u4e00-\u9fff]{2,20}?(?:中学|小学|学校|幼儿园|大学|学院|中心校|完小|附中|附小))")


def _check_is_report(body: str, title: str, source_name: str) -> None:
    if len(body) < 80:
        raise ReportError(source_name, "too short to be a report")
    cjk = sum(1 for ch in body[:5000] if "\u4e00" <= ch <= "\u9fff")
    if cjk < 0.3 * min(len(body), 5000):
        raise ReportError(source_name, "not a report: the text is mostly not Chinese")
    if not title:
        raise ReportError(source_name, "not a report: no title naming a 工作总结/计划/要点/思路/谋划")
    if len(_EDU_WORDS.findall(body)) < 5:
        raise ReportError(source_name, "not a report: hardly mentions education")
    school = _SCHOOL.search(title)
    if school and not find_issuer(title)[0]:
        raise ReportError(source_name, f"not a bureau's report: the title names a school ({school.group(1)})")


def parse_bytes(data: bytes, source_name: str, *, html: bool | None = None) -> Report:
    """Read and parse a file's bytes in any format eduread reads; any refusal is a ReportError naming the file."""
    document = read_bytes(data, source_name, html=html)
    return parse_text(document.text, source_name=source_name, title_hints=document.title_hints)


def read_text(path: Path) -> str:
    """A report file's text in any format eduread reads; refusals (format, size, damage) raise ReportError."""
    return read_document(path).text


def parse_file(path: Path) -> Report:
    """Parse one report file of any format eduread reads; missing, unreadable or non-report files raise ReportError."""
    document = read_document(path)
    return parse_text(document.text, source_name=shown_name(path), title_hints=document.title_hints)
