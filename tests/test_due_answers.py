"""Deadline questions relative to today through the whole pipeline (prototype wiring of
intents/periods.py into understand() and the Answerer), on the real store."""
import subprocess

import pytest

from conftest import EVAL, GOLD, PYTHON, ROOT, read_jsonl
from index.due import due_dates


@pytest.fixture
def at(monkeypatch):
    def pin(day: str) -> None:
        monkeypatch.setenv("FENGONG_TODAY", day)
    return pin


def gold_keys(lo="0000", hi="9999", source=None):
    """Gold task keys with a due date in [lo, hi]."""
    return {(t["source"], t["number"]) for t in read_jsonl(GOLD / "tasks.jsonl")
            if (source is None or t["source"] == source) and any(d and lo <= d <= hi for d in due_dates(t["deadlines"]))}


def keys(answer):
    return {(t["source"], t["number"]) for t in answer.tasks}


def test_overdue_is_every_task_before_today(answerer, at):
    at("2020-09-15")
    a = answerer.ask("哪些任务已经逾期了")
    assert a.intent == "deadline_tasks" and keys(a) == gold_keys(hi="2020-09-14") != set()
    assert a.reply.startswith("已逾期（2020-09-15 前）的任务共 ")
    assert all(t["due"] for t in a.tasks) and "（2020年6月）" in a.reply


def test_before_x_includes_every_earlier_deadline(answerer, at):
    at("2022-03-01")
    a = answerer.ask("2025年底前要完成哪些")
    assert keys(a) == gold_keys(hi="2025-12-31") and len(a.tasks) == 30  # not only the "2025年底" one
    assert {"2020年6月", "2022年", "2025年", "2025年底", "2025年末"} <= {d for t in a.tasks for d in t["deadlines"]}


@pytest.mark.parametrize("q, lo, hi", [
    ("今年到期的任务有哪些", "2020-01-01", "2020-12-31"), ("下个月到期的", "2020-10-01", "2020-10-31"),
    ("快到期的任务", "2020-09-15", "2020-10-15"), ("近两个月内到期的任务", "2020-09-15", "2020-11-15"),
    ("本季度到期的任务", "2020-07-01", "2020-09-30"), ("2022年以后到期的", "2023-01-01", "9999"),
    ("从现在到2022年底要完成的", "2020-09-15", "2022-12-31"),
])
def test_period_words(answerer, at, q, lo, hi):
    at("2020-09-15")
    a = answerer.ask(q)
    assert a.intent == "deadline_tasks" and keys(a) == gold_keys(lo, hi), q


def test_agency_and_role_combine_with_the_period(answerer, at):
    at("2020-09-15")
    every = answerer.ask("三亚市民政局有哪些任务已经逾期")
    lead = answerer.ask("三亚市民政局牵头的任务哪些已经逾期")
    assert every.intent == lead.intent == "deadline_tasks"
    assert every.agency == {"canonical": "市民政局", "jurisdiction": "三亚市"}
    assert keys(lead) < keys(every) and {t["role"] for t in lead.tasks} <= {"lead", "responsible"}
    assert {t["role"] for t in every.tasks} >= {"lead", "support"}
    assert keys(every) <= gold_keys(hi="2020-09-14")


def test_bound_agency_answers_we(answerer, at):
    at("2020-09-15")
    a = answerer.ask("我们单位哪些任务已经逾期", agency="三亚市民政局")
    assert a.intent == "deadline_tasks" and a.agency["canonical"] == "市民政局" and a.tasks
    assert answerer.ask("我们单位哪些任务已经逾期").agency is None  # unbound: every task
    mine = answerer.ask("我的逾期任务", agency="三亚市民政局")
    assert mine.agency == a.agency and keys(mine) == keys(a)


def test_document_combines_with_the_period(answerer, at):
    at("2020-09-15")
    a = answerer.ask("三亚居家养老试点里已经逾期的任务")
    assert keys(a) == gold_keys(hi="2020-09-14", source="sanya-jujia-yanglao")


