"""End to end through the Bot API stand-in: documents sent to the bot (issue #10 item 4)
and follow-up questions in a conversation (issue #12 item 6), with the real `python -m bot
run` process and the real answer pipeline in a temporary FENGONG_HOME.

The bot's TMPDIR is a folder of the test's own, so the tests see that a read file's
temporary copy is gone after 收录 or 取消; FENGONG_HOME/documents/ shows what was kept.
"""
from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from tests.botapi_stub import BotApiStub
from tests.telegram_harness import REPLY_TIMEOUT, BotProcess, Chat, button, keyboard

TOKEN = "456:UPLOADS"
ADMIN = 777
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUSINESS = FIXTURES / "mouxian-biaoqian-fangan.txt"  # 某县 营商环境, 4 tasks
NO_PLACE = FIXTURES / "mouqu-markdown-fengong.md"  # 某区 为民办实事, place not stated
ASKED = "企业开办一日办结谁负责"  # answered by BUSINESS only
SLOW = Path(__file__).resolve().parents[2] / "shared" / "wild" / "formats" / "wild_table.pdf"

_ids = itertools.count(1)


def new_user() -> int:
    return 5000 + next(_ids)


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    stub = BotApiStub(TOKEN).start()
    tmp = tmp_path_factory.mktemp("uploads")
    (tmp / "tmp").mkdir()
    proc = BotProcess(stub, tmp / "home", tmp / "bot.log", FENGONG_ADMINS=str(ADMIN),
                      TMPDIR=str(tmp / "tmp"))
    proc.start()
    proc.tmp = tmp / "tmp"
    yield proc
    proc.kill()
    stub.stop()


def send_file(chat: Chat, path: Path | None, name: str | None = None, **kw) -> dict:
    """The user sends a file; the bot's first reply."""
    n = chat.stub.count(chat.chat_id)
    chat.stub.send_document(path.read_bytes() if path else None, name or path.name,
                            user_id=chat.user, chat_id=chat.chat_id, chat_type=chat.chat_type, **kw)
    return chat.stub.wait_reply(chat.chat_id, n, REPLY_TIMEOUT + 60)  # the sandbox's own limit


def upload_folders(bot: BotProcess) -> list[Path]:
    return list(bot.tmp.glob("fengong-upload-*"))


def kept(bot: BotProcess) -> list[Path]:
    folder = bot.home / "documents"
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".txt", ".md")] \
        if folder.is_dir() else []


def test_admin_upload_preview_keep_then_everyone_answers_from_it(bot):
    other = Chat(bot.stub, new_user())
    before = other.ask(ASKED)
    assert "县市场监督管理局" not in before["text"]
    admin = Chat(bot.stub, ADMIN)
    downloads = len(bot.stub.downloads)
    preview = send_file(admin, BUSINESS)
    text = preview["text"]
    assert "文件预览" in text and "mouxian-biaoqian-fangan.txt" in text
    assert "某县2024年优化营商环境重点任务分工方案" in text
    assert "地区：某县" in text and "任务：4 项" in text
    assert "牵头：县市场监督管理局；配合：县税务局、县公安局" in text  # a sample task
    assert text.count("牵头：") == 3 and "提示：0 条" in text
    assert [b["text"] for b in keyboard(preview)[0]] == ["收录", "取消", "改地区"]
    assert len(bot.stub.downloads) == downloads + 1
    assert len(upload_folders(bot)) == 1  # read, not kept yet
    assert kept(bot) == []

    # another user's button press is not the admin's
    assert "管理员" in other.press(preview, button(preview, "收录")["callback_data"]).get("text", "")

    done = admin.press_for_edit(preview, button(preview, "收录")["callback_data"])
    assert "已收录《某县2024年优化营商环境重点任务分工方案》" in done["text"]
    assert "地区：某县" in done["text"] and "任务：4 项" in done["text"]
    assert upload_folders(bot) == []  # the temporary copy is gone ...
    (original,) = kept(bot)  # ... and the original kept, untouched
    assert original.read_bytes() == BUSINESS.read_bytes()

    # every chat answers from it at its next question: no restart, no /reindex
    after = other.ask(ASKED)
    assert "县市场监督管理局" in after["text"] and "一日办结" in after["text"]
    assert "县市场监督管理局" in Chat(bot.stub, new_user()).ask(ASKED)["text"]
    assert bot.alive()


