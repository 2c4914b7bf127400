"""PDFs whose tables are printed without ruled lines, prose plans and blank pages.

The fixtures are Word documents printed by LibreOffice (tests/fixtures/readers/make_pdfs.py
makes them again and holds their contents, imported here): the same tasks must come back as
from a ruled table, with units, roles and deadlines.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.blocks import Paragraph, Table
from index.parse import UnreadableFile, parse_document
from index.readers import ReadError, read_blocks

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "readers"
SHARED = ROOT.parent / "shared"
FORMATS = SHARED / "wild" / "formats"
needs_formats = pytest.mark.skipif(not FORMATS.is_dir(), reason="shared/wild/formats not present")


@pytest.fixture(scope="module")
def made():
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_pdfs
    finally:
        sys.path.remove(str(FIXTURES))
    return make_pdfs


def roles(task: dict) -> tuple:
    return (task["number"], task["lead"], task["support"], task["responsible"], task["local"], task["deadlines"])


def deadline(printed: str) -> list[str]:
    """The deadline as the parser states it: 2025年底前 → 2025年底."""
    return [printed[:-1] if printed.endswith("前") else printed]


@pytest.mark.parametrize("name", ["seedlike_borderless", "hrules_borderless"])
def test_seedlike_table_without_rules_wrapped_units_and_sections(made, name):
    """No rules at all, or rules between the rows only (no column is ruled)."""
    doc = read_blocks(FIXTURES / f"{name}.pdf")
    assert [type(b) for b in doc.blocks] == [Paragraph, Paragraph, Table, Paragraph]
    assert doc.blocks[-1].text == "以上任务请各单位抓好落实，每半年报送一次进展情况。"
    rows = doc.tables()[0].rows
    assert rows[0].texts() == ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    assert [r.spanning for r in rows] == [not isinstance(r, tuple) for r in [()] + made.SEEDLIKE]
    # 市发展和改 / 革委员会 and 市人力资源 / 和社会保障 / 局: one unit each, every unit on its own line
    for row, want in zip(rows[1:], made.SEEDLIKE):
        if isinstance(want, tuple):
            assert [row.cells[2], row.cells[3]] == [want[2], want[3]], row.where
            assert row.texts()[1] == want[1]

    tasks = parse_document(FIXTURES / f"{name}.pdf").tasks
    want_tasks = [w for w in made.SEEDLIKE if isinstance(w, tuple)]
    assert [roles(t) for t in tasks] == [(n, lead, support, [], [], deadline(d))
                                         for n, _, lead, support, d in want_tasks]
    assert [t["section"] for t in tasks] == ["一、完善养老服务网络"] * 3 + ["二、强化要素保障"] * 2


@pytest.mark.parametrize("name", ["twopage_borderless", "norepeat_borderless"])
def test_table_over_two_pages_and_a_row_split_by_the_break(made, name):
    """The header printed again on page 2 or not: one table, the header once, row 10 (split by
    the page break, its number on page 1) put back together; the running head 某市人民政府办公室
    and the foot 第 N 页 are no part of it."""
    doc = read_blocks(FIXTURES / f"{name}.pdf")
    assert [type(b) for b in doc.blocks] == [Paragraph, Table]
    (table,) = doc.tables()
    rows = table.rows
    assert [r.texts()[0] for r in rows] == ["序号"] + [str(n) for n in range(1, 19)]  # header once
    assert rows[-1].where.startswith("page 2 ")
    for row, (n, task, lead, support, when) in zip(rows[1:], made.TWOPAGE):
        assert row.cells[1:] == [[task], lead, support, [when]], row.where  # split rows put together

    tasks = parse_document(FIXTURES / f"{name}.pdf").tasks
    assert [roles(t) for t in tasks] == [(n, lead, support, [], [], [when])
                                         for n, _, lead, support, when in made.TWOPAGE]


def test_centred_letter_spaced_wrapped_header_and_centred_cells(made):
    """序  号 and 配  合  单  位 letter-spaced, 牵 头 / 单 位 wrapped: each one column."""
    rows = read_blocks(FIXTURES / "centred_borderless.pdf").tables()[0].rows
    assert [t.replace(" ", "") for t in rows[0].texts()] == ["序号", "主要任务", "牵头单位", "配合单位", "完成时间"]
    tasks = parse_document(FIXTURES / "centred_borderless.pdf").tasks
    assert [roles(t) for t in tasks] == [(n, lead, support, [], [], [when])
                                         for n, _, lead, support, when in made.CENTRED]
    assert [t["task"] for t in tasks] == [w[1] for w in made.CENTRED]


def test_two_column_table_without_number_column_and_a_signature_below(made):
    """重点任务 | 责任单位 only: a row starts where the task column's paragraph ended."""
    doc = read_blocks(FIXTURES / "unnumbered_borderless.pdf")
    assert [type(b) for b in doc.blocks] == [Paragraph, Table, Paragraph]
    assert doc.blocks[-1].text == "某区人民政府办公室"  # set apart below the table: not a row
    tasks = parse_document(FIXTURES / "unnumbered_borderless.pdf").tasks
    assert [(t["task"], t["responsible"], t["lead"]) for t in tasks] == \
        [(task, units, []) for task, units in made.UNNUMBERED]
    assert [t["deadlines"] for t in tasks] == [["2024年12月底"], [], []]


