"""Questions about time relative to today → a range of due dates.

"哪些任务已经逾期" → every due date before today; "近两个月内到期的" → today … today + 2
months; "今年" / "10月份" / "下季度" → that period; "2022年底前" → everything up to
2022-12-31; "到2022年要完成的" / "2020年6月到期" → the period itself; "2025年以后" → after it;
"还没到期的" → today on. A task matches when one of its due dates (index/due.py: the day
a printed deadline's period ends) falls inside the range, ends included.

`find_period` says what range a question asks about (None when it names no time);
`strip_period` removes those words so the rest (agency, role, document) can still be
understood. No store, no Telegram.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from text.dates import SOON_DAYS, arabic_dates, month_end, points

OVERDUE, SOON, UPCOMING, PERIOD, BEFORE, AFTER, UNTIL = (
    "overdue", "soon", "upcoming", "period", "before", "after", "until")

# Longest first inside each group; the groups are tried in the order below.
UPCOMING_WORDS = ("还没有到期", "还没到期", "尚未到期", "还未到期", "没有到期", "未到期", "没到期", "不到期",
                  "还没过期", "没有过期", "未过期", "没过期", "还没逾期", "未逾期", "没逾期", "还没到时间", "还有时间")
OVERDUE_WORDS = ("已经逾期", "已逾期", "逾期", "已经过期", "已过期", "过期", "已经超期", "超期", "超时",
                 "过了时限", "过了期限", "已过时限", "已过期限", "超过时限", "超过期限", "超出时限", "过了截止",
                 "没按时完成", "未按时完成", "没有按时完成", "没能按时完成", "未能按时完成", "没如期完成",
                 "未如期完成", "没有如期完成", "延期", "拖期", "已经到期", "已到期", "到期了")
# The same said in a sentence: 过了完成时限, 超过了期限, 没在时限内完成, 到期未完成.
OVERDUE_RE = re.compile(
    r"(?:已经|已|过了|超过了?|超出了?)(?:完成|规定)?(?:时限|期限|截止日期|截止时间|完成时间)"
    r"|(?:没有|没能|未能|没|未)(?:在|按)(?:规定|要求)?的?(?:时限|期限|时间)内?完成"
    r"|到期(?:了)?(?:还)?(?:未|没有|没)完成")
SOON_WORDS = ("快要到期", "快到期", "即将到期", "马上到期", "马上就到期", "就要到期", "将要到期", "临近到期",
              "近期到期", "临期", "快截止", "即将截止", "马上截止", "临近截止", "快到时间", "临近", "近期", "最近")
LATER_WORDS = ("今后", "往后", "接下来", "未来", "以后", "之后")  # with no X: from today on
NOW_WORDS = ("从现在起", "从现在", "从今天起", "从今天", "从今日", "从目前", "现在", "今天", "今日", "目前", "当前", "眼下")
# Words that make a bare date a question about deadlines (not the year inside a task's name).
CUES = ("到期", "截止", "截至", "前", "完成", "时限", "期限", "以后", "之后", "到", "为止", "逾期", "内", "底")

UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "个星期": 7, "礼拜": 7, "个礼拜": 7}


@dataclass(frozen=True)
class Period:
    """Due dates from `start` to `end` (either open when None), both included.
    `label` names it for a reply: "已逾期（2020-09-15 前）", "今年（2020-01-01 至 2020-12-31）".
    `weak`: only a bare date without any word of deadlines (2022年建成多少个…): the date
    may belong to a task's text, so the caller should not treat it as a deadline question."""

    start: date | None
    end: date | None
    label: str
    kind: str
    weak: bool = False

    def bounds(self) -> tuple[str | None, str | None]:
        """(start, end) as ISO dates, None where open: for a range query."""
        return (self.start.isoformat() if self.start else None, self.end.isoformat() if self.end else None)

    def contains(self, due: str | date | None) -> bool:
        if due is None:
            return False
        d = date.fromisoformat(due) if isinstance(due, str) else due
        return (self.start is None or self.start <= d) and (self.end is None or d <= self.end)


def today() -> date:
    """FENGONG_TODAY=YYYY-MM-DD when set (tests, checks), else the date in Asia/Shanghai."""
    pinned = os.environ.get("FENGONG_TODAY", "").strip()
    if pinned:
        return date.fromisoformat(pinned)
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return date(y, m, min(d.day, month_end(y, m).day))


def _quarter(d: date, shift: int = 0) -> tuple[int, int]:
    q = (d.month - 1) // 3 + shift
    return d.year + q // 4, q % 4 + 1


