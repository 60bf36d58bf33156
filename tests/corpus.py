"""The development corpus (../shared/corpus) and how a parse is held to its hand-checked facts.

Shared by the corpus tests and bench/score_corpus.py, so the figures a note quotes are the ones
the tests enforce.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from eduread.errors import ReportError
from eduread.parse import Report
from eduread.parse.report import parse_file
from eduread.text.matching import match_form

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("EDUREAD_CORPUS", ROOT.parent / "shared" / "corpus"))

# Facts the parser cannot reach from the file alone, each with the reason.
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("010.txt", "place"): "the text never names its city (我市, 武汉都市圈); only the page's site says 黄石",
    ("032.txt", "place"): "the text says only 区; the district (成华区) is inferred from school names",
}


def available() -> bool:
    """Whether the corpus is beside the project (CI clones it there)."""
    return (CORPUS / "expected.json").is_file()


def entries() -> list[dict]:
    """The hand-checked facts, one entry per file."""
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def parse_entry(entry: dict) -> Report | None:
    """A corpus file parsed as `eduread parse` would; None when it is refused (not Chinese)."""
    try:
        return parse_file(CORPUS / entry["file"])
    except ReportError:
        return None


def place_right(report: Report, entry: dict) -> bool:
    """The region path (province → city → district) equals the checked one; municipalities once."""
    want = list(dict.fromkeys(x for x in entry["region"] if x))
    return list(dict.fromkeys(report.place.path)) == want


def parts_right(report: Report, entry: dict) -> bool:
    """Every part's kind and year, as a set, equals the checked ones (a masked year is None)."""
    want = sorted((p["kind"], p["year"] or 0) for p in entry["parts"])
    return sorted((p.kind, p.year or 0) for p in report.parts) == want


def heading_right(report: Report, entry: dict) -> bool:
    """The first level-1 heading, without marker and trailing 。, equals the checked one."""
    want = entry["outline_level1"]
    got = [s.title.rstrip("。") for s in report.sections]
    if not want:
        return not got
    return bool(got) and got[0] == want[0]


def _core(text: str) -> str:
    """A `what` as compared: no bracketed explanation, no quotes or spaces, simplified and folded."""
    text = re.sub(r"\(.*?\)|（.*?）", "", text)
    return match_form(text).replace(" ", "").replace("“", "").replace("”", "")


def what_right(report: Report | None, sample: dict) -> bool:
    """A sampled figure is found and its `what` names the checked thing (one contains the other)."""
    if report is None:
        return False
    text = sample["text"]
    found = [f for f in report.figures if f.text == text] or [
        f for f in report.figures if text.startswith(f.text) and len(f.text) >= 2
    ]
    want = _core(sample["what"])
    for figure in found:
        got = _core(figure.what)
        if got == want or (len(got) >= 2 and (got in want or want in got)):
            return True
    return False


@dataclass
class Scores:
    """Per fact: how many genre documents are right, and which are not."""

    genre: int = 0
    right: dict[str, int] = field(default_factory=lambda: {"place": 0, "parts": 0, "heading": 0})
    misses: dict[str, list[str]] = field(default_factory=lambda: {"place": [], "parts": [], "heading": []})
    decoys: int = 0
    decoys_kept_out: int = 0
    what_total: int = 0
    what_right: int = 0
    what_misses: list[str] = field(default_factory=list)


def score() -> Scores:
    """Every fact of the corpus against the parser."""
    out = Scores()
    for entry in entries():
        report = parse_entry(entry)
        if entry["doc_class"] == "genre":
            out.genre += 1
            checks = {"place": place_right, "parts": parts_right, "heading": heading_right}
            for fact, check in checks.items():
                ok = report is not None and check(report, entry)
                out.right[fact] += ok
                if not ok:
                    out.misses[fact].append(entry["file"])
        else:
            out.decoys += 1
            out.decoys_kept_out += report is None or report.doc_class == "other"
        for sample in entry["figures_sample"]:
            out.what_total += 1
            if what_right(report, sample):
                out.what_right += 1
            else:
                out.what_misses.append(f"{entry['file']} {sample['text']}")
    return out