def test_prose_plan_reads_as_paragraphs_with_labelled_clauses(made):
    doc = read_blocks(FIXTURES / "prose_plan.pdf")
    assert doc.tables() == []
    assert [p.text for p in doc.paragraphs()] == made.PROSE_PLAN
    tasks = parse_document(FIXTURES / "prose_plan.pdf").tasks
    assert [roles(t) for t in tasks] == [
        ("一", ["市民政局"], ["市财政局", "市住房和城乡建设局"], [], [], ["2025年底"]),
        ("二", ["市教育局"], ["市老龄办"], [], [], []),
        ("三", ["市卫生健康委员会"], ["市民政局", "市医疗保障局"], [], [], ["2024年6月"]),
    ]


def test_page_without_text_is_the_scan_error():
    with pytest.raises(ReadError) as err:
        read_blocks(FIXTURES / "blank.pdf")
    assert "扫描件" in err.value.reason and "Word" in err.value.reason
    with pytest.raises(UnreadableFile, match="扫描件"):
        parse_document(FIXTURES / "blank.pdf")


def test_a_page_the_column_reading_fails_on_is_text_with_a_warning(monkeypatch):
    import index.readers.pdf as pdf

    def broken(lines, carry, **_):
        raise IndexError("odd page")

    monkeypatch.setattr(pdf, "find_tables", broken)
    doc = read_blocks(FIXTURES / "seedlike_borderless.pdf")
    assert doc.tables() == [] and len(doc.paragraphs()) > 5
    assert len(doc.warnings) == 1 and "page 1" in doc.warnings[0] and "按文字读取" in doc.warnings[0]


@needs_formats
def test_wild_table_without_rules_reads_its_unit_cells_as_word_does():
    """The wild formats table printed with no borders: every section row and every unit and
    person cell as the Word file has them (the 牵头部门 column is empty on the first page, so
    its boundary must come from the header, not from the middle of an empty strip)."""
    import docx

    word = docx.Document(FORMATS / "wild_table.docx").tables[0].rows
    rows = read_blocks(FIXTURES / "wild_borderless.pdf").tables()[0].rows
    assert len(rows) == len(word) == 95
    for got, want in zip(rows, word):
        texts = [c.text for c in want.cells]
        if len(set(texts)) == 1:
            assert got.spanning and got.texts() == [texts[0]], got.where
            continue
        assert got.texts()[0] == texts[0], got.where
        for c in (2, 3, 4, 5):
            assert [x.replace(" ", "") for x in got.cells[c]] == \
                [x.replace(" ", "") for x in texts[c].split("\n") if x], (got.where, c)


