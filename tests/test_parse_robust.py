"""The parser never raises on odd text, and every span it reports lies inside the body."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXPECTED, seed_path
from eduread.parse import Report
from eduread.parse.report import parse_text

SEED_TEXTS = [seed_path(e["file"]).read_text(encoding="utf-8") for e in EXPECTED]
ALPHABET = st.sampled_from(
    list("一二三四五六七八九十是、。,;:()（）0123456789.%万亿元个所人年月日以上内余多第 \n\t|[]")
    + ["教育", "工作总结", "2019年", "(一)", "1.", "一是"]
)


def _check_spans(report: Report) -> None:
    n = len(report.body)
    for section in report.all_sections():
        assert 0 <= section.start <= section.title_start <= section.title_end <= n
        assert section.start < section.end <= n
        for child in section.children:
            assert section.start <= child.start and child.end <= section.end
    for figure in report.figures:
        assert 0 <= figure.start < figure.end <= n
        assert report.body[figure.start : figure.end] == figure.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=400))
def test_random_text(text: str) -> None:
    _check_spans(parse_text(text, strict=False))


@settings(max_examples=150, deadline=None)
@given(st.lists(ALPHABET, min_size=1, max_size=200).map("".join))
def test_marker_soup(text: str) -> None:
    _check_spans(parse_text(text, strict=False))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(SEED_TEXTS) - 1), st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_mutated_seeds(index: int, seed: int, edits: int) -> None:
    rng = random.Random(seed)
    chars = list(SEED_TEXTS[index])
    pool = "一二三四五六七八九十是、。,()0123456789.%\n |"
    for _ in range(edits):
        op = rng.randrange(3)
        pos = rng.randrange(len(chars))
        if op == 0:
            del chars[pos : pos + rng.randrange(1, 50)]
        elif op == 1:
            chars.insert(pos, rng.choice(pool))
        else:
            chars[pos] = rng.choice(pool)
    _check_spans(parse_text("".join(chars), strict=False))
