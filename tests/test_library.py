"""The documents folder: originals kept byte for byte with meta.json; same content or same
title replaces; removal; recovery after a crash between the renames."""
from __future__ import annotations

import json
import multiprocessing
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from index.library import Library, sha256_of, slug

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sanya-yilaoyixiao.txt"
OTHER = ROOT / "data" / "baoqing-yilaoyixiao.txt"
T1 = "三亚市“一老一小”重点任务分工表"


@pytest.fixture
def lib(tmp_path) -> Library:
    return Library(tmp_path / "home")


def test_add_keeps_the_original_and_its_metadata(lib, tmp_path):
    upload = tmp_path / "三亚一老一小.txt"
    upload.write_bytes(SEED.read_bytes())
    added = lib.add(upload, title=T1, jurisdiction="三亚市", tasks=38, warnings=2,
                    given={"title": False, "jurisdiction": True}, added_by={"via": "telegram", "user_id": 7},
                    now=datetime(2026, 12, 1, 23, 50, tzinfo=timezone.utc))
    e = added.entry
    assert added.how == "new" and added.previous is None
    assert e.source == "san-ya-yi-lao-yi-xiao" and e.version == 1
    assert Path(e.path).read_bytes() == SEED.read_bytes() and Path(e.path).name == "original.txt"
    meta = json.loads((lib.root / e.source / "meta.json").read_text(encoding="utf-8"))
    assert meta == {"source": e.source, "title": T1, "jurisdiction": "三亚市", "file_name": "三亚一老一小.txt",
                    "original": "original.txt", "sha256": sha256_of(SEED), "size": SEED.stat().st_size,
                    "added": "2026-12-01T23:50:00Z", "version": 1, "tasks": 38, "warnings": 2,
                    "given": {"title": False, "jurisdiction": True}, "added_by": {"via": "telegram", "user_id": 7},
                    "replaced": None}
    assert lib.get(e.source) == e and [x.source for x in lib.entries()] == [e.source]
    assert sorted(p.name for p in lib.root.iterdir()) == [".lock", e.source]  # nothing left over


def test_same_content_replaces_under_the_same_id(lib, tmp_path):
    first = lib.add(SEED, title=T1, jurisdiction="三亚市").entry
    renamed = tmp_path / "another name.txt"
    renamed.write_bytes(SEED.read_bytes())
    again = lib.add(renamed, title=None, jurisdiction="海南省")
    assert again.how == "same_content" and again.previous.source == first.source
    assert again.entry.source == first.source and again.entry.version == 2
    assert again.entry.jurisdiction == "海南省" and again.entry.replaced["sha256"] == first.sha256
    assert len(lib.entries()) == 1


def test_same_title_replaces_a_new_version(lib, tmp_path):
    first = lib.add(SEED, title=T1, jurisdiction="三亚市").entry
    edited = tmp_path / "v2.txt"
    edited.write_bytes(SEED.read_bytes() + "\n39\t新增任务\t市民政局\n".encode())
    again = lib.add(edited, title='三亚市"一老一小" 重点任务分工表', jurisdiction="三亚市")
    assert again.how == "same_title" and again.entry.source == first.source and again.entry.version == 2
    assert Path(again.entry.path).read_bytes() == edited.read_bytes()
    assert [e.sha256 for e in lib.entries()] == [sha256_of(edited)]


def test_different_documents_get_their_own_ids(lib, tmp_path):
    a = lib.add(SEED, title=T1, jurisdiction="三亚市").entry
    same_name = tmp_path / "sanya-yilaoyixiao.txt"  # same file name, other content and title
    same_name.write_bytes(OTHER.read_bytes())
    b = lib.add(same_name, title="宝清县“一老一小”整体解决方案", jurisdiction="宝清县").entry
    assert a.source == "sanya-yilaoyixiao" and b.source == "sanya-yilaoyixiao-2"
    assert [e.source for e in lib.entries()] == [a.source, b.source]


def test_remove(lib):
    e = lib.add(SEED, title=T1, jurisdiction="三亚市").entry
    assert lib.remove(e.source).source == e.source
    assert lib.entries() == [] and not (lib.root / e.source).exists()
    assert lib.remove(e.source) is None and lib.remove(".lock") is None


def test_recover_after_a_crash_between_the_renames(lib):
    e = lib.add(SEED, title=T1, jurisdiction="三亚市").entry
    # killed after moving the old version aside, before the new one arrived
    os.rename(lib.root / e.source, lib.root / f".old-{e.source}-0123abcd")
    (lib.root / ".staging-deadbeef").mkdir()
    (lib.root / ".staging-deadbeef" / "original.txt").write_bytes(b"half")
    assert lib.entries() == []
    done = lib.recover()
    assert f"restored {e.source}" in done and "removed unfinished .staging-deadbeef" in done
    assert [x.sha256 for x in lib.entries()] == [e.sha256]
    assert sorted(p.name for p in lib.root.iterdir()) == [".lock", e.source]


def _add_in_child(home: str, n: int) -> None:
    import tempfile

    lib = Library(home)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"doc{n}.txt"
        p.write_text(f"文件 {n}\n", encoding="utf-8")
        lib.add(p, title=f"第{n}号分工表", jurisdiction="某县")


def test_concurrent_writers_do_not_clash(tmp_path):
    home = str(tmp_path / "home")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_add_in_child, args=(home, n)) for n in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    entries = Library(home).entries()
    assert sorted(e.title for e in entries) == sorted(f"第{n}号分工表" for n in range(6))
    assert len({e.source for e in entries}) == 6


def test_slug():
    assert slug("三亚市养老分工表.docx") == "san-ya-shi-yang-lao-fen-gong-biao"
    assert slug("Plan_v2 final.PDF") == "plan-v2-final"
    assert slug("!!!.txt") == "doc"
    assert len(slug("宝清县一老一小整体解决方案重点任务分工表附件.docx")) <= 40
