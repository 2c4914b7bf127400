"""The Excel export and the deadline digest, on an agency's real task list."""
import io
from datetime import date

import pytest

from bot.digest import build_digest
from bot.workbook import COLUMNS, workbook_bytes
from index.due import due_dates


@pytest.fixture(scope="module")
def sanya_civil(answerer):
    """三亚市民政局's tasks (with role), each with its due dates."""
    found = [a for a in answerer.find_agencies("三亚市民政局") if a["jurisdiction"] == "三亚市"]
    answer = answerer.agency_tasks(found[0]["id"])
    assert answer.tasks
    return [t | {"due": due_dates(t["deadlines"])} for t in answer.tasks]


def read_back(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data)).active


def test_workbook_has_one_row_per_task_with_roles_dates_and_status(answerer, sanya_civil):
    titles = {d["id"]: d["title"] for d in answerer.documents()}
    ws = read_back(workbook_bytes(sanya_civil, date(2020, 9, 15), titles))
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == len(sanya_civil) + 1
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    for t in sanya_civil:
        r = by_key[(titles[t["source"]], t["number"])]
        assert r[3] == {"lead": "牵头", "responsible": "负责", "support": "配合", "local": "属地"}[t["role"]]
        assert (r[7] or "") == "、".join(t["deadlines"])  # an empty cell reads back as None
        assert (r[8] or "") == "、".join(d for d in t["due"] if d)
    bed = by_key[("三亚市“一老一小”重点任务分工表", "20")]  # 家庭养老床位: 市民政局 leads
    assert bed[3] == "牵头" and "市民政局" in bed[4] and "各区人民政府" in bed[6]
    statuses = {r[9] for r in rows[1:]}
    assert statuses <= {"已过时限", "30天内到期", "未到期", "长期"} and "已过时限" in statuses


def test_workbook_layout_frozen_wide_wrapped(sanya_civil):
    ws = read_back(workbook_bytes(sanya_civil[:3], date(2020, 9, 15)))
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width >= 40
    assert ws["C2"].alignment.wrap_text and ws["A1"].font.bold


def test_workbook_status_moves_with_today(sanya_civil):
    dated = [t for t in sanya_civil if any(t["due"])][:1]
    last = max(d for d in dated[0]["due"] if d)
    before = read_back(workbook_bytes(dated, date.fromisoformat(last).replace(year=2000)))
    after = read_back(workbook_bytes(dated, date(2099, 1, 1)))
    assert before["J2"].value == "未到期" and after["J2"].value == "已过时限"


def test_empty_workbook_has_the_header_only():
    ws = read_back(workbook_bytes([], date(2020, 9, 15)))
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [list(COLUMNS)]


def test_digest_splits_overdue_and_due_soon(sanya_civil):
    today = date(2020, 10, 1)
    d = build_digest(sanya_civil, today, "三亚市民政局")
    assert d["overdue"] and d["due_soon"]
    for t in d["overdue"]:
        assert any(x and x < "2020-10-01" for x in t["due"])
    for t in d["due_soon"]:
        assert any(x and "2020-10-01" <= x <= "2020-10-31" for x in t["due"])
    assert not {id(t) for t in d["overdue"]} & {id(t) for t in d["due_soon"]}
    expected_overdue = [t for t in sanya_civil if any(x and x < "2020-10-01" for x in t["due"])]
    assert len(d["overdue"]) == len(expected_overdue)
    assert d["reply"].startswith(f"三亚市民政局：已过时限 {len(d['overdue'])} 项，30天内到期 {len(d['due_soon'])} 项")
    assert "2020年10月" in d["reply"]


def test_digest_with_nothing_due_says_so_and_when_the_next_deadline_falls(sanya_civil):
    d = build_digest(sanya_civil, date(2019, 1, 1), "三亚市民政局")
    assert d["overdue"] == [] and d["due_soon"] == []
    first = min(x for t in sanya_civil for x in t["due"] if x)
    assert d["next_due"] == first
    assert d["reply"] == f"三亚市民政局：没有已过时限或30天内到期的任务。下一个时限在 {first}。"


def test_digest_of_no_tasks():
    d = build_digest([], date(2020, 9, 15))
    assert d == {"overdue": [], "due_soon": [], "next_due": None, "reply": "没有已过时限或30天内到期的任务。"}
