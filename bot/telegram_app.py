"""The Telegram front end: short async handlers that call the answer pipeline and
render its answers; all wiring in `build_app()`; `run(config)` starts the bot.

Page and choice state lives server-side in `ResultCache`, an in-memory LRU keyed by
a random 8-character id that goes into the callback data (see bot/render.py for the
format). After a restart or eviction a pager button says the result has expired and
asks to ask again; task and agency choice buttons carry their key and keep working.
"""
from __future__ import annotations

import asyncio
import importlib
import logging
import re
import secrets
import sys
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote, urlparse

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import render
from bot.config import Config, ConfigError
from bot.render import Button, esc
from bot.settings import SettingsStore, UserSettings

log = logging.getLogger("fengong.telegram")

POLL_TIMEOUT = 30  # seconds a getUpdates long poll may wait
CACHE_SIZE = 1000  # answers whose pages/choices stay pressable
MAX_CHOICES = 8

REFUSAL = "抱歉，这个机器人只在指定的聊天中提供服务。"
EXPIRED = "这条结果已过期，请重新提问。"
UNKNOWN_BUTTON = "这个按钮无法识别，请重新提问。"
FAILED = "抱歉，出了点问题，请稍后再试。"


# --- logging -----------------------------------------------------------------------

class TokenRedactor(logging.Filter):
    """Replaces the bot token (and webhook secret) in every log record, including
    formatted exceptions, e.g. httpx's request URLs /bot<token>/getUpdates."""

    def __init__(self, *secret_values: str) -> None:
        super().__init__()
        values = set()
        for v in secret_values:
            if v:
                values.update({v, quote(v, safe="")})
                _, _, tail = v.partition(":")
                if len(tail) >= 16:  # the secret half of a real token
                    values.add(tail)
        self._values = sorted(values, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for v in self._values:
            if v in text:
                text = text.replace(v, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._values:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup_logging(config: Config) -> None:
    """Redact the token in every root handler's output; quiet httpx's per-request lines."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                            level=logging.INFO)
    redactor = TokenRedactor(config.token, config.webhook_secret)
    for handler in root.handlers:
        if not any(isinstance(f, TokenRedactor) for f in handler.filters):
            handler.addFilter(redactor)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


class ApiHealth:
    """Logs an outage of the Bot API once when it starts and once when it ends, however
    many retries PTB's back-off makes in between."""

    def __init__(self) -> None:
        self.down_since: float | None = None
        self.failures = 0

    def failed(self, exc: Exception) -> None:
        self.failures += 1
        if self.down_since is None:
            self.down_since = time.monotonic()
            log.warning("Telegram Bot API unreachable (%s: %s); retrying with back-off",
                        type(exc).__name__, exc)

    def ok(self, started: float) -> None:
        """A request that `started` (monotonic time) succeeded. One already in flight
        when the outage was noticed proves nothing about recovery."""
        if self.down_since is not None and started >= self.down_since:
            log.warning("Telegram Bot API reachable again after %.1f s (%d failed requests)",
                        time.monotonic() - self.down_since, self.failures)
            self.down_since, self.failures = None, 0


class TrackingRequest(HTTPXRequest):
    """HTTPXRequest that reports network failures and recoveries to an ApiHealth."""

    def __init__(self, health: ApiHealth, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._health = health

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        started = time.monotonic()
        try:
            result = await super().do_request(*args, **kwargs)
        except NetworkError as exc:
            self._health.failed(exc)
            raise
        self._health.ok(started)
        return result


# --- state -------------------------------------------------------------------------

@dataclass
class Result:
    """An answer already sent: its pages and the actions behind its choice buttons."""

    chat_id: int
    pages: list[str]
    choices: list[tuple[str, tuple]] = field(default_factory=list)  # (label, action)


class ResultCache:
    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, Result] = OrderedDict()

    def put(self, result: Result) -> str:
        sid = secrets.token_urlsafe(6)  # 8 characters of [A-Za-z0-9_-]
        self._items[sid] = result
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return sid

    def get(self, sid: str) -> Result | None:
        result = self._items.get(sid)
        if result is not None:
            self._items.move_to_end(sid)
        return result


class Domain:
    """The answer pipeline behind one worker thread: calls are serialised (the
    Answerer need not be thread-safe), run on the thread that built it, and never
    block the event loop."""

    def __init__(self, factory: Callable[[str], Any], home: str) -> None:
        self._factory = factory
        self._home = home
        self._answerer: Any = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="answerer")

    def _get(self) -> Any:
        if self._answerer is None:
            started = time.monotonic()
            self._answerer = self._factory(self._home)
            log.info("Answer pipeline loaded in %.2f s", time.monotonic() - started)
        return self._answerer

    async def _run(self, fn: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn)

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return await self._run(lambda: getattr(self._get(), name)(*args, **kwargs))

    def warm_up(self) -> None:
        def load() -> None:
            try:
                self._get()
            except Exception:
                log.exception("Could not load the answer pipeline (will retry on the next question)")
        self._pool.submit(load)

    async def rebuild(self) -> None:
        def job() -> None:
            from index.build import build_store  # provided by the domain layer

            build_store(self._home)  # atomic: a failed build leaves the old store
            self._answerer = self._factory(self._home)  # swapped only once it loads
        await self._run(job)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def load_factory(spec: str) -> Callable[[str], Any]:
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr or "Answerer")


