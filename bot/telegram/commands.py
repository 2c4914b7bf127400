"""The /command handlers. A command is one entry in render.COMMANDS (its name and the
description users see in the menu and /help) and one function here marked
`@command("name")`; app.py registers every one of them."""
from __future__ import annotations

import logging
import time
from typing import Awaitable, Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot import render
from bot.render import esc
from bot.telegram import documents, replies
from bot.telegram.gate import is_admin
from bot.telegram.replies import ask, markup, pick_agency
from bot.telegram.service import Deps

log = logging.getLogger("fengong.telegram")

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
HANDLERS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn
    return register


def _arg(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or []).strip()


@command("start")
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(render.start_text(),
                                              reply_markup=markup(render.start_keyboard()))


@command("help")
async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(render.help_text(context.bot.username))


@command("who")
async def who(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyword = _arg(context)
    if not keyword:
        await update.effective_message.reply_text("用法：/who 关键词，例如 /who 家庭养老床位")
        return
    await ask(update, context, f"谁负责{keyword}")


@command("tasks")
async def tasks(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    name = _arg(context)
    if not name:
        await update.effective_message.reply_text("用法：/tasks 单位，例如 /tasks 市民政局")
        return
    agency = await pick_agency(update, context, name, bind=False)
    if agency is not None:
        await replies.show_agency_tasks(context, update.effective_chat.id, int(agency["id"]),
                                        reply_to=update.effective_message)


@command("iam")
async def iam(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    settings = Deps.of(context).settings
    name = _arg(context)
    if not name:
        current = settings.get(update.effective_user.id)
        bound = (f"你现在绑定的单位：<b>{esc(current.agency_name)}"
                 f"{'（' + esc(current.agency_region) + '）' if current.agency_region else ''}</b>\n"
                 if current.agency_name else "你还没有绑定单位。\n")
        await update.effective_message.reply_text(bound + "用法：/iam 单位，例如 /iam 市民政局")
        return
    agency = await pick_agency(update, context, name, bind=True)
    if agency is not None:
        await update.effective_message.reply_text(
            replies.bind(settings, update.effective_user.id, agency))


# /my and /due: bot/telegram/working.py


@command("scope")
async def scope(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = Deps.of(context)
    wanted = _arg(context)
    options = list(await deps.service.run(lambda s: s.jurisdictions()))
    listing = "、".join(esc(o) for o in options) or "（暂无）"
    current = deps.settings.get(update.effective_user.id).scope
    if not wanted:
        await update.effective_message.reply_text(
            f"当前地区范围：<b>{esc(current or '全部')}</b>\n可选：{listing}\n"
            "用法：/scope 地区，或 /scope 全部")
        return
    if wanted in ("全部", "所有", "all", "ALL", "*"):
        deps.settings.set_scope(update.effective_user.id, None)
        await update.effective_message.reply_text("已取消地区限制，将在全部地区中查找。")
        return
    matches = [o for o in options if o == wanted] or [
        o for o in options if wanted in o or o in wanted]
    if len(matches) != 1:
        await update.effective_message.reply_text(
            f"没有找到唯一匹配「{esc(wanted)}」的地区。可选：{listing}")
        return
    deps.settings.set_scope(update.effective_user.id, matches[0])
    await update.effective_message.reply_text(
        f"已将地区范围设为：<b>{esc(matches[0])}</b>（/scope 全部 可取消）")


@command("docs")
async def docs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await documents.docs(update, context)  # with remove buttons for an admin


@command("reindex")
async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await is_admin(update, context, "重建索引"):
        return
    await update.effective_message.reply_text("正在重建索引……")
    started = time.monotonic()
    try:
        await Deps.of(context).service.run(lambda s: s.reindex())
    except Exception as exc:
        log.exception("Reindex failed")
        await update.effective_message.reply_text(  # admins only: the reason helps
            f"重建失败，仍使用原来的索引。\n{esc(type(exc).__name__)}: {esc(str(exc)[:500])}")
        return
    seconds = time.monotonic() - started
    log.info("Store rebuilt by admin %s in %.1f s", update.effective_user.id, seconds)
    await update.effective_message.reply_text(f"索引已重建，用时 {seconds:.1f} 秒。")


def registered() -> list[tuple[str, Handler]]:
    """(name, handler) in menu order; a command listed without a handler, or a handler
    without a menu entry, is a mistake worth failing at start for."""
    names = [name for name, _ in render.COMMANDS]
    missing = [n for n in names if n not in HANDLERS]
    unlisted = [n for n in HANDLERS if n not in names]
    if missing or unlisted:
        raise RuntimeError(f"commands without a handler {missing}, "
                           f"handlers not in render.COMMANDS {unlisted}")
    return [(name, HANDLERS[name]) for name in names]
