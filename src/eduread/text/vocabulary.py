"""The genre's own words in one place, so the cleaner, parser, selectors and screens never drift apart."""

from __future__ import annotations

# The report's word for a plan or a summary, as titles and part headings write it.
PLAN_WORDS = ("计划", "要点", "思路", "谋划", "打算", "安排", "意见", "重点", "任务", "部署")
SUMMARY_WORDS = ("总结", "回顾", "年报", "汇报", "报告", "情况", "小结")
KIND_OF_WORD: dict[str, str] = {
    **{w: "plan" for w in PLAN_WORDS},
    **{w: "summary" for w in SUMMARY_WORDS},
    "plan": "plan",
    "summary": "summary",
}
# Words a person types to pick a part ("怀化 2019 计划"): the kind words and the kinds themselves.
KIND_SELECTOR_WORDS = KIND_OF_WORD

# Endings of an education bureau's name, longest first (教育和体育局 before 体育局 before 局).
ISSUER_SUFFIXES = (
    "教育和科学技术局",
    "教育文化体育局",
    "教育科学技术局",
    "教育科学体育局",
    "教育文化和体育局",
    "教育和体育局",
    "教育和文化局",
    "教育体育局",
    "教育科技局",
    "教育委员会",
    "教育工作委员会",
    "文化教育局",
    "社会事业局",
    "社会事业发展局",
    "教文体局",
    "教科体局",
    "教育局",
    "教体局",
    "教科局",
    "教育厅",
    "教育工委",
    "教委",
    "文教局",
)

CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# File name endings eduread reads as reports; other formats are named in one line when skipped.
TEXT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".shtml", ".xhtml")

# Words in a heading that place a section in a summary part or a plan part (开展 … 成效 vs 计划 … 任务).
PART_HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "summary": ("总结", "开展", "完成", "回顾", "成效", "主要工作"),
    "plan": PLAN_WORDS,
}
