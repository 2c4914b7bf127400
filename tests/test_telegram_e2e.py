"""End to end: the real `python -m bot run` process against the Bot API stand-in
(tests/botapi_stub.py), over HTTP on 127.0.0.1.

Two bots run per module:
- `real`: the real answer pipeline on a store built in a temporary FENGONG_HOME;
  these tests check what a user sees for real questions.
- `fake`: tests/fake_answerer.py, for front-end cases the real data does not
  produce (hostile names, an over-long block, echo of agency/scope), with an
  allow-list; it is also the one we stop, cut off from the API, and SIGTERM.
Plus a short-lived bot in webhook mode.

The stand-in refuses what Telegram refuses (bad HTML, > 4096 characters, callback
data > 64 bytes), so every reply the bot managed to send is also valid for Telegram.
"""
from __future__ import annotations

import itertools
import json
import signal
import socket
import time
import urllib.error
import urllib.request

import pytest

from bot import render
from bot.answer import EXAMPLES
from bot.telegram.actions import AgencyTasks, OpenTask, Page, Pick, decode
from tests.botapi_stub import BotApiStub, parse_html
from tests.telegram_harness import REPLY_TIMEOUT, BotProcess, Chat, button, keyboard, page_indicator

TOKEN = "123:TEST"
ADMIN = 999
FAKE_USERS = list(range(2001, 2020))
FAKE_GROUP = -1002001

_ids = itertools.count(1)


def new_user(base: int = 1000) -> int:
    return base + next(_ids)


# --- fixtures ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory):
    stub = BotApiStub(TOKEN).start()
    tmp = tmp_path_factory.mktemp("real")
    bot = BotProcess(stub, tmp / "home", tmp / "bot.log", FENGONG_ADMINS=str(ADMIN))
    bot.start()
    yield bot
    bot.kill()
    stub.stop()


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    stub = BotApiStub(TOKEN).start()
    tmp = tmp_path_factory.mktemp("fake")
    allowed = ",".join(map(str, [*FAKE_USERS, FAKE_GROUP]))
    bot = BotProcess(stub, tmp / "home", tmp / "bot.log",
                     FENGONG_ANSWERER="tests.fake_answerer:FakeAnswerer",
                     FENGONG_ALLOWED_CHATS=allowed)
    bot.start()
    yield bot
    bot.kill()
    stub.stop()


_fake_users = iter(FAKE_USERS)


def fake_chat(fake: BotProcess) -> Chat:
    return Chat(fake.stub, next(_fake_users))


# --- the real pipeline -------------------------------------------------------------

def test_commands_are_registered_at_start(real):
    names = [c["command"] for c in real.stub.commands]
    assert names == [name for name, _ in render.COMMANDS]
    assert all(c["description"] for c in real.stub.commands)


def test_start_shows_examples_that_ask_when_pressed(real):
    chat = Chat(real.stub, new_user())
    reply = chat.ask("/start")
    assert "分工助手" in reply["text"]
    examples = [b for row in keyboard(reply) for b in row]
    assert [b["text"] for b in examples] == [render.label(q) for q in EXAMPLES]
    answer = chat.press_for_reply(reply, examples[0]["callback_data"])
    assert "市民政局" in answer["text"]  # EXAMPLES[0] is 谁负责家庭养老床位


def test_who_question(real):
    reply = Chat(real.stub, new_user()).ask("谁负责家庭养老床位")
    assert "市民政局" in reply["text"]
    assert "牵头" in reply["text"]
    assert "reply_to_message" not in reply  # private chat: no quoting


