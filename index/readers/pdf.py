"""PDF with a text layer → blocks: ruled tables as Table blocks, the other text as paragraphs.

pdfplumber finds the ruled tables of each page; their cells are read from the characters
inside each cell's box so that a unit wrapped over two printed lines is joined again
(index.readers.pdflines explains the rule). A cell covered by a merged one (pdfplumber gives
None) takes the merged cell's lines. A table running over a page break is one table: a
repeated header is dropped, a row split by the break is joined back (its 序号 cell is empty
on the new page, or a cell was cut mid-line), and a vertically merged cell that crosses the
break keeps its text on the new page. A page without ruled tables is searched for a table
drawn by whitespace alone (index.readers.pdfcolumns: columns from the header words, rows from
the 序号 column); its cells join wrapped lines and cross page breaks the same way. A page that
reading fails on is read as text, with a warning. A PDF without a text layer (a scan) is
refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from index.blocks import BlockDocument, Paragraph, Table
from index.readers import ReadError, reader
from index.readers.common import GridCell, grid_rows, read_head
from index.readers.pdfcolumns import Columns, SpacedTable, find_tables
from index.readers.pdfheader import ylines
from index.readers.pdflines import Line, chars_to_lines, is_full, join_wrapped, wraps

MAX_PAGES = 300
_SCAN = "这个 PDF 没有文字层（是扫描件或图片），无法读取其中的文字；请发送原始的 Word 或 Excel 文件"
_PAGE_NUMBER_RE = re.compile(r"^(?:[-—－–\s]*\d{1,4}[-—－–\s]*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|"
                             r"\d+\s*/\s*\d+)$")
_SENTENCE_END_RE = re.compile(r"[。；;！!？?]$")


@dataclass
class _PdfCell(GridCell):
    """A cell with its first and last printed lines, to join a row split by a page break."""

    head: Line | None = None
    tail: Line | None = None
    edge: float = 0.0


@dataclass
class _PageTable:
    grid: list[list[GridCell | None]]
    wheres: list[str]
    page: int
    ncols: int


@dataclass
class _Text:
    lines: list[Line] = field(default_factory=list)


@reader(".pdf")
def read_pdf(path: Path) -> BlockDocument:
    import pdfplumber  # imported here only: `ask` never pays for it

    if b"%PDF" not in read_head(path, 1024):
        raise ReadError(path, "这不是 PDF 文件（文件头不对），文件可能已损坏")
    items: list[tuple[int, object]] = []  # (page, _PageTable or _Text), in reading order
    n_chars = n_cid = 0
    blank: list[int] = []
    heights: dict[int, float] = {}
    state = _PageState()
    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ReadError(path, f"PDF 共 {len(pdf.pages)} 页，超过可读取的上限 {MAX_PAGES} 页；"
                                      "请只发送分工表所在的部分")
            for pno, page in enumerate(pdf.pages, 1):
                chars = page.chars
                if not chars:
                    blank.append(pno)
                n_chars += len(chars)
                n_cid += sum(1 for c in chars if c.get("text", "").startswith("(cid:"))
                items.extend((pno, item) for item in _read_page(page, chars, pno, state))
                heights[pno] = float(page.height or 0)
                page.close()
    except ReadError:
        raise
    except Exception as e:  # pdfminer raises many kinds on a broken or hostile file
        name = type(e).__name__ + " " + str(e)
        if "password" in name.lower() or "encrypt" in name.lower():
            raise ReadError(path, "PDF 设有密码保护，无法读取；请去掉密码后再发送") from None
        raise ReadError(path, f"PDF 文件已损坏，无法读取（{type(e).__name__}）") from None
    if n_chars == 0:
        raise ReadError(path, _SCAN)
    if n_cid > n_chars / 2:
        raise ReadError(path, "PDF 的文字层无法转换为文字（字体缺少编码表）；请发送原始的 Word 或 Excel 文件")
    out = BlockDocument(path=str(path))
    out.warnings.extend(f"{path}: {w}" for w in state.warnings)
    if blank:
        pages = "、".join(map(str, blank[:10])) + ("等" if len(blank) > 10 else "")
        out.warnings.append(f"{path}: 第 {pages} 页没有文字层（扫描的图片？），这些页上的内容读不到")
    _assemble(_drop_running_lines(items, heights), out)
    if not out.blocks:
        raise ReadError(path, _SCAN)
    return out


def _drop_running_lines(items: list[tuple[int, object]], heights: dict[int, float]) -> list[tuple[int, object]]:
    """Drop running heads and feet: a line in the top or bottom tenth of its page whose text
    (digits aside) comes back on at least half of the pages. Left in, they would stand between
    a table and its continuation on the next page."""
    pages = len(heights)
    if pages < 2:
        return items

    def margin(pno: int, ln: Line) -> bool:
        return ln.top < heights[pno] * 0.1 or ln.bottom > heights[pno] * 0.9

    def key(ln: Line) -> str:
        return re.sub(r"\d+", "#", ln.text.replace(" ", ""))

    seen: dict[str, set[int]] = {}
    for pno, item in items:
        if isinstance(item, _Text):
            for ln in item.lines:
                if margin(pno, ln):
                    seen.setdefault(key(ln), set()).add(pno)
    running = {k for k, on in seen.items() if len(on) >= 2 and len(on) * 2 >= pages}
    out = []
    for pno, item in items:
        if isinstance(item, _Text):
            kept = [ln for ln in item.lines if not (margin(pno, ln) and key(ln) in running)]
            if not kept:
                continue
            item = _Text(kept)
        out.append((pno, item))
    return out


@dataclass
class _PageState:
    """What one page hands the next: the columns of a table without rules that ran to its foot."""

    carry: Columns | None = None
    warnings: list[str] = field(default_factory=list)


def _read_page(page, chars: list[dict], pno: int, state: _PageState) -> list[object]:
    """A page's tables (ruled, then drawn by whitespace alone) and text lines, top to bottom."""
    found = []
    for table in page.find_tables():
        grid = _table_grid(table, chars, pno, len(found) + 1)
        if grid is not None:
            found.append((table.bbox, grid))
    boxes = [bbox for bbox, _ in found]

    def outside(ch: dict) -> bool:
        mx, my = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        return not any(x0 <= mx <= x1 and top <= my <= bottom for x0, top, x1, bottom in boxes)

    height = float(page.height or 0)

    def page_number(text: str, top: float, bottom: float) -> bool:
        return bool(_PAGE_NUMBER_RE.match(text)) and (top < height * 0.12 or bottom > height * 0.88)

    rest = [c for c in chars if outside(c)]
    placed: list[tuple[float, object]] = [(bbox[1], grid) for bbox, grid in found]
    if not found:
        rest, spaced = _spaced_tables(rest, pno, state, page_number, height)
        placed += spaced
    else:
        state.carry = None
    lines = [ln for ln in chars_to_lines(rest) if not page_number(ln.text, ln.top, ln.bottom)]
    placed += [(ln.top, ln) for ln in lines]
    placed.sort(key=lambda p: p[0])
    out: list[object] = []
    for _, item in placed:
        if isinstance(item, Line):
            if out and isinstance(out[-1], _Text):
                out[-1].lines.append(item)
            else:
                out.append(_Text([item]))
        else:
            out.append(item)
    return out


