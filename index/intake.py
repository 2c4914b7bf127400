"""The way a user's document comes in and goes out: read → preview → keep → store.

    file ─ sandbox (checks, child process with limits) ─ Preview (title, place, tasks,
         warnings) ─ commit: library (the original under FENGONG_HOME/documents/) ─ store
         (index.update, one transaction) ─ every answerer sees it at its next question

The CLI (`bot add`, `remove`, `docs`) and Telegram (a file sent by an admin) both use these
functions; nothing here knows about either. The documents folder is the truth, the store an
index of it: a full build (index.build) reads `data/` and the folder alike.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from index.library import Added, Entry, Library, title_key
from index.parse import Document
from index.store import DATA_DIR, Store

UNKNOWN_PLACE = "未注明地区"


@dataclass
class Preview:
    """A file read and understood, not yet kept: what the user confirms."""

    path: Path
    file_name: str
    document: Document
    given: dict = field(default_factory=dict)  # {"title": bool, "jurisdiction": bool}

    @property
    def agencies(self) -> list[str]:
        from index.meta import task_agencies

        return list(dict.fromkeys(task_agencies(self.document.tasks)))


@dataclass
class Committed:
    entry: Entry
    how: str  # new | same_content | same_title (index.library.Added.how)
    previous: Entry | None
    replaced: list[str]  # store sources the new document took the place of
    tasks: int


def read_upload(path: str | os.PathLike, *, jurisdiction: str | None = None, title: str | None = None,
                file_name: str | None = None, timeout: float = 60) -> Preview:
    """Read a user's file in the sandbox (index.sandbox.SandboxError when it cannot be read;
    its `reason` is for the user). Title and place come from the document when not given."""
    from index.sandbox import read_in_sandbox

    path = Path(path)
    doc = read_in_sandbox(path, jurisdiction=jurisdiction, title=title, timeout=timeout)
    if not doc.tasks:
        from index.sandbox import SandboxError

        raise SandboxError("文件里没有找到任务分工（任务表或带责任单位的条目）", str(path), "unreadable")
    return Preview(path, file_name or path.name, doc, {"title": title is not None, "jurisdiction": jurisdiction is not None})


def commit(home: str | os.PathLike | None, preview: Preview, *, added_by: dict | None = None,
           data_dir: Path = DATA_DIR) -> Committed:
    """Keep the original and put the document in the store. A document with the same
    content or title as one held (added or shipped) replaces it."""
    from index.store import home_dir
    from index.update import add_documents

    home = home_dir(home)
    doc = preview.document
    added: Added = Library(home).add(
        preview.path, title=doc.title, jurisdiction=doc.jurisdiction or UNKNOWN_PLACE, file_name=preview.file_name,
        tasks=len(doc.tasks), warnings=len(doc.warnings), given=preview.given, added_by=added_by or {},
        # the same title names the same document only where the place is known too
        match_title=doc.jurisdiction not in (None, UNKNOWN_PLACE))
    doc.source = added.entry.source
    replace = [s for s in shipped_with_title(home, doc.title, doc.jurisdiction) if s != doc.source] \
        if doc.jurisdiction != UNKNOWN_PLACE else []
    report = add_documents(home, [doc], data_dir, replace=replace)
    return Committed(added.entry, added.how, added.previous, replace + report.removed, report.tasks)


def remove(home: str | os.PathLike | None, source: str, data_dir: Path = DATA_DIR) -> str | None:
    """Take a document out of the library (if added there) and of the store; its title,
    or None when no such document is held."""
    from index.store import home_dir
    from index.update import remove_documents

    home = home_dir(home)
    held = {d["source"]: d for d in documents(home)}
    if source not in held:
        return None
    Library(home).remove(source)
    try:
        remove_documents(home, [source], data_dir)
    except KeyError:  # in the library but not (yet) in the store
        pass
    return held[source]["title"]


def documents(home: str | os.PathLike | None) -> list[dict]:
    """Every document, shipped and added: source, title, jurisdiction, tasks, added (date,
    None for shipped), file."""
    from index.build import document_paths
    from index.store import StoreMissing, home_dir

    home = home_dir(home)
    entries = {e.source: e for e in Library(home).entries()}
    out = []
    try:
        store = Store(home)
    except StoreMissing:
        sources = {}
    else:
        sources = store.sources()
        store.close()
    shipped = {p.stem: str(p) for p in document_paths(DATA_DIR)}
    for sid, s in sources.items():
        e = entries.get(sid)
        out.append({"source": sid, "title": s["title"], "jurisdiction": s["jurisdiction"], "tasks": s["tasks"],
                    "added": e.added[:10] if e else None, "file": e.path if e else shipped.get(sid)})
    for sid, e in entries.items():  # kept but not in the store (a build pending)
        if sid not in sources:
            out.append({"source": sid, "title": e.title, "jurisdiction": e.jurisdiction, "tasks": e.tasks,
                        "added": e.added[:10], "file": e.path})
    return out


def shipped_with_title(home: str | os.PathLike, title: str | None, jurisdiction: str | None) -> list[str]:
    """Store sources not added by a user with this title and place (a new version of a
    shipped document replaces it)."""
    if not title:
        return []
    added = {e.source for e in Library(home).entries()}
    try:
        store = Store(home)
    except FileNotFoundError:
        return []
    try:
        return [sid for sid, s in store.sources().items()
                if sid not in added and s["title"] and title_key(s["title"]) == title_key(title)
                and s["jurisdiction"] == jurisdiction]
    finally:
        store.close()
