"""`python -m bot digest` and `export --format xlsx` with a pinned today, on the real store."""
from __future__ import annotations

import json
import os
import subprocess

import openpyxl

from conftest import PYTHON, ROOT


def bot(cli_env, *args, today="2022-03-01"):
    env = dict(cli_env, FENGONG_TODAY=today)
    run = subprocess.run([PYTHON, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run


def test_digest_json_has_the_overdue_and_the_due_soon(cli_env, answerer):
    d = json.loads(bot(cli_env, "digest", "--agency", "市民政局", "--scope", "三亚市", "--json").stdout)
    assert set(d) == {"agency", "overdue", "due_soon", "reply"}
    assert d["agency"] == {"canonical": "市民政局", "jurisdiction": "三亚市"}
    # the same tasks the store holds for that agency with a date before 2022-03-01
    aid = next(a["id"] for a in answerer.find_agencies("三亚市民政局"))
    mine = answerer.agency_tasks(aid).tasks
    want = {(t["source"], t["number"]) for t in mine if any(x and x < "2022-03-01" for x in t["due"])}
    assert {(t["source"], t["number"]) for t in d["overdue"]} == want and want
    assert all(x is None or x > "2022-03-01" for t in d["due_soon"] for x in t["due"] if x and x < "2022-03-01") or d["due_soon"] == []
    assert "逾期" in d["reply"] or "已过" in d["reply"]


def test_an_ambiguous_agency_asks_for_the_scope(cli_env):
    run = subprocess.run([PYTHON, "-m", "bot", "digest", "--agency", "民政局"], cwd=ROOT, env=cli_env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "--scope" in run.stderr


def test_export_xlsx_reads_back_one_row_per_task(cli_env, answerer, tmp_path):
    out = tmp_path / "民政局.xlsx"
    bot(cli_env, "export", "--format", "xlsx", "--agency", "市民政局", "--scope", "三亚市", "-o", str(out))
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == ["文件", "序号", "任务", "本单位角色", "牵头单位", "配合单位", "属地", "完成时限", "到期日", "状态"]
    assert ws.freeze_panes == "A2"
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    aid = next(a["id"] for a in answerer.find_agencies("三亚市民政局"))
    tasks = answerer.agency_tasks(aid).tasks
    assert len(rows) == len(tasks)
    label = {"lead": "牵头", "support": "配合", "responsible": "负责", "local": "属地"}
    for row, t in zip(rows, tasks):
        assert row["序号"] == t["number"] and row["本单位角色"] == label[t["role"]]
        # with no lead, the responsible units stand in 牵头单位, marked （负责）
        assert (row["牵头单位"] or "") == ("、".join(t["lead"]) or ("、".join(t["responsible"]) + "（负责）" if t["responsible"] else ""))
        assert (row["到期日"] or "") == "、".join(d for d in t["due"] if d)
        overdue = any(d and d < "2022-03-01" for d in t["due"])
        assert (row["状态"] == "已过时限") == overdue
    # the jsonl export is unchanged
    lines = bot(cli_env, "export").stdout.splitlines()
    assert len(lines) == 158 and json.loads(lines[0])["source"]
