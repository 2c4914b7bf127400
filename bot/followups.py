"""Follow-ups: questions answered against the chat's last answer (bot.context.Context),
on top of the Answerer (`ans`), as bot/due_answers.py is: 还有呢 (more of the list, then
what matches in part), 第二个 (one of it by place), 什么时候完成 / 那配合单位呢 (a facet of
the task shown), 它有哪些任务 (the agency it was about) and 那市财政局呢 (an agency named
alone after a task's card: its role in that task). No Telegram imports here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cards import ROLE_LABEL, ROLE_ORDER
from bot.reply import Answer

if TYPE_CHECKING:
    from bot.context import Context

# 还有呢 shows this many more tasks; past the answer's own list, tasks that explain at
# least this share of the question (less than bot.answer.MIN_COVERAGE: the user asked for more).
MORE_TASKS = 3
MORE_COVERAGE = 0.25


def followup_answer(ans, question: str, intent, context: "Context | None" = None) -> Answer:
    """A question that refers to the chat's last answer: 还有呢, 第二个, 什么时候完成,
    它有哪些任务; without a context it says what to ask instead."""
    if context is None:
        if any("a" <= ch.lower() <= "z" for ch in question):  # who is responsible for elderly meals
            return ans._not_found(question, "请用中文写出要问的事项（文件是中文的），例如“who leads 长者饭堂”。", [])
        return ans._not_found(question, "这句话要接着上一个回答来问（例如先问“长者饭堂谁负责”，再问“什么时候完成”）。"
                               "请把要问的事项说完整。", [])
    if intent.wants_list:  # 它有哪些任务: the agency of the last answer
        if not context.agency_ids:
            return ans._not_found(question, "上一个回答没有提到具体单位，请说出单位名称。", [])
        from intents.understand import Intent

        ids = list(context.agency_ids)
        return ans._agency_tasks(question, Intent("agency_tasks", question, agency_ids=ids, role=intent.role))
    keys = list(context.tasks)
    facet = intent.facet or context.facet or "who"
    if intent.ordinal:
        if not 1 <= intent.ordinal <= len(keys):
            return ans._not_found(question, f"上一个回答只有 {len(keys)} 项。", [])
        return ans._keyed(question, [keys[intent.ordinal - 1]], facet, content=context.query)
    if intent.more:
        seen = [*context.seen, *keys[: context.shown]]
        rest, head = keys[context.shown:], "其余相关任务："
        if not rest and context.query:  # past the list: what matches the question in part
            hits = ans.search.search(context.query, ans._sources_in(list(context.jurisdictions)), limit=len(keys) + 12)
            found = ans.store.tasks(h.task_id for h in hits if h.coverage >= MORE_COVERAGE)
            rest = [k for k in dict.fromkeys((found[h.task_id]["source"], found[h.task_id]["number"])
                                             for h in hits if h.task_id in found) if k not in keys and k not in seen]
            head = "其他部分相符的任务："
        if not rest:
            return ans._not_found(question, "没有更多相关任务了。", [])
        answer = ans._keyed(question, rest[:MORE_TASKS], facet, head=head, content=context.query)
        # another 还有呢 continues after these
        answer.tasks += ans._keyed_tasks(rest[MORE_TASKS:])
        answer.query, answer.jurisdictions, answer.seen = context.query, list(context.jurisdictions), seen
        return answer
    if context.intent != "task" or not keys:
        return ans._not_found(question, "上一个回答不是一项具体任务，请把要问的事项说完整。", [])
    # the tasks it showed in full (usually one), now with the facet asked first
    shown = keys[: max(1, min(context.shown, MORE_TASKS))]
    answer = ans._keyed(question, shown, facet, head=f"这 {len(shown)} 项任务：" if len(shown) > 1 else "",
                         content=context.query)
    answer.query, answer.jurisdictions = context.query, list(context.jurisdictions)
    return answer


def agency_in_last(ans, question: str, intent, context: "Context") -> Answer:
    """An agency named alone right after a task's card (那市财政局呢): its role in the
    task(s) that card showed; when it has none there, its own task list, saying so."""
    ids = ans._in_jurisdictions(intent.agency_ids, intent.jurisdictions)
    shown = list(context.tasks[: max(1, min(context.shown, MORE_TASKS))])
    roles = {(t["source"], t["number"]): t["role"] for t in ans.store.tasks_of(ids)}
    keys = [k for k in shown if k in roles]
    name = intent.agency_text or ""
    if not keys:
        answer = ans._agency_tasks(question, intent)
        if answer.tasks:
            answer.blocks[0] = f"上一个回答的任务里没有{name}。\n" + answer.blocks[0]
        return answer
    said = "、".join(dict.fromkeys(ROLE_LABEL[roles[k]] for k in sorted(keys, key=lambda k: ROLE_ORDER[roles[k]])))
    head = f"{name}在{'这项任务' if len(shown) == 1 else f'其中 {len(keys)} 项任务'}中是{said}单位："
    answer = ans._keyed(question, keys, "who", head=head, content=context.query)
    answer.blocks.append(f"它的全部任务：问“{name}有哪些任务”。")
    answer.agency_ids = list(ids)
    answer.query, answer.jurisdictions = context.query, list(context.jurisdictions)
    return answer


def period_of_last_agency(question: str, intent, context: "Context") -> None:
    """A period asked as a follow-up to an agency's list (市民政局有哪些任务 → 逾期的呢,
    那今年到期的): that agency's tasks in it, in the role the list was in. Only a question
    that names no agency or document of its own and reads as a follow-up (…呢, 那…)."""
    said = question.strip().rstrip("？?。.！! ")
    if intent.agency_ids or intent.sources or context.intent not in ("agency_tasks", "deadline_tasks") \
            or not context.agency_ids:
        return
    if said.endswith("呢") or said.startswith("那"):
        intent.agency_ids, intent.role = list(context.agency_ids), context.role
