"""Turn decoded page text into a Report: the one entry point every face calls to parse."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from eduread.errors import ReportError
from eduread.parse.classify import classify
from eduread.parse.figures import find_figures
from eduread.parse.model import Region, Report
from eduread.parse.outline import parse_outline
from eduread.parse.parts import PartsFound, find_report_parts
from eduread.parse.place import find_place, issuer_in
from eduread.parse.title import find_issuer, strip_glosses
from eduread.text.clean import clean, iso_date, packed_date, without_glosses
from eduread.text.matching import match_form
from eduread.text.names import shown_name
from eduread.text.read import read_bytes, read_document

# Files a folder import reads; other document formats in a folder are named and skipped.
REPORT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf")
_SIGNATURE_DATE = re.compile(
    r"((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○O一二三四五六七八九]{3,4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*\)?$"
)
_GENRE_WORD = re.compile(r"工作|总结|计划|要点|思路|谋划|汇报|年报")


def report_id(body: str) -> str:
    """A stable id: the first 16 hex digits of the cleaned body's SHA-256."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def _signed(body: str, head: list[str]) -> str | None:
    """The 落款 date: at the end of the body, or a date line under the title or in a wrapper."""
    tail = match_form(body[-60:]).rstrip(" |\n")
    match = _SIGNATURE_DATE.search(tail)
    if match:
        return iso_date(match.group(1))
    for line in head:
        folded = match_form(line).strip(" ()")
        if len(folded) > 24:
            continue
        if re.search(r"年.{1,3}月.{1,3}日", folded):
            found = iso_date(folded)
            if found:
                return found
        found = packed_date(folded)
        if found:
            return found
    return None


def _title_from(hints: Sequence[str], source_name: str) -> str:
    """A title from the file's own hints (HTML <h1>, meta) or its name, when the text states none."""
    for hint in hints:
        # A page's <title> carries the site: 'X_计划总结_株洲市教育局', 'X - 内容 - 某中学'.
        pieces = [p.strip() for p in re.split(r"\s+[-–—|]\s+|_|\|", hint) if p.strip()]
        genre = [p for p in pieces if _GENRE_WORD.search(match_form(p))]
        if genre:
            return max(genre, key=len)
    stem = Path(source_name).name
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", stem)
    if _GENRE_WORD.search(match_form(stem)) and re.search(r"(?:19|20)\d\d", stem):
        return stem
    return ""


def parse_text(
    raw: str,
    *,
    source_name: str = "<text>",
    strict: bool = True,
    title_hints: Sequence[str] = (),
) -> Report:
    """Parse decoded text into a Report; only text that is plainly not Chinese prose raises ReportError.

    `title_hints` are titles the file states outside its text (HTML <h1>/meta, a .docx's title).
    Everything else is parsed: documents that are not a bureau's own work report come back with
    class "other" and the reason, and what could not be settled is listed in `review`. `strict`
    (the default) refuses text that is mostly not Chinese (an English page).
    """
    cleaned = clean(raw, title_hints)
    meta = cleaned.meta
    body = cleaned.body
    if strict:
        _check_is_text(body, source_name)
    title = cleaned.title or _title_from(title_hints, source_name)
    sections = parse_outline(body)
    headline = title or next((h.strip() for h in title_hints if h.strip()), "") or cleaned.headline
    doc_class, class_reason = classify(headline, cleaned.subtitle, cleaned.head, body)
    if doc_class == "other" and not title:
        title = headline
    if _NATIONAL.search(body[:_OPENING]):  # the State Council's own report: no place is its place
        found = None
        issuer = "国务院"
    else:
        found = find_place(title=title, head=cleaned.head, meta=meta.fields, body=body, file_name=source_name)
        issuer = (found.issuer if found and found.issuer else "") or issuer_in(
            [strip_glosses(title), *cleaned.head, meta.fields.get("发布机构", ""), meta.source]
        )
    region = found.region if found else Region()
    if not issuer:
        issuer = find_issuer(body[:300])[0]
    # Parts are a bureau report's: a news item's 回顾2019年… is not a summary of 2019.
    parts = find_report_parts(title, body, sections) if doc_class == "report" else PartsFound([])
    markers = {s.start for top in sections for s in top.walk()}
    figures = [f for f in find_figures(body) if f.start not in markers]
    review: list[str] = []
    if doc_class == "report":
        if not region.path:
            review.append(
                "place: ambiguous (" + " / ".join("".join(c) for c in region.candidates) + ")"
                if region.ambiguous
                else "place"
            )
        review.extend(parts.notes)
    return Report(
        id=report_id(body),
        title=title,
        place=region,
        issuer=issuer,
        parts=parts.parts,
        published=meta.published,
        signed=_signed(body, cleaned.head),
        source=meta.source,
        index_number=meta.index_number,
        meta=dict(meta.fields),
        sections=sections,
        figures=figures,
        body=body,
        doc_class=doc_class,  # type: ignore[arg-type]
        class_reason=class_reason,
        review=review,
    )


# How the national 政府工作报告 opens ("我代表国务院，向大会报告政府工作"); a province's says 代表省人民政府.
_NATIONAL = re.compile(r"代表国务院[，,、\s]*向大会报告")
_OPENING = 600

_CJK_RUNS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN_RUNS = re.compile("[A-Za-z]+")


def _check_is_text(body: str, source_name: str) -> None:
    """Refuse only what is plainly not Chinese prose; everything else is parsed and classified."""
    if not body.strip():
        raise ReportError(source_name, "no text after removing the page's chrome")
    sample = without_glosses(body[:5000])
    cjk = sum(map(len, _CJK_RUNS.findall(sample)))
    latin = sum(map(len, _LATIN_RUNS.findall(sample)))
    if cjk < 0.3 * (cjk + latin):
        raise ReportError(source_name, "not Chinese text (mostly other script)")


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