def _spaced_tables(chars: list[dict], pno: int, state: _PageState,
                   page_number: Callable[[str, float, float], bool], height: float) -> tuple[list[dict], list[tuple[float, object]]]:
    """Tables drawn by whitespace alone (index.readers.pdfcolumns) as page tables, and the
    characters left for text. A page this reading fails on is read as text, with a warning."""
    try:
        lines = [ln for ln in ylines(chars) if not page_number(ln.text, ln.top, ln.bottom)]
        tables, state.carry = find_tables(lines, state.carry, head=height * 0.08, foot=height * 0.92)
        taken = {id(ch) for t in tables for ln in lines if id(ln) in t.line_ids for ch in ln.chars}
        placed = [(t.top, _spaced_grid(t, pno, n)) for n, t in enumerate(tables, 1)]
    except Exception as e:  # an odd page must not lose the document: its text is still read
        state.carry = None
        state.warnings.append(f"page {pno}: 无框线的表格读取失败（{type(e).__name__}），按文字读取")
        return chars, []
    return [c for c in chars if id(c) not in taken], placed


def _spaced_grid(table: SpacedTable, pno: int, tno: int) -> _PageTable:
    """A table without rules on the grid the ruled ones use: one cell per column, a section
    row one cell over all columns; wrapped lines joined within each column's width."""
    cols = table.columns
    grid: list[list[GridCell | None]] = []
    for ri, row in enumerate(table.rows):
        if row.spanning:
            lines = chars_to_lines(row.cells[0])
            cell = _PdfCell([ln.text for ln in lines], (pno, tno, ri, 0), head=lines[0] if lines else None,
                            tail=lines[-1] if lines else None)
            grid.append([cell] * cols.count)
            continue
        slots: list[GridCell | None] = []
        for c, chars in enumerate(row.cells):
            lines = chars_to_lines(chars)
            left = cols.lefts[c] or (lines[0].x0 if lines else 0.0)
            right = max(cols.edges[c], max((ln.x1 for ln in lines), default=0.0))
            texts, edge = join_wrapped(lines, min([left] + [ln.x0 for ln in lines]), right)
            slots.append(_PdfCell(texts, (pno, tno, ri, c), head=lines[0] if lines else None,
                                  tail=lines[-1] if lines else None, edge=edge))
        grid.append(slots)
    wheres = [f"page {pno} table {tno} row {ri + 1}" for ri in range(len(table.rows))]
    return _PageTable(grid, wheres, pno, cols.count)


