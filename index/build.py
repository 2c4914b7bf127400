"""Build the SQLite store from the documents: the only module that writes it.

A build parses every document, groups agency names, and writes a new file that
replaces the old one only when everything succeeded (write, then os.replace), so a
bad document never costs the last good index. sqlite-utils writes; readers use plain
sqlite3 through index.store (sqlite-utils' import alone costs ~0.25 s, too much for a
cold `ask`). The tables and their columns are listed in index.store.
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from index.agencies import AgencyRules, agency_key, group_agencies, looks_like_agency, query_aliases
from index.store import DATA_DIR, DB_NAME, ROLES, db_path, dictionary_path, home_dir, is_stale  # noqa: F401 (is_stale re-exported)
from index.due import due_dates
from index.printed import bare_text, without_quotes
from index.readers import suffixes as reader_suffixes
from text.tokens import tokenizer_cache_name
# Words that stay whole in the tokenizer although jieba's dictionary does not hold them.
DOMAIN_TERMS_FILE = "terms.txt"
# From this many documents on, a build parses them in two processes.
PARALLEL_DOCUMENTS = 16


class BuildError(Exception):
    """A document could not be read; str() names the file, the line and the reason."""


@dataclass
class BuildReport:
    path: Path
    sources: int = 0
    tasks: int = 0
    agencies: int = 0
    people: int = 0
    duties: int = 0
    unknown_names: list[tuple[str, str]] = field(default_factory=list)  # (jurisdiction, name)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def load_manifest(data_dir: Path = DATA_DIR) -> dict[str, dict]:
    path = data_dir / "sources.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def document_paths(data_dir: Path = DATA_DIR) -> list[Path]:
    kinds = reader_suffixes()
    return sorted(p for p in data_dir.iterdir() if p.suffix.lower() in kinds and p.is_file())


def parse_all(data_dir: Path = DATA_DIR, home: str | os.PathLike | None = None) -> list:
    """Parse every document: the shipped ones in `data_dir` and the ones users added to
    `home` (its documents/ folder, index.library). The first unreadable one raises
    BuildError. A user's document with the title of a shipped one is its new version and
    hides it."""
    from index.library import Library, title_key

    entries = Library(home_dir(home)).entries() if home is not None else []
    hidden = {(title_key(e.title), e.jurisdiction) for e in entries if e.title}
    manifest = load_manifest(data_dir)
    shipped = [(path, path.stem, manifest.get(path.stem, {})) for path in document_paths(data_dir)]
    jobs = [(path, source, meta.get("jurisdiction"), meta.get("title")) for path, source, meta in shipped]
    # users' documents were read once already (index.intake): the kept title and place hold
    jobs += [(Path(e.path), e.source, e.jurisdiction, e.title) for e in entries]
    docs = []
    for i, doc in enumerate(_parse_each(jobs)):
        if i < len(shipped):
            if doc.title and (title_key(doc.title), doc.jurisdiction) in hidden:
                continue
            doc.meta = shipped[i][2]
        else:
            doc.meta = {"added": entries[i - len(shipped)].added}
        docs.append(doc)
    return docs


def _parse_each(jobs: list[tuple]):
    """The documents of (path, source, jurisdiction, title) jobs, in order. Many
    documents are parsed on two cores (forked workers; a document travels back
    pickled), a few in this process."""
    import multiprocessing

    if len(jobs) < PARALLEL_DOCUMENTS or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            yield _parse(*job)
        return
    with multiprocessing.get_context("fork").Pool(2) as pool:
        yield from pool.imap(_parse_job, jobs, chunksize=4)


def _parse_job(job: tuple):
    return _parse(*job)


def _parse(path: Path, source: str, jurisdiction: str | None, title: str | None):
    from index.parse import ParseError, parse_document

    try:
        doc = parse_document(path, source=source, jurisdiction=jurisdiction, title=title)
    except ParseError as e:
        raise BuildError(str(e)) from e
    if not doc.tasks:
        raise BuildError(f"{path}:1: no task table found")
    if not doc.jurisdiction:  # agencies live in a jurisdiction: told from the document
        from index.meta import describe, task_agencies
        from index.readers import read_blocks

        found_title, doc.jurisdiction, notes = describe(read_blocks(path).text(), task_agencies(doc.tasks), title=doc.title)
        doc.title = doc.title or found_title
        doc.warnings += notes
    doc.warnings += suspicious(path, doc)
    return doc


# A deadline is a time: a year, a month, or a standing phrase (长期, 持续推进 …).
_DEADLINE = re.compile(r"\d{4}|长期|持续|常态|每年|年内|年底|年末|季度|月底|立即|\d{1,2}月")


def suspicious(path: Path, doc) -> list[str]:
    """Signs that a document was cut short although it still parsed: a deadline that
    is no time at all (a cut cell leaves "202"). A missing final line break is no sign:
    real documents end without one."""
    out = []
    for t in doc.tasks:
        out += [f"{path.name}: task {t['number']}: deadline {d!r} does not look like a time"
                for d in t["deadlines"] if not _DEADLINE.search(d)]
    return out


def build_store(home: str | os.PathLike | None = None, data_dir: Path = DATA_DIR) -> BuildReport:
    """Parse `data_dir` and atomically replace the store in `home`.

    The store and its tokenizer dictionary (named by the build id, so a reader never
    pairs a store with another build's dictionary) are written beside each other; the
    previous build's dictionary goes once the new store is in place."""
    import sqlite_utils

    started = time.perf_counter()
    data_dir = Path(data_dir)
    target = db_path(home)
    target.parent.mkdir(parents=True, exist_ok=True)
    docs = parse_all(data_dir, target.parent)
    build_id = uuid.uuid4().hex
    tmp = target.with_name(f"{DB_NAME}.{os.getpid()}.{build_id[:8]}.tmp")
    dictionary = dictionary_path(target, build_id)
    report = BuildReport(path=target)
    done = False
    try:
        db = sqlite_utils.Database(tmp)
        # the file is new and is thrown away on any failure, so it needs neither a rollback
        # journal nor a sync after every insert; one fsync before it takes the store's place
        db.conn.execute("pragma journal_mode = off")
        db.conn.execute("pragma synchronous = off")
        _write(db, docs, report, data_dir, build_id, dictionary)
        db.conn.commit()
        db.conn.execute("vacuum")
        db.conn.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
        done = True
    finally:
        tmp.unlink(missing_ok=True)
        if not done:
            dictionary.unlink(missing_ok=True)
    keep = {dictionary.name, tokenizer_cache_name(dictionary)}
    for old in [*target.parent.glob("jieba-*.dict"), *target.parent.glob("jieba.u*.cache")]:
        if old.name not in keep:
            old.unlink(missing_ok=True)
    report.seconds = time.perf_counter() - started
    return report


def _write(db, docs: list, report: BuildReport, data_dir: Path, build_id: str, dictionary: Path) -> None:
    from text.tokens import Tokenizer, vocabulary_in_child, write_dictionary
    from index.terms_index import build_terms

    db["meta"].insert_all([{"key": "build_id", "value": build_id}, {"key": "built_at", "value": time.time()}], pk="key")
    db["sources"].insert_all((source_row(d) for d in docs), pk="id")
    # agencies: every printed name, grouped inside its jurisdiction
    names: list[tuple[str, str]] = []
    for d in docs:
        names += [(d.jurisdiction, n) for t in d.tasks for r in ROLES for n in t[r]]
        names += [(d.jurisdiction, x["agency"]) for x in d.duties]
    rules = AgencyRules.load(data_dir)
    agencies = group_agencies(list(dict.fromkeys(names)), rules)  # a repeated pair changes nothing
    db["agencies"].insert_all(
        (
            {"id": i, "jurisdiction": a.jurisdiction, "canonical": a.canonical, "key": a.key, "level": a.level,
             "variants": json.dumps(a.variants, ensure_ascii=False)}
            for i, a in enumerate(agencies, 1)
        ),
        pk="id",
    )
    db["aliases"].insert_all(
        ({"alias": alias, "agency_id": i} for i, a in enumerate(agencies, 1) for alias in sorted(query_aliases(a, rules))),
    )
    db["aliases"].create_index(["alias"])
    report.unknown_names = sorted({(a.jurisdiction, v) for a in agencies for v in a.variants if not looks_like_agency(v)})

    # the lexicon (everyday words, English asking words) of this data folder, with the
    # Latin words the documents print (TOT, 5G, App): a question keeps these, and drops
    # other Latin words as asking words it does not know
    from text.lexicon import Synonyms, lexicon_rows

    lexicon = lexicon_rows(data_dir, DATA_DIR)
    lexicon += [{"kind": "latin", "word": w, "canon": c}
                for w, c in sorted(latin_words([t for d in docs for t in d.tasks]).items())]
    synonyms = Synonyms({r["word"]: r["canon"] for r in lexicon if r["kind"] == "synonym"})
    # the tokenizer vocabulary is cut in a child process while this one writes the tables
    texts, extra = vocabulary_inputs(docs, synonyms)
    extra += [alias for a in agencies for alias in sorted(query_aliases(a, rules))]
    # the documents' words of the synonym groups stay whole (a question maps onto them)
    extra += sorted(set(synonyms.pairs.values()))
    terms_file = data_dir / DOMAIN_TERMS_FILE
    if terms_file.exists():
        extra += [w for w in terms_file.read_text(encoding="utf-8").split() if not w.startswith("#")]
    vocabulary = vocabulary_in_child(texts, extra)
    chars = sorted({ch for text in texts + extra for ch in text if "\u3400" <= ch <= "\u9fff"})
    del texts, extra
    try:
        _write_tasks(db, docs, report, agencies, rules)
        db["lexicon"].insert_all(lexicon, columns={"kind": str, "word": str, "canon": str})
        db["pinyin"].insert_all(({"ch": ch, "py": py} for ch, py in pinyin_table(chars).items()), pk="ch")
        db["places"].insert_all(({"name": n} for n in place_names()), pk="name", ignore=True)
        # the scope rule's dictionary: jieba's words with their frequencies, so a question's
        # uncovered stretch is cut as jieba would (its most probable path), and their total
        rows, total = dictionary_words()
        db.execute("create table words (word text primary key, freq integer, content integer) without rowid")
        db.conn.executemany("insert or ignore into words values (?, ?, ?)", rows)
        db["meta"].insert({"key": "word_total", "value": total}, pk="key")
        # what the search index reads of each task; the documents are not needed after this
        searched = [(tid, search_text(t["title"], t["task"]))
                    for tid, t in enumerate((t for d in docs for t in d.tasks), 1)]
        docs.clear()
        _give_back_memory()
        vocab = vocabulary()
    finally:
        if vocabulary.process.poll() is None:  # a failure above: the child is not waited for
            vocabulary.process.kill()
    db["vocab"].insert_all(({"word": w, "freq": f} for w, f in vocab.items()), pk="word")
    # the search index, cut with the same small dictionary queries will use
    write_dictionary(dictionary, vocab)
    cut = Tokenizer(dictionary).cut
    pinyin_of = dict(db.execute("select ch, py from pinyin").fetchall())
    searched.reverse()
    build_terms(db.conn, (searched.pop() for _ in range(len(searched))), cut, pinyin_of, synonyms)  # freed as read


def _give_back_memory() -> None:
    """Hand freed heap pages back to the system (glibc's malloc_trim): the parsed
    documents just freed are hundreds of MB of small blocks that the allocator would
    otherwise keep, and the search index is built on top of them."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _write_tasks(db, docs: list, report: BuildReport, agencies: list, rules: AgencyRules) -> None:
    """Tasks, roles, due dates, people and duties, streamed (100,000 tasks' rows are
    hundreds of MB as lists)."""
    ids = {(a.jurisdiction, a.key): i for i, a in enumerate(agencies, 1)}
    known: dict[tuple[str, str], int] = {}

    def agency_id(jurisdiction: str, name: str) -> int:
        found = known.get((jurisdiction, name))
        if found is None:
            found = known[(jurisdiction, name)] = ids[(jurisdiction, agency_key(name, jurisdiction, rules)[1])]
        return found

    def numbered():
        tid = 0
        for d in docs:
            for seq, t in enumerate(d.tasks):
                tid += 1
                yield tid, d, seq, t

    db["tasks"].insert_all((task_row(tid, d.source, seq, t) for tid, d, seq, t in numbered()), pk="id")
    db["tasks"].create_index(["source", "number"])
    db["roles"].insert_all(row for tid, d, _, t in numbered()
                           for row in role_rows_of(tid, t, lambda name: agency_id(d.jurisdiction, name)))
    db["dues"].create({"task_id": int, "due": str})
    db["dues"].insert_all(row for tid, _, _, t in numbered() for row in due_rows_of(tid, t))
    db["dues"].create_index(["due"])
    db["dues"].create_index(["task_id"])
    db["roles"].create_index(["agency_id"])
    db["roles"].create_index(["task_id"])
    db["people"].insert_all(
        ({"source": d.source, "seq": i, **p} for d in docs for i, p in enumerate(d.people)),
    )
    db["duties"].insert_all(
        ({"source": d.source, "seq": i, "agency_id": agency_id(d.jurisdiction, x["agency"]), **x}
         for d in docs for i, x in enumerate(d.duties)),
    )
    for d in docs:
        report.warnings += [f"{d.source}: {w}" for w in getattr(d, "warnings", [])]
    report.sources, report.tasks, report.agencies = len(docs), sum(len(d.tasks) for d in docs), len(agencies)
    report.people = sum(len(d.people) for d in docs)
    report.duties = sum(len(d.duties) for d in docs)


def vocabulary_inputs(docs: list, synonyms) -> tuple[list[str], list[str]]:
    """What the tokenizer vocabulary (text.tokens.build_vocabulary) reads of these documents:
    the texts to cut (tasks, titles, duties, and each in the synonym table's words, the
    words search meets) and the words that stay whole (titles, and the working groups'
    roles and positions: 专班组长, 常务副县长). The build adds the store-wide words (aliases,
    the synonym groups, data/terms.txt); index.update reads one document's through this
    same function, so an added document's words are the words a build would hold."""
    texts = [t["task"] for d in docs for t in d.tasks] + [t["title"] or "" for d in docs for t in d.tasks]
    texts += [x["duty"] for d in docs for x in d.duties]
    seen = set(texts)
    texts += [s for s in dict.fromkeys(synonyms.apply(t) for t in texts) if s not in seen]
    extra = [d.title or "" for d in docs] + [t["title"] or "" for d in docs for t in d.tasks]
    extra += sorted({w for d in docs for p in d.people for k in ("group_role", "position", "office_role")
                     for w in re.split(r"[、，,；;\s]+", p.get(k) or "")})
    return texts, extra


def vocabulary_key(texts: list[str], extra: list[str]) -> str:
    """A fingerprint of vocabulary_inputs: a vocabulary computed elsewhere (the sandbox
    child) is used only when it was computed from exactly these inputs."""
    from hashlib import sha256

    return sha256("\x00".join([*texts, "\x01", *extra]).encode("utf-8")).hexdigest()


def document_vocabulary(doc, synonyms) -> dict[str, int]:
    """One document's tokenizer vocabulary, as a build computes it for all of them
    (cutting with jieba's full dictionary: ~1 s to load). Kept on the document
    (doc.vocabulary, with the key of its inputs), so the sandbox child that reads an
    upload computes it while the user looks at the preview, and adding the document
    later reuses it unless its title or the synonym table changed in between."""
    from text.tokens import build_vocabulary

    texts, extra = vocabulary_inputs([doc], synonyms)
    key = vocabulary_key(texts, extra)
    if getattr(doc, "vocabulary", None) is None or getattr(doc, "vocabulary_key", None) != key:
        doc.vocabulary, doc.vocabulary_key = build_vocabulary(texts, extra), key
    return doc.vocabulary


def latin_words(task_rows: list[dict]) -> dict[str, str]:
    """Latin words the tasks print (TOT, 5G, App), lowercase → as printed: a question
    keeps these, and drops other Latin words as asking words it does not know."""
    return {w.lower(): w for t in task_rows
            for w in re.findall(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*", t["task"] + (t["title"] or ""))}


def task_row(tid: int, source: str, seq: int, t: dict) -> dict:
    """The `tasks` row of a parsed task."""
    return {
        "id": tid, "source": source, "seq": seq, "section": t["section"], "number": t["number"],
        "title": t["title"], "task": t["task"], "others": int(t["others"]),
        "deadlines": json.dumps(t["deadlines"], ensure_ascii=False),
        **{r: json.dumps(t[r], ensure_ascii=False) for r in ROLES},
        "due": json.dumps(t.get("due") or due_dates(t["deadlines"])),
    }


def due_rows_of(tid: int, t: dict) -> list[dict]:
    """The `dues` rows of a task: one per distinct due date."""
    return [{"task_id": tid, "due": d} for d in dict.fromkeys(t.get("due") or due_dates(t["deadlines"])) if d]


def role_rows_of(tid: int, t: dict, agency_id) -> list[dict]:
    """The `roles` rows of a parsed task; agency_id maps a printed name to its agency."""
    return [{"task_id": tid, "agency_id": agency_id(name), "role": r, "printed": name, "pos": pos}
            for r in ROLES for pos, name in enumerate(t[r])]


def source_row(d) -> dict:
    """The `sources` row of a parsed document."""
    meta = getattr(d, "meta", None) or {}
    return {"id": d.source, "title": d.title, "jurisdiction": d.jurisdiction, "issuer": meta.get("issuer"),
            "date": meta.get("date"), "doc_number": meta.get("doc_number"), "tasks": len(d.tasks)}


def search_text(title: str | None, task: str) -> str:
    """What the search index reads of a task: its title, then its text, then — where
    they split words — the text again without quote marks and parenthesised glosses
    (index.printed.bare_text: “三无”(无劳动能力，…)老人 is also 三无老人). The printed text
    stays first, so what a gloss says is found too; cards show the task as printed."""
    text = (title or "") + "。" + task
    bare = bare_text(text)
    return text if bare == without_quotes(text) else text + "。" + bare


def pinyin_table(chars: list[str]) -> dict[str, str]:
    """Toneless pinyin of each character (first reading)."""
    from pypinyin import Style, lazy_pinyin

    return {ch: lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in chars}


# Words of jieba's dictionary at least this frequent make the `words` table (~67,000 of 1–4
# characters): rarer ones barely change a most probable path and are never a common subject.
COMMON_WORD_FREQ = 30
# Only words that name things, acts or qualities can name a subject no document speaks of:
# jieba's nouns, verbs and adjectives. Pronouns (各位, 甚么), numerals and measures (几家),
# time words (现在, 明天), idioms of speech (接下来) and particles ask or chat; they name nothing.
CONTENT_TAGS = frozenset({"n", "ng", "nz", "nt", "v", "vn", "vg", "a", "an", "ag", "j"})


def dictionary_words() -> tuple[list[tuple[str, int, int]], int]:
    """Words (1-4 characters) of jieba's full dictionary at least COMMON_WORD_FREQ
    frequent, as (word, frequency, 1 if it names content), and the dictionary's total
    frequency: the scope rule (index.scope.unknown_words) cuts a question's uncovered
    stretch on jieba's own most probable path with them, and only its content words
    can name a subject no document speaks of (报名, 离婚) — not a run of filler
    characters (家里做) nor a piece of a misread cut (天会 in 明天会上)."""
    from text.tokens import import_jieba

    path = Path(import_jieba().__file__).parent / "dict.txt"
    out = []
    total = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            freq = int(parts[1])
            total += freq
            if 1 <= len(parts[0]) <= 4 and freq >= COMMON_WORD_FREQ:
                out.append((parts[0], freq, int(len(parts) >= 3 and parts[2] in CONTENT_TAGS)))
    return out, total


def place_names() -> list[str]:
    """Place names (2-4 characters) from jieba's dictionary: lets a question about a
    place we hold no document for (深圳市民政局) be told so instead of answered wrongly."""
    from text.tokens import import_jieba

    jieba = import_jieba()
    path = Path(jieba.__file__).parent / "dict.txt"
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "ns" and 2 <= len(parts[0]) <= 4:
                out.append(parts[0])
    return out


def ensure_store(home: str | os.PathLike | None = None) -> Path:
    """The store's path, built first when missing or stale (a fresh clone answers at
    once). When a rebuild fails but an older store exists, keep answering from it."""
    if is_stale(home):
        try:
            build_store(home)
        except BuildError as e:
            if not db_path(home).exists():
                raise
            print(f"fengong: rebuild failed, answering from the last good index: {e}", file=sys.stderr)
    return db_path(home)