# --- helpers -----------------------------------------------------------------------

def _data(context: ContextTypes.DEFAULT_TYPE) -> tuple[Config, Domain, SettingsStore, ResultCache]:
    d = context.bot_data
    return d["config"], d["domain"], d["settings"], d["cache"]


def _is_mention_of(message: Message, entity: MessageEntity, username: str | None,
                   bot_id: int) -> bool:
    if entity.type == MessageEntity.TEXT_MENTION:
        return bool(entity.user and entity.user.id == bot_id)
    if entity.type == MessageEntity.MENTION and username:
        return message.parse_entity(entity).lower() == "@" + username.lower()
    return False


def addressed_to_me(message: Message, username: str | None, bot_id: int) -> bool:
    """In a group: a command for us, a mention of us, or a reply to one of our messages."""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return True
    for entity in message.entities or ():
        if _is_mention_of(message, entity, username, bot_id):
            return True
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            command = message.parse_entity(entity)
            _, _, target = command.partition("@")
            if not target or (username and target.lower() == username.lower()):
                return True
    return False


def question_of(message: Message, username: str | None) -> str:
    text = message.text or ""
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def _actions_of(answer: Any) -> list[tuple[str, tuple]]:
    """(label, action) for each usable choice of an Answer."""
    out = []
    for choice in getattr(answer, "choices", None) or ():
        if choice.kind == "task" and "|" in choice.key:
            source, number = choice.key.split("|", 1)
            out.append((choice.label, ("task", source, number, answer.facet)))
        elif choice.kind == "agency" and str(choice.key).isdigit():
            out.append((choice.label, ("agency", int(choice.key))))
        else:
            log.warning("Ignoring a choice of unknown kind %r", choice.kind)
    return out[:MAX_CHOICES]


def _button_for(sid: str, index: int, action: tuple, text: str) -> Button:
    data = None
    if action[0] == "task":
        data = render.cb_task(action[3], action[1], action[2])
    elif action[0] == "agency":
        data = render.cb_agency(action[1])
    return Button(render.label(text), data or render.cb_choice(sid, index))


def markup(rows: render.Keyboard) -> InlineKeyboardMarkup | None:
    rows = [row for row in rows if row]
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows])


def keyboard_for(sid: str | None, result: Result, page: int) -> InlineKeyboardMarkup | None:
    if sid is None:
        return None
    return markup([render.pager_row(sid, page, len(result.pages)),
                   *([_button_for(sid, i, action, text)]
                     for i, (text, action) in enumerate(result.choices))])


