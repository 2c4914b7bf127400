"""Question → intent and slots. Rules over the normalised question and the store's
vocabulary (jurisdictions, agency aliases, people, document titles); no Telegram here.

`understand` reads the question once (a `Reading`: places, agency mentions, the rest),
then asks the rules of `INTENT_RULES` in order; the first that recognises the question
names its intent. A new intent is one rule function and one line in that table (and
its handler in bot.answer.Answerer). The words each rule looks for are in intents.spec.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from intents import spec
from intents.names import Lexicon, Mention, find_jurisdictions, find_mentions, find_sources, find_unknown_place
from text.normalize import content_chars, normalize

# a year, maybe a month or a part of the year (上半年, 三季度), maybe its end (底/末); a part
# that is read is kept whole, never dropped (2020年下半年 is not all of 2020)
TIME = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月|(上半年|下半年|第?[一二三四1-4]季度))?\s*(底|末|年底|年末)?")


@dataclass
class Intent:
    name: str
    question: str  # the normalised question
    facet: str | None = None
    content: str = ""  # what to search the task text with
    jurisdictions: list[str] = field(default_factory=list)
    unknown_place: str | None = None
    agency_ids: list[int] = field(default_factory=list)
    agency_text: str | None = None
    role: str = "any"
    time: str | None = None
    sources: list[str] = field(default_factory=list)
    person: str | None = None
    group_role: str | None = None
    period: Any = None  # intents.periods.Period for deadline_tasks: due dates from start to end
    position: str | None = None  # a position title (县长) for person questions
    off_topic: bool = False  # asks a kind of fact the tables never hold (电话, 多少钱, 怎么报名)
    # follow-ups (intent "followup"): what the question asks of the chat's last answer
    ordinal: int | None = None  # 第二个 → 2
    more: bool = False  # 还有呢
    wants_list: bool = False  # 它有哪些任务
    bare: bool = False  # an agency named alone (三亚市民政局, 那财政局呢): its list, or its role in the last task
    introduced: bool = False  # "我是X的" and nothing more: the asker says who they are


def find_time(q: str) -> str | None:
    m = TIME.search(q)
    if not m:
        return None
    year, month, part, end = m.groups()
    if month:
        return f"{year}年{int(month)}月"
    if part:
        return f"{year}年{part}"
    return f"{year}年" + ("底" if end in ("底", "年底") else "末" if end in ("末", "年末") else "")


def has_any(q: str, words) -> str | None:
    for w in words:
        if w in q:
            return w
    return None


def strip_words(q: str, words) -> str:
    for w in sorted(words, key=len, reverse=True):
        q = q.replace(w, " ")
    return q


def task_content(q: str) -> str:
    """The question minus asking phrases and stop characters: what the task says."""
    q = spec.WHEN.sub(" ", q)
    q = strip_words(q, spec.QUESTION_PHRASES + spec.LEAD_WORDS + spec.SUPPORT_WORDS + spec.DEADLINE_WORDS + spec.WHO_WORDS
                    + spec.DOCUMENT_REFS)
    q = re.sub(f"[{spec.STOP_CHARS}]", " ", q)
    return re.sub(r"\s+", " ", q).strip()


def task_facet(q: str) -> str:
    if has_any(q, spec.DEADLINE_WORDS) or spec.WHEN.search(q):
        return "deadline"
    if has_any(q, spec.SUPPORT_WORDS):
        return "support"
    if has_any(q, spec.LEAD_WORDS):
        return "lead"
    return "who"


@dataclass
class Reading:
    """What every rule needs from one question, found once."""

    q: str  # the normalised question
    qs: str  # the same without spaces
    lex: Lexicon
    bound: list[int]  # the user's bound agency ids (我们单位)
    known: list[tuple[str, int, int]]  # jurisdictions named, with their place
    mentions: list[Mention]
    jurisdictions: list[str]
    unknown_place: str | None
    rest: str  # the question without agency and place mentions
    self_named: bool = False  # "我是X的" named the asker's agency

    def intent(self, name: str, **slots) -> Intent:
        return Intent(name, question=self.q, jurisdictions=self.jurisdictions, unknown_place=self.unknown_place, **slots)

    @property
    def agency_ids(self) -> list[int]:
        return list(dict.fromkeys(i for m in self.mentions for i in m.agency_ids))

    @property
    def agency_text(self) -> str | None:
        return self.mentions[0].text if self.mentions else None

    def agency_slots(self) -> dict:
        return {"agency_ids": self.agency_ids, "agency_text": self.agency_text}


def normal_question(question: str, lex: Lexicon) -> str:
    """The question as the rules read it: normalised (English asking words in Chinese,
    dates in one form), colloquial asking characters rewritten, and Latin words the
    documents never print dropped (they could only be asking words we do not know:
    "does", "the"; TOT and 5G, which the documents print, stay)."""
    q = normalize(lex.latin_places.apply(question), lex.english)
    for old, new in spec.ASKING_REWRITES:
        q = q.replace(old, new)
    q = re.sub(r"[A-Za-z0-9']*[A-Za-z][A-Za-z0-9']*",
               lambda m: m.group(0) if m.group(0).lower() in lex.ascii_words else " ", q)
    return re.sub(r"\s+", " ", q).strip()


def read_question(question: str, lex: Lexicon, bound_agency_ids: list[int] | None = None) -> Reading:
    q = normal_question(question, lex)
    qs = q.replace(" ", "")
    known = find_jurisdictions(qs, lex)
    mentions = find_mentions(qs, lex)
    bound = list(bound_agency_ids or [])
    self_named = False
    # "我是X的": X is who asks (binds X for this question), not what is asked about
    said = spec.I_AM.search(qs)
    if said:
        mine = [m for m in mentions if m.start == said.end()]
        if mine:
            bound = list(mine[0].agency_ids)  # the answerer narrows them to the places named
            mentions = [m for m in mentions if m is not mine[0]]
            self_named = True
    # 我们民政局 / 本局 from an asker bound to one of the agencies named: that one
    for m in mentions:
        own = [i for i in m.agency_ids if i in bound]
        if own and qs[max(0, m.start - 3): m.start].endswith(spec.OWN_BEFORE):
            m.agency_ids = own
    rest = qs
    if self_named:
        rest = rest[: said.start()] + " " + rest[mine[0].end :]
    for m in reversed(mentions):
        rest = rest[: m.start] + " " + rest[m.end :]
    for _, s, e in known:
        if not any(m.start <= s < m.end for m in mentions):
            rest = rest.replace(qs[s:e], " ")
    jurisdictions = sorted({j for j, _, _ in known})
    # a level word alone (省里, 县里, 全市) names every jurisdiction of that level we hold
    if not jurisdictions:
        for m in spec.LEVEL_WORD.finditer(rest):
            jurisdictions += lex.level_jurisdictions(m.group(1) or m.group(2))
        if jurisdictions:
            rest = spec.LEVEL_WORD.sub(" ", rest)
            jurisdictions = sorted(set(jurisdictions))
    return Reading(
        q=q, qs=qs, lex=lex, bound=bound, known=known, mentions=mentions,
        # a jurisdiction inside an agency mention (三亚市民政局) still names the jurisdiction
        jurisdictions=jurisdictions,
        unknown_place=find_unknown_place(qs, lex, mentions, known), rest=rest, self_named=self_named,
    )


# --- the rules, in the order they are tried ---------------------------------------------

def help_rule(r: Reading) -> Intent | None:
    """Help: asked for (帮助, 怎么用), nothing but symbols or a number (？？, 123: no subject to
    search), or a question about the bot itself (你是机器人吗, 您是哪位)."""
    about_bot = r.qs.startswith(spec.ABOUT_BOT) and not r.mentions and len(r.qs) <= 10
    if not r.qs or re.fullmatch(r"[\d\W_]+", r.qs) or about_bot \
            or (len(r.qs) <= 12 and has_any(r.qs.lower(), spec.HELP_WORDS)):
        return Intent("help", r.q)
    return None


def person_rule(r: Reading) -> Intent | None:
    """A name from a working group, or a group role with a who-word (专班组长是谁)."""
    person = next((p for p in r.lex.people if p in r.qs), None)
    group_role = has_any(r.qs, spec.GROUP_ROLES)
    # the role alone (专班组长, 副组长) asks for whoever holds it
    only_role = group_role and not task_content(strip_words(r.rest, spec.GROUP_ROLES + spec.IN_GROUP + ("工作", "一老一小")))
    if person or (group_role and (only_role or has_any(r.qs, spec.PERSON_ASK + spec.GROUP_LIST_ASK))):
        return r.intent("person", person=person, group_role=None if person else group_role)
    if has_any(r.rest, spec.IN_GROUP) and has_any(r.rest, spec.PERSON_ASK) and not r.mentions:  # 专班有哪些人
        return r.intent("person")
    return None


def position_rule(r: Reading) -> Intent | None:
    """A position title with a who-word (县长是谁, 常务副县长叫什么名字): the longest
    title of any working-group member's position that the question holds."""
    qs = r.qs.replace("的", "")  # 七星泡镇的镇长: titles print no 的
    title = max((t for t in r.lex.positions if t in qs), key=len, default=None)
    if title is None or spec.WHO_DOES.search(r.qs):  # 县长负责什么 asks for tasks
        return None
    alone = not content_chars(strip_words(qs, (title,) + spec.NAME_ALONE_WORDS))  # 县长, 七星泡镇镇长
    if not (alone or has_any(r.qs, spec.PERSON_ASK + spec.DUTY_WORDS)):
        return None
    return r.intent("person", position=title)