def test_agency_list_is_paged_and_buttons_edit_in_place(real):
    chat = Chat(real.stub, new_user())
    first = chat.ask("市民政局有哪些任务")
    indicator = page_indicator(first)
    assert indicator.startswith("1/")
    total = int(indicator.split("/")[1])
    assert total >= 2
    assert [b["text"] for b in keyboard(first)[0]] == [indicator, "下一页 »"]

    second = chat.press_for_edit(first, button(first, "下一页 »")["callback_data"])
    assert second["message_id"] == first["message_id"]
    assert page_indicator(second) == f"2/{total}"
    assert second["text"] != first["text"]
    assert second["text"].split("\n")[0] == first["text"].split("\n")[0]  # header repeats
    assert [b["text"] for b in keyboard(second)[0]][0] == "« 上一页"

    back = chat.press_for_edit(second, button(second, "« 上一页")["callback_data"])
    assert back["text"] == first["text"] and page_indicator(back) == indicator

    # The x/y button and a stale "go to the page already shown" are answered quietly.
    edits = real.stub.edits[(chat.chat_id, first["message_id"])]
    assert chat.press(back, button(back, indicator)["callback_data"])
    assert chat.press(back, Page(button(back, indicator)["callback_data"][3:11], 0).encode())
    assert real.stub.edits[(chat.chat_id, first["message_id"])] == edits

    # Every page, walked to the end, fits one message.
    message = back
    for n in range(2, total + 1):
        message = chat.press_for_edit(message, button(message, "下一页 »")["callback_data"])
        assert page_indicator(message) == f"{n}/{total}"
        assert len(real.stub.html[(chat.chat_id, message["message_id"])]) <= render.PAGE_CHARS
    assert all(b["text"] != "下一页 »" for b in keyboard(message)[0])


def test_what_is_held_and_one_documents_list(real):
    chat = Chat(real.stub, new_user())
    held = chat.ask("有哪些文件")
    assert "已收录的 5 份文件" in held["text"] and "三亚市开展居家和社区养老服务改革试点重点任务分工表" in held["text"]
    listing = chat.ask("居家养老试点有哪些任务")
    assert listing["text"].startswith("《三亚市开展居家和社区养老服务改革试点重点任务分工表》（三亚市）共 18 项任务")
    assert "第1项 健全养老服务工作机制 · 牵头：市民政局 · 时限：2020年6月" in listing["text"]
    labels = {b["text"] for row in keyboard(listing) for b in row}
    assert "导出Excel" in labels and any(t.startswith("1/") for t in labels)  # paged, exportable
    # an agency named alone right after a task's card: its role there
    chat.ask("长者饭堂示范点谁负责")
    role = chat.ask("那市财政局呢")
    assert role["text"].startswith("市财政局在") and "单位" in role["text"].split("\n")[0]


def test_i_am_x_in_a_message_binds_x(real):
    chat = Chat(real.stub, new_user())
    said = chat.ask("我是宝清县民政局的")
    assert said["text"].startswith("已绑定你的单位：") and "宝清县" in said["text"].split("\n")[0]
    assert "县民政局（宝清县）共有" in said["text"]
    mine = chat.ask("我的任务")
    assert "县民政局（宝清县）共有" in mine["text"]


def test_ambiguous_question_offers_choices(real):
    chat = Chat(real.stub, new_user())
    reply = chat.ask("养老服务")
    choices = [b for row in keyboard(reply) for b in row
               if isinstance(decode(b["callback_data"]), (OpenTask, Pick, AgencyTasks))]
    assert len(choices) >= 2, f"expected choice buttons (data may have changed): {keyboard(reply)}"
    picked = chat.press_for_reply(reply, choices[1]["callback_data"])
    # The chosen task alone, under its own heading: 【document 第N项】
    number = choices[1]["text"].split("第", 1)[1].split("项", 1)[0]
    assert f"第{number}项】" in picked["text"]


def test_iam_then_my_survives_a_killed_process(real):
    chat = Chat(real.stub, new_user())
    reply = chat.ask("/my")
    assert "/iam" in reply["text"]

    reply = chat.ask("/iam 市民政局")  # exists in 三亚市 and 省会城市
    labels = [b["text"] for row in keyboard(reply) for b in row]
    assert "市民政局（三亚市）" in labels and "市民政局（省会城市）" in labels
    bound = chat.press_for_edit(reply, button(reply, "市民政局（三亚市）")["callback_data"])
    assert "已绑定" in bound["text"] and "三亚市" in bound["text"]
    assert not keyboard(bound)

    real.stop(signal.SIGKILL)  # no chance to flush anything: the write was committed
    real.start()

    mine = chat.ask("/my")
    header = mine["text"].split("\n")[0]
    assert "市民政局" in header and "三亚市" in header and "省会城市" not in header
    reply = chat.ask("/iam")
    assert "市民政局（三亚市）" in reply["text"]


