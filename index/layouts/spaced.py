"""Tables whose cells are separated only by runs of spaces (a table copied out of a PDF or
a web page): "1  建立清单。  市民政局  市财政局  2023年底"."""
from __future__ import annotations

import re

from index.layouts import tsv
from index.layouts.base import Table, column_kinds, is_task_header

_GAP_RE = re.compile(r"[ \u3000\xa0]{2,}|\t")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _GAP_RE.split(line.strip())]


def _is_row_line(line: str) -> bool:
    return len(_cells(line)) >= 2


def find(lines: list[str], i: int, section: str | None) -> Table | None:
    """Read a spaces-separated table whose header is lines[i], if it is one."""
    line = lines[i]
    if "\t" in line or not _GAP_RE.search(line.strip()):
        return None
    cells = _cells(line)
    if len(cells) < 3 or not is_task_header(cells):
        return None
    # A wrapped line is the task text's: the only long column.
    kinds = column_kinds(cells)
    return tsv.read(lines, i, section, _cells, _is_row_line, "spaced", wrap_column=kinds.index("task"))
