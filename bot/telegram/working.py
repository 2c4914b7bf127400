"""Deadlines at work: `/due`, the `/my` working view (counts by role and by time, filter
buttons, a button per item to its card) and the `导出Excel` button's handler.

The working view is stateless: every button carries the agency, both filters and the
page (`wk:` data, actions.Work), so it keeps working after a restart. Time buckets are
index.due.task_status over a task's due dates, today being intents.periods.today()
(Asia/Shanghai, or FENGONG_TODAY)."""
from __future__ import annotations

import logging
from datetime import date
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import render
from bot.answer import Answer
from bot.render import Button, esc
from bot.telegram import replies
from bot.telegram.actions import WORK_ROLES, WORK_TIMES, Export, OpenTask, Work, data_for
from bot.telegram.buttons import GONE, on
from bot.telegram.commands import command
from bot.telegram.exports import export_choice, store_of
from bot.telegram.service import Deps
from index.due import ONGOING_LABEL, OVERDUE, SOON, task_status
from intents.periods import today as today_

log = logging.getLogger("fengong.telegram")

PER_PAGE = 8
EXPIRED_EXPORT = "这份清单已过期，请重新查询后再导出。"
ROLE_OF = {"lead": "lead", "resp": "responsible", "supp": "support", "local": "local"}
ROLE_LABEL = {"any": "全部角色", "lead": "牵头", "resp": "负责", "supp": "配合", "local": "属地"}
TIME_LABEL = {"any": "全部时间", "over": "已过时限", "soon": "30天内", "later": "以后",
              "none": "无时限", "due": "已过时限及30天内"}
NO_AGENCY = "你还没有绑定单位。先发送 /iam 单位名称，例如 /iam 市民政局"


def time_bucket(task: dict[str, Any], today: date) -> str:
    """over / soon / later / none for one task (its most pressing deadline)."""
    status = task_status(list(task.get("due") or []), today)
    return {OVERDUE: "over", SOON: "soon", ONGOING_LABEL: "none"}.get(status, "later")


def role_code(task: dict[str, Any]) -> str:
    return next((c for c, r in ROLE_OF.items() if r == task.get("role")), "any")


def keep(task: dict[str, Any], role: str, time: str, today: date) -> bool:
    if role != "any" and role_code(task) != role:
        return False
    bucket = time_bucket(task, today)
    return time == "any" or bucket == time or (time == "due" and bucket in ("over", "soon"))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def item_line(i: int, task: dict[str, Any]) -> str:
    """`3. ［牵头］第5项 标题 — 2020年6月（2020-06-30）`: the printed deadline and its date."""
    tag = f"［{ROLE_LABEL[role_code(task)]}］" if role_code(task) != "any" else ""
    title = task.get("title") or task.get("task") or task.get("text") or ""
    printed = "、".join(task.get("deadlines") or []) or task.get("deadline") or "无时限"
    dates = "、".join(d for d in task.get("due") or [] if d)
    return (f"{i}. {tag}第{task.get('number', '')}项 {_short(title, 28)}"
            f" — {printed}{'（' + dates + '）' if dates and dates != printed else ''}")


