"""Configuration of the Telegram front end, read from the environment.

Every setting is an environment variable (see docs/telegram.md):

    TELEGRAM_BOT_TOKEN      the token from BotFather (required to run the bot)
    TELEGRAM_API_BASE       Bot API base URL; the token is appended to it
                            (default https://api.telegram.org/bot)
    TELEGRAM_FILE_BASE      file download base URL; the token and file path are appended
                            (default TELEGRAM_API_BASE with its final /bot -> /file/bot)
    FENGONG_ADMINS          comma-separated Telegram user ids allowed to /reindex and
                            to add and remove documents
    FENGONG_ALLOWED_CHATS   comma-separated chat ids; when set, other chats are refused
    FENGONG_WEBHOOK_URL     public HTTPS URL; when set the bot runs in webhook mode
    FENGONG_WEBHOOK_SECRET  secret token Telegram sends with every webhook call
                            (A-Z a-z 0-9 _ -, 1..256 chars; random per run when unset)
    PORT                    local port the webhook server listens on (default 8443)
    FENGONG_WEBHOOK_LISTEN  local address the webhook server binds (default 0.0.0.0)
    FENGONG_HOME            data folder: store, settings (default <project>/var)
    FENGONG_ANSWERER        "module:callable" building the answerer from a home folder
                            (default bot.answer:Answerer; the tests use a fake)
"""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_API_BASE = "https://api.telegram.org/bot"
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _ids(name: str, raw: str | None) -> frozenset[int]:
    out = set()
    for part in (raw or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.add(int(part))
        except ValueError:
            raise ConfigError(f"{name}: {part!r} is not a numeric Telegram id") from None
    return frozenset(out)


def file_base_for(api_base: str) -> str:
    """The file download base that goes with an API base: .../bot -> .../file/bot."""
    base = api_base.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


@dataclass(frozen=True)
class Config:
    token: str
    api_base: str = DEFAULT_API_BASE
    file_base: str = ""
    admins: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] | None = None  # None: every chat may use the bot
    webhook_url: str | None = None
    webhook_secret: str = field(default="", repr=False)
    port: int = 8443
    listen: str = "0.0.0.0"
    home: Path = PROJECT_DIR / "var"
    answerer: str = "bot.answer:Answerer"

    def __post_init__(self) -> None:
        if not self.file_base:
            object.__setattr__(self, "file_base", file_base_for(self.api_base))

    def __repr__(self) -> str:  # never print the token
        return (
            f"Config(api_base={self.api_base!r}, admins={sorted(self.admins)}, "
            f"allowed_chats={None if self.allowed_chats is None else sorted(self.allowed_chats)}, "
            f"webhook_url={self.webhook_url!r}, port={self.port}, home={str(self.home)!r})"
        )

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_url)

    @property
    def settings_path(self) -> Path:
        return self.home / "telegram-settings.sqlite3"

    def chat_allowed(self, chat_id: int | None) -> bool:
        return self.allowed_chats is None or chat_id in self.allowed_chats

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Config":
        env = os.environ if env is None else env
        token = (env.get("TELEGRAM_BOT_TOKEN") or "").strip()
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
        allowed_raw = (env.get("FENGONG_ALLOWED_CHATS") or "").strip()
        webhook_url = (env.get("FENGONG_WEBHOOK_URL") or "").strip() or None
        secret = (env.get("FENGONG_WEBHOOK_SECRET") or "").strip()
        if secret and not _SECRET_RE.match(secret):
            raise ConfigError("FENGONG_WEBHOOK_SECRET: use 1-256 characters of A-Z a-z 0-9 _ -")
        if webhook_url and not secret:
            secret = secrets.token_urlsafe(32)
        port_raw = (env.get("PORT") or "8443").strip()
        try:
            port = int(port_raw)
        except ValueError:
            raise ConfigError(f"PORT: {port_raw!r} is not a number") from None
        home = Path(env.get("FENGONG_HOME") or PROJECT_DIR / "var").expanduser()
        return cls(
            token=token,
            api_base=(env.get("TELEGRAM_API_BASE") or DEFAULT_API_BASE).strip(),
            file_base=(env.get("TELEGRAM_FILE_BASE") or "").strip(),
            admins=_ids("FENGONG_ADMINS", env.get("FENGONG_ADMINS")),
            allowed_chats=_ids("FENGONG_ALLOWED_CHATS", allowed_raw) if allowed_raw else None,
            webhook_url=webhook_url,
            webhook_secret=secret,
            port=port,
            listen=(env.get("FENGONG_WEBHOOK_LISTEN") or "0.0.0.0").strip(),
            home=home,
            answerer=(env.get("FENGONG_ANSWERER") or "bot.answer:Answerer").strip(),
        )
