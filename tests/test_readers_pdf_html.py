"""Readers of PDF and web pages: wrapped units joined, page breaks, merged cells, charsets.

The wild formats table (the same 95 rows as Word, printed to PDF and written as a gb2312
page) is compared cell by cell with the Word reading; small pages and PDFs built here (or
tests/fixtures/readers/narrow.pdf, made by LibreOffice) pin the single rules.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.blocks import Paragraph, Table
from index.readers import ReadError, read_blocks

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "readers"
FORMATS = ROOT.parent / "shared" / "wild" / "formats"
needs_formats = pytest.mark.skipif(not FORMATS.is_dir(), reason="shared/wild/formats not present")


def cells(row) -> list[list[str]]:
    return [list(c) for c in row.cells]


@pytest.fixture(scope="module")
def word_rows():
    return read_blocks(FORMATS / "wild_table.docx").tables()[0].rows


@pytest.fixture(scope="module")
def pdf_doc():
    return read_blocks(FORMATS / "wild_table.pdf")


# --- PDF -----------------------------------------------------------------------------------

@needs_formats
def test_pdf_table_over_42_pages_reads_as_the_word_table(pdf_doc, word_rows):
    """One table, the same rows, section rows and merged cells as the Word file it was printed
    from; every unit cell line for line (wrapped units joined, split rows put back together)."""
    tables = pdf_doc.tables()
    assert len(tables) == 1
    rows = tables[0].rows
    assert len(rows) == len(word_rows) == 95
    assert [r.spanning for r in rows] == [r.spanning for r in word_rows]
    for got, want in zip(rows, word_rows):
        assert len(got.cells) == len(want.cells), got.where
        for c, (g, w) in enumerate(zip(got.cells, want.cells)):
            if c == 1:  # task text: line breaks inside sentences do not matter, the text does
                assert "".join(g) == "".join(w), got.where
            else:
                assert [x.replace(" ", "") for x in g] == [x.replace(" ", "") for x in w], (got.where, c)


@needs_formats
def test_pdf_wrapped_cells_joined_and_merges_filled(pdf_doc):
    rows = pdf_doc.tables()[0].rows
    assert cells(rows[2])[4] == ["人力资源社会保障部", "住房城乡建设部", "商务部"]  # 人力资源社 / 会保障部
    assert cells(rows[5])[4] == ["发展改革委", "粮食和储备局"]  # a unit exactly one line wide ends there
    assert cells(rows[30])[4] == ["各有关部门和单位"]  # 各有关部门 / 和单位
    # 牵头部门 merged over seven rows, crossing page breaks: filled in every row
    assert [r.texts()[3] for r in rows[21:28]] == ["人力资源社会保障部"] * 7
    # row 十七 is split by the page break: one row, its cells put back together
    assert rows[6].texts()[1].startswith("研究支持对海关特殊监管区域外")
    assert cells(rows[6])[4] == ["商务部", "海关总署", "财政部", "税务总局"]
    assert rows[6].where == "page 1 table 1 row 7"


@needs_formats
def test_pdf_text_outside_tables_is_paragraphs(pdf_doc):
    assert pdf_doc.blocks[0] == Paragraph("重点任务分工表", "page 1")


def test_pdf_narrow_cells_and_kangxi_radicals():
    doc = read_blocks(FIXTURES / "narrow.pdf")
    assert [type(b) for b in doc.blocks] == [Paragraph, Table]
    assert doc.blocks[0].text == "附件：重点任务分工"
    rows = doc.tables()[0].rows
    assert cells(rows[1])[2] == ["市人力资源和社会保障局", "市财政局"]  # printed on 4 lines
    # ⾏ (U+2F8F, KANGXI RADICAL WALK) as printed is read as 行
    assert cells(rows[2])[2] == ["市行政审批局", "发展改革委", "粮食和储备局"]


def test_pdf_prose_lines_joined_into_paragraphs():
    """A paragraph printed over several lines is one paragraph; an indented line starts the next;
    short lines (title, headings) stand alone; the autospace around digits is no space."""
    import sys

    sys.path.insert(0, str(FIXTURES))
    try:
        from make_fixtures import PROSE
    finally:
        sys.path.remove(str(FIXTURES))
    doc = read_blocks(FIXTURES / "prose.pdf")
    assert [p.text for p in doc.paragraphs()] == PROSE
    assert doc.tables() == []


def _pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF file from its objects (1-based), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_scanned_pdf_is_refused_asking_for_word_or_excel(tmp_path):
    image = bytes(range(64))  # an 8×8 grey picture and nothing else: a scan
    content = b"q 200 0 0 200 0 0 cm /Im0 Do Q"
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 64 >>\nstream\n" + image + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]))
    with pytest.raises(ReadError) as err:
        read_blocks(scan)
    assert "扫描件" in err.value.reason and "Word" in err.value.reason and "Excel" in err.value.reason


def test_pdf_with_some_scanned_pages_warns_naming_them(tmp_path):
    text = b"BT /F1 12 Tf 20 150 Td (Task list) Tj ET"
    image = bytes(range(64))
    picture = b"q 200 0 0 200 0 0 cm /Im0 Do Q"
    mixed = tmp_path / "mixed.pdf"
    mixed.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
        b"/Resources << /XObject << /Im0 7 0 R >> >> /Contents 8 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 64 >>\nstream\n" + image + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(picture) + picture + b"\nendstream",
    ]))
    doc = read_blocks(mixed)
    assert doc.blocks == [Paragraph("Task list", "page 1")]
    assert len(doc.warnings) == 1 and "第 2 页没有文字层" in doc.warnings[0]


def test_broken_and_fake_pdfs(tmp_path):
    (tmp_path / "fake.pdf").write_text("这不是PDF", encoding="utf-8")
    with pytest.raises(ReadError, match="不是 PDF"):
        read_blocks(tmp_path / "fake.pdf")
    (tmp_path / "cut.pdf").write_bytes((FIXTURES / "narrow.pdf").read_bytes()[:600])
    with pytest.raises(ReadError):
        read_blocks(tmp_path / "cut.pdf")


def test_pdf_page_cap(monkeypatch):
    import index.readers.pdf as pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 0)
    with pytest.raises(ReadError, match="上限"):
        read_blocks(FIXTURES / "narrow.pdf")


def test_wrap_rule_on_lines():
    """Geometry and text together: full line goes on, short line ends, suffix ends a full line,
    a conjunction at either side joins, digits are moved down whole."""
    from index.readers.pdflines import Line, join_wrapped

    def line(text: str, top: float, x1: float | None = None) -> Line:
        return Line(text, 10.0, x1 if x1 is not None else 10.0 + 10 * len(text), top, top + 10, 10.0,
                    [10.0 * (0.5 if ch.isascii() else 1) for ch in text])

    # a 5-character box: left 5, right 65 (padding 5 → lines may reach 60)
    box = (5.0, 65.0)
    assert join_wrapped([line("市人力资源", 0), line("和社会保障", 12), line("局", 24), line("市财政局", 36)],
                        *box)[0] == ["市人力资源和社会保障局", "市财政局"]
    assert join_wrapped([line("发展改革委", 0), line("粮食和储备", 12), line("局", 24)], *box)[0] == \
        ["发展改革委", "粮食和储备局"]
    assert join_wrapped([line("各有关部门", 0), line("和单位", 12)], *box)[0] == ["各有关部门和单位"]
    assert join_wrapped([line("商务部", 0), line("海关总署", 12)], *box)[0] == ["商务部", "海关总署"]
    # place words are no unit ends; a suffix that starts a longer word goes on
    assert join_wrapped([line("住房城乡建", 0), line("设部", 12)], *box)[0] == ["住房城乡建设部"]
    assert join_wrapped([line("农业农村部", 0), line("县政府有关", 12), line("部门", 24)], *box)[0] == \
        ["农业农村部", "县政府有关部门"]
    assert join_wrapped([line("空管委办", 0, 50.0), line("公室", 12)], 5.0, 55.0)[0] == ["空管委办公室"]
    assert join_wrapped([line("供销合作总", 0), line("社", 12), line("财政部", 24)], *box)[0] == \
        ["供销合作总社", "财政部"]
    # "从" stops short because "2019" moves down whole: still one sentence
    assert join_wrapped([line("见习。从", 0, 50.0), line("2019年起", 12, 55.0)], *box)[0] == ["见习。从2019年起"]


# --- HTML ----------------------------------------------------------------------------------

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>分工</title><style>td { color: red }</style><script>var x = "不要读";</script></head>
<body><nav>首页 &gt; 通知公告</nav>
<h2>关于印发重点任务分工的通知</h2>
<p>各区人民政府——市各委办局：</p>
<div>现将分工表印发给你们<br>请认真贯彻落实。</div>
<table><tr><td>
 <table border="1"><caption>重点任务分工表</caption>
  <tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>责任单位</th></tr>
  <tr><td colspan="4"><b>一、优化营商环境</b></td></tr>
  <tr><td>1</td><td>推进一网通办</td><td rowspan="2">市政务服务局</td><td>市发展改革委<br>市司法局</td></tr>
  <tr><td>2</td><td>压减开办时间</td><td><p>市市场监管局</p><p>市税务局</p></td></tr>
  <tr><td>3</td><td colspan="2">建设创新平台</td><td>市科技局</td></tr>
 </table>
</td></tr></table>
<ul><li>附件：分工表</li></ul>
<pre>1 | 完善考核办法 |
市委组织部 |</pre>
</body></html>"""