def view(agency: dict, tasks: list[dict[str, Any]], action: Work, today: date,
         titles: dict[str, str], export: Export | None
         ) -> tuple[str, render.Keyboard]:
    """The working view's text (HTML) and keyboard for `action` (filters and page)."""
    roles = {c: sum(1 for t in tasks if role_code(t) == c) for c in WORK_ROLES[1:]}
    times = {c: sum(1 for t in tasks if time_bucket(t, today) == c) for c in WORK_TIMES[1:5]}
    chosen = [t for t in tasks if keep(t, action.role, action.time, today)]
    pages = max(1, -(-len(chosen) // PER_PAGE))
    page = min(action.page, pages - 1)
    shown = chosen[page * PER_PAGE:(page + 1) * PER_PAGE]
    lines = [f"<b>{esc(render.agency_label(agency))}</b> 工作台（{today}）",
             f"共 {len(tasks)} 项：" + " · ".join(f"{ROLE_LABEL[c]} {n}" for c, n in roles.items() if n),
             "按时限：" + " · ".join(f"{TIME_LABEL[c]} {n}" for c, n in times.items()),
             f"筛选：{ROLE_LABEL[action.role]} · {TIME_LABEL[action.time]}，"
             f"{len(chosen)} 项" + (f"（第 {page + 1}/{pages} 页）" if pages > 1 else "")]
    source = None
    for i, t in enumerate(shown, start=page * PER_PAGE + 1):
        if t.get("source") != source:
            source = t.get("source")
            lines.append(f"\n《{esc(titles.get(source or '', source or ''))}》")
        lines.append(esc(item_line(i, t)))
    if not chosen:
        lines.append("\n没有符合筛选条件的任务。")

    def pick(role: str, time: str) -> str:
        return Work(action.agency_id, role, time, 0).encode()

    mark = "✓ "
    role_row = [Button((mark if c == action.role else "") + ROLE_LABEL[c]
                       + (f" {roles[c]}" if c != "any" else ""), pick(c, action.time))
                for c in WORK_ROLES if c == "any" or roles[c]]
    time_row = [Button((mark if c == action.time else "") + TIME_LABEL[c]
                       + (f" {times[c]}" if c in times else ""), pick(action.role, c))
                for c in WORK_TIMES if c in ("any", action.time) or times.get(c)]
    items = [Button(str(i), data) for i, t in enumerate(shown, start=page * PER_PAGE + 1)
             if (data := data_for(OpenTask(t["source"], str(t["number"]))))]
    pager: list[Button] = []
    if pages > 1:
        at = Work(action.agency_id, action.role, action.time, page)
        if page > 0:
            pager.append(Button("« 上一页", Work(at.agency_id, at.role, at.time, page - 1).encode()))
        pager.append(Button(f"{page + 1}/{pages}", at.encode()))
        if page + 1 < pages:
            pager.append(Button("下一页 »", Work(at.agency_id, at.role, at.time, page + 1).encode()))
    rows = [role_row, time_row[:3], time_row[3:], items[:4], items[4:], pager]
    if export is not None and chosen:
        rows.append([Button("导出Excel", export.encode())])
    return "\n".join(lines), rows


async def _working_view(context: ContextTypes.DEFAULT_TYPE, chat_id: int, action: Work
                        ) -> tuple[str, Any] | None:
    """Text and markup of a working view, None when the agency is gone."""
    service = Deps.of(context).service
    agency = await service.run(lambda s: s.agency(action.agency_id))
    if agency is None:
        return None
    answer = await service.run(lambda s: s.agency_tasks(action.agency_id))
    docs = await service.run(lambda s: s.documents())
    titles = {d["id"]: d.get("title") or d["id"] for d in docs}
    today = today_()
    chosen = [t for t in answer.tasks if keep(t, action.role, action.time, today)]
    _, export = export_choice(context, chat_id, chosen, f"{agency['canonical']}-工作台")
    text, rows = view(agency, answer.tasks, action, today, titles, export)
    return text, replies.markup(rows)


async def send_working_view(context: ContextTypes.DEFAULT_TYPE, chat_id: int, action: Work,
                            reply_to: Any = None) -> bool:
    shown = await _working_view(context, chat_id, action)
    if shown is None:
        return False
    text, markup = shown
    if reply_to is not None:
        await reply_to.reply_text(text, reply_markup=markup)
    else:
        await context.bot.send_message(chat_id, text, reply_markup=markup)
    return True


@command("my")
async def my(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    current = Deps.of(context).settings.get(update.effective_user.id)
    if not current.agency_name:
        await update.effective_message.reply_text(NO_AGENCY)
        return
    agency_id = await replies.bound_agency(context, current)
    if agency_id is None or not await send_working_view(
            context, update.effective_chat.id, Work(agency_id), update.effective_message):
        await update.effective_message.reply_text(
            f"现在的数据里找不到你绑定的单位「{esc(current.agency_name)}」，请用 /iam 重新绑定。")


@on(Work)
async def work(update: Update, context: ContextTypes.DEFAULT_TYPE, action: Work) -> None:
    query = update.callback_query
    shown = await _working_view(context, query.message.chat.id, action)
    if shown is None:
        await query.answer(GONE)
        return
    await query.answer()
    text, markup = shown
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def digest_answer(d: dict) -> Answer:
    """An agency's digest as a full list: every overdue and due-soon task, with its
    deadline, paged like the other lists."""
    agency = d["agency"]
    overdue, soon = d["overdue"], d["due_soon"]
    if not overdue and not soon:
        return Answer(question="", intent="deadline_tasks", agency=agency, blocks=[d["reply"]])
    head = d["reply"].split("\n", 1)[0]
    blocks = [head]
    for title, items in (("已过时限：", overdue), ("30天内到期：", soon)):
        for n, t in enumerate(items):
            blocks.append((title + "\n" if n == 0 else "") + item_line(n + 1, t))
    return Answer(question="", intent="deadline_tasks", tasks=overdue + soon, agency=agency,
                  blocks=blocks)


@command("due")
async def due(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/due`: the bound agency's overdue and due-within-30-days tasks (every document's
    when no agency is bound); `/due 今年` etc.: that period, of the bound agency too."""
    deps = Deps.of(context)
    words = " ".join(context.args or []).strip()
    agency_id = await replies.bound_agency(context, deps.settings.get(update.effective_user.id))
    if not words and agency_id is not None:
        d = await deps.service.run(lambda s: s.digest(agency_id))
        answer = digest_answer(d)
    else:
        answer = await deps.service.run(lambda s: s.due(words, agency_id))
    await replies.send_answer(context, update.effective_chat.id, answer,
                              reply_to=update.effective_message)


@on(Export)
async def export(update: Update, context: ContextTypes.DEFAULT_TYPE, action: Export) -> None:
    query = update.callback_query
    item = store_of(context).get(action.eid)
    if item is None or item.chat_id != query.message.chat.id:
        await query.answer(EXPIRED_EXPORT)
        return
    await query.answer("正在生成Excel……")
    data = await Deps.of(context).service.run(lambda s: s.workbook(item.tasks))
    name = f"{item.name}-{today_()}.xlsx"
    await context.bot.send_document(query.message.chat.id, document=data, filename=name,
                                    caption=f"{esc(item.name)}：{len(item.tasks)} 项任务")
