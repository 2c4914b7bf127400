"""The SQLite store, read side: where it lives, what it holds, and every query on it.

index.build writes the store; everything else reads it through `Store` and its named
queries, so the schema is known here and in the build only (the search index's own
tables — terms, postings, task_text — belong to index.search, which builds and reads them).

Tables (one row per …):
    meta      key/value: build_id, built_at
    sources   document: id (file stem), title, jurisdiction, issuer, date, doc_number, tasks
    tasks     task: id, source, seq, section, number, title, task, lead, support,
              responsible, local (JSON lists), others (0/1), deadlines (JSON list),
              due (JSON list: the ISO date each deadline's period ends, or null)
    dues      (task, due date): task_id, due — for range questions (已逾期, 今年到期)
    roles     (task, agency, role): task_id, agency_id, role, printed, pos
    agencies  agency per jurisdiction: id, jurisdiction, canonical, key, level, variants (JSON)
    aliases   way to name an agency: alias, agency_id
    people    working-group member: source, seq, name, group_role, position, office_role
    duties    duty statement: source, seq, agency_id, agency, duty
    vocab / pinyin / places   tokenizer words, pinyin per character, known place names
    words     common words of jieba's full dictionary (the scope rule, index.search)
    lexicon   kind (synonym | asking_en | latin), word, canon: the data folder's lexicon/ at
              build time (text.lexicon), so questions never read data/; latin: the Latin
              words the documents print (lower-cased → as printed)
Opening a store never builds one (index.build.ensure_store does, where a command asks).
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DB_NAME = "fengong.db"
# A task object's fields, in order: the parse output, the store's task row, export and
# `ask --json` all use exactly these (README: a stable contract).
TASK_FIELDS = ("source", "section", "number", "title", "task", "lead", "support",
               "responsible", "local", "others", "deadlines", "due")
ROLES = ("lead", "support", "responsible", "local")
_JSON_FIELDS = ("lead", "support", "responsible", "local", "deadlines", "due")


class StoreMissing(FileNotFoundError):
    """No store has been built in this home yet (run `python -m bot index build`)."""


def home_dir(home: str | os.PathLike | None = None) -> Path:
    """FENGONG_HOME, else var/ in the project."""
    return Path(home or os.environ.get("FENGONG_HOME") or ROOT / "var")


def db_path(home: str | os.PathLike | None = None) -> Path:
    return home_dir(home) / DB_NAME


def is_stale(home: str | os.PathLike | None = None, data_dir: Path = DATA_DIR) -> bool:
    """True when the store is missing or older than anything in `data_dir` or than the
    code that writes it (index/, text/), so an upgrade rebuilds too. Here, not in
    index.build, so a command that finds the store fresh never imports the build."""
    path = db_path(home)
    if not path.exists():
        return True
    built = path.stat().st_mtime
    inputs = [*Path(data_dir).rglob("*"), *(ROOT / "index").rglob("*.py"), *(ROOT / "text").glob("*.py")]
    return any(p.stat().st_mtime > built for p in inputs)


def dictionary_path(db_file: Path, build_id: str) -> Path:
    """The tokenizer dictionary of one build, beside its store."""
    return Path(db_file).with_name(f"jieba-{build_id[:12]}.dict")


def task_from_row(row: sqlite3.Row | dict, **extra: Any) -> dict:
    """A task object (TASK_FIELDS) from a `tasks` row, plus extra keys."""
    t = {k: row[k] for k in TASK_FIELDS}
    for k in _JSON_FIELDS:
        t[k] = json.loads(t[k])
    t["others"] = bool(t["others"])
    return t | extra


def lexicon_pairs(conn: sqlite3.Connection, kind: str) -> dict[str, str]:
    """word → canon of one kind of the store's lexicon (none in a store built before it)."""
    try:
        return dict(conn.execute("select word, canon from lexicon where kind = ?", (kind,)).fetchall())
    except sqlite3.OperationalError:
        return {}


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


