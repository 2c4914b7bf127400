"""Reminders at scale (issue #11): how fast a thousand chats get their digest at one minute.

The real bot (`python -m bot run`) against the Bot API stand-in of the tests
(tests/botapi_stub.py), on the seed store with today pinned (FENGONG_TODAY) so that the
digest has overdue tasks in it. `chats` subscriptions for the same whole minute, each
chat's user bound to 三亚市民政局, are written into the settings file before the bot
starts, so every one is scheduled from the store at start as after a restart. Measured:
seconds from that minute to each digest's arrival at the stand-in (first, median, last)
and how many arrived. Sends go through the bot's rate limiter (Telegram's ~30 messages a
second), which sets the pace: the floor for 1,000 chats is about 33 s.
"""
from __future__ import annotations

import shutil
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REMIND_CHATS = 1_000
REMIND_TARGET_S = 60.0  # the last of 1,000 digests within a minute of the time asked for
TZ = ZoneInfo("Asia/Shanghai")
TODAY = "2025-06-15"
FIRST_USER = 5_000_000


def _next_minute(ahead: float) -> datetime:
    t = datetime.now(TZ) + timedelta(seconds=ahead)
    return (t + timedelta(minutes=1)).replace(second=0, microsecond=0)


def measure(work: Path, chats: int = REMIND_CHATS) -> dict:
    """Deliver `chats` digests at one minute; {"chats", "delivered", "first", "median", "last"}
    (seconds after the minute)."""
    from bot.settings import SettingsStore
    from bot.subscriptions import Subscription, SubscriptionStore
    from tests.botapi_stub import BotApiStub
    from tests.telegram_harness import BotProcess

    home = work / "reminders-home"
    shutil.rmtree(home, ignore_errors=True)
    stub = BotApiStub("123:BENCH").start()
    bot = BotProcess(stub, home, work / "reminders-bot.log", FENGONG_TODAY=TODAY)
    try:
        bot.start()  # builds the store and the settings file
        bot.stop()
        users = list(range(FIRST_USER, FIRST_USER + chats))
        at = _next_minute(ahead=20.0)  # room for the start below
        settings = SettingsStore(bot.home / "telegram-settings.sqlite3")
        for u in users:
            settings.set_agency(u, 0, "市民政局", "三亚市")
        settings.close()
        subs = SubscriptionStore(bot.home / "telegram-settings.sqlite3")
        subs.put_many([Subscription(u, u, at.time()) for u in users])
        subs.close()
        for u in users:
            stub.chat(u)
        bot.start()
        if datetime.now(TZ) >= at:
            raise RuntimeError("the bot started after the minute it was to remind at")
        wait = (at - datetime.now(TZ)).total_seconds() + 300
        try:
            stub.wait_for(lambda: all(stub.count(u) for u in users), wait, f"{chats} digests")
        except TimeoutError:
            pass  # report how many arrived
        offset = time.time() - time.monotonic() - at.timestamp()
        after = sorted(stub.times[(u, stub.sent[u][0])] + offset for u in users if stub.count(u))
    finally:
        bot.kill()
        stub.stop()
    return {"chats": chats, "delivered": len(after),
            "first": after[0] if after else float("nan"),
            "median": statistics.median(after) if after else float("nan"),
            "last": after[-1] if after else float("nan")}


def reminder_rows(r: dict, label: str) -> list[str]:
    """The report's table of these figures."""
    return [
        "| reminders for one minute (seed store) | digests delivered | arrival after that minute |",
        "|---|---|---|",
        f"| {label} | {r['delivered']:,} of {r['chats']:,} | first {r['first']:.1f} s, "
        f"median {r['median']:.1f} s, last {r['last']:.1f} s |",
        "",
        f"The real bot against the Bot API stand-in of the tests; {r['chats']:,} chats subscribed for the "
        "same minute, written into the settings file before the start, so each was scheduled from the "
        "store as after a restart; each digest timed as it reached the stand-in. The bot's rate limiter "
        "keeps to Telegram's pace (about 30 messages a second), which sets the floor.",
    ]
