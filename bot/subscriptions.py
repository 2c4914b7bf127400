"""Reminder subscriptions of the Telegram bot (`/remind`): which chat gets its digest at
what time, kept in the settings file (telegram-settings.sqlite3) in a table of its own.

One row per chat. `user_id` is who subscribed: the digest is of the agency that user
has bound (/iam) when the reminder fires, so re-binding needs no new /remind. Times
are wall-clock times in Asia/Shanghai; `weekday` is None for every day, else 0-6 for
Monday-Sunday (Python's `date.weekday()`). Autocommit, WAL: a subscription is on disk
before /remind answers, so a restart schedules it again.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import time as dtime
from pathlib import Path

from bot.settings import open_settings_db

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reminders (
    chat_id  INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL,
    weekday  INTEGER,
    at       TEXT NOT NULL,
    updated  REAL NOT NULL
)
"""


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    user_id: int
    at: dtime  # Asia/Shanghai wall-clock time (hh:mm; seconds only in tests)
    weekday: int | None = None  # None: every day; 0 = Monday … 6 = Sunday


class SubscriptionStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db, self._lock = open_settings_db(self.path, _SCHEMA)

    @staticmethod
    def _row(row: tuple) -> Subscription:
        chat_id, user_id, weekday, at = row
        return Subscription(chat_id, user_id, dtime.fromisoformat(at), weekday)

    def get(self, chat_id: int) -> Subscription | None:
        with self._lock:
            row = self._db.execute("SELECT chat_id, user_id, weekday, at FROM reminders"
                                   " WHERE chat_id = ?", (chat_id,)).fetchone()
        return None if row is None else self._row(row)

    def all(self) -> list[Subscription]:
        with self._lock:
            rows = self._db.execute("SELECT chat_id, user_id, weekday, at FROM reminders"
                                    " ORDER BY chat_id").fetchall()
        return [self._row(r) for r in rows]

    def put(self, sub: Subscription) -> None:
        """Subscribe the chat, replacing what it had (one reminder per chat)."""
        with self._lock:
            self._db.execute(
                "INSERT INTO reminders (chat_id, user_id, weekday, at, updated)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET"
                " user_id = excluded.user_id, weekday = excluded.weekday, at = excluded.at,"
                " updated = excluded.updated",
                (sub.chat_id, sub.user_id, sub.weekday, sub.at.isoformat(), time.time()))

    def put_many(self, subs: list[Subscription]) -> None:
        """Many at once, in one transaction (tests and imports)."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO reminders (chat_id, user_id, weekday, at, updated)"
                " VALUES (?, ?, ?, ?, ?)",
                [(s.chat_id, s.user_id, s.weekday, s.at.isoformat(), time.time()) for s in subs])
            self._db.execute("COMMIT")

    def delete(self, chat_id: int) -> bool:
        """Unsubscribe; True when there was something to remove."""
        with self._lock:
            return self._db.execute("DELETE FROM reminders WHERE chat_id = ?",
                                    (chat_id,)).rowcount > 0

    def close(self) -> None:
        with self._lock:
            self._db.close()
