"""Tables printed without ruled lines: columns found from where the words stand.

Many government PDFs print the 分工表 with no lines at all, only whitespace between columns.
pdfplumber finds no table there; read as text lines, the cells of a row would run together.
The rule, for any such page:

1. Header: a line of the genre's header words standing apart (index.readers.pdfheader).
2. Column boundaries: between two header texts, the strip the fewest text pieces below cross
   (the gutter), at its right end, just before the next column's text: cells are filled
   from the left, so a column empty on this page must not be cut in its middle.
3. Cells: a run of text with no gap in it belongs to the column where it starts.
4. Rows: a line whose 序号 column holds a number starts a row (with no number column, a
   first-column line after a first-column paragraph ended); every printed line below it, in
   every column, belongs to that row until the next one starts. When the first row's other
   cells begin above its number, the cells are centred vertically: each row reaches as far
   below its number's middle as above it. A heading (一、 （一） 第一部分) alone in the first
   column or across the gutters is a section row; other text there, a line set apart by a
   gap, or a gap of several lines ends the table.
5. A table that runs to the foot of its page goes on at the top of the next page with the
   same columns, below a running head, whether or not the header is printed again.

The characters of each cell are returned; index.readers.pdf joins their wrapped lines and
assembles rows over page breaks as it does for ruled tables.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from index.layouts.base import column_kinds
from index.readers.pdfheader import NUMBER_RE, Char, YLine, find_header, pieces

_SECTION_RE = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十百]+[)）、.．]|第[一二三四五六七八九十百0-9]+[部分章节篇项]|"
                         r"[0-9]{1,2}[、.．](?![0-9]))")


@dataclass
class Columns:
    """Column boundaries (len = columns - 1) and each column's wrap edge; kept for the next page."""

    bounds: list[float]
    kinds: list[str]
    edges: list[float]
    lefts: list[float]
    centred: bool = False  # cells centred vertically: the 序号 stands in the middle of its row

    def index(self, x: float) -> int:
        return sum(1 for b in self.bounds if x >= b)

    @property
    def count(self) -> int:
        return len(self.bounds) + 1


@dataclass
class GridRow:
    """One row: per column its characters, or (spanning) the characters of a section row."""

    cells: list[list[Char]]
    top: float
    spanning: bool = False


@dataclass
class SpacedTable:
    top: float
    columns: Columns
    rows: list[GridRow] = field(default_factory=list)
    line_ids: set[int] = field(default_factory=set)  # ids of the YLines the table took


def find_tables(lines: list[YLine], carry: Columns | None, head: float = 0.0,
                foot: float = float("inf")) -> tuple[list[SpacedTable], Columns | None]:
    """The page's tables without rules, and the columns to carry to the next page (when the
    last table runs to the page's last line, or only the foot margin is below it). Lines above
    `head` are the page's top margin (a running head), never the first line of a table going
    on from the last page."""
    tables: list[SpacedTable] = []
    i = 0
    if carry is not None:
        start = _continuation_start(lines, carry, head)
        if start is not None:
            table = _read_rows(lines, start, replace(carry, bounds=list(carry.bounds), kinds=list(carry.kinds),
                                                     edges=list(carry.edges), lefts=list(carry.lefts)), None)
            if table.rows:
                tables.append(table)
                i = _end_index(lines, table)
    while i < len(lines):
        found = find_header(lines, i)
        if found is None:
            i += 1
            continue
        band, heads = found
        columns = _columns(lines[band[-1] + 1:], heads)
        if columns is None:
            i += 1
            continue
        header_cells = _header_cells(lines, band, columns)
        # A header printed again at the top of the page (a running head at most above it):
        # the table from the last page goes on.
        goes_on = carry is not None and not tables and band[0] <= 2
        table = _read_rows(lines, band[-1] + 1, columns, GridRow(header_cells, lines[band[0]].top),
                           carry.centred if goes_on and carry is not None else None)
        table.line_ids.update(id(lines[j]) for j in band)
        table.top = lines[band[0]].top
        tables.append(table)
        i = max(_end_index(lines, table), band[-1] + 1)
    out_carry = None
    if tables and lines:
        end = _end_index(lines, tables[-1])
        if all(ln.top > foot for ln in lines[end:]):
            out_carry = tables[-1].columns
    return tables, out_carry


def _end_index(lines: list[YLine], table: SpacedTable) -> int:
    last = max((j for j, ln in enumerate(lines) if id(ln) in table.line_ids), default=-1)
    return last + 1


def _columns(below: list[YLine], header: list[tuple[float, float, str]]) -> Columns | None:
    """Boundaries in the gutters between the header's columns (see the module's rule 2)."""
    body = below[:80]  # a page holds fewer lines; a hostile one must not cost more
    bounds = []
    for (_, a1, _), (b0, _, _) in zip(header, header[1:]):
        # Each header text lies inside its own cell: the boundary is between the two texts.
        if b0 - a1 < 1:
            return None
        bounds.append(_gutter(body, a1, b0))
    kinds = column_kinds([h[2] for h in header])
    return Columns(bounds, kinds, [0.0] * len(header), [0.0] * len(header))


