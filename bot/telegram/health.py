"""The connection to the Bot API: outages logged once (`ApiHealth`), and requests that
could not connect retried with back-off (`TrackingRequest`), so a reply survives an
outage of up to RETRY_FOR seconds."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
from telegram.error import NetworkError
from telegram.request import HTTPXRequest

log = logging.getLogger("fengong.telegram")

RETRY_FOR = 40.0  # seconds a request keeps retrying; an outage under 30 s loses nothing
RETRY_FIRST, RETRY_MAX = 0.5, 4.0  # back-off: 0.5, 1, 2, 4, 4, ... seconds
# Errors where the request never reached the server, so sending it again cannot
# duplicate a message. A read timeout or a dropped response may come after Telegram
# acted on the request: those are not retried.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)


class ApiHealth:
    """Logs an outage of the Bot API once when it starts and once when it ends, however
    many retries (PTB's for polling, ours for sending) are made in between."""

    def __init__(self) -> None:
        self.down_since: float | None = None
        self.failures = 0

    def failed(self, exc: Exception) -> None:
        self.failures += 1
        if self.down_since is None:
            self.down_since = time.monotonic()
            log.warning("Telegram Bot API unreachable (%s: %s); retrying with back-off",
                        type(exc).__name__, exc)

    def ok(self, started: float) -> None:
        """A request that `started` (monotonic time) succeeded. One already in flight
        when the outage was noticed proves nothing about recovery."""
        if self.down_since is not None and started >= self.down_since:
            log.warning("Telegram Bot API reachable again after %.1f s (%d failed requests)",
                        time.monotonic() - self.down_since, self.failures)
            self.down_since, self.failures = None, 0


def not_sent(exc: BaseException) -> bool:
    """True when `exc` (PTB's wrapping of an httpx error) means no byte reached the API."""
    return isinstance(exc, NetworkError) and isinstance(exc.__cause__, _NOT_SENT)


class TrackingRequest(HTTPXRequest):
    """HTTPXRequest that reports network failures and recoveries to an ApiHealth and,
    with `retry_for` > 0, sends a request again (with back-off, for at most `retry_for`
    seconds) while the connection cannot be made. getUpdates is not retried here: PTB's
    polling loop has its own back-off."""

    def __init__(self, health: ApiHealth, *, retry_for: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._health = health
        self._retry_for = retry_for

    async def do_request(self, url: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        first = time.monotonic()
        delay = RETRY_FIRST
        while True:
            started = time.monotonic()
            try:
                result = await super().do_request(url, *args, **kwargs)
            except NetworkError as exc:
                self._health.failed(exc)
                if not not_sent(exc) or time.monotonic() + delay - first > self._retry_for:
                    raise
                log.debug("%s not sent (%s); again in %.1f s", url.rsplit("/", 1)[-1],
                          exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)
                continue
            self._health.ok(started)
            return result
