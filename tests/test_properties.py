"""Property tests over the whole answer pipeline on the real store: whatever a user
types, `Answerer` answers (never raises), the answer keeps its JSON contract, every
Telegram page the bot would send fits in one message and is valid parse-mode HTML,
and nothing a user types changes the store.

Pages are rendered with bot/render.py's `answer_pages`, exactly as the Telegram app
sends an answer (`send_answer` → `send_result` → `render.answer_pages(blocks)`; the
inline mode renders its cards the same way).
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import sqlite3
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, example, given, settings
from hypothesis import strategies as st

from bot.render import TELEGRAM_LIMIT, answer_pages, label, tg_len
from index.store import db_path

INTENTS = {"task", "agency_tasks", "deadline_tasks", "agency_duty", "person", "help", "not_found"}
FACETS = {None, "who", "lead", "support", "deadline"}
JSON_KEYS = {"question", "intent", "facet", "tasks", "agency", "duties", "people", "suggestions", "reply"}
TASK_KEYS = {"source", "section", "number", "title", "task", "lead", "support", "responsible", "local", "others", "deadlines", "due"}

# --- a validator for Telegram's parse_mode HTML ------------------------------------

# https://core.telegram.org/bots/api#html-style
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                 "tg-spoiler", "blockquote"}
TAG_ATTRIBUTES = {"a": {"href"}, "code": {"class"}, "blockquote": {"expandable"}}
ENTITIES = {"lt", "gt", "amp", "quot"}  # the only named entities Telegram accepts


class _TelegramHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # see every entity as written
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"tag <{tag}> not allowed")
        bad = [k for k, _ in attrs if k not in TAG_ATTRIBUTES.get(tag, set())]
        if bad:
            self.problems.append(f"attributes {bad} not allowed on <{tag}>")
        if tag in self.stack:
            self.problems.append(f"<{tag}> inside <{tag}>")
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                del self.stack[self.stack.index(tag):]
        else:
            self.stack.pop()

    def handle_data(self, data):
        for ch in "<>&":
            if ch in data:
                self.problems.append(f"unescaped {ch!r} in {data[:40]!r}")

    def handle_entityref(self, name):
        if name not in ENTITIES:
            self.problems.append(f"entity &{name}; not allowed")

    def handle_charref(self, name):
        try:
            int(name[1:], 16) if name[:1] in "xX" else int(name)
        except ValueError:
            self.problems.append(f"bad character reference &#{name};")

    def handle_comment(self, data):
        self.problems.append("comment")

    def handle_decl(self, decl):
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction <?{data}>")

    def unknown_decl(self, data):
        self.problems.append(f"unknown declaration {data!r}")


def html_problems(text: str) -> list[str]:
    """Why Telegram would reject `text` in parse mode HTML ([] when it would not)."""
    p = _TelegramHTML()
    p.feed(text)
    p.close()
    if p.stack:
        p.problems.append(f"unclosed {p.stack}")
    # html.parser tolerates a bare "&" before a space or at the end ("A & B"):
    # it hands it over as data, caught above, or as an entity without ";"
    for m in re.finditer(r"&(#?\w*);?", text):
        if not m.group(0).endswith(";"):
            p.problems.append(f"entity without ';' at {m.start()}: {text[m.start():m.start() + 12]!r}")
    return p.problems


def visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("good", [
    "<b>谁负责</b>\n\n牵头：市民政局", "a &lt; b &amp;&amp; c &gt; d &quot;x&quot; &#39;", "<a href=\"https://t.me\">x</a>",
    "<b><i>x</i></b>", "<tg-spoiler>x</tg-spoiler>", "<pre><code class=\"language-py\">x</code></pre>", "纯文本",
])
def test_validator_accepts_telegram_html(good):
    assert html_problems(good) == []


@pytest.mark.parametrize("bad", [
    "<b>x", "x</b>", "<b><i>x</b></i>", "<div>x</div>", "<span>x</span>", "<br/>", "a < b", "a > b", "A & B",
    "&nbsp;", "&amp", "<!-- x -->", "<b onclick=\"x\">x</b>", "<b><b>x</b></b>",
])
def test_validator_rejects_what_telegram_rejects(bad):
    assert html_problems(bad), bad


# --- the store must not change --------------------------------------------------------

def store_snapshot(home) -> dict:
    path = db_path(home)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")]
        counts = {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
        build = conn.execute("select value from meta where key = 'build_id'").fetchone()[0]
    conn.close()
    return {"counts": counts, "build_id": build, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


@pytest.fixture(scope="module")
def before(store_home, answerer):
    """The store as it was before any property ran (every property test asks for this)."""
    return store_snapshot(store_home)


# --- inputs ------------------------------------------------------------------------

QUESTIONS = ("谁负责家庭养老床位", "市民政局有哪些任务", "长者饭堂什么时候完成", "完成时限为2020年12月的任务有哪些",
             "县统计局在专班里的职责", "专班组长是谁", "民政厅牵头的任务", "我的任务")
TRADITIONAL = ("誰負責家庭養老床位", "長者飯堂什麼時候完成", "市民政局有哪些任務", "養老機構", "嬰幼兒照護", "衛生健康委員會",
               "請問一下", "謝謝")
METACHARACTERS = ("<b>", "</b>", "</a>", "<a href=\"javascript:x\">", "&amp;", "&", "&lt;", "&#0;", "&#x110000;", "<",
                  ">", "<!--", "<![CDATA[", "<?", "*", "_", "`", "```", "[", "]", "(", ")", "~", "|", "\\", "#", "+",
                  "-", "=", "{", "}", ".", "!", "<tg-spoiler>", "<pre>", "<script>alert(1)</script>")
SQL = ("'; DROP TABLE tasks;--", "\" OR 1=1 --", "%", "_", "%%", "' OR '1'='1", "); DELETE FROM roles; --",
       "UNION SELECT * FROM sqlite_master", "\\", "'", "\"", ";", "--", "/*", "*/", "2025年%", "%\"")
PUNCTUATION = "，。、；：？！…—·“”‘’《》〈〉【】〔〕（）｛｝［］,.;:?!'\"()[]{}<>/\\|@#$%^&*-_=+~`"
EMOJI = ("😀", "👍🏽", "👨‍👩‍👧‍👦", "🇨🇳", "❤️", "🧓", "👶", "🏥", "1️⃣", "\U0001F9D1\u200D\U0001F9BD")
CONTROL = st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn"))

fragment = st.one_of(
    st.sampled_from(QUESTIONS + TRADITIONAL + METACHARACTERS + SQL + EMOJI),
    st.text(max_size=8),  # any code point but surrogates
    st.text(alphabet=CONTROL, max_size=6),
    st.text(alphabet=PUNCTUATION, min_size=1, max_size=6),
    st.integers(min_value=0).map(str),
    st.integers(min_value=10 ** 18, max_value=10 ** 400).map(str),  # very long numbers
    st.sampled_from(["年", "年底", "月", "%", "万", "第", "项", ".", "．", "２０２５"]),
)
# a message made of pieces: questions, markup, SQL, emoji, controls, numbers, mixed scripts
messages = st.one_of(
    st.text(),  # every category (surrogates excluded, as Python's UTF-8 requires)
    st.lists(fragment, max_size=10).map("".join),
    st.text(alphabet=CONTROL),  # only controls, format characters and whitespace
    st.text(alphabet=PUNCTUATION),  # only punctuation
    st.just(""),
)


def tile(seed: str, size: int = 10_000) -> str:
    """`seed` repeated to exactly `size` characters (Telegram allows 4096; users paste more)."""
    seed = seed or "家"
    return (seed * (size // len(seed) + 1))[:size]


long_messages = st.one_of(
    st.lists(fragment, min_size=1, max_size=6).map("".join).map(tile),
    st.text(min_size=1, max_size=40).map(tile),
    st.sampled_from(QUESTIONS + TRADITIONAL + EMOJI + SQL).map(tile),
    st.integers(min_value=10 ** 30).map(lambda n: tile(str(n), 10_000)),  # one number 10,000 digits long
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=20, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- the properties -----------------------------------------------------------------

def check_answer(a, question: str) -> None:
    """Everything that must hold of any Answer, whatever the question."""
    assert a.intent in INTENTS, a.intent
    if currently_in_test_context():
        event(f"intent {a.intent}")
    assert a.facet in FACETS, a.facet
    j = a.to_json()
    assert set(j) == JSON_KEYS
    assert j["question"] == question and j["reply"] == a.reply and isinstance(a.reply, str)
    assert all(set(t) >= TASK_KEYS for t in j["tasks"])
    for ensure_ascii in (True, False):
        text = json.dumps(j, ensure_ascii=ensure_ascii)
        text.encode("utf-8")  # printable by `ask --json` (no lone surrogates)
        assert json.loads(text) == j
    assert a.blocks and a.reply.strip(), "an answer always says something"
    check_pages(a.blocks)


def check_pages(blocks) -> None:
    pages = answer_pages(list(blocks))
    assert pages, "the bot always has a first page to send"
    for page in pages:
        assert tg_len(page) <= TELEGRAM_LIMIT, tg_len(page)
        problems = html_problems(page)
        assert not problems, (problems, page[:300])
        assert visible_text(page).strip(), "Telegram rejects a message with no text"


@pytest.mark.usefixtures("before")
@FAST
@given(q=messages)
@example(q="")
@example(q="'; DROP TABLE tasks;--")
@example(q="<b>谁负责</b>家庭养老床位 &amp; *_`[]()")
@example(q="長者飯堂什麼時候完成")
@example(q="\x00\x1b[31m\u200b\u202e\ufeff")
@example(q="9" * 400 + "年底")
def test_any_message_gets_a_valid_answer(answerer, q):
    a = answerer.ask(q)
    check_answer(a, q)


@pytest.mark.usefixtures("before")
@LONG
@given(q=long_messages)
@example(q=tile("谁负责家庭养老床位"))
@example(q=tile("<b>&amp;</b>"))
@example(q=tile("9"))
def test_ten_thousand_character_messages(answerer, q):
    assert len(q) == 10_000
    a = answerer.ask(q)
    check_answer(a, q)


noise = st.one_of(st.just(""), st.lists(fragment, max_size=3).map("".join))


@pytest.mark.usefixtures("before")
@FAST
@given(before_q=noise, q=st.sampled_from(QUESTIONS + TRADITIONAL[:3] + (
    "三亚市民政局有哪些任务", "民政局配合的任务", "卫健委牵头哪些工作", "各区人民政府有哪些任务", "2025年底要完成的任务",
    "长者饭堂谁配合", "老年大雪什么时候建成", "于德水是干什么的", "专班副组长是谁", "县民政局局长是谁")), after_q=noise)
def test_real_questions_wrapped_in_noise(answerer, before_q, q, after_q):
    """Long, multi-page answers (agency lists) meet the same rules as short ones."""
    check_answer(answerer.ask(before_q + q + after_q), before_q + q + after_q)


@pytest.mark.usefixtures("before")
@FAST
@given(q=st.one_of(messages, st.sampled_from(["我的任务", "我们有哪些任务", "我单位牵头的任务", "本单位配合的工作"])),
       agency=st.one_of(st.none(), messages, st.integers(-10, 10 ** 6), st.sampled_from(
    ["市民政局", "民政厅", "²", "٣", "0", "-1", "99999999999999999999", "'; DROP TABLE agencies;--", "%", "_"])),
    scope=st.one_of(st.none(), messages, st.sampled_from(["三亚", "三亚市", "四川省", "省会城市", "全部", "%"])))
@example(q="我的任务", agency="²", scope=None)  # "²".isdigit() is True, int("²") raises
@example(q="我们有哪些任务", agency="'; DROP TABLE agencies;--", scope="%")
def test_bound_agency_and_scope_never_break_an_answer(answerer, q, agency, scope):
    """The bot passes the user's bound agency and /scope with every question."""
    a = answerer.ask(q, agency=agency, scope=scope)
    check_answer(a, q)


