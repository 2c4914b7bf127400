"""Parse a task-division document (分工表 / 方案) into tasks, people and duties.

parse_document = a reader (index.readers: the file → blocks) + the layout rules
(index.layouts: blocks → tables, prose items, people, duties) + roles (index.cells).
Paragraphs are laid out as lines, so the rules for tables printed as text (Word-export
cells, TSV, " |" cells, runs of spaces) and for prose items read any format's paragraphs;
real tables go to the block-table rule. A prose plan whose appendix table indexes its
paragraphs is linked. A cell the grammar does not know is a warning (its units are kept as
printed, in responsible); only an unreadable file, a file with no task, a scan or a broken
table structure raises ParseError naming file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from index.blocks import BlockDocument, Paragraph as BlockParagraph, Table as BlockTable
from index.cells import (CellError, deadline_values, extract_labelled, labelled_deadlines, parse_cell, parse_first_lead,
                         split_labels, split_units)
from index.timephrases import find_deadlines
from index.layouts import (
    HEADING_RE,
    LayoutError,
    Paragraph,
    Row,
    Table,
    cn_value,
    lead_rule_line,
    read_duties,
    read_paragraphs,
    read_people,
    read_tables,
    section_numeral,
)
from index.layouts import blocktable
from index.readers import ReadError, read_blocks
from index.due import due_dates
from index.store import TASK_FIELDS

TASK_KEYS = TASK_FIELDS  # the task object's fields, defined once in index.store
_TITLE_WORDS = ("分工表", "分工方案", "方案", "分工", "任务清单", "清单")


class ParseError(ValueError):
    """A document that cannot be read: str() is "FILE:LINE: reason"."""

    def __init__(self, path: str | Path, line: int, reason: str):
        super().__init__(f"{path}:{line}: {reason}")
        self.path = str(path)
        self.line = line
        self.reason = reason


class UnreadableFile(ParseError):
    """The file itself could not be read (its kind, its encoding, a damaged file): the
    reason is the reader's, for the user as it is."""


@dataclass
class Document:
    """Everything parsed from one document."""

    source: str
    title: str | None
    jurisdiction: str | None
    tasks: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    duties: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # its tokenizer words (index.build.document_vocabulary), computed where the time is free
    vocabulary: dict[str, int] | None = None
    vocabulary_key: str | None = None


def parse_document(path: str | Path, *, source: str | None = None, jurisdiction: str | None = None,
                   title: str | None = None) -> Document:
    """Read the document at path (any registered format) and parse it; source defaults to the stem."""
    path = Path(path)
    try:
        blocks = read_blocks(path)
    except ReadError as err:
        raise UnreadableFile(path, getattr(err, "line", 1), err.reason) from None
    return parse_blocks(blocks, source or path.stem, jurisdiction=jurisdiction, title=title, path=path)


def parse_text(text: str, source: str, *, jurisdiction: str | None = None, title: str | None = None,
               path: str | Path | None = None) -> Document:
    """Parse document text; path (default: source) is only used in messages."""
    from index.readers.text import blocks_of

    where = path or source
    return parse_blocks(BlockDocument(str(where), blocks_of(text)), source, jurisdiction=jurisdiction,
                        title=title, path=where)


def _lines_of(blocks: BlockDocument) -> tuple[list[str], list[str]]:
    """The paragraphs as lines, and where each came from: at their line number when the
    reader gives one ("line 12"), else one after another with a blank line where a table stood."""
    lines: list[str] = []
    wheres: list[str] = []
    for b in blocks.blocks:
        if isinstance(b, BlockParagraph):
            m = re.fullmatch(r"line (\d+)", b.where)
            while m and len(lines) < int(m.group(1)) - 1:
                lines.append("")
                wheres.append(f"line {len(lines)}")
            lines.append(b.text)
            wheres.append(b.where)
        else:
            lines.append("")
            wheres.append(b.where)
    return lines, wheres


def _block_tables(blocks: BlockDocument, warnings: list[str]) -> list[Table]:
    """The task tables among the real tables of the document.

    A table split by section (一、教育类 / its table / 二、医疗类 / its table) takes its section
    from the heading printed just above it; a workbook's sheet starts a section of its own,
    named by the sheet unless Excel named it (Sheet1)."""
    tables, section, above, carried = [], None, [], []
    for b in blocks.blocks:
        if isinstance(b, BlockParagraph):
            above.append(b.text.strip())
            continue
        if isinstance(b, BlockTable):
            if b.name is not None:
                section = None if re.fullmatch(r"(?i)(sheet|工作表)\s*\d*", b.name.strip()) else b.name.strip()
                carried = []  # a sheet is a table of its own
            heading = next((t for t in reversed(above[-2:]) if blocktable.is_section_heading(t)), None)
            section, above = heading or section, []
            b = blocktable.continues(b, carried)  # a table going on without its header
            table, section = blocktable.read(b, section, warnings)
            if table is not None and table.rows:
                tables.append(table)
                carried = blocktable.header_rows(b)
    return tables


