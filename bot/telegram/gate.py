"""Who may talk to the bot and when it listens: the allow-list, the group addressing
rules, the admin check; and the error handler, the last word on any failure."""
from __future__ import annotations

import logging
import re

from telegram import InlineQueryResultsButton, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.telegram.service import Deps

log = logging.getLogger("fengong.telegram")

REFUSAL = "抱歉，这个机器人只在指定的聊天中提供服务。"
FAILED = "抱歉，出了点问题，请稍后再试。"
ADMINS_ONLY = "抱歉，只有管理员可以{what}。"


def _is_mention_of(message: Message, entity: MessageEntity, username: str | None,
                   bot_id: int) -> bool:
    if entity.type == MessageEntity.TEXT_MENTION:
        return bool(entity.user and entity.user.id == bot_id)
    if entity.type == MessageEntity.MENTION and username:
        return message.parse_entity(entity).lower() == "@" + username.lower()
    return False


def addressed_to_me(message: Message, username: str | None, bot_id: int) -> bool:
    """In a group: a command for us, a mention of us (in the text or a caption), or a
    reply to one of our messages."""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return True
    for entity in message.entities or ():
        if _is_mention_of(message, entity, username, bot_id):
            return True
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            command = message.parse_entity(entity)
            _, _, target = command.partition("@")
            if not target or (username and target.lower() == username.lower()):
                return True
    for entity in message.caption_entities or ():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user:
            if entity.user.id == bot_id:
                return True
        elif entity.type == MessageEntity.MENTION and username:
            if message.parse_caption_entity(entity).lower() == "@" + username.lower():
                return True
    return False


def question_of(message: Message, username: str | None) -> str:
    """The message's text without the @mention of us, whitespace squashed."""
    text = message.text or ""
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


async def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE, what: str) -> bool:
    """True for a user in FENGONG_ADMINS; anyone else is told only admins may `what`."""
    user = update.effective_user
    if user is not None and user.id in Deps.of(context).config.admins:
        return True
    await update.effective_message.reply_text(ADMINS_ONLY.format(what=what))
    return False


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: silence in groups unless addressed, allow-list."""
    config = Deps.of(context).config
    message = update.message
    chat = update.effective_chat
    if message is None and update.callback_query is None and update.inline_query is None:
        raise ApplicationHandlerStop  # edits, channel posts, member updates: not for us
    if message is not None and chat is not None and chat.type != ChatType.PRIVATE:
        if not addressed_to_me(message, context.bot.username, context.bot.id):
            raise ApplicationHandlerStop
    if update.inline_query is not None:
        if not config.chat_allowed(update.inline_query.from_user.id):
            await update.inline_query.answer(
                [], cache_time=0, is_personal=True,
                button=InlineQueryResultsButton(text="未获授权使用", start_parameter="denied"))
            raise ApplicationHandlerStop
        return
    if chat is not None and not config.chat_allowed(chat.id):
        log.info("Refused chat %s (%s)", chat.id, chat.type)
        if update.callback_query is not None:
            await update.callback_query.answer(REFUSAL, show_alert=True)
        elif message is not None:
            await message.reply_text(REFUSAL)
        raise ApplicationHandlerStop


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    err = context.error
    if isinstance(err, NetworkError) and not isinstance(err, BadRequest):
        # Outages are logged once by ApiHealth; sends were retried by TrackingRequest
        # and PTB retries polling with back-off. (BadRequest is a NetworkError subclass
        # in PTB, but it is our mistake or a refusal by Telegram, e.g. "chat not found":
        # logged below, the user told.)
        log.debug("Network error: %s", err)
        return
    log.error("Error while handling an update", exc_info=err)
    if isinstance(update, Update):
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(FAILED)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(FAILED)
        except TelegramError:
            pass
