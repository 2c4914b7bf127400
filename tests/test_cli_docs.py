"""Adding and removing documents through the CLI, in a temporary FENGONG_HOME:
`bot add` (every format), `docs`, `remove`, replacing a version, and files that must be
refused without changing the store."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import PYTHON, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
FORMATS = ROOT.parent / "shared" / "wild" / "formats"
needs_formats = pytest.mark.skipif(not FORMATS.is_dir(), reason="shared/wild/formats not beside the checkout")


def bot(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, FENGONG_HOME=str(home), PYTHONPATH=str(ROOT))
    env.pop("TELEGRAM_BOT_TOKEN", None)
    run = subprocess.run([PYTHON, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert run.returncode == 0, run.stderr[-3000:]
    return run


def docs(home: Path) -> dict[str, dict]:
    return {d["source"]: d for d in map(json.loads, bot(home, "docs", "--json").stdout.splitlines())}


def ask(home: Path, q: str) -> dict:
    return json.loads(bot(home, "ask", "--json", q).stdout)


@pytest.fixture
def home(tmp_path, store_home) -> Path:
    """A home with the shipped documents' store already built."""
    h = tmp_path / "home"
    shutil.copytree(store_home, h)
    return h


def test_add_a_document_and_ask_about_it_then_remove_it(home):
    before = docs(home)
    assert all(d["added"] is None and Path(d["file"]).exists() for d in before.values())
    run = bot(home, "add", str(FIXTURES / "mouxian-biaoqian-fangan.txt"))
    assert "已收录 mouxian-biaoqian-fangan" in run.stdout and "某县2024年优化营商环境重点任务分工方案" in run.stdout
    assert "地区：某县" in run.stdout and "任务：" in run.stdout
    now = docs(home)
    added = now["mouxian-biaoqian-fangan"]
    assert added["jurisdiction"] == "某县" and added["tasks"] > 0 and added["added"]
    assert Path(added["file"]).read_bytes() == (FIXTURES / "mouxian-biaoqian-fangan.txt").read_bytes()
    # every question is answered from the new document at once: no rebuild
    answer = ask(home, "某县住建局牵头的任务有哪些")
    assert answer["intent"] == "agency_tasks"
    assert [t["source"] for t in answer["tasks"]] == ["mouxian-biaoqian-fangan"]
    run = bot(home, "remove", "mouxian-biaoqian-fangan")
    assert "已移除" in run.stdout
    assert docs(home) == before
    assert not any(t["source"] == "mouxian-biaoqian-fangan" for t in ask(home, "某县住建局牵头的任务有哪些")["tasks"])
    assert bot(home, "remove", "mouxian-biaoqian-fangan", check=False).returncode == 1


@needs_formats
@pytest.mark.parametrize("name", ["wild_table.docx", "wild_table.xlsx", "wild_table.html", "wild_table.pdf"])
def test_every_format_goes_in_whole(home, name):
    bot(home, "add", str(FORMATS / name))
    (added,) = [d for d in docs(home).values() if d["added"]]
    assert added["tasks"] == 86
    answer = ask(home, "编制下达全国土地利用计划谁负责")
    assert answer["tasks"][0]["source"] == added["source"] and answer["tasks"][0]["responsible"] == ["自然资源部"]


def test_more_formats_and_a_document_without_a_place(home):
    files = [FIXTURES / "readers" / "merged.xls", FIXTURES / "mouqu-markdown-fengong.md"]
    if shutil.which("soffice") or shutil.which("libreoffice"):
        files.append(FIXTURES / "readers" / "merged.doc")
    run = bot(home, "add", *map(str, files))
    assert run.stdout.count("已收录") == len(files)
    added = [d for d in docs(home).values() if d["added"]]
    assert len(added) == len(files)
    assert any(d["jurisdiction"] == "未注明地区" for d in added)  # neither the text nor the units name a place
    assert all(d["jurisdiction"] and "None" not in d["jurisdiction"] for d in added)


def test_the_same_content_or_title_replaces_the_old_version(home, tmp_path):
    src = FIXTURES / "mouxian-biaoqian-fangan.txt"
    bot(home, "add", str(src))
    again = bot(home, "add", str(src))
    assert "替换了旧版本（内容相同）" in again.stdout
    edited = tmp_path / "新版.txt"  # same title and place, changed text, another file name
    text = src.read_text(encoding="utf-8")
    assert "2024年6月底前" in text
    edited.write_text(text.replace("2024年6月底前", "2025年6月底前"), encoding="utf-8")
    third = bot(home, "add", str(edited))
    assert "替换了旧版本（标题相同）" in third.stdout
    added = [d for d in docs(home).values() if d["added"]]
    assert len(added) == 1 and added[0]["source"] == "mouxian-biaoqian-fangan"


def _store_bytes(home: Path) -> bytes:
    return (home / "fengong.db").read_bytes()


def test_unreadable_files_are_named_and_change_nothing(home, tmp_path):
    corrupt = tmp_path / "损坏.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip archive at all")
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, a few hundred KB on disk
                member.write(block)
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    good = FIXTURES / "mouxian-biaoqian-fangan.txt"
    before = _store_bytes(home)
    run = bot(home, "add", str(corrupt), str(bomb), str(image), check=False)
    assert run.returncode == 1
    assert f"{corrupt}: 未收录" in run.stderr and "损坏" in run.stderr
    assert f"{bomb}: 未收录" in run.stderr and "压缩炸弹" in run.stderr
    assert f"{image}: 未收录" in run.stderr and "不支持的文件类型" in run.stderr
    assert _store_bytes(home) == before
    assert not any(d["added"] for d in docs(home).values())
    # one bad file among good ones: the good ones still go in, the exit says not all did
    run = bot(home, "add", str(corrupt), str(good), check=False)
    assert run.returncode == 1 and "已收录 mouxian-biaoqian-fangan" in run.stdout
    assert "mouxian-biaoqian-fangan" in docs(home)


def test_a_reader_that_spins_is_stopped_and_the_store_still_answers(home, tmp_path, monkeypatch):
    from index.intake import read_upload
    from index.readers import READER_MODULES
    from index.sandbox import SandboxError

    monkeypatch.setitem(READER_MODULES, ".spin", "tests.hostile_readers")
    spinning = tmp_path / "loop.spin"
    spinning.write_text("x")
    before = _store_bytes(home)
    with pytest.raises(SandboxError) as err:
        read_upload(spinning, timeout=3)
    assert err.value.kind == "timeout" and "超时" in err.value.reason
    assert _store_bytes(home) == before
    assert ask(home, "谁负责家庭养老床位")["intent"] == "task"


def test_a_rebuild_keeps_added_documents(home):
    bot(home, "add", str(FIXTURES / "mouxian-biaoqian-fangan.txt"), "--jurisdiction", "某某县")
    bot(home, "index", "build")
    d = docs(home)["mouxian-biaoqian-fangan"]
    assert d["jurisdiction"] == "某某县" and d["tasks"] > 0