def head_of_agency_rule(r: Reading) -> Intent | None:
    """Who heads an agency (县民政局局长是谁, 卫健局一把手): the working group lists people by position."""
    if r.mentions and (has_any(r.qs, spec.PERSON_ASK) or has_any(r.rest, spec.HEAD_WORDS)) \
            and not has_any(r.qs, spec.LIST_WORDS) and not spec.WHO_DOES.search(r.qs):
        return r.intent("person", **r.agency_slots())
    # the agency and its head's title alone (宝清县审计局局长, 县民政局的主任)
    if r.mentions and has_any(r.rest, spec.HEAD_TITLES) and not content_chars(
            strip_words(r.rest, spec.HEAD_TITLES + spec.NAME_ALONE_WORDS)):
        return r.intent("person", **r.agency_slots())
    return None


def duty_rule(r: Reading) -> Intent | None:
    """An agency's duty statement: 职责 / 负责什么, or what it does in the working group
    (在专班里做什么工作), or its 分工 when nothing else is asked."""
    if not r.mentions or has_any(r.rest, ("任务",)):
        return None
    in_group = has_any(r.rest, spec.IN_GROUP) and has_any(r.rest, spec.GROUP_DUTY_ASK)
    alone = has_any(r.rest, spec.DUTY_ALONE) and len(task_content(strip_words(r.rest, spec.DUTY_ALONE)).replace(" ", "")) <= 1
    if has_any(r.qs, spec.DUTY_WORDS) or in_group or alone:
        return r.intent("agency_duty", **r.agency_slots())
    return None


