"""TSV tables: one row per line, cells separated by TABs, header repeated per page.

`read` also serves other rules that split a line into cells differently (runs of spaces)."""
from __future__ import annotations

from typing import Callable

from index.layouts.base import UNIT_KINDS, Table, add_row, classify_row, column_kinds, is_heading_line, is_task_header
from index.layouts.celltable import is_tab_line


def tsv_cells(line: str) -> list[str]:
    """Split a TSV line into stripped cells; a cell Excel quoted ("县民政局\n县财政局") loses its quotes."""
    cells = [c.strip() for c in line.split("\t")]
    return [c[1:-1].replace('""', '"').strip() if len(c) >= 2 and c[0] == c[-1] == '"' else c for c in cells]


def _join_quoted(lines: list[str], i: int) -> tuple[str, int]:
    """A row whose cell holds line breaks, as Excel copies it to text: the cell in double quotes
    over several lines. Returns the row as one line (breaks kept inside the cell) and the index
    of its last line."""
    line = lines[i]
    j = i
    while _open_quote(line) and j + 1 < len(lines) and j - i < 50:
        j += 1
        line += "\n" + lines[j]
    return (line, j) if not _open_quote(line) else (lines[i], i)


def _open_quote(line: str) -> bool:
    """Does a quoted cell stay open at the end of the line? (A quote opens only at a cell's start.)"""
    if '"' not in line:
        return False
    inside = False
    for k, ch in enumerate(line):
        if ch == '"' and (inside or k == 0 or line[k - 1] == "\t"):
            inside = not inside if not (inside and line[k + 1:k + 2] == '"') else inside
    return inside


def read(lines: list[str], start: int, section: str | None, split: Callable[[str], list[str]],
         is_row_line: Callable[[str], bool], kind: str, wrap_column: int = -1, auto_number: bool = False) -> Table:
    """Read a one-row-per-line table whose header is lines[start]; split cuts a line into cells.

    A line of one text after a row is a wrapped cell, appended to the row's wrap_column.
    auto_number: the table has no 序号 column; rows are numbered here."""
    header = split(lines[start])
    while header and not header[-1]:
        header.pop()
    if auto_number:
        header = ["序号"] + header
        wrap_column = wrap_column + 1 if wrap_column >= 0 else wrap_column
    count = 0
    table = Table(kind, header, column_kinds(header), [], start, start + 1)
    i = start + 1
    after_row = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            after_row = False
        elif is_row_line(line):
            line, i = _join_quoted(lines, i) if split is tsv_cells else (line, i)
            cells = split(line)
            if auto_number and any(cells[1:]):
                count += 1
                cells = [str(count)] + cells
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            kind_, value = classify_row([[c] for c in cells], i + 1, header, section)
            section = add_row(table, kind_, value, section)
            after_row = kind_ in ("row", "cont")
        elif is_heading_line(line):
            section = line.strip()
            after_row = False
        elif after_row and table.rows:
            cells = table.rows[-1].cells
            cells[wrap_column if -len(cells) <= wrap_column < len(cells) else -1].append(line.strip())
        else:
            break
        i += 1
    table.end = i
    return table


def _is_tsv_line(line: str) -> bool:
    return "\t" in line and not is_tab_line(line)


def find(lines: list[str], i: int, section: str | None) -> Table | None:
    """Read a TSV table whose header is lines[i], if it is one."""
    line = lines[i]
    if not _is_tsv_line(line):
        return None
    cells = [c for c in tsv_cells(line) if c]
    if is_task_header(cells):
        return read(lines, i, section, tsv_cells, lambda row: "\t" in row, "tsv")
    kinds = column_kinds(cells)
    if len(cells) >= 3 and "task" in kinds and any(k in UNIT_KINDS for k in kinds) and "other" not in kinds[:2]:
        # 重点任务 | 牵头单位 | 配合单位 with no 序号 column
        return read(lines, i, section, tsv_cells, lambda row: "\t" in row, "tsv", auto_number=True)
    return None
