"""PDF characters → lines, and which printed lines are one line wrapped in two.

A PDF keeps no cells' "paragraphs", only glyphs at positions. In a narrow table cell Word
wraps a unit over several printed lines (`人力资源社` / `会保障部`) and starts each unit on a
line of its own. The rule that tells a wrap from a new unit, for any cell or text column:

1. Geometry: Chinese text wraps at any character, so a wrapped line runs to the right edge
   of its box: what starts the next line would not have fitted in the room left. A line that
   stops short of that ended there (the end of a unit or a paragraph). What Word moves down
   whole counts: a run of digits or Latin letters ("2019"), and a character kept with a
   following 。，） (no line may start with it) or a preceding （“ (no line may end with it).
2. Text: a full line that already ends in an agency suffix (部 局 委 办 厅 … 中心 公司 街道) is a
   unit that happens to fill the width (`发展改革委` then `粮食和储备局`): it ends there, unless
   the next line starts with 和 、 与 及 (`各有关部门` / `和单位`): no unit starts with one; or
   the suffix begins a longer word the next line completes (`县政府有关部` / `门`, `办` / `公室`).
   (Place endings such as 乡 村 镇 区 are no unit ends: `住房城乡` / `建设部`, `农业农村` / `部`.)
   A line ending in 和 、 与 及 or a comma always goes on: no unit ends in a conjunction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.readers.common import fold

# Characters Word does not put at the start / end of a line (kinsoku).
_NO_LINE_START = set("，。、；：？！）》」』】〕”’…·,.;:?!)]%")
_NO_LINE_END = set("（《「『【〔“‘([")
_CONTINUES_RE = re.compile(r"[和与及、，,]$")
_STARTS_JOINED_RE = re.compile(r"[和与及、，,]")  # a unit never starts with a conjunction
# A suffix that is also the first character of a longer word: 部门, 办公室, 委员会, 社会.
_WORD_GOES_ON = {"部": "门", "办": "公", "委": "员", "社": "会"}
_LATIN_RE = re.compile(r"[A-Za-z0-9.%+\-]+")
_UNIT_END_RE = re.compile(
    r"(?:[部局委署厅办府院司处室所站队馆社]|团中央|中心|公司|集团|银行|街道|社区|部门|单位|海关|小组|"
    r"委员会|管委会|协会|工会|商会|学会|基金会|联合会|监会|红十字会|工商联|残联|妇联|侨联|文联|科协)$")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    widths: list[float] = field(default_factory=list)  # each character's width, as text


def char_rows(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into printed lines, top to bottom, each sorted left to right: a
    character joins a line when its vertical centre lies within half a glyph of the line's."""
    chars = sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"]))
    rows: list[list[dict]] = []
    for ch in chars:
        mid = (ch["top"] + ch["bottom"]) / 2
        for row in reversed(rows[-3:]):
            ref = row[0]
            if abs(mid - (ref["top"] + ref["bottom"]) / 2) <= max(ref["bottom"] - ref["top"], 1) / 2:
                row.append(ch)
                break
        else:
            rows.append([ch])
    for row in rows:
        row.sort(key=lambda c: c["x0"])
    return rows


def chars_to_lines(chars: list[dict]) -> list[Line]:
    """Group characters into printed lines, top to bottom, left to right within a line.

    Characters whose vertical centres lie within half a glyph of a line's join it; a gap of
    more than a quarter glyph between two characters is a space (the PDF often has no space
    glyph, as with the spaced names "张  伟"), a gap wider than one and a half glyphs a run of
    spaces (columns without rules).
    """
    lines = []
    for row in char_rows([c for c in chars if c.get("text") and c.get("upright", True)]):
        text, widths, prev = "", [], None
        for ch in row:
            size = max(ch.get("size", 0) or 0, ch["bottom"] - ch["top"], 1)
            gap = ch["x0"] - prev["x1"] if prev is not None else 0
            # Between Latin letters a quarter em is a word space; next to a Chinese character it
            # is the autospace Word and LibreOffice put around digits ("至 1个"), not a space.
            latin = prev is not None and prev["text"][-1:].isascii() and ch["text"][:1].isascii()
            if prev is not None and gap > size * (0.25 if latin else 0.5) and not text.endswith(" ") \
                    and ch["text"] != " ":
                # A word gap is one space; a gap of columns (a table drawn without rules) is a
                # run of spaces, so that layouts can still tell its cells apart.
                n = 1 if gap < size * 1.5 else min(8, max(2, round(gap / size)))
                text, widths = text + " " * n, widths + [gap / n] * n
            glyph = fold(ch["text"])
            text += glyph
            widths += [(ch["x1"] - ch["x0"]) / max(len(glyph), 1)] * len(glyph)
            prev = ch
        start, end = len(text) - len(text.lstrip()), len(text.rstrip())
        text, widths = text[start:end], widths[start:end]
        if text:
            sizes = [c.get("size") or (c["bottom"] - c["top"]) for c in row]
            lines.append(Line(text, min(c["x0"] for c in row), max(c["x1"] for c in row),
                              min(c["top"] for c in row), max(c["bottom"] for c in row),
                              max(sizes) if sizes else 10.0, widths))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _first_token_width(line: Line) -> float:
    """Width of what Word had to move down whole: the next line's first character, or its
    leading run of Latin letters and digits ("2019"), plus a following 。，）that may not start
    a line, or the character after an opening （“ that may not end one."""
    text, widths = line.text, line.widths or [line.size] * len(line.text)
    m = _LATIN_RE.match(text)
    n = len(m.group()) if m else 1
    if text[:1] in _NO_LINE_END and len(text) > n:
        n += 1
    if text[n:n + 1] in _NO_LINE_START:
        n += 1
    return sum(widths[:n])


def is_full(line: Line, right: float, next_line: Line | None) -> bool:
    """True when the line runs to `right` (the box's right edge less its padding): what starts
    the next line would not have fitted on this one."""
    need = _first_token_width(next_line) if next_line is not None else line.size
    return right - line.x1 < need - 0.05


def wraps(line: Line, right: float, next_line: Line | None, prose: bool = False) -> bool:
    """True when the next printed line continues this one (see the module's rule).

    In prose (a box whose text has sentence punctuation) geometry alone decides: a sentence
    wraps at 部 or 局 as often as anywhere else.
    """
    if next_line is None:
        return False
    if _CONTINUES_RE.search(line.text):
        return True
    if not is_full(line, right, next_line):
        return False
    if prose or not _UNIT_END_RE.search(line.text) or _STARTS_JOINED_RE.match(next_line.text):
        return True
    return next_line.text[:1] == _WORD_GOES_ON.get(line.text[-1:], "")


def join_wrapped(lines: list[Line], left: float, right: float) -> tuple[list[str], float]:
    """The box's logical lines (wraps joined) and the right edge its lines wrap at.

    `left`/`right` are the box's edges; its padding is taken as the gap between the left
    edge and the leftmost line, the same on the right.
    """
    if not lines:
        return [], right
    pad = max(0.0, min(ln.x0 for ln in lines) - left)
    edge = right - pad
    prose = is_prose(lines)
    out: list[str] = []
    glue = False
    for i, ln in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if glue and out:
            out[-1] += ln.text
        else:
            out.append(ln.text)
        glue = wraps(ln, edge, nxt, prose)
    return out, edge


def is_prose(lines: list[Line]) -> bool:
    """Sentences, not a list of units: the text has sentence punctuation."""
    return any(ch in ln.text for ln in lines for ch in "。，；：,;")
