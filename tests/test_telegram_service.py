"""The answer service behind the bot (bot/telegram/service.py): calls run one at a time
on one worker thread, through the typed protocol; /reindex is the service's own
`reindex()` (so a pluggable answerer is rebuilt its own way); the result cache keeps
the most recently used results; the app wires a handler for every action kind and
command, and will not start without one."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import render
from bot.config import Config
from bot.telegram import commands
from bot.telegram.actions import KINDS
from bot.telegram.app import build_app
from bot.telegram.service import Result, ResultCache, Worker, load_factory
from tests.fake_answerer import FakeAnswerer


class SlowFake(FakeAnswerer):
    """Records the thread of each call and whether two ever overlapped."""

    def __init__(self, home: str | None = None) -> None:
        super().__init__(home)
        self.threads: set[str] = set()
        self.busy = False
        self.overlapped = False

    def ask(self, question, *, agency=None, scope=None):
        self.overlapped |= self.busy
        self.busy = True
        self.threads.add(threading.current_thread().name)
        time.sleep(0.01)
        self.busy = False
        return super().ask(question, agency=agency, scope=scope)


def test_calls_are_serialised_on_one_worker_thread(tmp_path):
    made: list[SlowFake] = []

    def factory(home: str) -> SlowFake:
        made.append(SlowFake(home))
        return made[-1]

    worker = Worker(factory, str(tmp_path))

    async def main() -> list:
        return await asyncio.gather(*(worker.run(lambda s: s.ask("谁负责家庭养老床位"))
                                      for _ in range(20)))
    answers = asyncio.run(main())
    worker.close()
    assert len(made) == 1 and made[0].home == str(tmp_path)  # built once, lazily
    assert all("市民政局" in a.reply for a in answers)
    assert not made[0].overlapped and len(made[0].threads) == 1
    assert threading.current_thread().name not in made[0].threads


def test_reindex_goes_through_the_service(tmp_path):
    worker = Worker(load_factory("tests.fake_answerer:FakeAnswerer"), str(tmp_path))

    async def main() -> int:
        await worker.run(lambda s: s.reindex())
        return await worker.run(lambda s: s.reindexed)
    assert asyncio.run(main()) == 1
    worker.close()
    assert not (tmp_path / "fengong.db").exists()  # no store built behind its back


def test_result_cache_keeps_the_most_recently_used():
    cache = ResultCache(size=2)
    a = cache.put(Result(1, ["a"]))
    b = cache.put(Result(1, ["b"]))
    assert cache.get(a).pages == ["a"]  # a is now the most recent
    c = cache.put(Result(1, ["c"]))
    assert cache.get(b) is None and cache.get(a) and cache.get(c)
    assert len({a, b, c}) == 3 and all(len(s) == 8 for s in (a, b, c))


def test_the_app_has_one_callback_handler_per_action_kind_and_every_command(tmp_path):
    app = build_app(Config(token="1:TEST", home=tmp_path), FakeAnswerer)
    handlers = app.handlers[0]
    patterns = [h.pattern for h in handlers if isinstance(h, CallbackQueryHandler)]
    assert patterns[:-1] == [k.matches for k in KINDS] and patterns[-1] is None  # catch-all
    commands = [c for h in handlers if isinstance(h, CommandHandler) for c in h.commands]
    assert commands == [name for name, _ in render.COMMANDS]
    app.bot_data["deps"].settings.close()


def test_a_command_without_a_handler_stops_the_start(monkeypatch):
    monkeypatch.setattr(render, "COMMANDS", (*render.COMMANDS, ("frobnicate", "x")))
    with pytest.raises(RuntimeError, match="frobnicate"):
        commands.registered()
