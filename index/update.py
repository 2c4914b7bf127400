"""Add documents to a built store and take them out again, without a rebuild.

A full build (index.build) reads every document again: a minute at 100,000 tasks. A user
adding one 分工表 must not wait for that, so these functions change the store in place,
inside one SQLite transaction: a document is wholly in the store or not at all, and a
SIGKILL in the middle leaves the last committed store (SQLite's journal rolls it back).

What an incremental change keeps exact, and what waits for the next full build:
- tasks, roles, agencies (a jurisdiction's agencies regrouped with the new names),
  aliases, people, duties, the tokenizer dictionary and the search postings are what a
  build with the new document would write: the document's own words (cut with jieba's
  full dictionary, index.build.document_vocabulary, computed in the sandbox child for an
  upload) join the dictionary, and older tasks that hold a new word are cut again;
- task ids are new ones after the largest (a build numbers them afresh);
- a removal leaves the dictionary as it was: whether another document still uses a word
  is only known by cutting every document again with the full dictionary. The words
  stay (and so do the word terms of other tasks that hold them) until `index build`;
  tasks, agencies and postings of the removed document leave at once.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import time
import uuid
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from index.agencies import AgencyRules, agency_key, group_agencies, looks_like_agency, query_aliases
from index.build import (document_vocabulary, due_rows_of, latin_words, pinyin_table, role_rows_of, search_text,
                         source_row, task_row, vocabulary_inputs)
from index.store import DATA_DIR, ROLES, db_path, dictionary_path, lexicon_pairs
from index.terms_index import shift_postings
from text.normalize import content_chars
from text.lexicon import Synonyms
from text.terms import canonical_words, text_terms
from text.tokens import Tokenizer, tokenizer_cache_name, write_dictionary

# What build_vocabulary gives a word that must stay whole (text.tokens).
EXTRA_FREQ = 100_000
# Runs jieba's cut yields whole although no dictionary holds them (its re_eng).
_LATIN_RUN = re.compile(r"[a-zA-Z0-9]{2,}")


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)  # source ids
    removed: list[str] = field(default_factory=list)
    tasks: int = 0
    unknown_names: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def add_documents(home: str | os.PathLike | None, docs: list, data_dir: Path = DATA_DIR,
                  replace: list[str] | None = None) -> UpdateReport:
    """Add parsed documents (index.parse.Document, with jurisdiction set) to the store
    in home, first removing the sources in `replace` (a new version of a document).
    A document whose source id is already in the store replaces it too."""
    started = time.perf_counter()
    report = UpdateReport()
    with _Writer(home, data_dir) as w:
        present = {r[0] for r in w.conn.execute("select id from sources")}
        gone = list(dict.fromkeys([*(replace or []), *(d.source for d in docs if d.source in present)]))
        for source in gone:
            if source in present:
                w.remove(source)
                report.removed.append(source)
        for d in docs:
            report.tasks += w.add(d, report)
            report.added.append(d.source)
    report.seconds = time.perf_counter() - started
    return report


def remove_documents(home: str | os.PathLike | None, sources: list[str], data_dir: Path = DATA_DIR) -> UpdateReport:
    """Take documents and everything of theirs out of the store; unknown ids raise KeyError."""
    started = time.perf_counter()
    report = UpdateReport()
    with _Writer(home, data_dir) as w:
        present = {r[0] for r in w.conn.execute("select id from sources")}
        missing = [s for s in sources if s not in present]
        if missing:
            raise KeyError(f"no such document: {', '.join(missing)}")
        for source in sources:
            w.remove(source)
            report.removed.append(source)
    report.seconds = time.perf_counter() - started
    return report


class _Writer:
    """One transaction over the store; on success a new build id and tokenizer dictionary."""

    def __init__(self, home, data_dir: Path) -> None:
        self.path = db_path(home)
        if not self.path.exists():
            raise FileNotFoundError(f"no store at {self.path}: run `python -m bot index build` first")
        self.rules = AgencyRules.load(data_dir)
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.conn.row_factory = sqlite3.Row
        # documents are indexed in the synonym table's words, as index.terms_index.build_terms does
        self.synonyms = Synonyms(lexicon_pairs(self.conn, "synonym"))
        self.dictionary: Path | None = None
        self.build_id: str | None = None
        self._written: list[Path] = []  # dictionaries this transaction wrote
        self._tokenizer: Tokenizer | None = None

    def __enter__(self) -> "_Writer":
        self.conn.execute("begin immediate")
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if kind is None:
                self._finish()
                self.conn.execute("commit")
                self._drop_old_dictionaries()
            else:
                self.conn.execute("rollback")
                for path in self._written:
                    path.unlink(missing_ok=True)
        finally:
            self.conn.close()

    # --- adding -------------------------------------------------------------------
    def add(self, d, report: UpdateReport) -> int:
        c = self.conn
        c.execute("insert into sources (id, title, jurisdiction, issuer, date, doc_number, tasks) "
                  "values (:id, :title, :jurisdiction, :issuer, :date, :doc_number, :tasks)", source_row(d))
        names = [n for t in d.tasks for r in ROLES for n in t[r]] + [x["agency"] for x in d.duties]
        ids, aliases = self._merge_agencies(d.jurisdiction, list(dict.fromkeys(names)), report)
        next_id = (c.execute("select max(id) from tasks").fetchone()[0] or 0) + 1
        rows, roles, dues = [], [], []
        for seq, t in enumerate(d.tasks):
            tid = next_id + seq
            rows.append(task_row(tid, d.source, seq, t))
            roles += role_rows_of(tid, t, lambda name: ids[name])
            dues += due_rows_of(tid, t)
        _insert(c, "tasks", rows)
        _insert(c, "roles", roles)
        _insert(c, "dues", dues)
        _insert(c, "people", [{"source": d.source, "seq": i, **p} for i, p in enumerate(d.people)])
        _insert(c, "duties", [{"source": d.source, "seq": i, "agency_id": ids[x["agency"]], **x}
                              for i, x in enumerate(d.duties)])
        self._add_latin(rows)
        texts, extra = vocabulary_inputs([d], self.synonyms)
        words = dict(document_vocabulary(d, self.synonyms))
        for alias in aliases:  # extra words, as text.tokens.build_vocabulary takes them
            alias = alias.strip()
            if len(alias) >= 2 and " " not in alias:
                words[alias] = max(words.get(alias, 0), EXTRA_FREQ)
        self._add_chars(texts + extra + aliases)
        self._grow_vocabulary(words)
        self._add_terms([(r["id"], search_text(r["title"], r["task"])) for r in rows])
        return len(rows)

    def _merge_agencies(self, jurisdiction: str, names: list[str],
                        report: UpdateReport) -> tuple[dict[str, int], list[str]]:
        """Group the new names with the jurisdiction's agencies; name → agency id, and the
        aliases written."""
        c = self.conn
        existing = c.execute("select id, key, variants from agencies where jurisdiction = ? order by id",
                             (jurisdiction,)).fetchall()
        by_key = {r["key"]: r["id"] for r in existing}
        pairs = [(jurisdiction, v) for r in existing for v in json.loads(r["variants"])]
        groups = group_agencies(list(dict.fromkeys(pairs + [(jurisdiction, n) for n in names])), self.rules)
        next_id = (c.execute("select max(id) from agencies").fetchone()[0] or 0) + 1
        ids: dict[str, int] = {}
        written: list[str] = []
        for a in groups:
            aid = by_key.get(a.key)
            row = {"jurisdiction": jurisdiction, "canonical": a.canonical, "key": a.key, "level": a.level,
                   "variants": json.dumps(a.variants, ensure_ascii=False)}
            if aid is None:
                aid = next_id
                next_id += 1
                c.execute("insert into agencies (id, jurisdiction, canonical, key, level, variants) values "
                          "(:id, :jurisdiction, :canonical, :key, :level, :variants)", {"id": aid, **row})
            else:
                c.execute("update agencies set canonical = :canonical, level = :level, variants = :variants "
                          "where id = :id", {"id": aid, **row})
                c.execute("delete from aliases where agency_id = ?", (aid,))
            aliases = sorted(query_aliases(a, self.rules))
            c.executemany("insert into aliases (alias, agency_id) values (?, ?)", [(x, aid) for x in aliases])
            written += aliases
            for v in a.variants:
                ids[v] = aid
        for n in names:  # a printed name → its group (variants are printed names)
            ids.setdefault(n, by_key.get(agency_key(n, jurisdiction, self.rules)[1], ids.get(n)))
        report.unknown_names += [(jurisdiction, n) for n in names if not looks_like_agency(n)]
        return ids, written

    def _add_latin(self, rows: list[dict]) -> None:
        """Latin words the new tasks print join the lexicon (index.build.latin_words)."""
        c = self.conn
        held = lexicon_pairs(c, "latin")
        c.executemany("insert into lexicon (kind, word, canon) values ('latin', ?, ?)",
                      [(w, canon) for w, canon in sorted(latin_words(rows).items()) if w not in held])

    def _add_chars(self, texts: list[str]) -> None:
        """Pinyin for the characters the store did not hold. pinyin_codes numbers the
        syllables the store holds, so a new syllable renumbers those after it: then the
        stored codes of every text are redone (rare once a store is large, as by then it
        holds nearly every syllable)."""
        from index.search import pinyin_codes

        c = self.conn
        before = dict(c.execute("select ch, py from pinyin").fetchall())
        chars = sorted({ch for t in texts for ch in t if "\u3400" <= ch <= "\u9fff"} - set(before))
        if not chars:
            return
        c.executemany("insert into pinyin (ch, py) values (?, ?)", list(pinyin_table(chars).items()))
        old = pinyin_codes(before)
        new = pinyin_codes(dict(c.execute("select ch, py from pinyin").fetchall()))
        if any(new[k] != v for k, v in old.items()):
            rows = c.execute("select id, text from task_text").fetchall()
            c.executemany("update task_text set code = ? where id = ?", [(r[1].translate(new), r[0]) for r in rows])

    def _cut(self):
        """The tokenizer over the store's dictionary as this transaction left it."""
        if self._tokenizer is None:
            build_id = self.conn.execute("select value from meta where key = 'build_id'").fetchone()[0]
            current = dictionary_path(self.path, build_id)
            if not current.exists():  # a store copied without its dictionary: written again
                self._write_dictionary()
            else:
                self._tokenizer = Tokenizer(current)
        return self._tokenizer.cut

    def _write_dictionary(self) -> None:
        """A new build id, and the store's vocabulary as its dictionary."""
        vocab = dict(self.conn.execute("select word, freq from vocab").fetchall())
        self.build_id = uuid.uuid4().hex
        self.dictionary = dictionary_path(self.path, self.build_id)
        self._written.append(self.dictionary)
        write_dictionary(self.dictionary, vocab)
        self._tokenizer = Tokenizer(self.dictionary)

    def _grow_vocabulary(self, words: dict[str, int]) -> None:
        """The store's vocabulary takes the words it lacks and the higher frequency of the
        words it holds (a build takes the highest: jieba's, or EXTRA_FREQ for a word that
        must stay whole). A word the dictionary gains or weighs more changes how a text
        holding it is cut, so the older tasks that hold one are cut again."""
        c = self.conn
        held = dict(c.execute("select word, freq from vocab").fetchall())
        changed = {w: f for w, f in words.items() if f > held.get(w, 0)}
        if not changed:
            return
        # the tokenizer the stored tasks were cut with, loaded only if one must be cut again
        old = self._tokenizer
        if old is None:
            build_id = c.execute("select value from meta where key = 'build_id'").fetchone()[0]
            path = dictionary_path(self.path, build_id)
            if path.exists():
                old = path
            else:  # a store copied without its dictionary: _cut writes it again
                self._cut()
                old = self._tokenizer

        def old_cut(text: str) -> list[str]:
            nonlocal old
            if isinstance(old, Path):
                old = Tokenizer(old)
            return old.cut(text)

        c.executemany("insert into vocab (word, freq) values (?, ?) on conflict(word) do update set freq = excluded.freq",
                      list(changed.items()))
        self._write_dictionary()
        self._recut(list(changed), old_cut, self._tokenizer.cut)

    def _recut(self, words: list[str], old_cut, new_cut) -> None:
        """Cut again the stored tasks whose text holds one of `words` and move their ids
        between word postings. The tasks are found through the bigram postings (every
        bigram of the word), then a substring check of the stored text; a word that is
        no run of content characters can never be cut out of one and is skipped."""
        c = self.conn
        postings: dict[str, array] = {}

        def ids_of(key: str) -> array:
            found = postings.get(key)
            if found is None:
                row = c.execute("select p.ids from terms t join postings p on p.id = t.pid where t.term = ?",
                                (key,)).fetchone()
                found = postings[key] = array("I")
                if row is not None:
                    found.frombytes(row[0])
            return found

        candidates: set[int] = set()
        for w in words:
            if len(w) < 2 or content_chars(w) != w:
                continue
            lists = sorted((ids_of(f"b:{w[i:i + 2]}") for i in range(len(w) - 1)), key=len)
            if not lists[0]:
                continue
            found = set(lists[0])
            for other in lists[1:]:
                found.intersection_update(other)
                if not found:
                    break
            candidates |= found
        if not candidates:
            return
        gains: dict[str, list[int]] = {}
        losses: dict[str, set[int]] = {}
        wanted = sorted(candidates)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for tid, text in c.execute(f"select id, text from task_text where id in ({','.join('?' * len(chunk))})",
                                       chunk):
                if not any(w in text for w in words):
                    continue
                before, after = set(old_cut(text)), set(new_cut(text))
                for w in after - before:
                    gains.setdefault(f"w:{w}", []).append(tid)
                for w in before - after:
                    losses.setdefault(f"w:{w}", set()).add(tid)
        shift_postings(c, gains, losses)

    def _add_terms(self, tasks: list[tuple[int, str]]) -> None:
        """Append the new tasks' ids to the postings of their terms (ids only grow, so
        appending keeps every list sorted) and write their rerank texts."""
        from index.search import pinyin_codes

        c = self.conn
        pinyin_of = dict(c.execute("select ch, py from pinyin").fetchall())
        cut = self._cut()
        new: dict[str, array] = {}
        chars: dict[str, int] = {}
        texts = []
        for tid, text in tasks:
            text = canonical_words(text, self.synonyms)
            texts.append((tid, content_chars(text)))
            t = text_terms(text, cut, pinyin_of)
            for key in {f"w:{w}" for w in t.words} | {f"b:{g}" for g in t.grams} | {f"p:{p}" for p in t.pinyin}:
                new.setdefault(key, array("I")).append(tid)
            for ch in t.chars:
                chars[ch] = chars.get(ch, 0) + 1
        next_pid = (c.execute("select max(id) from postings").fetchone()[0] or 0) + 1
        for key, ids in new.items():
            row = c.execute("select df, pid from terms where term = ?", (key,)).fetchone()
            if row is None:
                c.execute("insert into terms values (?, ?, ?)", (key, len(ids), next_pid))
                c.execute("insert into postings values (?, ?)", (next_pid, ids.tobytes()))
                next_pid += 1
            else:
                c.execute("update terms set df = df + ? where term = ?", (len(ids), key))
                (blob,) = c.execute("select ids from postings where id = ?", (row["pid"],)).fetchone()
                c.execute("update postings set ids = ? where id = ?", (blob + ids.tobytes(), row["pid"]))
        for ch, n in chars.items():
            c.execute("insert into terms values (?, ?, null) on conflict(term) do update set df = df + excluded.df",
                      (f"c:{ch}", n))
        codes = pinyin_codes(pinyin_of)
        c.executemany("insert into task_text values (?, ?, ?)", [(tid, t, t.translate(codes)) for tid, t in texts])

    # --- removing -----------------------------------------------------------------
    def remove(self, source: str) -> None:
        c = self.conn
        rows = c.execute("select id, title, task from tasks where source = ?", (source,)).fetchall()
        ids = [r["id"] for r in rows]
        self._remove_terms(rows)
        agencies = {r[0] for r in c.execute(
            f"select distinct agency_id from roles where task_id in ({','.join('?' * len(ids))})", ids)} if ids else set()
        agencies |= {r[0] for r in c.execute("select distinct agency_id from duties where source = ?", (source,))}
        for table, column in (("roles", "task_id"), ("task_text", "id"), ("dues", "task_id")):
            c.executemany(f"delete from {table} where {column} = ?", [(i,) for i in ids])
        for table, column in (("tasks", "source"), ("people", "source"), ("duties", "source"), ("sources", "id")):
            c.execute(f"delete from {table} where {column} = ?", (source,))
        for aid in agencies:
            self._refresh_agency(aid)

    def _refresh_agency(self, aid: int) -> None:
        """After a removal: an agency nobody names any more goes; the others keep the
        names still printed."""
        c = self.conn
        printed = [r[0] for r in c.execute(
            "select printed from roles where agency_id = ? union all select agency from duties where agency_id = ?",
            (aid, aid))]
        if not printed:
            c.execute("delete from aliases where agency_id = ?", (aid,))
            c.execute("delete from agencies where id = ?", (aid,))
            return
        row = c.execute("select jurisdiction from agencies where id = ?", (aid,)).fetchone()
        (a,) = group_agencies([(row[0], n) for n in dict.fromkeys(printed)], self.rules)[:1] or (None,)
        if a is None:
            return
        c.execute("update agencies set canonical = ?, variants = ? where id = ?",
                  (a.canonical, json.dumps(a.variants, ensure_ascii=False), aid))
        c.execute("delete from aliases where agency_id = ?", (aid,))
        c.executemany("insert into aliases (alias, agency_id) values (?, ?)",
                      [(x, aid) for x in sorted(query_aliases(a, self.rules))])

    def _remove_terms(self, rows) -> None:
        """Take the tasks' ids out of the postings of their terms; a term left with no
        task goes. No tokenizer is loaded: the word terms looked at are every dictionary
        word the text contains and every piece of its Latin and digit runs (jieba's cut
        yields those whole), a superset of any cut of it, so a word the dictionary
        gained since the task was cut is found too."""
        c = self.conn
        if not rows:
            return
        gone = sorted(r["id"] for r in rows)
        keys: set[str] = set()
        chars: dict[str, int] = {}
        pinyin_of = dict(c.execute("select ch, py from pinyin").fetchall())
        vocab = {w for (w,) in c.execute("select word from vocab")}
        longest = max(map(len, vocab), default=0)
        for r in rows:
            text = canonical_words(search_text(r["title"], r["task"]), self.synonyms)
            t = text_terms(text, lambda s: [], pinyin_of)
            keys |= {f"b:{g}" for g in t.grams} | {f"p:{p}" for p in t.pinyin}
            text = content_chars(text)
            keys |= {f"w:{text[i:i + n]}" for n in range(2, longest + 1) for i in range(len(text) - n + 1)
                     if text[i:i + n] in vocab}
            keys |= {f"w:{run[i:j]}" for run in _LATIN_RUN.findall(text)
                     for i in range(len(run)) for j in range(i + 2, len(run) + 1)}
            for ch in t.chars:
                chars[ch] = chars.get(ch, 0) + 1
        for key in sorted(keys):
            row = c.execute("select pid from terms where term = ?", (key,)).fetchone()
            if row is None or row["pid"] is None:
                continue
            ids = array("I")
            ids.frombytes(c.execute("select ids from postings where id = ?", (row["pid"],)).fetchone()[0])
            n = len(ids)
            for tid in reversed(gone):  # both sorted: each id found by bisection
                at = bisect_left(ids, tid)
                if at < len(ids) and ids[at] == tid:
                    del ids[at]
            if len(ids) == n:
                continue
            if ids:
                c.execute("update postings set ids = ? where id = ?", (ids.tobytes(), row["pid"]))
                c.execute("update terms set df = ? where term = ?", (len(ids), key))
            else:
                c.execute("delete from postings where id = ?", (row["pid"],))
                c.execute("delete from terms where term = ?", (key,))
        for ch, n in chars.items():
            c.execute("update terms set df = df - ? where term = ?", (n, f"c:{ch}"))
        c.execute("delete from terms where pid is null and df <= 0")

    # --- finishing ----------------------------------------------------------------
    def _finish(self) -> None:
        if self.build_id is None:  # a pure removal: a new build id, the same dictionary
            self._relink_dictionary()
        c = self.conn
        c.execute("update meta set value = ? where key = 'build_id'", (self.build_id,))
        c.execute("insert or replace into meta (key, value) values ('updated_at', ?)", (time.time(),))
        c.execute("update sources set tasks = (select count(*) from tasks where tasks.source = sources.id)")

    def _relink_dictionary(self) -> None:
        """A new build id whose dictionary is the current one (a removal changes no word):
        hard links to the dictionary and to jieba's cache of it (the cache holds no path,
        and stays newer than the dictionary, so readers load it as it is)."""
        build_id = self.conn.execute("select value from meta where key = 'build_id'").fetchone()[0]
        current = dictionary_path(self.path, build_id)
        if not current.exists():
            self._write_dictionary()
            return
        self.build_id = uuid.uuid4().hex
        self.dictionary = dictionary_path(self.path, self.build_id)
        for old, new in ((current, self.dictionary),
                         (current.parent / tokenizer_cache_name(current),
                          current.parent / tokenizer_cache_name(self.dictionary))):
            if old.exists():
                self._written.append(new)
                try:
                    os.link(old, new)
                except OSError:  # a file system without hard links
                    shutil.copy2(old, new)

    def _drop_old_dictionaries(self) -> None:
        """The committed store names self.dictionary; every other one is stale."""
        keep = {self.dictionary.name, tokenizer_cache_name(self.dictionary)}
        for old in [*self.path.parent.glob("jieba-*.dict"), *self.path.parent.glob("jieba.u*.cache")]:
            if old.name not in keep:
                old.unlink(missing_ok=True)


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    if rows:
        cols = list(rows[0])
        conn.executemany(f"insert into {table} ({', '.join(cols)}) values ({', '.join(':' + k for k in cols)})", rows)
