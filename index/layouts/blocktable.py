"""Real tables (Table blocks from .docx, .xlsx, .html, .pdf and markdown): the header row
names the columns; a spanning row (or a row with one text) is a section; empty 序号 cells
(Word's automatic numbering, which is not in the text) are numbered here, restarting with
each table; a repeated header row (a new page) is skipped."""
from __future__ import annotations

import re

from index.blocks import Table as BlockTable
from index.layouts.base import (CN_DIGITS, HEADING_RE, ROW_NUMBER_RE, SUBHEADING_RE, UNIT_KINDS, Row, Table, cn_value,
                                column_kinds, is_note_row)

# A section numbered in the 序号 column: "一", "一、", "（一）".
_SECTION_NUMBER_RE = re.compile(rf"^[（(]?[{CN_DIGITS}百]+[)）、.．]?$")
# Any other number as printed: "一", "（十七）", "①", "一.二", "2-1".
_NUMBER_CELL_RE = re.compile(rf"^[（(]?[0-9{CN_DIGITS}百①-⑳]+(?:[.．\-—][0-9{CN_DIGITS}百]+)*[)）]?[、.．]?$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _header_at(rows) -> int | None:
    """Index of the header row: a task column beside a number or a unit column."""
    for i, row in enumerate(rows[:10]):
        kinds = column_kinds([_squash(t) for t in row.texts()])
        if "task" in kinds and (kinds[0] == "number" or any(k in UNIT_KINDS for k in kinds)):
            return i
    return None


def _is_subheader(row, header: list[str]) -> bool:
    """True for the second row of a two-row header ("责任单位" over "牵头单位 | 配合单位"):
    header words only, some of them new, no row number."""
    texts = [_squash(t) for t in row.texts()]
    if texts == header or ROW_NUMBER_RE.match(texts[0] or "x"):
        return False
    new = [t for t in texts if t and t not in header]
    return bool(new) and all(k != "other" for k in column_kinds(new))


def _combine(header: list[str], sub: list[str]) -> list[str]:
    """The header two rows make: the lower row's words where it has them. A lower row with
    more cells (the upper one's merged cell appears once) is the header by itself."""
    if len(sub) != len(header):
        return sub
    return [low or top for top, low in zip(header, sub)]


# The number a 具体措施 cell prints before its text: "1.", "（1）", "1、", "①".
_MEASURE_NUMBER_RE = re.compile(r"^\s*(?:[（(](\d+)[)）]|(\d+)\s*(?:[.．](?!\d)|、)|([①-⑳]))\s*")


def _measure_number(cells: list[list[str]], at: int) -> str | None:
    """The number printed at the start of the cell at `at`, taken out of the cell."""
    if at < 0 or at >= len(cells) or not cells[at]:
        return None
    m = _MEASURE_NUMBER_RE.match(cells[at][0])
    if not m or not cells[at][0][m.end():].strip():
        return None
    cells[at] = [cells[at][0][m.end():]] + cells[at][1:]
    value = m.group(1) or m.group(2)
    return value if value else str("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(m.group(3)) + 1)


def is_section_heading(text: str) -> bool:
    """A short 一、 or （一） heading line printed above a table (its section)."""
    text = text.strip()
    return bool(HEADING_RE.match(text) or SUBHEADING_RE.match(text)) and len(text) <= 40 and "。" not in text


def _header_span(rows) -> tuple[int, int] | None:
    """(first, last) index of the header rows: a header row and the sub-header rows under it."""
    at = _header_at(rows)
    if at is None:
        return None
    first, header = at, [_squash(t) for t in rows[at].texts()]
    # A two-row header: "责任单位" over "牵头单位 | 配合单位" (merged cells repeat the top text).
    while at + 1 < len(rows) and _is_subheader(rows[at + 1], header):
        at += 1
        header = _combine(header, [_squash(t) for t in rows[at].texts()])
    return first, at


def header_rows(block: BlockTable) -> list:
    """The rows that head a task table (for a table that goes on without them), or []."""
    span = _header_span(block.rows)
    return block.rows[span[0]:span[1] + 1] if span else []


def continues(block: BlockTable, carried: list) -> BlockTable:
    """A table printed without a header, as wide as the task table before it and starting with a
    numbered row (Word splits a table at a section break; a page of a PDF), under that header."""
    if not carried or _header_at(block.rows) is not None or not block.rows:
        return block
    width = len(carried[-1].cells)
    first = block.rows[0].texts()
    if len(block.rows[0].cells) != width or not first or first[0].strip() and not _NUMBER_CELL_RE.match(first[0].strip()):
        return block
    return BlockTable(rows=list(carried) + list(block.rows), where=block.where, name=block.name)


def read(block: BlockTable, section: str | None, warnings: list[str]) -> tuple[Table | None, str | None]:
    """Read one table block into task rows; returns (table or None, the section after it)."""
    span = _header_span(block.rows)
    if span is None:
        return None, section
    at = span[1]
    header_rows = [[_squash(t) for t in block.rows[span[0]].texts()]]
    header = header_rows[0]
    for row in block.rows[span[0] + 1:at + 1]:
        header_rows.append([_squash(t) for t in row.texts()])
        header = _combine(header, header_rows[-1])
    kinds = column_kinds(header)
    if not any(k in UNIT_KINDS or k == "deadline" for k in kinds):
        # 序号 | 填报事项 | 要求: a sheet of instructions, not of tasks (a task table names
        # who does its tasks or when).
        return None, section
    table = Table("block", header, kinds, [], -1, -1)
    numbered = kinds[0] == "number"
    # 重点任务 | 具体措施: several measures under one task share its (merged) 序号; they are
    # numbered within it (1.1, 1.2), by the number each measure prints when it prints one.
    task_at = len(kinds) - 1 - kinds[::-1].index("task") if "task" in kinds else -1
    measure_at = task_at if kinds.count("task") >= 2 else -1
    count = 0
    group: list[Row] = []  # the rows sharing the last printed 序号 (base)
    base = ""
    for row in block.rows[at + 1:]:
        texts = [t.strip() for t in row.texts()]
        filled = [t for t in texts if t]
        if not filled or [_squash(t) for t in texts] in header_rows:
            continue  # the header printed again where the table goes on over a page
        if is_note_row(texts):
            continue  # 备注：… under the table
        only_units = all(k in UNIT_KINDS for t, k in zip(texts, kinds) if t)  # more units for the row above
        if row.spanning or len(set(filled)) == 1 and len(texts) > 1 and not only_units:
            section = filled[0]  # "一、健全服务体系" across the table
            continue
        cells = [list(c) for c in row.cells]
        units = [t for t, k in zip(texts, kinds) if k in UNIT_KINDS and t]
        if not units and numbered and (_SECTION_NUMBER_RE.match(texts[0]) or not texts[0] and len("".join(filled)) <= 40):
            section = "".join(filled) if not texts[0] else f"{texts[0].rstrip('、.．')}、{''.join(filled[1:])}"
            continue  # "一 | 健全服务体系 | | " or an unnumbered short heading row
        grouped = False  # does this row share the 序号 of the rows above (group)?
        if numbered:
            m = ROW_NUMBER_RE.match(texts[0])
            printed = m.group(1) if m else texts[0].strip("（()）、.． ") if _NUMBER_CELL_RE.match(texts[0]) else None
            if printed and group and base == printed and group[0].section == section:
                if measure_at < 0 and _same_task(group[0].cells, cells, kinds):
                    _merge_into(group[0], cells)  # one task printed over rows: its units, its stages
                    continue
                number, grouped = _sub_number(group, base, cells, task_at), True
            elif m:
                count = int(m.group(1))
                number, base, group, grouped = m.group(1), m.group(1), [], True
            elif not texts[0] and table.rows and _continues(texts, kinds, measure_at):
                # 序号 and task left empty under a row (a merged cell printed once: markdown,
                # a PDF, a page without rowspan): a further measure of that task, or more of
                # the row above (its units over a page break)
                prev = table.rows[-1]
                if measure_at < 0 or measure_at >= len(texts) or not texts[measure_at]:
                    _merge_into(prev, cells)
                    continue
                for i, k in enumerate(kinds):
                    if k in ("task", "title") and i != measure_at and i < min(len(cells), len(prev.cells)):
                        cells[i] = list(prev.cells[i])
                cells[0] = list(prev.cells[0])
                if not (group and group[-1] is prev):
                    group, base = [prev], prev.number
                number, grouped = _sub_number(group, base, cells, task_at), True
            elif not texts[0]:
                count += 1
                number = str(count)
            elif not any(texts[1:]):
                section = texts[0]
                continue
            elif printed:
                number = printed  # "（十七）" → "十七", "一.二" as printed
                count = cn_value(number) if all(c in CN_DIGITS for c in number) else count + 1
                base, group, grouped = number, [], True
            else:
                count += 1
                number = str(count)
                warnings.append(f"{row.where}: 序号 {texts[0]!r} is no number; numbered {number}")
        elif table.rows and "task" in kinds and _continues(texts, kinds, -1):
            _merge_into(table.rows[-1], [[]] + cells)  # no task text: more units of the row above
            continue
        else:
            count += 1
            number = str(count)
            cells = [[number]] + cells
        table.rows.append(Row(0, number, cells, section, where=row.where))
        group = group + [table.rows[-1]] if grouped else []
    if not numbered:
        table.header = ["序号"] + header
        table.kinds = ["number"] + kinds
    return table, section


def _sub_number(group: list[Row], base: str, cells: list[list[str]], measure_at: int) -> str:
    """The number of a further row under the same 序号 `base`: "1.2" (the first row becomes "1.1")."""
    if len(group) == 1:
        first = _measure_number(group[0].cells, measure_at) or "1"
        group[0].number = f"{base}.{first}"
    own = _measure_number(cells, measure_at)
    return f"{base}.{own or len(group) + 1}"


def _same_task(first: list[list[str]], cells: list[list[str]], kinds: list[str]) -> bool:
    """Do two rows under one 序号 print the same task (a task cell merged down them)?"""
    at = [i for i, k in enumerate(kinds) if k in ("task", "title")]
    return bool(at) and len(first) == len(cells) and all(first[i] == cells[i] for i in at)


def _merge_into(row: Row, cells: list[list[str]]) -> None:
    """Add the lines a further row of the same task prints (another unit, a later stage)."""
    for mine, more in zip(row.cells, cells):
        mine += [line for line in more if line not in mine]


def _continues(texts: list[str], kinds: list[str], measure_at: int) -> bool:
    """A row whose task cells are empty but for a 具体措施 (or with no task text at all)."""
    return all(not t for i, (t, k) in enumerate(zip(texts, kinds)) if k in ("task", "title") and i != measure_at)