def test_group_answers_only_when_addressed(real):
    stub = real.stub
    group = new_user(-100_000_000)
    alice = Chat(stub, new_user(), chat_id=group, chat_type="supergroup")
    username = stub.me["username"]

    alice.send("谁负责家庭养老床位")  # not for the bot
    alice.send("/start@some_other_bot")  # a command for another bot
    mention = alice.send(f"@{username} 谁负责家庭养老床位")
    reply = stub.wait_reply(group, 0, REPLY_TIMEOUT)
    assert reply["reply_to_message"]["message_id"] == mention["message_id"]
    assert "市民政局" in reply["text"]

    follow_up = alice.ask("长者饭堂什么时候完成", reply_to=reply)  # a reply to the bot
    assert follow_up["reply_to_message"]["text"] == "长者饭堂什么时候完成"
    command = alice.ask(f"/who@{username} 家庭养老床位")
    assert "市民政局" in command["text"]
    time.sleep(0.5)  # grace for a wrong reply to the unaddressed messages to show up
    assert stub.count(group) == 3


def test_inline_query_returns_cards(real):
    qid = real.stub.inline("家庭养老床位", user_id=new_user())
    answer = real.stub.wait_inline_answer(qid, REPLY_TIMEOUT)
    results = answer["results"]
    assert 1 <= len(results) <= 10
    for r in results:
        assert r["type"] == "article" and r["title"]
        content = r["input_message_content"]
        assert content["parse_mode"] == "HTML"
        parse_html(content["message_text"])
    assert any("市民政局" in r["input_message_content"]["message_text"] for r in results)
    # titled by the task, described by its lead (or responsible units) and deadline
    first = results[0]
    assert "家庭养老床位" in first["title"] and "【" not in first["title"]
    assert first.get("description") and ("牵头：" in first["description"] or "责任单位：" in first["description"])


def test_an_empty_inline_query_offers_the_examples_answered(real):
    qid = real.stub.inline("", user_id=new_user())
    results = real.stub.wait_inline_answer(qid, REPLY_TIMEOUT)["results"]
    assert [r["title"] for r in results] == [f"例：{q}" for q in EXAMPLES]
    for r in results:
        parse_html(r["input_message_content"]["message_text"])


def test_forged_and_stale_callbacks_are_answered_politely(real):
    chat = Chat(real.stub, new_user())
    reply = chat.ask("/start")
    for data, expected in [("pg:AAAAAAAA:1", "过期"), ("ch:AAAAAAAA:0", "过期"),
                           ("nonsense", "无法识别"), ("ex:99", "无法识别"),
                           ("pg:AAAA:1'; drop table", "无法识别")]:
        answer = chat.press(reply, data)
        assert expected in (answer.get("text") or ""), (data, answer)
    # A pager button pressed in another chat does not show that chat's result.
    first = chat.ask("市民政局有哪些任务")
    other = Chat(real.stub, new_user())
    other_msg = other.ask("/start")
    answer = other.press(other_msg, button(first, "下一页 »")["callback_data"])
    assert "过期" in answer["text"]
    assert "分工助手" in chat.ask("/start")["text"]  # still alive


def test_scope_and_docs(real):
    chat = Chat(real.stub, new_user())
    docs = chat.ask("/docs")
    assert "重点任务分工" in docs["text"] and "项任务" in docs["text"]
    reply = chat.ask("/scope")
    assert "全部" in reply["text"] and "三亚市" in reply["text"]
    assert "三亚市" in chat.ask("/scope 三亚")["text"]
    scoped = chat.ask("市民政局有哪些任务")
    header = scoped["text"].split("\n")[0]
    assert "三亚市" in header and "省会城市" not in header
    assert "全部" in chat.ask("/scope 全部")["text"]
    assert "省会城市" in chat.ask("市民政局有哪些任务")["text"].split("\n")[0]
    assert "没有找到" in chat.ask("/scope 火星")["text"]


def test_reindex_is_for_admins_only(real):
    refused = Chat(real.stub, new_user()).ask("/reindex")
    assert "只有管理员" in refused["text"]
    admin = Chat(real.stub, ADMIN)
    admin.ask("/reindex")
    done = real.stub.wait_reply(ADMIN, 1, 60)
    assert "索引已重建" in done["text"], done["text"]
    assert "市民政局" in admin.ask("谁负责家庭养老床位")["text"]


