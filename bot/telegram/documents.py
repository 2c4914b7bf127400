"""/docs: every document the bot answers from; an admin also gets a remove button per
document added by users (shipped ones are part of the program), with a confirm step.

Removal buttons carry a short id (RemoveDocument in actions.py) mapped here to the
document's source; the map is in memory, so after a restart an old /docs list's buttons
say "expired" and a fresh /docs gives working ones.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from collections import OrderedDict
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import render
from bot.render import Button, esc
from bot.telegram.actions import RemoveDocument
from bot.telegram.buttons import on
from bot.telegram.replies import markup, send_result
from bot.telegram.service import Deps
from index import intake

log = logging.getLogger("fengong.telegram")

MAX_KEYS = 500
EXPIRED = "这个按钮已过期，请重新发送 /docs。"


class Removals:
    """Short id -> (source, title) for the remove buttons sent, oldest dropped."""

    def __init__(self, size: int = MAX_KEYS) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[str, str]] = OrderedDict()

    def put(self, source: str, title: str) -> str:
        sid = secrets.token_urlsafe(6)
        self._items[sid] = (source, title)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return sid

    def get(self, sid: str) -> tuple[str, str] | None:
        return self._items.get(sid)


def removals(holder: Any) -> Removals:
    found = holder.bot_data.get("removals")
    if found is None:
        found = holder.bot_data["removals"] = Removals()
    return found


async def docs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The document list; for an admin, a remove button per added document."""
    deps = Deps.of(context)
    listing = await deps.service.run(lambda s: s.documents())
    choices = []
    user = update.effective_user
    if user is not None and user.id in deps.config.admins:
        held = await asyncio.to_thread(intake.documents, deps.config.home)
        keys = removals(context)
        for d in held:
            if d.get("added"):
                title = d.get("title") or d["source"]
                choices.append((f"移除：{title}", RemoveDocument(keys.put(d["source"], title), "ask")))
    await send_result(context, update.effective_chat.id, render.documents_blocks(listing), choices,
                      reply_to=update.effective_message)


@on(RemoveDocument)
async def remove_document(update: Update, context: ContextTypes.DEFAULT_TYPE,
                          action: RemoveDocument) -> None:
    query = update.callback_query
    deps = Deps.of(context)
    if query.from_user.id not in deps.config.admins:
        await query.answer("只有管理员可以移除文件。", show_alert=True)
        return
    held = removals(context).get(action.sid)
    if held is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    source, title = held
    if action.op == "ask":
        await query.answer()
        await context.bot.send_message(
            query.message.chat.id,
            f"确定移除《{esc(title)}》（{esc(source)}）吗？移除后不再按它回答。",
            reply_markup=markup([[Button("确定移除", RemoveDocument(action.sid, "yes").encode()),
                                  Button("保留", RemoveDocument(action.sid, "no").encode())]]))
        return
    if action.op == "no":
        await query.answer("已保留")
        await query.edit_message_text(f"已保留《{esc(title)}》。")
        return
    home = str(deps.config.home)
    await query.answer("正在移除……")
    # On the answer worker, like 收录: the next question answers from the store without it.
    gone = await deps.service.run(lambda s: intake.remove(home, source))
    if gone is None:
        await query.edit_message_text(f"《{esc(title)}》已经不在了。")
        return
    log.info("Document %s removed by admin %s", source, query.from_user.id)
    await query.edit_message_text(f"已移除《{esc(gone)}》（{esc(source)}）。")