def _table_grid(table, chars: list[dict], pno: int, tno: int) -> _PageTable | None:
    """The table's cells on a grid; a cell covering several rows or columns fills every slot."""
    rows = table.rows
    xs: list[float] = []
    for x in sorted(c[0] for r in rows for c in r.cells if c):
        if not xs or x - xs[-1] > 2:  # edges a hair apart (84.6 / 84.65) are one column
            xs.append(x)
    if len(xs) < 2 or not rows:
        return None  # a one-column box is a framed paragraph, read as text
    tops = [r.bbox[1] for r in rows]
    grid: list[list[GridCell | None]] = [[None] * len(xs) for _ in rows]
    for ri, row in enumerate(rows):
        for cell in row.cells:
            if cell is None:
                continue
            x0, top, x1, bottom = cell
            c0 = min(range(len(xs)), key=lambda i: abs(xs[i] - x0))
            c1 = max(i for i, x in enumerate(xs) if x < x1 - 1) if any(x < x1 - 1 for x in xs) else c0
            r1 = max(i for i, t in enumerate(tops) if t < bottom - 1) if any(t < bottom - 1 for t in tops) else ri
            inside = [ch for ch in chars
                      if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom]
            lines = chars_to_lines(inside)
            texts, edge = join_wrapped(lines, x0, x1)
            gc = _PdfCell(texts, (pno, tno, ri, c0), head=lines[0] if lines else None,
                          tail=lines[-1] if lines else None, edge=edge)
            for rr in range(ri, max(r1, ri) + 1):
                for cc in range(c0, max(c1, c0) + 1):
                    if grid[rr][cc] is None:
                        grid[rr][cc] = gc
    wheres = [f"page {pno} table {tno} row {ri + 1}" for ri in range(len(rows))]
    return _PageTable(grid, wheres, pno, len(xs))


def _assemble(items: list[tuple[int, object]], out: BlockDocument) -> None:
    """Blocks from the pages' items: tables continued over page breaks merged, text paragraphs."""
    current: _PageTable | None = None
    last_page_item: object = None
    text_lines: list[tuple[int, Line]] = []

    def flush_table() -> None:
        nonlocal current
        if current is not None:
            rows = grid_rows(current.grid, "", current.wheres)
            if rows:
                out.blocks.append(Table(rows=rows, where=current.wheres[0].rsplit(" row", 1)[0]))
        current = None

    def flush_text() -> None:
        for text, where in _paragraphs(text_lines):
            out.blocks.append(Paragraph(text, where))
        text_lines.clear()

    prev_page = 0
    for pno, item in items:
        first_on_page = pno != prev_page
        prev_page = pno
        if isinstance(item, _PageTable):
            flush_text()
            if current is not None and first_on_page and item.page == current.page + 1 \
                    and isinstance(last_page_item, _PageTable) and item.ncols == current.ncols:
                _continue_table(current, item)
                current.page = item.page
            else:
                flush_table()
                current = item
        else:
            flush_table()
            text_lines.extend((pno, ln) for ln in item.lines)
        last_page_item = item
    flush_table()
    flush_text()