async def send_result(context: ContextTypes.DEFAULT_TYPE, chat_id: int, blocks: list[str],
                      actions: list[tuple[str, tuple]] = (), *,
                      reply_to: Message | None = None) -> Message:
    """Send page 1 of an answer, with pager and choice buttons when there are any."""
    cache = context.bot_data["cache"]
    result = Result(chat_id, render.answer_pages(blocks), list(actions))
    sid = cache.put(result) if len(result.pages) > 1 or result.choices else None
    keyboard = keyboard_for(sid, result, 0)
    if reply_to is not None:
        return await reply_to.reply_text(result.pages[0], reply_markup=keyboard)
    return await context.bot.send_message(chat_id, result.pages[0], reply_markup=keyboard)


async def send_answer(context: ContextTypes.DEFAULT_TYPE, chat_id: int, answer: Any, *,
                      reply_to: Message | None = None) -> Message:
    return await send_result(context, chat_id, list(answer.blocks), _actions_of(answer),
                             reply_to=reply_to)


async def bound_agency(context: ContextTypes.DEFAULT_TYPE, user: UserSettings) -> int | None:
    """The current id of the user's bound agency. Settings keep the name and
    jurisdiction too and we look the id up again, because a rebuilt store may number
    agencies differently; the stored id is refreshed when it moved."""
    if not user.agency_name:
        return None
    _, domain, settings, _ = _data(context)
    for a in await domain.call("find_agencies", user.agency_name):
        if a.get("canonical") == user.agency_name and a.get("jurisdiction") == user.agency_region:
            if int(a["id"]) != user.agency_id:
                settings.set_agency(user.user_id, int(a["id"]), user.agency_name,
                                    user.agency_region)
            return int(a["id"])
    return None


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Ask the pipeline a question on behalf of the update's user and reply."""
    _, domain, settings, _ = _data(context)
    agency, scope = None, None
    if update.effective_user:
        user = settings.get(update.effective_user.id)
        agency = await bound_agency(context, user) or user.agency_name
        scope = user.scope
    answer = await domain.call("ask", question, agency=agency, scope=scope)
    # Reply to the user's message; an answer to a button press is a plain new message.
    await send_answer(context, update.effective_chat.id, answer, reply_to=update.message)


def _arg(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or []).strip()


async def _pick_agency(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str,
                       purpose: str) -> dict | None:
    """The one agency `name` means, or None after offering buttons / saying none fits.
    `purpose` is "iam" (bind on press) or "tasks" (show its tasks on press)."""
    _, domain, settings, _ = _data(context)
    found = await domain.call("find_agencies", name)
    scope = settings.get(update.effective_user.id).scope
    if scope and any(a.get("jurisdiction") == scope for a in found):
        found = [a for a in found if a.get("jurisdiction") == scope]
    if not found:
        await update.effective_message.reply_text(
            f"没有找到名为「{esc(name)}」的单位，请换个说法试试。")
        return None
    if len(found) == 1:
        return found[0]
    found = found[:MAX_CHOICES]
    if purpose == "iam":
        actions = [(render.agency_label(a), ("iam", int(a["id"]), a.get("canonical"),
                                             a.get("jurisdiction"))) for a in found]
    else:
        actions = [(render.agency_label(a), ("agency", int(a["id"]))) for a in found]
    await send_result(context, update.effective_chat.id,
                      [f"「{name}」可能指以下单位，请选择："], actions,
                      reply_to=update.effective_message)
    return None


def _bind(settings: SettingsStore, user_id: int, agency: dict) -> str:
    settings.set_agency(user_id, int(agency["id"]), agency.get("canonical"),
                        agency.get("jurisdiction"))
    return (f"已绑定你的单位：<b>{esc(render.agency_label(agency))}</b>\n"
            "发送 /my 查看本单位的任务。")


# --- command handlers --------------------------------------------------------------

async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(render.start_text(),
                                              reply_markup=markup(render.start_keyboard()))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(render.help_text(context.bot.username))


