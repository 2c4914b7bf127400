"""A document sent to the bot (issue #10): an admin sends a file in a private chat; the bot
checks its size and kind, downloads it into a temporary folder, reads it in the sandbox
(index.intake.read_upload, off the event loop) and replies with a preview and three
buttons: 收录 (keep it: index.intake.commit, on the answer worker, so every chat answers
from it at its next question), 取消, 改地区 (a known place, or the admin types one).

Pending previews live in memory under a short id carried by the buttons (UploadStep,
UploadPlace in actions.py); an hour after the file came, or when the bot stops, a pending
one is gone and its temporary folder removed. The original file is kept only by 收录
(commit copies it into FENGONG_HOME/documents/).
"""
from __future__ import annotations

import asyncio
import logging
import re
import secrets
import shutil
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.render import Button, esc
from bot.telegram.actions import UploadPlace, UploadStep
from bot.telegram.buttons import GONE, on
from bot.telegram.gate import is_admin
from bot.telegram.replies import markup
from bot.telegram.service import Deps
from index.intake import UNKNOWN_PLACE, Committed, Preview, commit, read_upload
from index.meta import canonical_place, caption_fields
from index.readers import suffixes
from index.sandbox import SandboxError

log = logging.getLogger("fengong.telegram")

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # the cloud Bot API's getFile limit
READ_TIMEOUT = 60  # seconds the sandbox may read one file
PENDING_SECONDS = 3600
MAX_PENDING = 50
SAMPLE_TASKS = 3
MAX_PLACES = 24  # place buttons offered by 改地区

ONLY_ADMINS = "添加分工文件"  # gate.ADMINS_ONLY: 抱歉，只有管理员可以添加分工文件。
PRIVATE_ONLY = "请在与我的私聊中发送文件，我会先给出预览，确认后再收录。"
EXPIRED = "这个文件的预览已过期，请重新发送文件。"
NOT_YOURS = "只有发送这个文件的管理员可以操作。"
ASK_PLACE = "请选择这份文件所属的地区，或直接发送地区名称（例如 三亚市）："


@dataclass
class Pending:
    """A file read, waiting for 收录 or 取消."""

    preview: Preview
    folder: Path  # the temporary folder holding the downloaded file
    user_id: int
    chat_id: int
    created: float = field(default_factory=time.monotonic)
    places: list[str] = field(default_factory=list)  # the places 改地区 offered, by index
    keeping: bool = False  # 收录 pressed: a second press must not keep it twice


class Uploads:
    """Pending previews by short id, and which admin's next text is a typed place."""

    def __init__(self, ttl: float = PENDING_SECONDS, size: int = MAX_PENDING) -> None:
        self.ttl, self.size = ttl, size
        self._items: OrderedDict[str, Pending] = OrderedDict()
        self._typing: dict[tuple[int, int], str] = {}  # (chat, user) -> sid awaiting a place

    def put(self, pending: Pending) -> str:
        self._expire()
        sid = secrets.token_urlsafe(6)
        self._items[sid] = pending
        while len(self._items) > self.size:
            self.drop(next(iter(self._items)))
        return sid

    def get(self, sid: str) -> Pending | None:
        self._expire()
        return self._items.get(sid)

    def drop(self, sid: str) -> None:
        """Forget a pending upload and remove its temporary folder."""
        pending = self._items.pop(sid, None)
        self._typing = {k: v for k, v in self._typing.items() if v != sid}
        if pending is not None:
            shutil.rmtree(pending.folder, ignore_errors=True)

    def await_place(self, chat_id: int, user_id: int, sid: str | None) -> None:
        if sid is None:
            self._typing.pop((chat_id, user_id), None)
        else:
            self._typing[(chat_id, user_id)] = sid

    def awaiting(self, chat_id: int, user_id: int) -> str | None:
        sid = self._typing.get((chat_id, user_id))
        return sid if sid is not None and self.get(sid) is not None else None

    def close(self) -> None:
        for sid in list(self._items):
            self.drop(sid)

    def _expire(self) -> None:
        now = time.monotonic()
        for sid in [s for s, p in self._items.items() if now - p.created > self.ttl]:
            self.drop(sid)


