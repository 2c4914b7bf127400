"""The answer service behind the bot: its typed interface (`AnswerService`), the one
worker thread that runs it (`Worker`), the cache of answers already sent
(`ResultCache`) and everything a handler needs, in one typed bundle (`Deps`)."""
from __future__ import annotations

import asyncio
import importlib
import logging
import secrets
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, TypeVar

from bot.answer import Answer
from bot.config import Config
from bot.settings import SettingsStore
from bot.telegram.actions import Action
from bot.telegram.health import ApiHealth

log = logging.getLogger("fengong.telegram")

CACHE_SIZE = 1000  # answers whose pages/choices stay pressable
T = TypeVar("T")


class AnswerService(Protocol):
    """What the front end asks of the answer pipeline (bot.answer.Answerer is one;
    tests/fake_answerer.py another). Built from the home folder by a factory."""

    def ask(self, question: str, *, agency: str | int | None = None,
            scope: str | None = None, context: Any = None) -> Answer:
        """`context`: the chat's last answer's bot.context.Context (follow-ups), or None."""
        ...

    def task(self, source: str, number: str, facet: str = "who") -> Answer: ...

    def agency_tasks(self, agency_id: int, role: str = "any") -> Answer: ...

    def find_agencies(self, name: str) -> list[dict]: ...

    def cards(self, query: str, limit: int = 10) -> list[Answer]: ...

    def agency(self, agency_id: int) -> dict | None: ...

    def documents(self) -> list[dict]: ...

    def due(self, words: str = "", agency_id: int | None = None, role: str = "any") -> Answer:
        """`/due`: tasks due in the period `words` names (no words: overdue and due within
        30 days), of the agency when given."""
        ...

    def digest(self, agency_id: int, today: Any = None) -> dict:
        """{"agency", "overdue", "due_soon", "next_due", "reply"} of one agency."""
        ...

    def workbook(self, tasks: list[dict], today: Any = None) -> bytes:
        """The .xlsx bytes of a task list (导出Excel)."""
        ...

    def jurisdictions(self) -> list[str]: ...

    def reindex(self) -> None:
        """Rebuild the store from the documents and answer from it from now on; a failed
        build raises and leaves the service answering from the old store."""
        ...

    def refresh(self) -> bool:
        """Load again when the store changed (a document added or removed by another
        process, or a rebuild); True when it did. Cheap when nothing changed."""
        ...

    def close(self) -> None: ...


ServiceFactory = Callable[[str], AnswerService]


def load_factory(spec: str) -> ServiceFactory:
    """"module:callable" (FENGONG_ANSWERER) → the factory; callable defaults to Answerer."""
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr or "Answerer")


class Worker:
    """The answer service on one worker thread: calls are serialised (the service need
    not be thread-safe), run on the thread that built it, and never block the event
    loop. `await worker.run(lambda s: s.ask(q))`: typed, no dispatch by name."""

    def __init__(self, factory: ServiceFactory, home: str) -> None:
        self._factory = factory
        self._home = home
        self._service: AnswerService | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="answerer")

    def _get(self) -> AnswerService:
        if self._service is None:
            started = time.monotonic()
            self._service = self._factory(self._home)
            log.info("Answer pipeline loaded in %.2f s", time.monotonic() - started)
        elif self._service.refresh():  # a document came or went since the last call
            log.info("Answer pipeline reloaded: the store changed")
        return self._service

    async def run(self, job: Callable[[AnswerService], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, lambda: job(self._get()))

    def warm_up(self) -> None:
        def load() -> None:
            try:
                self._get()
            except Exception:
                log.exception("Could not load the answer pipeline (will retry on the next question)")
        self._pool.submit(load)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Result:
    """An answer already sent: its pages and the actions behind its choice buttons."""

    chat_id: int
    pages: list[str]
    choices: list[tuple[str, Action]] = field(default_factory=list)  # (label, action)


class ResultCache:
    """An in-memory LRU of results, keyed by a random 8-character id that goes into
    Page and Pick callback data. Lost on restart: those buttons then say "expired"."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, Result] = OrderedDict()

    def put(self, result: Result) -> str:
        sid = secrets.token_urlsafe(6)  # 8 characters of [A-Za-z0-9_-]
        self._items[sid] = result
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return sid

    def get(self, sid: str) -> Result | None:
        result = self._items.get(sid)
        if result is not None:
            self._items.move_to_end(sid)
        return result


@dataclass
class Deps:
    """Everything a handler needs, kept in bot_data["deps"]."""

    config: Config
    service: Worker
    settings: SettingsStore
    cache: ResultCache
    health: ApiHealth | None = None

    @staticmethod
    def of(holder: Any) -> "Deps":
        """From a handler's context or the Application (anything with bot_data)."""
        return holder.bot_data["deps"]
