"""Prose tasks: numbered items (一、 （一） 1. （1） ①) whose text carries who does them.

Who does an item is said in one of the genre's forms:
- a trailing unit list 〔A、B〕;
- bracketed clauses, labelled (（牵头单位：A；责任单位：B）, （负责部门：A；适用范围：X）) or free
  (（A、B负责）, （A牵头，B配合；各区人民政府负责）), one or several inside one item;
- labelled lines of their own under the item (牵头责任单位：A / 主要协作单位：B).
An item with none of these is a heading or a sentence of the notice, not a task.
A document-level "first listed is the lead" rule (列第一位者为牵头单位，下同) is noted where it
is stated; index.parse applies it to the bare lists from there on.
"""
from __future__ import annotations

import re

from index.cells import LABEL_RE, CellError, extract_labelled, labels_with_colons, parse_cell, split_units
from index.timephrases import find_deadlines, is_time_phrase
from index.layouts.base import CN_DIGITS, LayoutError, Paragraph, cn_value, next_nonblank

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# A numbered paragraph: "1.统筹…" (not "1.5万"), "（一）建立…", "（1）…", "①…", "一、…".
# Also "2）" (a closing bracket only) and decimal numbers "1.1 建设…" (not "1.5万人次").
_PARA_NUMBER_RE = re.compile(
    rf"^\s*(?:(\d+)\s*(?:[.．](?!\d)|、)|[（(]([{CN_DIGITS}]+)[)）]|[（(]?(\d+)[)）]|([{_CIRCLED}])|([{CN_DIGITS}百]+)、"
    r"|(\d{1,2}(?:[.．]\d{1,2})+)(?![\d万亿千百倍个%％])(?=\s|[\u4e00-\u9fff])"
    # a bulleted item (●, ■, ——): numbered here by its place in the list
    r"|([●•■◆▪]|——))\s*"
)
_STYLES = ("digit", "cn", "paren_digit", "circled", "cn_top", "decimal", "bullet")
_UNIT_LIST_RE = re.compile(r"[〔【]([^〔〕【】]+)[〕】]\s*[。.]?\s*$")
# A unit list opened and never closed: the file was cut short (or the list broken).
_UNCLOSED_LIST_RE = re.compile(r"[〔【][^〔〕【】]*$")
# A label line of its own under an item: "牵头责任单位:县卫健委".
# (also in brackets of its own: "（责任单位：县民政局）" on the line under the item)
_LABEL_LINE_RE = re.compile(r"^\s*[（(]?\s*(?:" + LABEL_RE.pattern + ")")
# A bracketed clause, one level of inner brackets allowed: "（各县（市、区）人民政府负责）".
_BRACKET_RE = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]*[)）])+)[)）]")
_ROLE_END_RE = re.compile(r"(负责|牵头|配合|参加|参与|协助|协办|主办|落实|实施)$")
# "列第一位者为牵头单位，下同", "排在第一位的部门为牵头部门，下同", "排名第一位为牵头单位".
# Also "排第一位的为牵头单位", "第一个单位为牵头单位".
LEAD_RULE_RE = re.compile(r"[，。；,;]?\s*(?:(?:列|排|排在|排名|排列|排序|位列|列在)(?:在)?)?(?:第一(?:位|个|名)?|首位|首个)"
                          r"的?(?:者|部门|单位|责任单位)?(?:均)?为牵头(?:单位|部门)(?:[，,]\s*下同)?[。.]?")


def _clause(inner: str) -> tuple[str, str] | None:
    """(the unit clause in a bracket's text, a deadline it also states), or None when the
    bracket says something else. A bracket may add a time after its units:
    "（县交通运输局牵头，县财政局配合；2024年底前）"."""
    inner = labels_with_colons(LEAD_RULE_RE.sub("", inner).strip(" ，。；,;"))
    if not inner or len(inner) > 300 or _ROLE_END_RE.fullmatch(inner):
        return None  # "A（牵头）、B": a mark on the unit before it, not a clause of its own
    if LABEL_RE.match(inner.translate(str.maketrans({":": "："}))):
        return inner, ""
    for mark in "；;，,":
        head, sep, tail = inner.rpartition(mark)
        head = head.strip(" ，。；,;")
        if sep and head and _says_roles(head) and _is_time(tail.strip()):
            return head, tail.strip()
    return (inner, "") if _says_roles(inner) else None


# "A（牵头）、B" / "A（牵头单位）、B": the lead marked inside a list.
_LEAD_MARK_RE = re.compile(r"[（(]牵头(?:单位|部门)?[)）]")


def _says_roles(text: str) -> bool:
    """A unit clause: it ends in a role word (A牵头，B配合) or marks its lead, and is no sentence."""
    return "。" not in text and bool(_ROLE_END_RE.search(text) or _LEAD_MARK_RE.search(text))


def _is_time(text: str) -> bool:
    """A short phrase that is only a time: 2024年底前, 2025年6月, 长期坚持."""
    return 0 < len(text) <= 16 and (bool(find_deadlines(text)) or is_time_phrase(text))


