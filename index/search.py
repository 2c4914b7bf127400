"""Find the tasks a question is about: inverted-index candidates, then a rerank.

Terms of a text are its jieba words ("w:"), its character bigrams ("b:") and, for
typos from a pinyin keyboard (老年大雪 for 老年大学), the toneless pinyin of each
bigram ("p:"). Postings live in the store (`terms` table), so a search reads only the
rows of the question's terms. Candidates come from the rarest terms first, then a
rerank scores each by how much of the question it explains (idf-weighted coverage)
and by rapidfuzz's best local alignment. The coverage also gives the confidence that
decides between an answer and "not found".
"""
from __future__ import annotations

import math
import re
import sqlite3
from array import array
from dataclasses import dataclass

from rapidfuzz import fuzz

_KEEP = re.compile(r"[^\u3400-\u9fff0-9a-zA-Z.%]+")
MAX_POSTINGS = 30_000  # posting entries read per question before candidates are enough
RERANK = 60  # candidates that get the full score


# Words users type for what the documents say otherwise; applied to documents and
# questions alike before terms are taken, so either spelling meets the other.
SYNONYMS = {
    "老人": "老年人",
    "家里": "家庭",
    "小孩": "婴幼儿",
    "孩子": "婴幼儿",
    "托儿所": "托育机构",
    "养老院": "养老机构",
}


def canonical_words(text: str) -> str:
    for word, canon in SYNONYMS.items():
        if word in text:
            text = text.replace(canon, word).replace(word, canon)
    return text


def squash_text(text: str) -> str:
    """Only characters that carry content: CJK, digits, letters (养、疗、研 → 养疗研)."""
    return _KEEP.sub("", text or "")


def bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


@dataclass
class Terms:
    """The terms of one text, by kind, as sets (presence is what counts here)."""

    words: set[str]
    grams: set[str]
    pinyin: set[str]
    chars: set[str]

    def keys(self) -> set[str]:
        return (
            {f"w:{w}" for w in self.words} | {f"b:{g}" for g in self.grams} | {f"p:{p}" for p in self.pinyin}
            | {f"c:{c}" for c in self.chars}
        )


def text_terms(text: str, cut, pinyin_of: dict[str, str], query: bool = False) -> Terms:
    """Terms of a text; `cut` is the tokenizer, `pinyin_of` maps a character to pinyin.
    A question's spaces separate segments (stop words were there), so no bigram
    straddles them; a document's spaces are layout (到 2022 年) and are dropped."""
    text = canonical_words(text)
    segments = [squash_text(s) for s in text.split()] if query else [squash_text(text)]
    grams = {g for s in segments for g in bigrams(s)}
    return Terms(
        words={w for s in segments for w in cut(s) if len(w) >= 2},
        grams=grams,
        pinyin={gram_pinyin(g, pinyin_of) for g in grams},
        chars={c for s in segments for c in s},
    )


def gram_pinyin(gram: str, pinyin_of: dict[str, str]) -> str:
    return "_".join(pinyin_of.get(ch, ch) for ch in gram)


def pack(ids: list[int]) -> bytes:
    return array("I", ids).tobytes()


