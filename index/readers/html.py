"""Web pages (.html/.htm) → blocks: text as paragraphs, data tables with rowspan/colspan expanded.

Government pages declare gb2312 and use characters only GBK has (——, 镕): gb2312 and gbk are
read as gb18030, their superset. A table holding another table is page layout, not data: its
cells are read as ordinary page text and only the innermost tables become Table blocks.
Inside a cell, <br>, <p> and <div> separate lines (one unit per line).
"""
from __future__ import annotations

import re
from pathlib import Path

from index.blocks import BlockDocument, Paragraph, Table
from index.readers import ReadError, reader
from index.readers.common import GridCell, fold, grid_rows, split_lines

MAX_BYTES = 20 * 1024 * 1024
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w:.]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([-\w.]+)""", re.I)
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
             "euc-cn": "gb18030", "cp936": "gb18030", "big5": "big5hkscs", "iso-8859-1": "cp1252"}
_SKIP = {"script", "style", "nav", "noscript", "template", "head", "select", "button", "iframe", "svg"}
# Tags after which a line ends: block-level elements and <br>.
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr",
          "table", "section", "article", "header", "footer", "main", "aside", "blockquote", "pre",
          "center", "form", "fieldset", "hr", "address", "figure", "figcaption", "caption", "body"}
_HEADING_RE = re.compile(r"^h([1-6])$")
MAX_SPAN = 200  # a hostile colspan="100000" must not build a giant grid


@reader(".html", ".htm")
def read_html(path: Path) -> BlockDocument:
    from bs4 import BeautifulSoup  # imported here only: `ask` never pays for it

    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(path, f"无法打开文件（{e.strerror or e}）") from None
    if len(data) > MAX_BYTES:
        raise ReadError(path, f"网页文件过大（{len(data) // (1024 * 1024)} MB）")
    text = decode(data)
    if not text.strip():
        raise ReadError(path, "网页文件是空的")
    out = BlockDocument(path=str(path))
    try:
        soup = BeautifulSoup(text, "lxml")
        _Walker(out).walk(soup.body or soup)
    except RecursionError:
        raise ReadError(path, "网页的标签嵌套过深，无法读取") from None
    if not out.blocks:
        raise ReadError(path, "网页里没有正文文字")
    return out


def decode(data: bytes) -> str:
    """The page's text: BOM, then the declared charset (GB family read as gb18030), then guesses."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    head = data[:8192]
    m = _CHARSET_RE.search(head) or _XML_ENCODING_RE.search(head)
    candidates = []
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        candidates.append(_SUPERSET.get(declared, declared))
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    # A page that lies about its charset: keep what decodes as gb18030, mark the rest.
    return data.decode("gb18030", errors="replace")


class _Walker:
    """Walks the page in order, collecting inline text into lines and emitting blocks."""

    def __init__(self, out: BlockDocument):
        self.out = out
        self.buffer: list[str] = []
        self.level: int | None = None
        self.n_par = 0
        self.n_table = 0

    def flush(self) -> None:
        lines = split_lines("".join(self.buffer))
        self.buffer = []
        for line in lines:
            self.n_par += 1
            self.out.blocks.append(Paragraph(line, f"paragraph {self.n_par}", self.level))

    def walk(self, el) -> None:
        for child in el.children:
            name = getattr(child, "name", None)
            if name is None:
                if type(child).__name__ in ("NavigableString",):
                    self.buffer.append(_inline(str(child)))
                continue
            if name in _SKIP:
                continue
            if name == "br":
                self.buffer.append("\n")
                continue
            if name == "pre":  # preformatted text keeps its line breaks (a table typed as text)
                self.flush()
                self.buffer.append(child.get_text())
                self.flush()
                continue
            if name == "table" and not child.find("table"):
                self.flush()
                caption = child.find("caption")
                if caption is not None:  # the table's title, printed above it
                    self.buffer.append("\n".join(cell_lines(caption)))
                    self.flush()
                self.n_table += 1
                table = _table(child, f"table {self.n_table}")
                if table.rows:
                    self.out.blocks.append(table)
                continue
            heading = _HEADING_RE.match(name)
            if name in _BLOCK or heading or name in ("td", "th"):
                self.flush()
                if heading:
                    self.level = int(heading.group(1))
                self.walk(child)
                self.flush()
                self.level = None
            else:
                self.walk(child)


def _inline(text: str) -> str:
    # HTML source line breaks are spaces; Chinese text wrapped in the source has none to keep.
    return re.sub(r"\s*\n\s*", "", text)


def cell_lines(cell) -> list[str]:
    """A cell's lines: <br>, <p>, <div>, <li> separate lines; whitespace in the source does not."""
    parts: list[str] = []

    def walk(el) -> None:
        for child in el.children:
            name = getattr(child, "name", None)
            if name is None:
                if type(child).__name__ == "NavigableString":
                    parts.append(_inline(str(child)))
            elif name in _SKIP:
                continue
            elif name == "br":
                parts.append("\n")
            elif name in _BLOCK or _HEADING_RE.match(name):
                parts.append("\n")
                walk(child)
                parts.append("\n")
            else:
                walk(child)

    walk(cell)
    return split_lines(fold("".join(parts)))


def _span(cell, attr: str) -> int:
    m = re.match(r"\s*(\d+)", str(cell.get(attr) or "1"))
    return max(1, min(int(m.group(1)), MAX_SPAN)) if m else 1


def _table(table, where: str) -> Table:
    """A data table as rows: rowspan and colspan expanded into a grid, then collapsed as in Word."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    grid: list[list[GridCell | None]] = []
    pending: dict[tuple[int, int], GridCell] = {}  # (row, col) slots filled by rowspans from above
    for r, tr in enumerate(rows):
        slots: list[GridCell | None] = []
        col = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, col) in pending:
                slots.append(pending.pop((r, col)))
                col += 1
            gc = GridCell(cell_lines(cell), (r, col))
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for c in range(col, col + colspan):
                slots.append(gc)
                for rr in range(r + 1, min(r + rowspan, len(rows))):
                    pending[(rr, c)] = gc
            col += colspan
        while (r, col) in pending:
            slots.append(pending.pop((r, col)))
            col += 1
        grid.append(slots)
    width = max((len(s) for s in grid), default=0)
    for slots in grid:
        slots.extend([None] * (width - len(slots)))
    return Table(rows=grid_rows(grid, f"{where} row {{}}"), where=where)
