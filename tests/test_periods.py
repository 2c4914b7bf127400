"""Questions about time relative to today → a range of due dates (intents/periods.py)."""
from datetime import date

import pytest

from intents.periods import Period, find_period, strip_period, today

NOW = date(2020, 9, 15)
D = date.fromisoformat


def rng(q: str, now: date = NOW) -> tuple:
    p = find_period(q, now)
    assert p is not None, q
    return (p.start and p.start.isoformat(), p.end and p.end.isoformat(), p.kind)


@pytest.mark.parametrize("q", [
    "哪些任务已经逾期了", "逾期的任务", "过期的有哪些", "超期任务", "超时的任务", "哪些过了时限", "过了期限的",
    "没按时完成的任务", "未按时完成的", "哪些延期了", "已过时限的任务", "已经到期的任务", "哪些任务过了完成时限",
    "已超过完成时限的任务", "没在时限内完成的", "未按规定时限完成的", "到期未完成的", "到期了还没完成的",
])
def test_overdue_is_every_due_date_before_today(q):
    assert rng(q) == (None, "2020-09-14", "overdue")
    assert find_period(q, NOW).label == "已逾期（2020-09-15 前）"


@pytest.mark.parametrize("q", ["还没到期的任务", "未到期的", "没到期的有哪些", "尚未到期的任务", "以后要完成的", "今后要完成哪些"])
def test_not_yet_due_is_today_on(q):
    assert rng(q) == ("2020-09-15", None, "upcoming")


@pytest.mark.parametrize("q, end", [
    ("快到期的任务", "2020-10-15"), ("即将到期的", "2020-10-15"), ("临近到期的", "2020-10-15"),
    ("马上到期的有哪些", "2020-10-15"), ("近期到期的", "2020-10-15"), ("最近快到期的任务有哪些", "2020-10-15"),
    ("30天内到期的", "2020-10-15"), ("三十天内要完成的", "2020-10-15"), ("7日内", "2020-09-22"),
    ("两周内到期", "2020-09-29"), ("3个星期内", "2020-10-06"), ("一个月内到期的", "2020-10-15"),
    ("近两个月内到期的任务", "2020-11-15"), ("未来三个月内", "2020-12-15"), ("半个月内", "2020-09-30"),
    ("半年内要完成的", "2021-03-15"), ("一年内", "2021-09-15"),
])
def test_soon_is_today_to_today_plus_the_period(q, end):
    assert rng(q) == ("2020-09-15", end, "soon")


@pytest.mark.parametrize("q, start, end", [
    ("今年到期的任务", "2020-01-01", "2020-12-31"), ("今年内到期的任务", "2020-01-01", "2020-12-31"),
    ("本年度要完成的", "2020-01-01", "2020-12-31"), ("明年到期的", "2021-01-01", "2021-12-31"),
    ("去年到期的", "2019-01-01", "2019-12-31"), ("本月到期的", "2020-09-01", "2020-09-30"),
    ("这个月要完成的", "2020-09-01", "2020-09-30"), ("下个月到期的", "2020-10-01", "2020-10-31"),
    ("上个月到期的", "2020-08-01", "2020-08-31"), ("本季度到期的", "2020-07-01", "2020-09-30"),
    ("下季度要完成哪些", "2020-10-01", "2020-12-31"), ("上半年到期的", "2020-01-01", "2020-06-30"),
    ("下半年到期的", "2020-07-01", "2020-12-31"), ("今年上半年到期", "2020-01-01", "2020-06-30"),
    ("2021年上半年到期", "2021-01-01", "2021-06-30"), ("10月份到期的任务", "2020-10-01", "2020-10-31"),
    ("十月份到期的", "2020-10-01", "2020-10-31"), ("2025年到期的", "2025-01-01", "2025-12-31"),
    ("2025年10月到期的", "2025-10-01", "2025-10-31"), ("2022年第三季度到期", "2022-07-01", "2022-09-30"),
    ("2022年一季度要完成的", "2022-01-01", "2022-03-31"),
    # 到X / X到期 / X截止 / X要完成: the milestone X itself
    ("到2022年要完成的有哪些", "2022-01-01", "2022-12-31"), ("2020年6月到期的", "2020-06-01", "2020-06-30"),
    ("2022年截止的任务", "2022-01-01", "2022-12-31"), ("完成时限为2020年12月的任务有哪些", "2020-12-01", "2020-12-31"),
    ("今天到期的", "2020-09-15", "2020-09-15"), ("明天到期的任务", "2020-09-16", "2020-09-16"),
    ("本周到期的", "2020-09-14", "2020-09-20"), ("下周要完成的", "2020-09-21", "2020-09-27"),
    ("2020年10月15日到期的", "2020-10-15", "2020-10-15"),
    ("2021年到2022年到期的", "2021-01-01", "2022-12-31"), ("2022年到2021年到期的", "2021-01-01", "2022-12-31"),
])
def test_calendar_periods(q, start, end):
    assert rng(q) == (start, end, "period")


@pytest.mark.parametrize("q, end", [
    ("2022年底前要完成哪些", "2022-12-31"), ("2022年前", "2022-12-31"), ("2022年之前到期的", "2022-12-31"),
    ("2021年6月以前", "2021-06-30"), ("截至2021年6月", "2021-06-30"), ("截止到2022年", "2022-12-31"),
    ("年底前要完成的", "2020-12-31"), ("民政局今年年底前要完成什么", "2020-12-31"), ("月底前", "2020-09-30"),
    ("明年上半年前", "2021-06-30"), ("到2022年为止要完成的", "2022-12-31"), ("不晚于2021年6月", "2021-06-30"),
    ("截止2021年底的任务", "2021-12-31"), ("2021年6月30日前", "2021-06-30"),
])
def test_before_x_has_no_lower_bound(q, end):
    assert rng(q) == (None, end, "before")


