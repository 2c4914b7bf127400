"""Real tables (Table blocks from .docx, .xlsx, .html, .pdf and markdown): the header row
names the columns; a spanning row (or a row with one text) is a section; empty 序号 cells
(Word's automatic numbering, which is not in the text) are numbered here, restarting with
each table; a repeated header row (a new page) is skipped."""
from __future__ import annotations

import re

from index.blocks import Table as BlockTable
from index.layouts.base import ROW_NUMBER_RE, UNIT_KINDS, Row, Table, column_kinds


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _header_at(rows) -> int | None:
    """Index of the header row: a task column beside a number or a unit column."""
    for i, row in enumerate(rows[:10]):
        kinds = column_kinds([_squash(t) for t in row.texts()])
        if "task" in kinds and (kinds[0] == "number" or any(k in UNIT_KINDS for k in kinds)):
            return i
    return None


def read(block: BlockTable, section: str | None, warnings: list[str]) -> tuple[Table | None, str | None]:
    """Read one table block into task rows; returns (table or None, the section after it)."""
    at = _header_at(block.rows)
    if at is None:
        return None, section
    header = [_squash(t) for t in block.rows[at].texts()]
    kinds = column_kinds(header)
    table = Table("block", header, kinds, [], -1, -1)
    numbered = kinds[0] == "number"
    count = 0
    for row in block.rows[at + 1:]:
        texts = [t.strip() for t in row.texts()]
        filled = [t for t in texts if t]
        if not filled or [_squash(t) for t in texts] == header:
            continue
        if row.spanning or len(set(filled)) == 1 and len(texts) > 1:
            section = filled[0]  # "一、健全服务体系" across the table
            continue
        cells = [list(c) for c in row.cells]
        if numbered:
            m = ROW_NUMBER_RE.match(texts[0])
            if m:
                count = int(m.group(1))
                number = m.group(1)
            elif not texts[0]:
                count += 1
                number = str(count)
            elif not any(texts[1:]):
                section = texts[0]
                continue
            else:
                count += 1
                number = str(count)
                warnings.append(f"{row.where}: 序号 {texts[0]!r} is no number; numbered {number}")
        else:
            count += 1
            number = str(count)
            cells = [[number]] + cells
        table.rows.append(Row(0, number, cells, section, where=row.where))
    if not numbered:
        table.header = ["序号"] + header
        table.kinds = ["number"] + kinds
    return table, section
