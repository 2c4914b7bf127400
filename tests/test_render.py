"""Unit tests of bot/render.py: escaping, splitting, paging, callback data."""
from __future__ import annotations

import html
import logging
import re

import pytest
from hypothesis import given, settings, strategies as st

from bot import render
from bot.render import (
    PAGE_CHARS,
    PAGE_ITEMS,
    TELEGRAM_LIMIT,
    esc,
    paginate,
    split_plain,
    tg_len,
)
from bot.telegram.actions import AgencyTasks, Example, OpenTask, Page, Pick, data_for
from bot.telegram.actions import decode as parse_callback
from tests.botapi_stub import ApiError, parse_html

HOSTILE = 'A&B <联合> "办" \'x\''


def visible(page_html: str) -> str:
    """The text Telegram shows for a page (and proof it parses as Telegram HTML)."""
    return parse_html(page_html)[0]


# --- escaping --------------------------------------------------------------------------

def test_escape_specials_in_agency_names_and_questions():
    escaped = esc(HOSTILE)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert "&amp;" in escaped and "&lt;" in escaped and "&gt;" in escaped and "&quot;" in escaped
    assert html.unescape(escaped) == HOSTILE
    assert visible(escaped) == HOSTILE


def test_pages_escape_header_and_items():
    pages = paginate([f"{HOSTILE}的任务", f"牵头：{HOSTILE}", "a < b && c > d"])
    assert len(pages) == 1
    assert pages[0].startswith("<b>") and "</b>" in pages[0]
    assert visible(pages[0]) == f"{HOSTILE}的任务\n\n牵头：{HOSTILE}\n\na < b && c > d"


def test_stub_rejects_unescaped_text():
    # The end-to-end tests lean on this: unescaped dynamic text is a 400, as on Telegram.
    for bad in ("a <联合> b", "A&B", "<b>open", "x</i>"):
        with pytest.raises(ApiError):
            parse_html(bad)


# --- splitting -------------------------------------------------------------------------

def test_split_exactly_at_limit_is_one_piece():
    text = "字" * TELEGRAM_LIMIT
    assert split_plain(text, TELEGRAM_LIMIT) == [text]


def test_split_one_over_limit_is_two_pieces():
    text = "字" * (TELEGRAM_LIMIT + 1)
    pieces = split_plain(text, TELEGRAM_LIMIT)
    assert [len(p) for p in pieces] == [TELEGRAM_LIMIT, 1]


def test_split_counts_escaped_length_and_never_cuts_an_entity():
    text = "&" * 5000  # each escapes to "&amp;", 5 units
    pieces = split_plain(text, TELEGRAM_LIMIT)
    assert "".join(pieces) == text
    assert all(tg_len(esc(p)) <= TELEGRAM_LIMIT for p in pieces)
    assert all(visible(esc(p)) == p for p in pieces)


def test_split_counts_utf16_units_for_emoji():
    text = "😀" * 3000  # 2 UTF-16 units each
    pieces = split_plain(text, TELEGRAM_LIMIT)
    assert "".join(pieces) == text
    assert all(tg_len(p) <= TELEGRAM_LIMIT for p in pieces)
    assert tg_len(pieces[0]) == TELEGRAM_LIMIT


def test_split_prefers_line_and_sentence_ends():
    lines = [f"第{i}行" + "内容" * 40 for i in range(200)]
    pieces = split_plain("\n".join(lines), 1000)
    assert all(p.split("\n")[0].startswith("第") for p in pieces)  # each starts a line
    sentences = "这是一句话。" * 400
    pieces = split_plain(sentences, 1000)
    assert all(p.endswith("。") for p in pieces)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=3000), st.integers(min_value=8, max_value=700))
def test_split_property(text, limit):
    pieces = split_plain(text, limit)
    assert all(p for p in pieces)
    assert all(tg_len(esc(p)) <= limit for p in pieces)
    # Nothing is lost but the line breaks a cut lands on.
    assert "".join(pieces).replace("\n", "") == text.strip("\n").replace("\n", "")


# --- paging ----------------------------------------------------------------------------

def test_empty_list_has_no_pages_and_answer_has_a_polite_one():
    assert paginate([]) == []
    assert paginate(["", "  "]) == []
    assert render.answer_pages([]) == [esc(render.EMPTY_REPLY)]


def test_header_only_is_one_page():
    assert paginate(["没有找到"]) == ["<b>没有找到</b>"]


def test_items_exact_fit_and_one_over():
    blocks = ["标题"] + [f"第{i}项" for i in range(PAGE_ITEMS)]
    assert len(paginate(blocks)) == 1
    assert len(paginate(blocks + ["多一项"])) == 2