def paragraph_units(text: str) -> tuple[str, str]:
    """Split an item into (body, units) at a trailing 〔…〕, unit clauses or a labelled part."""
    m = _UNIT_LIST_RE.search(text)
    if m:
        return text[: m.start()].rstrip(), m.group(1).strip()
    clauses, spans, times = [], [], []
    for b in _BRACKET_RE.finditer(text):
        found = _clause(b.group(1))
        if found:
            clauses.append(found[0])
            times += [found[1]] if found[1] else []
            spans.append((*b.span(), f"（{found[1]}）" if found[1] else ""))  # a time stays in the text
    if clauses:
        body = text
        for start, end, keep in reversed(spans):
            body = body[:start] + keep + body[end:]
        rest, labelled = extract_labelled(body)  # label lines under the item
        # the bracket's time is the item's deadline: a label of its own, after the units
        timed = [f"完成时限：{t}" for t in times if not find_deadlines(t)]
        return rest.strip(), "；".join(clauses + ([labelled] if labelled else []) + timed)
    body, labelled = extract_labelled(text)
    if labelled:
        return body, labelled
    return _bare_list(text) or _trailing_clause(text)


# A bracket at the end of an item holding only unit names: "（市民政局、市财政局）" (no role
# word: a bare list, whose first leads where the document says so). Its names end as agency
# names do and read as no sentence ("（办公室设在市民政局）" is not a list).
_END_BRACKET_RE = re.compile(r"[（(]([^（）()]+)[)）]\s*[。.；]?\s*$")
_NOT_IN_NAME = set("的在为设是由对将把从向于")


def _bare_list(text: str) -> tuple[str, str] | None:
    m = _END_BRACKET_RE.search(text)
    if not m:
        return None
    names = split_units(m.group(1))
    if not names or not all(3 <= len(n) <= 20 and n[-1] in _STRONG_UNIT_END and not set(n) & _NOT_IN_NAME
                            for n in names):
        return None
    return text[:m.start()].rstrip(), m.group(1).strip()


_UNIT_END = set("局委厅办会府心院队部处行司所站室团联门组署台关社馆校园场庭科股协盟构位业学省市县州乡镇村旗道央区）")
_STRONG_UNIT_END = set("局委厅办会府院队部处行司所站室团联门组署")


def _trailing_clause(text: str) -> tuple[str, str]:
    """An item's last sentence when it is a whole unit clause of its own:
    "建立清单。市民政局牵头，市财政局配合。" → ("建立清单。", "市民政局牵头，市财政局配合")."""
    stripped = text.rstrip("。.； \n")
    cut = max(stripped.rfind("。"), stripped.rfind("；"))
    tail = stripped[cut + 1:].strip()
    # "市民政局牵头，市财政局配合，2025年底前完成": the time after the units is the deadline
    head, comma, when = tail.rpartition("，")
    timed = bool(comma) and is_time_phrase(when)
    tail = head if timed else tail
    if cut < 0 or not tail or not _ROLE_END_RE.search(tail):
        return text, ""
    try:
        roles = parse_cell(tail)
    except CellError:
        return text, ""
    names = [n for k in ("lead", "support", "responsible", "local") for n in roles[k]]
    if not names or not all(n[-1] in _UNIT_END for n in names):
        return text, ""
    return stripped[:cut + 1], tail + (f"；完成时限：{when}" if timed else "")


def _number(m: re.Match) -> tuple[str, str]:
    """The printed number and the numbering style of a paragraph number match."""
    for style, group in zip(_STYLES, m.groups()):
        if group:
            return group, style
    raise AssertionError(m.group(0))


def _unit_line(line: str) -> bool:
    """A short line naming units, one a line under an empty label (no number, label or sentence)."""
    t = line.strip()
    return 0 < len(t) <= 40 and "。" not in t and not _PARA_NUMBER_RE.match(t) and not _LABEL_LINE_RE.match(t)


def read_paragraphs(lines: list[str], skip: set[int]) -> list[Paragraph]:
    """Find numbered prose tasks (paragraphs with units) outside the lines in skip."""
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
            i += 1
            continue
        start = i
        text = line[m.end():].strip()
        i += 1
        # Continuation lines, then label lines (possibly after blank lines).
        while i < len(lines) and i not in skip and lines[i].strip() and not _PARA_NUMBER_RE.match(lines[i]) \
                and not _LABEL_LINE_RE.match(lines[i]):
            text += lines[i].strip()
            i += 1
        j = next_nonblank(lines, i)
        while j is not None and j not in skip and _LABEL_LINE_RE.match(lines[j]):
            text += "\n" + lines[j].strip()
            i = j + 1
            if re.search(r"[：:]$", lines[j].strip()):  # "责任单位：" with its units on the lines below
                while i < len(lines) and i not in skip and _unit_line(lines[i]):
                    text += "\n" + lines[i].strip()
                    i += 1
            j = next_nonblank(lines, i)
        body, units = paragraph_units(text.replace("\t", ""))
        number, style = _number(m)
        unclosed = None if units else _UNCLOSED_LIST_RE.search(text)
        if unclosed:  # a task whose unit list was cut off would be dropped silently
            raise LayoutError(start + 1, f"task {number}: unit list {unclosed.group(0)[:12]!r}… is not closed "
                                         "(file cut short?)")
        if not units:
            # A short heading such as "一、健全服务体系" or "（一）健全服务体系".
            if len(text) <= 40 and "。" not in text:
                section = line.strip()
            continue
        value = cn_value(number) if style != "circled" else _CIRCLED.index(number) + 1
        if style == "bullet":
            value = prev_value + 1 if prev_style == "bullet" and prev_value else 1
            number = str(value)
        if style != prev_style or prev_value is None or value <= prev_value:
            run += 1
        prev_style, prev_value = style, value
        paras.append(Paragraph(start + 1, number, body.replace("\n", ""), units, section, run, i))
    return paras


def lead_rule_line(lines: list[str]) -> int | None:
    """The 1-based line stating "first listed is the lead", or None."""
    for i, line in enumerate(lines):
        if LEAD_RULE_RE.search(line):
            return i + 1
    return None
