"""Reading hostile files: size cap, zip bombs, broken zips, a spinning or hungry reader."""
from __future__ import annotations

import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from index.parse import parse_document
from index.readers import READER_MODULES
from index.sandbox import MAX_ZIP_ENTRIES, SandboxError, check_file, read_in_sandbox

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sanya-jujia-yanglao.txt"


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """TMPDIR for this test alone, so we can see what the sandbox leaves behind."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield root
    tempfile.tempdir = None


@pytest.fixture
def hostile_readers(monkeypatch):
    monkeypatch.setitem(READER_MODULES, ".spin", "tests.hostile_readers")
    monkeypatch.setitem(READER_MODULES, ".hog", "tests.hostile_readers")
    monkeypatch.setitem(READER_MODULES, ".fork", "tests.hostile_readers")


def _alive(pid: int) -> bool:
    """True while pid runs (a zombie waiting for its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _sandbox_children() -> list[int]:
    """Our child processes still running index.sandbox."""
    out = []
    for proc in Path("/proc").iterdir():
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = (proc / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"index.sandbox" in cmd and _alive(int(proc.name)):
            out.append(int(proc.name))
    return out


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A .docx whose document.xml inflates to 1 GiB, written in 1 MiB pieces."""
    path = tmp_path_factory.mktemp("bomb") / "分工表.docx"
    chunk = b"<w:t>" + b"\0" * (1024 * 1024 - 5)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(1024):
                member.write(chunk)
    return path


def test_normal_text_reads_as_in_process(private_tmp):
    doc = read_in_sandbox(SEED, jurisdiction="三亚市", describe=False)
    direct = parse_document(SEED, jurisdiction="三亚市")
    assert doc.tasks == direct.tasks and len(doc.tasks) > 10
    assert doc.source == "sanya-jujia-yanglao" and doc.jurisdiction == "三亚市"
    assert doc.title == direct.title and doc.people == direct.people
    assert list(private_tmp.iterdir()) == []  # the child's scratch folder is gone


def test_zip_bomb_is_refused_from_the_directory(zip_bomb, private_tmp):
    assert zip_bomb.stat().st_size < 20 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(SandboxError) as err:
        read_in_sandbox(zip_bomb)
    assert time.monotonic() - started < 1  # nothing was inflated, no child was started
    assert err.value.kind == "zip_bomb" and "压缩炸弹" in err.value.reason
    assert int(re.search(r"(\d+) bytes uncompressed", err.value.detail).group(1)) > 2**30  # for the log


def test_high_ratio_member_under_the_total_cap(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(SandboxError) as err:
        check_file(path)
    assert err.value.kind == "zip_bomb" and "压缩比" in err.value.reason


def test_zip_with_absurd_entry_count(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(MAX_ZIP_ENTRIES + 1):
            z.writestr(f"xl/p{i}.xml", b"")
    with pytest.raises(SandboxError) as err:
        check_file(path)
    assert err.value.kind == "zip_bomb" and "条目过多" in err.value.reason


@pytest.mark.parametrize("content", [
    b"PK\x03\x04" + os.urandom(3000),  # a zip header and noise
    b"this is not a word file at all" * 10,  # a .docx that is not even a zip
    "truncated",
])
def test_corrupt_docx(tmp_path, content, private_tmp):
    path = tmp_path / "分工表.docx"
    if content == "truncated":  # a real zip cut in half (an interrupted download)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("word/document.xml", os.urandom(20000))
        content = path.read_bytes()[:12000]
    path.write_bytes(content)
    with pytest.raises(SandboxError) as err:
        read_in_sandbox(path)
    assert err.value.kind == "corrupt" and "已损坏" in err.value.reason
    assert "BadZipFile" in err.value.detail
    assert list(private_tmp.iterdir()) == []


def test_old_format_or_password_behind_a_docx_name(tmp_path):
    path = tmp_path / "分工表.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    with pytest.raises(SandboxError) as err:
        check_file(path)
    assert err.value.kind == "corrupt" and "设有密码" in err.value.reason and "另存为" in err.value.reason


def test_file_over_the_telegram_limit(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: the size is what counts
    with pytest.raises(SandboxError) as err:
        read_in_sandbox(path)
    assert err.value.kind == "too_big" and "上限 20 MB" in err.value.reason


def test_spinning_reader_is_stopped_at_the_time_limit(tmp_path, hostile_readers, private_tmp):
    path = tmp_path / "loop.spin"
    path.write_bytes(b"\x00\xff binary")
    started = time.monotonic()
    with pytest.raises(SandboxError) as err:
        read_in_sandbox(path, timeout=3)
    elapsed = time.monotonic() - started
    assert err.value.kind == "timeout" and err.value.reason == "读取超时（3 秒）"
    assert 3 <= elapsed < 8
    assert list(private_tmp.iterdir()) == [] and _sandbox_children() == []
    # the parent carries on: the next file reads normally
    assert read_in_sandbox(SEED).tasks


def test_a_process_the_reader_started_dies_with_it(tmp_path, hostile_readers):
    path = tmp_path / "x.fork"
    path.write_bytes(b"\x00\xff binary")
    with pytest.raises(SandboxError) as err:
        read_in_sandbox(path, timeout=3)
    assert err.value.kind == "timeout"
    helper = int(path.with_suffix(".pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(helper)  # killed with the child's process group


def test_hungry_reader_hits_the_memory_limit(tmp_path, hostile_readers):
    path = tmp_path / "x.hog"
    path.write_bytes(b"\x00\xff binary")
    started = time.monotonic()
    with pytest.raises(SandboxError) as err:
        read_in_sandbox(path, memory_mb=400, timeout=30)
    assert err.value.kind == "memory" and "400 MB" in err.value.reason
    assert time.monotonic() - started < 10  # stopped by the limit, not by the clock


def test_unknown_kind_and_no_tasks_come_back_with_a_reason(tmp_path):
    odd = tmp_path / "x.png"
    odd.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(SandboxError) as err:
        read_in_sandbox(odd)
    assert err.value.kind == "unreadable" and "不支持的文件类型 .png" in err.value.reason
    empty = tmp_path / "notes.txt"
    empty.write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    with pytest.raises(SandboxError) as err:
        read_in_sandbox(empty)
    assert err.value.kind == "unreadable" and "任务" in err.value.reason


def test_title_and_place_told_in_the_child(tmp_path):
    doc = read_in_sandbox(ROOT / "data" / "sichuan-yanglao-tuoyu.txt")
    assert (doc.title, doc.jurisdiction) == ("促进养老托育服务健康发展重点任务分工表", "四川省")
    given = read_in_sandbox(SEED, jurisdiction="某市", title="我的表")
    assert (given.title, given.jurisdiction) == ("我的表", "某市")
    nowhere = tmp_path / "分工.txt"  # a county's table that never names its county
    nowhere.write_text("重点任务分工表\n序号\t重点任务\t责任单位\n1\t建设养老服务中心\t县民政局、县财政局\n", encoding="utf-8")
    doc = read_in_sandbox(nowhere)
    assert doc.jurisdiction == "未注明地区" and "县级" in doc.warnings[0]
    raw = read_in_sandbox(nowhere, describe=False)
    assert raw.jurisdiction is None and raw.warnings == []
