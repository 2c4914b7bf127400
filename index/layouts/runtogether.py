"""Tables whose rows ran together when copied out of a PDF or a web page: a header line
("序号 重点任务 责任单位 完成时限"), then row after row with no separator at all —
row number, task text, the free-text unit clause, (the deadline,) the next row number:

    1建立基本养老服务清单。市民政局牵头，市财政局配合2025年底2完善……

A row starts at the next number in sequence where the text before it ends a clause (a role
word, a unit's last character, a date, a full stop): "建设2个中心" does not start row 2.
The unit clause is the row's last sentence when the grammar reads it whole.
"""
from __future__ import annotations

import re

from index.cells import CellError, parse_cell
from index.layouts.base import Row, Table, column_kinds, is_heading_line

_HEADER_WORDS_RE = re.compile(r"(序号|编号|重点任务|主要任务|工作任务|任务内容|具体措施|工作内容|责任单位|责任部门|"
                              r"牵头单位|牵头部门|负责单位|负责部门|完成时限|完成时间|时间节点)")
_ROW_START_RE = re.compile(r"(\d{1,3})\s*[.、．]?\s*(?=[\u4e00-\u9fff“（(])")
_CLAUSE_END = set("责头合加与助局委府办会心院队部处行司所站室团联门组署台关区县市镇乡村位社馆校园年月底末日前。；;）) ")
_DEADLINE_TAIL_RE = re.compile(r"(\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*[底末])?(?:\s*前)?|长期|持续推进|常态化推进)\s*$")
_UNIT_END = set("局委厅办会府心院队部处行司所站室团联门组署台关社馆校园场庭科股协盟构位业学省市县州乡镇村旗道央区）")


def _header(line: str) -> list[str] | None:
    """The column words of a run-together header line, or None."""
    words = _HEADER_WORDS_RE.findall(re.sub(r"\s+", "", line))
    if len(words) < 3 or words[0] not in ("序号", "编号") or "".join(words) != re.sub(r"\s+", "", line):
        return None
    kinds = column_kinds(words)
    if "task" not in kinds or sum(k in ("lead", "support", "responsible") for k in kinds) != 1:
        return None  # two unit columns side by side cannot be told apart without separators
    return words


def _units_tail(chunk: str) -> tuple[str, str]:
    """Split a row's text into (task, unit clause) at the last sentence the grammar reads whole."""
    for m in reversed(list(re.finditer(r"[。；;]\s*|\s+", chunk))):
        tail = chunk[m.end():].strip()
        if not tail:
            continue
        try:
            roles = parse_cell(tail)
        except CellError:
            continue
        names = [n for k in ("lead", "support", "responsible", "local") for n in roles[k]]
        if names and all(n[-1] in _UNIT_END for n in names):
            return chunk[:m.end()].strip(), tail
    return chunk.strip(), ""


def find(lines: list[str], i: int, section: str | None) -> Table | None:
    """Read a run-together table whose header is lines[i], if it is one."""
    if "\t" in lines[i] or "|" in lines[i]:
        return None
    words = _header(lines[i])
    if words is None:
        return None
    kinds = column_kinds(words)
    has_deadline = "deadline" in kinds
    unit_kind = next(k for k in kinds if k in ("lead", "support", "responsible"))
    table = Table("runs", ["序号", "任务", unit_kind] + (["完成时限"] if has_deadline else []),
                  ["number", "task", unit_kind] + (["deadline"] if has_deadline else []), [], i, i + 1)
    # The text after the header, with the sections met on the way (offset → heading).
    text, sections, j, blank = "", [], i + 1, 0
    while j < len(lines):
        line = lines[j].strip()
        if not line:
            blank += 1
            if blank >= 2:
                break
        elif line.startswith("附件"):
            break
        elif is_heading_line(line):
            sections.append((len(text), line))
            blank = 0
        else:
            text += line
            blank = 0
        j += 1
    table.end = j
    starts, expected = [], None
    for m in _ROW_START_RE.finditer(text):
        n = int(m.group(1))
        before = text[m.start() - 1] if m.start() else ""
        if (expected is None and m.start() == 0) or (n == expected and before in _CLAUSE_END):
            starts.append((m.start(), m.end(), str(n)))
            expected = n + 1
    for k, (start, body, number) in enumerate(starts):
        chunk = text[body: starts[k + 1][0] if k + 1 < len(starts) else len(text)]
        deadline = ""
        if has_deadline:
            d = _DEADLINE_TAIL_RE.search(chunk)
            if d:
                deadline, chunk = d.group(1), chunk[:d.start()]
        task, units = _units_tail(chunk)
        sec = next((h for at, h in reversed(sections) if at <= start), section)
        cells = [[number], [task], [units] if units else []] + ([[deadline] if deadline else []] if has_deadline else [])
        table.rows.append(Row(i + 2, number, cells, sec))
    return table if table.rows else None
