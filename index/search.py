"""Find the tasks a question is about: inverted-index candidates, then a rerank.

Terms of a text are its jieba words ("w:"), its character bigrams ("b:") and, for
typos from a pinyin keyboard (老年大雪 for 老年大学), the toneless pinyin of each
bigram ("p:"). The index lives in the store (see build_terms: `terms` with each term's
df, `postings` with its task ids, `task_text` with each task's text as the rerank
reads it), so a search reads only the rows of the question's terms. Candidates come
from the rarest terms first, then a rerank scores each by how much of the question it
explains (idf-weighted coverage) and by rapidfuzz's best local alignment. The coverage
also gives the confidence that decides between an answer and "not found".

Sizes: on the seed store (158 tasks) a question reads ~1,000 postings; on 100,000
synthetic tasks every term is common, so candidates stop at MAX_POSTINGS entries
(once RERANK are found), are summed with numpy, and a question scoped to a
jurisdiction reads only its documents' id ranges. docs/benchmarks.md has the numbers.
"""
from __future__ import annotations

import heapq
import math
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from index.postings import restrict as _restrict, restrict_np as _restrict_np, unpack  # noqa: F401 (unpack: callers)
from text.lexicon import Synonyms
from text.normalize import content_chars
from text.terms import Terms, bigrams, text_terms

MAX_POSTINGS = 30_000  # posting entries read per question once candidates are enough
RERANK = 60  # candidates that get the full score
MMAP_BYTES = 1 << 30
# A task whose head (title, else first sentence) holds all of the question's weight gains
# HEAD_BONUS; one printing every word the user typed where the synonym table changed it,
# TYPED_BONUS (index.search.TaskSearch._bonus).
HEAD_BONUS = 0.05
TYPED_BONUS = 0.05
# Up to this many postings (the seed store: ~1,300 at most) a question's candidates are
# summed in a dict; above it with numpy, which a 100,000-task store needs (0.5 ms where
# the dict takes 2-5 ms) and a small store never imports.
SMALL_VOLUME = 4_000
# A store of at most this many tasks is held in memory after its first search (the
# seed store: ~15 ms to load, then no SQL per question); a larger one is read per term.
MEMORY_TASKS = 2_000


@dataclass
class Hit:
    task_id: int
    score: float  # 0..1, the rerank score
    coverage: float  # share of the question's weight this task explains


