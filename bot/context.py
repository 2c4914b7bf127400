"""What a chat's next question may refer to: the last answer, reduced to keys.

`Answer.context()` makes one; `Answerer.ask(..., context=...)` reads it. It holds keys
and small values only (no task texts), so a front end can keep one per chat (and one per
bot message, for replies in a group) for as long as it likes; deciding how long it
stays valid (10 minutes in Telegram) is the front end's business.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    intent: str  # the intent of the answer referred to: task | agency_tasks | agency_duty | deadline_tasks | documents
    tasks: tuple[tuple[str, str], ...] = ()  # (source, number) of its tasks, best first
    shown: int = 0  # how many of them it showed in full: 还有呢 continues from here
    facet: str | None = None  # who | lead | support | deadline
    agency_ids: tuple[int, ...] = ()  # the agencies it was about (它有哪些任务)
    role: str = "any"
    query: str = ""  # the task words it searched (还有呢 past its list searches again)
    jurisdictions: tuple[str, ...] = ()  # the places it was limited to
    seen: tuple[tuple[str, str], ...] = ()  # tasks shown before it in a run of 还有呢
