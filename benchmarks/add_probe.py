"""Probe for ADDING.md §3: what adding one document to a big store in place costs.

    python -m benchmarks.add_probe [--tasks 100000] [--work DIR]

Builds (or reuses, in --work) the synthetic store, copies it, switches the copy to WAL, then
adds data/sichuan-yanglao-tuoyu.txt (52 tasks) as a new document in ONE transaction the way
ADDING.md plans it (tasks, roles, the jurisdiction's agencies regrouped, posting lists
appended (read, extend, write back), df updated, task_text, pinyin), then removes it again (the id
range cut out of each posting list). Prints the seconds of each phase, and checks that a
search finds the new tasks after the add and not after the removal. A probe, not product
code: the store (index/store.py) is not changed.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
from array import array
from bisect import bisect_left, bisect_right
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "data" / "sichuan-yanglao-tuoyu.txt"
ROLES = ("lead", "support", "responsible", "local")


def store(work: Path, n_tasks: int) -> Path:
    from benchmarks.synth import generate
    from index.store import build_store, db_path

    home = work / f"home-{n_tasks}"
    if not db_path(home).exists():
        data = work / f"data-{n_tasks}"
        generate(data, n_tasks)
        build_store(home, data)
    return db_path(home)


def add(conn: sqlite3.Connection, doc, jurisdiction: str, cut, timings: dict) -> tuple[int, int]:
    from index.agencies import agency_key, group_agencies, query_aliases
    from index.search import pinyin_codes, squash_text, canonical_words, text_terms
    from index.store import pinyin_table

    t0 = time.perf_counter()
    conn.execute("begin immediate")
    first = conn.execute("select coalesce(max(id), 0) from tasks").fetchone()[0] + 1
    conn.execute("insert into sources (id, title, jurisdiction, tasks) values (?, ?, ?, ?)",
                 (doc.source, doc.title, jurisdiction, len(doc.tasks)))
    ids = list(range(first, first + len(doc.tasks)))
    conn.executemany(
        "insert into tasks (id, source, seq, section, number, title, task, others, deadlines, lead, support, "
        "responsible, local) values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(tid, doc.source, seq, t["section"], t["number"], t["title"], t["task"], int(t["others"]),
          json.dumps(t["deadlines"], ensure_ascii=False), *(json.dumps(t[r], ensure_ascii=False) for r in ROLES))
         for seq, (tid, t) in enumerate(zip(ids, doc.tasks))])
    timings["tasks"] = time.perf_counter() - t0

    # agencies: regroup this jurisdiction only
    t0 = time.perf_counter()
    old = conn.execute(
        "select r.rowid, r.printed from roles r join tasks t on t.id = r.task_id join sources s on s.id = t.source "
        "where s.jurisdiction = ?", (jurisdiction,)).fetchall()
    new_roles = [(tid, r, name, pos) for tid, t in zip(ids, doc.tasks) for r in ROLES for pos, name in enumerate(t[r])]
    names = list(dict.fromkeys([(jurisdiction, p) for _, p in old] + [(jurisdiction, n) for *_, n, _ in new_roles]))
    agencies = group_agencies(names)
    old_ids = [r[0] for r in conn.execute("select id from agencies where jurisdiction = ?", (jurisdiction,))]
    marks = ",".join("?" * len(old_ids))
    conn.execute(f"delete from aliases where agency_id in ({marks})", old_ids)
    conn.execute(f"delete from agencies where id in ({marks})", old_ids)
    base = conn.execute("select coalesce(max(id), 0) from agencies").fetchone()[0]
    key_id = {}
    for i, a in enumerate(agencies, base + 1):
        key_id[a.key] = i
        conn.execute("insert into agencies (id, jurisdiction, canonical, key, level, variants) values (?,?,?,?,?,?)",
                     (i, a.jurisdiction, a.canonical, a.key, a.level, json.dumps(a.variants, ensure_ascii=False)))
        conn.executemany("insert into aliases (alias, agency_id) values (?, ?)", [(al, i) for al in query_aliases(a)])

    def aid(name: str) -> int:
        return key_id[agency_key(name, jurisdiction)[1]]

    conn.executemany("update roles set agency_id = ? where rowid = ?", [(aid(p), rid) for rid, p in old])
    conn.executemany("insert into roles (task_id, agency_id, role, printed, pos) values (?,?,?,?,?)",
                     [(tid, aid(n), r, n, pos) for tid, r, n, pos in new_roles])
    timings["agencies"] = time.perf_counter() - t0

    # search postings: append the new ids (larger than every stored one: lists stay sorted)
    t0 = time.perf_counter()
    chars = sorted({ch for t in doc.tasks for ch in (t["title"] or "") + t["task"] if "\u3400" <= ch <= "\u9fff"})
    conn.executemany("insert or ignore into pinyin (ch, py) values (?, ?)", pinyin_table(chars).items())
    pinyin_of = dict(conn.execute("select ch, py from pinyin").fetchall())
    add_ids: dict[str, array] = {}
    char_n: dict[str, int] = {}
    texts = []
    for tid, t in zip(ids, doc.tasks):
        text = (t["title"] or "") + "。" + t["task"]
        texts.append((tid, squash_text(canonical_words(text))))
        terms = text_terms(text, cut, pinyin_of)
        for prefix, items in (("w:", terms.words), ("b:", terms.grams), ("p:", terms.pinyin)):
            for item in items:
                add_ids.setdefault(prefix + item, array("I")).append(tid)
        for ch in terms.chars:
            char_n["c:" + ch] = char_n.get("c:" + ch, 0) + 1
    timings["cut"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    next_pid = conn.execute("select coalesce(max(id), 0) from postings").fetchone()[0] + 1
    for key, new in add_ids.items():
        row = conn.execute("select df, pid from terms where term = ?", (key,)).fetchone()
        if row:
            conn.execute("update terms set df = df + ? where term = ?", (len(new), key))
            # read and write back: SQLite's || turns a blob into text
            blob = conn.execute("select ids from postings where id = ?", (row[1],)).fetchone()[0]
            conn.execute("update postings set ids = ? where id = ?", (blob + new.tobytes(), row[1]))
        else:
            conn.execute("insert into terms values (?, ?, ?)", (key, len(new), next_pid))
            conn.execute("insert into postings values (?, ?)", (next_pid, new.tobytes()))
            next_pid += 1
    for key, n in char_n.items():
        conn.execute("insert into terms values (?, ?, null) on conflict(term) do update set df = df + ?", (key, n, n))
    codes = pinyin_codes(pinyin_of)
    conn.executemany("insert into task_text values (?, ?, ?)", ((tid, t, t.translate(codes)) for tid, t in texts))
    timings["postings"] = time.perf_counter() - t0
    timings["terms touched"] = len(add_ids)
    t0 = time.perf_counter()
    conn.execute("insert or replace into meta (key, value) values ('generation', ?)", (str(time.time()),))
    conn.commit()
    timings["commit"] = time.perf_counter() - t0
    return first, first + len(ids) - 1


def remove(conn: sqlite3.Connection, source: str, lo: int, hi: int, cut, timings: dict) -> None:
    from index.search import text_terms

    t0 = time.perf_counter()
    conn.execute("begin immediate")
    pinyin_of = dict(conn.execute("select ch, py from pinyin").fetchall())
    keys: dict[str, int] = {}
    for title, task in conn.execute("select title, task from tasks where id between ? and ?", (lo, hi)):
        terms = text_terms((title or "") + "。" + task, cut, pinyin_of)
        for prefix, items in (("w:", terms.words), ("b:", terms.grams), ("p:", terms.pinyin)):
            for item in items:
                keys[prefix + item] = keys.get(prefix + item, 0) + 1
    for key, n in keys.items():
        df, pid = conn.execute("select df, pid from terms where term = ?", (key,)).fetchone()
        ids = array("I")
        ids.frombytes(conn.execute("select ids from postings where id = ?", (pid,)).fetchone()[0])
        kept = ids[:bisect_left(ids, lo)] + ids[bisect_right(ids, hi):]
        if kept:
            conn.execute("update terms set df = ? where term = ?", (len(kept), key))
            conn.execute("update postings set ids = ? where id = ?", (kept.tobytes(), pid))
        else:
            conn.execute("delete from terms where term = ?", (key,))
            conn.execute("delete from postings where id = ?", (pid,))
    for table, col in (("roles", "task_id"), ("task_text", "id"), ("tasks", "id")):
        conn.execute(f"delete from {table} where {col} between ? and ?", (lo, hi))
    conn.execute("delete from sources where id = ?", (source,))
    conn.commit()
    timings["remove"] = time.perf_counter() - t0


def main() -> None:
    from index.parse import parse_document
    from index.search import TaskSearch
    from intents.tokens import Tokenizer, write_dictionary

    p = argparse.ArgumentParser()
    p.add_argument("--tasks", type=int, default=100_000)
    p.add_argument("--work", type=Path, default=Path("/tmp/fengong-add-probe"))
    args = p.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    built = store(args.work, args.tasks)
    print(f"store {built} ready in {time.perf_counter() - t0:.1f} s, {built.stat().st_size / 1e6:.0f} MB")
    db = args.work / "probe.db"
    shutil.copyfile(built, db)
    for extra in args.work.glob("probe.db-*"):
        extra.unlink()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("pragma journal_mode=wal")
    vocab = dict(conn.execute("select word, freq from vocab").fetchall())
    write_dictionary(args.work / "probe.dict", vocab)
    cut = Tokenizer(args.work / "probe.dict").cut
    doc = parse_document(DOC, source="probe-doc")
    n_before = conn.execute("select count(*) from tasks").fetchone()[0]
    timings: dict = {}
    started = time.perf_counter()
    lo, hi = add(conn, doc, "四川省", cut, timings)
    total_add = time.perf_counter() - started
    reader = sqlite3.connect(db)
    hits = TaskSearch(reader, cut, dict(reader.execute("select ch, py from pinyin"))).search(
        doc.tasks[4]["task"][:40], sources={"probe-doc"})
    found = [h for h in hits if lo <= h.task_id <= hi]
    remove(conn, "probe-doc", lo, hi, cut, timings)
    after = conn.execute("select count(*) from tasks").fetchone()[0]
    print(f"add {len(doc.tasks)} tasks to {n_before:,}: {total_add:.2f} s  "
          + "  ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in timings.items()))
    print(f"search after add finds the new task: {bool(found)}; tasks after remove: {after:,} (before {n_before:,})")


if __name__ == "__main__":
    main()
