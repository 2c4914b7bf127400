"""Load, faults and access: the real `python -m bot run` process with the real answer
pipeline against the Bot API stand-in (tests/botapi_stub.py) on 127.0.0.1.

One bot runs for the whole module, with an allow-list and one admin. In file order:
- load: 50 private chats x 10 questions injected at once; every reply is checked
  against what `Answerer.ask` gives in-process on the same FENGONG_HOME; throughput
  and latency are printed (run with -s to see them; docs/telegram.md "Load");
- groups, a burst of mentions: the bot quotes in groups, so there each reply must
  quote its own question;
- access: /reindex refused for non-admins with no side effect; chats outside the
  allow-list get only the polite refusal, whatever they send or press; a failing
  handler logs the error and the bot carries on;
- SIGKILL mid-load: settings made with /iam and /scope in several chats while other
  chats' questions are being answered survive a SIGKILL; SIGTERM mid-load answers
  every update in hand before the process exits;
- outage: the stand-in goes away with replies in flight for 10 s and comes back on the
  same port; the same process recovers, logs the outage once, answers what was sent,
  and the replies in flight are sent once the API is back (none lost, none twice);
- finally, the token appears in no log and in nothing the bot sent.
(Webhook calls without the right secret are refused: test_telegram_e2e.test_webhook_mode.)

Every wait is bounded (the stand-in's wait_for raises TimeoutError); the only fixed
wait is the 10 s the outage is required to last.
"""
from __future__ import annotations

import json
import signal
import sqlite3
import statistics
import time
from collections import Counter
from urllib.parse import quote

import pytest

from bot import render
from bot.telegram.exports import LIST_INTENTS
from bot.telegram.gate import REFUSAL
from tests.botapi_stub import BotApiStub
from tests.telegram_harness import REPLY_TIMEOUT, BotProcess, Chat, button, keyboard

# A token shaped like BotFather's, so the redactor's "secret half" rule is exercised too.
TOKEN = "7012345678:AAHk3-LoadFaults_Secret_0123456789xyz"
SECRETS = (TOKEN, quote(TOKEN, safe=""), TOKEN.split(":", 1)[1])
LOAD_TIMEOUT = 60.0  # 500 replies: ~17 s at the 30 messages/s the rate limiter allows

ADMIN = 54999
MEMBER = 54001  # allowed, not an admin
BROKEN_CHAT = 54500  # allowed, but the stand-in does not know it: sending there fails
LOAD_USERS = list(range(50001, 50051))
LOAD_BARRIER = 50099
GROUP_USERS = list(range(51001, 51006))
GROUPS = [-100500001 - i for i in range(len(GROUP_USERS))]
KILL_SETTINGS = list(range(52001, 52006))
KILL_LOAD = list(range(52101, 52121))
TERM_LOAD = list(range(52201, 52221))
OUT_INFLIGHT = list(range(53001, 53011))
OUT_DURING = list(range(53101, 53106))
OUT_AFTER = list(range(53201, 53211))
OUT_BARRIER = 53299
ALLOWED = [ADMIN, MEMBER, BROKEN_CHAT, *LOAD_USERS, LOAD_BARRIER, *GROUPS, *KILL_SETTINGS,
           *KILL_LOAD, *TERM_LOAD, *OUT_INFLIGHT, *OUT_DURING, *OUT_AFTER, OUT_BARRIER]
STRANGER = 66601
STRANGER_GROUP = -100666001

# Real questions of every kind. Those whose replies coincide (two not-found questions
# get the same text) are dropped, so within one chat a reply names its question.
POOL = [
    # who / lead / support / deadline of one task
    "谁负责家庭养老床位", "老年大学谁负责", "长者饭堂什么时候完成", "养老服务信息数据库的配合单位",
    "三亚养老护理员和社工实训基地谁牵头", "康復輔助器具推廣工程誰牽頭", "宝清信用监管谁负责",
    "老年大雪什么时候建成", "护理员持证上岗谁负责", "老年健康教育谁牵头", "农村敬老院县级直管谁牵头",
    "家庭托育点登记备案有哪些参加单位", "四川彩票公益金不低于55%用于养老，期限是哪一年",
    "65岁以上老人健康管理率70%哪年达到", "省会城市养老服务业专项规划什么时候完成",
    # agency lists (some several pages long) and deadline lists
    "市民政局有哪些任务", "宝清县妇联有哪些任务", "四川省发改委牵头的任务", "民政厅牵头的任务有哪些",
    "三亚市住建局配合哪些工作", "省会城市的市财政局负责哪些任务", "三亚市卫健委牵头的任务有哪些",
    "天涯区政府有什么任务", "完成时限为2020年12月的任务有哪些", "哪些任务的完成时限是2020年8月",
    # people and duties
    "于德水是干什么的", "县统计局在一老一小专班里的主要职责", "专班组长是谁",
    # ambiguous: choice buttons
    "给老人家里做适老化改造归谁管", "基本养老服务清单谁负责",
    # not found
    "帮我写一首关于春天的诗", "河道治理谁牵头", "深圳市民政局有哪些任务", "今天天气怎么样",
]


