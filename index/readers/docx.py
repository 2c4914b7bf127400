"""Word .docx → blocks: body paragraphs and tables in document order.

The body's XML children are walked directly (python-docx only opens the package), so a table
sits between the paragraphs it sits between in Word, content controls (w:sdt) are entered,
and merged cells are read from the grid itself: gridSpan (horizontal, kept once) and vMerge
(vertical, the top cell's lines repeated below). Automatic list numbering is rendered into the
text (index.readers.wordnum), as Word shows it.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from index.blocks import BlockDocument, Paragraph, Table, TableRow
from index.readers import ReadError, reader
from index.readers.common import GridCell, grid_rows, split_lines, zip_guard
from index.readers.wordnum import BULLET, W, Numbering

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_HEADING_NAME_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_NUMBER_HEADER_RE = re.compile(r"^(序号|编号|序|号)$")


@reader(".docx")
def read_docx(path: Path) -> BlockDocument:
    import docx  # python-docx: imported here only, `ask` never pays for it
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    zip_guard(path, ".docx")
    try:
        document = docx.Document(str(path))
        body = document.element.body
        styles = _Styles(document.styles.element)
        numbering = Numbering(_numbering_element(document))
    except PackageNotFoundError:
        raise ReadError(path, "这不是 Word 文档（压缩包里没有 Word 正文）") from None
    except ValueError as e:
        raise ReadError(path, f"这不是可读取的 Word 文档（{e}）") from None
    except (KeyError, XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError) as e:
        raise ReadError(path, f"Word 文件已损坏，无法读取（{type(e).__name__}）") from None
    out = BlockDocument(path=str(path))
    _Walker(styles, numbering, out).walk(body)
    if not out.blocks:
        raise ReadError(path, "Word 文档里没有文字")
    return out


def _numbering_element(document):
    try:
        part = document.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering")
    except KeyError:
        return None
    return part.element


class _Styles:
    """Paragraph styles: heading level and list numbering, following basedOn chains."""

    def __init__(self, styles_el):
        self.by_id = {}
        for st in styles_el.findall(W + "style"):
            ppr = st.find(W + "pPr")
            num = ppr.find(W + "numPr") if ppr is not None else None
            name_el = st.find(W + "name")
            self.by_id[st.get(W + "styleId")] = {
                "name": name_el.get(W + "val", "") if name_el is not None else "",
                "based": (st.find(W + "basedOn").get(W + "val") if st.find(W + "basedOn") is not None
                          else None),
                "outline": _child_val(ppr, "outlineLvl"),
                "num": (_child_val(num, "numId"), _child_val(num, "ilvl")) if num is not None else None,
            }

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            yield self.by_id[style_id]
            style_id = self.by_id[style_id]["based"]

    def level(self, style_id: str | None) -> int | None:
        for st in self.chain(style_id):
            m = _HEADING_NAME_RE.match(st["name"].strip())
            if m:
                return int(m.group(1))
            if st["name"].strip().lower() in ("title", "标题"):
                return 0
            if st["outline"] is not None and st["outline"].isdigit() and int(st["outline"]) < 9:
                return int(st["outline"]) + 1
        return None

    def num(self, style_id: str | None) -> tuple[str | None, str | None] | None:
        for st in self.chain(style_id):
            if st["num"]:
                return st["num"]
        return None


def _child_val(el, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(W + tag)
    return child.get(W + "val") if child is not None else None


class _Walker:
    def __init__(self, styles: _Styles, numbering: Numbering, out: BlockDocument):
        self.styles, self.numbering, self.out = styles, numbering, out
        self.n_par = 0
        self.n_table = 0

    def walk(self, container) -> None:
        for child in container:
            tag = child.tag
            if tag == W + "p":
                self.n_par += 1
                text, level = self.paragraph(child)
                for line in split_lines(text):
                    self.out.blocks.append(Paragraph(line, f"paragraph {self.n_par}", level))
            elif tag == W + "tbl":
                self.n_table += 1
                table = self.table(child, f"table {self.n_table}")
                if table.rows:
                    self.out.blocks.append(table)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                inner = child.find(W + "sdtContent") if tag == W + "sdt" else child
                self.walk(inner if inner is not None else [])

    def paragraph(self, p) -> tuple[str, int | None]:
        """The paragraph's text as Word prints it (list label included) and its heading level."""
        ppr = p.find(W + "pPr")
        style = _child_val(ppr, "pStyle")
        level = self.styles.level(style)
        outline = _child_val(ppr, "outlineLvl")
        if outline is not None and outline.isdigit() and int(outline) < 9:
            level = int(outline) + 1
        num = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = (_child_val(num, "numId"), _child_val(num, "ilvl")) if num is not None else (None, None)
        if num_id is None:
            inherited = self.styles.num(style)
            if inherited:
                num_id, ilvl = inherited[0], ilvl or inherited[1]
        label = self.numbering.label(num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0) if num_id else ""
        return label + _run_text(p), level

    def cell_lines(self, tc) -> list[str]:
        """A cell's paragraphs are its lines (one unit per line); nested tables add their lines."""
        lines: list[str] = []
        for child in tc:
            if child.tag == W + "p":
                text = self.paragraph(child)[0]
                lines.extend(split_lines(text[len(BULLET):] if text.startswith(BULLET) else text))  # a unit, no item
            elif child.tag == W + "tbl":
                for tr in child.iter(W + "tc"):
                    for p in tr.findall(W + "p"):
                        lines.extend(split_lines(self.paragraph(p)[0]))
            elif child.tag == W + "sdt":
                inner = child.find(W + "sdtContent")
                lines.extend(self.cell_lines(inner if inner is not None else []))
        return lines

    def table(self, tbl, where: str) -> Table:
        grid: list[list[GridCell | None]] = []
        for r, tr in enumerate(tbl.findall(W + "tr")):
            trpr = tr.find(W + "trPr")
            before = _child_val(trpr, "gridBefore")
            slots: list[GridCell | None] = [None] * (int(before) if before and before.isdigit() else 0)
            for tc in _row_cells(tr):
                tcpr = tc.find(W + "tcPr")
                span = _child_val(tcpr, "gridSpan")
                span = int(span) if span and span.isdigit() and int(span) > 0 else 1
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                col = len(slots)
                above = grid[r - 1][col] if r and col < len(grid[r - 1]) else None
                if vmerge is not None and vmerge.get(W + "val", "continue") == "continue" and above:
                    cell = above  # a vertical merge: the top cell's lines, same origin
                else:
                    cell = GridCell(self.cell_lines(tc), (r, col))
                slots.extend([cell] * span)
            grid.append(slots)
        width = max((len(s) for s in grid), default=0)
        for slots in grid:
            slots.extend([None] * (width - len(slots)))
        rows = grid_rows(grid, f"{where} row {{}}")
        _number_empty_column(rows)
        return Table(rows=rows, where=where)


