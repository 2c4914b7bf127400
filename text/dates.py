"""Calendar periods written in Chinese text: 2025年底, 2020年10月, 上半年, 三季度, 十四五.

Shared by documents (index.due: a 完成时限 cell → the date its period ends) and
questions (intents.periods: 今年 / 2022年底前 → a range of dates). Pure functions.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# "Due soon" means within this many days: /due, digests, 快到期 without a number.
SOON_DAYS = 30

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN = "〇○零一二三四五六七八九十两"


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 三十一 → 31, 二〇二一 → 2021 (digit by digit), 12 → 12; else None."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN for ch in text):
        return None
    if "十" not in text:
        return int("".join(str(_CN_DIGIT[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in tens + ones:  # 十十, 二十十: no number
        return None
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def arabic_dates(text: str) -> str:
    """The numbers of dates written in Chinese numerals as digits, other text untouched:
    二〇二一年 → 2021年, 十二月 → 12月, 三十日 → 30日, 第三季度 → 第3季度."""
    text = re.sub(f"[{_CN}]{{4}}(?=年)", lambda m: str(cn_number(m[0]) or m[0]), text)
    text = re.sub(f"(?<![{_CN}])([{_CN}]{{1,3}})(?=个?月|日|号|天|周|个?星期|季度|个?季)",
                  lambda m: str(cn_number(m[1])) if cn_number(m[1]) is not None else m[1], text)
    return text


def normalise(text: str) -> str:
    """Half-width, no spaces, Chinese-numeral dates as digits, 2020.10.15 / 2020-10 as
    年月日, a year range 2021-2025年 as 2021年至2025年."""
    s = unicodedata.normalize("NFKC", text or "")
    s = re.sub(r"\s+", "", s)
    s = s.replace("二O", "二〇").replace("O", "〇") if re.search(r"二[O〇]", s) else s
    s = arabic_dates(s)
    s = re.sub(r"(?<!\d)(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?!\d)", r"\1年\2月\3日", s)
    s = re.sub(r"(?<!\d)(\d{4})[./](\d{1,2})(?![\d.])", r"\1年\2月", s)
    s = re.sub(r"(?<!\d)(\d{4})-(\d{1,2})(?![\d-])(?!年)", r"\1年\2月", s)
    s = re.sub(r"(?<!\d)(\d{4})年?[-~—–至到]+(\d{4})年", r"\1年至\2年", s)
    s = re.sub(r"(?i)q([1-4])", r"\1季度", s)
    return s


# One point of a calendar: an optional year, then a part of it (or the whole year).
POINT = re.compile(
    r"(?:(?P<y>\d{4})年度?)?"
    r"(?:(?P<half>上半年|下半年|上半|下半|年中|年初)"
    r"|(?:第|首)?(?P<q>[1-4]|首)季度?(?:末|底)?(?=$|[^\d月日])"
    r"|(?P<m>\d{1,2})月份?(?:(?P<d>\d{1,2})[日号]|(?P<part>上旬|中旬|下旬|初|中|底|末))?"
    r"|(?P<end>年底|年末|年终|年内|全年|底|末|内|终))?"
)
PLAN = re.compile(r"十([一二三四五六七八九])五")  # 十四五 (2021-2025): a five-year plan period


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Point:
    """One calendar period found in a text: its first and last day, where it was."""

    start: date
    end: date
    pos: int
    stop: int
    has_year: bool


def points(text: str, year: int | None = None) -> list[Point]:
    """Every calendar period in a normalised text, left to right. A part without a year
    (上半年, 10月底) takes the year named before it in the text, else `year`, else is skipped."""
    out: list[Point] = []
    for m in PLAN.finditer(text):
        n = cn_number(m[1]) + 10
        last = 1970 + 5 * (n - 3)  # 三五 ended 1970; every plan since is five years
        out.append(Point(date(last - 4, 1, 1), date(last, 12, 31), m.start(), m.end(), True))
    for m in POINT.finditer(text):
        if not m[0] or any(p.pos <= m.start() < p.stop for p in out):
            continue
        y = int(m["y"]) if m["y"] else None
        if y is None and not (m["half"] or m["q"] or m["m"] or m["end"] in ("年底", "年末", "年终", "年内", "全年")):
            continue  # a bare 底 / 内 with no year is no date
        if y is None:
            prior = [p for p in out if p.has_year and p.stop <= m.start()]
            y = prior[-1].end.year if prior else year
            if y is None:
                continue
        if not 1900 <= y <= 2200:
            continue
        span = _span(y, m)
        if span:
            out.append(Point(span[0], span[1], m.start(), m.end(), bool(m["y"])))
    return sorted(out, key=lambda p: p.pos)


def _span(y: int, m: re.Match) -> tuple[date, date] | None:
    if m["half"]:
        return {"上半年": (date(y, 1, 1), date(y, 6, 30)), "上半": (date(y, 1, 1), date(y, 6, 30)),
                "年中": (date(y, 6, 1), date(y, 6, 30)), "年初": (date(y, 1, 1), date(y, 3, 31))
                }.get(m["half"], (date(y, 7, 1), date(y, 12, 31)))
    if m["q"]:
        q = 1 if m["q"] == "首" else int(m["q"])
        return date(y, 3 * q - 2, 1), month_end(y, 3 * q)
    if m["m"]:
        mo = int(m["m"])
        if not 1 <= mo <= 12:
            return None
        if m["d"]:
            try:
                d = date(y, mo, int(m["d"]))
            except ValueError:
                return None
            return d, d
        first, last = date(y, mo, 1), month_end(y, mo)
        part = m["part"]
        if part in ("上旬", "初"):
            return first, date(y, mo, 10)
        if part in ("中旬", "中"):
            return date(y, mo, 11), date(y, mo, 20)
        if part == "下旬":
            return date(y, mo, 21), last
        return first, last
    if m["end"] in ("底", "末", "年底", "年末", "年终"):
        return date(y, 12, 1), date(y, 12, 31)
    return date(y, 1, 1), date(y, 12, 31)