# --- fixtures ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    stub = BotApiStub(TOKEN).start()
    tmp = tmp_path_factory.mktemp("load")
    proc = BotProcess(stub, tmp / "home", tmp / "bot.log", FENGONG_ADMINS=str(ADMIN),
                      FENGONG_ALLOWED_CHATS=",".join(map(str, ALLOWED)))
    proc.start()
    yield proc
    proc.kill()
    stub.stop()


@pytest.fixture(scope="module")
def answerer(bot):
    """The same pipeline in-process, on the store the bot built."""
    from bot.answer import Answerer

    a = Answerer(str(bot.home))
    yield a
    a.close()


class Expect:
    """What the bot must send for a question: page 1 of the rendered answer."""

    def __init__(self, answerer) -> None:
        self.answerer = answerer

    def page(self, answer) -> str:
        return render.answer_pages(list(answer.blocks))[0]

    def ask(self, question: str, **kw) -> str:
        return self.page(self.answerer.ask(question, **kw))

    def buttons(self, question: str) -> bool:
        answer = self.answerer.ask(question)
        lists = answer.intent in LIST_INTENTS and bool(answer.tasks)  # 导出Excel
        return len(render.answer_pages(list(answer.blocks))) > 1 or bool(answer.choices) or lists


@pytest.fixture(scope="module")
def expect(answerer) -> Expect:
    return Expect(answerer)


@pytest.fixture(scope="module")
def pool(expect) -> dict[str, str]:
    """question -> expected HTML, replies pairwise distinct."""
    out: dict[str, str] = {}
    for q in POOL:
        html = expect.ask(q)
        if html not in out.values():
            out[q] = html
    assert len(out) >= 20, f"too few distinct replies in the pool: {len(out)}"
    return out


def inject_at_once(stub: BotApiStub, messages: list[tuple[int, int, str, str]]) -> list[dict]:
    """(user, chat, chat type, text) for each message; the bot's long poll sees them
    all in the same instant (it waits on the lock we hold)."""
    with stub.cond:
        return [stub.send_text(text, user_id=user, chat_id=chat, chat_type=ctype)
                for user, chat, ctype, text in messages]


def total(stub: BotApiStub, chats: list[int]) -> int:
    return sum(len(stub.sent[c]) for c in chats)  # called with stub.cond held


def replies(stub: BotApiStub, chat: int) -> list[tuple[dict, str]]:
    """(message, raw HTML) of everything the bot sent to `chat`."""
    with stub.cond:
        return [(stub.messages[(chat, i)], stub.html[(chat, i)]) for i in stub.sent[chat]]


def barrier(stub: BotApiStub, user: int, timeout: float = REPLY_TIMEOUT) -> None:
    """One more question, answered. Updates are taken in order (8 at a time) and the
    pipeline runs one question at a time, so by then everything sent before it has had
    its turn: a late extra reply would have shown up."""
    Chat(stub, user).ask("谁负责家庭养老床位", timeout=timeout)


def log_since(bot: BotProcess, offset: int) -> str:
    return bot.log()[offset:]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


# --- 1. load -----------------------------------------------------------------------

