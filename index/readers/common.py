"""What every binary reader shares: text clean-up, hostile-file guards, and merged grids → rows.

Only the standard library here, so importing it costs nothing; the format libraries are
imported by each reader module on first use.
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from index.blocks import TableRow
from index.readers import ReadError

# Zip-bomb guard for .docx/.xlsx: the zip directory states every member's uncompressed size,
# so a bomb is refused before a single byte is inflated. Real task tables are a few MB at most.
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100          # XML compresses 5–20×; a hundredfold on a big file is a bomb
RATIO_FROM = 20 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .doc, .xls, .et, encrypted OOXML
# An encrypted .docx/.xlsx is an OLE container holding these streams (names in UTF-16).
_ENCRYPTED_MARKS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

# Compatibility characters Word and PDF printers emit instead of the ideograph a reader sees:
# Kangxi radicals (⾏ U+2F8F for 行), CJK radicals supplement, compatibility ideographs.
# Only these are NFKC-folded: full NFKC would also turn the genre's full-width （：，；
# into ASCII, which every later rule and every quoted task text relies on.
_COMPAT_RE = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def fold(text: str) -> str:
    """Fold compatibility ideographs (⾏ → 行) and odd spaces; keep full-width punctuation."""
    text = _COMPAT_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return text.replace("\u200b", "").replace("\ufeff", "").replace("\u00a0", " ")


def split_lines(text: str) -> list[str]:
    """A cell's or paragraph's text as its non-empty lines, each stripped and folded."""
    out = []
    for line in re.split(r"\r\n|\r|\n|\u2028|\u2029|\x0b", fold(text)):
        line = line.strip(" \t\u3000")  # inner spaces stay as printed ("张  伟")
        if line:
            out.append(line)
    return out


def read_head(path: Path, n: int) -> bytes:
    """The first n bytes of a file, or ReadError naming why it cannot be opened."""
    try:
        with open(path, "rb") as f:
            return f.read(n)
    except OSError as e:
        raise ReadError(path, f"无法打开文件（{e.strerror or e}）") from None


def guard_file(path: Path, kind: str) -> None:
    """Refuse what is not there, empty, or an OLE file posing as a zip-based Office file."""
    head = read_head(path, 8)
    if path.stat().st_size == 0:
        raise ReadError(path, "文件是空的（0 字节）")
    if head == OLE_MAGIC:
        with open(path, "rb") as f:
            data = f.read(4 * 1024 * 1024)
        if any(m in data for m in _ENCRYPTED_MARKS):
            raise ReadError(path, f"文件设有密码保护，无法读取；请去掉密码后另存为 {kind} 再发送")
        old = ".doc" if kind == ".docx" else ".xls"
        raise ReadError(path, f"这不是 {kind} 文件，而是旧版 Office 格式（{old}）；请改用 {old} 扩展名或另存为 {kind}")


def zip_guard(path: Path, kind: str) -> None:
    """Check a zip-based Office file before opening it: a real zip, no bomb, no password."""
    guard_file(path, kind)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(path, f"文件已损坏或不是真正的 {kind} 文件（不是有效的压缩包）") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNZIPPED or (total > RATIO_FROM and total / packed > MAX_RATIO):
        raise ReadError(path, f"文件解压后过大（{total // (1024 * 1024)} MB），疑似压缩炸弹，已拒绝读取")
    if any(i.flag_bits & 0x1 for i in infos):
        raise ReadError(path, "文件内容被加密，无法读取；请去掉密码后再发送")


@dataclass
class GridCell:
    """One slot of a table grid. Slots covered by one merged cell share the same `origin`."""

    lines: list[str]
    origin: tuple[int, ...]


def grid_rows(grid: list[list[GridCell | None]], where: str,
              wheres: list[str] | None = None) -> list[TableRow]:
    """Rows from a grid where merged cells occupy every slot they cover.

    A horizontal merge appears once (its slots share an origin); a vertical merge repeats the
    top cell's lines in every row it covers; a row whose only cell with text is merged across
    at least two columns and no other cell has text is a section row (spanning=True). Rows with
    no text are dropped. `where` is formatted with the 1-based row number as printed, unless
    `wheres` names each grid row.
    """
    rows: list[TableRow] = []
    for r, slots in enumerate(grid):
        cells: list[list[str]] = []
        widths: list[int] = []
        last = None
        for slot in slots:
            if slot is not None and slot.origin == last:
                widths[-1] += 1
                continue
            cells.append(list(slot.lines) if slot is not None else [])
            widths.append(1)
            last = slot.origin if slot is not None else None
        filled = [i for i, c in enumerate(cells) if c]
        if not filled:
            continue
        spanning = len(filled) == 1 and widths[filled[0]] >= 2 and len(slots) >= 2 \
            and widths[filled[0]] * 2 > len(slots)
        if spanning:
            cells = [cells[filled[0]]]
        rows.append(TableRow(cells=cells, where=wheres[r] if wheres else where.format(r + 1),
                             spanning=spanning))
    return rows


def build_grid(values: list[list[str]], merges: list[tuple[int, int, int, int]]) -> list[list[GridCell | None]]:
    """A grid from cell texts and merged ranges (0-based, inclusive: row lo, row hi, col lo, col hi).

    Every slot a merged range covers holds its top-left cell; trailing columns and rows with
    no text anywhere are cut (a sheet's used range often runs past the table).
    """
    width = max((len(r) for r in values), default=0)
    for r0, r1, c0, c1 in merges:
        width = max(width, c1 + 1)
    height = max(len(values), max((r1 + 1 for r0, r1, c0, c1 in merges), default=0))
    grid: list[list[GridCell | None]] = []
    for r in range(height):
        row = values[r] if r < len(values) else []
        grid.append([GridCell(split_lines(row[c]), (r, c)) if c < len(row) and row[c] else None
                     for c in range(width)])
    for r0, r1, c0, c1 in merges:
        if r0 >= height or c0 >= width:
            continue
        top = grid[r0][c0] or GridCell([], (r0, c0))
        for r in range(r0, min(r1, height - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                grid[r][c] = top
    used = max((c + 1 for row in grid for c, s in enumerate(row) if s is not None and s.lines), default=0)
    return [row[:used] for row in grid]


def text_of_number(value: float, number_format: str = "General") -> str:
    """A spreadsheet number as a person reads it: 1.0 → "1", 0.12 under a % format → "12%"."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if "%" in (number_format or ""):
        pct = value * 100
        return (str(int(round(pct))) if abs(pct - round(pct)) < 1e-9 else f"{pct:g}") + "%"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value)) if abs(value) >= 1e-4 else f"{value:g}"
