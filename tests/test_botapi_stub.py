"""The Bot API stand-in behaves like Telegram where the bot depends on it."""
from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.botapi_stub import BotApiStub


@pytest.fixture
def stub():
    s = BotApiStub("123:TEST").start()
    yield s
    s.stop()


def call(stub, method, params=None, how="json", timeout=10):
    url = f"{stub.base_url}123:TEST/{method}"
    params = params or {}
    if how == "get":
        req = urllib.request.Request(url + "?" + urllib.parse.urlencode(params))
    elif how == "form":
        body = urllib.parse.urlencode({k: v if isinstance(v, str) else json.dumps(v)
                                       for k, v in params.items()}).encode()
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded"})
    else:
        req = urllib.request.Request(url, data=json.dumps(params).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_get_me_by_get_and_unknown_method(stub):
    code, body = call(stub, "getMe", how="get")
    assert code == 200 and body["result"]["is_bot"] is True and body["result"]["username"]
    code, body = call(stub, "noSuchMethod")
    assert code == 404 and body["ok"] is False
    code, _ = call(stub, "close")
    assert code == 200


def test_long_poll_waits_for_timeout_or_update(stub):
    started = time.monotonic()
    code, body = call(stub, "getUpdates", {"timeout": 1})
    assert body["result"] == [] and 0.9 <= time.monotonic() - started < 3
    threading.Timer(0.3, lambda: stub.send_text("hi", user_id=7)).start()
    started = time.monotonic()
    code, body = call(stub, "getUpdates", {"timeout": 10}, how="form")
    assert time.monotonic() - started < 3
    assert [u["message"]["text"] for u in body["result"]] == ["hi"]


def test_offset_confirms_and_allowed_updates_filters(stub):
    first = stub.send_text("one", user_id=7)
    stub.inline("q", user_id=7)
    stub.send_text("two", user_id=7)
    _, body = call(stub, "getUpdates", {"allowed_updates": ["message"]})
    ids = [u["update_id"] for u in body["result"]]
    assert [u["message"]["text"] for u in body["result"]] == ["one", "two"]
    _, again = call(stub, "getUpdates")
    assert [u["update_id"] for u in again["result"]] == ids  # not confirmed yet
    _, rest = call(stub, "getUpdates", {"offset": ids[0] + 1})
    assert [u["update_id"] for u in rest["result"]] == ids[1:]
    _, none = call(stub, "getUpdates", {"offset": ids[-1] + 1})
    assert none["result"] == []
    assert first["date"] < 10**10  # seconds, not milliseconds


def test_send_edit_and_the_errors_telegram_gives(stub):
    stub.send_text("hi", user_id=7)
    markup = {"inline_keyboard": [[{"text": "下一页", "callback_data": "pg:abcd1234:1"}]]}
    _, sent = call(stub, "sendMessage", {"chat_id": 7, "text": "<b>A&amp;B</b>",
                                         "parse_mode": "HTML", "reply_markup": markup},
                   how="form")
    msg = sent["result"]
    assert msg["text"] == "A&B" and msg["from"]["is_bot"] and msg["reply_markup"] == markup
    edit = {"chat_id": 7, "message_id": msg["message_id"], "text": "<b>A&amp;B</b>",
            "parse_mode": "HTML", "reply_markup": markup}
    code, body = call(stub, "editMessageText", edit)
    assert code == 400 and "message is not modified" in body["description"]
    code, body = call(stub, "editMessageText", {**edit, "text": "new"})
    assert code == 200 and body["result"]["text"] == "new"
    code, body = call(stub, "sendMessage", {"chat_id": 7, "text": "字" * 4097})
    assert code == 400 and body["description"] == "Bad Request: message is too long"
    code, _ = call(stub, "sendMessage", {"chat_id": 7, "text": "字" * 4096})
    assert code == 200
    code, body = call(stub, "sendMessage", {"chat_id": 7, "text": "a <b", "parse_mode": "HTML"})
    assert code == 400 and "can't parse entities" in body["description"]
    long_data = {"inline_keyboard": [[{"text": "x", "callback_data": "x" * 65}]]}
    code, body = call(stub, "sendMessage", {"chat_id": 7, "text": "x", "reply_markup": long_data})
    assert code == 400 and "BUTTON_DATA_INVALID" in body["description"]


def test_callback_and_inline_answers_are_recorded_once(stub):
    stub.send_text("hi", user_id=7)
    _, sent = call(stub, "sendMessage", {"chat_id": 7, "text": "x"})
    qid = stub.press(sent["result"], "ex:0", user_id=7)
    assert call(stub, "answerCallbackQuery", {"callback_query_id": qid, "text": "ok"})[0] == 200
    assert stub.callback_answers[qid]["text"] == "ok"
    assert call(stub, "answerCallbackQuery", {"callback_query_id": qid})[0] == 400
    iid = stub.inline("养老", user_id=7)
    results = [{"type": "article", "id": "1", "title": "t",
                "input_message_content": {"message_text": "<b>t</b>", "parse_mode": "HTML"}}]
    assert call(stub, "answerInlineQuery", {"inline_query_id": iid, "results": results})[0] == 200
    assert stub.inline_answers[iid]["results"] == results


def test_commands_webhook_and_restart_on_the_same_port(stub):
    commands = [{"command": "start", "description": "开始"}]
    assert call(stub, "setMyCommands", {"commands": commands})[0] == 200
    assert call(stub, "getMyCommands")[1]["result"] == commands
    assert call(stub, "setWebhook", {"url": "http://127.0.0.1:9/x"})[0] == 200
    code, body = call(stub, "getUpdates")
    assert code == 409
    assert call(stub, "deleteWebhook")[0] == 200
    port = stub.port
    result = {}
    poll = threading.Thread(target=lambda: result.setdefault(
        "r", _dropped(stub)))
    poll.start()
    time.sleep(0.2)
    stub.stop()
    poll.join(5)
    assert result["r"] is True  # the pending long poll was dropped, not answered
    with pytest.raises(urllib.error.URLError):
        call(stub, "getMe", timeout=2)
    stub.restart()
    assert stub.port == port and call(stub, "getMe")[0] == 200


def _dropped(stub) -> bool:
    try:
        call(stub, "getUpdates", {"timeout": 30}, timeout=10)
    except (urllib.error.URLError, ConnectionError, OSError):
        return True
    return False


# --- files: a user's document, getFile and the download, sendDocument -----------------------

def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_document_message_get_file_and_download(stub):
    data = (Path(__file__).resolve().parent.parent / "data" / "sanya-yilaoyixiao.txt").read_bytes()
    msg = stub.send_document(data, "三亚分工表.txt", user_id=7, caption="地区：三亚市")
    doc = msg["document"]
    assert doc["file_name"] == "三亚分工表.txt" and doc["mime_type"] == "text/plain"
    assert doc["file_size"] == len(data) and msg["caption"] == "地区：三亚市"
    assert msg["chat"]["type"] == "private" and msg["from"]["id"] == 7 and "text" not in msg
    _, body = call(stub, "getUpdates")
    assert body["result"][-1]["message"]["document"] == doc
    code, body = call(stub, "getFile", {"file_id": doc["file_id"]})
    assert code == 200 and body["result"]["file_size"] == len(data)
    path = body["result"]["file_path"]
    assert stub.downloads == []
    status, got = _fetch(f"{stub.file_base_url}123:TEST/{path}")
    assert status == 200 and got == data and stub.downloads == [path]
    assert _fetch(f"{stub.file_base_url}999:WRONG/{path}")[0] == 404
    assert _fetch(f"{stub.file_base_url}123:TEST/documents/nothing.txt")[0] == 404
    code, body = call(stub, "getFile", {"file_id": "no-such-id"})
    assert code == 400 and body["description"] == "Bad Request: invalid file_id"


def test_file_over_20_mb_cannot_be_fetched(stub):
    msg = stub.send_document(None, "大文件.xlsx", user_id=7, file_size=25 * 1024 * 1024)
    assert msg["document"]["file_size"] == 25 * 1024 * 1024
    assert msg["document"]["mime_type"].endswith("spreadsheetml.sheet")
    code, body = call(stub, "getFile", {"file_id": msg["document"]["file_id"]})
    assert code == 400 and body["description"] == "Bad Request: file is too big"
    assert stub.downloads == []


def test_python_telegram_bot_downloads_and_uploads(stub):
    """The real client against the stand-in: get_file + download, send_document as an upload."""
    from telegram import Bot

    payload = "序号\t任务\n".encode() * 2000 + bytes(range(256))
    msg = stub.send_document(payload, "表.docx", user_id=7)

    async def run():
        async with Bot(stub.token, base_url=stub.base_url, base_file_url=stub.file_base_url) as bot:
            f = await bot.get_file(msg["document"]["file_id"])
            got = bytes(await f.download_as_bytearray())
            sent = await bot.send_document(7, document=b"PK\x03\x04xlsx-bytes", filename="导出.xlsx",
                                           caption="<b>3</b> 项任务", parse_mode="HTML")
            again = await bot.send_document(7, document=sent.document.file_id)
            return got, sent, again

    got, sent, again = asyncio.run(run())
    assert got == payload
    assert sent.document.file_name == "导出.xlsx" and sent.caption == "3 项任务"
    first, second = stub.documents_sent(7)
    assert first["data"] == b"PK\x03\x04xlsx-bytes" and first["file_name"] == "导出.xlsx"
    assert first["mime_type"].endswith("spreadsheetml.sheet") and first["caption"] == "3 项任务"
    assert second["data"] == first["data"] and again.document.file_id == sent.document.file_id
    assert [m.get("document", {}).get("file_name") for m in stub.bot_messages(7)] == ["导出.xlsx"] * 2


def test_send_document_errors(stub):
    stub.send_text("hi", user_id=7)
    code, body = call(stub, "sendDocument", {"chat_id": 7, "document": "no-such-file"})
    assert code == 400 and "no document" in body["description"]
    code, body = call(stub, "sendDocument", {"chat_id": 8, "document": "x"})
    assert code == 400 and body["description"] == "Bad Request: chat not found"
    msg = stub.send_document(b"abc", "a.txt", user_id=7)
    code, body = call(stub, "sendDocument", {"chat_id": 7, "document": msg["document"]["file_id"],
                                             "caption": "字" * 1025})
    assert code == 400 and "caption is too long" in body["description"]