def parse_blocks(blocks: BlockDocument, source: str, *, jurisdiction: str | None = None,
                 title: str | None = None, path: str | Path | None = None) -> Document:
    """Parse a document read into blocks."""
    where = path or blocks.path or source
    lines, wheres = _lines_of(blocks)
    if not blocks.text().strip():
        raise ParseError(where, 1, "empty file")
    doc = Document(source, title or guess_title(blocks.text().splitlines()), jurisdiction)
    doc.warnings += blocks.warnings
    ctx = _Context(str(where), doc.warnings, lead_rule_line(lines), wheres)
    try:
        tables = [t for t in read_tables(lines) if t.rows]
        skip = {i for t in tables for i in range(t.start, t.end)}
        tables += _block_tables(blocks, doc.warnings)
        paragraphs = read_paragraphs(lines, skip)
        rows = _dedupe_rows([(t, r) for t in tables for r in t.rows], doc.warnings)
        if tables and paragraphs:
            doc.tasks = _linked_tasks(rows, paragraphs, source, ctx)
        elif tables:
            doc.tasks = [_row_task(table, row, source, ctx) for table, row in rows]
        elif paragraphs:
            doc.tasks = [_paragraph_task(p, source, ctx) for p in paragraphs]
        else:
            raise ParseError(where, 1, "no recognisable task table or task paragraphs")
    except LayoutError as err:  # raised with a line number; add the file name (and the paragraph)
        at = ctx.where_of(err.line)
        reason = err.reason if at == f"line {err.line}" else f"{at}: {err.reason}"
        raise ParseError(where, err.line, reason) from None
    _qualify_numbers(doc.tasks)
    doc.people, people_warnings = read_people(lines)
    doc.warnings += people_warnings
    doc.duties = read_duties(lines)
    return doc


@dataclass
class _Context:
    """What building tasks needs besides the rows: the file, the warnings list, and the line
    from which "first listed is the lead" holds (None: no such rule in the document)."""

    path: str
    warnings: list[str]
    lead_rule: int | None
    wheres: list[str] = field(default_factory=list)

    def where_of(self, line: int) -> str:
        """Where the 1-based line came from in the file: "line 12", "paragraph 40"."""
        return self.wheres[line - 1] if 0 < line <= len(self.wheres) else f"line {line}"


def guess_title(lines: list[str]) -> str | None:
    """Return the first short line naming the document (…分工表, …方案), or None."""
    for line in lines:
        t = line.strip()
        if not 4 <= len(t) <= 60 or not any(w in t for w in _TITLE_WORDS):
            continue
        if re.search(r"[。，；：:《》]", t) or re.match(r"^(附件|\d|[（(])", t) or HEADING_RE.match(t):
            continue
        return t
    return None


def _clean(text: str) -> str:
    """Remove line breaks and tabs; keep inner spaces as printed."""
    return re.sub(r"[\r\n\t]", "", text).strip()


def _dedupe_rows(rows: list[tuple[Table, Row]], warnings: list[str]) -> list[tuple[Table, Row]]:
    """Drop rows printed twice (e.g. repeated across a page break); keep the first."""
    seen: dict[tuple, Row] = {}
    out = []
    for table, row in rows:
        key = (row.section, row.number, tuple(_clean("".join(c)) for c in row.cells))
        if key in seen:
            here, there = (row.where, seen[key].where) if row.where else (f"line {row.line}", f"line {seen[key].line}")
            warnings.append(f"{here}: row {row.number} repeats {there}; kept one")
            continue
        seen[key] = row
        out.append((table, row))
    return out