def _gutter(lines: list[YLine], lo: float, hi: float) -> float:
    """Where in [lo, hi] the fewest pieces of text cross: at the right end of the widest such
    strip, just before the next column's text. (Cells are filled from the left, so a column
    that is empty on this page must not get its boundary in its middle: on the next page its
    text would run across it.)"""
    step = max(0.5, (hi - lo) / 2000)  # a hostile page's width must not cost a million slots
    n = max(1, int((hi - lo) / step))
    cover = [0] * n
    for ln in lines:
        for p in pieces(ln):
            a = max(0, int((p.x0 - lo) / step))
            b = min(n, int((p.x1 - lo) / step) + 1)
            for k in range(a, b):
                cover[k] += 1
    least = min(cover)
    best, run_start, best_len = 0, None, -1
    for k in range(n + 1):
        if k < n and cover[k] == least:
            if run_start is None:
                run_start = k
        elif run_start is not None:
            if k - run_start > best_len:
                best, best_len = run_start, k - run_start
            run_start = None
    end = lo + (best + best_len) * step
    return end - min(best_len * step / 2, 2.0)


def _header_cells(lines: list[YLine], band: list[int], columns: Columns) -> list[list[Char]]:
    cells: list[list[Char]] = [[] for _ in range(columns.count)]
    for j in band:
        for c, chars in enumerate(split(lines[j], columns)):
            cells[c].extend(chars)
    return cells


def split(line: YLine, columns: Columns) -> list[list[Char]]:
    """The line's characters by column. A run of text with no gap in it is one cell's, put
    where it starts: text too long for its cell (a spreadsheet prints it on over the empty
    cell beside) stays whole."""
    parts: list[list[Char]] = [[] for _ in range(columns.count)]
    for p in pieces(line):
        parts[columns.index(p.x0 + min(p.x1 - p.x0, line.size) / 2)].extend(p.chars)
    return parts


def _spans(line: YLine, columns: Columns) -> bool:
    """The line starts in the first column and its text runs on across the first gutter."""
    first = pieces(line)[0]
    return bool(columns.bounds) and first.x0 < columns.bounds[0] and first.x1 > columns.bounds[0] + line.size * 0.5


def _read_rows(lines: list[YLine], start: int, columns: Columns, header: GridRow | None,
               centred: bool | None = None) -> SpacedTable:
    """The rows below the header (rule 3 of the module), until the table ends. `centred` is
    known for a table going on from the last page (it may open with a row split by the page
    break, its number left on the last page); else it is told from the first row."""
    table = SpacedTable(lines[start].top if start < len(lines) else 0.0, columns)
    if header is not None:
        table.rows.append(header)
    numbered = columns.kinds[0] == "number"
    pitch = _pitch(lines[start:start + 40])
    first_edge = _first_edge(lines[start:start + 200], columns)
    current: GridRow | None = None
    prev_first: list[Char] | None = None
    prev: YLine | None = None
    widest = 0.0  # the widest step between lines inside the table so far
    body: list[tuple[YLine, list[list[Char]] | None]] = []  # each line's cells (None: a section row)
    for j in range(start, len(lines)):
        ln = lines[j]
        step = ln.top - prev.top if prev is not None else 0.0
        if step > max(pitch * 2.6, widest * 1.5):
            break  # a gap of several lines: the table has ended
        if _spans(ln, columns) or (numbered and _is_section(ln.text) and ln.text == _text(ln, columns, 0)):
            # A line across the gutters, or a heading that fits in the 序号 column alone.
            if not _is_section(ln.text):
                break  # a paragraph after the table
            current = None
            table.rows.append(GridRow([list(ln.chars)], ln.top, spanning=True))
            table.line_ids.add(id(ln))
            body.append((ln, None))
            prev, prev_first = ln, None
            continue
        parts = split(ln, columns)
        first = "".join(c["text"] for c in parts[0]).strip()
        alone = bool(first) and not any(parts[1:])
        apart = step > max(pitch * 1.8, widest * 1.15)
        if numbered:
            if first and not NUMBER_RE.match(first):
                break  # the 序号 column holds numbers only: this is text after the table
            new_row = bool(first)
        else:
            new_row = bool(first) and (prev_first is None or _ended(prev_first, first_edge))
        if apart and (alone or not new_row):
            break  # a line set apart below the table (a signature, a date, a note)
        if new_row or current is None:
            current = GridRow([[] for _ in range(columns.count)], ln.top)
            table.rows.append(current)
        elif prev is not None:
            widest = max(widest, step)
        for c, chars in enumerate(parts):
            current.cells[c].extend(chars)
        if parts[0]:
            prev_first = parts[0]
        table.line_ids.add(id(ln))
        body.append((ln, parts))
        prev = ln
    if centred is not None:
        columns.centred = centred
    elif numbered and header is not None:
        columns.centred = _opens_without_number(body)
    if columns.centred:
        table.rows = ([header] if header is not None else []) + _centred_rows(body, columns)
    _measure(table, 1 if header is not None else 0)
    return table


