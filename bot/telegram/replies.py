"""Asking the answer service on a user's behalf and sending what it answers: page 1
with its keyboard (pager, choice buttons), the rest kept in the ResultCache."""
from __future__ import annotations

from typing import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot import render
from bot.answer import Answer
from bot.render import Button, esc
from bot.settings import SettingsStore, UserSettings
from bot.telegram.actions import Action, AgencyTasks, BindAgency, Pick, data_for, from_choice
from bot.telegram.conversation import conversations
from bot.telegram.exports import answer_export
from bot.telegram.service import Deps, Result

MAX_CHOICES = 8


def markup(rows: render.Keyboard) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows])


def keyboard_for(sid: str | None, result: Result, page: int) -> InlineKeyboardMarkup | None:
    """The pager row, then one button per choice: its own data when it fits, else a
    Pick of the cached result."""
    if sid is None:
        return None
    return markup([render.pager_row(sid, page, len(result.pages)),
                   *([Button(render.label(text), data_for(action) or Pick(sid, i).encode())]
                     for i, (text, action) in enumerate(result.choices))])


def choices_of(answer: Answer) -> list[tuple[str, Action]]:
    """(label, action) for each usable choice of an Answer."""
    out: list[tuple[str, Action]] = []
    for choice in answer.choices or ():
        action = from_choice(choice, answer.facet)
        if action is not None:
            out.append((choice.label, action))
    return out[:MAX_CHOICES]


async def send_result(context: ContextTypes.DEFAULT_TYPE, chat_id: int, blocks: Sequence[str],
                      choices: Sequence[tuple[str, Action]] = (), *,
                      reply_to: Message | None = None) -> Message:
    """Send page 1 of an answer, with pager and choice buttons when there are any."""
    cache = Deps.of(context).cache
    result = Result(chat_id, render.answer_pages(blocks), list(choices))
    sid = cache.put(result) if len(result.pages) > 1 or result.choices else None
    keyboard = keyboard_for(sid, result, 0)
    if reply_to is not None:
        return await reply_to.reply_text(result.pages[0], reply_markup=keyboard)
    return await context.bot.send_message(chat_id, result.pages[0], reply_markup=keyboard)


async def send_answer(context: ContextTypes.DEFAULT_TYPE, chat_id: int, answer: Answer, *,
                      reply_to: Message | None = None) -> Message:
    # The chat's next question, or a reply to this message, may refer to this answer. The
    # chat's is set before sending: its next question may be handled before the send returns.
    held, ctx = conversations(context), answer.context()
    held.remember(chat_id, None, ctx)
    # a list of tasks (an agency's, a deadline answer) also gets its 导出Excel button
    sent = await send_result(context, chat_id, list(answer.blocks),
                             choices_of(answer) + answer_export(context, chat_id, answer),
                             reply_to=reply_to)
    if getattr(sent, "message_id", None) is not None:
        held.remember_message(chat_id, sent.message_id, ctx)
    return sent


async def bound_agency(context: ContextTypes.DEFAULT_TYPE, user: UserSettings) -> int | None:
    """The current id of the user's bound agency. Settings keep the name and
    jurisdiction too and we look the id up again, because a rebuilt store may number
    agencies differently; the stored id is refreshed when it moved."""
    if not user.agency_name:
        return None
    deps = Deps.of(context)
    name = user.agency_name
    for a in await deps.service.run(lambda s: s.find_agencies(name)):
        if a.get("canonical") == user.agency_name and a.get("jurisdiction") == user.agency_region:
            if int(a["id"]) != user.agency_id:
                deps.settings.set_agency(user.user_id, int(a["id"]), user.agency_name,
                                         user.agency_region)
            return int(a["id"])
    return None


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Ask the service a question on behalf of the update's user and reply."""
    deps = Deps.of(context)
    agency: str | int | None = None
    scope: str | None = None
    if update.effective_user:
        user = deps.settings.get(update.effective_user.id)
        agency = await bound_agency(context, user) or user.agency_name
        scope = user.scope
    ctx = conversations(context).for_question(update.message, update.effective_chat.id,
                                              context.bot.id)
    extra = {"context": ctx} if ctx is not None else {}  # follow-ups (什么时候完成, 还有呢)
    answer = await deps.service.run(lambda s: s.ask(question, agency=agency, scope=scope, **extra))
    if answer.introduced and len(answer.agency_ids) == 1 and update.effective_user:
        # "我是X的": the user said who they are, as /iam X would
        found = await deps.service.run(lambda s: s.agency(answer.agency_ids[0]))
        if found is not None:
            answer.blocks[0] = bind(deps.settings, update.effective_user.id, found, html=False) + "\n\n" + answer.blocks[0]
    # Reply to the user's message; an answer to a button press is a plain new message.
    await send_answer(context, update.effective_chat.id, answer, reply_to=update.message)


async def show_agency_tasks(context: ContextTypes.DEFAULT_TYPE, chat_id: int, agency_id: int, *,
                            reply_to: Message | None = None) -> None:
    answer = await Deps.of(context).service.run(lambda s: s.agency_tasks(agency_id))
    await send_answer(context, chat_id, answer, reply_to=reply_to)


async def pick_agency(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str, *,
                      bind: bool) -> dict | None:
    """The one agency `name` means, or None after offering buttons (bind on press, or
    show its tasks on press) or saying none fits."""
    deps = Deps.of(context)
    found = await deps.service.run(lambda s: s.find_agencies(name))
    scope = deps.settings.get(update.effective_user.id).scope
    if scope and any(a.get("jurisdiction") == scope for a in found):
        found = [a for a in found if a.get("jurisdiction") == scope]
    if not found:
        await update.effective_message.reply_text(
            f"没有找到名为「{esc(name)}」的单位，请换个说法试试。")
        return None
    if len(found) == 1:
        return found[0]
    kind = BindAgency if bind else AgencyTasks
    choices = [(render.agency_label(a), kind(int(a["id"]))) for a in found[:MAX_CHOICES]]
    await send_result(context, update.effective_chat.id,
                      [f"「{name}」可能指以下单位，请选择："], choices,
                      reply_to=update.effective_message)
    return None


def bind(settings: SettingsStore, user_id: int, agency: dict, *, html: bool = True) -> str:
    """Bind the user to `agency`; the confirmation text (HTML, or plain for an answer's block)."""
    settings.set_agency(user_id, int(agency["id"]), agency.get("canonical"),
                        agency.get("jurisdiction"))
    label = render.agency_label(agency)
    return f"已绑定你的单位：{f'<b>{esc(label)}</b>' if html else label}\n发送 /my 查看本单位的任务。"
