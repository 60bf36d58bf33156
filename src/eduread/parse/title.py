"""Read a report's title: who issued it, for which place, and which years it sums up or plans."""

from __future__ import annotations

import re

from eduread.parse.model import Part

ISSUER_SUFFIXES = [
    "教育和科学技术局",
    "教育文化体育局",
    "教育科学技术局",
    "教育和体育局",
    "教育体育局",
    "教育科技局",
    "教育委员会",
    "文化教育局",
    "社会事业局",
    "教育局",
    "教体局",
    "教科局",
    "教育厅",
    "教委",
    "文教局",
]
_ISSUER = re.compile(r"([\u4e00-\u9fff]{2,20}?(?:" + "|".join(ISSUER_SUFFIXES) + r"))")
_PLAN_WORDS = {"计划", "要点", "思路", "谋划", "打算", "安排", "重点", "任务"}
_SUMMARY_WORDS = {"总结", "回顾", "报告", "情况"}
_PART = re.compile(
    r"((?:19|20)\d{2})\s*年(?:度)?(?:上半年|下半年|全年)?(?:[^0-9年]{0,12}?)"
    r"(工作总结|工作计划|工作要点|工作思路|工作谋划|工作打算|工作安排|工作回顾|工作重点|工作任务|工作报告|"
    r"总结|计划|要点|思路|谋划|打算|安排|回顾)"
)


def find_issuer(title: str) -> tuple[str, str]:
    """(issuer, place as written) from a title; place is the issuer minus the bureau word."""
    match = _ISSUER.search(title)
    if not match:
        return "", ""
    issuer = match.group(1)
    for suffix in ISSUER_SUFFIXES:
        if issuer.endswith(suffix):
            return issuer, issuer[: -len(suffix)]
    return issuer, ""


def find_parts(title: str) -> list[Part]:
    """Summary and plan parts named in the title, each with its year and the report's own word."""
    parts: list[Part] = []
    for match in _PART.finditer(title):
        year = int(match.group(1))
        label = match.group(2)
        word = label[2:] if label.startswith("工作") else label
        kind = "plan" if word in _PLAN_WORDS else "summary"
        if not any(p.year == year and p.kind == kind for p in parts):
            parts.append(Part(kind=kind, year=year, label=label))
    return parts