@pytest.mark.usefixtures("before")
@FAST
@given(q=st.lists(st.one_of(fragment, st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=3)),
                  max_size=8).map("".join), agency=st.text(alphabet=st.characters(categories=["Cs"]), max_size=2))
@example(q="\udcff谁负责家庭养老床位", agency="")  # `ask $'\xff…'`: argv's undecodable bytes
@example(q="\ud83d\ude00谁负责家庭养老床位", agency="\udcff")  # a pair written as two code points
def test_lone_surrogates_are_answered_not_raised(answerer, q, agency):
    """Python text may hold lone surrogates (a command line's undecodable bytes arrive
    as \\udcXX). OpenCC, SQLite and UTF-8 output refuse them: the answer must not."""
    from text.normalize import clean_text

    check_answer(answerer.ask(q, agency=agency), clean_text(q))


@pytest.mark.parametrize("q", ["\udcff谁负责家庭养老床位", "谁负责家庭养老床位\udcff\udcfe", "\ud83d\ude00谁负责家庭养老床位"])
def test_a_stray_surrogate_does_not_cost_the_answer(answerer, q):
    a = answerer.ask(q)
    assert a.intent == "task" and a.tasks[0]["number"] == "20"


@pytest.mark.usefixtures("before")
@FAST
@given(q=messages)
def test_inline_cards_and_agency_lookup(answerer, q):
    """Inline mode (`cards`) and /iam, /tasks (`find_agencies`) take raw user text too."""
    for card in answerer.cards(q):
        check_answer(card, card.question)
    for a in answerer.find_agencies(q):
        assert set(a) == {"id", "canonical", "jurisdiction"} and a["id"] in answerer.agencies
        assert label(a["canonical"]).strip()


