"""Readers of Word and Excel files (.docx .xlsx .xls .doc .et): blocks, merged cells, failures.

Small files are built here with python-docx and openpyxl so each test shows what it reads;
.xls and .doc come from tests/fixtures/readers (made by LibreOffice, see make_fixtures.py).
The wild formats table (86 gold rows in Word and Excel) checks the readers on a real document.
"""
from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest

from index.blocks import Paragraph, Table
from index.readers import ReadError, read_blocks

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "readers"
FORMATS = ROOT.parent / "shared" / "wild" / "formats"
needs_formats = pytest.mark.skipif(not FORMATS.is_dir(), reason="shared/wild/formats not present")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


def cells(row) -> list[list[str]]:
    return [list(c) for c in row.cells]


# --- .docx -------------------------------------------------------------------------------

def _task_docx(path: Path, numbers: list[str] | None = None) -> Path:
    """Heading, table (header, section row, 牵头 merged down, a horizontal merge), paragraph."""
    import docx

    d = docx.Document()
    d.add_paragraph("重点任务分工表", style="Heading 1")
    t = d.add_table(rows=6, cols=4)
    for c, text in enumerate(["序号", "工作任务", "牵头单位", "责任单位"]):
        t.cell(0, c).text = text
    t.cell(1, 0).merge(t.cell(1, 3)).text = "一、优化营商环境"
    numbers = numbers if numbers is not None else ["1", "2", "", "1"]
    rows = [(2, "推进一网通办", "市发展改革委\n市司法局"), (3, "压减开办时间", "市市场监管局"),
            (5, "建设创新平台", "市科技局")]
    for (r, task, units), n in zip(rows, [numbers[0], numbers[1], numbers[3]]):
        t.cell(r, 0).text, t.cell(r, 1).text = n, task
        first, *rest = units.split("\n")
        t.cell(r, 3).text = first
        for unit in rest:
            t.cell(r, 3).add_paragraph(unit)
    t.cell(2, 2).merge(t.cell(3, 2)).text = "市政务服务局"
    t.cell(4, 0).merge(t.cell(4, 3)).text = "二、强化创新驱动"
    t.cell(5, 2).merge(t.cell(5, 3))  # 牵头 and 责任 merged across: one cell, kept once
    t.cell(5, 2).text = "市科技局"
    last = d.add_paragraph("各单位要抓好落实。")
    last.add_run("（修订说明：不打印）").font.hidden = True
    d.save(path)
    return path


def test_docx_blocks_in_document_order_with_heading_level(tmp_path):
    doc = read_blocks(_task_docx(tmp_path / "t.docx"))
    kinds = [type(b) for b in doc.blocks]
    assert kinds == [Paragraph, Table, Paragraph]
    assert doc.blocks[0].text == "重点任务分工表" and doc.blocks[0].level == 1
    assert doc.blocks[2].text == "各单位要抓好落实。" and doc.blocks[2].level is None  # hidden run left out
    assert doc.blocks[2].where == "paragraph 2"


def test_docx_merged_cells_both_ways_and_section_rows(tmp_path):
    rows = read_blocks(_task_docx(tmp_path / "t.docx")).tables()[0].rows
    assert cells(rows[0]) == [["序号"], ["工作任务"], ["牵头单位"], ["责任单位"]]
    assert rows[1].spanning and cells(rows[1]) == [["一、优化营商环境"]]
    # the vertically merged 牵头 cell is filled in both rows; a cell's paragraphs are its lines
    assert cells(rows[2]) == [["1"], ["推进一网通办"], ["市政务服务局"], ["市发展改革委", "市司法局"]]
    assert cells(rows[3]) == [["2"], ["压减开办时间"], ["市政务服务局"], ["市市场监管局"]]
    assert rows[4].spanning and cells(rows[4]) == [["二、强化创新驱动"]]
    # a horizontal merge appears once, not repeated
    assert cells(rows[5]) == [["1"], ["建设创新平台"], ["市科技局"]]
    assert rows[5].where == "table 1 row 6"


def test_docx_empty_number_column_numbered_restarting_after_section_rows(tmp_path):
    rows = read_blocks(_task_docx(tmp_path / "t.docx", numbers=["", "", "", ""])).tables()[0].rows
    assert [r.cells[0] for r in rows if not r.spanning][1:] == [["1"], ["2"], ["1"]]


