"""End to end, deadlines: the real `python -m bot run` (real answer pipeline, a store built
in a temporary FENGONG_HOME) against the Bot API stand-in, with today pinned by
FENGONG_TODAY=2025-06-15 (the date the digests and buckets use; the clock the reminders
fire by is the real one, in Asia/Shanghai).

- /due, /my (counts, filters, item buttons to the card) and 导出Excel (the workbook
  downloaded from the stand-in and read back with openpyxl);
- reminders, timed: `/iam 三亚市民政局` then `/remind HH:MM` for the next whole minute
  (at least 40 s ahead), plus 1,000 subscriptions written straight into the settings
  file; the bot is restarted before that minute, so every digest that arrives was
  scheduled again from the store at start. The waits are bounded by the lateness the
  jobs allow, not by a speed target: how fast 1,000 digests go out is `make bench`.
"""
from __future__ import annotations

import io
import signal
import sqlite3
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.subscriptions import Subscription, SubscriptionStore
from bot.telegram.reminders import GRACE
from bot.telegram.actions import Export, OpenTask, Work, decode
from tests.botapi_stub import BotApiStub
from tests.telegram_harness import BotProcess, Chat, button, keyboard

TODAY = "2025-06-15"
TZ = ZoneInfo("Asia/Shanghai")
MANY = 1000


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    stub = BotApiStub("123:DUE").start()
    tmp = tmp_path_factory.mktemp("due")
    proc = BotProcess(stub, tmp / "home", tmp / "bot.log", FENGONG_TODAY=TODAY)
    proc.start()
    yield proc
    proc.kill()
    stub.stop()


def bound_chat(bot: BotProcess, user: int, name: str = "三亚市民政局") -> Chat:
    chat = Chat(bot.stub, user)
    reply = chat.ask(f"/iam {name}")
    assert "已绑定" in reply["text"], reply["text"]
    return chat


def buttons_of(message: dict) -> list[dict]:
    return [b for row in keyboard(message) for b in row]


def read_workbook(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data)).active
    assert ws.freeze_panes == "A2"
    return [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]


def export(chat: Chat, message: dict) -> list[list[str]]:
    """Press 导出Excel under `message`; the workbook's rows, read back with openpyxl."""
    before = len(chat.stub.documents_sent(chat.chat_id))
    chat.press(message, button(message, "导出Excel")["callback_data"])
    chat.stub.wait_for(lambda: len(chat.stub.documents_sent(chat.chat_id)) > before, 20,
                       "the workbook")
    doc = chat.stub.documents_sent(chat.chat_id)[-1]
    assert doc["file_name"].endswith(".xlsx")
    return read_workbook(doc["data"])


# --- /due ------------------------------------------------------------------------------

def test_due_without_words_lists_the_bound_agencys_overdue_and_soon_with_deadlines(bot):
    chat = bound_chat(bot, 3001)
    reply = chat.ask("/due")
    text = reply["text"]
    assert text.startswith("市民政局（三亚市）：已过时限 ") and f"（{TODAY}）" in text
    assert "2020年6月（2020-06-30）" in text  # the printed deadline and its date
    rows = export(chat, reply)
    assert rows[0][:4] == ["文件", "序号", "任务", "本单位角色"]
    n = int(text.split("已过时限 ")[1].split(" 项")[0]) + int(text.split("到期 ")[1].split(" 项")[0])
    assert len(rows) - 1 == n  # one row per task of the digest
    assert {r[9] for r in rows[1:]} <= {"已过时限", "30天内到期"}
    assert all(r[8] for r in rows[1:]) and {r[3] for r in rows[1:]} <= {"牵头", "负责", "配合", "属地"}


def test_due_with_words_answers_that_period_for_the_bound_agency(bot):
    chat = bound_chat(bot, 3002)
    reply = chat.ask("/due 2020年底前")
    assert "市民政局（三亚市）" in reply["text"] and "2020" in reply["text"]
    rows = export(chat, reply)
    assert len(rows) > 1 and all(r[8] <= "2020-12-31" for r in rows[1:] if r[8] and "、" not in r[8])
    unbound = Chat(bot.stub, 3003).ask("/due 今年")  # no agency: every document
    assert "任务" in unbound["text"]
    assert "没看懂" in Chat(bot.stub, 3004).ask("/due 下辈子")["text"]