async def who(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyword = _arg(context)
    if not keyword:
        await update.effective_message.reply_text("用法：/who 关键词，例如 /who 家庭养老床位")
        return
    await ask(update, context, f"谁负责{keyword}")


async def tasks(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    name = _arg(context)
    if not name:
        await update.effective_message.reply_text("用法：/tasks 单位，例如 /tasks 市民政局")
        return
    agency = await _pick_agency(update, context, name, "tasks")
    if agency is not None:
        _, domain, _, _ = _data(context)
        answer = await domain.call("agency_tasks", int(agency["id"]))
        await send_answer(context, update.effective_chat.id, answer,
                          reply_to=update.effective_message)


async def iam(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, _, settings, _ = _data(context)
    name = _arg(context)
    if not name:
        current = settings.get(update.effective_user.id)
        bound = (f"你现在绑定的单位：<b>{esc(current.agency_name)}"
                 f"{'（' + esc(current.agency_region) + '）' if current.agency_region else ''}</b>\n"
                 if current.agency_name else "你还没有绑定单位。\n")
        await update.effective_message.reply_text(bound + "用法：/iam 单位，例如 /iam 市民政局")
        return
    agency = await _pick_agency(update, context, name, "iam")
    if agency is not None:
        await update.effective_message.reply_text(
            _bind(settings, update.effective_user.id, agency))


async def my(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, domain, settings, _ = _data(context)
    current = settings.get(update.effective_user.id)
    if not current.agency_name:
        await update.effective_message.reply_text(
            "你还没有绑定单位。先发送 /iam 单位名称，例如 /iam 市民政局")
        return
    agency_id = await bound_agency(context, current)
    if agency_id is None:
        await update.effective_message.reply_text(
            f"现在的数据里找不到你绑定的单位「{esc(current.agency_name)}」，"
            "请用 /iam 重新绑定。")
        return
    answer = await domain.call("agency_tasks", agency_id)
    await send_answer(context, update.effective_chat.id, answer,
                      reply_to=update.effective_message)


async def scope(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, domain, settings, _ = _data(context)
    wanted = _arg(context)
    options = list(await domain.call("jurisdictions"))
    listing = "、".join(esc(o) for o in options) or "（暂无）"
    current = settings.get(update.effective_user.id).scope
    if not wanted:
        await update.effective_message.reply_text(
            f"当前地区范围：<b>{esc(current or '全部')}</b>\n可选：{listing}\n"
            "用法：/scope 地区，或 /scope 全部")
        return
    if wanted in ("全部", "所有", "all", "ALL", "*"):
        settings.set_scope(update.effective_user.id, None)
        await update.effective_message.reply_text("已取消地区限制，将在全部地区中查找。")
        return
    matches = [o for o in options if o == wanted] or [
        o for o in options if wanted in o or o in wanted]
    if len(matches) != 1:
        await update.effective_message.reply_text(
            f"没有找到唯一匹配「{esc(wanted)}」的地区。可选：{listing}")
        return
    settings.set_scope(update.effective_user.id, matches[0])
    await update.effective_message.reply_text(
        f"已将地区范围设为：<b>{esc(matches[0])}</b>（/scope 全部 可取消）")


async def due(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    when = _arg(context)
    if not when:
        await update.effective_message.reply_text("用法：/due 时间，例如 /due 2025年底")
        return
    await ask(update, context, f"时限为{when}的任务有哪些")


async def docs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, domain, _, _ = _data(context)
    documents = await domain.call("documents")
    await send_result(context, update.effective_chat.id, render.documents_blocks(documents),
                      reply_to=update.effective_message)


async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    config, domain, _, _ = _data(context)
    if update.effective_user.id not in config.admins:
        await update.effective_message.reply_text("抱歉，只有管理员可以重建索引。")
        return
    await update.effective_message.reply_text("正在重建索引……")
    started = time.monotonic()
    try:
        await domain.rebuild()
    except Exception as exc:
        log.exception("Reindex failed")
        await update.effective_message.reply_text(  # admins only: the reason helps
            f"重建失败，仍使用原来的索引。\n{esc(type(exc).__name__)}: {esc(str(exc)[:500])}")
        return
    seconds = time.monotonic() - started
    log.info("Store rebuilt by admin %s in %.1f s", update.effective_user.id, seconds)
    await update.effective_message.reply_text(f"索引已重建，用时 {seconds:.1f} 秒。")


# --- messages, buttons, inline -----------------------------------------------------

async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = question_of(update.effective_message, context.bot.username)
    if not question:
        await update.effective_message.reply_text(render.help_text(context.bot.username))
        return
    await ask(update, context, question)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    parsed = render.parse_callback(query.data)
    if parsed is None or query.message is None:
        await query.answer(UNKNOWN_BUTTON)
        return
    _, domain, settings, cache = _data(context)
    chat_id = query.message.chat.id
    kind = parsed[0]

    if kind == "ex":
        if parsed[1] >= len(render.EXAMPLES):
            await query.answer(UNKNOWN_BUTTON)
            return
        await query.answer()
        await ask(update, context, render.EXAMPLES[parsed[1]])
        return

    if kind in ("pg", "ch"):
        result = cache.get(parsed[1])
        if result is None or result.chat_id != chat_id:
            await query.answer(EXPIRED, show_alert=False)
            return
        if kind == "pg":
            page = parsed[2]
            if page is None:
                await query.answer()
                return
            if page >= len(result.pages):
                await query.answer(UNKNOWN_BUTTON)
                return
            await query.answer()
            try:
                await query.edit_message_text(result.pages[page],
                                              reply_markup=keyboard_for(parsed[1], result, page))
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():
                    raise
            return
        if parsed[2] >= len(result.choices):
            await query.answer(UNKNOWN_BUTTON)
            return
        action = result.choices[parsed[2]][1]
    elif kind == "tk":
        action = ("task", parsed[2], parsed[3], parsed[1])
    else:  # "ag"
        action = ("agency", parsed[1])

    if action[0] == "iam":
        agency = {"id": action[1], "canonical": action[2], "jurisdiction": action[3]}
        await query.answer("已绑定")
        await query.edit_message_text(_bind(settings, query.from_user.id, agency))
        return
    try:
        if action[0] == "task":
            answer = await domain.call("task", action[1], action[2], action[3] or "who")
        else:
            answer = await domain.call("agency_tasks", action[1])
    except (LookupError, ValueError):
        await query.answer("没有找到这一项，可能数据已更新，请重新提问。")
        return
    await query.answer()
    await send_answer(context, chat_id, answer)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    text = " ".join(query.query.split())
    if not text:
        await query.answer([], cache_time=60)
        return
    _, domain, _, _ = _data(context)
    cards = await domain.call("cards", text, 10)
    results = []
    for i, card in enumerate(cards[:10]):
        pages = render.answer_pages(list(card.blocks))
        blocks = [b for b in card.blocks if b and b.strip()]
        title = render.label(blocks[0] if blocks else text, 64)
        description = render.label(blocks[1] if len(blocks) > 1 else "", 120) or None
        results.append(InlineQueryResultArticle(
            id=f"{i}", title=title, description=description,
            input_message_content=InputTextMessageContent(pages[0], parse_mode=ParseMode.HTML),
        ))
    await query.answer(results, cache_time=60, is_personal=False)


# --- gate and errors ---------------------------------------------------------------

async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: silence in groups unless addressed, allow-list."""
    config = context.bot_data["config"]
    message = update.message
    chat = update.effective_chat
    if message is None and update.callback_query is None and update.inline_query is None:
        raise ApplicationHandlerStop  # edits, channel posts, member updates: not for us
    if message is not None and chat is not None and chat.type != ChatType.PRIVATE:
        if not addressed_to_me(message, context.bot.username, context.bot.id):
            raise ApplicationHandlerStop
    if update.inline_query is not None:
        if not config.chat_allowed(update.inline_query.from_user.id):
            await update.inline_query.answer(
                [], cache_time=0, is_personal=True,
                button=InlineQueryResultsButton(text="未获授权使用", start_parameter="denied"))
            raise ApplicationHandlerStop
        return
    if chat is not None and not config.chat_allowed(chat.id):
        log.info("Refused chat %s (%s)", chat.id, chat.type)
        if update.callback_query is not None:
            await update.callback_query.answer(REFUSAL, show_alert=True)
        elif message is not None:
            await message.reply_text(REFUSAL)
        raise ApplicationHandlerStop


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    err = context.error
    if isinstance(err, NetworkError) and not isinstance(err, BadRequest):
        # Outages are logged once by ApiHealth; PTB retries polling with back-off.
        # (BadRequest is a NetworkError subclass in PTB, but it is our mistake or a
        # refusal by Telegram, e.g. "chat not found": logged below, the user told.)
        log.debug("Network error: %s", err)
        return
    log.error("Error while handling an update", exc_info=err)
    if isinstance(update, Update):
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(FAILED)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(FAILED)
        except TelegramError:
            pass


# --- wiring ------------------------------------------------------------------------

async def post_init(app: Application) -> None:
    app.bot_data["domain"].warm_up()
    try:
        await app.bot.set_my_commands([BotCommand(n, d) for n, d in render.COMMANDS])
    except TelegramError as exc:
        log.warning("Could not register the command list: %s", exc)
    config = app.bot_data["config"]
    log.info("Bot @%s is up (%s mode, home %s)", app.bot.username,
             "webhook" if config.webhook_mode else "polling", config.home)


async def post_shutdown(app: Application) -> None:
    app.bot_data["domain"].close()
    app.bot_data["settings"].close()
    log.info("Bot stopped")


def build_app(config: Config, answerer_factory: Callable[[str], Any] | None = None) -> Application:
    health = ApiHealth()
    app = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.api_base)
        .base_file_url(config.file_base)
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True),
                           allow_sending_without_reply=True))  # question deleted meanwhile
        .request(TrackingRequest(health, connection_pool_size=32, connect_timeout=10.0,
                                 read_timeout=15.0, write_timeout=15.0, pool_timeout=5.0))
        # getUpdates: PTB adds the long-poll timeout to this read timeout.
        .get_updates_request(TrackingRequest(health, connection_pool_size=2,
                                             connect_timeout=10.0, read_timeout=10.0,
                                             write_timeout=10.0, pool_timeout=5.0))
        .rate_limiter(AIORateLimiter(max_retries=2))
        .concurrent_updates(8)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    config.home.mkdir(parents=True, exist_ok=True)
    app.bot_data.update(
        config=config,
        health=health,
        domain=Domain(answerer_factory or load_factory(config.answerer), str(config.home)),
        settings=SettingsStore(config.settings_path),
        cache=ResultCache(),
    )
    app.add_handler(TypeHandler(Update, gate), group=-1)
    new = filters.UpdateType.MESSAGE  # not edits of old messages
    commands = {"start": start, "help": help_command, "who": who, "tasks": tasks, "iam": iam,
                "my": my, "scope": scope, "due": due, "docs": docs, "reindex": reindex}
    assert set(commands) == {name for name, _ in render.COMMANDS}
    app.add_handlers([
        *(CommandHandler(name, fn, filters=new) for name, fn in commands.items()),
        MessageHandler(filters.TEXT & ~filters.COMMAND & new, text_message),
        CallbackQueryHandler(button),
        InlineQueryHandler(inline_query),
    ])
    app.add_error_handler(on_error)
    return app


def run(config: Config) -> None:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook server when
    FENGONG_WEBHOOK_URL is set. Blocks; PTB handles the signals and shuts down cleanly."""
    setup_logging(config)
    app = build_app(config)
    if config.webhook_mode:
        app.run_webhook(
            listen=config.listen,
            port=config.port,
            url_path=urlparse(config.webhook_url).path.strip("/"),
            webhook_url=config.webhook_url,
            secret_token=config.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
            bootstrap_retries=-1,
        )
    else:
        app.run_polling(
            timeout=POLL_TIMEOUT,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
            bootstrap_retries=-1,
        )


def main() -> None:
    """Read the configuration from the environment and run (used until `python -m bot
    run` calls `run`)."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        level=logging.INFO)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"fengong: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    run(config)


if __name__ == "__main__":
    main()
