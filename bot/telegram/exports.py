"""The `导出Excel` button under every task list: the list's tasks are kept server-side
(an LRU like the page cache, keyed by a random id that goes into `xl:<eid>`), and a
press sends them as an .xlsx made by the answer service (Answerer.workbook).

Kept apart from replies.py so that replies can add the button without importing the
handler (working.py registers it)."""
from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bot.answer import Answer
from bot.telegram.actions import Export

EXPORT_LABEL = "导出Excel"
EXPORT_SIZE = 1000  # lists whose export button stays pressable
LIST_INTENTS = ("agency_tasks", "deadline_tasks", "documents")  # answers that are lists of tasks


@dataclass(frozen=True)
class ExportList:
    chat_id: int
    tasks: list[dict[str, Any]]
    name: str  # the file name's stem


class ExportStore:
    def __init__(self, size: int = EXPORT_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, ExportList] = OrderedDict()

    def put(self, item: ExportList) -> str:
        eid = secrets.token_urlsafe(6)
        self._items[eid] = item
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return eid

    def get(self, eid: str) -> ExportList | None:
        item = self._items.get(eid)
        if item is not None:
            self._items.move_to_end(eid)
        return item


def store_of(holder: Any) -> ExportStore:
    """The app's export store (created on first use), from a context or the Application."""
    return holder.bot_data.setdefault("exports", ExportStore())


def file_stem(answer: Answer) -> str:
    """What the file is called: the agency when the list is one agency's, else 任务清单."""
    agency = answer.agency if isinstance(answer.agency, dict) else None
    return f"{agency['canonical']}-任务" if agency else "任务清单"


def export_choice(holder: Any, chat_id: int, tasks: list[dict[str, Any]],
                  name: str = "任务清单") -> tuple[str, Export]:
    """A (label, action) choice that exports `tasks` when pressed in `chat_id`."""
    return EXPORT_LABEL, Export(store_of(holder).put(ExportList(chat_id, list(tasks), name)))


def answer_export(holder: Any, chat_id: int, answer: Answer) -> list[tuple[str, Export]]:
    """The export choice for an answer that lists tasks, none for any other answer."""
    if answer.intent not in LIST_INTENTS or not answer.tasks:
        return []
    return [export_choice(holder, chat_id, answer.tasks, file_stem(answer))]
