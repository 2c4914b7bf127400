"""Answers about deadlines relative to today, on top of the Answerer: a question's period
(intents/periods.py) → the tasks with a due date in it (index/due.py), the `/due`
command, an agency's digest and the Excel export. No Telegram imports here.

Functions take the Answerer (`ans`) and use its store and helpers; Answerer exposes
them as `due`, `digest`, `workbook` and routes deadline_tasks with a period here.
"""
from __future__ import annotations

from datetime import date
from typing import Any


STATUS_KINDS = ("overdue", "upcoming", "soon")  # their labels already say 已逾期 / 未到期 / …内到期


def period_answer(ans, question: str, intent):
    """Tasks with a due date inside `intent.period`, of the named (or bound) agency in its
    role, of the named document, or of every document; empty → says so and when the
    next deadline falls."""
    from bot.answer import Answer
    from intents.periods import today

    period = intent.period
    if intent.agency_ids:
        found = ans._named_agencies(question, intent)
        if isinstance(found, Answer):
            return found
        ids, agency, who = found
        pool = ans._agency_role_tasks(ids, intent.role)
        tasks = [t for t in pool if any(period.contains(d) for d in t["due"])]
        dues = [d for t in pool for d in t["due"] if d]
    else:
        # every document: a range query on the store's due dates
        sources = set(intent.sources) or ans._sources_in(intent.jurisdictions)
        found = ans.store.tasks(ans.store.task_ids_due(*period.bounds()))
        tasks = [t for _, t in sorted(found.items()) if sources is None or t["source"] in sources]
        tasks = [t for t in tasks if any(period.contains(d) for d in t["due"])]
        dues = ans.store.due_dates() if sources is None else [
            d for t in ans.store.all_tasks() if t["source"] in sources for d in t["due"] if d]
        agency, who, ids = None, "", []
    what = period.label if period.kind in STATUS_KINDS else period.label + "到期"
    if not tasks:
        now = today().isoformat()
        dues = sorted(dues)
        ahead = [d for d in dues if d >= now]
        when = f"下一个时限在 {ahead[0]}。" if ahead else f"最近的时限 {dues[-1]} 已过。" if dues else "这些任务都没有写明时限。"
        return Answer(question=question, intent="deadline_tasks", agency=agency, blocks=[f"{who}没有{what}的任务。{when}"],
                      agency_ids=list(ids), role=intent.role)
    blocks = [f"{who}{what}的任务共 {len(tasks)} 项："] + ans._grouped_blocks(
        tasks, with_role=bool(intent.agency_ids), with_deadline=True)
    # the agency stays the subject of a follow-up (那今年到期的呢)
    return Answer(question=question, intent="deadline_tasks", tasks=tasks, agency=agency, blocks=blocks,
                  agency_ids=list(ids), role=intent.role)


def due_answer(ans, words: str = "", agency_id: int | None = None, role: str = "any"):
    """`/due [逾期|30天|今年|2025年底前…]`: the tasks of that period, of the agency when given.
    No words: overdue and due within 30 days (the agency's digest when there is one)."""
    from bot.answer import Answer
    from intents.periods import find_period, today
    from intents.understand import Intent

    from text.normalize import normalize

    words = normalize(words)  # traditional characters (過期), full-width digits (３０天)
    if not words:
        if agency_id is not None:
            d = agency_digest(ans, agency_id)
            return Answer(question="", intent="deadline_tasks", tasks=d["overdue"] + d["due_soon"],
                          agency=d["agency"], blocks=[d["reply"]])
        overdue, soon = due_answer(ans, "逾期"), due_answer(ans, "30天内")
        seen = {(t["source"], t["number"]) for t in overdue.tasks}
        tasks = overdue.tasks + [t for t in soon.tasks if (t["source"], t["number"]) not in seen]
        return Answer(question="", intent="deadline_tasks", tasks=tasks, blocks=overdue.blocks + soon.blocks)
    period = find_period(words, today())
    if period is None:
        return ans._not_found(words, f"没看懂“{words}”是哪段时间。可以写：逾期、30天、今年、2025年底前。", [])
    ids = [agency_id] if agency_id is not None else []
    return period_answer(ans, words, Intent("deadline_tasks", words, period=period, agency_ids=ids, role=role))


def agency_digest(ans, agency_id: int, today: date | None = None) -> dict[str, Any]:
    """{"agency", "overdue", "due_soon", "next_due", "reply"} of one agency (for /due,
    reminders and `python -m bot digest`); tasks carry `role` and `due`."""
    from bot.digest import build_digest
    from intents.periods import today as today_

    ref = ans._agency_ref(agency_id)
    tasks = ans._agency_role_tasks([agency_id], "any")
    return {"agency": ref} | build_digest(tasks, today or today_(), f"{ref['canonical']}（{ref['jurisdiction']}）")


def task_workbook(ans, tasks: list[dict], today: date | None = None) -> bytes:
    """The .xlsx of a task list (an agency's, a deadline answer's) for 导出Excel."""
    from bot.workbook import workbook_bytes
    from intents.periods import today as today_

    titles = {k: v["title"] or k for k, v in ans.sources.items()}
    return workbook_bytes(tasks, today or today_(), titles)
