"""What every layout rule shares: the raw structures (Row, Table, Paragraph), headings,
numerals and the header words of the genre.

A layout rule only finds rows, cells and paragraphs as printed; `index.parse` turns them
into task dicts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "一二三四五六七八九十"

# "一、健全服务体系" (top heading); "（一）健全服务体系" (sub-heading).
HEADING_RE = re.compile(rf"^\s*[{CN_DIGITS}百]+、\s*\S")
SUBHEADING_RE = re.compile(rf"^\s*[（(][{CN_DIGITS}]+[)）]\s*\S")
ROW_NUMBER_RE = re.compile(r"^\s*[（(]?\s*(\d+)\s*[)）]?\s*[.．、]?\s*$")  # 1  1.  1、  （1）
NUMBER_HEADERS = ("序号", "编号", "序")

# Header cell → column kind, first match wins (牵头领导 is a person before 牵头 is a lead;
# 牵头单位 also contains 单位). "person" and "other" columns are never units.
_COLUMN_KINDS = (
    ("number", re.compile(r"^(序号|编号|序)$")),
    ("person", re.compile(r"^(?!.*(?:单位|部门)).*(?:领导|分管|联系人|负责人|责任人)")),  # not 责任单位及责任人
    # 任务来源 / 政策依据 name where a task comes from, not the task
    # 开工时间 / 启动时间 name when work starts, not its deadline
    ("other", re.compile(r"情况|备注|说明|是否|进展|成效|全年目标|年度目标|目标值|预期目标|指标值|评价|考核|来源|依据|出处"
                         r"|开工|开始|启动|起始")),
    # One column for lead and support: "牵头单位；配合单位", "牵头单位/配合单位", "责任单位（排名第一
    # 的为牵头单位）": the lead is printed first.
    ("first_lead", re.compile(r"牵头(?:单位|部门)?[、/／;；,，及和与]+(?:配合|协办|参与|参加|协作|协助|责任)"
                              r"|(?:第一|首位).{0,6}牵头|牵头.{0,6}(?:第一|首位|在前|居前)")),
    ("lead", re.compile(r"牵头|主办|主责")),
    ("support", re.compile(r"配合|参加|协办|协助|参与|协作|协同")),
    ("responsible", re.compile(r"责任|负责|承办|单位|部门|主体")),
    ("deadline", re.compile(r"时限|时间|节点|进度|期限")),
    ("title", re.compile(r"名称|项目|领域|类别|分类")),  # 重点领域 | 工作任务: the field names the tasks
    ("task", re.compile(r"任务|事项|内容|措施|工作|举措")),
)
UNIT_KINDS = ("lead", "support", "responsible", "first_lead")


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
    where: str | None = None  # "sheet 任务 row 7" for rows of a real table


@dataclass
class Table:
    """A task table: header cells, column kinds and data rows."""

    kind: str  # the rule that read it: "cells", "tsv", "pipes", "spaced", "block"
    header: list[str]
    kinds: list[str]
    rows: list[Row]
    start: int  # 0-based index of the header line (block tables: -1)
    end: int  # 0-based index just past the table


@dataclass
class Paragraph:
    """A numbered prose task: number as printed, body text, and its unit clauses."""

    line: int
    number: str
    body: str  # text without the unit clauses
    units: str  # 〔…〕 content or labelled part ("牵头单位：…"); free clauses joined by "；"
    section: str | None
    run: int  # index of the numbering run (numbers restart per run)
    end: int = 0  # 1-based line just past the item (its label lines included)


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
        kinds.append(next((k for k, rx in _COLUMN_KINDS if rx.search(name)), "other") if name else "other")
    return kinds


def is_task_header(cells: list[str]) -> bool:
    """True for a header row: a number column, a task column and nothing odd first."""
    kinds = column_kinds(cells)
    return len(cells) >= 2 and kinds[0] == "number" and "task" in kinds


def next_nonblank(lines: list[str], i: int) -> int | None:
    """Return the index of the first non-blank line at or after i."""
    while i < len(lines):
        if lines[i].strip():
            return i
        i += 1
    return None


def is_heading_line(line: str) -> bool:
    """A short 一、 heading line (a section of the plan), not a sentence."""
    return bool(HEADING_RE.match(line)) and len(line.strip()) <= 40 and "。" not in line


# A row under a table that carries no task: 备注 / 注 / 说明 / 合计 in the first cell, or a
# row whose text starts "备注：" (a note spanning the table).
_NOTE_CELL_RE = re.compile(r"^(?:备注|附注|注|说明|填表说明|填报说明|合计|小计|总计)[：:]?$")
_NOTE_TEXT_RE = re.compile(r"^(?:备注|附注|注|说明|填表说明|填报说明)\s*[0-9一]?[：:.．、]")


def is_note_row(texts: list[str]) -> bool:
    """True for a 备注 / 合计 row of a table (texts: its cells' texts)."""
    first = next((t.strip() for t in texts if t.strip()), "")
    return bool(texts) and bool(_NOTE_CELL_RE.match(re.sub(r"\s+", "", texts[0])) or _NOTE_TEXT_RE.match(first))


def classify_row(raw: list[list[str]], line: int, header: list[str], section: str | None):
    """Return ("section", text) / ("header", None) / ("note", None) / ("row", Row) / ("cont", Row)
    for raw cells."""
    first = raw[0][0] if raw and raw[0] else ""
    texts = [" ".join(c) for c in raw]
    if texts == header:
        return "header", None
    if is_note_row(texts):
        return "note", None
    m = ROW_NUMBER_RE.match(first)
    if m:
        return "row", Row(line, m.group(1), raw, section)
    if first and not any(texts[1:]):
        return "section", "".join(raw[0])  # "一、健全服务体系", maybe with empty cells
    if not first and any(texts[1:]):
        return "cont", Row(line, "", raw, section)
    raise LayoutError(line, f"unrecognised table row starting {first[:20]!r}")


def merge_continuation(prev: Row, cont: Row) -> None:
    """Append the cells of a row continued across a page break to the previous row."""
    for i, cell in enumerate(cont.cells[1:], start=1):
        if i < len(prev.cells):
            prev.cells[i] += [t for t in cell if t]
        else:
            prev.cells.append(cell)


def add_row(table: Table, kind: str, value, section: str | None) -> str | None:
    """Store one classified row in table; return the current section."""
    if kind == "section":
        return value
    if kind == "row":
        table.rows.append(value)
    elif kind == "cont":
        if not table.rows:
            raise LayoutError(value.line, "continuation row before any numbered row")
        merge_continuation(table.rows[-1], value)
    return section