def _relative_dates(s: str, now: date) -> str:
    """今年 / 明年 / 本月 / 下季度 … → the explicit calendar words (2020年, 2020年10月, 2020年4季度),
    so that one parser reads both; 今年上半年 becomes 2020年上半年."""
    y = now.year
    nm, pm = add_months(now.replace(day=1), 1), add_months(now.replace(day=1), -1)
    qy, q = _quarter(now)
    ny, nq = _quarter(now, 1)
    py, pq = _quarter(now, -1)
    table = [
        (("本年度", "今年度", "本年", "今年", "当年"), f"{y}年"),
        (("明年", "来年", "下一年", "下年度"), f"{y + 1}年"),
        (("去年", "上一年", "上年度"), f"{y - 1}年"),
        (("前年",), f"{y - 2}年"), (("后年",), f"{y + 2}年"),
        (("本月份", "本月", "这个月", "这月", "当月"), f"{y}年{now.month}月"),
        (("下个月", "下月"), f"{nm.year}年{nm.month}月"),
        (("上个月", "上月"), f"{pm.year}年{pm.month}月"),
        (("本季度", "这个季度", "这季度", "当季度", "本季"), f"{qy}年{q}季度"),
        (("下个季度", "下一季度", "下季度"), f"{ny}年{nq}季度"),
        (("上个季度", "上一季度", "上季度"), f"{py}年{pq}季度"),
    ]
    for words, text in table:
        for w in words:
            s = s.replace(w, text)
    # 月底 / 月末 alone: this month's end
    s = re.sub(r"(?<![\d年月])月(底|末)", f"{y}年{now.month}月\\1", s)
    return s


def _prepare(question: str, now: date) -> str:
    s = unicodedata.normalize("NFKC", question or "")
    s = re.sub(r"\s+", "", s)
    # 有没有过期的 asks whether any are overdue: its 没有过期 is not "not yet due"
    s = re.sub(r"有没有|有无|是不是|是否", "有无", s)
    s = re.sub(r"(?<![上下])半年", "6个月", s)
    s = s.replace("半个月", "15天")
    s = re.sub(r"([一二两三四五六七八九十]{1,3})(?=年(?:内|之内|以内))",
               lambda m: str(_cn(m[1])), s)
    s = arabic_dates(s)
    return _relative_dates(s, now)


def _cn(text: str) -> int:
    from text.dates import cn_number

    return cn_number(text) or 0


class _Scan:
    """The question with what has been read blanked out (same length, so positions hold),
    so later rules do not read it again."""

    def __init__(self, s: str) -> None:
        self.s = s

    def take(self, start: int, end: int) -> str:
        text = self.s[start:end]
        self.s = self.s[:start] + " " * (end - start) + self.s[end:]
        return text

    def word(self, words) -> str | None:
        """The first of `words` found (longest first); every other one is read too
        (最近快到期: both say soon)."""
        first = None
        for w in sorted(words, key=len, reverse=True):
            while (i := self.s.find(w)) >= 0:
                text = self.take(i, i + len(w))
                first = first or text
        return first


_SPAN_UNITS = r"(个月|个星期|星期|个礼拜|礼拜|天|日|周|年)"
# 30天内, 近两个月内; after 未来/接下来/今后/最近/近 the 内 may go unsaid (接下来两个月有哪些到期)
SOON_N = re.compile(r"(?:(?:未来|接下来|今后|最近|近)(\d{1,3})" + _SPAN_UNITS + r"(?:之内|以内|内)?"
                    r"|(?<![\d年月])(\d{1,3})" + _SPAN_UNITS + r"(?:之内|以内|内|(?=到期|$)))")
BEFORE_AFTER = re.compile(r"^(?:底)?(之前|以前|前|为止|以后|之后|后(?!续))")
BEFORE_LEAD = re.compile(r"(截至到|截止到|截至|截止|不晚于|到|至)$")


def _scan(question: str, now: date) -> tuple[Period | None, _Scan]:
    sc = _Scan(_prepare(question, now))
    status: Period | None = None
    m = SOON_N.search(sc.s)  # a span of days first: 接下来两个月 bounds what 接下来 alone leaves open
    if m:
        n, unit = int(m[1] or m[3]), m[2] or m[4]
        sc.take(m.start(), m.end())
        end = add_months(now, n) if unit == "个月" else add_months(now, 12 * n) if unit == "年" else \
            now + timedelta(days=n * UNIT_DAYS[unit])
        status = Period(now, end, f"{n}{unit}内到期（{now} 至 {end}）", SOON)
    if status is None and sc.word(UPCOMING_WORDS):
        status = Period(now, None, f"未到期（{now} 起）", UPCOMING)
    if status is None and sc.word(SOON_WORDS):
        end = now + timedelta(days=SOON_DAYS)
        status = Period(now, end, f"{SOON_DAYS}天内到期（{now} 至 {end}）", SOON)
    m = OVERDUE_RE.search(sc.s) if status is None else None
    if m:
        sc.take(m.start(), m.end())
    if status is None and (sc.word(OVERDUE_WORDS) or m):
        end = now - timedelta(days=1)
        status = Period(None, end, f"已逾期（{now} 前）", OVERDUE)

    found = [p for p in points(sc.s, now.year) if sc.s[p.pos : p.stop].strip()]
    calendar_ = _days(sc, now) if not found else None
    if found:
        calendar_ = _calendar(sc, found, now, question)
    elif status is None and sc.word(LATER_WORDS):
        status = Period(now, None, f"未到期（{now} 起）", UPCOMING)
    if calendar_ and status:  # 今年已逾期的: both at once
        start = max(d for d in (calendar_.start, status.start) if d) if calendar_.start or status.start else None
        end = min(d for d in (calendar_.end, status.end) if d) if calendar_.end or status.end else None
        return Period(start, end, f"{calendar_.label.split('（')[0]}{status.label}", status.kind), sc
    return calendar_ or status, sc