# --- /my -------------------------------------------------------------------------------

def test_my_is_a_working_view_with_counts_filters_items_and_export(bot):
    chat = bound_chat(bot, 3010)
    view = chat.ask("/my")
    lines = view["text"].split("\n")
    assert lines[0].startswith("市民政局（三亚市） 工作台") and TODAY in lines[0]
    total = int(lines[1].split("共 ")[1].split(" 项")[0])
    by_role = {p.split(" ")[0]: int(p.split(" ")[1]) for p in lines[1].split("：", 1)[1].split(" · ")}
    by_time = {p.split(" ")[0]: int(p.split(" ")[1]) for p in lines[2].split("：", 1)[1].split(" · ")}
    assert sum(by_role.values()) == total == sum(by_time.values())
    assert set(by_time) == {"已过时限", "30天内", "以后", "无时限"}
    actions = [decode(b["callback_data"]) for b in buttons_of(view)]
    items = [a for a in actions if isinstance(a, OpenTask)]
    assert len(items) == min(8, total)
    # filter by role: only that role's items, edited in place
    lead = button(view, f"牵头 {by_role['牵头']}")
    led = chat.press_for_edit(view, lead["callback_data"])
    assert f"筛选：牵头 · 全部时间，{by_role['牵头']} 项" in led["text"]
    assert "［配合］" not in led["text"] and "［牵头］" in led["text"]
    # then by time: overdue
    over = chat.press_for_edit(led, next(b for b in buttons_of(led)
                                         if b["text"].startswith("已过时限"))["callback_data"])
    shown = int(over["text"].split("筛选：牵头 · 已过时限，")[1].split(" 项")[0])
    assert 0 < shown <= by_role["牵头"]
    rows = export(chat, over)
    assert len(rows) - 1 == shown and {r[3] for r in rows[1:]} == {"牵头"}
    assert {r[9] for r in rows[1:]} == {"已过时限"} and all(r[8] < TODAY for r in rows[1:])
    # an item opens its card
    item = next(b for b in buttons_of(over) if isinstance(decode(b["callback_data"]), OpenTask))
    card = chat.press_for_reply(over, item["callback_data"])
    assert "市民政局" in card["text"]


def test_my_pages_and_its_buttons_survive_a_restart(bot):
    chat = bound_chat(bot, 3011)
    view = chat.ask("/my")
    nxt = button(view, "下一页 »")
    bot.stop(signal.SIGTERM)
    bot.start()
    page2 = chat.press_for_edit(view, nxt["callback_data"])  # stateless: still works
    assert "（第 2/" in page2["text"] and "\n9. " in page2["text"]


def test_agency_list_and_deadline_answers_have_the_export_button(bot):
    chat = Chat(bot.stub, 3020)
    listing = chat.ask("三亚市民政局有哪些任务")
    rows = export(chat, listing)
    header = listing["text"].split("\n")[0]
    total = int(header.split("共有 ")[1].split(" 项")[0])
    assert len(rows) - 1 == total  # one row per task, not per page
    roles = {r[3] for r in rows[1:]}
    assert "牵头" in roles and "配合" in roles
    first = next(r for r in rows[1:] if r[1] == "1" and r[0].startswith("三亚市开展居家"))
    assert first[3] == "牵头" and first[7] == "2020年6月" and first[8] == "2020-06-30"
    assert first[9] == "已过时限"
    due = chat.ask("2020年底前要完成哪些任务")
    assert isinstance(decode(button(due, "导出Excel")["callback_data"]), Export)
    nothing = chat.ask("谁负责家庭养老床位")
    assert all(b["text"] != "导出Excel" for b in buttons_of(nothing))  # a card is not a list


# --- reminders (timed) -----------------------------------------------------------------

def _next_minute(ahead: float = 40.0) -> datetime:
    t = datetime.now(TZ) + timedelta(seconds=ahead)
    return (t + timedelta(minutes=1)).replace(second=0, microsecond=0)


