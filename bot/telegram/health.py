"""The connection to the Bot API: outages logged once (`ApiHealth`), and requests that
could not connect retried with back-off (`TrackingRequest`), so a reply survives an
outage of up to RETRY_FOR seconds."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import HTTPXRequest

log = logging.getLogger("fengong.telegram")

RETRY_FOR = 40.0  # seconds a request keeps retrying; an outage under 30 s loses nothing
RETRY_FIRST, RETRY_MAX = 0.5, 4.0  # back-off: 0.5, 1, 2, 4, 4, ... seconds
# Timeouts that leave no doubt the request was never sent. Other timeouts (read,
# write) may come after Telegram acted on the request: those are not retried, nor is
# BadRequest (Telegram's answer, not the network's).
_NOT_SENT_TIMEOUTS = (httpx.ConnectTimeout, httpx.PoolTimeout)


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


def worth_retrying(exc: BaseException) -> bool:
    """A failure of the connection to the Bot API (refused, reset, dropped, DNS, a
    timeout while connecting), as PTB wraps httpx's errors. A connection dropped after
    the request went out could in principle have been acted on; we accept that rare
    duplicate rather than lose replies in every outage."""
    if not isinstance(exc, NetworkError) or isinstance(exc, BadRequest):
        return False
    if isinstance(exc, TimedOut):
        return isinstance(exc.__cause__, _NOT_SENT_TIMEOUTS)
    return True


class TrackingRequest(HTTPXRequest):
    """HTTPXRequest that reports network failures and recoveries to an ApiHealth and,
    with `retry_for` > 0, sends a request again (with back-off, for at most `retry_for`
    seconds) while the connection to the API fails. getUpdates is not retried here: PTB's
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
                if not worth_retrying(exc) or time.monotonic() + delay - first > self._retry_for:
                    raise
                log.debug("%s not sent (%s); again in %.1f s", url.rsplit("/", 1)[-1],
                          exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)
                continue
            self._health.ok(started)
            return result