def _columns(table: Table, row: Row, warnings: list[str] | None = None) -> dict[str, list[str]]:
    """Map a row's cells to column kinds; a task column may span name + text cells."""
    kinds = list(table.kinds)
    if kinds.count("task") >= 2 and "title" not in kinds:
        kinds[kinds.index("task")] = "title"  # 重点任务 | 具体措施: the first names the task
    if len(row.cells) == len(kinds) + 1 and "title" not in kinds and "task" in kinds:
        at = kinds.index("task")
        kinds[at:at + 1] = ["title", "task"]  # "工作任务" heads a name cell and a text cell
    if len(row.cells) < len(kinds) and "task" in kinds:
        # A task cell merged across the columns beside it (全年目标任务 under 主要任务)…
        at = kinds.index("task") + 1
        while len(row.cells) < len(kinds) and at < len(kinds) and kinds[at] == "other":
            del kinds[at]
        # …and empty cells left out at the end of the row (备注, 说明).
        if len(row.cells) < len(kinds) and all(k in ("other", "person") for k in kinds[len(row.cells):]):
            kinds = kinds[:len(row.cells)]
    if len(row.cells) != len(kinds) and row.where:
        # A real table's row of another shape (cells merged across columns): keep the task,
        # say where, rather than lose the document.
        cells = row.cells[:len(kinds)] + [[] for _ in range(len(kinds) - len(row.cells))]
        dropped = [t for c in row.cells[len(kinds):] for t in c if t.strip()]
        warning = f"{row.where}: row {row.number} has {len(row.cells)} cells, the header has {len(table.kinds)}"
        row.cells = cells
        if warnings is not None:
            warnings.append(warning + (f"; dropped {dropped!r}" if dropped else "; read left to right"))
    if len(row.cells) != len(kinds):
        raise LayoutError(row.line, f"{_where(row)}row {row.number} has {len(row.cells)} cells, "
                                    f"the header has {len(table.kinds)}")
    cols: dict[str, list[str]] = {}
    for kind, cell in zip(kinds, row.cells):
        cols.setdefault(kind, []).extend(cell)
    return cols


def _where(row: Row) -> str:
    """ "table 2 row 5: " for a row of a real table; "" for a line of text (the line is reported)."""
    return f"{row.where}: " if row.where else ""


_GENERIC_RE = re.compile(r"^(各|有关|相关|其他|其它|地方各|全国各)")


def _first_is_lead(roles: dict) -> None:
    """Apply "first listed is the lead" to a bare list: its first named unit leads, the other
    named units support; generic collectives (各有关部门和单位) stay where they are."""
    if roles["lead"]:
        return
    named = [n for n in roles["responsible"] if not _GENERIC_RE.match(n)]
    if not named:
        return
    roles["lead"] = named[:1]
    roles["support"] += [n for n in named[1:] if n not in roles["support"]]
    roles["responsible"] = [n for n in roles["responsible"] if n not in named]


def _as_printed(text: str) -> list[str]:
    """The units of a cell the grammar could not read, as printed (labels and people left out)."""
    names: list[str] = []
    for kind, value in split_labels(text):
        if kind not in ("deadline", "person", "scope"):
            names += [n for n in split_units(value) if n not in names]
    return names


def _roles(cols: dict[str, list[str]], labelled: str, where: str, number: str, ctx: _Context,
           first_is_lead: bool = False) -> dict:
    """Combine the roles of the unit columns and of a labelled part of the task text.

    Beside a lead (a filled 牵头 cell) every other unit column is support; with none, a
    责任单位 column is responsible. A cell the grammar does not
    know is a warning; its units are kept as printed, in responsible.
    """
    roles = {"lead": [], "support": [], "responsible": [], "local": [], "others": False}
    # this row names a lead (in a 牵头 column, or first in a 牵头单位；配合单位 column)
    beside_lead = any(t.strip() for k in ("lead", "first_lead") for t in cols.get(k, []))
    cells = [(cols.get(k), "support" if k == "responsible" and beside_lead else k)
             for k in ("first_lead", "lead", "support", "responsible")] + [([labelled], "responsible")]
    for cell, default in cells:
        text = "\n".join(cell or []).strip()
        if not text:
            continue
        try:
            part = parse_first_lead(text) if default == "first_lead" else parse_cell(text, default=default)
        except CellError as err:
            ctx.warnings.append(f"{ctx.path}:{where}: task {number}: {err}; units kept as printed "
                                f"in responsible: {text!r}")
            part = {"lead": [], "support": [], "responsible": _as_printed(text), "local": [], "others": False}
        for key in ("lead", "support", "responsible", "local"):
            roles[key] += [n for n in part[key] if n not in roles[key]]
        roles["others"] = roles["others"] or part["others"]
    if first_is_lead:
        _first_is_lead(roles)
    return roles


def _deadlines(cols: dict[str, list[str]], task: str, labelled: str) -> list[str]:
    """Deadlines from a 完成时限 column or label, else from the task text."""
    if "deadline" in cols:
        return deadline_values("\n".join(cols["deadline"]))
    # a 责任单位及完成时限 cell: "牵头单位：A；完成时限：2025年底" or "A牵头，2025年底前完成"
    in_units = [d for k in ("first_lead", "lead", "support", "responsible")
                for d in labelled_deadlines("\n".join(cols.get(k, [])))]
    return labelled_deadlines(labelled) or list(dict.fromkeys(in_units)) or find_deadlines(task)


