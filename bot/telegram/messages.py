"""Messages that are not commands: text questions, inline queries, and everything a
user may send that is not text (each gets a short useful reply, never silence)."""
from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Message, Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, ContextTypes, InlineQueryHandler, MessageHandler, filters

from bot import render
from bot.answer import EXAMPLES
from bot.telegram import uploads
from bot.telegram.gate import question_of
from bot.telegram.replies import ask
from bot.telegram.service import Deps

NEW = filters.UpdateType.MESSAGE  # not edits of old messages

# What a message holds, for the reply to a non-text message: (filter, what it is).
# Animations come first: Telegram also sets `document` on them.
NOT_TEXT = (
    (filters.ANIMATION, "动图"),
    (filters.PHOTO, "图片"),
    (filters.VOICE, "语音"),
    (filters.AUDIO, "音频"),
    (filters.VIDEO | filters.VIDEO_NOTE, "视频"),
    (filters.Sticker.ALL, "表情"),
    (filters.LOCATION | filters.VENUE, "位置"),
    (filters.CONTACT, "联系人"),
)


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = question_of(update.effective_message, context.bot.username)
    if not question:
        await update.effective_message.reply_text(render.help_text(context.bot.username))
        return
    if await uploads.typed_place(update, context, question):  # after 改地区: the place
        return
    await ask(update, context, question)


def _kind_of(message: Message) -> str | None:
    update = Update(0, message=message)
    for flt, what in NOT_TEXT:
        if flt.check_update(update):
            return what
    return None


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo, voice message, sticker, location …: ask in text, with an example."""
    await update.effective_message.reply_text(
        render.not_text_reply(_kind_of(update.effective_message)))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = update.effective_message.text or ""
    name = text.split()[0] if text.split() else text
    await update.effective_message.reply_text(
        render.unknown_command_text(name.split("@", 1)[0]))


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    text = " ".join(query.query.split())
    service = Deps.of(context).service
    if not text:  # nothing typed yet: the examples, each answered, so one tap shares an answer
        cards = await service.run(lambda s: [s.ask(q) for q in EXAMPLES])
        titles = [f"例：{q}" for q in EXAMPLES]
    else:
        cards = await service.run(lambda s: s.cards(text, 10))
        titles = [None] * len(cards)
    results = []
    for i, (card, title) in enumerate(zip(cards[:10], titles)):
        pages = render.answer_pages(list(card.blocks))
        blocks = [b for b in card.blocks if b and b.strip()]
        head, about = inline_title(card)
        results.append(InlineQueryResultArticle(
            id=f"{i}", title=render.label(title or head or (blocks[0] if blocks else text), 64),
            description=render.label(about or (blocks[1] if len(blocks) > 1 else ""), 120) or None,
            input_message_content=InputTextMessageContent(pages[0], parse_mode=ParseMode.HTML),
        ))
    await query.answer(results, cache_time=60 if text else 300, is_personal=False)


def inline_title(card) -> tuple[str, str]:
    """An inline result's title (the task) and description (its lead and deadline)."""
    if card.intent != "task" or not card.tasks:
        return "", ""
    t = card.tasks[0]
    who = ("牵头：" + "、".join(t["lead"])) if t["lead"] else \
        ("责任单位：" + "、".join(t["responsible"])) if t["responsible"] else ""
    when = ("完成时限：" + "、".join(t["deadlines"])) if t["deadlines"] else ""
    return t["title"] or t["task"], "｜".join(x for x in (who, when) if x)


def handlers() -> list[BaseHandler]:
    """In order: text questions, unknown commands (after every CommandHandler), anything
    else that is not text, files (an admin adding a document), inline queries."""
    return [
        MessageHandler(filters.TEXT & ~filters.COMMAND & NEW, text_message),
        MessageHandler(filters.COMMAND & NEW, unknown_command),
        MessageHandler(NEW & ~filters.TEXT & ~filters.Document.ALL & ~filters.StatusUpdate.ALL
                       | NEW & filters.ANIMATION, not_text),
        MessageHandler(filters.Document.ALL & NEW, uploads.document),  # uploads.py: adding a document
        InlineQueryHandler(inline_query),
    ]
