"""Sending through a Bot API connection that fails (bot/telegram/health.py): what is
retried, that retries are bounded, and that an outage is logged once. The network is
a real socket: a port on 127.0.0.1 nobody listens on (connection refused)."""
from __future__ import annotations

import asyncio
import logging
import socket
import time

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.telegram import health
from bot.telegram.health import ApiHealth, TrackingRequest, worth_retrying


def _wrapped(ptb_error: type, cause: Exception) -> Exception:
    try:
        try:
            raise cause
        except Exception as err:
            raise ptb_error("wrapped") from err
    except Exception as exc:
        return exc


@pytest.mark.parametrize("exc,retried", [
    (_wrapped(NetworkError, httpx.ConnectError("refused")), True),
    (_wrapped(NetworkError, httpx.RemoteProtocolError("server disconnected")), True),
    (_wrapped(NetworkError, httpx.ReadError("reset")), True),
    (_wrapped(TimedOut, httpx.ConnectTimeout("connect")), True),
    (_wrapped(TimedOut, httpx.PoolTimeout("pool")), True),
    (_wrapped(TimedOut, httpx.ReadTimeout("read")), False),  # Telegram may have acted
    (_wrapped(TimedOut, httpx.WriteTimeout("write")), False),
    (BadRequest("chat not found"), False),
    (ValueError("not the network"), False),
])
def test_what_is_worth_retrying(exc, retried):
    assert worth_retrying(exc) is retried


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: connecting is refused


async def _send(request: TrackingRequest, port: int) -> float:
    await request.initialize()
    started = time.monotonic()
    try:
        await request.do_request(f"http://127.0.0.1:{port}/bot1:X/sendMessage", "POST")
    finally:
        await request.shutdown()
    return time.monotonic() - started


def test_a_refused_send_is_retried_with_back_off_and_gives_up_in_bounds(caplog, monkeypatch):
    monkeypatch.setattr(health, "RETRY_FIRST", 0.1)
    monkeypatch.setattr(health, "RETRY_MAX", 0.2)
    api = ApiHealth()
    request = TrackingRequest(api, retry_for=1.0)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, "fengong.telegram"):
        with pytest.raises(NetworkError):
            asyncio.run(_send(request, _closed_port()))
    took = time.monotonic() - started
    assert 0.7 <= took <= 3.0, took  # kept trying for about retry_for, then stopped
    assert api.failures >= 4  # 0.1, 0.2, 0.2, 0.2 ... apart
    assert sum("unreachable" in r.getMessage() for r in caplog.records) == 1  # once


def test_without_retry_a_refused_request_fails_at_once():
    api = ApiHealth()
    started = time.monotonic()
    with pytest.raises(NetworkError):
        asyncio.run(_send(TrackingRequest(api), _closed_port()))
    assert time.monotonic() - started < 1.0 and api.failures == 1


def test_a_send_goes_through_when_the_api_comes_back(monkeypatch):
    """Refused for about 0.6 s, then a server answers on the same port: the one send
    arrives, once, and the outage is over."""
    monkeypatch.setattr(health, "RETRY_FIRST", 0.1)
    monkeypatch.setattr(health, "RETRY_MAX", 0.2)
    port = _closed_port()
    got: list[bytes] = []

    async def main() -> float:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            got.append(await reader.readuntil(b"\r\n\r\n"))
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\n"
                         b'{"ok":true}')
            await writer.drain()
            writer.close()

        async def come_back() -> asyncio.base_events.Server:
            await asyncio.sleep(0.6)
            return await asyncio.start_server(serve, "127.0.0.1", port)

        api = ApiHealth()
        server_task = asyncio.create_task(come_back())
        took = await _send(TrackingRequest(api, retry_for=10.0), port)
        (await server_task).close()
        assert api.down_since is None and api.failures == 0  # recovered
        return took

    took = asyncio.run(main())
    assert 0.5 <= took <= 3.0, took
    assert len(got) == 1 and got[0].startswith(b"POST /bot1:X/sendMessage")