def test_load_500_questions_from_50_chats(bot, pool, expect):
    stub = bot.stub
    questions = list(pool)
    # For comparison: one question at a time, nothing else going on.
    idle = Chat(stub, LOAD_BARRIER)
    alone = []
    for q in questions[:10]:
        n = stub.count(LOAD_BARRIER)
        asked = idle.send(q)
        reply = stub.wait_reply(LOAD_BARRIER, n, REPLY_TIMEOUT)
        alone.append(stub.times[(LOAD_BARRIER, reply["message_id"])]
                     - stub.times[(LOAD_BARRIER, asked["message_id"])])
    plan = {chat: [questions[(3 * i + k) % len(questions)] for k in range(10)]
            for i, chat in enumerate(LOAD_USERS)}
    # Round-robin over the chats, as if 50 people typed at the same time.
    batch = [(chat, chat, "private", plan[chat][k]) for k in range(10) for chat in LOAD_USERS]
    started = time.monotonic()
    sent = inject_at_once(stub, batch)
    n = len(sent)
    assert n == 500

    stub.wait_for(lambda: total(stub, LOAD_USERS) >= n, LOAD_TIMEOUT, f"{n} replies")
    barrier(stub, LOAD_BARRIER)  # a late duplicate would have shown up by now

    latencies: list[float] = []
    out_of_order = quoted = 0
    for chat in LOAD_USERS:
        asked = {m["text"]: m for m in sent if m["chat"]["id"] == chat}
        got = replies(stub, chat)
        assert len(got) == 10, f"chat {chat}: {len(got)} replies to 10 questions"
        by_html = {pool[q]: q for q in plan[chat]}
        answered = []
        for message, html in got:
            assert html in by_html, f"chat {chat}: a reply to none of its questions:\n{html[:300]}"
            q = by_html[html]
            answered.append(q)
            question = asked[q]
            if "reply_to_message" in message:  # the bot quotes only outside private chats
                quoted += 1
                assert message["reply_to_message"]["message_id"] == question["message_id"]
            assert bool(keyboard(message)) == expect.buttons(q), (chat, q)
            latencies.append(stub.times[(chat, message["message_id"])]
                             - stub.times[(chat, question["message_id"])])
        assert Counter(answered) == Counter(plan[chat]), f"chat {chat}: lost or duplicated"
        out_of_order += answered != plan[chat]

    wall = max(stub.times[(c, i)] for c in LOAD_USERS for i in stub.sent[c]) - started
    print(f"\nLOAD {n} questions, 50 private chats x 10, injected at once: all answered in "
          f"{wall:.1f} s = {n / wall:.1f} answers/s; latency question->reply "
          f"p50 {statistics.median(latencies):.2f} s, p99 {pct(latencies, 99):.2f} s, "
          f"max {max(latencies):.2f} s, first {min(latencies):.2f} s; "
          f"chats answered out of question order: {out_of_order}/50; quoted replies: {quoted}; "
          f"one question alone: median {statistics.median(alone) * 1000:.0f} ms")


def test_group_replies_in_a_burst_quote_their_own_question(bot, pool):
    stub = bot.stub
    questions = list(pool)
    mention = f"@{stub.me['username']} "
    batch = [(user, group, "supergroup", mention + questions[(5 * i + k) % len(questions)])
             for k in range(6) for i, (user, group) in enumerate(zip(GROUP_USERS, GROUPS))]
    sent = inject_at_once(stub, batch)
    stub.wait_for(lambda: total(stub, GROUPS) >= len(sent), LOAD_TIMEOUT, "group replies")
    barrier(stub, LOAD_BARRIER)
    by_id = {(m["chat"]["id"], m["message_id"]): m for m in sent}
    for group in GROUPS:
        got = replies(stub, group)
        assert len(got) == 6, f"group {group}: {len(got)} replies to 6 questions"
        quoted = Counter(m["reply_to_message"]["message_id"] for m, _ in got)
        assert all(v == 1 for v in quoted.values()) and len(quoted) == 6
        for message, html in got:
            question = by_id[(group, message["reply_to_message"]["message_id"])]
            assert html == pool[question["text"][len(mention):]], question["text"]


# --- 4. access ---------------------------------------------------------------------

def test_reindex_refused_for_non_admins_without_side_effect(bot):
    stub = bot.stub
    store = bot.home / "fengong.db"
    before = store.stat()
    offset = len(bot.log())
    member = Chat(stub, MEMBER)
    refused = member.ask("/reindex")
    assert "只有管理员" in refused["text"]
    member.ask("/iam")  # handled after /reindex: anything /reindex did is done
    barrier(stub, MEMBER)
    texts = [m["text"] for m, _ in replies(stub, MEMBER)]
    assert len(texts) == 3 and not any("正在重建" in t or "索引已重建" in t for t in texts)
    after = store.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino, before.st_mtime_ns, before.st_size), "the store was touched"
    log = log_since(bot, offset)
    assert "Store rebuilt" not in log and "Answer pipeline loaded" not in log, log


