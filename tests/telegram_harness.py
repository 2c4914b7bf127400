"""Shared helpers for the end-to-end Telegram tests: the real `python -m bot run`
process (`BotProcess`) and one user's conversation (`Chat`) through the Bot API
stand-in (tests/botapi_stub.py). Everything talks to 127.0.0.1 only."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.botapi_stub import BotApiStub

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0  # the first start builds the store
REPLY_TIMEOUT = 20.0


class BotProcess:
    """`python -m bot run` with a given environment; its output goes to a log file.
    The token is the stand-in's."""

    def __init__(self, stub: BotApiStub, home: Path, log: Path, **env: str) -> None:
        self.stub, self.home, self.log_path = stub, home, log
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("TELEGRAM_", "FENGONG_")) and k.lower() not in
                    ("http_proxy", "https_proxy", "all_proxy")}
        self.env.update(TELEGRAM_BOT_TOKEN=stub.token, TELEGRAM_API_BASE=stub.base_url,
                        FENGONG_HOME=str(home), NO_PROXY="127.0.0.1,localhost",
                        no_proxy="127.0.0.1,localhost", PYTHONUNBUFFERED="1", **env)
        self.proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return None if self.proc is None else self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, ready: str = "getUpdates") -> "BotProcess":
        before = len(self.stub.called(ready))
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT,
                                         env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            self.stub.wait_for(lambda: self.proc.poll() is not None
                               or len(self.stub.called(ready)) > before,
                               START_TIMEOUT, "the bot to start")
        except TimeoutError:
            self.kill()
            raise AssertionError("bot did not start:\n" + self.log())
        assert self.proc.poll() is None, "bot exited at start:\n" + self.log()
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"bot did not stop within {timeout} s:\n" + self.log())

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def keyboard(message: dict) -> list[list[dict]]:
    return (message.get("reply_markup") or {}).get("inline_keyboard") or []


def button(message: dict, text: str) -> dict:
    for row in keyboard(message):
        for b in row:
            if b["text"] == text or (text.endswith("…") and b["text"].startswith(text[:-1])):
                return b
    raise AssertionError(f"no button {text!r} in {keyboard(message)}")


def page_indicator(message: dict) -> str:
    return next(b["text"] for row in keyboard(message) for b in row
                if b["callback_data"].endswith(":."))


class Chat:
    """One user's conversation with the bot through the stand-in."""

    def __init__(self, stub: BotApiStub, user_id: int, chat_id: int | None = None,
                 chat_type: str = "private") -> None:
        self.stub, self.user = stub, user_id
        self.chat_id = user_id if chat_id is None else chat_id
        self.chat_type = chat_type

    def send(self, text: str, **kw) -> dict:
        return self.stub.send_text(text, user_id=self.user, chat_id=self.chat_id,
                                   chat_type=self.chat_type, **kw)

    def ask(self, text: str, timeout: float = REPLY_TIMEOUT, **kw) -> dict:
        n = self.stub.count(self.chat_id)
        self.send(text, **kw)
        return self.stub.wait_reply(self.chat_id, n, timeout)

    def ask_media(self, kind: str, timeout: float = REPLY_TIMEOUT, **kw) -> dict:
        """Send something that is not text (tests/botapi_stub.py MEDIA); the reply."""
        n = self.stub.count(self.chat_id)
        self.stub.send_media(kind, user_id=self.user, chat_id=self.chat_id,
                             chat_type=self.chat_type, **kw)
        return self.stub.wait_reply(self.chat_id, n, timeout)

    def press(self, message: dict, data: str) -> dict:
        qid = self.stub.press(message, data, user_id=self.user)
        return self.stub.wait_callback_answer(qid, REPLY_TIMEOUT)

    def press_for_reply(self, message: dict, data: str) -> dict:
        n = self.stub.count(self.chat_id)
        self.press(message, data)
        return self.stub.wait_reply(self.chat_id, n, REPLY_TIMEOUT)

    def press_for_edit(self, message: dict, data: str) -> dict:
        key = (self.chat_id, message["message_id"])
        edits = self.stub.edits[key]
        self.press(message, data)
        return self.stub.wait_edit(message, edits + 1, REPLY_TIMEOUT)