def list_role(rest: str) -> str:
    """The role an agency's list asks for: lead (牵头), support (配合 / 参加), or any
    (参与 / 涉及: what the agency takes part in at all)."""
    if has_any(rest, spec.LEAD_WORDS):
        return "lead"
    return "support" if has_any(rest, spec.SUPPORT_ROLE_WORDS) else "any"


def documents_rule(r: Reading) -> Intent | None:
    """What the bot holds: 有哪些文件 / 收录了哪些方案, or a place's list with no agency (三亚有
    哪些任务): the documents, of the places named."""
    if r.mentions:
        return None
    rest = r.rest
    lists = has_any(rest, spec.LIST_WORDS) and has_any(rest, spec.LIST_ASK)
    about_documents = has_any(rest, spec.DOCUMENT_NOUNS) and has_any(rest, spec.LIST_ASK + ("收录", "几份", "多少份"))
    sources = find_sources(rest, r.lex, r.jurisdictions) if lists else []
    if not (about_documents or sources or (r.jurisdictions and lists)):
        return None
    leftover = strip_words(rest, spec.DOCUMENT_NOUNS + spec.LIST_ASK + spec.LIST_WORDS + spec.HOLDINGS_WORDS
                           + spec.NAME_ALONE_WORDS + spec.DOCUMENT_REFS + DOCUMENT_WORDS)
    held = [s for s, j in r.lex.source_jurisdiction.items() if j in r.jurisdictions]
    if not sources and lists and len(held) == 1:  # 四川那份文件有哪些任务: the place's one document
        sources = held
    if sources:  # 三亚一老一小方案里有哪些任务: the words that named it are no content
        leftover = "".join(ch for ch in leftover if ch not in r.lex.titles[sources[0]])
    return None if content_chars(leftover) else r.intent("documents", sources=sources)


