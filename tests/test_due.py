"""Printed deadlines → the date their period ends (index/due.py), on the genre's forms and
on every deadline of the real documents."""
from datetime import date

import pytest

from conftest import GOLD, read_jsonl
from index.due import Due, due_date, due_dates, parse_due, status, task_status


@pytest.mark.parametrize("printed, iso", [
    ("2025年", "2025-12-31"), ("2025年底", "2025-12-31"), ("2025年末", "2025-12-31"), ("2025年年底", "2025-12-31"),
    ("2025 年底前", "2025-12-31"), ("2021年内", "2021-12-31"), ("2021年度", "2021-12-31"),
    ("2020年10月", "2020-10-31"), ("2020年10月底", "2020-10-31"), ("2020年10月底前完成", "2020-10-31"),
    ("2020年2月", "2020-02-29"), ("2021年2月末", "2021-02-28"), ("2022年6月前", "2022-06-30"),
    ("2020年10月15日", "2020-10-15"), ("2023年9月30日前", "2023-09-30"), ("2020.10.15", "2020-10-15"),
    ("2020-10-15", "2020-10-15"), ("2020.10", "2020-10-31"), ("２０２０年１０月", "2020-10-31"),
    ("二〇二一年十二月底", "2021-12-31"), ("二○二二年三月", "2022-03-31"),
    ("2021年上半年", "2021-06-30"), ("2021年下半年", "2021-12-31"), ("2021年年中", "2021-06-30"),
    ("2022年一季度", "2022-03-31"), ("2022年第一季度", "2022-03-31"), ("2022年1季度", "2022-03-31"),
    ("2022年Q1", "2022-03-31"), ("2022年第二季度", "2022-06-30"), ("2022年三季度末", "2022-09-30"),
    ("2022年四季度", "2022-12-31"), ("2021年6月上旬", "2021-06-10"), ("2021年6月中旬", "2021-06-20"),
    ("2021年6月下旬", "2021-06-30"),
    # a range or a plan period ends with its last part
    ("2021-2025年", "2025-12-31"), ("2021—2025年", "2025-12-31"), ("2021年至2025年", "2025-12-31"),
    ("“十四五”期间", "2025-12-31"), ("十三五末", "2020-12-31"), ("2019年1月1日至12月31日", "2019-12-31"),
    # staged work: the whole of it is due at the last date
    ("2020年底前试点，2022年全面推开", "2022-12-31"), ("2020年底前建成，每年更新", "2020-12-31"),
    ("2021年6月底前出台，2022年底前完成", "2022-12-31"), ("2021年12月底前，持续推进", "2021-12-31"),
    # a part without a year in the same cell takes the year before it
    ("2020年上半年启动，年底前完成", "2020-12-31"),
])
def test_period_end(printed, iso):
    assert parse_due(printed) == Due(iso, "date")


@pytest.mark.parametrize("printed, kind", [
    ("长期坚持", "ongoing"), ("持续推进", "ongoing"), ("长期", "ongoing"), ("常态化", "ongoing"),
    ("2021年起长期坚持", "ongoing"), ("2021年起", "ongoing"), ("逐步推进", "ongoing"), ("稳步推进", "ongoing"),
    ("2021年1月起实施", "ongoing"), ("按年度", "recurring"), ("按国家统一部署", "unknown"),
    ("每年", "recurring"), ("每季度", "recurring"), ("每年12月底前", "recurring"), ("定期开展", "recurring"),
    ("2021年起每年", "recurring"),
    ("", "unknown"), ("及时", "unknown"), ("202", "unknown"), ("2021年春节前", "unknown"),
    ("2022年秋季学期", "unknown"), ("上半年", "unknown"), ("年底前", "unknown"), ("2020年13月", "unknown"),
])
def test_no_date(printed, kind):
    assert parse_due(printed) == Due(None, kind)


def test_a_part_without_year_takes_the_year_of_context():
    assert due_date("上半年", 2021) == "2021-06-30"
    assert due_date("三季度", 2021) == "2021-09-30"
    assert due_date("年底前", 2021) == "2021-12-31"
    assert due_dates(["2020年6月", "下半年", "2025年底"]) == ["2020-06-30", "2020-12-31", "2025-12-31"]
    assert due_dates(["长期坚持", "2022年"]) == [None, "2022-12-31"]
    assert due_dates([]) == []


def test_every_deadline_of_the_seed_documents_has_its_date():
    """The 158 gold tasks: every printed deadline is dated, and 2025年 / 2025年底 / 2025年末
    all end on the same day."""
    seen = {}
    for t in read_jsonl(GOLD / "tasks.jsonl"):
        dues = due_dates(t["deadlines"])
        assert len(dues) == len(t["deadlines"]) and all(dues), t["deadlines"]
        seen.update(zip(t["deadlines"], dues))
    assert seen["2025年"] == seen["2025年底"] == seen["2025年末"] == "2025-12-31"
    assert seen["2020年6月"] == "2020-06-30" and seen["2020年8月"] == "2020-08-31"


TODAY = date(2020, 9, 15)


@pytest.mark.parametrize("due, label", [
    ("2020-09-14", "已过时限"), ("2019-01-01", "已过时限"), ("2020-09-15", "30天内到期"),
    ("2020-10-15", "30天内到期"), ("2020-10-16", "未到期"), (None, "长期"), (date(2020, 9, 1), "已过时限"),
])
def test_status(due, label):
    assert status(due, TODAY) == label


def test_task_status_over_several_deadlines():
    assert task_status(["2020-06-30", "2022-12-31"], TODAY) == "已过时限"
    assert task_status([None, "2020-10-01"], TODAY) == "30天内到期"
    assert task_status(["2022-12-31", None], TODAY) == "未到期"
    assert task_status([None], TODAY) == task_status([], TODAY) == "长期"