def _row_cells(tr):
    """A row's w:tc, also those wrapped in content controls or custom XML."""
    for child in tr:
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            yield from (tc for tc in (inner if inner is not None else []) if tc.tag == W + "tc")


def _run_text(p) -> str:
    """Text of a paragraph's runs: w:t, tabs, line breaks; deleted text and fallbacks skipped."""
    parts: list[str] = []
    stack = [iter(p)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if tag in (W + "pPr", W + "rPr", W + "del", _MC_FALLBACK, W + "instrText"):
            continue
        if tag == W + "r" and _hidden(el):
            continue  # hidden text (w:vanish): Word does not print it
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            if el.get(W + "type") in (None, "textWrapping"):
                parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            stack.append(iter(el))
    return "".join(parts)


def _hidden(run) -> bool:
    rpr = run.find(W + "rPr")
    vanish = rpr.find(W + "vanish") if rpr is not None else None
    return vanish is not None and vanish.get(W + "val", "true") not in ("0", "false", "off")


def _number_empty_column(rows: list[TableRow]) -> None:
    """Number an all-empty 序号 column 1, 2, 3…, restarting after each section row.

    List numbering in the cells is already rendered (wordnum); this is for tables whose
    numbers Word drew from nothing the file keeps (a field, a style the reader cannot see):
    the header still says 序号 and every data row's first cell is empty. Such numbering in
    the genre restarts under each section heading, so a section row restarts it.
    """
    header = next((i for i, r in enumerate(rows) if not r.spanning), None)
    if header is None or not rows[header].cells:
        return
    if not _NUMBER_HEADER_RE.match("".join(rows[header].cells[0]).replace(" ", "")):
        return
    data = [r for r in rows[header + 1:] if not r.spanning]
    if not data or any(r.cells and r.cells[0] for r in data):
        return
    n = 0
    for r in rows[header + 1:]:
        if r.spanning:
            n = 0
        elif r.cells:
            n += 1
            r.cells[0] = [str(n)]