def agency_tasks_rule(r: Reading) -> Intent | None:
    """A list of an agency's tasks (市民政局有哪些任务), or of the user's own (我们单位的任务)."""
    rest = r.rest
    role = list_role(rest)
    asks_list = has_any(rest, spec.LIST_WORDS) or (role != "any" and has_any(rest, spec.LIST_ASK))
    self_ref = r.self_named or has_any(r.qs, spec.SELF_WORDS) or r.qs in ("我的", "我们的")
    leftover = task_content(strip_words(rest, spec.LIST_WORDS + spec.LIST_ASK + spec.SELF_WORDS + ("我们", "我是", "我")
                                        + ("重点", "清单", "要", "了")))
    if r.self_named and not content_chars(strip_words(rest, spec.NAME_ALONE_WORDS)):  # 我是三亚市民政局的
        return r.intent("agency_tasks", role="any", agency_ids=list(r.bound), introduced=True)
    if r.mentions and not content_chars(strip_words(rest, spec.NAME_ALONE_WORDS)):
        return r.intent("agency_tasks", role="any", bare=True, **r.agency_slots())
    if r.mentions and role != "any" and not content_chars(  # 市民政局牵头的, 卫健委配合哪些
            strip_words(rest, spec.NAME_ALONE_WORDS + spec.LEAD_WORDS + spec.SUPPORT_ROLE_WORDS + spec.LIST_ASK)):
        return r.intent("agency_tasks", role=role, **r.agency_slots())
    stem = content_chars(leftover)
    if asks_list and not r.mentions and stem in r.lex.agency_stems:  # 宝清县民政都有哪些任务
        return r.intent("agency_tasks", role=role, agency_ids=list(r.lex.agency_stems[stem]), agency_text=stem)
    if not asks_list or len(leftover.replace(" ", "")) > 3:
        return None
    if r.mentions:
        return r.intent("agency_tasks", role=role, **r.agency_slots())
    if self_ref:  # no bound agency: the answerer says how to bind one
        return r.intent("agency_tasks", agency_ids=list(r.bound), role=role)
    return None


DOCUMENT_WORDS = ("方案", "文件", "分工表", "计划", "里面", "里", "中")  # 三亚一老一小方案里…


def deadline_tasks_rule(r: Reading) -> Intent | None:
    """A question about time relative to today (已逾期, 今年, 2022年底前, 近两个月内 …), alone or
    with an agency, a role or a document: intent deadline_tasks with its period. A question
    whose rest is task content (2022年建成多少个…, 到2022年床位32张谁负责) stays a task question."""
    from intents.periods import find_period, strip_period, today

    now = today()
    period = find_period(r.qs, now)
    if period is None:
        return None
    rest = strip_period(r.rest, now)
    # a bare date is a deadline question only when the rest asks for tasks (2022年的任务有哪些),
    # not for a quantity or a fact (2022年建成多少个社区养老服务站)
    if period.weak and not has_any(rest, spec.LIST_WORDS + spec.DEADLINE_LIST_WORDS):
        return None
    sources = find_sources(rest, r.lex, r.jurisdictions)
    leftover = task_content(strip_words(rest, spec.LIST_WORDS + spec.LIST_ASK + spec.SELF_WORDS + spec.DEADLINE_LIST_WORDS
                                        + spec.DOCUMENT_REFS + spec.YES_NO_WORDS
                                        + ("我们", "我是", "我", "还有", "没完成", "未完成")))
    if sources:  # the words that named the document are not task content
        title = r.lex.titles[sources[0]]
        leftover = "".join(ch for ch in strip_words(leftover, DOCUMENT_WORDS) if ch not in title)
    elif r.jurisdictions and has_any(rest, spec.DOCUMENT_REFS):
        # 四川那份文件: a place that holds exactly one document names it
        held = [s for s, j in r.lex.source_jurisdiction.items() if j in r.jurisdictions]
        sources = held if len(held) == 1 else []
    # more than a stray character left is what the task is about (养老床位今年到期的): a task question
    if len(leftover.replace(" ", "")) > 2:
        return None
    agency_ids, agency_text = r.agency_ids, r.agency_text
    if not agency_ids and r.bound and has_any(r.qs, spec.SELF_WORDS + ("我们", "我的")):  # 我的逾期任务
        agency_ids = list(r.bound)
    role = list_role(r.rest)
    return r.intent("deadline_tasks", time=find_time(r.qs), sources=sources, period=period, agency_ids=agency_ids,
                    agency_text=agency_text, role=role if agency_ids else "any")