def test_docs_lists_it_and_an_admin_removes_it_after_confirming(bot):
    admin = Chat(bot.stub, ADMIN)
    listing = Chat(bot.stub, new_user()).ask("/docs")
    assert "某县2024年优化营商环境重点任务分工方案" in listing["text"]
    assert keyboard(listing) == []  # no remove buttons for a user
    listing = admin.ask("/docs")
    removes = [b for row in keyboard(listing) for b in row if b["text"].startswith("移除")]
    assert [b["text"] for b in removes] == [
        "移除：某县2024年优化营商环境重点任务分工方案"]  # shipped documents have none
    confirm = admin.press_for_reply(listing, removes[0]["callback_data"])
    assert "确定移除《某县2024年优化营商环境重点任务分工方案》" in confirm["text"]
    kept_one = admin.press_for_edit(confirm, button(confirm, "保留")["callback_data"])
    assert "已保留" in kept_one["text"]
    assert "县市场监督管理局" in Chat(bot.stub, new_user()).ask(ASKED)["text"]
    confirm = admin.press_for_reply(listing, removes[0]["callback_data"])
    gone = admin.press_for_edit(confirm, button(confirm, "确定移除")["callback_data"])
    assert "已移除《某县2024年优化营商环境重点任务分工方案》" in gone["text"]
    assert "县市场监督管理局" not in Chat(bot.stub, new_user()).ask(ASKED)["text"]
    assert "某县2024年" not in admin.ask("/docs")["text"]


def test_change_place_by_button_and_by_typing_then_cancel(bot):
    admin = Chat(bot.stub, ADMIN)
    preview = send_file(admin, NO_PLACE)
    assert "地区：未注明地区" in preview["text"] and "改地区" in preview["text"]
    places = admin.press_for_edit(preview, button(preview, "改地区")["callback_data"])
    offered = [b["text"] for row in keyboard(places) for b in row]
    assert "三亚市" in offered and "宝清县" in offered and offered[-1] == "« 返回"
    picked = admin.press_for_edit(places, button(places, "三亚市")["callback_data"])
    assert "地区：三亚市" in picked["text"] and "任务：4 项" in picked["text"]
    assert [b["text"] for b in keyboard(picked)[0]] == ["收录", "取消", "改地区"]
    # 改地区 again, and type the place: the next text is the place, not a question
    admin.press_for_edit(picked, button(picked, "改地区")["callback_data"])
    refused = admin.ask("随便")
    assert "不像地区名称" in refused["text"]
    typed = admin.ask("宝清")
    assert "地区：宝清县" in typed["text"] and "区民政局" in typed["text"]
    assert admin.ask("谁负责家庭养老床位")["text"].count("地区：") == 0  # questions again
    cancelled = admin.press_for_edit(typed, button(typed, "取消")["callback_data"])
    assert "已取消" in cancelled["text"]
    assert upload_folders(bot) == [] and kept(bot) == []
    # a button of the dropped preview
    assert "过期" in admin.press(picked, button(picked, "收录")["callback_data"])["text"]


def test_caption_gives_the_place(bot):
    admin = Chat(bot.stub, ADMIN)
    preview = send_file(admin, NO_PLACE, caption="地区：三亚市")
    assert "地区：三亚市" in preview["text"]
    admin.press_for_edit(preview, button(preview, "取消")["callback_data"])
    assert upload_folders(bot) == []


def test_a_non_admin_is_refused_and_nothing_is_fetched(bot):
    user = Chat(bot.stub, new_user())
    downloads, getfiles = len(bot.stub.downloads), len(bot.stub.called("getFile"))
    reply = send_file(user, BUSINESS)
    assert "只有管理员可以添加分工文件" in reply["text"]
    assert len(bot.stub.downloads) == downloads and len(bot.stub.called("getFile")) == getfiles


@pytest.mark.parametrize("name", ["分工表.zip", "扫描件.png"])
def test_a_wrong_kind_is_told_which_kinds_are_read(bot, name):
    admin = Chat(bot.stub, ADMIN)
    downloads = len(bot.stub.downloads)
    reply = send_file(admin, None, name, file_size=1000)
    assert name in reply["text"] and "能读的类型" in reply["text"]
    for kind in ("docx", "xlsx", "pdf", "txt"):
        assert kind in reply["text"]
    assert len(bot.stub.downloads) == downloads


def test_an_oversize_file_is_refused_before_download(bot):
    admin = Chat(bot.stub, ADMIN)
    getfiles = len(bot.stub.called("getFile"))
    reply = send_file(admin, None, "大表.xlsx", file_size=25 * 1024 * 1024)
    assert "20 MB" in reply["text"] and "25.0 MB" in reply["text"]
    assert len(bot.stub.called("getFile")) == getfiles  # getFile never called
    assert not any(p.endswith(".xlsx") for p in bot.stub.downloads)


def test_an_unreadable_file_is_named_with_the_reason(bot):
    admin = Chat(bot.stub, ADMIN)
    bad = bot.tmp.parent / "bad.docx"
    bad.write_bytes(b"this is not a zip container at all" * 20)
    reply = send_file(admin, bad, "坏文件.docx")
    assert "未能读取「坏文件.docx」" in reply["text"] and "没有收录" in reply["text"]
    assert upload_folders(bot) == []