class TaskSearch:
    """Search over the store's `terms` postings. One instance per process."""

    def __init__(self, conn: sqlite3.Connection, cut, pinyin_of: dict[str, str]) -> None:
        self.conn = conn
        self.cut = cut
        self.pinyin_of = pinyin_of
        from index.store import lexicon_pairs

        # the store's synonym table: questions are mapped as the documents were at build
        self.synonyms = Synonyms(lexicon_pairs(conn, "synonym"))
        # postings and task texts are read through a memory map: no read() call and no
        # copy into SQLite's page cache for each page (~15% of a question at 100,000 tasks)
        conn.execute(f"pragma mmap_size = {MMAP_BYTES}")
        self.n_tasks = conn.execute("select count(*) from tasks").fetchone()[0] or 1
        self._codes = pinyin_codes(pinyin_of)
        self._ranges: dict[str, tuple[int, int]] | None = None
        self._consecutive = True
        self._max_id: int | None = None
        self._memory: tuple[dict, dict, dict] | None = None  # terms, postings, task texts of a small store
        self._heads: dict[int, tuple[str, str]] = {}  # task id → its head and printed text (_printed)

    def idf(self, df: int) -> float:
        return math.log(1 + (self.n_tasks - df + 0.5) / (df + 0.5))

    def _in_memory(self) -> tuple[dict, dict, dict] | None:
        if self._memory is None and self.n_tasks <= MEMORY_TASKS:
            c = self.conn
            self._memory = (
                {t: (df, pid) for t, df, pid in c.execute("select term, df, pid from terms")},
                dict(c.execute("select id, ids from postings")),
                {i: (text, code) for i, text, code in c.execute("select id, text, code from task_text")},
            )
        return self._memory

    def _dfs(self, keys: set[str]) -> tuple[dict[str, int], dict[str, int | None]]:
        """df of each key the store holds, and where its postings are."""
        if not keys:
            return {}, {}
        memory = self._in_memory()
        if memory is not None:
            found = [(k, memory[0][k]) for k in keys if k in memory[0]]
            return {k: v[0] for k, v in found}, {k: v[1] for k, v in found}
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(f"select term, df, pid from terms where term in ({marks})", list(keys)).fetchall()
        return {t: df for t, df, _ in rows}, {t: pid for t, _, pid in rows}

    def _blobs(self, pids: list[int | None]) -> dict[int, bytes]:
        wanted = [p for p in pids if p]
        if not wanted:
            return {}
        if self._memory is not None:
            return {p: self._memory[1][p] for p in wanted}
        marks = ",".join("?" * len(wanted))
        return dict(self.conn.execute(f"select id, ids from postings where id in ({marks})", wanted))

    def _blob(self, pid: int | None) -> bytes:
        if self._memory is not None:
            return self._memory[1].get(pid, b"") if pid else b""
        row = self.conn.execute("select ids from postings where id = ?", (pid,)).fetchone() if pid else None
        return row[0] if row and row[0] else b""

    def _id_ranges(self, sources: set[str]) -> list[tuple[int, int]] | set[int]:
        """The task ids of some documents: as id ranges (a build numbers each
        document's tasks consecutively), or as a set if a store ever does not."""
        if self._ranges is None:
            rows = self.conn.execute("select source, min(id), max(id), count(*) from tasks group by source").fetchall()
            self._ranges = {src: (lo, hi) for src, lo, hi, _ in rows}
            self._consecutive = all(hi - lo + 1 == n for _, lo, hi, n in rows)
        if not self._consecutive:
            marks = ",".join("?" * len(sources))
            return {r[0] for r in self.conn.execute(f"select id from tasks where source in ({marks})", list(sources))}
        return sorted(self._ranges[s] for s in sources if s in self._ranges)

    def search(self, content: str, sources: set[str] | None = None, limit: int = 10) -> list[Hit]:
        """Tasks that `content` (a question without its intent words) is about, best
        first; `sources` limits them to some documents."""
        typed, content = content, self.synonyms.apply(content)
        q = text_terms(content, self.cut, self.pinyin_of, query=True)
        if not q.grams and not q.words:
            return []
        dfs, pids = self._dfs(q.keys())
        weight = {k: self.idf(df) for k, df in dfs.items()}
        only = self._id_ranges(sources) if sources is not None else None
        top = self._candidates(dfs, pids, weight, only)
        if not top:
            return []
        rows = self._rows(top)
        qp = self._prepare(content, q, weight)
        # the typed words the synonym table changed (托老所 → 日间照料中心): _bonus
        qp.own = {g for seg in typed.split() for g in bigrams(content_chars(seg))} - {g for g, *_ in qp.grams}
        # the same text in several documents is scored once
        places: dict[str, list[int]] = {}  # text → its candidates' places in `top`
        for i, tid in enumerate(top):
            places.setdefault(rows[tid][0], []).append(i)
        staged = []
        for text, at in places.items():
            ev = self._evidence(qp, text, rows[top[at[0]]][1])
            staged.append((ev.bound, at[0], text, ev, at))
        # Full scores best bound first; once `limit` scores beat the best bound left,
        # no text left can enter the first `limit`, so the hits are those of scoring all.
        staged.sort(key=lambda x: (-x[0], x[1]))
        self._printed([top[at[0]] for *_, at in staged[: limit + 8]])  # the heads of the likely ones, in one read
        best: list[float] = []  # the `limit` best scores so far (a min-heap)
        hits: list[tuple[int, Hit]] = []
        for bound, _, text, ev, at in staged:
            if len(best) >= limit and bound < best[0]:
                break
            hit = self._score(qp, top[at[0]], text, ev)
            hit.score += self._bonus(qp, ev, top[at[0]])
            for i in at:
                hits.append((i, hit if i == at[0] else Hit(top[i], hit.score, hit.coverage)))
                if len(best) < limit:
                    heapq.heappush(best, hit.score)
                elif hit.score > best[0]:
                    heapq.heapreplace(best, hit.score)
        # ties by evidence (coverage), then in `top` order (the same text in several documents)
        hits.sort(key=lambda x: (-x[1].score, -x[1].coverage, x[0]))
        return [h for _, h in hits[:limit]]

    def unknown_words(self, content: str) -> list[str]:
        """The scope rule's test: index.scope.unknown_words over this store."""
        from index.scope import unknown_words

        return unknown_words(self, content)

    def clauses_about(self, question: str, content: str, task_id: int, bar: float, english=None) -> str | None:
        """`content` without the clauses of `question` the task explains less than `bar`
        of (index.clauses: a chat message's preamble), or None when every clause is."""
        from index.clauses import about_content

        doc, code = self._rows([task_id])[task_id]

        def explains(text: str) -> float:
            text = self.synonyms.apply(text)
            q = text_terms(text, self.cut, self.pinyin_of, query=True)
            dfs, _ = self._dfs(q.keys())
            return self._evidence(self._prepare(text, q, {k: self.idf(df) for k, df in dfs.items()}), doc, code).coverage

        return about_content(question, content, explains, bar, english)

    def _bonus(self, qp: "_Query", ev: "_Evidence", tid: int) -> float:
        """What a task gains for evidence that it is about the subject: its head (title,
        else first sentence) printing the question's exactly matched weight, and its
        text printing the words the user typed where the synonym table changed them
        (托老所, read as 日间照料中心, is printed by one task only), where another task
        merely mentions the subject in a later sentence or prints only the table's word.
        At most HEAD_BONUS × the exact share and TYPED_BONUS (_evidence's bound)."""
        head, text = self._printed([tid])[tid]
        share = sum(credit for g, credit, _, exact in ev.matched if exact and g in head) / qp.total if qp.total else 0.0
        gain = HEAD_BONUS * share
        if qp.own:
            gain += TYPED_BONUS * sum(g in text for g in qp.own) / len(qp.own)
        return gain

    def _printed(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        """Each task's head in the synonym table's words and its text as printed (also
        without glosses), content characters only (index.printed); kept once read."""
        from index.printed import bare_text, head_of, without_quotes

        missing = [i for i in ids if i not in self._heads]
        if missing:
            if len(self._heads) > 20_000:  # a large store: keep the recent ones
                self._heads.clear()
            marks = ",".join("?" * len(missing))
            for i, title, task in self.conn.execute(f"select id, title, task from tasks where id in ({marks})", missing):
                head = content_chars(self.synonyms.apply(without_quotes(head_of(title, task))))
                self._heads[i] = (head, content_chars(f"{title or ''}{task}") + content_chars(bare_text(task)))
        return {i: self._heads[i] for i in ids}

    def _candidates(self, dfs: dict[str, int], pids: dict, weight: dict[str, float], only) -> list[int]:
        """The RERANK tasks with the most question weight among the postings read:
        rarest terms first, until there are RERANK candidates and the next term would
        take the entries read past MAX_POSTINGS (on a large store the common terms,
        养老 in 100,000 tasks, are never read); best first, ties in the order first
        read. `only` limits the postings to some documents' ids."""
        order = [k for k in sorted(dfs, key=lambda k: (dfs[k], k)) if not k.startswith("c:")]
        # characters only weigh evidence in the rerank (their postings are not stored)
        volume = sum(dfs[k] for k in order)
        if only is not None:  # at most every wanted task in every term
            allowed = len(only) if isinstance(only, set) else sum(hi - lo + 1 for lo, hi in only)
            volume = min(volume, allowed * len(order))
        if volume <= SMALL_VOLUME:
            return self._candidates_dict(order, dfs, pids, weight, only)
        return self._candidates_numpy(order, dfs, pids, weight, only)

    def _candidates_dict(self, order: list[str], dfs: dict, pids: dict, weight: dict[str, float], only) -> list[int]:
        scores: dict[int, float] = {}
        read = 0
        blobs = self._blobs([pids[k] for k in order]) if only is None else {}  # all small: one query
        for key in order:
            if len(scores) >= RERANK and only is None and read + dfs[key] > MAX_POSTINGS:
                break
            ids = unpack(blobs.get(pids[key], b"") if only is None else self._blob(pids[key]))
            if only is not None:
                ids = _restrict(ids, only)
                if len(scores) >= RERANK and read + len(ids) > MAX_POSTINGS:
                    break
            w = weight[key] * (0.5 if key.startswith("p:") else 1.0)
            get = scores.get
            for tid in ids:
                scores[tid] = get(tid, 0.0) + w
            read += len(ids)
        return heapq.nlargest(RERANK, scores, key=scores.get)  # = sorted(…, reverse=True)[:RERANK]

    def _candidates_numpy(self, order: list[str], dfs: dict, pids: dict, weight: dict[str, float], only) -> list[int]:
        """The same candidates in the same order as _candidates_dict, for large stores
        where a question's terms have tens of thousands of postings: the sums are
        np.bincount's (added in the same order, so the same floats), the ranking a
        partition. numpy is imported only here, so a small store never loads it."""
        import numpy as np

        if self._max_id is None:
            self._max_id = self.conn.execute("select max(id) from tasks").fetchone()[0] or 0
        size = self._max_id + 1
        seen = np.zeros(size, dtype=bool)
        distinct = read = 0
        parts, weights = [], []
        for key in order:
            if distinct >= RERANK and only is None and read + dfs[key] > MAX_POSTINGS:
                break
            ids = np.frombuffer(self._blob(pids[key]), dtype=np.uint32)
            if only is not None:
                ids = _restrict_np(np, ids, only)
                if distinct >= RERANK and read + len(ids) > MAX_POSTINGS:
                    break
            if distinct < RERANK:
                distinct += len(ids) - int(np.count_nonzero(seen[ids]))
                seen[ids] = True
            parts.append(ids)
            weights.append(weight[key] * (0.5 if key.startswith("p:") else 1.0))
            read += len(ids)
        if not parts:
            return []
        scores = np.bincount(np.concatenate(parts), weights=np.repeat(weights, [len(p) for p in parts]), minlength=size)
        first = np.full(size, len(parts), dtype=np.int64)  # rank of the first term that holds each task
        for rank in range(len(parts) - 1, -1, -1):
            first[parts[rank]] = rank
        cand = np.flatnonzero(first < len(parts))
        if len(cand) > RERANK:
            s = scores[cand]
            kth = np.partition(s, len(s) - RERANK)[len(s) - RERANK]  # the RERANK-th best score
            above, tied = cand[s > kth], cand[s == kth]
            need = RERANK - len(above)
            if len(tied) > need:  # ties go to the first read: lowest (term rank, id)
                key = first[tied] * size + tied
                tied = tied[np.argpartition(key, need - 1)[:need]]
            cand = np.concatenate([above, tied])
        ranked = cand[np.lexsort((cand, first[cand], -scores[cand]))]
        return [int(t) for t in ranked[:RERANK]]

    def _rows(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        """Each task's text as the rerank reads it, and its pinyin code (build_terms)."""
        if self._memory is not None:
            return {tid: self._memory[2][tid] for tid in ids}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"select id, text, code from task_text where id in ({marks})", ids)
        return {tid: (text, code) for tid, text, code in rows}

    def _prepare(self, content: str, q: Terms, weight: dict[str, float]) -> "_Query":
        """What the rerank needs of the question, computed once per search: each
        gram's weight, pinyin code and reversal, the words and characters that count,
        and the sums that do not depend on the candidate (added in the same order as
        the candidate's credit, so every score is the same float)."""
        codes = self._codes
        unseen = self.idf(0)
        grams = []
        total = 0.0
        for g in q.grams:
            w = weight.get(f"b:{g}", unseen)
            total += w
            grams.append((g, w, g.translate(codes), g[::-1], _skip_re(g), g[0], g[1]))
        words = []
        for word in q.words:
            if f"w:{word}" in weight:  # unknown words already count through their grams
                total += weight[f"w:{word}"]
                words.append((word, weight[f"w:{word}"]))
        chars = []
        chars_total = 0.0
        for c in q.chars:
            w = weight.get(f"c:{c}", unseen)
            chars_total += w
            chars.append((c, w, c.translate(codes)))
        plain = content_chars(content)
        return _Query(grams, words, total, chars, chars_total, max(24, 3 * len(q.chars)), plain,
                      list(Counter(plain).items()))

    def _evidence(self, qp: "_Query", doc: str, code: str) -> "_Evidence":
        """What a candidate text (content_chars(canonical_words(title + "。" + task)), from
        the store, and its pinyin code) holds of the question: the credit of each gram,
        the coverage, the character coverage, and an upper bound of its final score.

        Evidence is found with str.find on the text and on its pinyin code (each
        character replaced by one character standing for its toneless pinyin), so a
        candidate costs a few microseconds per question gram rather than a map of
        every gram of the text."""
        matched: list[tuple[str, float, object, bool]] = []  # gram, credit, where (first position if exact), exact
        got = 0.0
        for g, w, g_code, g_rev, skip_re, first, second in qp.grams:
            if g_code in code:  # the same sound: exact, else a homophone typo
                at = doc.find(g)
                if at >= 0:
                    got += w  # credit 1.0
                    matched.append((g, w, at, True))
                    continue
                credit, where = 0.8, _positions(code, g_code)
            elif first in doc and second in doc:
                # 护理员 / 护理人员 (one character between), else 奶粉 / 粉奶
                where = [m.start() for m in skip_re.finditer(doc)]
                if not where:
                    if g_rev not in doc:
                        continue
                    where = _positions(doc, g_rev)
                credit = 0.6
            else:
                continue
            got += credit * w
            matched.append((g, credit * w, where, False))
        gram_got = got
        exact_got = sum(credit for _, credit, _, exact in matched if exact)
        for word, w in qp.words:
            if word in doc:
                got += w
        total = qp.total
        coverage = got / total if total else 0.0
        chars_got = 0.0
        for c, w, c_code in qp.chars:
            if c in doc:
                chars_got += w
            elif c_code in code:
                chars_got += 0.8 * w
        char_cov = chars_got / qp.chars_total if qp.chars_total else 0.0
        # The bound: the window holds at most every gram's credit, and rapidfuzz's
        # alignment of the question with any piece of the text is at most 2M/(L+M),
        # M the characters they share (with repeats; here: every occurrence in the
        # question of a character the text has), L the shorter length.
        shared = 0
        for ch, n in qp.plain_counts:
            if ch in doc:
                shared += n
        shortest = min(len(qp.plain), len(doc))
        align = 2 * shared / (shortest + shared) if shortest + shared else 0.0
        window = gram_got / total if total else 0.0
        bound = 0.8 * (0.35 * coverage + 0.35 * window + 0.3 * char_cov) + 0.2 * min(1.0, align) + 1e-9
        # and the most _bonus can give
        bound += HEAD_BONUS * (exact_got / total if total else 0.0) + (TYPED_BONUS if qp.own else 0.0)
        return _Evidence(matched, coverage, char_cov, bound)

    def _score(self, qp: "_Query", tid: int, doc: str, ev: "_Evidence") -> Hit:
        """The full score of a candidate: coverage overall and inside its best window,
        character coverage, and rapidfuzz's local alignment."""
        found: list[tuple[int, str, float]] = []  # (position, gram, credit)
        for g, credit, where, exact in ev.matched:
            if not exact:
                found += [(p, g, credit) for p in where]
            elif doc.find(g, where + 1) < 0:
                found.append((where, g, credit))
            else:
                found += [(p, g, credit) for p in _positions(doc, g)]
        total = qp.total
        window = _best_window(found, qp.width) / total if total else 0.0
        confidence = 0.35 * ev.coverage + 0.35 * window + 0.3 * ev.char_cov
        align = fuzz.partial_ratio(qp.plain, doc) / 100.0
        return Hit(tid, 0.8 * confidence + 0.2 * align, confidence)


@dataclass
class _Evidence:
    matched: list[tuple[str, float, object, bool]]
    coverage: float
    char_cov: float
    bound: float


@dataclass
class _Query:
    grams: list[tuple[str, float, str, str, re.Pattern, str, str]]  # gram, weight, pinyin code, reversed, skip regex, its characters
    words: list[tuple[str, float]]
    total: float
    chars: list[tuple[str, float, str]]  # character, weight, pinyin code
    chars_total: float
    width: int
    plain: str  # the question as rapidfuzz aligns it
    plain_counts: list[tuple[str, int]]  # its characters, with how often each occurs
    own: set[str] = field(default_factory=set)  # bigrams typed that the synonym table changed


def pinyin_codes(pinyin_of: dict[str, str]) -> dict[int, str]:
    """A str.translate table: each character → one character standing for its toneless
    pinyin, so two texts sound alike exactly where their codes are equal. A one-letter
    pinyin (e) is its own code, as a character without pinyin (a digit, a letter) is
    its own pinyin; longer ones get private-use characters, which no squashed text holds."""
    longer = sorted({py for py in pinyin_of.values() if len(py) != 1})  # the same codes in build and search
    ids = {py: chr(0xE100 + i) for i, py in enumerate(longer)}
    return {ord(ch): ids.get(py, py) for ch, py in pinyin_of.items()}


@lru_cache(maxsize=4096)
def _skip_re(gram: str) -> re.Pattern:
    """Where a gram's two characters stand with one character between them."""
    return re.compile(f"(?={re.escape(gram[0])}.{re.escape(gram[1])})", re.S)


def _positions(text: str, sub: str) -> list[int]:
    """Every (overlapping) start of sub in text."""
    out = []
    i = text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def _best_window(found: list[tuple[int, str, float]], width: int) -> float:
    """The most question weight (each gram once) inside any `width`-character window."""
    found.sort()
    best = 0.0
    counts: dict[str, int] = {}
    credit: dict[str, float] = {}
    total = 0.0
    lo = 0
    for pos, g, w in found:
        if counts.get(g, 0) == 0:
            total += w
            credit[g] = w
        elif w > credit[g]:
            total += w - credit[g]
            credit[g] = w
        counts[g] = counts.get(g, 0) + 1
        while found[lo][0] < pos - width:
            lg = found[lo][1]
            counts[lg] -= 1
            if counts[lg] == 0:
                total -= credit.pop(lg)
            lo += 1
        best = max(best, total)
    return best
