"""What a chat's next question refers to (issue #12, follow-ups): each chat keeps its last
answer's context (bot/context.py) for ten minutes, and the bot's recent messages keep
theirs, so that in a group a reply to one of them refers to that message.

什么时候完成 / 那配合单位呢 / 还有呢 / 第二个 are understood by the answer pipeline
(`Answerer.ask(..., context=...)`); this module only decides which context a question
gets. In memory: lost on restart, which only means the next follow-up asks again.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Callable

from telegram import Message

from bot.context import Context

TTL_SECONDS = 600  # a chat's last answer stays the referent this long
MAX_CHATS = 5000
MAX_MESSAGES = 5000  # bot messages whose context a reply can still reach


class Conversations:
    """Contexts by chat (expiring) and by the bot's message (bounded, oldest dropped)."""

    def __init__(self, ttl: float = TTL_SECONDS, max_chats: int = MAX_CHATS,
                 max_messages: int = MAX_MESSAGES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_chats, self.max_messages, self.clock = ttl, max_chats, max_messages, clock
        self._chats: OrderedDict[int, tuple[float, Context]] = OrderedDict()
        self._messages: OrderedDict[tuple[int, int], Context] = OrderedDict()

    def remember(self, chat_id: int, message_id: int | None, context: Context | None) -> None:
        """The bot answered in `chat_id` (with message `message_id`, when known); `context`
        is that answer's (None: the answer leaves nothing to refer to, so neither does the chat)."""
        self._chats.pop(chat_id, None)
        if context is not None:
            self._chats[chat_id] = (self.clock(), context)
            _bound(self._chats, self.max_chats)
        if message_id is not None:
            self.remember_message(chat_id, message_id, context)

    def remember_message(self, chat_id: int, message_id: int, context: Context | None) -> None:
        """What a reply to the bot's message `message_id` refers to."""
        if context is not None:
            self._messages[(chat_id, message_id)] = context
            _bound(self._messages, self.max_messages)

    def of_chat(self, chat_id: int) -> Context | None:
        held = self._chats.get(chat_id)
        if held is None:
            return None
        if self.clock() - held[0] > self.ttl:
            del self._chats[chat_id]
            return None
        return held[1]

    def of_message(self, chat_id: int, message_id: int) -> Context | None:
        return self._messages.get((chat_id, message_id))

    def for_question(self, message: Message | None, chat_id: int, bot_id: int) -> Context | None:
        """The context a question refers to: a reply to one of the bot's messages refers
        to that message (and only to it: a reply to an answer we no longer hold gets
        none, rather than some other answer); anything else to the chat's last answer."""
        replied = message.reply_to_message if message is not None else None
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
            return self.of_message(chat_id, replied.message_id)
        return self.of_chat(chat_id)


def _bound(items: OrderedDict, size: int) -> None:
    while len(items) > size:
        items.popitem(last=False)


def conversations(holder: Any) -> Conversations:
    """The application's Conversations (in bot_data, created on first use), from a
    handler's context or the Application."""
    found = holder.bot_data.get("conversations")
    if found is None:
        found = holder.bot_data["conversations"] = Conversations()
    return found
