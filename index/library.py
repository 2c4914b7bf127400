"""User documents on disk: FENGONG_HOME/documents/<source>/ with the original and meta.json.

The folder is the truth; the store is an index of it (docs/adding.md). Each document is a folder
named by its source id holding the file exactly as sent (`original.<ext>`) and `meta.json`
(title, place, who added it when, the content hash, its version). Changes are atomic on disk:
a folder is written under `.staging-*` and renamed into place; a replaced or removed version is
first renamed to `.old-*`, then deleted, and `recover()` puts back an `.old-*` folder whose
replacement never arrived. One writer at a time (an flock on documents/.lock), so the bot and
the CLI can add at once. Nothing here touches the store.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

META = "meta.json"
MAX_ID = 40


@dataclass
class Entry:
    source: str
    title: str | None
    jurisdiction: str
    file_name: str
    original: str  # the file's name inside the folder
    sha256: str
    size: int
    added: str  # ISO 8601 UTC
    version: int = 1
    tasks: int | None = None
    warnings: int = 0
    given: dict = field(default_factory=dict)  # {"title": bool, "jurisdiction": bool}: the user's word
    added_by: dict = field(default_factory=dict)  # {"via": "cli" | "telegram", "user_id": …}
    replaced: dict | None = None  # {"how": "same_content" | "same_title", "sha256", "added"}
    path: str = ""  # the original's full path (not stored)

    def meta(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "path"}


@dataclass
class Added:
    entry: Entry
    how: str  # "new" | "same_content" | "same_title"
    previous: Entry | None = None


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def slug(name: str) -> str:
    """An ASCII source id from a file name: pinyin for Chinese, a-z0-9 and '-' only."""
    from pypinyin import Style, lazy_pinyin

    words = lazy_pinyin(Path(name).stem, style=Style.NORMAL)  # other text comes back as it is
    text = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    return text[:MAX_ID].rsplit("-", 1)[0] if len(text) > MAX_ID else text or "doc"


class Library:
    def __init__(self, home: str | os.PathLike) -> None:
        self.root = Path(home) / "documents"

    # --- reading ---------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every document, oldest first."""
        out = []
        if not self.root.exists():
            return out
        for folder in self.root.iterdir():
            if folder.name.startswith(".") or not (folder / META).is_file():
                continue
            out.append(self._load(folder))
        return sorted(out, key=lambda e: (e.added, e.source))

    def get(self, source: str) -> Entry | None:
        folder = self.root / source
        return self._load(folder) if not source.startswith(".") and (folder / META).is_file() else None

    def same(self, sha256: str, title: str | None, jurisdiction: str | None = None) -> tuple[Entry, str] | None:
        """A held document this one replaces: same content first, then the same title for
        the same place (a generic title such as 重点任务分工表 names many documents)."""
        entries = self.entries()
        for e in entries:
            if e.sha256 == sha256:
                return e, "same_content"
        for e in entries:
            if title and e.title and title_key(e.title) == title_key(title) and e.jurisdiction == jurisdiction:
                return e, "same_title"
        return None

    def _load(self, folder: Path) -> Entry:
        data = json.loads((folder / META).read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in Entry.__dataclass_fields__}
        return Entry(**known, path=str(folder / data["original"]))

    # --- changing --------------------------------------------------------------------------

    def add(self, path: str | Path, *, title: str | None, jurisdiction: str, file_name: str | None = None,
            tasks: int | None = None, warnings: int = 0, given: dict | None = None,
            added_by: dict | None = None, now: datetime | None = None, match_title: bool = True) -> Added:
        """Keep the file at path (copied untouched) with its metadata. A document with the same
        content or the same title is replaced: the new one takes its source id, version + 1."""
        path = Path(path)
        file_name = file_name or path.name
        digest = sha256_of(path)
        with self._locked():
            found = self.same(digest, title if match_title else None, jurisdiction)
            previous, how = found if found else (None, "new")
            source = previous.source if previous else self._free_id(slug(file_name))
            suffix = Path(file_name).suffix.lower()
            entry = Entry(source=source, title=title, jurisdiction=jurisdiction, file_name=file_name,
                          original=f"original{suffix}", sha256=digest, size=path.stat().st_size,
                          added=(now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                          version=previous.version + 1 if previous else 1, tasks=tasks, warnings=warnings,
                          given=given or {}, added_by=added_by or {},
                          replaced={"how": how, "sha256": previous.sha256, "added": previous.added} if previous else None)
            staging = self.root / f".staging-{uuid.uuid4().hex}"
            staging.mkdir(parents=True)
            try:
                shutil.copyfile(path, staging / entry.original)
                with open(staging / entry.original, "rb") as f:
                    os.fsync(f.fileno())
                _write_json(staging / META, entry.meta())
                _fsync_dir(staging)
                target = self.root / source
                old = None
                if target.exists():
                    old = self.root / f".old-{source}-{uuid.uuid4().hex[:8]}"
                    os.rename(target, old)
                os.rename(staging, target)  # the commit
                _fsync_dir(self.root)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        entry.path = str(self.root / source / entry.original)
        return Added(entry, how, previous)

    def remove(self, source: str) -> Entry | None:
        """Take a document out; its folder is gone when this returns. None if unknown."""
        with self._locked():
            entry = self.get(source)
            if entry is None:
                return None
            old = self.root / f".old-{source}-{uuid.uuid4().hex[:8]}"
            os.rename(self.root / source, old)  # the commit
            _fsync_dir(self.root)
            shutil.rmtree(old, ignore_errors=True)
        return entry

    def recover(self) -> list[str]:
        """Clean up after a crash: staging folders go, an `.old-` folder whose id folder is
        missing goes back (its replacement never arrived), other `.old-` folders go.
        Returns what was done, for the log."""
        done: list[str] = []
        if not self.root.exists():
            return done
        with self._locked():
            for folder in sorted(self.root.iterdir()):
                name = folder.name
                if name.startswith(".staging-"):
                    shutil.rmtree(folder, ignore_errors=True)
                    done.append(f"removed unfinished {name}")
                elif name.startswith(".old-"):
                    source = name[len(".old-"):].rsplit("-", 1)[0]
                    if not (self.root / source).exists():
                        os.rename(folder, self.root / source)
                        done.append(f"restored {source}")
                    else:
                        shutil.rmtree(folder, ignore_errors=True)
                        done.append(f"removed replaced {source}")
        return done

    def _free_id(self, base: str) -> str:
        taken = {p.name for p in self.root.iterdir()} if self.root.exists() else set()
        taken |= {p.name[len(".old-"):].rsplit("-", 1)[0] for p in self.root.glob(".old-*")}
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def title_key(title: str) -> str:
    """Titles compare without spaces, quotes and bracket styles (“一老一小” vs "一老一小")."""
    return re.sub(r"[\s“”\"'‘’《》〈〉()（）]", "", title)


def _write_json(path: Path, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
