"""Turning answers into Telegram HTML messages: escaping, splitting, paging, keyboards.

Pure functions over plain data; no Telegram imports. A keyboard is a list of rows,
a row a list of `Button(text, data)` where `data` is the callback data.

Sizes are counted the way Telegram counts message length: in UTF-16 code units. We
count the HTML source (tags and entities included), which is never shorter than the
text Telegram measures after parsing, so a page that fits here fits there.

Callback data (what a button does) is typed in bot/telegram/actions.py, a plain module
with no Telegram imports; the keyboards here take their data from it.
"""
from __future__ import annotations

import html
from typing import Iterable, NamedTuple, Sequence

from bot.answer import EXAMPLES
from bot.telegram.actions import Example, Page

TELEGRAM_LIMIT = 4096  # max message length
PAGE_CHARS = 3500  # one phone screen, give or take
PAGE_ITEMS = 12  # one-line list items: about a phone screen
BUTTON_LABEL_MAX = 40
EMPTY_REPLY = "没有找到相关内容。"


class Button(NamedTuple):
    text: str
    data: str


Keyboard = list[list[Button]]


def esc(text: object) -> str:
    """Escape a dynamic string for parse_mode HTML (<, >, &, and quotes)."""
    return html.escape(str(text), quote=True)


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _cost(ch: str) -> int:
    return tg_len(esc(ch))


# Where to prefer cutting a long text, best first: line ends, then sentence ends,
# then clause ends, then spaces. The cut goes after the character.
_BREAKS = ("\n", "。；;！!？?", "，,、：:", " \t")


def split_plain(text: str, limit: int) -> list[str]:
    """Cut plain text into pieces whose escaped form is at most `limit` units long.

    Cuts at a line end when one is in the second half of the piece, else at the
    latest sentence or clause end or space there, else anywhere. Never produces an
    empty piece, never cuts inside an HTML entity (we cut plain text, escape later)."""
    if limit < 8:  # the longest escape of one character is 6 ("&quot;"), emoji are 2
        raise ValueError("limit too small")
    pieces: list[str] = []
    rest = text.strip("\n")
    while rest:
        total = 0
        end = 0
        for ch in rest:
            c = _cost(ch)
            if total + c > limit:
                break
            total += c
            end += 1
        if end == len(rest):
            pieces.append(rest)
            break
        cut = end
        window = rest[:end]
        for chars in _BREAKS:
            pos = max(window.rfind(ch) for ch in chars)
            if pos + 1 > end // 2:
                cut = pos + 1
                break
        piece = rest[:cut].rstrip("\n")
        if piece:
            pieces.append(piece)
        rest = rest[cut:].lstrip("\n")
    return pieces


