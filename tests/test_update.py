"""Adding and removing documents in a built store (index.update), against full builds."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EVAL, ROOT, read_jsonl

SICHUAN = "sichuan-yanglao-tuoyu"


def _answers(home: Path, questions: list[str]) -> list[tuple]:
    from bot.answer import Answerer

    a = Answerer(str(home))
    try:
        return [(j["intent"], [(t["source"], t["number"]) for t in j["tasks"]])
                for j in (a.ask(q).to_json() for q in questions)]
    finally:
        a.close()


def _export(home: Path) -> list[dict]:
    from index.store import Store

    st = Store(home)
    try:
        return [t for t in st.all_tasks()]
    finally:
        st.close()


@pytest.fixture(scope="module")
def without_sichuan(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("data")
    for p in (ROOT / "data").iterdir():
        if p.is_file() and p.stem != SICHUAN:
            shutil.copy(p, data / p.name)
    shutil.copytree(ROOT / "data" / "lexicon", data / "lexicon")
    return data


@pytest.fixture(scope="module")
def sichuan_doc():
    from index.build import parse_all

    return next(d for d in parse_all(ROOT / "data") if d.source == SICHUAN)


@pytest.fixture(scope="module")
def questions() -> list[str]:
    path = EVAL / "dev.jsonl"
    if not path.exists():
        pytest.skip("shared/eval not beside the checkout")
    return [q["q"] for q in read_jsonl(path)]


def test_an_added_document_answers_as_if_built_with_the_rest(tmp_path, store_home, without_sichuan, sichuan_doc, questions):
    from index.build import build_store
    from index.update import add_documents

    home = tmp_path / "home"
    build_store(home, without_sichuan)
    report = add_documents(home, [sichuan_doc])
    assert report.added == [SICHUAN] and report.tasks == len(sichuan_doc.tasks) == 52
    assert _answers(home, questions) == _answers(store_home, questions)
    key = lambda t: (t["source"], t["number"])  # noqa: E731
    assert sorted(_export(home), key=key) == sorted(_export(store_home), key=key)


def _tables(home: Path) -> dict:
    """The store's search side with task ids replaced by (source, seq), which a build and
    an incremental add number differently: vocabulary, terms with their postings, rerank
    texts, lexicon, pinyin."""
    from array import array

    with sqlite3.connect(home / "fengong.db") as c:
        key = {i: (s, q) for i, s, q in c.execute("select id, source, seq from tasks")}
        terms = {}
        for term, df, pid in c.execute("select term, df, pid from terms"):
            ids = None
            if pid is not None:
                got = array("I")
                got.frombytes(c.execute("select ids from postings where id = ?", (pid,)).fetchone()[0])
                assert list(got) == sorted(got) and len(got) == df, term  # sorted, df its length
                ids = sorted(key[i] for i in got)
            terms[term] = (df, ids)
        return {
            "vocab": dict(c.execute("select word, freq from vocab")),
            "terms": terms,
            "task_text": {key[i]: (t, code) for i, t, code in c.execute("select id, text, code from task_text")},
            "lexicon": sorted(c.execute("select kind, word, canon from lexicon")),
            "pinyin": dict(c.execute("select ch, py from pinyin")),
        }


def test_an_added_document_leaves_the_tables_a_build_writes(tmp_path, store_home, without_sichuan, sichuan_doc):
    """Beyond the answers: the dictionary holds the document's own words (cut with the full
    jieba dictionary), older tasks holding a new word were cut again, and every posting,
    df, rerank text and Latin word equals a full build's."""
    import copy

    from index.build import build_store
    from index.update import add_documents

    home = tmp_path / "home"
    build_store(home, without_sichuan)
    add_documents(home, [copy.deepcopy(sichuan_doc)])
    got, want = _tables(home), _tables(store_home)
    for name in want:
        assert got[name] == want[name], name


def test_a_vocabulary_read_in_the_sandbox_is_used_when_its_inputs_match(tmp_path, without_sichuan, monkeypatch):
    """An upload's words are cut in the sandbox child; the add then loads no jieba
    dictionary, unless the title changed since (its key no longer matches)."""
    from index.build import build_store
    from index.sandbox import read_in_sandbox
    from index.update import add_documents
    import text.tokens

    path = next(p for p in (ROOT / "data").iterdir() if p.stem == SICHUAN)
    doc = read_in_sandbox(path, jurisdiction="四川省")
    assert doc.vocabulary and doc.vocabulary_key and "养老" in doc.vocabulary
    home = tmp_path / "home"
    build_store(home, without_sichuan)
    calls = []
    real = text.tokens.build_vocabulary
    monkeypatch.setattr(text.tokens, "build_vocabulary", lambda *a: calls.append(a) or real(*a))
    add_documents(home, [doc])
    assert calls == []
    doc.title = "另一个标题的重点任务分工表"
    add_documents(home, [doc])
    assert len(calls) == 1 and "另一个标题的重点任务分工表" in doc.vocabulary


