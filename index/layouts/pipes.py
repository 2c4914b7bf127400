"""Tables flattened to text one cell per line, each line ending in " |" (a table copied
out of a web page): the header cells, then each row's cells; a line of bars alone ends a row.

A row starts at a bare number cell after a line of bars, or at the next number in sequence
once the row before has cells enough: a count inside a row ("5 |") does not start one."""
from __future__ import annotations

import re

from index.layouts.base import NUMBER_HEADERS, ROW_NUMBER_RE, Row, Table, column_kinds

_CELL_RE = re.compile(r"^(.*?)\s*\|\s*$")
_BARS_RE = re.compile(r"^\s*\|[\s|]*$")


def _cell(line: str) -> str | None:
    m = _CELL_RE.match(line)
    return m.group(1).strip() if m else None


def find(lines: list[str], i: int, section: str | None) -> Table | None:
    """Read a flattened table whose 序号 | header cell is lines[i], if it is one."""
    if _cell(lines[i]) not in NUMBER_HEADERS:
        return None
    start = i
    header: list[str] = []
    while i < len(lines) and (c := _cell(lines[i])) is not None and not _BARS_RE.match(lines[i]) \
            and not (header and ROW_NUMBER_RE.match(c)):
        header.append(c)
        i += 1
    kinds = column_kinds(header)
    if len(header) < 3 or "task" not in kinds:
        return None
    table = Table("pipes", header, kinds, [], start, i)
    cur: Row | None = None
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _BARS_RE.match(line):
            cur = None
            i += 1
            continue
        c = _cell(line)
        if c is None:
            if cur is None:
                break  # text after the table
            cur.cells[-1].append(line.strip())  # a cell wrapped onto a line without its bar
            i += 1
            continue
        m = ROW_NUMBER_RE.match(c)
        if m and (cur is None or (int(m.group(1)) == int(cur.number) + 1 and len(cur.cells) >= len(header) // 2)):
            cur = Row(i + 1, m.group(1), [[c]], section)
            table.rows.append(cur)
        elif cur is not None:
            cur.cells.append([c])
        else:
            break
        i += 1
    table.end = i
    return table