def paginate(blocks: Sequence[str], *, max_chars: int = PAGE_CHARS,
             max_items: int = PAGE_ITEMS) -> list[str]:
    """Page an answer's blocks (blocks[0] the header, then one block per item) into
    HTML pages of at most `max_chars` units and `max_items` items each.

    A one-line header tops every page in bold; an empty header is left out; a header
    of several lines (a whole short reply) or a very long one is paged like an item.
    An item too long for a page is split into several pieces, each counted as an
    item. No content: no pages."""
    if not blocks:
        return []
    header = blocks[0].strip("\n") if blocks[0] and blocks[0].strip() else ""
    items = [b.strip("\n") for b in blocks[1:] if b and b.strip()]
    head = f"<b>{esc(header)}</b>" if header else ""
    if header and ("\n" in header or tg_len(head) > max_chars // 4):
        head, items = "", [header, *items]
    if not head and not items:
        return []
    sep = 2  # "\n\n"
    budget = max_chars - (tg_len(head) + sep if head else 0)
    pieces: list[str] = []
    for item in items:
        if tg_len(esc(item)) <= budget:
            pieces.append(esc(item))
        else:
            pieces.extend(esc(p) for p in split_plain(item, budget))
    pages: list[list[str]] = []
    current: list[str] = []
    used = 0
    for piece in pieces:
        cost = tg_len(piece) + (sep if current else 0)
        if current and (len(current) >= max_items or used + cost > budget):
            pages.append(current)
            current, used, cost = [], 0, tg_len(piece)
        current.append(piece)
        used += cost
    if current or not pages:
        pages.append(current)
    return ["\n\n".join(([head] if head else []) + page) for page in pages]


def answer_pages(blocks: Sequence[str]) -> list[str]:
    """The pages of an answer; a polite line when it has no content at all."""
    return paginate(blocks) or [esc(EMPTY_REPLY)]


# --- keyboards ---------------------------------------------------------------------

def label(text: str, limit: int = BUTTON_LABEL_MAX) -> str:
    """A button label: one line, at most `limit` characters (labels are not HTML)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pager_row(sid: str, index: int, total: int) -> list[Button]:
    """« 上一页 | x/y | 下一页 » (the arrows only where there is a page to go to)."""
    if total <= 1:
        return []
    row = []
    if index > 0:
        row.append(Button("« 上一页", Page(sid, index - 1).encode()))
    row.append(Button(f"{index + 1}/{total}", Page(sid, None).encode()))
    if index < total - 1:
        row.append(Button("下一页 »", Page(sid, index + 1).encode()))
    return row


def one_per_row(buttons: Iterable[Button]) -> Keyboard:
    return [[b] for b in buttons]


# --- fixed texts -------------------------------------------------------------------

# EXAMPLES (imported above): the pipeline's own example questions, buttons of /start.

COMMANDS = (
    ("start", "介绍与示例问题"),
    ("help", "使用说明"),
    ("who", "谁负责：/who 关键词"),
    ("tasks", "某单位的任务：/tasks 单位"),
    ("iam", "绑定我的单位：/iam 单位"),
    ("my", "我的单位工作台：按角色、时限筛选"),
    ("scope", "限定地区：/scope 地区 或 全部"),
    ("due", "到期任务：/due 或 /due 今年、2025年底前"),
    ("remind", "到期提醒：/remind 08:30、/remind off"),
    ("docs", "收录的分工文件"),
    ("reindex", "重建索引（管理员）"),
)


def start_text() -> str:
    return (
        "<b>分工助手</b>\n"
        "我根据政府重点任务分工表回答：某项任务由谁牵头、谁配合、什么时限完成，"
        "某个单位负责哪些任务。\n\n"
        "直接发问题就行，也可以点下面的示例："
    )


def start_keyboard() -> Keyboard:
    return one_per_row(Button(label(q), Example(i).encode()) for i, q in enumerate(EXAMPLES))


def help_text(bot_username: str | None = None) -> str:
    lines = [
        "<b>使用说明</b>",
        "直接用中文提问，例如：",
        *(f"• {esc(q)}" for q in EXAMPLES),
        "",
        "<b>命令</b>",
        *_commands_lines(),
        "",
        "在群里：@我 或回复我的消息来提问。",
    ]
    if bot_username:
        lines.append(f"在任意聊天中输入 @{esc(bot_username)} 关键词，可以插入任务卡片。")
    return "\n".join(lines)


def documents_blocks(documents: Sequence[dict]) -> list[str]:
    """/docs as answer blocks: a header, then one block per document."""
    if not documents:
        return ["还没有收录任何文件。"]
    blocks = [f"收录的分工文件（{len(documents)}份）"]
    for d in documents:
        region = f"［{d['jurisdiction']}］" if d.get("jurisdiction") else ""
        blocks.append(f"{region}{d.get('title') or d.get('id') or ''} — {d.get('tasks', 0)}项任务")
    return blocks


def agency_label(agency: dict) -> str:
    region = agency.get("jurisdiction")
    name = agency.get("canonical") or ""
    return f"{name}（{region}）" if region else name


def _commands_lines() -> list[str]:
    return [f"/{name} — {esc(desc)}" for name, desc in COMMANDS]


def not_text_reply(kind: str | None) -> str:
    """The reply to a photo, voice message, sticker, location …: ask in text."""
    got = f"收到{esc(kind)}，不过" if kind else ""
    return (f"{got}我只能读文字问题。请用文字提问，例如：\n"
            f"• {esc(EXAMPLES[0])}\n• {esc(EXAMPLES[1])}\n发送 /help 查看更多用法。")


def unknown_command_text(command: str) -> str:
    """The reply to a /command we do not have: the command list."""
    return "\n".join([f"没有这个命令：{esc(label(command, 32))}", "", "<b>可用的命令</b>",
                      *_commands_lines(), "", "也可以直接用中文提问。"])
