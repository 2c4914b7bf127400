"""Times as the genre prints them in a task or beside its units: milestones in a task's text
(到2025年底, 2020年6月底前) and phrases that are only a time (2025年6月底前完成, 每年12月, 长期坚持).

Pure functions over text; index.cells reads 完成时限 cells and labels with them.
"""
from __future__ import annotations

import re

from text.normalize import fullwidth_punct as _norm

# A time printed among the units of a labelled list ("责任单位：A、B；2025年6月底前完成"): a
# deadline, not a unit. The genre's forms: a date, a recurring or an ongoing period.
_TIME_PHRASE_RE = re.compile(
    r"^(?:到|于|在|截至|截止)?\s*(?:\d{4}\s*年(?:[^，；、。]{0,10})|(?:每年|每季度?|每半年|每月)[^，；、。]{0,8}"
    r"|长期坚持|持续推进|长期|常态化推进|持续开展)$")
_UNIT_TAIL = tuple("局委厅办会府心院队部处行司所站室团联门组署")

# Deadlines: "到2025年底", "至 2022 年", "2022年，…" at a sentence start, "2020年6月底前".
# (a quarter or a half of the year is kept: 到2025年第三季度, 2025年上半年前)
_YEAR = r"(\d{4})\s*年\s*(底|末|\d{1,2}\s*月(?:\s*(?:底|末))?|第?[一二三四1-4]\s*季度(?:末)?|[上下]半年)?"
_DEADLINE_RES = (
    # "到2025年"; not the end of a window or range ("2019年1月1日至2020年12月31日", "2012至2015年").
    re.compile(r"(?<![\d日月年~～—－-])\s*(?:到|至|截至|截止)\s*" + _YEAR),
    re.compile(r"(?:^|[。；])\s*" + _YEAR + r"\s*[，：]"),
    re.compile(_YEAR + r"\s*(?:前|以前)"),
)
# "2023年6月30日前": a day before 前 is kept.
_DAY_BEFORE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|以前)")


def is_time_phrase(text: str) -> bool:
    """A short phrase that is only a time: 2025年6月底前完成, 每年12月, 长期坚持."""
    t = _norm(text).strip(" \t\u3000。.")
    return 0 < len(t) <= 18 and bool(_TIME_PHRASE_RE.match(t)) and not t.endswith(_UNIT_TAIL)


def find_deadlines(text: str) -> list[str]:
    """Return the milestone phrases of a task text, in order, without duplicates.

    "到2025年底"→"2025年底", "至 2022 年"→"2022年", a sentence-initial "2022年，"
    →"2022年", "2020年6月底前"→"2020年6月底". 十四五 is a period, not a deadline.
    """
    hits: list[tuple[int, str]] = []
    for regex in _DEADLINE_RES:
        for m in regex.finditer(text):
            phrase = re.sub(r"\s+", "", f"{m.group(1)}年{m.group(2) or ''}")
            hits.append((m.start(1), phrase))
    for m in _DAY_BEFORE_RE.finditer(text):
        hits.append((m.start(1), f"{m.group(1)}年{m.group(2)}月{m.group(3)}日"))
    out: list[str] = []
    for _, phrase in sorted(hits):
        if phrase not in out:
            out.append(phrase)
    return out