def test_chars_exact_fit_and_one_over():
    header = "标题"
    head_cost = tg_len(f"<b>{header}</b>") + 2
    # Two items filling the page exactly: a + 2 (separator) + b == budget.
    budget = PAGE_CHARS - head_cost
    a = "甲" * (budget // 2)
    b = "乙" * (budget - len(a) - 2)
    pages = paginate([header, a, b])
    assert len(pages) == 1 and tg_len(pages[0]) == PAGE_CHARS
    pages = paginate([header, a, b + "丙"])
    assert len(pages) == 2
    assert all(tg_len(p) <= PAGE_CHARS for p in pages)
    assert all(p.startswith(f"<b>{header}</b>") for p in pages)


def test_single_block_longer_than_a_page_is_split_safely():
    long_block = "很长的任务说明，包含<尖括号>与&符号。" * 400
    pages = paginate(["超长任务", long_block, "下一项"])
    assert len(pages) > 2
    for page in pages:
        assert tg_len(page) <= PAGE_CHARS < TELEGRAM_LIMIT
        visible(page)  # parses: no entity was cut
    shown = "".join(visible(p).split("\n\n", 1)[1] for p in pages)
    assert shown.replace("\n", "") == (long_block + "下一项").replace("\n", "")


def test_empty_header_is_left_out():
    assert paginate(["", "第一项", "第二项"]) == ["第一项\n\n第二项"]


def test_multi_line_header_is_a_plain_first_item():
    pages = paginate(["没有找到。\n可以这样问：\n· 谁负责<x>"])
    assert pages == [esc("没有找到。\n可以这样问：\n· 谁负责<x>")]


def test_very_long_header_is_paged_like_an_item():
    header = "长" * 3000
    pages = paginate([header, "一项"])
    assert all(tg_len(p) <= PAGE_CHARS for p in pages)
    assert not pages[0].startswith("<b>")


_one_line_gaps = st.text(min_size=1, max_size=1500).map(lambda s: re.sub(r"\n+", "\n", s))


@settings(max_examples=150, deadline=None)
@given(st.lists(_one_line_gaps, min_size=1, max_size=30))
def test_paging_property(blocks):
    pages = paginate(blocks)
    kept = [b.strip("\n") for b in blocks if b.strip()]
    if not kept:
        assert pages == []
        return
    if not blocks[0].strip():
        kept.insert(0, "")
    shown = []
    for page in pages:
        assert tg_len(page) <= PAGE_CHARS
        text = visible(page)
        if page.startswith("<b>"):
            text = text.split("\n\n", 1)[1] if "\n\n" in text else ""
        items = text.split("\n\n") if text else []
        assert len(items) <= PAGE_ITEMS
        shown += items
    expected = kept[1:] if pages[0].startswith("<b>") or not kept[0] else kept
    assert "".join(shown).replace("\n", "") == "".join(expected).replace("\n", "")


# --- callback data and keyboards -------------------------------------------------------

# (The encoders moved to bot/telegram/actions.py as typed actions; the tuples these
# tests compared are now the actions' fields.)
def test_callback_roundtrip():
    assert parse_callback(Page("abcd1234", 3).encode()) == Page("abcd1234", 3)
    assert parse_callback(Page("abcd1234", None).encode()) == Page("abcd1234", None)
    assert parse_callback(Pick("abcd1234", 2).encode()) == Pick("abcd1234", 2)
    assert parse_callback(Example(1).encode()) == Example(1)
    assert parse_callback(AgencyTasks(17).encode()) == AgencyTasks(17)
    data = OpenTask("baoqing-yilaoyixiao", "二.3", "lead").encode()
    assert parse_callback(data) == OpenTask("baoqing-yilaoyixiao", "二.3", "lead")
    assert len(data.encode()) <= 64


def test_task_callback_that_would_not_fit_is_refused():
    assert data_for(OpenTask("s" * 40, "一二三四五六七八九十", "who")) is None


@pytest.mark.parametrize("data", [
    None, "", "pg", "pg:", "pg:abc:1", "pg:abcd1234:x", "pg:abcd1234:-1", "zz:1", "ex:a",
    "ag:", "ag:1:2", "tk:bogus:s|1", "tk:who:s", "ch:abcd1234", "pg:abcd1234:1\n",
    "pg:" + "a" * 70, "ex:1" + " " * 70,
])
def test_forged_callback_data_is_rejected(data):
    assert parse_callback(data) is None


def test_pager_row():
    assert render.pager_row("abcd1234", 0, 1) == []
    first = render.pager_row("abcd1234", 0, 3)
    assert [b.text for b in first] == ["1/3", "下一页 »"]
    middle = render.pager_row("abcd1234", 1, 3)
    assert [b.text for b in middle] == ["« 上一页", "2/3", "下一页 »"]
    last = render.pager_row("abcd1234", 2, 3)
    assert [b.text for b in last] == ["« 上一页", "3/3"]
    assert all(len(b.data.encode()) <= 64 for b in first + middle + last)


def test_labels_are_one_short_line():
    assert render.label("a\nb   c") == "a b c"
    long = render.label("字" * 100)
    assert len(long) == render.BUTTON_LABEL_MAX and long.endswith("…")


def test_documents_blocks_page_cleanly():
    docs = [{"id": "d", "title": "重点任务分工<养老>", "jurisdiction": "三亚市", "tasks": 3}]
    pages = render.answer_pages(render.documents_blocks(docs))
    assert "重点任务分工<养老> — 3项任务" in visible(pages[0])
    assert render.documents_blocks([]) == ["还没有收录任何文件。"]


def test_help_and_start_texts_parse():
    for text in (render.start_text(), render.help_text("fengong_bot"), render.help_text(None)):
        assert tg_len(text) <= TELEGRAM_LIMIT
        parse_html(text)


# --- token redaction (bot/telegram/logs.py) -------------------------------------------

def test_token_is_redacted_from_log_lines_and_tracebacks():
    from bot.telegram.logs import TokenRedactor

    token = "123456:AAEhBOweik9ai2o4AAEhBOweik9ai2o4"
    redactor = TokenRedactor(token)
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1,
                               'HTTP Request: POST %s "HTTP/1.1 200 OK"',
                               (f"http://127.0.0.1:8081/bot{token}/getUpdates",), None)
    assert redactor.filter(record)
    assert token not in record.getMessage() and "<redacted>" in record.getMessage()
    try:
        raise RuntimeError(f"failed: https://api.telegram.org/bot{token.replace(':', '%3A')}/x")
    except RuntimeError:
        import sys
        record = logging.LogRecord("telegram", logging.ERROR, __file__, 1, "boom", (),
                                   sys.exc_info())
    redactor.filter(record)
    assert "AAEhBOweik9ai2o4" not in logging.Formatter().format(record)
