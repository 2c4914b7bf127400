"""The document model every layout rule reads: blocks, whatever the file format was.

A reader (index.readers) turns a file into a BlockDocument: paragraphs (a heading is a
paragraph, numbering and all) and tables (rows of cells, each cell a list of lines).
Layout rules (index.layouts) work on these blocks only, never on the file format, so a
.docx table and the same table in a PDF or a web page give the same tasks.

`where` says, in words a user can find in the file, where a block or row came from:
"line 12", "paragraph 40", "table 2 row 5", "sheet 任务 row 7", "page 3".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass
class Paragraph:
    """One paragraph (or one line of a plain-text file), as printed."""

    text: str
    where: str
    level: int | None = None  # heading level when the format marks one (Word style, <h2>)


@dataclass
class TableRow:
    """One row of a table: its cells, each a list of lines (a line is one unit in a unit cell).

    Merged cells are already filled: a vertically merged cell repeats the top cell's lines
    in every row it covers, a horizontally merged one appears once. `spanning` marks a row
    whose one cell spans the whole table (a section row such as "一、健全服务体系").
    """

    cells: list[list[str]]
    where: str
    spanning: bool = False

    def texts(self) -> list[str]:
        """Each cell's lines joined without separator (Chinese text wraps with no space)."""
        return ["".join(c) for c in self.cells]


@dataclass
class Table:
    rows: list[TableRow]
    where: str
    name: str | None = None  # a sheet's name


Block = Union[Paragraph, Table]


@dataclass
class BlockDocument:
    """A file read into blocks, with the reader's warnings (an odd cell, a skipped sheet)."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        """All text, a paragraph or a row per line: for titles, places and search. A
        cell's lines are kept apart by a space (each is a unit in a unit cell:
        县卫健委 / 县民政局 must not read as 县卫健委县民政局)."""
        out = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend("\t".join(" ".join(c) for c in r.cells) for r in b.rows)
        return "\n".join(out)
