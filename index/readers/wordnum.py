"""Word's automatic list numbering, rendered as Word shows it ("一、", "（二）", "3.").

A numbered paragraph stores no number in its text: only w:numPr (numId, ilvl), directly or
through its style. The label comes from numbering.xml: the num's abstractNum gives each
level's start, format and pattern (lvlText "%1、"); lists sharing an abstractNum continue one
count unless a num restarts it (lvlOverride/startOverride). Without this a 序号 column or a
（一）… item list reads back empty.
"""
from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "零一二三四五六七八九"
BULLET = "●"  # whatever symbol Word draws: the layouts read it as a list item's mark
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"


def _chinese(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0 or n >= 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out = digits[h] + hundred if h else ""
    if t:
        if h or t > 1:
            out += digits[t]
        out += ten
    elif h and u:
        out += digits[0]
    if u:
        out += digits[u]
    return out


def _letters(n: int) -> str:
    # Word's letter numbering repeats the letter: a … z, aa … zz.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in one of Word's numFmt values (unknown formats fall back to decimal)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographDigital"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾", "佰")
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


def _val(el, tag: str) -> str | None:
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val") if child is not None else None


class Numbering:
    """Counters of one document's lists; label() is called once per paragraph, in order."""

    def __init__(self, numbering_el):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId → ilvl → …
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}         # numId → (abstract, overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.seen: set[str] = set()
        if numbering_el is None:
            return
        for an in numbering_el.findall(W + "abstractNum"):
            levels = {}
            for lvl in an.findall(W + "lvl"):
                start = _val(lvl, "start")
                levels[int(lvl.get(W + "ilvl", "0"))] = (
                    int(start) if start and start.lstrip("-").isdigit() else 1,
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                )
            self.levels[an.get(W + "abstractNumId")] = levels
        for num in numbering_el.findall(W + "num"):
            overrides = {}
            for ov in num.findall(W + "lvlOverride"):
                start = _val(ov, "startOverride")
                if start and start.isdigit():
                    overrides[int(ov.get(W + "ilvl", "0"))] = int(start)
            self.nums[num.get(W + "numId")] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, num_id: str | None, ilvl: int) -> str:
        """The label Word prints before this paragraph (BULLET for a bullet, "" for none)."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.seen:
            # A num with startOverride restarts the shared list at its first paragraph.
            self.seen.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
                for deeper in [k for k in counters if k > lvl]:
                    del counters[deeper]
        start, fmt, text = levels.get(ilvl, (1, "decimal", f"%{ilvl + 1}."))
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            return BULLET  # an item of a list all the same: where an item starts
        if fmt == "none":
            return ""
        out = text
        for k in range(9, 0, -1):
            if f"%{k}" in out:
                lvl_start, lvl_fmt, _ = levels.get(k - 1, (1, "decimal", ""))
                n = counters.get(k - 1, lvl_start)
                out = out.replace(f"%{k}", format_number(n, fmt if k - 1 == ilvl else lvl_fmt))
        return out
