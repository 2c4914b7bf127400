"""Logging for the bot: the token never reaches a log line, httpx is quiet."""
from __future__ import annotations

import logging
from urllib.parse import quote

from bot.config import Config

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class TokenRedactor(logging.Filter):
    """Replaces the bot token (and webhook secret) in every log record, including
    formatted exceptions, e.g. httpx's request URLs /bot<token>/getUpdates."""

    def __init__(self, *secret_values: str) -> None:
        super().__init__()
        values = set()
        for v in secret_values:
            if v:
                values.update({v, quote(v, safe="")})
                _, _, tail = v.partition(":")
                if len(tail) >= 16:  # the secret half of a real token
                    values.add(tail)
        self._values = sorted(values, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for v in self._values:
            if v in text:
                text = text.replace(v, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._values:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup_logging(config: Config) -> None:
    """Redact the token in every root handler's output; quiet httpx's per-request lines."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format=LOG_FORMAT, level=logging.INFO)
    redactor = TokenRedactor(config.token, config.webhook_secret)
    for handler in root.handlers:
        if not any(isinstance(f, TokenRedactor) for f in handler.filters):
            handler.addFilter(redactor)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