def uploads(holder: Any) -> Uploads:
    """The application's Uploads (in bot_data, created on first use)."""
    found = holder.bot_data.get("uploads")
    if found is None:
        found = holder.bot_data["uploads"] = Uploads()
    return found


# --- texts ---------------------------------------------------------------------------

def kinds_text() -> str:
    return "、".join(s.lstrip(".") for s in suffixes())


def _names(agencies: list[str] | None) -> str:
    return "、".join(agencies or []) or "未注明"


def preview_text(preview: Preview) -> str:
    doc = preview.document
    lines = [f"<b>文件预览</b>：{esc(preview.file_name)}",
             f"标题：{esc(doc.title or '（未识别）')}",
             f"地区：{esc(doc.jurisdiction or UNKNOWN_PLACE)}",
             f"任务：{len(doc.tasks)} 项"]
    if doc.tasks:
        lines.append("")
        lines.append(f"示例（前 {min(SAMPLE_TASKS, len(doc.tasks))} 项）：")
        for t in doc.tasks[:SAMPLE_TASKS]:
            title = t.get("title") or t.get("task") or ""
            number = f"第{t['number']}项 " if t.get("number") else ""
            lead = t.get("lead") or t.get("responsible")
            lines.append(f"• {esc(number)}{esc(_clip(title, 60))}")
            lines.append(f"  牵头：{esc(_names(lead))}；配合：{esc(_names(t.get('support')))}")
    lines.append("")
    warnings = len(doc.warnings)
    lines.append(f"提示：{warnings} 条" + (f"（如：{esc(_clip(doc.warnings[0], 80))}）" if warnings else ""))
    if (doc.jurisdiction or UNKNOWN_PLACE) == UNKNOWN_PLACE:
        lines.append("没有认出这份文件的地区，可以点「改地区」指定。")
    lines.append("确认无误请点「收录」，收录后所有对话立即按这份文件回答。")
    return "\n".join(lines)


def preview_keyboard(sid: str):
    return markup([[Button("收录", UploadStep(sid, "ok").encode()),
                    Button("取消", UploadStep(sid, "no").encode()),
                    Button("改地区", UploadStep(sid, "pl").encode())]])


def committed_text(preview: Preview, done: Committed) -> str:
    doc = preview.document
    lines = [f"已收录《{esc(doc.title or preview.file_name)}》",
             f"编号：{esc(done.entry.source)}；地区：{esc(doc.jurisdiction or UNKNOWN_PLACE)}；"
             f"任务：{done.tasks} 项"]
    replaced = list(dict.fromkeys([*(p.source for p in [done.previous] if p), *done.replaced]))
    if done.how != "new" or replaced:
        why = {"same_content": "内容相同", "same_title": "标题相同"}.get(done.how, "标题相同")
        lines.append(f"替换了旧版本（{why}）：{esc('、'.join(replaced) or done.entry.source)}")
    lines.append("现在起所有对话都会按这份文件回答。发送 /docs 查看全部文件。")
    return "\n".join(lines)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _safe_name(file_name: str) -> str:
    """The downloaded file's name in the temporary folder: the suffix kept (readers go by
    it), nothing that could leave the folder."""
    suffix = Path(file_name).suffix.lower()
    stem = re.sub(r"[^\w.-]+", "_", Path(file_name).stem)[:60].strip("._") or "upload"
    return stem + suffix


# --- handlers ------------------------------------------------------------------------

