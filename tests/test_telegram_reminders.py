"""Reminders on PTB's real JobQueue, in process: the bot built by build_app (with the fake
answer service) and started against the Bot API stand-in, with jobs scheduled a few
seconds ahead (a Subscription's time may carry seconds; users can only set hh:mm).
The timed end-to-end checks through `python -m bot run` are in test_telegram_due.py."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Config
from bot.subscriptions import Subscription, SubscriptionStore
from bot.telegram import reminders
from bot.telegram.actions import Work, decode
from bot.telegram.app import build_app
from tests.botapi_stub import BotApiStub
from tests.fake_answerer import FakeAnswerer
from tests.telegram_harness import keyboard


@pytest.mark.parametrize("words,at,weekday", [
    ("08:30", "08:30", None), ("8:05", "08:05", None), ("23：59", "23:59", None),
    ("周一 08:30", "08:30", 0), ("星期日 7:00", "07:00", 6), ("每周五 18:00", "18:00", 4),
    ("周天 09:15", "09:15", 6), ("周3 10:00", "10:00", 2),
])
def test_parse_times_and_weekdays(words, at, weekday):
    sub = reminders.parse(words)
    assert isinstance(sub, Subscription)
    assert sub.at.strftime("%H:%M") == at and sub.weekday == weekday


@pytest.mark.parametrize("words", ["24:00", "8:60", "830", "周八 08:30", "明天 08:30", "08:30:00", "x"])
def test_parse_refuses_what_is_not_a_time(words):
    assert reminders.parse(words) is None


def test_off_words():
    assert reminders.parse("off") == "off" and reminders.parse("取消") == "off"


def test_subscriptions_persist_and_replace(tmp_path):
    path = tmp_path / "s.sqlite3"
    store = SubscriptionStore(path)
    store.put(Subscription(5, 7, reminders.parse("08:30").at))
    store.put(Subscription(5, 7, reminders.parse("周二 09:00").at, 1))  # one per chat
    store.close()
    again = SubscriptionStore(path)
    assert again.all() == [Subscription(5, 7, reminders.parse("09:00").at, 1)]
    assert again.delete(5) and not again.delete(5) and again.all() == []


def _config(stub: BotApiStub, home: Path) -> Config:
    return Config.from_env({"TELEGRAM_BOT_TOKEN": stub.token, "TELEGRAM_API_BASE": stub.base_url,
                            "FENGONG_HOME": str(home)})


async def _run_app(stub: BotApiStub, home: Path, body) -> None:
    app = build_app(_config(stub, home), FakeAnswerer)
    async with app:
        await app.start()
        try:
            await body(app)
        finally:
            await app.stop()


def _soon(seconds: float) -> datetime:
    return datetime.now(reminders.TZ) + timedelta(seconds=seconds)


def test_jobs_fire_at_their_time_skip_empty_daily_digests_and_stop_when_off(tmp_path):
    stub = BotApiStub().start()
    fired_at: list[float] = []
    for chat in (11, 12, 13, 14):
        stub.chat(chat)

    async def body(app):
        settings = app.bot_data["deps"].settings
        settings.set_agency(11, 1, "市民政局", "三亚市")  # fake: 8 tasks due before 2022
        settings.set_agency(12, 3, "县民政局", "宝清县")  # fake: no tasks at all
        settings.set_agency(13, 3, "县民政局", "宝清县")
        settings.set_agency(14, 1, "市民政局", "三亚市")
        at = _soon(3)
        weekday = at.date().weekday()
        subs = [Subscription(11, 11, at.time().replace(tzinfo=None, microsecond=0)),
                Subscription(12, 12, at.time().replace(tzinfo=None, microsecond=0)),
                Subscription(13, 13, at.time().replace(tzinfo=None, microsecond=0), weekday),
                Subscription(14, 14, at.time().replace(tzinfo=None, microsecond=0))]
        store = reminders.store_of(app)
        for s in subs:
            store.put(s)
        assert await reminders.schedule_all(app) == 4
        reminders.unschedule(app.job_queue, 14)  # what /remind off does
        store.delete(14)
        fire_at = at.replace(microsecond=0).timestamp()
        fired_at.append(fire_at)
        while time.time() < fire_at + 3:
            await asyncio.sleep(0.2)

    asyncio.run(_run_app(stub, tmp_path / "home", body))
    daily = stub.bot_messages(11)
    assert len(daily) == 1 and "每日提醒" in daily[0]["text"] and "已过时限 8 项" in daily[0]["text"]
    sent_at = stub.times[(11, daily[0]["message_id"])] + time.time() - time.monotonic()
    assert fired_at[0] <= sent_at < fired_at[0] + 2  # at its second, not before
    action = decode(keyboard(daily[0])[0][0]["callback_data"])
    assert action == Work(1, "any", "due", 0)
    assert stub.bot_messages(12) == []  # daily, nothing to say: not sent
    weekly = stub.bot_messages(13)
    assert len(weekly) == 1 and "每周提醒" in weekly[0]["text"]  # weekly: says there is nothing
    assert stub.bot_messages(14) == []  # turned off before its time
    stub.stop()


def test_weekly_job_runs_on_its_weekday_only(tmp_path):
    """PTB numbers days Sunday = 0; our Monday = 0 must land on Monday."""
    stub = BotApiStub().start()

    async def body(app):
        reminders.schedule(app.job_queue, Subscription(21, 21, reminders.parse("08:30").at, 0))
        job = app.job_queue.get_jobs_by_name("remind:21")[0]
        nxt = job.next_t.astimezone(reminders.TZ)
        assert nxt.weekday() == 0 and (nxt.hour, nxt.minute) == (8, 30)
        reminders.schedule(app.job_queue, Subscription(21, 21, reminders.parse("19:05").at))
        jobs = app.job_queue.get_jobs_by_name("remind:21")
        assert len(jobs) == 1  # replaced, not added
        nxt = jobs[-1].next_t.astimezone(reminders.TZ)
        assert (nxt.hour, nxt.minute) == (19, 5)
        assert nxt - datetime.now(reminders.TZ) <= timedelta(days=1)

    asyncio.run(_run_app(stub, tmp_path / "home", body))
    stub.stop()
