"""The answer pipeline's public face: one question in, one `Answer` out.

Telegram, the terminal chat and `ask --json` all call `Answerer`; none of them
does any understanding or searching of its own. No Telegram imports here.
"""
from __future__ import annotations

import functools
import sqlite3
from typing import TYPE_CHECKING, Any

from bot.cards import ROLE_ORDER, document_line, grouped_blocks, role_counts as _role_counts, short as _short, task_card
from bot.reply import Answer, Choice  # noqa: F401  (re-exported: the answer types)
from index.scope import UNKNOWN_SHARE, unknown_share
from index.store import Store

if TYPE_CHECKING:
    from bot.context import Context


# Confidence: a task answers a question when it explains at least this share of the
# question's (idf-weighted) terms. Calibrated on the dev questions: see README.
MIN_COVERAGE = 0.40
# Tasks this close to the best are shown in full (the same task in two documents);
# other confident matches down to RELATED × best are listed in one line each.
NEAR_TOP = 0.12
RELATED = 0.6
MAX_TASKS = 6
NAMED_AGENCIES = 5  # agencies a reply's header names one by one
EXAMPLES = ("谁负责家庭养老床位", "市民政局有哪些任务", "长者饭堂什么时候完成")


def _snapshot(method):
    """The method reads the store in one read transaction, and from the build the answerer
    loaded: a document added or removed meanwhile (index.update commits in place, with a
    new build id) is loaded first, so what the answerer holds in memory and what it reads
    agree and a search never names a task the store no longer has. A writer waits the few
    milliseconds of a question for its commit."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        if self.store.conn.in_transaction:  # called from inside another such method
            return method(self, *args, **kwargs)
        conn = self.store.conn
        conn.execute("begin")
        if conn.execute("select value from meta where key = 'build_id'").fetchone()[0] != self._build_id:
            conn.execute("commit")
            # the new build is loaded inside the snapshot this question then reads
            if not self._reload(snapshot=True):  # it changed again while loading: the old one answers
                self.store.conn.execute("begin")
            conn = self.store.conn
        try:
            return method(self, *args, **kwargs)
        finally:
            if conn.in_transaction:
                conn.execute("commit")
    return run


class Answerer:
    """Loads the store once and answers questions. Interface used by every front end."""

    def __init__(self, home: str | None = None, *, keep_open: bool = False) -> None:
        self.home = home
        self.store = Store(home)  # StoreMissing when no store was built in home
        self._version = self.store.version()
        self.store.conn.execute("begin")  # loaded from one snapshot of the store
        try:
            self._build_id = self.store.build_id()
            self._load()
        except BaseException:
            self.store.close()
            raise
        if not keep_open:  # (index.update waits for no idle answerer)
            self.store.conn.execute("commit")

    def refresh(self) -> bool:
        """Answer from the store file as it is now: load again when the file changed since
        this answerer loaded (one stat(); True when it reloaded). A rebuild replaces the
        file, which the open connection cannot see: long-running front ends (the Telegram
        worker, the terminal chat) call this before each call. Adds and removes commit in
        place and are caught by every question method itself (_snapshot)."""
        version = self.store.version()
        if version == self._version or not version:
            return False
        return self._reload()

    def _reload(self, snapshot: bool = False) -> bool:
        """Load the store as it is now; with `snapshot` the new store stays inside the read
        transaction it was loaded in (a question goes on in it)."""
        try:
            fresh = Answerer(self.home, keep_open=snapshot)
        except (OSError, sqlite3.Error):  # the store changed again while loading: the next call retries
            return False
        old = self.store
        self.__dict__.update(fresh.__dict__)
        old.close()
        return True

    def _load(self) -> None:
        from index.agencies import jurisdiction_short
        from index.search import TaskSearch
        from intents.names import Lexicon, latin_places, position_titles
        from text.lexicon import EnglishAsking, Synonyms
        from text.tokens import Tokenizer

        st = self.store
        self.sources = st.sources()
        self.agencies = st.agencies()
        juris = {}
        for s in self.sources.values():
            j = s["jurisdiction"]
            juris[j] = j
            juris[jurisdiction_short(j)] = j
        self.pinyin_of = st.pinyin()
        self.lex = Lexicon(
            jurisdictions=juris, aliases=st.aliases(), people=st.people_names(),
            titles={k: v["title"] or "" for k, v in self.sources.items()},
            source_jurisdiction={k: v["jurisdiction"] for k, v in self.sources.items()}, places=st.places(),
            synonyms=Synonyms(st.lexicon("synonym")), english=EnglishAsking(st.lexicon("asking_en")),
            ascii_words=set(st.lexicon("latin")),
            positions=position_titles([p["position"] for p in st.people()]),
            latin_places=latin_places(list(dict.fromkeys(juris.values())), self.pinyin_of),
        )
        self.tokenizer = Tokenizer(st.dictionary())
        self.search = TaskSearch(st.conn, self.tokenizer.cut, self.pinyin_of)

    def reindex(self) -> None:
        """Rebuild the store from the documents and answer from the new one. A failed
        build (index.build.BuildError) leaves this answerer on the old store."""
        from index.build import build_store

        build_store(self.home)
        self.refresh()

    # --- public API ---------------------------------------------------------------
    @_snapshot
    def ask(self, question: str, *, agency: str | int | None = None, scope: str | None = None,
            context: "Context | None" = None) -> Answer:
        """Answer a free question. `agency`: the user's bound agency (name or id, for
        我的任务); `scope`: a jurisdiction to limit answers to (None = all); `context`:
        the chat's last answer (`Answer.context()`), which follow-ups (什么时候完成,
        那配合单位呢, 第二个, 还有呢, 它有哪些任务) refer to. Without a context a
        follow-up is "not found", and every other question is answered the same."""
        from text.normalize import clean_text
        from intents.understand import understand

        question = clean_text(question or "")  # echoed by --json: must be encodable
        bound = self._bound_ids(agency)
        intent = understand(question, self.lex, bound)
        if scope and scope in self.lex.jurisdictions and not intent.jurisdictions:
            intent.jurisdictions = [self.lex.jurisdictions[scope]]
        if intent.unknown_place and intent.name not in ("person", "help"):
            return self._not_found(question, f"暂未收录{intent.unknown_place}的任务分工文件。", [])
        if intent.name == "followup":
            return self._followup(question, intent, context)
        if context is not None and intent.name == "deadline_tasks":
            from bot.followups import period_of_last_agency  # 市民政局有哪些任务 → 逾期的呢

            period_of_last_agency(question, intent, context)
        if intent.name == "agency_tasks" and intent.bare and context is not None and context.intent == "task":
            from bot.followups import agency_in_last  # 那市财政局呢, after a task's card

            return agency_in_last(self, question, intent, context)
        return self._handlers[intent.name](question, intent)

    @property
    def _handlers(self) -> dict[str, Any]:
        """Intent name (intents.understand.INTENTS) → the method that answers it."""
        return {
            "help": self._help,
            "documents": self._documents,
            "person": self._person,
            "agency_duty": self._duty,
            "agency_tasks": self._agency_tasks,
            "deadline_tasks": self._deadline_tasks,
            "task": self._task,
            "followup": self._followup,
        }

    @_snapshot
    def task(self, source: str, number: str, facet: str = "who", *, query: str = "") -> Answer:
        """One task by key (for choice buttons); `query`: the words whose match a long
        task's card shows (the question it answers)."""
        t = self.store.task(source, number, score=1.0)
        if t is None:
            return self._not_found(f"{source} {number}", "没有这项任务（文件可能已更新）。", [])
        return Answer(question=f"{source} {number}", intent="task", facet=facet, tasks=[t],
                      blocks=["", self._task_block(t, facet, query)], shown=1, query=query)

    @_snapshot
    def agency_tasks(self, agency_id: int, role: str = "any") -> Answer:
        """The task list of one agency (for /tasks, /my and choice buttons)."""
        from intents.understand import Intent

        name = self.agencies.get(agency_id, {}).get("canonical", "")
        return self._agency_tasks(name, Intent("agency_tasks", name, agency_ids=[agency_id], role=role))

    @_snapshot
    def due(self, words: str = "", agency_id: int | None = None, role: str = "any") -> Answer:
        """`/due [逾期|30天|今年|2025年底前…]` (bot/due_answers.py)."""
        from bot.due_answers import due_answer

        return due_answer(self, words, agency_id, role)

    @_snapshot
    def digest(self, agency_id: int, today=None) -> dict:
        """One agency's overdue and due-soon tasks with a short reply (bot/due_answers.py)."""
        from bot.due_answers import agency_digest

        return agency_digest(self, agency_id, today)

    @_snapshot
    def workbook(self, tasks: list[dict], today=None) -> bytes:
        """The .xlsx of a task list for 导出Excel (bot/workbook.py)."""
        from bot.due_answers import task_workbook

        return task_workbook(self, tasks, today)

    def find_agencies(self, name: str) -> list[dict]:
        """Agencies a name may mean: [{"id", "canonical", "jurisdiction"}], best first."""
        from text.normalize import squash
        from intents.names import find_jurisdictions, find_mentions

        q = squash(name)
        ids = [i for m in find_mentions(q, self.lex) for i in m.agency_ids]
        named = {j for j, _, _ in find_jurisdictions(q, self.lex)}
        if named:
            ids = [i for i in ids if self.agencies[i]["jurisdiction"] in named] or ids
        if not ids:
            ids = self._fuzzy_agencies(q)
        return [self._agency_ref(i) | {"id": i} for i in dict.fromkeys(ids)]

    @_snapshot
    def cards(self, query: str, limit: int = 10) -> list[Answer]:
        """Up to `limit` one-task answers for inline mode."""
        a = self.ask(query)
        if a.intent == "task":
            return [self.task(t["source"], t["number"], a.facet or "who", query=a.query) for t in a.tasks[:limit]]
        return [a] if a.intent != "not_found" else []

    def agency(self, agency_id: int) -> dict | None:
        """{"id", "canonical", "jurisdiction"} of one agency, or None when unknown."""
        return self._agency_ref(agency_id) | {"id": agency_id} if agency_id in self.agencies else None

    def close(self) -> None:
        self.store.close()

    def documents(self) -> list[dict]:
        """[{"id", "title", "jurisdiction", "tasks"}] for /docs."""
        return [{k: s[k] for k in ("id", "title", "jurisdiction", "tasks")} for s in self.sources.values()]

    def jurisdictions(self) -> list[str]:
        return list(dict.fromkeys(s["jurisdiction"] for s in self.sources.values()))

    # --- intents --------------------------------------------------------------------
    def _task(self, question: str, intent) -> Answer:
        jurisdictions = intent.jurisdictions
        if intent.agency_ids and not jurisdictions:  # 县民政局…: only where that agency is
            jurisdictions = sorted({self.agencies[i]["jurisdiction"] for i in intent.agency_ids if i in self.agencies})
        sources = self._sources_in(jurisdictions)
        if intent.off_topic:
            return self._not_found(question, "任务分工表只写谁负责、谁牵头、谁配合和完成时限，没有这类信息。", [])
        # time words (今年, 下个月) name when, not what: documents print dates, so they are no subject
        from intents.periods import strip_period

        subject = strip_period(intent.content) if intent.content else ""
        unknown = self.search.unknown_words(subject) if subject.strip() else []
        if unknown and unknown_share(unknown, subject) >= UNKNOWN_SHARE:
            # the scope rule (index/scope.py; README, How it works → Scope, has the figures)
            return self._not_found(question, f"收录的文件里没有提到“{unknown[0]}”。", [])
        hits = self.search.search(intent.content, sources, limit=12) if intent.content else []
        about = self.search.clauses_about(question, intent.content, hits[0].task_id, MIN_COVERAGE, self.lex.english) if hits else None
        if about:  # a chat message's preamble (clauses the task found does not explain) is not its question
            hits = self.search.search(about, sources, limit=12) or hits
        if intent.agency_ids and hits:  # a named agency favours its own tasks
            mine = self.store.task_ids_of(intent.agency_ids)
            for h in hits:
                if h.task_id in mine:
                    h.score += 0.05
            hits.sort(key=lambda h: (-h.score, -h.coverage))
        if not hits or hits[0].coverage < MIN_COVERAGE:
            return self._not_found(question, "没有找到与问题相符的任务。", hits)
        best = hits[0].score
        chosen = [h for h in hits if h.coverage >= MIN_COVERAGE and h.score >= RELATED * best][:MAX_TASKS]
        found = self.store.tasks(h.task_id for h in chosen)
        if intent.facet == "lead":
            # 谁牵头: among the near-best, tasks that name a lead answer the question;
            # the sort is stable, so evidence (score, then coverage) orders the rest
            near = [h for h in chosen if h.score >= best - NEAR_TOP]
            near.sort(key=lambda h: not found[h.task_id]["lead"])
            chosen = near + chosen[len(near):]
        tasks = [found[h.task_id] | {"score": round(h.score, 3)} for h in chosen]
        full = tasks[: sum(1 for t in tasks if t["score"] >= best - NEAR_TOP)]
        related = tasks[len(full):]
        head = f"找到 {len(full)} 项相关任务：" if len(full) > 1 else ""
        blocks = [head] + [self._task_block(t, intent.facet, intent.content) for t in full]
        if related:
            blocks.append("其他可能相关：\n" + "\n".join(f"· {self._task_label(t)}" for t in related))
        close = [t for t in tasks[1:] if t["score"] >= tasks[0]["score"] - 0.03]
        choices = [Choice(self._task_label(t), "task", f"{t['source']}|{t['number']}") for t in [tasks[0], *close]] if close else []
        return Answer(question=question, intent="task", facet=intent.facet, tasks=tasks, blocks=blocks, choices=choices,
                      shown=len(full), agency_ids=list(intent.agency_ids), query=intent.content,
                      jurisdictions=list(jurisdictions))

    def _followup(self, question: str, intent, context: "Context | None" = None) -> Answer:
        """A question that refers to the chat's last answer (bot/followups.py)."""
        from bot.followups import followup_answer

        return followup_answer(self, question, intent, context)

    def _keyed_tasks(self, keys: list[tuple[str, str]]) -> list[dict]:
        return [t for t in (self.store.task(s, n, score=1.0) for s, n in keys) if t is not None]

    def _keyed(self, question: str, keys: list[tuple[str, str]], facet: str, head: str = "", content: str = "") -> Answer:
        """Tasks by key, as cards with `facet` first (follow-ups)."""
        tasks = self._keyed_tasks(keys)
        if not tasks:
            return self._not_found(question, "没有这项任务（文件可能已更新）。", [])
        return Answer(question=question, intent="task", facet=facet, tasks=tasks, shown=len(tasks),
                      blocks=[head] + [self._task_block(t, facet, content) for t in tasks])

    def _agency_tasks(self, question: str, intent) -> Answer:
        if not intent.agency_ids:  # 我们单位有哪些任务, with no agency bound
            return self._not_found(question, "还不知道您的单位：请用 /iam 单位名称 绑定，或在问题里说出单位（如“我是县民政局的”）。", [])
        found = self._named_agencies(question, intent)
        if isinstance(found, Answer):
            return found
        ids, agency, names = found
        tasks = self._agency_role_tasks(ids, intent.role)
        role_word = {"lead": "牵头或负责的", "support": "配合的"}.get(intent.role, "")
        if not tasks:
            blocks = [f"{names}没有{role_word}任务。"]
            others = self._agency_role_tasks(ids, "any") if intent.role != "any" else []
            if others:  # "no tasks" alone would tell an agency it has nothing to do
                blocks[0] += f"它在其他角色共有 {len(others)} 项任务（{_role_counts(others)}），问“{names.split('（')[0]}有哪些任务”可看全部。"
        else:
            blocks = [f"{names}共有 {len(tasks)} 项{role_word}任务（{_role_counts(tasks)}）："] + self._grouped_blocks(tasks, with_role=True)
        return Answer(question=question, intent="agency_tasks", tasks=tasks, agency=agency, blocks=blocks,
                      agency_ids=list(ids), role=intent.role, introduced=intent.introduced)

    def _deadline_tasks(self, question: str, intent) -> Answer:
        """Tasks whose due dates fall in the question's period (bot/due_answers.py)."""
        from bot.due_answers import period_answer

        return period_answer(self, question, intent)

    def _named_agencies(self, question: str, intent) -> "tuple[list[int], Any, str] | Answer":
        """The question's agencies inside its jurisdictions: (ids, the `agency` of the answer,
        their names for a reply), or a not-found Answer when none is there."""
        ids = self._in_jurisdictions(intent.agency_ids, intent.jurisdictions)
        if not ids:
            where = "、".join(intent.jurisdictions)
            return self._not_found(question, f"在{where}的文件中没有找到“{intent.agency_text or ''}”。", [])
        refs = [self._agency_ref(i) for i in ids]
        names = "、".join(f"{a['canonical']}（{a['jurisdiction']}）" for a in refs[:NAMED_AGENCIES])
        if len(refs) > NAMED_AGENCIES:  # 民政局 in a library of many places: a header, not a roll
            names += f"等 {len(refs)} 个单位"
        return ids, refs[0] if len(refs) == 1 else refs, names

    def _agency_role_tasks(self, ids: list[int], role: str) -> list[dict]:
        """An agency's tasks in a role (lead = lead or responsible), each once with its
        strongest role, in document order."""
        roles = ("lead", "responsible") if role == "lead" else ("support",) if role == "support" else tuple(ROLE_ORDER)
        return self.store.tasks_of(ids, roles)

    def _duty(self, question: str, intent) -> Answer:
        ids = self._in_jurisdictions(intent.agency_ids, intent.jurisdictions)
        rows = self.store.duties_of(ids)
        if not rows:  # no duty statement for this body: its tasks are the next best answer
            answer = self._agency_tasks(question, intent)
            if answer.tasks:
                answer.blocks[0] = f"文件没有列出{intent.agency_text}的职责；它承担的任务如下。\n" + answer.blocks[0]
            return answer
        duties = [{"agency": r["agency"], "duty": r["duty"]} for r in rows]
        blocks = [""] + [f"{d['agency']}的主要职责：\n{d['duty']}" for d in duties]
        return Answer(question=question, intent="agency_duty", duties=duties, blocks=blocks, agency_ids=list(ids))

    def _person(self, question: str, intent) -> Answer:
        if intent.person:
            rows = self.store.people(name=intent.person)
        elif intent.position:  # a whole title: 县长 is not 常务副县长
            from intents.names import position_titles

            rows = [r for r in self.store.people() if intent.position in position_titles([r["position"]])]
        elif intent.agency_ids:
            ids = self._in_jurisdictions(intent.agency_ids, intent.jurisdictions)
            names = self.store.aliases_of(ids)
            places = {self.agencies[i]["jurisdiction"] for i in ids}
            rows = [r for r in self.store.people() if any(len(n) >= 3 and n in (r["position"] or "") for n in names)
                    and self.sources[r["source"]]["jurisdiction"] in places]
        else:
            rows = self.store.people(group_role=intent.group_role)
        if not rows:
            return self._not_found(question, "没有找到这位人员。", [])
        people = [{k: r[k] for k in ("name", "group_role", "position", "office_role")} for r in rows]
        blocks = [""] + [
            f"{p['name']}：{self.sources[r['source']]['title']}工作专班{p['group_role']}"
            + (f"、{p['office_role']}" if p["office_role"] else "") + f"，{p['position']}"
            for p, r in zip(people, rows)
        ]
        return Answer(question=question, intent="person", people=people, blocks=blocks)

    def _help(self, question: str, intent=None) -> Answer:
        docs = "\n".join(f"· {s['title']}（{s['jurisdiction']}，{s['tasks']} 项）" for s in self.sources.values())
        text = (
            "我能回答任务分工表里“谁负责、谁牵头、谁配合、什么时候完成”的问题，例如：\n"
            + "\n".join(f"· {e}" for e in EXAMPLES)
            + f"\n\n已收录的文件：\n{docs}"
        )
        return Answer(question=question, intent="help", blocks=[text], suggestions=list(EXAMPLES))

    def _documents(self, question: str, intent) -> Answer:
        """The documents held (of the places named), with their task counts; a document
        named by its title: its tasks, with lead and deadline."""
        if intent.sources:
            source = self.sources[intent.sources[0]]
            tasks = self.store.tasks_in(source["id"])
            head = f"《{source['title']}》（{source['jurisdiction']}）共 {len(tasks)} 项任务："
            return Answer(question=question, intent="documents", tasks=tasks,
                          blocks=[head] + [document_line(t) for t in tasks])
        places = set(intent.jurisdictions)
        docs = [s for s in self.sources.values() if not places or s["jurisdiction"] in places]
        where = "、".join(intent.jurisdictions)
        if not docs:
            return self._not_found(question, f"还没有收录{where}的任务分工文件。", [])
        total = sum(s["tasks"] for s in docs)
        head = f"已收录{where}的 {len(docs)} 份文件，共 {total} 项任务："
        lines = "\n".join(f"· {s['title']}（{s['jurisdiction']}，{s['tasks']} 项）" for s in docs)
        tip = "问一个单位的任务，例如“市民政局有哪些任务”；问到期情况，例如“已逾期的任务”。"
        return Answer(question=question, intent="documents", blocks=[f"{head}\n{lines}", tip], suggestions=list(EXAMPLES),
                      jurisdictions=list(intent.jurisdictions))

    def _not_found(self, question: str, why: str, hits) -> Answer:
        suggestions = []
        if hits:
            found = self.store.tasks(h.task_id for h in hits[:3] if h.coverage >= 0.3)
            for h in hits[:3]:
                if h.task_id in found:
                    t = found[h.task_id]
                    suggestions.append(f"谁负责{t['title'] or _short(t['task'], 24)}")
        text = why
        if suggestions:
            text += "\n您是不是想问：\n" + "\n".join(f"· {s}" for s in suggestions)
        else:
            text += "\n可以这样问：\n" + "\n".join(f"· {e}" for e in EXAMPLES)
        return Answer(question=question, intent="not_found", suggestions=suggestions, blocks=[text])

    # --- helpers --------------------------------------------------------------------
    def _bound_ids(self, agency: str | int | None) -> list[int]:
        if agency is None or agency == "":
            return []
        if isinstance(agency, int) or (str(agency).isascii() and str(agency).isdigit()):  # not "²"
            return [int(agency)] if int(agency) in self.agencies else []
        return [a["id"] for a in self.find_agencies(str(agency))]

    def _fuzzy_agencies(self, q: str) -> list[int]:
        """Typos in an agency name (市民证局): the closest alias, when it is close."""
        from rapidfuzz import fuzz, process

        found = process.extractOne(q, list(self.lex.aliases), scorer=fuzz.ratio, score_cutoff=80)
        return list(self.lex.aliases[found[0]]) if found else []

    def _sources_in(self, jurisdictions: list[str]) -> set[str] | None:
        if not jurisdictions:
            return None
        return {k for k, s in self.sources.items() if s["jurisdiction"] in jurisdictions}

    def _in_jurisdictions(self, ids: list[int], jurisdictions: list[str]) -> list[int]:
        if not jurisdictions:
            return list(ids)
        return [i for i in ids if self.agencies[i]["jurisdiction"] in jurisdictions]

    def _agency_ref(self, agency_id: int) -> dict:
        a = self.agencies[agency_id]
        return {"canonical": a["canonical"], "jurisdiction": a["jurisdiction"]}

    def _task_label(self, t: dict) -> str:
        return f"{self.sources[t['source']]['jurisdiction']} 第{t['number']}项 {t['title'] or _short(t['task'], 16)}"

    def _grouped_blocks(self, tasks: list[dict], with_role: bool = False, with_deadline: bool = False) -> list[str]:
        return grouped_blocks(tasks, {k: v["title"] for k, v in self.sources.items()}, with_role, with_deadline)

    def _task_block(self, t: dict, facet: str | None, content: str = "") -> str:
        # the question's words and their document forms (老年食堂 → 长者饭堂) find the window
        return task_card(t, self.sources[t["source"]]["title"], facet, f"{content} {self.search.synonyms.apply(content)}")