def test_allow_list_gives_strangers_nothing_but_the_refusal(bot):
    stub = bot.stub
    offset = len(bot.log())
    stranger = Chat(stub, STRANGER)
    attempts = ["谁负责家庭养老床位", "/start", "/tasks 市民政局", "/docs", "/iam 县民政局",
                "/scope 三亚", "/my", "/who 长者饭堂", "/due 2020年12月", "/reindex"]
    for text in attempts:
        stranger.send(text)
    stub.wait_for(lambda: len(stub.sent[STRANGER]) >= len(attempts), REPLY_TIMEOUT,
                  "refusals")
    # Buttons copied from someone else's answer do not work for a stranger either.
    first = replies(stub, STRANGER)[0][0]
    answers = [stranger.press(first, data) for data in (
        "ag:63", "tk:who:sanya-yilaoyixiao|20", "ex:0", "pg:AAAAAAAA:1")]
    qid = stub.inline("家庭养老床位", user_id=STRANGER)
    inline = stub.wait_inline_answer(qid, REPLY_TIMEOUT)
    group = Chat(stub, STRANGER, chat_id=STRANGER_GROUP, chat_type="group")
    group_reply = group.ask(f"@{stub.me['username']} 谁负责家庭养老床位")
    barrier(stub, MEMBER)

    texts = [m["text"] for m, _ in replies(stub, STRANGER)]
    assert texts == [REFUSAL] * len(attempts)
    assert all(a.get("text") == REFUSAL and a.get("show_alert") for a in answers), answers
    assert inline["results"] == [] and inline["button"]["text"]
    assert group_reply["text"] == REFUSAL and stub.count(STRANGER_GROUP) == 1
    with sqlite3.connect(f"file:{bot.home / 'telegram-settings.sqlite3'}?mode=ro",
                         uri=True) as db:
        rows = db.execute("SELECT * FROM user_settings WHERE user_id = ?",
                          (STRANGER,)).fetchall()
    assert rows == [], "a refused /iam or /scope was stored"
    log = log_since(bot, offset)
    assert f"Refused chat {STRANGER}" in log and f"Refused chat {STRANGER_GROUP}" in log


def test_a_failing_handler_is_logged_and_the_bot_carries_on(bot):
    stub = bot.stub
    offset = len(bot.log())
    # A button under a message in a chat the API does not know: sending the answer
    # there fails with 400 "chat not found" inside the handler.
    ghost = {"message_id": 1, "date": int(time.time()), "text": "x",
             "chat": {"id": BROKEN_CHAT, "type": "private", "first_name": "x"},
             "from": stub.me}
    stub.press(ghost, "ag:63", user_id=BROKEN_CHAT)
    stub.wait_for(lambda: "Error while handling an update" in log_since(bot, offset),
                  REPLY_TIMEOUT, "the error to be logged")
    assert "市民政局" in Chat(stub, MEMBER).ask("谁负责家庭养老床位")["text"]
    log = log_since(bot, offset)
    assert "chat not found" in log.lower() and "Traceback" in log
    assert bot.alive()


# --- 3. SIGKILL mid-load -----------------------------------------------------------