def test_html_gb2312_page_with_gbk_characters_layout_table_and_spans(tmp_path):
    path = tmp_path / "notice.htm"
    path.write_bytes(PAGE.encode("gb18030"))  # —— is not in gb2312: the page lies
    doc = read_blocks(path)
    paras = [(p.text, p.level) for p in doc.paragraphs()]
    assert paras == [("关于印发重点任务分工的通知", 2), ("各区人民政府——市各委办局：", None),
                     ("现将分工表印发给你们", None), ("请认真贯彻落实。", None), ("重点任务分工表", None),
                     ("附件：分工表", None), ("1 | 完善考核办法 |", None), ("市委组织部 |", None)]
    assert not any("不要读" in p or "首页" in p for p, _ in paras)
    (table,) = doc.tables()  # the layout table around it is not a data table
    rows = table.rows
    assert rows[1].spanning and cells(rows[1]) == [["一、优化营商环境"]]
    assert cells(rows[2]) == [["1"], ["推进一网通办"], ["市政务服务局"], ["市发展改革委", "市司法局"]]
    assert cells(rows[3]) == [["2"], ["压减开办时间"], ["市政务服务局"], ["市市场监管局", "市税务局"]]
    assert cells(rows[4]) == [["3"], ["建设创新平台"], ["市科技局"]]
    assert rows[4].where == "table 1 row 5"


