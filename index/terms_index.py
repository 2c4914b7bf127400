"""The search tables of a build (`terms`, `postings`, `task_text`), written in one pass
over the tasks; index.search reads them, index.update changes them in place."""
from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_left

from index.search import pinyin_codes
from text.lexicon import NO_SYNONYMS, Synonyms
from text.normalize import content_chars
from text.terms import canonical_words, text_terms


def build_terms(conn: sqlite3.Connection, tasks, cut, pinyin_of: dict[str, str],
                synonyms: Synonyms = NO_SYNONYMS) -> None:
    """Write the search tables for (task id, searchable text) pairs, in id order:

    - `terms` (term, df, pid): one small row per term, so the df of every key of a
      question is one cheap lookup;
    - `postings` (id = pid, ids): the sorted task ids of a term as packed uint32, read
      only for the terms a search uses. Character terms ("c:") have no postings (pid
      null): the rerank weighs characters by idf but no search reads their lists, and
      they are the longest of all;
    - `task_text` (id, text, code): each task's text as the rerank compares it
      (canonical words, content characters only) and its pinyin code
      (`pinyin_codes`), so a candidate costs no normalising.

    Postings grow as packed arrays (4 bytes an entry): 100,000 tasks build in a few
    hundred MB."""
    import numpy as np

    # Documents repeat tasks word for word (a 分工表 copied into the next), and cutting
    # and the Python loop over terms are the dear steps: each distinct text is read once,
    # its terms note the text (not the task), and a term's posting list is made at the
    # end from the tasks of its texts (numpy: gather, sort).
    index_of: dict[str, int] = {}
    distinct: list[str] = []
    tids = array("I")
    text_of = array("I")
    texts: list[tuple[int, str]] = []
    for tid, text in tasks:
        text = content_chars(canonical_words(text, synonyms))
        texts.append((tid, text))
        d = index_of.get(text)
        if d is None:
            d = index_of[text] = len(distinct)
            distinct.append(text)
        tids.append(tid)
        text_of.append(d)
    del index_of
    text_of_np = np.frombuffer(text_of, dtype=np.uint32)
    counts = np.bincount(text_of_np, minlength=len(distinct)) if len(distinct) else np.zeros(0, dtype=np.int64)
    by_text = np.frombuffer(tids, dtype=np.uint32)[np.argsort(text_of_np, kind="stable")]  # tasks grouped by text
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64) if len(distinct) else counts
    holders: dict[str, array] = {}  # term → the distinct texts holding it
    char_df: dict[str, int] = {}
    gram_cache: dict[str, str] = {}
    for d, text in enumerate(distinct):
        t = text_terms(text, cut, pinyin_of, gram_cache=gram_cache)
        for prefix, items in (("w:", t.words), ("b:", t.grams), ("p:", t.pinyin)):
            for item in items:
                key = prefix + item
                found = holders.get(key)
                if found is None:
                    found = holders[key] = array("I")
                found.append(d)
        n = int(counts[d])
        for ch in t.chars:
            char_df[ch] = char_df.get(ch, 0) + n
    del distinct, gram_cache

    def posting(key: str) -> bytes:
        held = np.frombuffer(holders.pop(key), dtype=np.uint32)
        lengths = counts[held]
        if lengths.max() == 1:
            ids = by_text[starts[held]]
        else:  # each text's run of tasks, end to end
            ends = np.cumsum(lengths)
            ids = by_text[np.repeat(starts[held] - ends + lengths, lengths) + np.arange(ends[-1])]
        ids.sort()
        return ids.tobytes()

    for table in ("terms", "postings", "task_text"):
        conn.execute(f"drop table if exists {table}")
    conn.execute("create table terms (term text primary key, df integer, pid integer) without rowid")
    conn.execute("create table postings (id integer primary key, ids blob)")
    conn.execute("create table task_text (id integer primary key, text text, code text)")
    keys = sorted(holders)
    df: list[int] = []

    def lists():  # made one at a time as they are written, and counted for `terms`
        for i, key in enumerate(keys, 1):
            ids = posting(key)
            df.append(len(ids) // 4)
            yield i, ids

    conn.executemany("insert into postings values (?, ?)", lists())
    conn.executemany("insert into terms values (?, ?, ?)", ((k, n, i) for i, (k, n) in enumerate(zip(keys, df), 1)))
    conn.executemany("insert into terms values (?, ?, null)", ((f"c:{c}", n) for c, n in sorted(char_df.items())))
    codes = pinyin_codes(pinyin_of)
    conn.executemany("insert into task_text values (?, ?, ?)", ((tid, t, t.translate(codes)) for tid, t in texts))


def shift_postings(c: sqlite3.Connection, gains: dict[str, list[int]], losses: dict[str, set[int]]) -> None:
    """Move task ids between the postings of terms in place (index.update, after tasks
    were cut again): `gains` go into each list where they sort, `losses` out; a term
    that gains its first task is made, one that loses its last goes."""
    next_pid = (c.execute("select max(id) from postings").fetchone()[0] or 0) + 1
    for key in sorted(set(gains) | set(losses)):
        row = c.execute("select pid from terms where term = ?", (key,)).fetchone()
        ids = array("I")
        if row is not None:
            ids.frombytes(c.execute("select ids from postings where id = ?", (row[0],)).fetchone()[0])
        for tid in gains.get(key, ()):
            at = bisect_left(ids, tid)
            if at == len(ids) or ids[at] != tid:
                ids.insert(at, tid)
        gone = losses.get(key)
        if gone:
            ids = array("I", (t for t in ids if t not in gone))
        if row is None:
            if ids:
                c.execute("insert into terms values (?, ?, ?)", (key, len(ids), next_pid))
                c.execute("insert into postings values (?, ?)", (next_pid, ids.tobytes()))
                next_pid += 1
        elif ids:
            c.execute("update terms set df = ? where term = ?", (len(ids), key))
            c.execute("update postings set ids = ? where id = ?", (ids.tobytes(), row[0]))
        else:
            c.execute("delete from postings where id = ?", (row[0],))
            c.execute("delete from terms where term = ?", (key,))