def test_settings_survive_sigkill_in_the_middle_of_load(bot, pool, answerer, expect):
    stub = bot.stub
    a, b, c, d, e = KILL_SETTINGS
    # e binds by pressing a button (two round trips), before the load starts.
    chat_e = Chat(stub, e)
    choose = chat_e.ask("/iam 市民政局")
    bound = chat_e.press_for_edit(choose, button(choose, "市民政局（三亚市）")["callback_data"])
    assert "已绑定" in bound["text"]

    # The others change their settings while 20 other chats ask 10 questions each; their
    # commands are at the head of the batch, so they are done early. The kill comes
    # once they are confirmed and a tenth of the load is answered.
    settings = [(a, "/iam 县民政局"), (a, "/scope 四川"), (b, "/iam 市卫健委"),
                (b, "/scope 宝清"), (c, "/iam 民政厅"), (d, "/scope 三亚"), (e, "/scope 三亚")]
    questions = list(pool)
    load = [(u, u, "private", questions[(7 * i + k) % len(questions)])
            for k in range(10) for i, u in enumerate(KILL_LOAD)]
    want = Counter(u for u, _ in settings)
    base = {u: stub.count(u) for u in want}
    inject_at_once(stub, [(u, u, "private", t) for u, t in settings] + load)
    stub.wait_for(lambda: stub.pending() == 0
                  and all(len(stub.sent[u]) >= base[u] + want[u] for u in want)
                  and total(stub, KILL_LOAD) >= len(load) // 10,
                  REPLY_TIMEOUT, "the settings to be confirmed, the load under way")
    with stub.cond:
        answered_at_kill = total(stub, KILL_LOAD)
    assert answered_at_kill < len(load), "the load was over before the kill"
    for u in want:
        for message, _ in replies(stub, u)[-want[u]:]:
            assert "已绑定" in message["text"] or "已将地区范围设为" in message["text"], message

    assert bot.stop(signal.SIGKILL) == -signal.SIGKILL
    with stub.cond:
        answered_before = total(stub, KILL_LOAD)
    bot.start()

    # Each chat: /my lists the bound agency's tasks; a question honours agency and scope.
    bindings = {a: ("县民政局", "宝清县", "四川省"), b: ("市卫生健康委员会", "三亚市", "宝清县"),
                c: ("民政厅", "四川省", None), d: (None, None, "三亚市"),
                e: ("市民政局", "三亚市", "三亚市")}
    question = "谁负责家庭养老床位"
    for user, (name, region, scope) in bindings.items():
        chat = Chat(stub, user)
        agency_id = None
        if name:
            agency_id = next(int(x["id"]) for x in answerer.find_agencies(name)
                             if x["canonical"] == name and x["jurisdiction"] == region)
            mine = chat.ask("/my")  # the working view of the agency bound before the kill
            head, counts = mine["text"].split("\n")[:2]
            assert head.startswith(f"{name}（{region}） 工作台"), (user, mine["text"][:200])
            assert counts.startswith(f"共 {len(answerer.agency_tasks(agency_id).tasks)} 项"), counts
            assert f"{name}（{region}）" in chat.ask("/iam")["text"]
        else:
            assert "还没有绑定" in chat.ask("/my")["text"]
        html = stub.html[(user, chat.ask(question)["message_id"])]
        assert html == expect.ask(question, agency=agency_id, scope=scope), (user, html[:200])
        assert (scope or "全部") in chat.ask("/scope")["text"].split("\n")[0]

    # What became of the load: confirmed updates are never delivered again, so nothing
    # is answered twice; those fetched but not answered when the process died are lost
    # (the real Telegram does not resend a confirmed update either).
    barrier(stub, LOAD_BARRIER)
    answered = duplicated = 0
    for i, u in enumerate(KILL_LOAD):
        got = Counter(h for _, h in replies(stub, u))
        asked = Counter(pool[questions[(7 * i + k) % len(questions)]] for k in range(10))
        assert set(got) <= set(asked), f"chat {u}: a reply to nothing asked"
        duplicated += sum(n - 1 for n in got.values())  # its 10 questions are distinct
        answered += len(got)
    print(f"\nSIGKILL with {len(load)} questions in hand, {answered_before} answered: after the "
          f"restart {answered - answered_before} more answered, {len(load) - answered} lost, "
          f"{duplicated} duplicated")
    assert duplicated == 0


def test_sigterm_in_the_middle_of_load_finishes_the_updates_in_hand(bot, pool):
    stub = bot.stub
    questions = list(pool)
    load = [(u, u, "private", questions[(7 * i + k) % len(questions)])
            for k in range(10) for i, u in enumerate(TERM_LOAD)]
    inject_at_once(stub, load)
    stub.wait_for(lambda: stub.pending() == 0 and total(stub, TERM_LOAD) >= len(load) // 10,
                  REPLY_TIMEOUT, "the load to be under way")
    assert bot.stop(signal.SIGTERM, timeout=LOAD_TIMEOUT) == 0
    for i, u in enumerate(TERM_LOAD):
        asked = sorted(pool[questions[(7 * i + k) % len(questions)]] for k in range(10))
        assert sorted(h for _, h in replies(stub, u)) == asked, f"chat {u}"
    assert "Bot stopped" in bot.log()
    bot.start()


