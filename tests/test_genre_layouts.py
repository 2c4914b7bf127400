"""The genre's other layouts, on invented but real-shaped documents (tests/fixtures/genre):
each file is parsed as a user's upload is (the reader of its format, then the layouts) and
every row is compared with the gold written by hand beside it (NAME.gold.json).

Compared as the wild gold is (../shared/wild/README.md): lead and responsible exactly,
support and local as one set (a territorial unit in a 配合单位 column is support, the same
unit in free text local), deadlines in order; the task text by its start; number, and title
or section when the gold names them. make_genre.py rebuilds the binary files.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.parse import parse_document

GENRE = Path(__file__).parent / "fixtures" / "genre"
DOCUMENTS = sorted(p for p in GENRE.iterdir() if p.suffix != ".json" and p.name != "make_genre.py")


def _sq(text: str) -> str:
    return "".join(str(text).split())


def _gold(path: Path) -> list[dict]:
    return json.loads((GENRE / f"{path.stem}.gold.json").read_text(encoding="utf-8"))


def _match(tasks: list[dict], gold: dict) -> dict | None:
    """The task of a gold row: by number, and by section when the gold names one (numbers
    restart per sheet)."""
    return next((t for t in tasks if t["number"] == gold["number"] and gold.get("section", t["section"]) == t["section"]),
                None)


def _wrong(task: dict | None, gold: dict) -> list[str]:
    """What differs between a parsed task and its gold row (empty: right)."""
    if task is None:
        return ["missing"]
    why = [f"{k} {task[k]} want {gold[k]}" for k in ("lead", "responsible") if task[k] != gold[k]]
    if sorted(task["support"] + task["local"]) != sorted(gold["support"] + gold["local"]):
        why.append(f"support+local {task['support'] + task['local']} want {gold['support'] + gold['local']}")
    if [_sq(d) for d in task["deadlines"]] != [_sq(d) for d in gold["deadlines"]]:
        why.append(f"deadlines {task['deadlines']} want {gold['deadlines']}")
    if not _sq(task["task"]).startswith(_sq(gold["task"])):
        why.append(f"task {task['task'][:30]!r} want {gold['task']!r}")
    why += [f"{k} {task[k]!r} want {gold[k]!r}" for k in ("title", "section") if k in gold and task[k] != gold[k]]
    return why


def test_every_document_has_its_gold():
    assert len(DOCUMENTS) >= 8
    assert {p.suffix for p in DOCUMENTS} >= {".docx", ".xlsx", ".html", ".txt", ".pdf"}
    for path in DOCUMENTS:
        assert _gold(path), path


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_rows(path):
    doc = parse_document(path)
    gold = _gold(path)
    wrong = {(g["number"], g.get("section")): why for g in gold if (why := _wrong(_match(doc.tasks, g), g))}
    assert wrong == {}
    # no row that is not a task (备注, a repeated header, a sheet of instructions)
    assert sorted(t["number"] for t in doc.tasks) == sorted(g["number"] for g in gold)


def test_two_row_header_repeated_over_a_page_is_no_task_and_no_warning():
    doc = parse_document(GENRE / "g1_two_row_header.docx")
    assert doc.warnings == []
    assert [t["number"] for t in doc.tasks] == ["1", "2", "3", "4", "5"]


def test_measures_under_one_merged_task_are_numbered_within_it_and_lose_their_printed_number():
    doc = parse_document(GENRE / "g2_measures.xlsx")
    first = doc.tasks[0]
    assert first["number"] == "1.1" and first["task"].startswith("推行高频事项")
    assert first["title"] == "深化“一网通办”改革"
    # unnumbered measures are numbered by position; the 责任领导 (a person) is never a unit
    assert [t["number"] for t in doc.tasks if t["title"] == "优化企业开办服务"] == ["2.1", "2.2"]
    assert not any("张明" in t[k] for t in doc.tasks for k in ("lead", "support", "responsible", "local"))
    # the 备注 row and the 填报说明 sheet are not tasks
    assert not any("报送" in t["task"] or "按自然月" in t["task"] for t in doc.tasks)


def test_deadlines_keep_what_names_no_date_and_due_only_for_dates():
    tasks = {t["number"]: t for t in parse_document(GENRE / "g5_lead_first.docx").tasks}
    assert tasks["1"]["due"] == ["2025-06-30"]
    assert tasks["3"]["deadlines"] == ["每年12月"] and tasks["3"]["due"] == [None]
    assert tasks["4"]["deadlines"] == ["长期坚持"] and tasks["4"]["due"] == [None]


def test_notes_row_of_a_text_table_is_no_error(tmp_path):
    doc = parse_document(GENRE / "g6_tsv_notes.txt")
    assert len(doc.tasks) == 5
    assert doc.tasks[0]["section"] == "（一）农村生活垃圾治理"


# The genre's ways of saying who does a task in one cell, beyond the seeds' (A牵头，B配合).
CELL_FORMS = [
    ("市司法局牵头，市直有关部门按职责分工落实", ["市司法局"], ["市直有关部门"], [], []),
    ("由市住房城乡建设局牵头，市发展改革委配合", ["市住房城乡建设局"], ["市发展改革委"], [], []),
    ("市政务服务局会同市市场监管局、市商务局负责", ["市政务服务局"], ["市市场监管局", "市商务局"], [], []),
    ("市发展改革委、市财政局分别负责", [], [], ["市发展改革委", "市财政局"], []),
    ("市民政局、市财政局（按职责分工负责）", [], [], ["市民政局", "市财政局"], []),
    ("市市场监管局（牵头单位）、市司法局", ["市市场监管局"], ["市司法局"], [], []),
    ("县市场监管局★、县公安局", ["县市场监管局"], ["县公安局"], [], []),
    ("县民政局为牵头单位，县财政局为配合单位", ["县民政局"], ["县财政局"], [], []),
    ("各乡镇人民政府负总责，县民政局牵头", ["县民政局"], [], [], ["各乡镇人民政府"]),
    ("各县（市、区）党委和政府按职责分工负责", [], [], [], ["各县（市、区）党委和政府"]),
    ("县民政局  县财政局", [], [], ["县民政局", "县财政局"], []),
    ("牵头：区卫健委\n配合：区医保局", ["区卫健委"], ["区医保局"], [], []),
    ("牵头单位为县民政局，配合单位为县财政局", ["县民政局"], ["县财政局"], [], []),
]


@pytest.mark.parametrize("text,lead,support,responsible,local", CELL_FORMS, ids=[c[0][:12] for c in CELL_FORMS])
def test_cell_forms_of_the_genre(text, lead, support, responsible, local):
    from index.cells import parse_cell

    roles = parse_cell(text)
    assert (roles["lead"], roles["support"], roles["responsible"], roles["local"]) == (lead, support, responsible, local)


@pytest.mark.parametrize("text,units,deadlines", [
    ("责任单位：市政务服务局、市信访局；2025年6月底前完成", ["市政务服务局", "市信访局"], ["2025年6月底"]),
    ("区城管局、区公安分局，2025年9月底前完成", ["区城管局", "区公安分局"], ["2025年9月底"]),
])
def test_a_time_after_the_units_is_a_deadline_not_a_unit(text, units, deadlines):
    from index.cells import labelled_deadlines, parse_cell

    assert parse_cell(text)["responsible"] == units
    assert labelled_deadlines(text) == deadlines


def test_a_cell_the_grammar_does_not_know_is_still_a_warning(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text("某县分工表\n序号\t工作任务\t责任单位\n1\t建设口袋公园。\t县政府办督办，县城管局落实\n", encoding="utf-8")
    doc = parse_document(path)
    assert len(doc.tasks) == 1 and "督办" in " ".join(doc.warnings)


@pytest.mark.parametrize("header", ["责任单位（排名第一的为牵头单位）", "牵头单位/配合单位", "牵头单位、配合单位"])
def test_a_column_that_prints_the_lead_first(header):
    from index.parse import parse_text

    text = (f"| 序号 | 工作任务 | {header} | 完成时限 |\n|---|---|---|---|\n"
            "| 1 | 建设口袋公园。 | 县城管局、县住建局、各乡镇人民政府 | 2025年底 |\n"
            "| 2 | 改造老旧小区。 | 县住建局<br>县财政局 | 长期坚持 |\n")
    tasks = parse_text(text, "first").tasks
    assert [(t["lead"], t["support"] + t["local"]) for t in tasks] == [
        (["县城管局"], ["县住建局", "各乡镇人民政府"]), (["县住建局"], ["县财政局"])]


def test_the_lead_rule_stated_above_a_table_applies_to_its_lists(tmp_path):
    from index.parse import parse_text

    text = ("某县分工表\n注：责任单位中排在第一位的为牵头单位。\n\n"
            "| 序号 | 工作任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n"
            "| 1 | 建设口袋公园。 | 县城管局、县住建局 | 2025年底 |\n")
    task = parse_text(text, "rule").tasks[0]
    assert (task["lead"], task["support"]) == (["县城管局"], ["县住建局"])


@pytest.mark.parametrize("text,deadlines", [
    ("到2025年第三季度完成平台建设", ["2025年第三季度"]),
    ("2025年上半年前建成投用", ["2025年上半年"]),
    ("2025年底前完成试点，到2027年全面推开", ["2025年底", "2027年"]),
])
def test_milestones_in_a_task_text_keep_their_quarter_or_half(text, deadlines):
    from index.timephrases import find_deadlines

    assert find_deadlines(text) == deadlines


def test_a_row_with_only_units_adds_them_to_the_task_above_in_a_table_without_numbers():
    from index.parse import parse_text

    text = ("| 工作任务 | 牵头单位 | 配合单位 | 完成时限 |\n|---|---|---|---|\n"
            "| 建设口袋公园5个。 | 县城管局 | 县住建局 | 2025年9月 |\n"
            "|  |  | 县财政局 |  |\n"
            "| 改造老旧小区。 | 县住建局 |  | 2025年底 |\n")
    tasks = parse_text(text, "more").tasks
    assert [(t["number"], t["support"]) for t in tasks] == [("1", ["县住建局", "县财政局"]), ("2", [])]