def test_remind_status_usage_and_off(bot):
    chat = Chat(bot.stub, 3030)
    assert "还没有设置提醒" in chat.ask("/remind")["text"]
    assert "/iam" in chat.ask("/remind 08:30")["text"]  # nothing to remind of yet
    chat = bound_chat(bot, 3030)
    assert "没看懂" in chat.ask("/remind 25:00")["text"]
    assert "每周一 08:30" in chat.ask("/remind 周一 08:30")["text"]
    assert "每周一 08:30" in chat.ask("/remind")["text"]
    assert "已取消" in chat.ask("/remind off")["text"]
    assert "还没有设置提醒" in chat.ask("/remind")["text"]


def test_reminders_fire_at_their_time_after_a_restart_for_a_thousand_chats(bot):
    stub = bot.stub
    at = _next_minute()
    hhmm = at.strftime("%H:%M")
    alice = bound_chat(bot, 3100)
    assert f"每天 {hhmm}" in alice.ask(f"/remind {hhmm}")["text"]
    bob = bound_chat(bot, 3101)
    bob.ask(f"/remind {hhmm}")
    assert "已取消" in bob.ask("/remind off")["text"]
    quiet = bound_chat(bot, 3102, "宝清县民政局")  # nothing overdue or due by 2025-07-15
    quiet.ask(f"/remind {hhmm}")
    # 1,000 more chats, written into the settings file while the bot runs: only a
    # restart schedules them
    settings = bot.home / "telegram-settings.sqlite3"
    many = list(range(5_000_000, 5_000_000 + MANY))
    db = sqlite3.connect(settings)
    db.executemany("INSERT INTO user_settings (user_id, agency_id, agency_name, agency_region,"
                   " updated) VALUES (?, 0, '市民政局', '三亚市', 0)", [(u,) for u in many])
    db.commit()
    db.close()
    store = SubscriptionStore(settings)
    store.put_many([Subscription(u, u, at.time()) for u in many])
    store.close()
    for u in many:
        stub.chat(u)
    bot.stop(signal.SIGTERM)
    bot.start()
    assert datetime.now(TZ) < at, "the restart took too long for this test's minute"

    # 1,003 digests leave at Telegram's pace (the rate limiter: about 30 a second), so
    # alice's may be the last; the bound is the lateness the jobs allow (GRACE), not a
    # speed target (that is `make bench`, docs/benchmarks.md)
    digest = stub.wait_reply(alice.chat_id, stub.count(alice.chat_id),
                             (at - datetime.now(TZ)).total_seconds() + GRACE)
    arrived = datetime.now(TZ)
    assert at <= arrived, (at, arrived)
    assert digest["text"].startswith("⏰ 每日提醒\n市民政局（三亚市）：已过时限 ")
    full = decode(keyboard(digest)[0][0]["callback_data"])
    assert full == Work(full.agency_id, "any", "due", 0)
    stub.wait_for(lambda: all(stub.count(u) for u in many), GRACE, "1,000 digests")
    assert all(len(stub.bot_messages(u)) == 1 for u in many)  # each once
    # when each arrived, in seconds after the minute (the stand-in keeps monotonic times)
    offset = time.time() - time.monotonic() - at.timestamp()
    after = sorted(stub.times[(u, stub.sent[u][0])] + offset for u in many)
    assert after[0] >= 0  # none early
    print(f"\n{MANY} reminders: first {after[0]:.1f} s after {hhmm}, median {after[MANY // 2]:.1f} s,"
          f" last {after[-1]:.1f} s")
    assert all(stub.bot_messages(u)[0]["text"] == digest["text"] for u in many[:50])
    listing = alice.press_for_edit(digest, keyboard(digest)[0][0]["callback_data"])  # expands
    assert "筛选：全部角色 · 已过时限及30天内" in listing["text"]
    time.sleep(2)
    assert stub.count(bob.chat_id) == 3  # /iam, /remind, /remind off … and no digest
    assert stub.count(quiet.chat_id) == 2  # /iam, /remind: a daily digest with nothing is not sent


def test_an_export_button_only_works_in_its_own_chat(bot):
    owner, other = Chat(bot.stub, 3040), Chat(bot.stub, 3041)
    listing = owner.ask("三亚市民政局有哪些任务")
    data = button(listing, "导出Excel")["callback_data"]
    other.ask("/start")  # the stand-in knows the chat
    forged = dict(listing, chat=bot.stub.chat(other.chat_id))
    answer = other.press(forged, data)
    assert "过期" in answer.get("text", "")
    assert bot.stub.documents_sent(other.chat_id) == []