@pytest.mark.skipif(not SLOW.is_file(), reason="shared/wild/formats not beside the checkout")
def test_other_chats_are_answered_while_a_file_is_read(bot):
    """A PDF of 86 tasks takes seconds to read: meanwhile every other chat gets its answers."""
    admin = Chat(bot.stub, ADMIN)
    others = [Chat(bot.stub, new_user()) for _ in range(3)]
    n = bot.stub.count(admin.chat_id)
    started = time.monotonic()
    bot.stub.send_document(SLOW.read_bytes(), SLOW.name, user_id=ADMIN)
    bot.stub.wait_for(lambda: SLOW.suffix in "".join(bot.stub.downloads[-1:]), REPLY_TIMEOUT, "the download")
    waits = []
    for chat in others:
        asked = time.monotonic()
        assert "市民政局" in chat.ask("谁负责家庭养老床位")["text"]
        waits.append(time.monotonic() - asked)
    assert bot.stub.count(admin.chat_id) == n, "the preview came first: the read was not overlapped"
    preview = bot.stub.wait_reply(admin.chat_id, n, REPLY_TIMEOUT + 60)
    read = time.monotonic() - started
    assert "任务：86 项" in preview["text"] and "地区：崇川县" in preview["text"]
    assert max(waits) < read / 2, (waits, read)
    print(f"read {read:.1f} s; answers meanwhile in {', '.join(f'{w:.2f}' for w in waits)} s")
    admin.press_for_edit(preview, button(preview, "取消")["callback_data"])
    assert upload_folders(bot) == []


def test_file_base_follows_the_api_base_unless_set():
    from bot.config import Config

    env = {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_API_BASE": "http://127.0.0.1:8081/bot"}
    assert Config.from_env(env).file_base == "http://127.0.0.1:8081/file/bot"
    assert Config.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}).file_base == "https://api.telegram.org/file/bot"
    env["TELEGRAM_FILE_BASE"] = "http://files.example/file/bot"
    assert Config.from_env(env).file_base == "http://files.example/file/bot"


def test_follow_ups_in_a_private_chat(bot):
    chat = Chat(bot.stub, new_user())
    card = chat.ask("长者饭堂示范点谁负责")
    assert "第13项" in card["text"] and "牵头：各区政府" in card["text"]
    when = chat.ask("什么时候完成")
    assert "第13项" in when["text"]
    assert when["text"].index("完成时限：2020年12月") < when["text"].index("牵头：")  # asked first
    support = chat.ask("那配合单位呢")
    assert "第13项" in support["text"]
    assert support["text"].index("配合：市民政局、市财政局") < support["text"].index("牵头：")
    more = chat.ask("还有呢")
    assert "第13项" not in more["text"] and "牵头：" in more["text"]
    # another chat has no context: the same follow-up asks for the whole question
    assert "第13项" not in Chat(bot.stub, new_user()).ask("什么时候完成")["text"]


def test_a_reply_in_a_group_refers_to_that_message(bot):
    group = -100_700_000 - next(_ids)
    alice = Chat(bot.stub, new_user(), chat_id=group, chat_type="supergroup")
    mention = "@" + bot.stub.me["username"]
    first = alice.ask(f"{mention} 长者饭堂示范点谁负责")
    assert "第13项" in first["text"]
    second = alice.ask(f"{mention} 家庭养老床位谁牵头")
    assert "第13项" not in second["text"]
    # a reply to the first card refers to it, not to the last answer in the group
    when = alice.ask("什么时候完成", reply_to=first)
    assert "第13项" in when["text"] and "完成时限：2020年12月" in when["text"]
    # and the group's last answer is the default for a mention
    last = alice.ask(f"{mention} 什么时候完成")
    assert "第13项" in last["text"]


def test_context_expires():
    """Conversations forget a chat's answer after TTL_SECONDS (checked in-process)."""
    from bot.context import Context
    from bot.telegram.conversation import Conversations

    now = [0.0]
    conv = Conversations(ttl=600, max_messages=2, clock=lambda: now[0])
    ctx = Context("task", (("s", "1"),))
    conv.remember(1, 10, ctx)
    now[0] = 599
    assert conv.of_chat(1) == ctx
    now[0] = 601
    assert conv.of_chat(1) is None
    assert conv.of_message(1, 10) == ctx  # a reply to the message still reaches it
    conv.remember(1, 11, ctx)
    conv.remember(1, 12, ctx)
    assert conv.of_message(1, 10) is None  # bounded: the oldest went
    conv.remember(1, 13, None)  # an answer with nothing to refer to
    assert conv.of_chat(1) is None
