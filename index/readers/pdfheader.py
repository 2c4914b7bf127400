"""A page's printed lines, the pieces of text standing apart on them, and the header of a
table printed without ruled lines (index.readers.pdfcolumns reads the rest of the table).

A header is a printed line of short pieces standing apart (a letter-spaced word such as
序  号 is one piece), with the lines just below it that carry a wrapped header cell's second
line (牵头 / 单位; with cells centred vertically, a wrapped cell's first line stands above),
whose pieces are the genre's header words as index.layouts.base classifies them: three of
them with a unit column among them, or a task column (重点任务) beside a unit column alone.
Each piece is a column; unit headers on the line below one unit header (责任单位 over
牵头单位 | 配合单位) split its column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.layouts.base import UNIT_KINDS, column_kinds
from index.readers.pdflines import char_rows

Char = dict

_HEADER_KINDS = {"number", "task", "lead", "support", "responsible", "deadline", "person", "title"}
# A row number as printed: 1  1.  （1）  一  十七  ①  一.二  2-1
NUMBER_RE = re.compile(r"^[（(]?[0-9一二三四五六七八九十百零〇①-⑳]{1,5}(?:[.．\-—][0-9一二三四五六七八九十百]{1,4})*"
                       r"[)）]?[、.．]?$")
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


def ylines(chars: list[Char]) -> list[YLine]:
    """Characters grouped into printed lines (vertical centres within half a glyph)."""
    out = []
    for row in char_rows([c for c in chars if c.get("text") and c["text"].strip() and c.get("upright", True)]):
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


def _close(upper: YLine, lower: YLine) -> bool:
    return lower.top - upper.bottom <= lower.size * 0.8


def _short(line: YLine) -> bool:
    return all(len(p.text) <= 6 for p in header_pieces(line))


def find_header(lines: list[YLine], i: int) -> tuple[list[int], list[tuple[float, float, str]]] | None:
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
        if not _close(lines[j - 1], lines[j]) or not _short(lines[j]) or NUMBER_RE.match(nps[0].text):
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