@pytest.mark.usefixtures("before")
@FAST
@given(q=messages)
def test_choice_buttons_have_labels_and_keys(answerer, q):
    for c in answerer.ask(q).choices:
        assert c.kind in ("task", "agency") and label(c.label).strip()
        if c.kind == "task":
            source, number = c.key.split("|", 1)
            assert answerer.task(source, number).intent == "task"


@pytest.mark.usefixtures("before")
def test_every_task_agency_list_and_deadline_list_renders(answerer):
    """Not random, but complete: every answer the buttons can open, on the real data."""
    from bot.render import documents_blocks

    every_task = list(answerer.store.all_tasks())
    for source, number in ((t["source"], t["number"]) for t in every_task):
        for facet in ("who", "lead", "support", "deadline"):
            check_answer(answerer.task(source, number, facet), f"{source} {number}")
    for agency_id in answerer.agencies:
        for role in ("any", "lead", "support"):
            a = answerer.agency_tasks(agency_id, role)
            assert a.intent == "agency_tasks"
            check_pages(a.blocks)
    deadlines = {d for t in every_task for d in t["deadlines"]}
    for d in sorted(deadlines):
        check_answer(answerer.ask(f"完成时限为{d}的任务有哪些"), f"完成时限为{d}的任务有哪些")
    check_pages(documents_blocks(answerer.documents()))


def test_the_store_is_unchanged_after_the_property_run(store_home, answerer, before):
    """Runs last in this module: no question, agency or scope (SQL-looking ones included)
    changed a row or the file."""
    for q in SQL:
        check_answer(answerer.ask(q, agency=q, scope=q), q)
    after = store_snapshot(store_home)
    assert after == before
    assert after["counts"]["tasks"] == 158
    assert answerer.ask("谁负责家庭养老床位").tasks[0]["number"] == "20"
