"""Tables printed without ruled lines: columns found from where the words stand.

Many government PDFs print the 分工表 with no lines at all, only whitespace between columns.
pdfplumber finds no table there; read as text lines, the cells of a row would run together.
The rule, for any such page:

1. Header: a printed line of short pieces standing apart (a letter-spaced word such as 序  号
   is one piece), with the lines just below it that carry a wrapped header cell's second line
   (牵头 / 单位; with cells centred vertically, a wrapped cell's first line stands above), whose
   pieces are the genre's header words as index.layouts.base classifies them: three of them
   with a unit column among them, or a task column (重点任务) beside a unit column alone.
   Each piece is a column; unit headers on the line below one unit header (责任单位 over
   牵头单位 | 配合单位) split its column.
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

from index.layouts.base import UNIT_KINDS, column_kinds

Char = dict

_HEADER_KINDS = {"number", "task", "lead", "support", "responsible", "deadline", "person", "title"}
# A row number as printed: 1  1.  （1）  一  十七  ①  一.二  2-1
_NUMBER_RE = re.compile(r"^[（(]?[0-9一二三四五六七八九十百零〇①-⑳]{1,5}(?:[.．\-—][0-9一二三四五六七八九十百]{1,4})*"
                        r"[)）]?[、.．]?$")
_SECTION_RE = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十百]+[)）、.．]|第[一二三四五六七八九十百0-9]+[部分章节篇项]|"
                         r"[0-9]{1,2}[、.．](?![0-9]))")
_TASK_HEADER_RE = re.compile(r"^(?:重点|主要|工作|具体|年度)?(?:任务|工作|措施|事项)(?:内容|名称|清单)?$")
_MAX_HEADER_PIECE = 10  # characters: a header cell is a few words, never a sentence


@dataclass
class YLine:
    """One printed line across the page: its characters left to right."""

    chars: list[Char]
    top: float
    bottom: float
    size: float

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)


@dataclass
class Piece:
    """Characters of one line standing together (no gap wider than half a glyph)."""

    chars: list[Char]

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars).strip()


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


def ylines(chars: list[Char]) -> list[YLine]:
    """Characters grouped into printed lines (vertical centres within half a glyph)."""
    chars = [c for c in chars if c.get("text") and c["text"].strip() and c.get("upright", True)]
    chars.sort(key=lambda c: (round(c["top"], 1), c["x0"]))
    rows: list[list[Char]] = []
    for ch in chars:
        mid = (ch["top"] + ch["bottom"]) / 2
        for row in reversed(rows[-3:]):
            ref = row[0]
            if abs(mid - (ref["top"] + ref["bottom"]) / 2) <= max(ref["bottom"] - ref["top"], 1) / 2:
                row.append(ch)
                break
        else:
            rows.append([ch])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        size = max(max(c.get("size") or 0, c["bottom"] - c["top"]) for c in row) or 10.0
        out.append(YLine(row, min(c["top"] for c in row), max(c["bottom"] for c in row), size))
    out.sort(key=lambda ln: ln.top)
    return out


def pieces(line: YLine) -> list[Piece]:
    out: list[Piece] = []
    for ch in line.chars:
        if out and ch["x0"] - out[-1].x1 <= line.size * 0.5:
            out[-1].chars.append(ch)
        else:
            out.append(Piece([ch]))
    return out


def header_pieces(line: YLine) -> list[Piece]:
    """Pieces of a header line, a word printed letter-spaced (序  号, 牵 头 单 位) as one: a
    run of single characters each less than two and a half glyphs from the next."""
    out: list[Piece] = []
    single = False
    for p in pieces(line):
        if out and single and len(p.text) == 1 and p.x0 - out[-1].x1 < line.size * 2.5:
            out[-1].chars.extend(p.chars)
            continue
        out.append(Piece(list(p.chars)))
        single = len(p.text) == 1
    return out


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
        found = _header(lines, i)
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


def _close(upper: YLine, lower: YLine) -> bool:
    return lower.top - upper.bottom <= lower.size * 0.8


def _short(line: YLine) -> bool:
    return all(len(p.text) <= 6 for p in header_pieces(line))


def _header(lines: list[YLine], i: int) -> tuple[list[int], list[tuple[float, float, str]]] | None:
    """The header band starting around line i and its column pieces (x0, x1, text), or None."""
    ps = header_pieces(lines[i])
    if len(ps) < 2 or any(len(p.text) > _MAX_HEADER_PIECE for p in ps):
        return None
    # A header cell wrapped over two lines: its second line lies under its first (within its
    # width) just below. Centred vertically, a wrapped cell's first line stands above the
    # line of the one-line cells: taken when its second line is found below.
    above = i - 1 if i > 0 and _close(lines[i - 1], lines[i]) and _short(lines[i - 1]) else None
    band_pieces = ps + (header_pieces(lines[above]) if above is not None else [])
    band = [i]
    for j in range(i + 1, min(i + 3, len(lines))):
        nps = header_pieces(lines[j])
        if not _close(lines[j - 1], lines[j]) or not _short(lines[j]) or _NUMBER_RE.match(nps[0].text):
            break  # the first data row (its number, its task text), not a header line
        if not all(any(p.x0 >= q.x0 - 1.5 and p.x1 <= q.x1 + 1.5 for q in band_pieces) for p in nps):
            break
        band.append(j)
        band_pieces += nps
    if above is not None:
        below = [p for j in band[1:] for p in header_pieces(lines[j])]
        if all(any(p.x0 >= q.x0 - 1.5 and p.x1 <= q.x1 + 1.5 for p in below) for q in header_pieces(lines[above])):
            band.insert(0, above)
    cols: list[list[float | str]] = []
    for j in band:
        for p in header_pieces(lines[j]):
            for col in cols:
                if p.x0 < col[1] and p.x1 > col[0]:
                    col[0], col[1], col[2] = min(col[0], p.x0), max(col[1], p.x1), str(col[2]) + p.text
                    break
            else:
                cols.append([p.x0, p.x1, p.text])
    cols.sort(key=lambda c: c[0])
    sub = _subheader(lines, band, cols)
    if sub is not None:
        band.append(sub[0])
        cols = sub[1]
    kinds = column_kinds([str(c[2]) for c in cols])
    known = sum(1 for k, c in zip(kinds, cols) if k in _HEADER_KINDS and len(str(c[2])) <= _MAX_HEADER_PIECE)
    # Three of the genre's columns with a unit column among them; or just two, a task column
    # named as the genre names it beside a unit column, and nothing else on the line.
    if not any(k in UNIT_KINDS for k in kinds):
        return None
    if known < 3 and not (known == len(cols) and any(_TASK_HEADER_RE.match(str(c[2])) for c in cols)):
        return None
    return band, [(float(c[0]), float(c[1]), str(c[2])) for c in cols]


def _subheader(lines: list[YLine], band: list[int],
               cols: list[list[float | str]]) -> tuple[int, list[list[float | str]]] | None:
    """A two-row header: 责任单位 over 牵头单位 | 配合单位. The line below the band holding two or
    more unit headers under one unit header splits that column in two (or more)."""
    j = band[-1] + 1
    if j >= len(lines) or not _close(lines[band[-1]], lines[j]) or not _short(lines[j]):
        return None
    subs = header_pieces(lines[j])
    if len(subs) < 2 or any(k not in UNIT_KINDS for k in column_kinds([p.text for p in subs])):
        return None
    lo, hi = subs[0].x0 - lines[j].size, subs[-1].x1 + lines[j].size
    over = [c for c in cols if lo <= (float(c[0]) + float(c[1])) / 2 <= hi]
    if len(over) != 1 or column_kinds([str(over[0][2])])[0] not in UNIT_KINDS:
        return None
    rest = [c for c in cols if c is not over[0]]
    return j, sorted(rest + [[p.x0, p.x1, p.text] for p in subs], key=lambda c: float(c[0]))


def _columns(below: list[YLine], header: list[tuple[float, float, str]]) -> Columns | None:
    """Boundaries in the gutters between the header's columns (see the module's rule 2)."""
    body = below[:200]
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
            if first and not _NUMBER_RE.match(first):
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
        if _header(lines, j) is not None:
            return None
        if ln.bottom < head or (_spans(ln, carry) and not _SECTION_RE.match(ln.text)):
            continue
        return j
    return None