# Periods of days and weeks, which no printed deadline names but users ask for (今天到期的).
DAY_WORDS = {("今天到期", "今日到期", "当天到期"): 0, ("明天到期", "明日到期"): 1}
WEEK_WORDS = {("本周", "这周", "这个星期", "本星期", "这星期"): 0, ("下周", "下个星期", "下星期"): 1,
              ("上周", "上个星期", "上星期"): -1}


def _days(sc: _Scan, now: date) -> Period | None:
    for words, shift in DAY_WORDS.items():
        if word := sc.word(words):
            day = now + timedelta(days=shift)
            return Period(day, day, f"{word[:2]}（{day}）", PERIOD)
    for words, shift in WEEK_WORDS.items():
        if word := sc.word(words):
            monday = now - timedelta(days=now.weekday()) + timedelta(weeks=shift)
            sunday = monday + timedelta(days=6)
            return Period(monday, sunday, f"{word}（{monday} 至 {sunday}）", PERIOD)
    return None


def _calendar(sc: _Scan, found, now: date, question: str) -> Period:
    """The period the first date (or a range of two) of the question asks for."""
    s = sc.s
    first = found[0]
    text = s[first.pos : first.stop]
    start, end, kind = first.start, first.end, PERIOD
    lead = s[: first.pos]
    tail = s[first.stop :]
    lo_cut, hi_cut = first.pos, first.stop
    now_word = next((w for w in NOW_WORDS if lead.rstrip("到至起").endswith(w)), None)
    second = found[1] if len(found) > 1 else None
    if second and re.fullmatch(r"(到|至|-|~|—)", s[first.stop : second.pos]):
        start, end, kind = min(first.start, second.start), max(first.end, second.end), PERIOD  # 2021年到2022年
        text = s[first.pos : second.stop]
        hi_cut = second.stop
        tail = s[second.stop :]
    elif now_word:  # 从现在到X: today to the end of X
        i = lead.rfind(now_word)
        lo_cut, start, kind = i - (1 if lead[i - 1 : i] == "从" else 0), now, UNTIL
        m = BEFORE_AFTER.match(tail)
        if m and m[1] not in ("以后", "之后", "后"):
            hi_cut += m.end()
    else:
        m = BEFORE_AFTER.match(tail)
        lm = BEFORE_LEAD.search(lead)
        if m and m[1] in ("以后", "之后", "后"):
            start, end, kind = first.end + timedelta(days=1), None, AFTER
            hi_cut += m.end()
        elif m or (lm and lm[1] != "到" and lm[1] != "至") or tail.startswith("为止"):
            start, kind = None, BEFORE
            hi_cut += m.end() if m else 0
            if lm and (lm[1] != "到" or tail.startswith("为止")):
                lo_cut = first.pos - len(lm[1])
            if re.search(r"还有|还剩|还要|尚未|还没|剩下|剩余", s):  # X之前还有哪些: still ahead
                start, kind = now, UNTIL
        elif lm:  # 到X: the milestone X itself
            lo_cut = first.pos - len(lm[1])
    words = sc.take(lo_cut, hi_cut).strip()
    weak = kind == PERIOD and not any(c in question for c in CUES) and not any(
        w in question for w in ("年度", "今年", "明年", "去年", "本月", "这个月", "下个月", "下月", "上个月", "季度", "月份", "半年"))
    rng = f"{start} 至 {end}" if start and end else f"{end} 及以前" if end else f"{start} 起"
    return Period(start, end, f"{words or text}（{rng}）", kind, weak)


def find_period(question: str, now: date | None = None) -> Period | None:
    """The range of due dates a question asks about, relative to `now` (default: today())."""
    return _scan(question, now or today())[0]


def strip_period(question: str, now: date | None = None) -> str:
    """The question without its words of time (逾期, 今年, 2022年底前, 近两个月内 …), spaces where
    they were, so agency, role and document can be read from the rest. Chinese-numeral
    dates come back as digits and 有没有 as 有无; the rest of the text is unchanged."""
    period, sc = _scan(question, now or today())
    rest = sc.s
    if period:
        # the asking words around a time (到期的, 要完成的) say nothing more
        for w in ("到期的", "到期", "截止的", "截止", "要完成的", "要完成", "需完成", "需要完成", "完成的"):
            rest = rest.replace(w, " ")
    return re.sub(r"\s+", " ", rest).strip()