# --- 2. outage ---------------------------------------------------------------------

def test_outage_with_replies_in_flight(bot, pool):
    stub = bot.stub
    pid = bot.pid
    offset = len(bot.log())
    questions = list(pool)
    inflight = inject_at_once(stub, [(u, u, "private", questions[(11 * i + k) % len(questions)])
                                     for k in range(3) for i, u in enumerate(OUT_INFLIGHT)])
    # The bot has fetched and confirmed them all and started answering: cut it off now.
    stub.wait_for(lambda: stub.pending() == 0 and total(stub, OUT_INFLIGHT) >= 1,
                  REPLY_TIMEOUT, "the first reply")
    stub.stop()
    down = time.monotonic()

    # Users keep writing; Telegram keeps these until the bot can fetch them again.
    during = inject_at_once(stub, [(u, u, "private", questions[i]) for i, u in
                                   enumerate(OUT_DURING)])
    deadline = down + 15
    while "Telegram Bot API unreachable" not in log_since(bot, offset):
        assert time.monotonic() < deadline, "the outage was not logged"
        time.sleep(0.1)
    time.sleep(max(0.0, down + 10 - time.monotonic()))  # the outage lasts 10 s
    with stub.cond:
        answered_inflight = {u: [h for _, h in replies(stub, u)] for u in OUT_INFLIGHT}
    stub.restart()

    after = [Chat(stub, u).send(questions[-1 - i]) for i, u in enumerate(OUT_AFTER)]
    stub.wait_for(lambda: total(stub, OUT_DURING + OUT_AFTER) >= len(during) + len(after)
                  and total(stub, OUT_INFLIGHT) >= len(inflight),
                  40, "the replies after the outage")
    recovered = time.monotonic()
    barrier(stub, OUT_BARRIER)

    for m in during + after:
        got = replies(stub, m["chat"]["id"])
        assert [h for _, h in got] == [pool[m["text"]]], f"chat {m['chat']['id']}: {got}"
    # In flight = fetched and confirmed, reply not yet sent when the API went away.
    # Telegram will not deliver a confirmed update again, so the bot must keep the
    # reply: a send whose connection fails is retried with back-off (up to 40 s,
    # bot/telegram/health.py). Every one arrives, once, after the outage.
    held = 0
    for u in OUT_INFLIGHT:
        got = Counter(h for _, h in replies(stub, u))
        asked = Counter(pool[m["text"]] for m in inflight if m["chat"]["id"] == u)
        assert got == asked, f"chat {u}: a reply lost, twice or to nothing asked: {got}"
        held += sum(asked.values()) - len(answered_inflight[u])
    assert held > 0, "no reply was in flight when the API went away"

    assert bot.pid == pid and bot.alive(), "the bot did not recover by itself"
    log = log_since(bot, offset)
    assert log.count("Telegram Bot API unreachable") == 1, log
    assert log.count("reachable again") == 1, log
    noisy = [line for line in log.splitlines()
             if (" WARNING " in line or " ERROR " in line)
             and "unreachable" not in line and "reachable again" not in line]
    assert not noisy and "Traceback" not in log, log
    print(f"\nOUTAGE 10 s with {len(inflight)} questions in flight: "
          f"{len(inflight) - held} answered before, {held} held and sent after, none lost; "
          f"{len(during)} sent during and "
          f"{len(after)} after the outage all answered once, "
          f"{recovered - down - 10:.1f} s after the API came back; same pid; "
          f"log: {[line.split(': ', 1)[-1] for line in log.splitlines() if 'reachable' in line]}")


# --- the token ---------------------------------------------------------------------

def test_the_token_is_nowhere(bot):
    stub = bot.stub
    log = bot.log()
    assert "Bot @" in log  # the log is the one we think
    with stub.cond:
        seen = json.dumps([list(stub.messages.values()), list(stub.html.values()),
                           stub.calls, stub.callback_answers, stub.inline_answers],
                          ensure_ascii=False, default=str)
    for secret in SECRETS:
        assert secret not in log, "token in the bot's log"
        assert secret not in seen, "token in something the bot sent"