class Store:
    """A read connection to one built store, with the queries the answers need."""

    def __init__(self, home: str | os.PathLike | None = None) -> None:
        path = db_path(home)
        if not path.exists():
            raise StoreMissing(f"no store at {path}: run `python -m bot index build`")
        self.path = path
        self.conn = sqlite3.connect(path, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    def version(self) -> tuple:
        """Changes whenever the store file does: an add or remove commits in place (the
        modification time moves), a rebuild replaces the file (a new inode)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return ()
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    # --- the whole store, loaded once per answerer -----------------------------------
    def build_id(self) -> str:
        return self.conn.execute("select value from meta where key = 'build_id'").fetchone()[0]

    def dictionary(self) -> Path:
        """The tokenizer dictionary index.build wrote beside this store."""
        return dictionary_path(self.path, self.build_id())

    def sources(self) -> dict[str, dict]:
        return {r["id"]: dict(r) for r in self.conn.execute("select * from sources order by rowid")}

    def agencies(self) -> dict[int, dict]:
        rows = self.conn.execute("select id, jurisdiction, canonical, variants from agencies")
        return {r["id"]: dict(r) for r in rows}

    def aliases(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for alias, aid in self.conn.execute("select alias, agency_id from aliases"):
            out.setdefault(alias, []).append(aid)
        return out

    def aliases_of(self, agency_ids: list[int]) -> list[str]:
        rows = self.conn.execute(f"select alias from aliases where agency_id in ({_marks(agency_ids)})", agency_ids)
        return [a for (a,) in rows]

    def people_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("select distinct name from people")]

    def places(self) -> set[str]:
        return {r[0] for r in self.conn.execute("select name from places")}

    def lexicon(self, kind: str) -> dict[str, str]:
        """word → canon: kind "synonym" (everyday → document word), "asking_en" or "latin"."""
        return lexicon_pairs(self.conn, kind)

    def pinyin(self) -> dict[str, str]:
        return dict(self.conn.execute("select ch, py from pinyin").fetchall())

    # --- tasks ----------------------------------------------------------------------
    def task(self, source: str, number: str, **extra: Any) -> dict | None:
        row = self.conn.execute("select * from tasks where source = ? and number = ?", (source, number)).fetchone()
        return task_from_row(row, **extra) if row else None

    def tasks(self, ids: Iterable[int]) -> dict[int, dict]:
        """Task objects by task id (those that exist)."""
        ids = list(ids)
        out: dict[int, dict] = {}
        for i in range(0, len(ids), 900):  # SQLite's limit on bound variables
            part = ids[i:i + 900]
            out |= {r["id"]: task_from_row(r) for r in self.conn.execute(f"select * from tasks where id in ({_marks(part)})", part)}
        return out

    def all_tasks(self) -> Iterator[dict]:
        """Every task object in document order (export)."""
        for r in self.conn.execute("select * from tasks order by id"):
            yield task_from_row(r)

    def tasks_in(self, source: str) -> list[dict]:
        """One document's tasks, in document order."""
        rows = self.conn.execute("select * from tasks where source = ? order by id", (source,))
        return [task_from_row(r) for r in rows]

    def task_ids_of(self, agency_ids: list[int]) -> set[int]:
        """Ids of the tasks in which any of these agencies holds any role."""
        rows = self.conn.execute(f"select task_id from roles where agency_id in ({_marks(agency_ids)})", agency_ids)
        return {r[0] for r in rows}

    def tasks_of(self, agency_ids: list[int], roles: tuple[str, ...] = ROLES) -> list[dict]:
        """The tasks of these agencies, in document order, each once with the agency's
        strongest role among `roles` (lead, then responsible, support, local)."""
        if not agency_ids:
            return []
        rank = {r: i for i, r in enumerate(("lead", "responsible", "support", "local"))}
        rows = self.conn.execute(
            f"select t.*, r.role as role from roles r join tasks t on t.id = r.task_id "
            f"where r.agency_id in ({_marks(agency_ids)}) order by t.id", agency_ids,
        ).fetchall()
        best: dict[int, sqlite3.Row] = {}
        for r in rows:
            if r["role"] in roles and (r["id"] not in best or rank[r["role"]] < rank[best[r["id"]]["role"]]):
                best[r["id"]] = r
        return [task_from_row(r, role=r["role"]) for r in sorted(best.values(), key=lambda r: r["id"])]

    def task_ids_due(self, start: str | None, end: str | None) -> list[int]:
        """Ids of the tasks with a due date from start to end (ISO dates, ends included;
        None: open), in document order."""
        rows = self.conn.execute(
            "select distinct task_id from dues where due >= coalesce(?, '') and due <= coalesce(?, '9999') "
            "order by task_id", (start, end))
        return [r[0] for r in rows]

    def due_dates(self, task_ids: Iterable[int] | None = None) -> list[str]:
        """Every due date held (of these tasks), sorted: for "the next deadline falls on …"."""
        if task_ids is None:
            return [r[0] for r in self.conn.execute("select due from dues order by due")]
        ids = list(task_ids)
        out: list[str] = []
        for i in range(0, len(ids), 900):  # SQLite's limit on bound variables
            part = ids[i:i + 900]
            out += [r[0] for r in self.conn.execute(f"select due from dues where task_id in ({_marks(part)})", part)]
        return sorted(out)

    def tasks_with_deadline(self, prefix: str) -> list[dict]:
        """Tasks with a printed deadline starting with prefix (2025年 covers 2025年底)."""
        rows = self.conn.execute("select * from tasks where deadlines like ? order by id", (f'%"{prefix}%',))
        tasks = [task_from_row(r) for r in rows]
        return [t for t in tasks if any(d.replace(" ", "").startswith(prefix) for d in t["deadlines"])]

    # --- duties and people ----------------------------------------------------------
    def duties_of(self, agency_ids: list[int]) -> list[dict]:
        rows = self.conn.execute(
            f"select agency, duty, source from duties where agency_id in ({_marks(agency_ids)}) order by rowid", agency_ids)
        return [dict(r) for r in rows]

    def people(self, *, name: str | None = None, group_role: str | None = None) -> list[dict]:
        """Working-group members, by name, by group or office role, or all of them."""
        if name is not None:
            rows = self.conn.execute("select * from people where name = ? order by rowid", (name,))
        elif group_role is not None:
            rows = self.conn.execute("select * from people where group_role = ? or office_role = ? order by rowid",
                                     (group_role, group_role))
        else:
            rows = self.conn.execute("select * from people order by rowid")
        return [dict(r) for r in rows]

    def duties(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("select agency, duty from duties order by rowid")]

    def agency_rows(self) -> list[dict]:
        """Every agency for export: jurisdiction, canonical name, printed variants."""
        rows = self.conn.execute("select jurisdiction, canonical, variants from agencies order by id")
        return [{"jurisdiction": r["jurisdiction"], "canonical": r["canonical"], "variants": json.loads(r["variants"])}
                for r in rows]
