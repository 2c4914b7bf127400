"""Read the raw structures of a task-division document: tables, prose tasks, people, duties.

This module only finds rows, cells and paragraphs as printed; `index.parse`
turns them into task dicts. Every reader decides from the text itself, never
from the file name:

- cell tables (Word export): each cell is a line starting with a TAB, a cell's
  further lines have no TAB, rows are separated by blank lines;
- TSV tables: one row per line, cells separated by TABs, header repeated per page;
- prose tasks: numbered paragraphs ending in a unit list 〔…〕 or a labelled
  part (（牵头单位：…）, or 牵头单位：… lines of their own);
- people of a working group (组长/副组长/成员 label lines) and duties
  ("机构：职责" paragraphs under a …职责 heading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.cells import extract_labelled

CN_DIGITS = "一二三四五六七八九十"

# "一、健全服务体系" (top heading); "（一）健全服务体系" (sub-heading).
HEADING_RE = re.compile(rf"^\s*[{CN_DIGITS}百]+、\s*\S")
SUBHEADING_RE = re.compile(rf"^\s*[（(][{CN_DIGITS}]+[)）]\s*\S")
_ROW_NUMBER_RE = re.compile(r"^\s*(\d+)\s*[.．、]?\s*$")
_TAB_LINE_RE = re.compile(r"^[ \u3000]*\t")
_NUMBER_HEADERS = ("序号", "编号", "序")

# Header cell → column kind. Order matters: 牵头单位 also contains 单位.
_COLUMN_KINDS = (
    ("number", re.compile(r"^(序号|编号|序)$")),
    ("lead", re.compile(r"牵头|主办")),
    ("support", re.compile(r"配合|参加|协办|协助|参与")),
    ("responsible", re.compile(r"责任|负责|承办|单位|部门")),
    ("deadline", re.compile(r"时限|时间|节点|进度")),
    ("title", re.compile(r"名称|项目")),
    ("task", re.compile(r"任务|事项|内容|措施|工作")),
)

# A numbered paragraph: "1.统筹…", "（一）建立…".
_PARA_NUMBER_RE = re.compile(rf"^\s*(?:(\d+)\s*[.．、]|[（(]([{CN_DIGITS}]+)[)）])\s*")
_UNIT_LIST_RE = re.compile(r"[〔【]([^〔〕【】]+)[〕】]\s*[。.]?\s*$")
# A unit list opened and never closed: the file was cut short (or the list broken).
_UNCLOSED_LIST_RE = re.compile(r"[〔【][^〔〕【】]*$")
_LABEL_LINE_RE = re.compile(
    r"^\s*(牵头单位|牵头部门|配合单位|配合部门|参加单位|协办单位|责任单位|责任部门|负责单位|完成时限|完成时间)\s*[：:]"
)

_GROUP_LABEL_RE = re.compile(r"^\s*(组\s*长|常务副组长|副\s*组\s*长|成\s*员|组\s*员)\s*[：:]\s*(.*)$")
_SPACED_NAME_RE = re.compile(r"^\s*([\u4e00-\u9fff])\s+([\u4e00-\u9fff])\s+(\S.*)$")
_NAME_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})\s+(\S.*)$")
_OFFICE_RE = re.compile(r"(办公室(?:副)?主任)由\s*([\u4e00-\u9fff]{2,4}?)\s*(?:同志)?(?:兼任|担任)")
_DUTY_HEADING_RE = re.compile(rf"^\s*[{CN_DIGITS}]+、\s*\S{{0,6}}职责\s*$")
_DUTY_LINE_RE = re.compile(r"^\s*([^\s：:，。；、“”]{2,30})\s*[：:]\s*(\S.*)$")


class LayoutError(ValueError):
    """A structural defect at a known line (1-based); index.parse adds the file name."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"{line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class Row:
    """One table row: its first line, its cells (each a list of printed lines), its section."""

    line: int
    number: str
    cells: list[list[str]]
    section: str | None


@dataclass
class Table:
    """A task table: header cells, column kinds and data rows."""

    kind: str  # "cells" (Word export) or "tsv"
    header: list[str]
    kinds: list[str]
    rows: list[Row]
    start: int  # 0-based index of the header line
    end: int  # 0-based index just past the table


@dataclass
class Paragraph:
    """A numbered prose task: number as printed, body text, and its unit list."""

    line: int
    number: str
    body: str  # text after the number, without the unit list
    units: str  # 〔…〕 content or labelled part ("牵头单位：…")
    section: str | None
    run: int  # index of the numbering run (numbers restart per run)


def cn_value(numeral: str) -> int:
    """Return the value of a small Chinese numeral (一…九十九) or of digits."""
    if numeral.isdigit():
        return int(numeral)
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (CN_DIGITS.index(ones) + 1 if ones else 0)
    return CN_DIGITS.index(numeral) + 1 if numeral in CN_DIGITS else 0


def section_numeral(section: str | None) -> str | None:
    """Return the numeral of a section heading: "一、健全服务体系" → "一"."""
    m = re.match(rf"^\s*[（(]?([{CN_DIGITS}百]+|\d+)[、)）.．]", section or "")
    return m.group(1) if m else None


def column_kinds(header: list[str]) -> list[str]:
    """Classify header cells (序号/重点任务/牵头单位/…) into column kinds."""
    kinds = []
    for cell in header:
        name = re.sub(r"\s+", "", cell)
        kinds.append(next((k for k, rx in _COLUMN_KINDS if rx.search(name)), "other"))
    return kinds


def _is_task_header(cells: list[str]) -> bool:
    """True for a header row: a number column, a task column and nothing odd first."""
    kinds = column_kinds(cells)
    return len(cells) >= 2 and kinds[0] == "number" and "task" in kinds


def _is_tab_line(line: str) -> bool:
    """True for a Word-export cell line (starts with a TAB, maybe after spaces)."""
    return bool(_TAB_LINE_RE.match(line))


def _cell_text(line: str) -> str:
    """Return the text of a cell line without its leading TAB and outer blanks."""
    return _TAB_LINE_RE.sub("", line, count=1).replace("\t", "").strip()


def _tsv_cells(line: str) -> list[str]:
    """Split a TSV line into stripped cells."""
    return [c.strip() for c in line.split("\t")]


def _next_nonblank(lines: list[str], i: int) -> int | None:
    """Return the index of the first non-blank line at or after i."""
    while i < len(lines):
        if lines[i].strip():
            return i
        i += 1
    return None


def _classify_row(raw: list[list[str]], line: int, header: list[str], section: str | None):
    """Return ("section", text) / ("header", None) / ("row", Row) / ("cont", Row) for raw cells."""
    first = raw[0][0] if raw and raw[0] else ""
    texts = [" ".join(c) for c in raw]
    if texts == header:
        return "header", None
    m = _ROW_NUMBER_RE.match(first)
    if m:
        return "row", Row(line, m.group(1), raw, section)
    if first and not any(texts[1:]):
        return "section", "".join(raw[0])  # "一、健全服务体系", maybe with empty cells
    if not first and any(texts[1:]):
        return "cont", Row(line, "", raw, section)
    raise LayoutError(line, f"unrecognised table row starting {first[:20]!r}")


def _merge_continuation(prev: Row, cont: Row) -> None:
    """Append the cells of a row continued across a page break to the previous row."""
    for i, cell in enumerate(cont.cells[1:], start=1):
        if i < len(prev.cells):
            prev.cells[i] += [t for t in cell if t]
        else:
            prev.cells.append(cell)


def _add_row(table: Table, kind: str, value, section: str | None) -> str | None:
    """Store one classified row in table; return the current section."""
    if kind == "section":
        return value
    if kind == "row":
        table.rows.append(value)
    elif kind == "cont":
        if not table.rows:
            raise LayoutError(value.line, "continuation row before any numbered row")
        _merge_continuation(table.rows[-1], value)
    return section


def _cell_block(lines: list[str], start: int) -> list[str]:
    """Return the texts of the consecutive cell lines from lines[start]."""
    block = []
    for line in lines[start:]:
        if not _is_tab_line(line):
            break
        block.append(_cell_text(line))
    return block


def _read_cell_table(lines: list[str], start: int, section: str | None) -> Table:
    """Read a Word-export table whose header block starts at lines[start]."""
    header = _cell_block(lines, start)
    i = start + len(header)
    table = Table("cells", header, column_kinds(header), [], start, i)
    width = len(header)
    cur: list[list[str]] | None = None
    cur_line = 0

    def close() -> None:
        nonlocal cur, section, width
        kind, value = _classify_row(cur, cur_line, header, section)
        if kind == "row":
            width = max(width, len(cur))
        section = _add_row(table, kind, value, section)
        cur = None

    while i < len(lines):
        line = lines[i]
        if _is_tab_line(line):
            if cur is None:
                cur, cur_line = [], i + 1
            cur.append([_cell_text(line)])
        elif line.strip():
            if cur is None:
                break  # text after the table
            cur[-1].append(line.strip())
        elif cur is not None:
            nxt = _next_nonblank(lines, i)
            # A blank line inside a cell: the row is still short of cells and
            # the next text continues the cell (no TAB) rather than starting a row.
            if not (nxt is not None and not _is_tab_line(lines[nxt]) and len(cur) < width):
                close()
        i += 1
    if cur is not None:
        close()
    table.end = i
    return table


def _read_tsv_table(lines: list[str], start: int, section: str | None) -> Table:
    """Read a TSV table (one row per line) whose header is lines[start]."""
    header = _tsv_cells(lines[start])
    while header and not header[-1]:
        header.pop()
    table = Table("tsv", header, column_kinds(header), [], start, start + 1)
    i = start + 1
    after_row = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            after_row = False
        elif "\t" in line:
            cells = _tsv_cells(line)
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            kind, value = _classify_row([[c] for c in cells], i + 1, header, section)
            section = _add_row(table, kind, value, section)
            after_row = kind in ("row", "cont")
        elif HEADING_RE.match(line) and len(line.strip()) <= 40 and "。" not in line:
            section = line.strip()
            after_row = False
        elif after_row and table.rows:
            table.rows[-1].cells[-1].append(line.strip())  # a wrapped last cell
        else:
            break
        i += 1
    table.end = i
    return table


def read_tables(lines: list[str]) -> list[Table]:
    """Find every task table (Word-export or TSV) in the document, in order."""
    tables: list[Table] = []
    section = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_tab_line(line) and _cell_text(line) in _NUMBER_HEADERS and _is_task_header(_cell_block(lines, i)):
            table = _read_cell_table(lines, i, section)
        elif not _is_tab_line(line) and "\t" in line and _is_task_header([c for c in _tsv_cells(line) if c]):
            table = _read_tsv_table(lines, i, section)
        else:
            i += 1
            continue
        tables.append(table)
        if table.rows:
            section = table.rows[-1].section
        i = max(table.end, i + 1)
    return tables


def _paragraph_units(text: str) -> tuple[str, str]:
    """Split a paragraph into (body, units) at a trailing 〔…〕 or a labelled part."""
    m = _UNIT_LIST_RE.search(text)
    if m:
        return text[: m.start()].rstrip(), m.group(1).strip()
    return extract_labelled(text)


def read_paragraphs(lines: list[str], skip: set[int]) -> list[Paragraph]:
    """Find numbered prose tasks (paragraphs with a unit list) outside the lines in skip."""
    paras: list[Paragraph] = []
    section = None
    prev_style, prev_value, run = None, None, -1
    i = 0
    while i < len(lines):
        line = lines[i]
        if i in skip or not line.strip():
            i += 1
            continue
        m = _PARA_NUMBER_RE.match(line)
        if not m:
            if HEADING_RE.match(line) and len(line.strip()) <= 40 and "。" not in line:
                section = line.strip()
            i += 1
            continue
        start = i
        text = line[m.end():].strip()
        i += 1
        # Continuation lines, then label lines (possibly after blank lines).
        while i < len(lines) and i not in skip and lines[i].strip() and not _PARA_NUMBER_RE.match(lines[i]) \
                and not HEADING_RE.match(lines[i]) and not _LABEL_LINE_RE.match(lines[i]):
            text += lines[i].strip()
            i += 1
        j = _next_nonblank(lines, i)
        while j is not None and j not in skip and _LABEL_LINE_RE.match(lines[j]):
            text += "\n" + lines[j].strip()
            i = j + 1
            j = _next_nonblank(lines, i)
        body, units = _paragraph_units(text.replace("\t", ""))
        number = m.group(1) or m.group(2)
        unclosed = None if units else _UNCLOSED_LIST_RE.search(text)
        if unclosed:  # a task whose unit list was cut off would be dropped silently
            raise LayoutError(start + 1, f"task {number}: unit list {unclosed.group(0)[:12]!r}… is not closed "
                                         "(file cut short?)")
        if not units:
            # A short unnumbered-list heading such as "（一）健全服务体系".
            if len(text) <= 40 and "。" not in text:
                section = line.strip()
            continue
        style = "digit" if m.group(1) else "cn"
        value = cn_value(number)
        if style != prev_style or prev_value is None or value <= prev_value:
            run += 1
        prev_style, prev_value = style, value
        paras.append(Paragraph(start + 1, number, body.replace("\n", ""), units, section, run))
    return paras


def _person(text: str) -> tuple[str, str] | None:
    """Split "闫  瑞  县委常委、宣传部部长" into (name without spaces, position)."""
    m = _SPACED_NAME_RE.match(text) or _NAME_RE.match(text)
    if not m:
        return None
    *name, position = m.groups()
    return "".join(name), position.strip()


def read_people(lines: list[str]) -> tuple[list[dict], list[str]]:
    """Read the members of a working group: label lines (组长：/成员：) then one person a line."""
    people: list[dict] = []
    warnings: list[str] = []
    role = None
    for line in lines:
        if not line.strip():
            continue
        label = _GROUP_LABEL_RE.match(line)
        if label:
            role = re.sub(r"\s+", "", label.group(1))
            text = label.group(2)
            if not text.strip():
                continue
        elif role is None:
            continue
        else:
            text = line
        person = _person(text)
        if person is None:
            if label:
                warnings.append(f"no name after {role} label: {text.strip()!r}")
                continue
            break  # the end of the member list
        people.append({"name": person[0], "group_role": role, "position": person[1], "office_role": None})
    text = "\n".join(lines)
    for m in _OFFICE_RE.finditer(text):
        matches = [p for p in people if p["name"] == m.group(2)]
        for p in matches:
            p["office_role"] = m.group(1)
        if not matches:
            warnings.append(f"{m.group(1)} {m.group(2)} is not a listed member")
    return people, warnings


def read_duties(lines: list[str]) -> list[dict]:
    """Read "机构：职责" paragraphs under a …职责 heading; wrapped lines are joined."""
    duties: list[dict] = []
    inside = False
    for line in lines:
        if _DUTY_HEADING_RE.match(line):
            inside = True
            continue
        if not inside:
            continue
        if HEADING_RE.match(line) or _is_tab_line(line):
            break
        if not line.strip():
            continue
        m = _DUTY_LINE_RE.match(line)
        if m:
            duties.append({"agency": m.group(1), "duty": m.group(2).rstrip()})
        elif duties:  # a duty wrapped onto the next line(s)
            duties[-1]["duty"] += line.strip()
        # Text before the first "机构：" line is the intro paragraph: not a duty.
    return duties