def test_docx_list_numbering_rendered_and_restarted_where_the_document_restarts(tmp_path):
    """序号 cells numbered by Word (numPr) read back as Word prints them, restart included."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    path = _task_docx(tmp_path / "n.docx", numbers=["", "", "", ""])
    d = docx.Document(path)
    numbering = d.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, val in (("w:start", "1"), ("w:numFmt", "chineseCounting"), ("w:lvlText", "（%1）")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    abstract.append(lvl)
    numbering.insert(0, abstract)
    for num_id, restart in (("91", False), ("92", True)):
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), num_id)
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), "90")
        num.append(ref)
        if restart:
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), "0")
            start = OxmlElement("w:startOverride")
            start.set(qn("w:val"), "1")
            override.append(start)
            num.append(override)
        numbering.append(num)
    t = d.tables[0]
    for r, num_id in ((2, "91"), (3, "91"), (5, "92")):
        p = t.cell(r, 0).paragraphs[0]
        p_pr = p._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        for tag, val in (("w:ilvl", "0"), ("w:numId", num_id)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            num_pr.append(el)
        p_pr.append(num_pr)
    d.save(path)
    rows = read_blocks(path).tables()[0].rows
    assert [r.cells[0] for r in rows if not r.spanning][1:] == [["（一）"], ["（二）"], ["（一）"]]


def test_word_number_formats():
    from index.readers.wordnum import format_number

    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 105, 110)] == \
        ["一", "十", "十一", "二十", "二十一", "一百零五", "一百一十"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(28, "lowerLetter") == "bb"


@needs_formats
def test_docx_wild_table():
    doc = read_blocks(FORMATS / "wild_table.docx")
    rows = doc.tables()[0].rows
    assert len(rows) == 95 and sum(r.spanning for r in rows) == 8
    assert cells(rows[2])[4] == ["人力资源社会保障部", "住房城乡建设部", "商务部"]
    # 牵头部门 merged down seven rows (vMerge): every row carries it, the rows around do not
    assert [r.texts()[3] for r in rows[20:29]] == ["财政部"] + ["人力资源社会保障部"] * 7 + ["财政部"]


def test_corrupt_and_disguised_docx_are_refused_with_a_reason(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(_task_docx(tmp_path / "ok.docx").read_bytes()[:3000])
    with pytest.raises(ReadError, match="损坏"):
        read_blocks(broken)
    ole = tmp_path / "old.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ReadError, match=r"\.doc"):
        read_blocks(ole)
    locked = tmp_path / "locked.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600)
    with pytest.raises(ReadError, match="密码"):
        read_blocks(locked)
    not_word = tmp_path / "fake.docx"
    with zipfile.ZipFile(not_word, "w") as z:
        z.writestr("hello.txt", "not a word file")
    with pytest.raises(ReadError, match="Word"):
        read_blocks(not_word)
    with pytest.raises(ReadError, match="空"):
        (tmp_path / "empty.docx").write_bytes(b"")
        read_blocks(tmp_path / "empty.docx")


def test_zip_bomb_refused_before_inflating(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))  # 30 MB of zeros, ~30 KB packed
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(ReadError, match="压缩炸弹"):
        read_blocks(bomb)


# --- .xlsx / .xls --------------------------------------------------------------------------

def test_xml_entity_tricks_are_not_expanded(tmp_path):
    """A DTD with entities (the billion-laughs pattern) in a sheet is refused (defusedxml)."""
    ok = _task_xlsx(tmp_path / "ok.xlsx")
    bad = tmp_path / "laughs.xlsx"
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(ok) as zin, zipfile.ZipFile(bad, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = dtd + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            zout.writestr(name, data)
    with pytest.raises(ReadError, match="损坏"):
        read_blocks(bad)


def _task_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "分工"
    ws.append(["重点任务分工表"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "工作任务", "牵头单位", "责任单位", "完成时限"])
    ws.append([])
    ws.append(["一、优化营商环境"])
    ws.merge_cells("A4:E4")
    ws.append([1.0, "推进一网通办", "市政务服务局", "市发展改革委\n市司法局", dt.datetime(2024, 6, 30)])
    ws.append([2, "压减开办时间", None, "市市场监管局", 0.5])
    ws.merge_cells("C5:C6")
    ws.append([3, "建设创新平台", "市科技局", None, "2025年"])
    ws.merge_cells("C7:D7")
    second = wb.create_sheet("补充")
    second.append(["序号", "工作任务"])
    second.append([1, "完善考核办法"])
    hidden = wb.create_sheet("草稿")
    hidden.append(["不要读"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def test_xlsx_merged_ranges_numbers_dates_sheets(tmp_path):
    doc = read_blocks(_task_xlsx(tmp_path / "t.xlsx"))
    first, second = doc.tables()
    assert (first.name, second.name) == ("分工", "补充")
    rows = first.rows
    assert rows[0].spanning and cells(rows[0]) == [["重点任务分工表"]]
    assert rows[2].spanning and rows[2].where == "sheet 分工 row 4"  # the empty row 3 is dropped
    assert cells(rows[3]) == [["1"], ["推进一网通办"], ["市政务服务局"], ["市发展改革委", "市司法局"], ["2024-06-30"]]
    assert cells(rows[4]) == [["2"], ["压减开办时间"], ["市政务服务局"], ["市市场监管局"], ["0.5"]]
    assert cells(rows[5]) == [["3"], ["建设创新平台"], ["市科技局"], ["2025年"]]  # C7:D7 kept once
    assert cells(second.rows[1]) == [["1"], ["完善考核办法"]]
    assert any("草稿" in w for w in doc.warnings)


def test_empty_workbook_is_refused(tmp_path):
    import openpyxl

    path = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active["B3"] = "   "
    wb.save(path)
    with pytest.raises(ReadError, match="工作簿是空的"):
        read_blocks(path)


@needs_formats
def test_xlsx_wild_table():
    rows = read_blocks(FORMATS / "wild_table.xlsx").tables()[0].rows
    assert len(rows) == 96 and sum(r.spanning for r in rows) == 9  # the title row spans too
    assert [r.texts()[3] for r in rows[21:30]] == ["财政部"] + ["人力资源社会保障部"] * 7 + ["财政部"]  # D23:D29
    assert rows[93].texts()[0] == "一.一"


def test_xls_fixture_merges_numbers_and_dates():
    rows = read_blocks(FIXTURES / "merged.xls").tables()[0].rows
    assert rows[0].spanning and rows[2].spanning
    assert cells(rows[3]) == [["1"], ["推进政务服务一网通办"], ["市政务服务局"], ["市发展改革委", "市司法局"],
                              ["2024-06-30"]]
    assert cells(rows[4])[:3] == [["2"], ["压减企业开办时间"], ["市政务服务局"]]
    assert rows[4].where == "sheet 任务 row 5"


def test_xls_that_is_really_xlsx_or_garbage(tmp_path):
    fake = tmp_path / "t.xls"
    shutil.copy(_task_xlsx(tmp_path / "t.xlsx"), fake)
    with pytest.raises(ReadError, match=r"\.xlsx"):
        read_blocks(fake)
    (tmp_path / "junk.xls").write_bytes(b"hello world, not a spreadsheet")
    with pytest.raises(ReadError, match="不是 Excel"):
        read_blocks(tmp_path / "junk.xls")


def test_et_read_as_xls_inside(tmp_path):
    et = tmp_path / "任务.et"
    shutil.copy(FIXTURES / "merged.xls", et)
    rows = read_blocks(et).tables()[0].rows
    assert cells(rows[3])[2] == ["市政务服务局"]


# --- .doc / .wps through LibreOffice ------------------------------------------------------

@needs_soffice
def test_doc_converted_by_libreoffice(tmp_path):
    doc_file = tmp_path / "分工 表.doc"  # a name with a space and Chinese
    shutil.copy(FIXTURES / "merged.doc", doc_file)
    doc = read_blocks(doc_file)
    assert doc.path == str(doc_file)
    rows = doc.tables()[0].rows
    assert rows[1].spanning and cells(rows[1]) == [["一、优化营商环境"]]
    assert cells(rows[2]) == [["1"], ["推进政务服务一网通办"], ["市政务服务局"], ["市发展改革委", "市司法局"]]
    assert cells(rows[3])[2] == ["市政务服务局"]
    assert doc.paragraphs()[-1].text == "以上任务请各单位抓好落实。"


@needs_soffice
def test_concurrent_conversions_each_succeed(tmp_path):
    """Each run has its own LibreOffice profile: with a shared one the second exits silently."""
    from concurrent.futures import ThreadPoolExecutor

    paths = []
    for i, suffix in enumerate((".doc", ".wps", ".doc")):
        paths.append(tmp_path / f"t{i}{suffix}")
        shutil.copy(FIXTURES / "merged.doc", paths[-1])
    with ThreadPoolExecutor(3) as pool:
        docs = list(pool.map(read_blocks, paths))
    assert [len(d.tables()[0].rows) for d in docs] == [4, 4, 4]


def test_corrupt_doc_names_the_users_file(tmp_path):
    bad = tmp_path / "坏.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 2000)
    with pytest.raises(ReadError) as err:
        read_blocks(bad)
    assert err.value.path == str(bad) and "损坏" in err.value.reason


def test_doc_without_libreoffice_says_how_to_install(tmp_path, monkeypatch):
    import index.readers.office as office

    monkeypatch.setattr(office, "find_soffice", lambda: None)
    path = tmp_path / "old.wps"
    shutil.copy(FIXTURES / "merged.doc", path)
    with pytest.raises(ReadError) as err:
        read_blocks(path)
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in err.value.reason
    assert ".docx" in err.value.reason