def _task(source: str, section, number, title, task, roles: dict, deadlines: list[str]) -> dict:
    """Assemble a task dict with exactly TASK_KEYS."""
    return {"source": source, "section": section, "number": number, "title": title, "task": task,
            **{k: roles[k] for k in ("lead", "support", "responsible", "local", "others")},
            "deadlines": deadlines, "due": due_dates(deadlines)}


def _row_where(row: Row, ctx: _Context) -> str:
    return row.where or ctx.where_of(row.line)


def _row_rule(row: Row, ctx: _Context) -> bool:
    """Does "first listed is the lead" hold for this row? (A real table's rows: stated anywhere.)"""
    return ctx.lead_rule is not None and (row.line == 0 or row.line >= ctx.lead_rule)


def _row_task(table: Table, row: Row, source: str, ctx: _Context) -> dict:
    """Build a task from a table row whose task column holds the task text."""
    cols = _columns(table, row, ctx.warnings)
    task, labelled = extract_labelled(_clean("".join(cols.get("task", []))))
    title = _clean("".join(cols["title"])) if "title" in cols else None
    roles = _roles(cols, labelled, _row_where(row, ctx), row.number, ctx, _row_rule(row, ctx))
    return _task(source, row.section, row.number, title or None, task, roles, _deadlines(cols, task, labelled))


def _paragraph_task(p: Paragraph, source: str, ctx: _Context) -> dict:
    """Build a task from a numbered prose paragraph with its own unit list."""
    rule = ctx.lead_rule is not None and ctx.lead_rule <= p.end
    roles = _roles({}, p.units, ctx.where_of(p.line), p.number, ctx, rule)
    first = re.match(r"^([^。；]{2,30})。", p.body)
    return _task(source, p.section, p.number, first.group(1) if first else None, p.body, roles,
                 labelled_deadlines(p.units) or find_deadlines(p.body))


def _find_paragraph(title: str, sections: list, row: Row, paragraphs: list[Paragraph], used: set[int]):
    """Find the paragraph a table row indexes: by its title, else by run and number."""
    key = re.sub(r"\s+", "", title)
    for i, p in enumerate(paragraphs):
        if i not in used and key and re.sub(r"\s+", "", p.body).startswith(key):
            return i, "title"
    run = sections.index(row.section)
    for i, p in enumerate(paragraphs):
        if i not in used and p.run == run and cn_value(p.number) == cn_value(row.number):
            return i, "position"
    return None, None


def _linked_tasks(rows: list[tuple[Table, Row]], paragraphs: list[Paragraph], source: str,
                  ctx: _Context) -> list[dict]:
    """Build tasks of a prose plan whose appendix table indexes the numbered paragraphs.

    Title and section come from the table row; the task text and deadlines from
    the paragraph; roles from the table cell (the authoritative assignment).
    """
    warnings = ctx.warnings
    sections = list(dict.fromkeys(r.section for _, r in rows))
    used: set[int] = set()
    tasks = []
    for table, row in rows:
        cols = _columns(table, row, warnings)
        title = _clean("".join(cols.get("title", cols.get("task", []))))
        at, how = _find_paragraph(title, sections, row, paragraphs, used)
        if at is None:
            warnings.append(f"line {row.line}: no paragraph found for row {row.number} {title!r}")
            task, labelled = title, ""
        else:
            used.add(at)
            para = paragraphs[at]
            task, labelled = para.body, ""
            if how == "position":
                warnings.append(f"line {row.line}: row {row.number} linked to line {para.line} by position")
            _compare_units(row, cols, para, warnings)
        roles = _roles(cols, labelled, _row_where(row, ctx), row.number, ctx, _row_rule(row, ctx))
        tasks.append(_task(source, row.section, row.number, title or None, task, roles,
                           _deadlines(cols, task, labelled)))
    for i, p in enumerate(paragraphs):
        if i not in used:
            warnings.append(f"line {p.line}: task paragraph {p.number} is not in the table")
    return tasks


def _compare_units(row: Row, cols: dict[str, list[str]], para: Paragraph, warnings: list[str]) -> None:
    """Warn when a paragraph's own unit list differs from its table row."""
    cell = [n for k in ("first_lead", "lead", "support", "responsible") for n in split_units("\n".join(cols.get(k, [])))]
    if sorted(cell) != sorted(split_units(para.units)):
        warnings.append(f"line {para.line}: units differ from table row {row.number} (line {row.line})")


def _qualify_numbers(tasks: list[dict]) -> None:
    """When numbering restarts per section, number tasks as section numeral + "." + number."""
    numbers = [t["number"] for t in tasks]
    if len(set(numbers)) == len(numbers):
        return
    for t in tasks:
        numeral = section_numeral(t["section"])
        if numeral and "." not in t["number"]:  # "一.二" is qualified already
            t["number"] = f"{numeral}.{t['number']}"