def test_html_utf8_with_bom_and_undeclared_gbk(tmp_path):
    from index.readers.html import decode

    assert decode("\ufeff<p>牵头单位</p>".encode("utf-8")) == "<p>牵头单位</p>"
    assert decode("<p>牵头单位——市民政局</p>".encode("gb18030")) == "<p>牵头单位——市民政局</p>"
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(ReadError, match="没有正文"):
        read_blocks(empty)


@needs_formats
def test_html_wild_table_reads_as_the_word_table(word_rows):
    doc = read_blocks(FORMATS / "wild_table.html")
    rows = doc.tables()[0].rows
    assert [cells(r) for r in rows] == [cells(r) for r in word_rows]
    assert [r.spanning for r in rows] == [r.spanning for r in word_rows]
    assert any("16—24岁" in "".join(r.texts()) for r in rows)  # — (U+2014) is GBK, not gb2312


def test_readers_import_no_format_library_until_used():
    """`ask` imports index.readers; python-docx, openpyxl, pdfplumber and bs4 stay unloaded."""
    import subprocess
    import sys

    code = ("import sys, index.readers, index.readers.common; "
            "print(sorted(m for m in ('docx', 'openpyxl', 'pdfplumber', 'bs4', 'xlrd', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_pdf_table_with_header_repeated_on_every_page():
    """Word repeats a marked header row on each page; the reading has it once, rows in order.
    The running head (某市人民政府办公室) and foot (第 N 页) between the pages are dropped, so
    the table goes on across them."""
    doc = read_blocks(FIXTURES / "long.pdf")
    assert [type(b) for b in doc.blocks] == [Table]
    (table,) = doc.tables()
    rows = table.rows
    assert [r.texts()[0] for r in rows] == ["序号"] + [str(n) for n in range(1, 61)]
    assert all(cells(r)[2] == ["市发展改革委", f"第{n}责任局"] for n, r in enumerate(rows[1:], 1))
    assert rows[-1].where.startswith("page 3 ")


def test_hostile_pages_are_bounded(tmp_path):
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 5000 + "深" + "</div>" * 5000 + "</body></html>", encoding="utf-8")
    with pytest.raises(ReadError, match="嵌套过深"):
        read_blocks(deep)
    wide = tmp_path / "wide.html"
    wide.write_text("<table><tr><td colspan=99999 rowspan=99999>x</td><td>y</td></tr><tr><td>a</td></tr></table>",
                    encoding="utf-8")
    rows = read_blocks(wide).tables()[0].rows  # the spans are capped, not expanded to 10⁵ slots
    assert [cells(r) for r in rows] == [[["x"], ["y"]], [["x"], ["a"]]]


@needs_formats
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_printed_with_narrow_columns_still_reads_the_units(tmp_path, word_rows):
    """The wild Word table printed again with every column four characters wide (task texts cut
    short to keep it quick): nearly every unit now wraps. Unit cells must still come back as in Word; the one allowed difference is
    中央军委 / 政治工作部, which is two units as well as one."""
    import docx
    from docx.oxml.ns import qn

    from index.readers.office import convert

    d = docx.Document(FORMATS / "wild_table.docx")
    grid = d.tables[0]._tbl
    for col in grid.tblGrid.findall(qn("w:gridCol")):
        col.set(qn("w:w"), "1300")
    for tc in grid.iter(qn("w:tc")):
        span = tc.tcPr.find(qn("w:gridSpan"))
        tc.tcPr.find(qn("w:tcW")).set(qn("w:w"), str(1300 * (int(span.get(qn("w:val"))) if span is not None else 1)))
    for tr in grid.findall(qn("w:tr")):  # short task texts: fewer pages, the same unit cells
        cells_ = tr.findall(qn("w:tc"))
        if len(cells_) > 1:
            for i, t in enumerate(cells_[1].iter(qn("w:t"))):
                t.text = (t.text or "")[:6] if i == 0 else ""
    d.save(tmp_path / "narrow.docx")
    pdf = convert(shutil.which("soffice"), tmp_path / "narrow.docx", "pdf", tmp_path)
    rows = read_blocks(pdf).tables()[0].rows
    assert len(rows) == len(word_rows)
    differ = [(got.where, c) for got, want in zip(rows, word_rows) for c, (g, w) in enumerate(zip(got.cells, want.cells))
              if c > 1 and [x.replace(" ", "") for x in g] != [x.replace(" ", "") for x in w]]
    assert len(differ) <= 1, differ