def unpack(blob: bytes) -> array:
    out = array("I")
    out.frombytes(blob)
    return out


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
        self.n_tasks = conn.execute("select count(*) from tasks").fetchone()[0] or 1

    def idf(self, df: int) -> float:
        return math.log(1 + (self.n_tasks - df + 0.5) / (df + 0.5))

    def _postings(self, keys: set[str]) -> dict[str, tuple[int, bytes]]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = self.conn.execute(f"select term, df, postings from terms where term in ({marks})", list(keys))
        return {term: (df, blob) for term, df, blob in rows}

    def search(self, content: str, sources: set[str] | None = None, limit: int = 10) -> list[Hit]:
        """Tasks that `content` (a question without its intent words) is about, best
        first; `sources` limits them to some documents."""
        q = text_terms(content, self.cut, self.pinyin_of, query=True)
        if not q.grams and not q.words:
            return []
        post = self._postings(q.keys())
        weight = {k: self.idf(df) for k, (df, _) in post.items()}
        # candidates: rarest terms first, until enough postings were read
        scores: dict[int, float] = {}
        read = 0
        for key in sorted(post, key=lambda k: post[k][0]):
            df, blob = post[key]
            if read > MAX_POSTINGS and len(scores) >= RERANK:
                break
            if key.startswith("c:"):
                continue  # characters only weigh evidence in the rerank
            w = weight[key] * (0.5 if key.startswith("p:") else 1.0)
            for tid in unpack(blob):
                scores[tid] = scores.get(tid, 0.0) + w
            read += df
        if not scores:
            return []
        top = sorted(scores, key=scores.get, reverse=True)
        rows = self._rows(top, sources, RERANK)
        hits = [self._rerank(content, q, weight, tid, text) for tid, text in rows]
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:limit]

    def _rows(self, ids: list[int], sources: set[str] | None, k: int) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for start in range(0, len(ids), 200):
            chunk = ids[start : start + 200]
            marks = ",".join("?" * len(chunk))
            rows = {
                tid: (src, text)
                for tid, src, text in self.conn.execute(
                    f"select id, source, coalesce(title, '') || '。' || task from tasks where id in ({marks})", chunk
                )
            }
            for tid in chunk:
                src, text = rows[tid]
                if sources is None or src in sources:
                    out.append((tid, text))
                    if len(out) >= k:
                        return out
        return out

    def _rerank(self, content: str, q: Terms, weight: dict[str, float], tid: int, text: str) -> Hit:
        """Score one candidate: how much of the question it explains, overall (grams
        and characters) and inside its best window, plus rapidfuzz's local alignment."""
        doc = squash_text(canonical_words(text))
        py = self.pinyin_of
        # where each kind of evidence sits in the document
        exact: dict[str, list[int]] = {}
        by_pinyin: dict[str, list[int]] = {}
        skip: dict[str, list[int]] = {}
        for i in range(len(doc) - 1):
            g = doc[i : i + 2]
            exact.setdefault(g, []).append(i)
            by_pinyin.setdefault(gram_pinyin(g, py), []).append(i)
            if i + 2 < len(doc):
                skip.setdefault(doc[i] + doc[i + 2], []).append(i)
        found: list[tuple[int, str, float]] = []  # (position, gram, credit)
        total = got = 0.0
        for g in q.grams:
            w = weight.get(f"b:{g}", self.idf(0))
            total += w
            if g in exact:
                credit, where = 1.0, exact[g]
            elif gram_pinyin(g, py) in by_pinyin:
                credit, where = 0.8, by_pinyin[gram_pinyin(g, py)]  # a homophone typo
            elif g in skip or g[::-1] in exact:
                credit, where = 0.6, skip.get(g) or exact[g[::-1]]  # 护理员 / 护理人员, 奶粉 / 粉奶
            else:
                continue
            got += credit * w
            found += [(p, g, credit * w) for p in where]
        for word in q.words:
            if f"w:{word}" in weight:  # unknown words already count through their grams
                total += weight[f"w:{word}"]
                if word in doc:
                    got += weight[f"w:{word}"]
        coverage = got / total if total else 0.0
        window = _best_window(found, max(24, 3 * len(q.chars))) / total if total else 0.0
        chars_total = chars_got = 0.0
        doc_chars = set(doc)
        doc_pinyin = {py.get(c, c) for c in doc_chars}
        for c in q.chars:
            w = weight.get(f"c:{c}", self.idf(0))
            chars_total += w
            if c in doc_chars:
                chars_got += w
            elif py.get(c, c) in doc_pinyin:
                chars_got += 0.8 * w
        char_cov = chars_got / chars_total if chars_total else 0.0
        confidence = 0.35 * coverage + 0.35 * window + 0.3 * char_cov
        align = fuzz.partial_ratio(squash_text(content), doc) / 100.0
        return Hit(tid, 0.8 * confidence + 0.2 * align, confidence)


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


def build_terms(conn: sqlite3.Connection, tasks: list[tuple[int, str]], cut, pinyin_of: dict[str, str]) -> None:
    """Write the `terms` postings for (task id, searchable text) pairs."""
    postings: dict[str, list[int]] = {}
    for tid, text in tasks:
        for key in text_terms(text, cut, pinyin_of).keys():
            postings.setdefault(key, []).append(tid)
    conn.execute("drop table if exists terms")
    conn.execute("create table terms (term text primary key, df integer, postings blob) without rowid")
    conn.executemany(
        "insert into terms values (?, ?, ?)", ((k, len(v), pack(sorted(v))) for k, v in postings.items())
    )
