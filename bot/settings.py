"""Per-user settings of the Telegram bot: the agency a user bound with /iam and the
jurisdiction chosen with /scope.

One small SQLite table under FENGONG_HOME, in WAL mode, autocommit: every write is
committed before the call returns, so a setting survives a restart and a SIGKILL.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS user_settings (
    user_id       INTEGER PRIMARY KEY,
    agency_id     INTEGER,
    agency_name   TEXT,
    agency_region TEXT,
    scope         TEXT,
    updated       REAL NOT NULL
)
"""


@dataclass(frozen=True)
class UserSettings:
    user_id: int
    agency_id: int | None = None
    agency_name: str | None = None  # the agency's canonical name, passed to Answerer.ask
    agency_region: str | None = None  # its jurisdiction, for display
    scope: str | None = None  # a jurisdiction name; None means all


def open_settings_db(path: Path, schema: str) -> tuple[sqlite3.Connection, threading.Lock]:
    """The settings file (users, reminders), with `schema` created: WAL, autocommit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: autocommit, each statement is its own transaction.
    db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    lock = threading.Lock()
    with lock:
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process in WAL mode (not against power loss).
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=5000")
        db.execute(schema)
    return db, lock


class SettingsStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db, self._lock = open_settings_db(self.path, _SCHEMA)

    def get(self, user_id: int) -> UserSettings:
        with self._lock:
            row = self._db.execute(
                "SELECT agency_id, agency_name, agency_region, scope FROM user_settings"
                " WHERE user_id = ?",
                (user_id,),
            ).fetchone()
        if row is None:
            return UserSettings(user_id)
        return UserSettings(user_id, *row)

    def _upsert(self, user_id: int, **values: object) -> None:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in values)
        sql = (
            f"INSERT INTO user_settings (user_id, {cols}, updated) VALUES (?, {marks}, ?)"
            f" ON CONFLICT(user_id) DO UPDATE SET {updates}, updated = excluded.updated"
        )
        with self._lock:
            self._db.execute(sql, (user_id, *values.values(), time.time()))

    def set_agency(self, user_id: int, agency_id: int | None, name: str | None,
                   region: str | None = None) -> None:
        self._upsert(user_id, agency_id=agency_id, agency_name=name, agency_region=region)

    def set_scope(self, user_id: int, scope: str | None) -> None:
        self._upsert(user_id, scope=scope)

    def close(self) -> None:
        with self._lock:
            self._db.close()
