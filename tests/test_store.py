"""The store: export equals the seed gold, rebuilds are atomic, bad input is named."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess

import pytest

from conftest import GOLD, PYTHON, ROOT, read_jsonl
from index.build import BuildError, build_store, db_path, ensure_store, is_stale

needs_gold = pytest.mark.skipif(not GOLD.exists(), reason="shared/eval/seed-gold not beside the checkout")


def export(kind: str, env: dict) -> list[dict]:
    out = subprocess.run([PYTHON, "-m", "bot", "export", "--kind", kind], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def differences(got: list[dict], want: list[dict], key) -> list[str]:
    got_by = {key(x): x for x in got}
    out = []
    for w in want:
        g = got_by.get(key(w))
        if g is None:
            out.append(f"{key(w)}: missing")
            continue
        out += [f"{key(w)}.{f}: got {g.get(f)!r} want {v!r}" for f, v in w.items() if g.get(f) != v]
    out += [f"{k}: not in gold" for k in set(got_by) - {key(w) for w in want}]
    return out


@needs_gold
def test_export_tasks_equal_gold(cli_env):
    got = export("tasks", cli_env)
    want = read_jsonl(GOLD / "tasks.jsonl")
    assert len(got) == len(want) == 158
    # the gold's keys, and the due dates the gold predates (issue 11)
    assert all(set(t) == set(want[0]) | {"due"} for t in got), "task objects have exactly the gold's keys and due"
    diffs = differences(got, want, key=lambda t: (t["source"], t["number"]))
    assert not diffs, "\n".join(diffs[:40])


@needs_gold
def test_export_people_and_duties_equal_gold(cli_env):
    people = export("people", cli_env)
    diffs = differences(people, read_jsonl(GOLD / "people.jsonl"), key=lambda p: p["name"])
    assert not diffs, "\n".join(diffs)
    duties = export("duties", cli_env)
    diffs = differences(duties, read_jsonl(GOLD / "duties.jsonl"), key=lambda d: d["agency"])
    assert not diffs, "\n".join(diffs)


def test_export_agencies_live_in_a_jurisdiction(cli_env):
    agencies = export("agencies", cli_env)
    minzheng = {a["jurisdiction"] for a in agencies if "市民政局" in a["variants"]}
    assert minzheng == {"三亚市", "省会城市"}, "the same name is two bodies in two cities"
    wei = [a for a in agencies if a["jurisdiction"] == "三亚市" and "市卫健委" in a["variants"]]
    assert len(wei) == 1 and {"市卫健委员会", "市卫生健康委员会"} <= set(wei[0]["variants"])
    sichuan = [a for a in agencies if a["jurisdiction"] == "四川省" and "民政厅" in a["variants"]]
    assert sichuan[0]["canonical"] == "民政厅" and "民政部" in sichuan[0]["variants"]


def copy_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def build_id(home) -> str:
    with sqlite3.connect(db_path(home)) as conn:
        return conn.execute("select value from meta where key = 'build_id'").fetchone()[0]


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda p: p.write_text("", encoding="utf-8"), "empty"),
        # UTF-8 Chinese, then a name saved as GBK: neither UTF-8 nor GB18030 (a whole GBK file is read)
        (lambda p: p.write_bytes("序号\t重点任务\t责任单位\n1\t任务\t".encode() + "市民政局\n".encode("gbk")), "UTF-8"),
        (lambda p: p.write_text("序号\t重点任务\t责任单位\n1\t只有两列\n", encoding="utf-8"), "column"),
    ],
    ids=["empty file", "not utf-8", "missing column"],
)
def test_failed_build_names_the_file_and_keeps_the_last_good_store(tmp_path, damage, reason):
    data = copy_data(tmp_path)
    home = tmp_path / "home"
    build_store(home, data)
    before = build_id(home)
    bad = data / "zz-broken.txt"
    damage(bad)
    with pytest.raises(BuildError) as err:
        build_store(home, data)
    assert "zz-broken.txt" in str(err.value)
    assert reason.lower() in str(err.value).lower() or ":" in str(err.value)
    assert build_id(home) == before, "the last good store is untouched"
    assert not list(home.glob("*.tmp")), "no temporary files left behind"


def test_index_build_cli_exits_nonzero_and_says_where(tmp_path):
    data = copy_data(tmp_path)
    (data / "zz-broken.txt").write_text("序号\t重点任务\t责任单位\n1\t只有两列\n", encoding="utf-8")
    # the CLI reads data/ beside the code: run it on a copy of the project
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "data"))
    shutil.copytree(data, project / "data")
    env = {"FENGONG_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([PYTHON, "-m", "bot", "index", "build"], cwd=project, env=env, capture_output=True, text=True)
    assert out.returncode != 0
    assert "zz-broken.txt" in out.stderr and "last good index" in out.stderr


def test_build_reports_names_it_does_not_recognise(tmp_path):
    data = copy_data(tmp_path)
    (data / "zz-extra.txt").write_text(
        "序号\t重点任务\t责任单位\n1\t建立农村互助养老试点。\t市民政局牵头，乡村部门参加。\n", encoding="utf-8")
    report = build_store(tmp_path / "home", data)
    assert report.unknown_names == [(None, "乡村部门")] or any(n == "乡村部门" for _, n in report.unknown_names)
    with sqlite3.connect(db_path(tmp_path / "home")) as conn:
        stored = conn.execute("select count(*) from roles where printed = '乡村部门'").fetchone()[0]
    assert stored == 1, "reported, not dropped"


def test_store_is_built_on_first_use_and_rebuilt_when_data_changes(tmp_path):
    data = copy_data(tmp_path)
    home = tmp_path / "home"
    assert is_stale(home, data)
    build_store(home, data)
    assert not is_stale(home, data)
    import os, time

    later = time.time() + 5
    os.utime(data / "capital-yanglao.txt", (later, later))
    assert is_stale(home, data)


def test_ensure_store_builds_a_missing_store(tmp_path, monkeypatch):
    monkeypatch.setenv("FENGONG_HOME", str(tmp_path / "fresh"))
    path = ensure_store()
    assert path.exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from tasks").fetchone()[0] == 158


def test_a_cut_deadline_cell_is_warned_about(tmp_path):
    data = copy_data(tmp_path)
    text = (data / "sanya-jujia-yanglao.txt").read_text(encoding="utf-8")
    cut = text[: text.index("\t2020年8月") + len("\t202")]
    (data / "sanya-jujia-yanglao.txt").write_text(cut, encoding="utf-8")
    report = build_store(tmp_path / "home", data)
    assert any("'202' does not look like a time" in w for w in report.warnings)


def test_the_seed_documents_raise_no_warnings(store_home):
    assert build_store(store_home).warnings == []


def test_the_lexicon_comes_from_the_data_folder_built_and_a_change_rebuilds(tmp_path):
    """Questions read the synonym table from the store, as the build read it from the
    data folder; editing the table makes the store stale, and the rebuilt store uses it."""
    import os
    import time

    from bot.answer import Answerer

    data = copy_data(tmp_path)
    home = tmp_path / "home"
    build_store(home, data)
    before = Answerer(str(home))
    assert before.ask("互助储蓄所谁负责").intent == "not_found"
    before.close()
    table = data / "lexicon" / "synonyms.txt"
    table.write_text(table.read_text(encoding="utf-8").replace("时间银行 时间储蓄", "时间银行 互助储蓄所 时间储蓄"),
                     encoding="utf-8")
    later = time.time() + 5
    os.utime(table, (later, later))
    assert is_stale(home, data)
    build_store(home, data)
    after = Answerer(str(home))
    a = after.ask("互助储蓄所谁负责")
    after.close()
    assert a.intent == "task" and (a.tasks[0]["source"], a.tasks[0]["number"]) in {("sanya-jujia-yanglao", "17"),
                                                                                 ("sichuan-yanglao-tuoyu", "36"),
                                                                                 ("capital-yanglao", "28")}