def _is_section(text: str) -> bool:
    """A section row's text: numbered as a heading (一、 （一） 第一部分), short, no sentence."""
    return bool(_SECTION_RE.match(text)) and len(text) <= 40 and "。" not in text


def _text(line: YLine, columns: Columns, c: int) -> str:
    return "".join(ch["text"] for ch in split(line, columns)[c])


def _opens_without_number(body: list[tuple[YLine, list[list[Char]] | None]]) -> bool:
    """The first row's other cells begin above its number: cells are centred vertically."""
    cells = [parts for _, parts in body if parts is not None]
    return len(cells) > 1 and not cells[0][0] and any(parts[0] for parts in cells[1:])


def _centred_rows(body: list[tuple[YLine, list[list[Char]] | None]], columns: Columns) -> list[GridRow]:
    """Rows of a table whose cells are centred vertically. A row is as far below its number's
    middle as above it: from the row's top and the number's middle comes its bottom, put at
    the nearest gap between printed lines; section rows and the table's ends bound a run."""
    rows: list[GridRow] = []
    run: list[tuple[YLine, list[list[Char]]]] = []

    def flush() -> None:
        if not run:
            return
        mids = [(ln.top + ln.bottom) / 2 for ln, parts in run if parts[0]]
        gaps = [(a.bottom + b.top) / 2 for (a, _), (b, _) in zip(run, run[1:])]
        cuts: list[float] = []
        top = run[0][0].top
        for i, mid in enumerate(mids):
            if i + 1 == len(mids):
                break
            want = 2 * mid - top
            inside = [g for g in gaps if mid < g < mids[i + 1]]
            cut = min(inside, key=lambda g: abs(g - want)) if inside else (mid + mids[i + 1]) / 2
            cuts.append(cut)
            top = cut
        current: GridRow | None = None
        k = -1
        for ln, parts in run:
            mid = (ln.top + ln.bottom) / 2
            n = sum(1 for c in cuts if mid > c)
            if n != k or current is None:
                current, k = GridRow([[] for _ in range(columns.count)], ln.top), n
                rows.append(current)
            for c, chars in enumerate(parts):
                current.cells[c].extend(chars)
        run.clear()

    for ln, parts in body:
        if parts is None:
            flush()
            rows.append(GridRow([list(ln.chars)], ln.top, spanning=True))
        else:
            run.append((ln, parts))
    flush()
    return rows


def _first_edge(lines: list[YLine], columns: Columns) -> float:
    """How far the first column's text reaches: where its lines wrap."""
    xs = [ch["x1"] for ln in lines if not _spans(ln, columns) for ch in split(ln, columns)[0]]
    return max(xs, default=0.0)


def _ended(prev_first: list[Char], edge: float) -> bool:
    """With no number column: the first column's last line stopped short of where that
    column wraps, so what follows in it is a new cell (a new row)."""
    last = prev_first[-1]
    return edge - last["x1"] > max(last["x1"] - last["x0"], last.get("size") or 0, 1) * 1.0


def _pitch(lines: list[YLine]) -> float:
    """The usual distance from one printed line to the next."""
    steps = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top)
    if not steps:
        return max((ln.size for ln in lines), default=10.0) * 1.5
    return max(steps[len(steps) // 2], min(ln.size for ln in lines) * 1.2)


def _measure(table: SpacedTable, skip: int) -> None:
    """Each column's left and wrap edge: where its text starts and how far it reaches (the
    header, often centred, left out)."""
    cols = table.columns
    for c in range(cols.count):
        xs = [ch for row in table.rows[skip:] if not row.spanning for ch in row.cells[c]]
        if xs:
            left = min(ch["x0"] for ch in xs)
            cols.lefts[c] = min(cols.lefts[c], left) if cols.lefts[c] else left
            cols.edges[c] = max(cols.edges[c], max(ch["x1"] for ch in xs))


def _continuation_start(lines: list[YLine], carry: Columns, head: float) -> int | None:
    """Where a table from the last page goes on: the first line that fits its columns (a
    running head spanning the gutters comes before it). None when the page opens with
    something else, such as a new header."""
    for j, ln in enumerate(lines[:4]):
        if find_header(lines, j) is not None:
            return None
        if ln.bottom < head or (_spans(ln, carry) and not _SECTION_RE.match(ln.text)):
            continue
        return j
    return None