def test_empty_answer_says_so_and_when_the_next_deadline_falls(answerer, at):
    at("2020-09-15")
    a = answerer.ask("2021年到期的任务")
    assert a.intent == "deadline_tasks" and a.tasks == []
    assert a.reply == "没有2021年（2021-01-01 至 2021-12-31）到期的任务。下一个时限在 2020-10-31。"
    at("2026-12-01")
    a = answerer.ask("还没到期的任务")
    assert a.tasks == [] and "最近的时限 2025-12-31 已过" in a.reply


def test_a_year_inside_a_task_question_stays_a_task_question(answerer, at):
    at("2020-09-15")
    assert answerer.ask("2022年建成多少个社区养老服务站").intent != "deadline_tasks"
    bed = answerer.ask("家庭养老床位今年到期吗")  # what the task is about stays the question
    assert bed.intent == "task" and bed.tasks[0]["number"] == "20" and bed.facet == "deadline"
    bare = answerer.ask("2022年的任务有哪些")  # a bare year asking for a list is a period
    assert bare.intent == "deadline_tasks" and keys(bare) == gold_keys("2022-01-01", "2022-12-31")
    doc = answerer.ask("三亚一老一小方案里2022年的任务有哪些")
    assert keys(doc) == gold_keys("2022-01-01", "2022-12-31", source="sanya-yilaoyixiao") != set()
    a = answerer.ask("到2022年每千名老年人养老床位32张谁负责")
    assert a.intent == "task" and a.tasks[0]["number"] == "9"


@pytest.mark.skipif(not (EVAL / "dev-due.jsonl").exists(), reason="shared/eval not beside the checkout")
def test_dev_due_is_all_right(cli_env):
    out = subprocess.run([PYTHON, str(EVAL / "score.py"), str(EVAL / "dev-due.jsonl"), "--min", "1.0"],
                         env=cli_env, cwd=ROOT, capture_output=True, text=True)
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr


def test_answerer_digest_and_workbook(answerer):
    from datetime import date

    from bot.workbook import COLUMNS
    from test_workbook_digest import read_back

    aid = next(a["id"] for a in answerer.find_agencies("三亚市民政局") if a["jurisdiction"] == "三亚市")
    d = answerer.digest(aid, date(2020, 10, 1))
    assert d["agency"] == {"canonical": "市民政局", "jurisdiction": "三亚市"}
    assert d["reply"].startswith("市民政局（三亚市）：已过时限 ") and d["overdue"] and d["due_soon"]
    assert all(t["role"] and t["due"] for t in d["overdue"] + d["due_soon"])
    tasks = answerer.agency_tasks(aid).tasks
    rows = list(read_back(answerer.workbook(tasks, date(2020, 10, 1))).iter_rows(values_only=True))
    assert rows[0] == COLUMNS and len(rows) == len(tasks) + 1
    assert rows[1][0] == answerer.sources[tasks[0]["source"]]["title"]


def test_due_command_words(answerer, at):
    at("2020-10-01")
    aid = next(a["id"] for a in answerer.find_agencies("三亚市民政局") if a["jurisdiction"] == "三亚市")
    a = answerer.due("逾期", aid)
    assert a.intent == "deadline_tasks" and a.tasks and all(t["role"] for t in a.tasks)
    assert keys(a) == keys(answerer.ask("三亚市民政局有哪些任务已经逾期"))
    assert keys(answerer.due("2025年底前")) == gold_keys(hi="2025-12-31")
    plain = answerer.due("", aid)
    assert plain.reply.startswith("市民政局（三亚市）：已过时限 ")
    everyone = answerer.due("")
    assert keys(everyone) == gold_keys(hi="2020-10-31") and "已逾期" in everyone.reply and "30天内到期" in everyone.reply
    assert answerer.due("随便", aid).intent == "not_found"
    assert keys(answerer.due("３０天")) == keys(answerer.due("30天")) != set()
    assert keys(answerer.due("過期", aid)) == keys(a)