def followup_rule(r: Reading) -> Intent | None:
    """A question that only refers to the chat's last answer: a facet (什么时候完成, 那配合
    单位呢), 还有呢, 第二个, or 它有哪些任务. Its content is empty once asking words,
    pronouns and fillers are gone; the answerer resolves it against a context, and says
    "not found" without one."""
    if r.mentions or r.jurisdictions:
        return None
    rest = r.rest
    ordinal = spec.ORDINAL.search(rest)
    more = has_any(rest, spec.MORE_WORDS) and not has_any(rest, ("还有哪些", "还有谁"))
    back = has_any(rest, spec.BACK_REFS)
    stripped = strip_words(spec.ORDINAL.sub(" ", rest), spec.MORE_WORDS + spec.BACK_REFS)
    wants_list = bool(back) and has_any(stripped, spec.LIST_WORDS) is not None
    if wants_list:
        stripped = strip_words(stripped, spec.LIST_WORDS + spec.LIST_ASK)
    facet = task_facet(stripped)
    asks_facet = facet != "who" or has_any(stripped, spec.WHO_WORDS + ("谁",))
    if task_content(stripped).replace(" ", ""):
        return None
    if not (ordinal or more or wants_list or asks_facet):
        return None
    n = ordinal.group(1) if ordinal else None
    number = (int(n) if n.isdigit() else "一二三四五六七八九十".index(n) + 1) if n else None
    return r.intent("followup", facet=facet if asks_facet else None, ordinal=number, more=bool(more), wants_list=wants_list)


def task_rule(r: Reading) -> Intent:
    """Everything else asks about a task: who does it, who leads, supports, when."""
    facet = task_facet(r.rest)
    # a kind of fact the tables never hold (电话, 多少钱, 怎么报名), asked without a facet
    off_topic = bool(spec.OUT_OF_SCOPE_ASKS.search(r.rest)) and facet == "who" and not has_any(
        r.rest, spec.WHO_WORDS + spec.LEAD_WORDS + ("谁", "哪个部门", "哪些部门", "哪个单位", "哪些单位"))
    slots = r.agency_slots()
    if r.self_named or (r.bound and not r.mentions and has_any(r.qs, spec.SELF_WORDS + ("咱们", "我的"))):
        # 我是X的 / 我们 with a bound agency: it favours its own tasks, as a named agency does
        slots = {"agency_ids": list(r.bound), "agency_text": None}
    return r.intent("task", facet=facet, content=task_content(r.rest), off_topic=off_topic, **slots)


IntentRule = Callable[[Reading], "Intent | None"]
# (intent, rule) in the order tried; the last always answers.
INTENT_RULES: tuple[tuple[str, IntentRule], ...] = (
    ("help", help_rule),
    ("person", person_rule),
    ("person", position_rule),
    ("person", head_of_agency_rule),
    ("agency_duty", duty_rule),
    ("deadline_tasks", deadline_tasks_rule),  # before agency lists: 民政局今年到期的任务
    ("documents", documents_rule),
    ("agency_tasks", agency_tasks_rule),
    ("followup", followup_rule),
    ("task", task_rule),
)
INTENTS = tuple(dict.fromkeys(name for name, _ in INTENT_RULES)) + ("not_found",)


def understand(question: str, lex: Lexicon, bound_agency_ids: list[int] | None = None) -> Intent:
    """Decide what the question asks and fill the slots."""
    reading = read_question(question, lex, bound_agency_ids)
    for _, rule in INTENT_RULES:
        intent = rule(reading)
        if intent is not None:
            return intent
    return task_rule(reading)  # the table ends with it; said again for type checkers
