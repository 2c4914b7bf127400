"""The Bot API stand-in behaves like Telegram where the bot depends on it."""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

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