async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file sent to the bot."""
    message = update.effective_message
    doc = message.document
    if doc is None or not await is_admin(update, context, ONLY_ADMINS):
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        await message.reply_text(PRIVATE_ONLY)
        return
    name = doc.file_name or "文件"
    if doc.file_size and doc.file_size > MAX_DOWNLOAD_BYTES:  # getFile would refuse it
        await message.reply_text(_too_big(name, doc.file_size))
        return
    if Path(name).suffix.lower() not in suffixes():
        await message.reply_text(
            f"「{esc(name)}」不是我能读的文件类型。能读的类型：{esc(kinds_text())}。\n"
            "压缩包请先解压，图片或扫描件请转成 Word、Excel 或带文字的 PDF。")
        return
    folder = Path(tempfile.mkdtemp(prefix="fengong-upload-"))
    try:
        pending = await _read(update, context, folder, name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if isinstance(pending, str):  # not read: nothing of it stays
        shutil.rmtree(folder, ignore_errors=True)
        await message.reply_text(pending)
        return
    sid = uploads(context).put(pending)
    await message.reply_text(preview_text(pending.preview), reply_markup=preview_keyboard(sid))


async def _read(update: Update, context: ContextTypes.DEFAULT_TYPE, folder: Path,
                name: str) -> Pending | str:
    """Download and read the message's file into `folder`: the pending upload, or what to
    tell the user when it cannot be had."""
    message = update.effective_message
    await _typing(context, update.effective_chat.id)
    path = folder / _safe_name(name)
    try:
        tg_file = await context.bot.get_file(message.document.file_id)
        await tg_file.download_to_drive(path)
    except BadRequest as exc:
        if "too big" in str(exc).lower():
            return _too_big(name, message.document.file_size)
        log.warning("Could not fetch an uploaded file: %s", exc)
        return f"没能下载「{esc(name)}」，请重新发送。"
    fields = caption_fields(message.caption)
    place = fields.get("jurisdiction")
    if place:
        known = await Deps.of(context).service.run(lambda s: s.jurisdictions())
        place = canonical_place(place, known=known) or place
    started = time.monotonic()
    try:
        # The sandbox reads in a child process with its own time and memory limits; the
        # thread keeps the event loop (every other chat) answering meanwhile.
        preview = await asyncio.to_thread(read_upload, path, jurisdiction=place,
                                          title=fields.get("title"), file_name=name,
                                          timeout=READ_TIMEOUT)
    except SandboxError as exc:
        log.info("Upload %r not read (%s): %s", name, exc.kind, exc.detail)
        return f"未能读取「{esc(name)}」：{esc(exc.reason)}\n没有收录任何内容。"
    log.info("Upload %r read in %.1f s: %d tasks", name, time.monotonic() - started,
             len(preview.document.tasks))
    return Pending(preview, folder, update.effective_user.id, update.effective_chat.id)


async def _typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError:
        pass  # a courtesy only


def _too_big(name: str, size: int | None) -> str:
    mb = f"（{size / 1024 / 1024:.1f} MB）" if size else ""
    return (f"「{esc(name)}」太大了{mb}：机器人只能下载 20 MB 以内的文件。"
            "请压缩图片、删去无关内容或拆分后再发送。")


async def _mine(update: Update, context: ContextTypes.DEFAULT_TYPE, sid: str) -> Pending | None:
    """The pending upload `sid` when the presser may act on it; else the press is answered."""
    query = update.callback_query
    pending = uploads(context).get(sid)
    if pending is None or pending.chat_id != query.message.chat.id:
        await query.answer(EXPIRED, show_alert=True)
        return None
    if query.from_user.id != pending.user_id or query.from_user.id not in Deps.of(context).config.admins:
        await query.answer(NOT_YOURS)
        return None
    return pending


@on(UploadStep)
async def upload_step(update: Update, context: ContextTypes.DEFAULT_TYPE, action: UploadStep) -> None:
    query = update.callback_query
    pending = await _mine(update, context, action.sid)
    if pending is None:
        return
    store = uploads(context)
    if pending.keeping:
        await query.answer("正在收录……")
        return
    if action.op == "no":
        store.drop(action.sid)
        await query.answer("已取消")
        await query.edit_message_text(f"已取消，未收录「{esc(pending.preview.file_name)}」。")
    elif action.op == "pl":
        known = await Deps.of(context).service.run(lambda s: s.jurisdictions())
        pending.places = [p for p in dict.fromkeys(known) if p][:MAX_PLACES]
        store.await_place(pending.chat_id, pending.user_id, action.sid)
        await query.answer()
        rows = [[Button(p, UploadPlace(action.sid, i).encode())
                 for i, p in list(enumerate(pending.places))[k:k + 3]]
                for k in range(0, len(pending.places), 3)]
        await query.edit_message_text(
            ASK_PLACE, reply_markup=markup([*rows, [Button("« 返回", UploadStep(action.sid, "bk").encode())]]))
    elif action.op == "bk":
        store.await_place(pending.chat_id, pending.user_id, None)
        await query.answer()
        await query.edit_message_text(preview_text(pending.preview),
                                      reply_markup=preview_keyboard(action.sid))
    else:  # ok
        pending.keeping = True
        store.await_place(pending.chat_id, pending.user_id, None)
        await query.answer("正在收录……")
        await _commit(update, context, action.sid, pending)


async def _commit(update: Update, context: ContextTypes.DEFAULT_TYPE, sid: str,
                  pending: Pending) -> None:
    deps = Deps.of(context)
    store = uploads(context)
    user = update.effective_user
    added_by = {"via": "telegram", "user_id": user.id, "name": user.full_name}
    home = str(deps.config.home)
    query = update.callback_query
    try:
        # On the answer worker: no question is answered half from the old store; each
        # one after this answers from the new document (Worker refreshes first).
        done = await deps.service.run(lambda s: commit(home, pending.preview, added_by=added_by))
    except Exception as exc:
        log.exception("Could not keep upload %r", pending.preview.file_name)
        await query.edit_message_text(  # admins only: the reason helps
            f"收录失败，数据没有改变。\n{esc(type(exc).__name__)}: {esc(str(exc)[:300])}")
        store.drop(sid)
        return
    store.drop(sid)
    log.info("Upload %r kept as %s by admin %s (%s, %d tasks)", pending.preview.file_name,
             done.entry.source, user.id, done.how, done.tasks)
    await query.edit_message_text(committed_text(pending.preview, done))


@on(UploadPlace)
async def upload_place(update: Update, context: ContextTypes.DEFAULT_TYPE,
                       action: UploadPlace) -> None:
    query = update.callback_query
    pending = await _mine(update, context, action.sid)
    if pending is None:
        return
    if action.index >= len(pending.places):
        await query.answer(GONE)
        return
    set_place(pending, pending.places[action.index])
    uploads(context).await_place(pending.chat_id, pending.user_id, None)
    await query.answer(f"地区：{pending.places[action.index]}")
    await query.edit_message_text(preview_text(pending.preview),
                                  reply_markup=preview_keyboard(action.sid))


def set_place(pending: Pending, place: str) -> None:
    """The admin's place for the document: it goes into the store with it."""
    pending.preview.document.jurisdiction = place
    pending.preview.given["jurisdiction"] = True


async def typed_place(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
    """After 改地区, the admin's next text message is the place: True when it was taken
    as one (or refused as one), so it is not asked as a question."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return False
    store = uploads(context)
    sid = store.awaiting(chat.id, user.id)
    if sid is None:
        return False
    pending = store.get(sid)
    message: Message = update.effective_message
    known = await Deps.of(context).service.run(lambda s: s.jurisdictions())
    place = canonical_place(text, known=known)
    if place is None and len(text) > 12:  # a question, not a place: ask it
        store.await_place(chat.id, user.id, None)
        return False
    if place is None:
        await message.reply_text(f"「{esc(text)}」不像地区名称，请再发送一次（例如 三亚市、宝清县），"
                                 "或点预览下方的「取消」。")
        return True
    set_place(pending, place)
    store.await_place(chat.id, user.id, None)
    await message.reply_text(preview_text(pending.preview), reply_markup=preview_keyboard(sid))
    return True
