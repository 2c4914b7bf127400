"""Layout rules: how the genre lays out its tasks, each rule one module registered here.

Rules over runs of lines (TABLE_RULES) find the tables printed as text: a plain-text file,
or the paragraphs of any document. Each is `find(lines, i, section) -> Table | None`, tried
in order at every line; a new text layout is one module and one line in TABLE_RULES.
Real tables (Table blocks of .docx/.xlsx/.html/.pdf/markdown) go to `blocktable`. Numbered
prose items are read by `prose`, working groups and duties by `people`.
"""
from __future__ import annotations

from index.layouts import celltable, pipes, runtogether, spaced, tsv
from index.layouts.base import (
    CN_DIGITS,
    HEADING_RE,
    SUBHEADING_RE,
    LayoutError,
    Paragraph,
    Row,
    Table,
    cn_value,
    column_kinds,
    section_numeral,
)
from index.layouts.people import read_duties, read_people
from index.layouts.prose import lead_rule_line, read_paragraphs

TABLE_RULES = (
    celltable.find,  # Word-export cells: a TAB-led line per cell, blank line between rows
    tsv.find,  # one row per line, TAB between cells
    pipes.find,  # one cell per line ending in " |"
    spaced.find,  # one row per line, runs of spaces between cells
    runtogether.find,  # rows run together: number, task, unit clause, next number
)

__all__ = ["CN_DIGITS", "HEADING_RE", "SUBHEADING_RE", "LayoutError", "Paragraph", "Row", "Table", "TABLE_RULES",
           "cn_value", "column_kinds", "lead_rule_line", "read_duties", "read_paragraphs", "read_people",
           "read_tables", "section_numeral"]


def read_tables(lines: list[str]) -> list[Table]:
    """Find every task table printed as text in lines, in order."""
    tables: list[Table] = []
    section = None
    i = 0
    while i < len(lines):
        table = next((t for rule in TABLE_RULES if (t := rule(lines, i, section)) is not None), None)
        if table is None:
            i += 1
            continue
        tables.append(table)
        if table.rows:
            section = table.rows[-1].section
        i = max(table.end, i + 1)
    return tables
