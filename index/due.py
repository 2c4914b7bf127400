"""Printed deadlines → the date their period ends.

A 完成时限 cell names a period, not a day: 2025年 / 2025年底 → 2025-12-31, 2020年10月 →
2020-10-31, 2021年上半年 → 2021-06-30, 2022年一季度 → 2022-03-31, 2022年6月前 → 2022-06-30.
Cells that name no period of a calendar say so by their kind: 长期坚持 / 持续推进 are
"ongoing", 每年 / 每季度 "recurring", anything else "unknown". Pure functions, no store.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from text.dates import SOON_DAYS, normalise, points

ONGOING, RECURRING, UNKNOWN, DATED = "ongoing", "recurring", "unknown", "date"

# Words of a duty that never ends; checked only when the cell names no end date.
ONGOING_WORDS = ("长期", "持续", "常态", "长效", "坚持", "逐步", "稳步", "不断", "动态", "日常", "经常", "久久为功", "滚动",
                 "同步推进", "全程", "随时")
# Words of a duty that comes back every period (每年12月底前 is every year, not one date).
RECURRING_WORDS = ("每年", "每季", "每月", "每半年", "每周", "每旬", "每两年", "每三年", "定期", "按季", "按月",
                   "按年", "逐年", "年年", "每学期", "每个")
# After a date these make it a start, not an end (2021年起, 自2020年开始).
START_AFTER = ("起", "开始", "以来", "启动后")
# After a bare year these name a part of it we keep no calendar for (2021年春节前, 2022年秋季学期,
# 2020年汛期前): the cell is "unknown" rather than the year's end.
UNCHARTED_AFTER = ("春", "夏", "秋", "冬", "寒", "暑", "汛", "国庆", "元旦", "开学", "学期")

@dataclass(frozen=True)
class Due:
    """What a printed deadline means: the ISO date its period ends (None when it names
    no period) and its kind: "date", "ongoing", "recurring" or "unknown"."""

    date: str | None
    kind: str


@lru_cache(maxsize=4096)  # a genre of few forms: 100,000 tasks print a few hundred distinct cells
def parse_due(deadline: str, year: int | None = None) -> Due:
    """A printed deadline → Due. `year`: the year a part without one belongs to (the
    previous deadline's). Several dates in one cell (2020年底前试点，2022年全面推开): the
    last end, when all of the work is due. A date that starts a duty (2021年起) is no end."""
    s = normalise(deadline)
    recurring = any(w in s for w in RECURRING_WORDS)
    ends = []
    for p in points(s, year):
        after, before = s[p.stop : p.stop + 3], s[max(0, p.pos - 1) : p.pos]
        if after.startswith(START_AFTER) or before in ("自", "从") and not re.match(r"至|到", s[p.stop :]):
            continue
        if recurring and not p.has_year:  # 每年12月底前: the month of every year
            continue
        if after.startswith(UNCHARTED_AFTER) and (p.start.month, p.end.month) == (1, 12):
            continue
        ends.append(p.end)
    if ends:
        return Due(max(ends).isoformat(), DATED)
    if any(w in s for w in RECURRING_WORDS):
        return Due(None, RECURRING)
    if any(w in s for w in ONGOING_WORDS) or any(s[p.stop :].startswith(START_AFTER) for p in points(s, year)):
        return Due(None, ONGOING)
    return Due(None, UNKNOWN)


def due_date(deadline: str, year: int | None = None) -> str | None:
    return parse_due(deadline, year).date


def due_dates(deadlines: list[str]) -> list[str | None]:
    """A task's `due`: one ISO date (or None) per printed deadline, in their order. A
    deadline without a year (下半年) belongs to the year of the one before it."""
    out: list[str | None] = []
    year = None
    for d in deadlines:
        out.append(parse_due(d, year).date)
        year = _last_year(d) or year
    return out


@lru_cache(maxsize=4096)
def _last_year(deadline: str) -> int | None:
    named = [p for p in points(normalise(deadline)) if p.has_year]
    return named[-1].end.year if named else None


OVERDUE, SOON, LATER, ONGOING_LABEL = "已过时限", "30天内到期", "未到期", "长期"


def status(due: str | date | None, today: date) -> str:
    """已过时限 (before today) / 30天内到期 (today … today+30) / 未到期 / 长期 (no date)."""
    if due is None:
        return ONGOING_LABEL
    d = date.fromisoformat(due) if isinstance(due, str) else due
    if d < today:
        return OVERDUE
    if d <= today + timedelta(days=SOON_DAYS):
        return SOON
    return LATER


def task_status(dues: list[str | None], today: date) -> str:
    """A task's status over its deadlines: overdue when any dated one has passed (the
    same rule as "已逾期" questions), else due soon when any falls within 30 days, else
    not due while any has a date, else 长期."""
    found = [status(d, today) for d in dues if d]
    for label in (OVERDUE, SOON, LATER):
        if label in found:
            return label
    return ONGOING_LABEL
