"""Plain text and markdown (.txt, .md): one Paragraph per non-blank line, markdown pipe
tables (| a | b | over a |---| separator) as Table blocks.

Encodings: UTF-8 (with or without BOM), else GB18030 (which reads GBK and GB2312), as
Windows tools in China save. A file that is valid UTF-8 up to a bad byte (a file cut inside
a character, a GBK name pasted into UTF-8) is refused naming the byte, offset and line:
reading it as GB18030 would turn its Chinese into other Chinese without a word.
"""
from __future__ import annotations

import re
from pathlib import Path

from index.blocks import BlockDocument, Paragraph, Table, TableRow
from index.readers import ReadError, reader

_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PIPE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def decode(data: bytes, path: str | Path) -> str:
    """Decode UTF-8 (BOM or not) or GB18030; ReadError naming byte, offset and line otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        utf8_err = err
    prefix = data[: utf8_err.start].decode("utf-8-sig")
    if not re.search(r"[\u4e00-\u9fff]", prefix):  # no Chinese read as UTF-8 before the bad byte
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    at = utf8_err.start
    line = data[:at].count(b"\n") + 1
    err = ReadError(path, f"not UTF-8 or GB18030 text at line {line} (byte 0x{data[at]:02x} at offset {at})")
    err.line = line  # index.parse reports FILE:LINE
    raise err


def _cells(line: str) -> list[list[str]]:
    """The cells of a markdown row; <br> inside a cell separates its lines."""
    inner = line.strip()[1:-1]
    out = []
    for cell in inner.split("|"):
        lines = [x.strip() for x in re.split(r"<br\s*/?>", cell.strip()) if x.strip()]
        out.append(lines)
    return out


def blocks_of(text: str) -> list:
    """Paragraphs (where="line N") and markdown tables of a text, in order."""
    lines = text.splitlines()
    blocks: list = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _PIPE_ROW_RE.match(line) and i + 1 < len(lines) and _SEPARATOR_RE.match(lines[i + 1]):
            table = Table([], where=f"line {i + 1}")
            table.rows.append(TableRow(_cells(line), where=f"line {i + 1}"))
            i += 2
            while i < len(lines) and _PIPE_ROW_RE.match(lines[i]):
                cells = _cells(lines[i])
                texts = [c for c in cells if c]
                spanning = len(cells) > 1 and len(texts) == 1 and bool(cells[0])
                table.rows.append(TableRow(cells, where=f"line {i + 1}", spanning=spanning))
                i += 1
            blocks.append(table)
            continue
        heading = _MD_HEADING_RE.match(line)
        if heading:  # "## 一、总体要求": the heading's text, its level kept
            blocks.append(Paragraph(heading.group(2), where=f"line {i + 1}", level=len(heading.group(1))))
        elif line.strip() or "\t" in line:  # a TAB alone is an empty cell of a Word-export table
            blocks.append(Paragraph(line, where=f"line {i + 1}"))
        i += 1
    return blocks


@reader(".txt", ".md")
def read_text(path: Path) -> BlockDocument:
    """Read a plain-text or markdown file into blocks."""
    text = decode(path.read_bytes(), path)
    return BlockDocument(str(path), blocks_of(text))
