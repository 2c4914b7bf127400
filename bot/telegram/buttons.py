"""What happens when a button is pressed: one handler per action kind, each given the
decoded, typed action. app.py registers them with `pattern=Kind.matches`, then a last
handler for data no kind accepts (forged, or from an older version of the bot)."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.telegram import replies
from bot.telegram.actions import KINDS, AgencyTasks, BindAgency, Example, OpenTask, Page, Pick
from bot.telegram.service import Deps, Result

EXPIRED = "这条结果已过期，请重新提问。"
UNKNOWN_BUTTON = "这个按钮无法识别，请重新提问。"
GONE = "没有找到这一项，可能数据已更新，请重新提问。"

ButtonHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, Any], Awaitable[None]]
BUTTONS: dict[type, ButtonHandler] = {}


def on(kind: type) -> Callable[[ButtonHandler], ButtonHandler]:
    def register(fn: ButtonHandler) -> ButtonHandler:
        BUTTONS[kind] = fn
        return fn
    return register


async def _cached(update: Update, context: ContextTypes.DEFAULT_TYPE, sid: str) -> Result | None:
    """The cached result `sid`, if it is still there and was sent to this chat (a
    button copied to another chat shows nothing of it); else the user is told."""
    result = Deps.of(context).cache.get(sid)
    query = update.callback_query
    if result is None or result.chat_id != query.message.chat.id:
        await query.answer(EXPIRED, show_alert=False)
        return None
    return result


async def _send_from_service(update: Update, context: ContextTypes.DEFAULT_TYPE, job) -> None:
    """Answer a button with what the service returns for it, sent as a new message; a key
    the store no longer holds (a rebuilt document) is told so."""
    try:
        answer = await Deps.of(context).service.run(job)
    except (LookupError, ValueError):
        await update.callback_query.answer(GONE)
        return
    await update.callback_query.answer()
    await replies.send_answer(context, update.callback_query.message.chat.id, answer)


@on(Page)
async def page(update: Update, context: ContextTypes.DEFAULT_TYPE, action: Page) -> None:
    query = update.callback_query
    result = await _cached(update, context, action.sid)
    if result is None:
        return
    if action.page is None:  # the x/y indicator
        await query.answer()
        return
    if action.page >= len(result.pages):
        await query.answer(UNKNOWN_BUTTON)
        return
    await query.answer()
    try:
        await query.edit_message_text(
            result.pages[action.page],
            reply_markup=replies.keyboard_for(action.sid, result, action.page))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


@on(Pick)
async def pick(update: Update, context: ContextTypes.DEFAULT_TYPE, action: Pick) -> None:
    result = await _cached(update, context, action.sid)
    if result is None:
        return
    if action.index >= len(result.choices):
        await update.callback_query.answer(UNKNOWN_BUTTON)
        return
    chosen = result.choices[action.index][1]
    await BUTTONS[type(chosen)](update, context, chosen)


@on(Example)
async def example(update: Update, context: ContextTypes.DEFAULT_TYPE, action: Example) -> None:
    question = action.question
    if question is None:
        await update.callback_query.answer(UNKNOWN_BUTTON)
        return
    await update.callback_query.answer()
    await replies.ask(update, context, question)


@on(OpenTask)
async def open_task(update: Update, context: ContextTypes.DEFAULT_TYPE, action: OpenTask) -> None:
    await _send_from_service(update, context, lambda s: s.task(action.source, action.number, action.facet or "who"))


@on(AgencyTasks)
async def agency_tasks(update: Update, context: ContextTypes.DEFAULT_TYPE,
                       action: AgencyTasks) -> None:
    await _send_from_service(update, context, lambda s: s.agency_tasks(action.agency_id))


@on(BindAgency)
async def bind_agency(update: Update, context: ContextTypes.DEFAULT_TYPE,
                      action: BindAgency) -> None:
    deps = Deps.of(context)
    agency = await deps.service.run(lambda s: s.agency(action.agency_id))
    query = update.callback_query
    if agency is None:
        await query.answer(GONE)
        return
    await query.answer("已绑定")
    await query.edit_message_text(replies.bind(deps.settings, query.from_user.id, agency))


async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer(UNKNOWN_BUTTON)


def _typed(kind: type, fn: ButtonHandler) -> Callable[[Update, ContextTypes.DEFAULT_TYPE],
                                                     Awaitable[None]]:
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        action = kind.decode(query.data)
        if action is None or query.message is None:  # e.g. a button under an inline result
            await query.answer(UNKNOWN_BUTTON)
            return
        await fn(update, context, action)
    handle.__name__ = f"on_{kind.__name__}"
    return handle


def handlers() -> list[CallbackQueryHandler]:
    """One CallbackQueryHandler per action kind, then the catch-all."""
    missing = [k.__name__ for k in KINDS if k not in BUTTONS]
    if missing:
        raise RuntimeError(f"action kinds without a button handler: {missing}")
    return [*(CallbackQueryHandler(_typed(k, BUTTONS[k]), pattern=k.matches) for k in KINDS),
            CallbackQueryHandler(unknown)]
