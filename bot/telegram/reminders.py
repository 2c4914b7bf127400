"""Reminders: `/remind HH:MM` (every day), `/remind 周一 HH:MM` (weekly), `/remind off`,
`/remind` (status). At that time, Asia/Shanghai, the chat gets the digest of the agency
its subscriber has bound (/iam): overdue and due within 30 days, short, with a button to
the full list (the working view filtered to those). A daily digest with nothing in it is
not sent; a weekly one says so.

Jobs run on PTB's JobQueue, one daily job per chat named `remind:<chat id>`.
Subscriptions live in the settings file (bot/subscriptions.py) and are scheduled again
at start (`schedule_all`, from app.post_init). Sends go through the bot's AIORateLimiter
like every other message, so a thousand chats at 08:30 are delivered at Telegram's pace
instead of being refused."""
from __future__ import annotations

import logging
import re
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import Application, ContextTypes, JobQueue

from bot.render import Button, esc
from bot.subscriptions import Subscription, SubscriptionStore
from bot.telegram import replies
from bot.telegram.actions import Work
from bot.telegram.commands import command
from bot.telegram.service import Deps
from bot.telegram.working import NO_AGENCY

log = logging.getLogger("fengong.telegram")

TZ = ZoneInfo("Asia/Shanghai")
WEEKDAYS = "一二三四五六日"  # 周一 … 周日 → 0 … 6 (date.weekday())
GRACE = 300  # seconds a reminder may still go out late (busy loop, 1,000 at once)
USAGE = ("用法：/remind 08:30（每天）、/remind 周一 08:30（每周）、/remind off（取消）、"
         "/remind（查看）。时间为北京时间。")
_TIME = re.compile(r"([01]?\d|2[0-3])[:：]([0-5]\d)")
_DAY = re.compile(r"(?:每)?(?:周|星期|礼拜)([一二三四五六日天1-7])")
OFF = ("off", "关闭", "取消", "停止", "关")


def parse(words: str) -> Subscription | str | None:
    """`HH:MM` or `周一 HH:MM` → a Subscription with chat/user 0 (filled in by the
    caller); "off" → "off"; anything else → None."""
    words = words.strip()
    if words.lower() in OFF:
        return "off"
    day = _DAY.match(words)
    weekday = None
    if day:
        d = day.group(1)
        weekday = (int(d) - 1) if d.isdigit() else WEEKDAYS.index("日" if d == "天" else d)
        words = words[day.end():].strip()
    at = _TIME.fullmatch(words)
    if not at:
        return None
    return Subscription(0, 0, dtime(int(at.group(1)), int(at.group(2))), weekday)


def describe(sub: Subscription) -> str:
    when = "每天" if sub.weekday is None else f"每周{WEEKDAYS[sub.weekday]}"
    return f"{when} {sub.at.strftime('%H:%M')}（北京时间）"


def store_of(holder: Any) -> SubscriptionStore:
    return holder.bot_data["subscriptions"]


def install(app: Application) -> None:
    """Open the subscription table in the settings file (build_app calls this)."""
    app.bot_data["subscriptions"] = SubscriptionStore(Deps.of(app).config.settings_path)


def _name(chat_id: int) -> str:
    return f"remind:{chat_id}"


def unschedule(jobs: JobQueue, chat_id: int) -> None:
    for job in jobs.get_jobs_by_name(_name(chat_id)):
        job.schedule_removal()


def schedule(jobs: JobQueue, sub: Subscription) -> None:
    """(Re)place the chat's job. PTB numbers days Sunday = 0; ours Monday = 0."""
    unschedule(jobs, sub.chat_id)
    days = tuple(range(7)) if sub.weekday is None else ((sub.weekday + 1) % 7,)
    jobs.run_daily(fire, sub.at.replace(tzinfo=TZ), days=days, data=sub,
                   name=_name(sub.chat_id), chat_id=sub.chat_id,
                   job_kwargs={"misfire_grace_time": GRACE, "coalesce": True})


async def schedule_all(app: Application) -> int:
    """Schedule every stored subscription (at start); how many."""
    subs = store_of(app).all()
    for sub in subs:
        schedule(app.job_queue, sub)
    if subs:
        log.info("Scheduled %d reminder(s)", len(subs))
    return len(subs)


def close(app: Application) -> None:
    store = app.bot_data.get("subscriptions")
    if store is not None:
        store.close()


async def fire(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One chat's reminder: the digest of its subscriber's bound agency."""
    sub: Subscription = context.job.data
    deps = Deps.of(context)
    agency_id = await replies.bound_agency(context, deps.settings.get(sub.user_id))
    if agency_id is None:
        log.info("Reminder for chat %s skipped: no bound agency", sub.chat_id)
        return
    d = await deps.service.run(lambda s: s.digest(agency_id))
    if not d["overdue"] and not d["due_soon"] and sub.weekday is None:
        return  # a daily digest with nothing to say is not sent
    head = "⏰ 每日提醒" if sub.weekday is None else "⏰ 每周提醒"
    button = Button(f"查看全部（{len(d['overdue']) + len(d['due_soon'])} 项）",
                    Work(agency_id, "any", "due", 0).encode())
    try:
        await context.bot.send_message(sub.chat_id, f"<b>{head}</b>\n{esc(d['reply'])}",
                                       reply_markup=replies.markup([[button]]))
    except Forbidden:  # blocked by the user, or removed from the group: stop trying
        log.info("Reminder for chat %s dropped: the bot may no longer write there", sub.chat_id)
        store_of(context).delete(sub.chat_id)
        unschedule(context.job_queue, sub.chat_id)


@command("remind")
async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    words = " ".join(context.args or []).strip()
    store, chat_id = store_of(context), update.effective_chat.id
    message = update.effective_message
    if not words:
        sub = store.get(chat_id)
        await message.reply_text(
            (f"已设置提醒：{describe(sub)}，发送已过时限和30天内到期的任务。\n"
             if sub else "还没有设置提醒。\n") + USAGE)
        return
    wanted = parse(words)
    if wanted is None:
        await message.reply_text(f"没看懂「{esc(words)}」。\n" + USAGE)
        return
    if wanted == "off":
        removed = store.delete(chat_id)
        unschedule(context.job_queue, chat_id)
        await message.reply_text("已取消提醒。" if removed else "本来就没有提醒。")
        return
    user = Deps.of(context).settings.get(update.effective_user.id)
    if await replies.bound_agency(context, user) is None:
        await message.reply_text("提醒发送本单位的到期任务。" + NO_AGENCY)
        return
    sub = Subscription(chat_id, update.effective_user.id, wanted.at, wanted.weekday)
    store.put(sub)
    schedule(context.job_queue, sub)
    await message.reply_text(
        f"好的，{describe(sub)}提醒 <b>{esc(user.agency_name)}"
        f"{'（' + esc(user.agency_region) + '）' if user.agency_region else ''}</b> "
        "已过时限和30天内到期的任务" + ("（没有时不打扰）" if sub.weekday is None else "")
        + "。发送 /remind off 取消。")
