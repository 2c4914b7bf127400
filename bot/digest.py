"""An agency's deadline digest: what has passed its time limit and what falls due in
the next 30 days, as lists and as one short reply. Fed by the Answerer (its agency
list, each task with `due`) for `/due`, the daily reminder and `python -m bot digest`.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from index.due import SOON_DAYS, due_dates

MAX_LISTED = 5  # per list in the reply; the full list is one button away


def _dues(task: dict[str, Any]) -> list[date]:
    due = task.get("due")
    if due is None:
        due = due_dates(task.get("deadlines") or [])
    return [date.fromisoformat(d) for d in due if d]


def _line(task: dict[str, Any]) -> str:
    text = task.get("title") or task.get("task") or ""
    text = text if len(text) <= 30 else text[:29] + "…"
    when = "、".join(task.get("deadlines") or [])
    return f"· 第{task.get('number', '')}项 {text}（{when}）"


def build_digest(tasks: list[dict[str, Any]], today: date, agency: str = "",
                 soon_days: int = SOON_DAYS) -> dict[str, Any]:
    """{"overdue": tasks with a deadline before today (the oldest first), "due_soon": the
    others with one in today … today+soon_days (the nearest first), "next_due": the first
    due date after that window or None, "reply": a short text}. `agency`: the name the
    reply opens with. A task is listed once: overdue wins (the same rule as "已逾期")."""
    horizon = today + timedelta(days=soon_days)
    overdue, soon, later = [], [], []
    for t in tasks:
        dues = _dues(t)
        past = [d for d in dues if d < today]
        near = [d for d in dues if today <= d <= horizon]
        if past:
            overdue.append((min(past), t))
        elif near:
            soon.append((min(near), t))
        later += [d for d in dues if d > horizon]
    overdue.sort(key=lambda x: x[0])
    soon.sort(key=lambda x: x[0])
    next_due = min(later) if later else None
    who = f"{agency}：" if agency else ""
    if not overdue and not soon:
        reply = f"{who}没有已过时限或{soon_days}天内到期的任务。"
        if next_due:
            reply += f"下一个时限在 {next_due}。"
    else:
        parts = [f"{who}已过时限 {len(overdue)} 项，{soon_days}天内到期 {len(soon)} 项（{today}）。"]
        for title, items in (("已过时限：", overdue), (f"{soon_days}天内到期：", soon)):
            if items:
                parts.append(title)
                parts += [_line(t) for _, t in items[:MAX_LISTED]]
                if len(items) > MAX_LISTED:
                    parts.append(f"……另有 {len(items) - MAX_LISTED} 项")
        reply = "\n".join(parts)
    return {
        "overdue": [t for _, t in overdue],
        "due_soon": [t for _, t in soon],
        "next_due": next_due.isoformat() if next_due else None,
        "reply": reply,
    }
