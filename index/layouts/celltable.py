"""Word-export cell tables: each cell is a line starting with a TAB, a cell's further lines
have no TAB, rows are separated by blank lines."""
from __future__ import annotations

import re

from index.layouts.base import NUMBER_HEADERS, Table, add_row, classify_row, column_kinds, is_task_header, next_nonblank

_TAB_LINE_RE = re.compile(r"^[ \u3000]*\t")


def is_tab_line(line: str) -> bool:
    """True for a Word-export cell line (starts with a TAB, maybe after spaces)."""
    return bool(_TAB_LINE_RE.match(line))


def _cell_text(line: str) -> str:
    """Return the text of a cell line without its leading TAB and outer blanks."""
    return _TAB_LINE_RE.sub("", line, count=1).replace("\t", "").strip()


def _cell_block(lines: list[str], start: int) -> list[str]:
    """Return the texts of the consecutive cell lines from lines[start]."""
    block = []
    for line in lines[start:]:
        if not is_tab_line(line):
            break
        block.append(_cell_text(line))
    return block


def find(lines: list[str], i: int, section: str | None) -> Table | None:
    """Read a Word-export table whose header block starts at lines[i], if one does."""
    if not (is_tab_line(lines[i]) and _cell_text(lines[i]) in NUMBER_HEADERS and is_task_header(_cell_block(lines, i))):
        return None
    header = _cell_block(lines, i)
    start = i
    i = start + len(header)
    table = Table("cells", header, column_kinds(header), [], start, i)
    width = len(header)
    cur: list[list[str]] | None = None
    cur_line = 0

    def close() -> None:
        nonlocal cur, section, width
        kind, value = classify_row(cur, cur_line, header, section)
        if kind == "row":
            width = max(width, len(cur))
        section = add_row(table, kind, value, section)
        cur = None

    while i < len(lines):
        line = lines[i]
        if is_tab_line(line):
            if cur is None:
                cur, cur_line = [], i + 1
            cur.append([_cell_text(line)])
        elif line.strip():
            if cur is None:
                break  # text after the table
            cur[-1].append(line.strip())
        elif cur is not None:
            nxt = next_nonblank(lines, i)
            # A blank line inside a cell: the row is still short of cells and
            # the next text continues the cell (no TAB) rather than starting a row.
            if not (nxt is not None and not is_tab_line(lines[nxt]) and len(cur) < width):
                close()
        i += 1
    if cur is not None:
        close()
    table.end = i
    return table