@needs_formats
def test_wild_gold_rows_from_the_table_without_rules(tmp_path):
    env = dict(os.environ, FENGONG_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "parse_score.py"), "--gold", str(FORMATS / "gold.jsonl"),
         "--file", str(FIXTURES / "wild_borderless.pdf"), "--cmd", f"{sys.executable} -m bot parse",
         "--min", "0.95", "--show", "10"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_cells_centred_vertically_number_in_the_middle_of_its_row(made):
    """Every cell centred vertically: the 序号 stands beside the middle of its task, the first
    lines of the row's other cells above it. The rows still come back whole."""
    rows = read_blocks(FIXTURES / "middle_borderless.pdf").tables()[0].rows
    assert [t.replace(" ", "") for t in rows[0].texts()] == ["序号", "主要任务", "牵头单位", "配合单位", "完成时间"]
    assert [r.cells for r in rows[1:]] == [[[n], [task], lead, support, [when]]
                                           for n, task, lead, support, when in made.CENTRED]
    tasks = parse_document(FIXTURES / "middle_borderless.pdf").tasks
    assert [roles(t) for t in tasks] == [(n, lead, support, [], [], [when])
                                         for n, _, lead, support, when in made.CENTRED]


def _chars(text: str, x: float, top: float, size: float = 10.0) -> list[dict]:
    """Characters as pdfplumber gives them, one glyph a size wide, left to right from x."""
    return [{"text": ch, "x0": x + i * size, "x1": x + (i + 1) * size, "top": top, "bottom": top + size,
             "size": size, "upright": True} for i, ch in enumerate(text)]


def test_a_heading_that_fits_in_the_number_column_is_a_section_row():
    """A wide 编号 column holds 二、促进就业 whole: no text crosses the gutter, yet it is a
    section row, not the end of the table; a closing sentence there does end it."""
    from index.readers.pdfcolumns import find_tables
    from index.readers.pdfheader import ylines

    page = (_chars("编号", 0, 0) + _chars("工作任务", 100, 0) + _chars("牵头单位", 250, 0) + _chars("责任单位", 350, 0)
            + _chars("1", 0, 15) + _chars("稳岗支持", 100, 15) + _chars("财政部", 250, 15) + _chars("人民银行", 350, 15)
            + _chars("二、促进就业", 0, 30)
            + _chars("2", 0, 45) + _chars("创业担保贷款", 100, 45) + _chars("人民银行", 250, 45)
            + _chars("以上请落实。", 0, 60))
    lines = ylines(page)
    (table,), carry = find_tables(lines, None)
    assert [(r.spanning, ["".join(c["text"] for c in cell) for cell in r.cells]) for r in table.rows] == [
        (False, ["编号", "工作任务", "牵头单位", "责任单位"]),
        (False, ["1", "稳岗支持", "财政部", "人民银行"]),
        (True, ["二、促进就业"]),
        (False, ["2", "创业担保贷款", "人民银行", ""]),
    ]
    assert id(lines[-1]) not in table.line_ids and carry is None  # 以上请落实。 is text after it


def test_two_row_header_splits_the_unit_column(made):
    """责任单位 printed over 牵头单位 | 配合单位: two columns, a lead and a support one."""
    rows = read_blocks(FIXTURES / "tworow_borderless.pdf").tables()[0].rows
    assert rows[0].texts() == ["序号", "重点任务", "责任单位牵头单位", "配合单位", "完成时限"]
    tasks = parse_document(FIXTURES / "tworow_borderless.pdf").tasks
    assert [roles(t) for t in tasks] == [(n, lead, support, [], [], deadline(d))
                                         for n, _, lead, support, d in made.SEEDLIKE[1:4]]
