"""Pairs figures that measure the same thing in two reports (新增学位 4.07万个 ↔ 2.86万个以上)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from eduread.parse.model import Figure

MIN_SIMILARITY = 0.6
PEOPLE = {"人", "名", "位"}


@dataclass
class FigurePair:
    """Two figures of one measure, and how far apart they are."""

    label: str
    left: Figure
    right: Figure
    difference: str
    met: bool | None = None

    def to_dict(self) -> dict:
        """JSON form for `eduread compare --json`."""
        return {
            "label": self.label,
            "left": self.left.text,
            "right": self.right.text,
            "difference": self.difference,
            "met": self.met,
        }


def _bigrams(label: str) -> set[str]:
    return {label[i : i + 2] for i in range(len(label) - 1)}


def label_similarity(a: str, b: str) -> float:
    """How alike two measure labels are: the share of the shorter label's character pairs in the other.

    Labels are the words before a figure and are often cut mid-word ("前消除义务教育大班额"), so
    containment of character pairs works where equality would not; labels of one pair ("新建")
    are too vague to match on.
    """
    x, y = _bigrams(a), _bigrams(b)
    if len(x) < 2 or len(y) < 2:
        return 0.0
    shared = len(x & y)
    return shared / min(len(x), len(y)) if shared >= 2 else 0.0


def measure(figure: Figure) -> str:
    """What a figure counts, as pairing and labels use it: its `what`, else the words before it."""
    return figure.what or figure.label


def _family(figure: Figure) -> str:
    if figure.kind in ("money", "percent"):
        return figure.kind
    return "people" if figure.unit in PEOPLE else figure.unit


def _trim(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _scale(texts: tuple[str, ...], value: float) -> tuple[float, str]:
    """亿 or 万 when the figures are written that way (or the amount is that large), else none."""
    if any("亿" in t for t in texts) or value >= 1e8:
        return 1e8, "亿"
    if any("万" in t for t in texts) or value >= 1e4:
        return 1e4, "万"
    return 1.0, ""


def format_amount(value: float, figure: Figure, *, written: tuple[str, ...] = ()) -> str:
    """An amount the way the report writes its figures: 万 and 亿 as the figures use them, 元 for money."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    if figure.kind == "percent":
        return f"{sign}{_trim(v)}个百分点"
    unit = "元" if figure.kind == "money" else figure.unit
    factor, word = _scale(written, v)
    return f"{sign}{_trim(v / factor)}{word}{unit}"


def difference(left: Figure, right: Figure) -> str:
    """Right minus left, signed, in the unit and scale the two figures are written in."""
    try:
        delta = float(right.value) - float(left.value)
    except (OverflowError, ValueError, TypeError):
        return "—"
    if not math.isfinite(delta):  # a figure too large for a float: no honest difference to show
        return "—"
    text = format_amount(delta, left, written=(left.text, right.text))
    return text if delta < 0 else "+" + text


def target_met(target: Figure, result: Figure) -> bool | None:
    """Whether a result reaches a plan's target; None when the target states no direction."""
    try:
        goal, got = float(target.value), float(result.value)
    except (OverflowError, ValueError, TypeError):
        return None
    if not (math.isfinite(goal) and math.isfinite(got)):
        return None
    if target.bound == "at_most":
        return got <= goal
    if target.bound in ("at_least", None) and target.kind in ("count", "money", "percent"):
        return got >= goal
    return None


def match_figures(
    left: list[Figure], right: list[Figure], *, plan_side: str | None = None
) -> list[FigurePair]:
    """Best one-to-one pairs of same-kind, same-unit figures whose labels say the same measure.

    `plan_side` ("left" or "right") marks which side holds a plan's targets, so each pair can
    say whether the other side's result met it.
    """
    candidates: list[tuple[float, int, int]] = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if a.kind != b.kind or _family(a) != _family(b):
                continue
            score = label_similarity(measure(a), measure(b))
            if score >= MIN_SIMILARITY:
                candidates.append((score, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _score, i, j in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((i, j))
    out: list[FigurePair] = []
    for i, j in sorted(pairs):
        a, b = left[i], right[j]
        label = min((measure(a), measure(b)), key=len)
        met = None
        if plan_side == "left":
            met = target_met(a, b)
        elif plan_side == "right":
            met = target_met(b, a)
        out.append(FigurePair(label, a, b, difference(a, b), met))
    return out
