"""Three off-the-shelf ways to pick a task for a question, over the same store.

Each baseline is built from the store's task texts (title + "。" + task, the text our
search reads) and answers `top(question) -> task id` with its single best task:

- `FuzzBaseline`: rapidfuzz `process.extractOne` over the texts, the question as is
  (default scorer WRatio, no preprocessing);
- `BM25Baseline`: rank_bm25's BM25Okapi over jieba tokens (jieba's full default
  dictionary, HMM on; punctuation and spaces dropped), the question cut the same way;
- `FTS5Baseline`: an SQLite FTS5 table with the trigram tokenizer in a file of its
  own; the query is the OR of the question's trigrams (spaces and punctuation dropped),
  ranked by bm25().
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

_CONTENT = re.compile(r"[\u3400-\u9fff0-9a-zA-Z]")
_NOISE = re.compile(r"[^\u3400-\u9fff0-9a-zA-Z.%]+")


def task_texts(conn: sqlite3.Connection) -> tuple[list[int], list[str]]:
    rows = conn.execute("select id, coalesce(title, '') || '。' || task from tasks order by id").fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]


class FuzzBaseline:
    name = "rapidfuzz extractOne"

    def __init__(self, ids: list[int], texts: list[str]) -> None:
        self.ids, self.texts = ids, texts

    def top(self, question: str) -> int | None:
        from rapidfuzz import process

        found = process.extractOne(question, self.texts)
        return self.ids[found[2]] if found else None


class BM25Baseline:
    name = "BM25 (jieba)"

    def __init__(self, ids: list[int], texts: list[str]) -> None:
        import jieba
        from rank_bm25 import BM25Okapi

        jieba.setLogLevel(60)
        self.jieba = jieba
        self._cache: dict[str, list[str]] = {}
        self.ids = ids
        self.bm25 = BM25Okapi([self.tokens(t) for t in texts])

    def tokens(self, text: str) -> list[str]:
        """jieba.lcut(text) without punctuation and spaces. jieba cuts each run of han
        characters, letters and digits on its own, so runs are cut once and cached
        (the same tokens, much faster on a corpus that repeats clauses)."""
        out: list[str] = []
        for block in self.jieba.re_han_default.findall(text):
            words = self._cache.get(block)
            if words is None:
                words = self._cache[block] = [w for w in self.jieba.lcut(block) if _CONTENT.search(w)]
            out += words
        return out

    def top(self, question: str) -> int | None:
        tokens = self.tokens(question)
        if not tokens:
            return None
        scores = self.bm25.get_scores(tokens)
        return self.ids[int(scores.argmax())]


class FTS5Baseline:
    name = "SQLite FTS5 trigram"

    def __init__(self, ids: list[int], texts: list[str], path: Path) -> None:
        path.unlink(missing_ok=True)
        self.conn = sqlite3.connect(path)
        self.conn.execute("create virtual table fts using fts5(text, tokenize='trigram')")
        self.conn.executemany("insert into fts(rowid, text) values (?, ?)", zip(ids, texts))
        self.conn.commit()

    @staticmethod
    def query(question: str) -> str:
        q = _NOISE.sub("", question)
        grams = dict.fromkeys(q[i : i + 3] for i in range(len(q) - 2))
        return " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)

    def top(self, question: str) -> int | None:
        match = self.query(question)
        if not match:
            return None
        row = self.conn.execute("select rowid from fts where fts match ? order by bm25(fts) limit 1", (match,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.conn.close()