def test_a_removed_document_leaves_nothing_behind(tmp_path, store_home, without_sichuan):
    """Tasks, agencies, postings and rerank texts leave with the document. Its words stay
    in the tokenizer dictionary until the next full build: whether another document still
    uses a word is only known by cutting every document again with jieba's full
    dictionary (index.update), so this compares what a user sees of the store (the
    exported tasks) and checks that nothing of the document is left anywhere else."""
    from index.build import build_store
    from index.store import Store
    from index.update import remove_documents

    home = tmp_path / "home"
    shutil.copytree(store_home, home)
    remove_documents(home, [SICHUAN])
    base = tmp_path / "base"
    build_store(base, without_sichuan)
    assert _export(home) == _export(base)
    st = Store(home)
    # no posting names a task that is gone, and no agency of 四川 is left
    ids = {r[0] for r in st.conn.execute("select id from tasks")}
    for (blob,) in st.conn.execute("select ids from postings"):
        from array import array
        got = array("I")
        got.frombytes(blob)
        assert set(got) <= ids
    assert not st.conn.execute("select 1 from agencies where jurisdiction = '四川省'").fetchall()
    assert st.conn.execute("select count(*) from task_text").fetchone()[0] == len(ids)
    with pytest.raises(KeyError):
        remove_documents(home, ["no-such-document"])


def test_adding_the_same_source_again_replaces_it(tmp_path, store_home, sichuan_doc):
    from index.update import add_documents

    home = tmp_path / "home"
    shutil.copytree(store_home, home)
    before = _export(home)
    report = add_documents(home, [sichuan_doc])
    assert report.removed == [SICHUAN] and report.added == [SICHUAN]
    key = lambda t: (t["source"], t["number"])  # noqa: E731
    assert sorted(_export(home), key=key) == sorted(before, key=key)


def test_a_failed_add_changes_nothing(tmp_path, store_home, sichuan_doc):
    import copy

    from index.update import add_documents

    home = tmp_path / "home"
    shutil.copytree(store_home, home)
    before = (home / "fengong.db").read_bytes()
    broken = copy.deepcopy(sichuan_doc)
    broken.source = "broken-copy"
    del broken.tasks[30]["deadlines"]  # fails half-way through writing the tasks
    with pytest.raises(KeyError):
        add_documents(home, [broken])
    assert (home / "fengong.db").read_bytes() == before
    assert len(list(home.glob("jieba-*.dict"))) == 1


def test_sigkill_in_the_middle_of_an_add_leaves_the_last_store(tmp_path, store_home):
    """A child adds a document and is killed while the transaction is open."""
    home = tmp_path / "home"
    shutil.copytree(store_home, home)
    before = _export(home)
    code = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
import index.update as u
from index.build import parse_all
from pathlib import Path
doc = next(d for d in parse_all(Path({str(ROOT / 'data')!r})) if d.source == {SICHUAN!r})
doc.source = "killed-copy"
real = u._Writer._add_terms
def slow(self, tasks):
    real(self, tasks)
    print("inside", flush=True)
    time.sleep(60)
u._Writer._add_terms = slow
u.add_documents({str(home)!r}, [doc])
"""
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "inside"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert _export(home) == before
    with sqlite3.connect(home / "fengong.db") as conn:
        assert conn.execute("select count(*) from sources where id = 'killed-copy'").fetchone()[0] == 0


def test_an_open_answerer_answers_from_the_added_document_after_refresh(tmp_path, without_sichuan, sichuan_doc):
    from bot.answer import Answerer
    from index.build import build_store
    from index.update import add_documents, remove_documents

    home = tmp_path / "home"
    build_store(home, without_sichuan)
    answerer = Answerer(str(home))
    assert answerer.ask("四川省民政厅有哪些任务").tasks == []
    assert answerer.refresh() is False  # nothing changed: no reload
    add_documents(home, [sichuan_doc])
    assert answerer.refresh() is True
    tasks = answerer.ask("四川省民政厅有哪些任务").tasks
    assert tasks and {t["source"] for t in tasks} == {SICHUAN}
    remove_documents(home, [SICHUAN])
    assert answerer.refresh() is True
    assert answerer.ask("四川省民政厅有哪些任务").tasks == []
    answerer.close()


def test_a_question_after_a_removal_reads_the_new_store_without_refresh(tmp_path, without_sichuan, sichuan_doc):
    """A bot's question may come between a commit and any refresh: each question reads one
    snapshot and loads the build it finds first, so it neither names a removed task nor
    fails (index.update commits in place while questions run)."""
    from bot.answer import Answerer
    from index.build import build_store
    from index.update import add_documents, remove_documents

    home = tmp_path / "home"
    build_store(home, without_sichuan)
    add_documents(home, [sichuan_doc])
    answerer = Answerer(str(home))
    questions = ["四川省民政厅有哪些任务", "婴幼儿照护服务谁负责", "谁负责家庭养老床位"]
    before = [answerer.ask(q) for q in questions]
    assert before[0].tasks and {t["source"] for t in before[0].tasks} == {SICHUAN}
    remove_documents(home, [SICHUAN])
    after = [answerer.ask(q) for q in questions]  # no refresh() in between
    assert after[0].tasks == []
    assert all(t["source"] != SICHUAN for a in after for t in a.tasks)
    add_documents(home, [sichuan_doc])
    again = answerer.ask(questions[0])
    assert again.tasks and {t["source"] for t in again.tasks} == {SICHUAN}
    answerer.close()