def _paragraphs(lines: list[tuple[int, Line]]) -> list[tuple[str, str]]:
    """Printed lines → paragraphs: a line that fills the text width goes on in the next line,
    unless the next one is indented (a new paragraph) or far below (a gap)."""
    if not lines:
        return []
    left = min(ln.x0 for _, ln in lines)
    right = max(ln.x1 for _, ln in lines)
    out: list[tuple[str, str]] = []
    glue = False
    for i, (pno, ln) in enumerate(lines):
        if glue and out:
            out[-1] = (out[-1][0] + ln.text, out[-1][1])
        else:
            out.append((ln.text, f"page {pno}"))
        nxt = lines[i + 1][1] if i + 1 < len(lines) else None
        same_page = i + 1 < len(lines) and lines[i + 1][0] == pno
        glue = nxt is not None and is_full(ln, right, nxt) and nxt.x0 <= left + ln.size / 2 \
            and (not same_page or nxt.top - ln.bottom < ln.size * 1.5)
    return out


def _continue_table(prev: _PageTable, new: _PageTable) -> None:
    """Append a table's next page to it (see the module docstring)."""
    grid = new.grid
    header = next((r for r in prev.grid if len({id(s) for s in r if s is not None}) > 1), None)
    if grid and header is not None and _texts(grid[0]) == _texts(header):
        grid, new.wheres = grid[1:], new.wheres[1:]  # the header printed again on the new page
    if not grid or not prev.grid:
        return
    last, first = prev.grid[-1], grid[0]
    numbered = sum(1 for r in prev.grid if r[0] is not None and r[0].lines) >= 0.6 * len(prev.grid)
    split_row = not (first[0] is not None and first[0].lines) and (numbered or any(
        _cut(s, f) for s, f in zip(last, first)))
    split_row = split_row and len({id(s) for s in first if s is not None}) > 1
    mapped: dict[int, GridCell] = {}
    for c in range(min(len(last), len(first))):
        pc, nc = last[c], first[c]
        if nc is None or id(nc) in mapped:
            continue
        continues_merge = pc is not None and not nc.lines and (
            (len(prev.grid) > 1 and prev.grid[-2][c] is pc) or (len(grid) > 1 and grid[1][c] is nc))
        if split_row:
            if pc is None:
                last[c] = pc = nc
            elif nc.lines and pc is not nc:
                if pc.lines and _cut(pc, nc):
                    pc.lines[-1] += nc.lines[0]
                    pc.lines.extend(nc.lines[1:])
                else:
                    pc.lines.extend(nc.lines)
                if isinstance(pc, _PdfCell) and isinstance(nc, _PdfCell):
                    pc.tail, pc.edge = nc.tail, nc.edge
            mapped[id(nc)] = pc
        elif continues_merge:
            mapped[id(nc)] = pc
    if split_row:
        grid, new.wheres = grid[1:], new.wheres[1:]
    for row in grid:
        for c, slot in enumerate(row):
            if slot is not None and id(slot) in mapped:
                row[c] = mapped[id(slot)]
    prev.grid.extend(grid)
    prev.wheres.extend(new.wheres)


def _cut(prev: GridCell | None, new: GridCell | None) -> bool:
    """True when the page break fell inside a line: the cell's last printed line on the old
    page is wrapped into the first one on the new page (index.readers.pdflines.wraps)."""
    if not isinstance(prev, _PdfCell) or not isinstance(new, _PdfCell) or prev.tail is None or new.head is None:
        return False
    if _SENTENCE_END_RE.search(prev.tail.text):
        return False
    return wraps(prev.tail, prev.edge, new.head, "。" in "".join(prev.lines) or "，" in "".join(prev.lines))


def _texts(row: list[GridCell | None]) -> list[str]:
    return ["".join(s.lines) if s is not None else "" for s in row]