def test_commands_without_arguments_explain_themselves(real):
    chat = Chat(real.stub, new_user())
    for command in ("/who", "/tasks", "/remind"):
        assert "用法" in chat.ask(command)["text"]
    assert "/iam" in chat.ask("/help")["text"]
    due = chat.ask("/due 2020年12月")
    assert "2020年12月" in due["text"]
    assert "导出Excel" in {b["text"] for row in keyboard(due) for b in row}
    tasks = chat.ask("/tasks 市民政局")
    assert {b["text"] for row in keyboard(tasks) for b in row} >= {
        "市民政局（三亚市）", "市民政局（省会城市）"}


def test_what_is_not_text_gets_a_short_useful_reply(real):
    chat = Chat(real.stub, new_user())
    for kind, what in [("photo", "图片"), ("voice", "语音"), ("sticker", "表情"),
                       ("location", "位置"), ("video", "视频"), ("animation", "动图")]:
        reply = chat.ask_media(kind)
        assert what in reply["text"], (kind, reply["text"])
        assert "请用文字提问" in reply["text"] and EXAMPLES[0] in reply["text"], kind
    # A photo with a caption is still a photo: the caption is not read as a question.
    assert "图片" in chat.ask_media("photo", caption="谁负责家庭养老床位")["text"]
    # A file from a user who is no admin is answered, not ignored (adding documents:
    # tests/test_telegram_uploads.py).
    reply = chat.ask_media("document", file_name="三亚市分工表.docx")
    assert "只有管理员可以添加分工文件" in reply["text"]
    assert "市民政局" in chat.ask("谁负责家庭养老床位")["text"]  # carries on as before


def test_unknown_command_gets_the_command_list(real):
    chat = Chat(real.stub, new_user())
    reply = chat.ask("/frobnicate 家庭养老床位")
    assert "没有这个命令" in reply["text"] and "/frobnicate" in reply["text"]
    for name, _ in render.COMMANDS:
        assert f"/{name}" in reply["text"]
    assert "市民政局" in chat.ask("/who 家庭养老床位")["text"]  # known ones still work


def test_not_text_in_a_group_only_when_addressed(real):
    stub = real.stub
    group = new_user(-100_000_000)
    bob = Chat(stub, new_user(), chat_id=group, chat_type="supergroup")
    username = stub.me["username"]
    bob.send("/frobnicate@some_other_bot")  # another bot's command
    stub.send_media("photo", user_id=bob.user, chat_id=group, chat_type="supergroup")
    stub.send_media("sticker", user_id=bob.user, chat_id=group, chat_type="supergroup")
    reply = bob.ask(f"/frobnicate@{username}")
    assert "没有这个命令" in reply["text"]
    sticker = bob.ask_media("sticker", reply_to=reply)  # a reply to the bot
    assert "表情" in sticker["text"]
    photo = bob.ask_media("photo", caption=f"@{username} 这是什么")  # mentioned in a caption
    assert "图片" in photo["text"]
    time.sleep(0.5)  # grace for a wrong reply to the unaddressed messages to show up
    assert stub.count(group) == 3


# --- front-end edge cases (fake pipeline, allow-list) ------------------------------

def test_hostile_names_are_escaped(fake):
    chat = fake_chat(fake)
    reply = chat.ask("/tasks A&B")
    assert 'A&B <联合> "办"（三亚市）的任务' in reply["text"]
    assert "长期照护保险试点<试行>" in reply["text"]
    docs = chat.ask("/docs")
    assert "重点任务分工<养老服务业>" in docs["text"]
    echo = chat.ask("谁负责 <b>&amp;")
    assert "谁负责 <b>&amp;" in echo["text"]


def test_a_block_longer_than_a_message_is_split_over_pages(fake):
    chat = fake_chat(fake)
    message = chat.ask("超长")
    total = int(page_indicator(message).split("/")[1])
    assert total >= 2
    seen = [message["text"]]
    for _ in range(total - 1):
        message = chat.press_for_edit(message, button(message, "下一页 »")["callback_data"])
        seen.append(message["text"])
    body = "".join(t.split("\n\n", 1)[1] for t in seen)
    assert body.replace("\n", "") == "很长的任务说明。" * 900