@pytest.mark.parametrize("q, end", [
    ("从现在到2025年底", "2025-12-31"), ("现在到年底还有哪些", "2020-12-31"), ("从今天到明年", "2021-12-31"),
    ("2022年之前还有哪些", "2022-12-31"), ("年底前还有哪些没完成", "2020-12-31"),
])
def test_from_now_to_x(q, end):
    assert rng(q) == ("2020-09-15", end, "until")


@pytest.mark.parametrize("q, start", [("2022年以后到期的", "2023-01-01"), ("2021年6月之后", "2021-07-01")])
def test_after_x(q, start):
    assert rng(q) == (start, None, "after")


def test_combinations_intersect():
    assert rng("今年已经逾期的") == ("2020-01-01", "2020-09-14", "overdue")
    assert rng("明年还没到期的") == ("2021-01-01", "2021-12-31", "upcoming")


def test_today_moves_every_relative_word():
    assert rng("哪些任务已经逾期", D("2022-03-01")) == (None, "2022-02-28", "overdue")
    assert rng("今年到期的", D("2022-03-01")) == ("2022-01-01", "2022-12-31", "period")
    assert rng("下个月到期的", D("2020-12-20")) == ("2021-01-01", "2021-01-31", "period")
    assert rng("下季度", D("2020-11-01")) == ("2021-01-01", "2021-03-31", "period")
    assert rng("一个月内", D("2021-01-31")) == ("2021-01-31", "2021-02-28", "soon")


@pytest.mark.parametrize("q", ["谁负责家庭养老床位", "市民政局有哪些任务", "长者饭堂什么时候完成", "一老一小方案", "", "帮助"])
def test_no_time_no_period(q):
    assert find_period(q, NOW) is None
    assert strip_period(q, NOW) == q.replace(" ", "")


def test_a_year_inside_a_task_text_is_weak():
    """A bare date with no word of deadlines may be the task's own (2022年建成…)."""
    assert find_period("2022年建成多少个社区养老服务站", NOW).weak
    assert not find_period("2022年到期的任务", NOW).weak
    assert not find_period("今年的任务", NOW).weak


@pytest.mark.parametrize("q, rest", [
    ("三亚市民政局有哪些任务已经逾期", "三亚市民政局有哪些任务"), ("四川省民政厅哪些任务今年到期", "四川省民政厅哪些任务"),
    ("我们单位哪些任务已经逾期", "我们单位哪些任务"), ("有没有过期的任务", "有无 的任务"), ("民政局牵头的任务哪些快到期了", "民政局牵头的任务哪些 了"),
    ("三亚居家养老试点里2020年6月到期的任务", "三亚居家养老试点里 任务"), ("2022年底前要完成哪些", "哪些"),
])
def test_strip_period_leaves_agency_role_and_document(q, rest):
    assert strip_period(q, NOW) == rest


def test_contains_includes_both_ends():
    p = Period(D("2020-01-01"), D("2020-12-31"), "", "period")
    assert p.contains("2020-01-01") and p.contains("2020-12-31") and not p.contains("2021-01-01")
    assert not p.contains(None)
    assert Period(None, D("2020-09-14"), "", "overdue").contains("1999-01-01")


def test_today_is_pinned_or_shanghai(monkeypatch):
    monkeypatch.setenv("FENGONG_TODAY", "2022-03-01")
    assert today() == D("2022-03-01")
    monkeypatch.delenv("FENGONG_TODAY")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert today() == datetime.now(ZoneInfo("Asia/Shanghai")).date()


def test_asking_whether_any_are_overdue_is_overdue():
    assert rng("有没有过期的任务") == (None, "2020-09-14", "overdue")
    assert rng("是否有逾期的") == (None, "2020-09-14", "overdue")


def test_a_bare_span_is_soon():
    """/due 30天: the argument alone."""
    assert rng("30天") == ("2020-09-15", "2020-10-15", "soon")
    assert find_period("30天", NOW).label == "30天内到期（2020-09-15 至 2020-10-15）"
    assert find_period("近2个月内", NOW).label == "2个月内到期（2020-09-15 至 2020-11-15）"


from hypothesis import given, settings, strategies as st  # noqa: E402

TIME_CHARS = list("0123456789年月日底末前后以之内到至起每上下半季度第一二三四五六七八九十两个天周逾期今明本这现在还没未的任务局-./ 〇")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(TIME_CHARS), max_size=24), st.dates(date(1990, 1, 1), date(2100, 1, 1)))
def test_any_text_reads_without_error(text, now):
    from index.due import due_dates, parse_due

    assert parse_due(text).kind in ("date", "ongoing", "recurring", "unknown")
    assert len(due_dates([text, text])) == 2
    p = find_period(text, now)
    # (a status word with a calendar period may leave nothing: 明年已逾期 has start > end)
    if p is not None and p.kind == "period" and p.start and p.end:
        assert p.start <= p.end, (text, p)
    assert isinstance(strip_period(text, now), str)


def test_a_span_after_next_bounds_the_period_without_nei():
    from datetime import date

    p = find_period("市卫健委牵头的任务里，接下来两个月有哪些到期", date(2025, 11, 20))
    assert (p.start, p.end, p.kind) == (date(2025, 11, 20), date(2026, 1, 20), "soon")
    assert find_period("接下来有哪些任务", date(2025, 11, 20)).end is None


def test_malformed_chinese_numbers_are_no_dates():
    """Found by the property test on a fresh clone: 十十日 crashed the question path."""
    from datetime import date

    from text.dates import cn_number

    assert cn_number("十十") is None and cn_number("二十十") is None and cn_number("三十一") == 31
    find_period("十十日", date(2000, 1, 1))  # reads without error