def test_choices_and_bound_agency_reach_the_pipeline(fake):
    chat = fake_chat(fake)
    reply = chat.ask("谁负责养老服务")
    data = [b["callback_data"] for row in keyboard(reply) for b in row]
    assert data[:2] == ["tk:who:capital-yanglao|7", "tk:who:capital-yanglao|8"] and data[2] == "ag:1"
    task = chat.press_for_reply(reply, data[1])
    assert "capital-yanglao 第8项" in task["text"]
    agency = chat.press_for_reply(reply, data[2])
    assert "市民政局（三亚市）的任务（共20项）" in agency["text"]
    from bot.render import PAGE_ITEMS

    assert page_indicator(agency) == f"1/{-(-20 // PAGE_ITEMS)}"  # 20 one-line items

    assert "已绑定" in chat.ask("/iam 市卫健委")["text"]  # one match: bound at once
    chat.ask("/scope 三亚")
    assert "单位：4；地区：三亚市" in chat.ask("我的设置")["text"]


def test_allow_list_refuses_other_chats(fake):
    stub = fake.stub
    stranger = Chat(stub, 31337)
    reply = stranger.ask("谁负责家庭养老床位")
    assert "只在指定的聊天" in reply["text"] and "市民政局" not in reply["text"]
    qid = stub.inline("家庭养老床位", user_id=31337)
    answer = stub.wait_inline_answer(qid, REPLY_TIMEOUT)
    assert answer["results"] == [] and answer["button"]["text"]
    member = Chat(stub, FAKE_USERS[-1], chat_id=FAKE_GROUP, chat_type="group")
    assert "市民政局" in member.ask(f"@{stub.me['username']} 谁负责家庭养老床位")["text"]
    outsider_group = Chat(stub, FAKE_USERS[-1], chat_id=-1009999, chat_type="group")
    assert "只在指定的聊天" in outsider_group.ask("/start")["text"]


def test_outage_is_logged_once_and_the_bot_recovers(fake):
    stub = fake.stub
    chat = fake_chat(fake)
    assert chat.ask("/start")
    stub.stop()
    deadline = time.monotonic() + 15
    while "unreachable" not in fake.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "unreachable" in fake.log()
    time.sleep(3)  # several retries with back-off while the API is down
    stub.restart()
    reply = chat.ask("谁负责家庭养老床位", timeout=40)
    assert "市民政局" in reply["text"]
    log = fake.log()
    assert log.count("Telegram Bot API unreachable") == 1, log
    assert log.count("reachable again") == 1, log
    assert TOKEN not in log and TOKEN.replace(":", "%3A") not in log


def test_sigterm_shuts_down_cleanly(fake):
    assert fake.stop(signal.SIGTERM) == 0
    log = fake.log()
    assert "Bot stopped" in log
    assert TOKEN not in log
    assert "Traceback" not in log, log


# --- webhook mode ------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_mode(tmp_path):
    stub = BotApiStub(TOKEN).start()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/fengong/hook"
    bot = BotProcess(stub, tmp_path / "home", tmp_path / "bot.log",
                     FENGONG_ANSWERER="tests.fake_answerer:FakeAnswerer",
                     FENGONG_WEBHOOK_URL=url, FENGONG_WEBHOOK_SECRET="s3cret_token",
                     FENGONG_WEBHOOK_LISTEN="127.0.0.1", PORT=str(port))
    try:
        bot.start(ready="setWebhook")
        hook = stub.called("setWebhook")[-1]
        assert hook["url"] == url and hook["secret_token"] == "s3cret_token"
        reply = Chat(stub, new_user()).ask("谁负责家庭养老床位")
        assert "市民政局" in reply["text"]
        forged = urllib.request.Request(
            url, data=json.dumps({"update_id": 1}).encode(), method="POST",
            headers={"Content-Type": "application/json",
                     "X-Telegram-Bot-Api-Secret-Token": "wrong"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=5)
        assert refused.value.code == 403
        assert bot.stop() == 0
        assert "s3cret_token" not in bot.log() and TOKEN not in bot.log()
    finally:
        bot.kill()
        stub.stop()
