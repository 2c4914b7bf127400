"""Parse the free-text responsibility cells of task-division tables (分工表).

A cell says who does a task, e.g. "A、B牵头，C参加；各市（州）人民政府负责".
`parse_cell` turns it into roles:

- lead: units before 牵头 (or a 牵头单位 label);
- support: units before 参加/配合/协助/参与, or before (按)职责分工负责 when the
  cell also has a lead;
- responsible: units before (按)职责分工负责 with no lead, before 负责, or a plain
  list with no role word at all;
- local: generic territorial units (各…政府) among the responsible ones;
- others: the list is open (…等有关部门（单位）, 有关部门（单位）参加).

Unknown role words ("A主抓") raise `CellError` rather than being read as part of a
unit name: a wrong role is worse than a loud failure.

Half-width punctuation (, ; : ( )) is matched as full-width, but names are sliced
from the original text, so they stay exactly as printed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.timephrases import is_time_phrase
from text.normalize import fullwidth_punct

ROLES = ("lead", "support", "responsible", "local")


_SEPARATORS = "、，；\n"
_OPEN = "（《“"
_CLOSE = "）》”"

# Characters a unit name normally ends with. Used for two things: deciding whether
# a 和 joins two units, and spotting an unknown role word glued to a name.
_STRONG_END = set("局委厅办会府心院队部处行司所站室团联门组署台关")
_ANY_END = _STRONG_END | set("社区馆校园场庭科股协盟构位业学省市县州乡镇村旗道央联社）")

# Role words the grammar knows, longest first so 按职责分工负责 wins over 负责.
# A role word may follow an adverb (分别负责, 共同负责) or a duty phrase (按职责分工落实, 按职责配合).
_MARKER_RE = re.compile(
    r"(?P<role>(?:分别|共同|各自|具体|协同|统一)?(?:按照?职责分工|按照?职责|依职责|职责分工|分工)?"
    r"(?:牵头负责|牵头|参加|配合|协助|参与|协办|主办|主责|"
    # carrying a task out is being responsible for it (各乡镇人民政府抓好落实: local)
    r"负责落实|抓好落实|抓落实|组织落实|负责实施|组织实施|实施|落实|负总责|总负责|负责)"
    r"|按照?职责分工)"
)
_LEAD_WORDS = ("牵头", "主办", "主责")
_SUPPORT_WORDS = ("参加", "配合", "协助", "参与", "协办")
# A role said in brackets after the units: "A、B（按职责分工负责）", "A（牵头单位）、B".
_BRACKETED_ROLE_RE = re.compile(r"[（(]((?:按照?职责分工|按照?职责)?(?:负责|落实|配合|参与))[）)]")
_LEAD_MARK_RE = re.compile(r"[（(]牵头(?:单位|部门)[）)]")
# "县民政局为牵头单位，县财政局为配合单位": the role said as what the unit is.
_ROLE_AS_UNIT = {"牵头": "牵头", "配合": "配合", "参与": "参与", "参加": "参加", "协办": "协办", "责任": "负责"}
_ROLE_AS_UNIT_RE = re.compile(r"为(牵头|配合|参与|参加|协办|责任)(?:单位|部门)")
_STAR_RE = re.compile(r"([^、，；,;\n★☆*＊※]+?)\s*[★☆*＊※]|[★☆*＊※]\s*([^、，；,;\n★☆*＊※]+)")
# A bare body after a territorial phrase belongs to it: "各县（市、区）党委和政府", "各区县党委、政府".
_BARE_BODY_RE = re.compile(r"^(?:人民)?政府|党委(?:和|、)?(?:人民)?政府$")
# An open list: "…等有关部门（单位）", "等有关部门和单位", "等部门", "等"; a bare "有关部门（单位）"
# in a list is one too. "县政府有关部门" (no 等) and "各有关部门和单位" (a generic collective,
# the whole list) are units as printed.
_OPEN_LIST_RE = re.compile(
    r"(?:等(?:各|其他)?(?:(?:有关|相关)?(?:部门|单位|方面)(?:和(?:部门|单位))?(?:（(?:部门|单位)）)?)?)$"
)
_BARE_OPEN_RE = re.compile(r"^(?:其他)?(?:有关|相关)(?:部门|单位)(?:（(?:部门|单位)）)?$")
# Verbs that look like a role but that the grammar does not know.
_ROLE_LIKE_RE = re.compile(
    r"(主抓|主责|承办|督办|抓总|统筹|推进|督导|指导|跟进|把关)$"
)

# Labelled form: "牵头单位：A；配合单位：B；完成时限：2023年底". "person" labels name people
# (分管领导), "scope" labels a place of application (适用范围): neither is a unit.
_LABEL_WORDS = {
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "牵头责任部门", "主办单位", "主办部门", "主责单位", "主责部门",
             "牵头处室", "牵头科室"),
    "support": ("配合单位", "配合部门", "参加单位", "参加部门", "协办单位", "协办部门", "协助单位", "参与单位", "协作单位",
                "主要协作单位", "协同单位", "协同部门", "参与部门", "协作部门", "配合处室", "配合科室"),
    "responsible": ("责任单位", "责任部门", "负责单位", "负责部门", "承办单位", "承办部门", "主体责任单位", "责任主体",
                    "实施单位", "实施主体", "落实单位", "责任处室", "责任科室"),
    "deadline": ("完成时限", "完成时间", "时间节点", "进度安排", "完成期限", "时限要求", "时间要求", "时间安排",
                 "推进时限", "办结时限"),
    "person": ("分管领导", "牵头领导", "责任领导", "牵头负责领导", "联系领导", "责任人"),
    "scope": ("适用范围",),
}
# The role word alone as a label ("牵头：区卫健委 配合：区医保局"), only where a label can start
# (not inside a name or a sentence: "市民政局牵头：" is no label).
_SHORT_LABELS = {"牵头": "lead", "主办": "lead", "配合": "support", "协办": "support", "参与": "support",
                 "参加": "support", "协助": "support", "责任": "responsible", "负责": "responsible",
                 "时限": "deadline", "时间": "deadline"}
_LABELS = {word: kind for kind, words in _LABEL_WORDS.items() for word in words} | _SHORT_LABELS
_LABEL_ALTERNATIVES = ("|".join(sorted(set(_LABELS) - set(_SHORT_LABELS), key=len, reverse=True))
                       + r"|(?<![\u4e00-\u9fff])(?:" + "|".join(_SHORT_LABELS) + ")")
_LABEL_RE = re.compile(r"(" + _LABEL_ALTERNATIVES + r")\s*：")
# "牵头单位为县民政局，配合单位为县财政局": a label said with 为, where a label can start.
_LABEL_WEI_RE = re.compile(r"(^|[，；,;\s（(])(" + "|".join(sorted(set(_LABELS) - set(_SHORT_LABELS), key=len, reverse=True))
                           + r")为(?=[\u4e00-\u9fff])")


def labels_with_colons(text: str) -> str:
    """Write a label said with 为 (牵头单位为A) as a label with a colon (牵头单位：A)."""
    return _LABEL_WEI_RE.sub(r"\1\2：", text)
_NOT_UNITS = ("deadline", "person", "scope")
# For layout rules that look for label lines, where a half-width colon is not normalised yet.
LABEL_RE = re.compile(r"(" + _LABEL_ALTERNATIVES + r")\s*[：:]")
class CellError(ValueError):
    """A responsibility cell the grammar cannot read without guessing."""


# same length: offsets in the normalised text are valid in the original. Cached: a cell's
# text is normalised again by each step that reads it (a 100,000-task build: ~27 per row).
_norm = lru_cache(maxsize=16384)(fullwidth_punct)


def is_local(name: str) -> bool:
    """True for generic territorial units such as 各区人民政府 or 各市（州）人民政府 (the gold's
    convention: 各…政府; 各乡镇（社区） names no government and stays as printed)."""
    return name.startswith("各") and name.endswith("政府")


def _joins_units(before: str, after: str) -> bool:
    """True when a 和/及 between before and after separates two units."""
    before, after = before.strip(), after.lstrip()
    if not before or not after:
        return False
    # "有关部门和单位" is one phrase, not two units.
    if before.endswith(("部门", "单位")) and after.startswith(("单位", "部门")):
        return False
    # 各县（市、区）党委和政府: one territorial body, not a unit and a bare 政府.
    if re.match(r"(?:人民)?政府(?:$|[、，；,;\n])", after):
        return False
    # 市自然资源和规划局: the part before 和 is no unit, so 和 is inside a name.
    return before[-1] in _STRONG_END or after.startswith("各")


def _space_between_units(before: str, after: str) -> bool:
    """True for spaces typed between two units instead of 、: "县民政局 县财政局"."""
    before, after = before.strip(), after.lstrip(" \u3000")
    return bool(before) and before[-1] in _STRONG_END and bool(re.match(r"[\u4e00-\u9fff]{2}", after))


def split_units(text: str) -> list[str]:
    """Split a unit list on 、，；, line breaks and a 和/及 that joins units.

    Separators inside brackets do not split: 各县（市、区）人民政府 is one unit.
    """
    norm = _norm(text)
    units: list[str] = []
    start = depth = 0
    for i, ch in enumerate(norm):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and (
            ch in _SEPARATORS
            or (ch in "和及" and _joins_units(norm[start:i], norm[i + 1:]))
            or (ch in " \u3000" and _space_between_units(norm[start:i], norm[i + 1:]))
        ):
            units.append(text[start:i])
            start = i + 1
    units.append(text[start:])
    units = [u.strip(" \t\u3000。.") for u in units if u.strip(" \t\u3000。.")]
    return _join_territorial(_join_bare_bodies(text, units))


def _join_bare_bodies(text: str, units: list[str]) -> list[str]:
    """Join a bare 政府 / 党委和政府 to the unit before it, as printed between them."""
    out: list[str] = []
    for unit in units:
        if out and _BARE_BODY_RE.fullmatch(unit) and (at := text.find(out[-1])) >= 0:
            end = text.find(unit, at + len(out[-1]))
            out[-1] = text[at:end + len(unit)] if 0 <= end - at - len(out[-1]) <= 2 else out[-1]
            if out[-1].endswith(unit):
                continue
        out.append(unit)
    return out


def _join_territorial(units: list[str]) -> list[str]:
    """Keep a generic territorial phrase with 、 as one unit: "各区、县级市政府"."""
    out: list[str] = []
    for unit in units:
        prev = out[-1] if out else ""
        if prev.startswith("各") and len(prev) <= 4 and prev[-1] in "区县市镇乡旗州" and "、" not in prev[1:] \
                and _norm(unit)[-1] in "府）" and not unit.startswith("各"):
            out[-1] = f"{prev}、{unit}"
        else:
            out.append(unit)
    return out


def _check_unit(name: str) -> None:
    """Raise CellError when a unit name ends in a role word the grammar does not know."""
    norm = _norm(name)
    match = _ROLE_LIKE_RE.search(norm)
    if match and match.start() > 0:
        raise CellError(f"unknown role word {name[match.start():]!r} after {name[:match.start()]!r}")
    if norm[-1] in _ANY_END:
        return
    # "市民政局主抓": a short tail after a name-ending character is a role word.
    for i in range(len(norm) - 2, 0, -1):
        if norm[i] in _STRONG_END:
            tail = norm[i + 1:]
            if len(tail) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in tail):
                raise CellError(f"unknown role word {name[i + 1:]!r} after {name[:i + 1]!r}")
            return


def _empty() -> dict:
    """Return a role dict with nothing in it."""
    return {"lead": [], "support": [], "responsible": [], "local": [], "others": False}


def _add(result: dict, role: str, names: list[str], split_local: bool) -> None:
    """Append names under role, moving 各…政府 units to local when split_local."""
    for name in names:
        key = "local" if split_local and is_local(name) else role
        if name not in result[key]:
            result[key].append(name)


def _run_units(run: str, result: dict) -> list[str]:
    """Split one run of units, noting open-list phrases in result['others']."""
    names = []
    for name in split_units(run):
        norm = _norm(name)
        stripped = "" if _BARE_OPEN_RE.match(norm) else _OPEN_LIST_RE.sub("", norm)
        if stripped != norm:
            result["others"] = True
            name = name[: len(stripped)].rstrip()
        if name.startswith("由") and len(name) > 3:  # "由市民政局牵头": 由 is no part of the name
            name = name[1:]
        if name:
            _check_unit(name)
            names.append(name)
    return names


def _parse_annotated(text: str, result: dict) -> None:
    """Parse "A（牵头）、B、C": the annotated units lead, the rest support."""
    names = _run_units(re.sub(r"[（(]牵头[）)]", "", text), result)
    marked = [m.group(1).strip() for m in re.finditer(r"([^、，；,;\n]+?)\s*[（(]牵头[）)]", text)]
    for name in names:
        if name in marked:
            _add(result, "lead", [name], split_local=False)
        else:
            _add(result, "support", [name], split_local=True)


def _together(run: str, role: str, result: dict) -> bool:
    """"A会同B、C负责": A leads, B and C support. False when the run says no 会同."""
    head, sep, tail = run.partition("会同")
    if not sep or role not in ("lead", "responsible") or not head.strip() or not tail.strip():
        return False
    _add(result, "lead", _run_units(head, result), split_local=False)
    _add(result, "support", _run_units(tail, result), split_local=True)
    return True


def _parse_grammar(text: str, default: str, result: dict) -> None:
    """Parse a free-text cell ("A牵头，B参加；各区人民政府负责") into result."""
    text = _BRACKETED_ROLE_RE.sub(r"\1", _LEAD_MARK_RE.sub("（牵头）", text))
    text = _ROLE_AS_UNIT_RE.sub(lambda m: _ROLE_AS_UNIT[m.group(1)], text)  # "A为牵头单位" → "A牵头"
    if _STAR_RE.search(text):  # "县民政局★、县财政局": the starred unit leads (标★的为牵头单位)
        text = _STAR_RE.sub(lambda m: f"{m.group(1) or m.group(2)}（牵头）", text)
    norm = _norm(text)
    if re.search(r"（牵头）", norm):
        _parse_annotated(text, result)
        return
    markers = list(_MARKER_RE.finditer(norm))
    has_lead = any(w in m.group("role") for m in markers for w in _LEAD_WORDS)
    pos = 0
    for m in markers:
        run = text[pos:m.start()]
        pos = m.end()
        word = m.group("role")
        if any(w in word for w in _LEAD_WORDS):
            role = "lead"
        elif any(w in word for w in _SUPPORT_WORDS):
            role = "support"
        elif "分工" in word or "职责" in word:
            role = "support" if has_lead else "responsible"
        else:  # 负责, 落实
            role = "responsible"
        if _together(run, role, result):
            continue
        names = _run_units(run, result)
        if not names and not result["others"]:
            raise CellError(f"role word {word!r} without units in {text!r}")
        _add(result, role, names, split_local=(role == "responsible"))
    rest = text[pos:].strip(" \t\u3000。.，；,;、\n")
    if not rest:
        return
    if markers:
        names = _run_units(rest, result)
        raise CellError(f"units without a known role word: {rest!r}" if names else f"cannot read {rest!r}")
    _add(result, default, _run_units(rest, result), split_local=(default == "responsible"))


def split_labels(text: str) -> list[tuple[str, str]]:
    """Split labelled text ("牵头单位：A；配合单位：B") into (kind, value) pairs.

    kind is a role or "deadline"; text before the first label is returned with
    kind "" so callers can keep it. A time printed after a list of units (unlabelled)
    comes last as a "deadline" pair.
    """
    return list(_split_labels(text))


@lru_cache(maxsize=8192)  # a row's cell is split by the roles, the deadlines and the checks alike
def _split_labels(text: str) -> tuple[tuple[str, str], ...]:
    norm = _norm(text)
    found = list(_LABEL_RE.finditer(norm))
    # a time after the units is a deadline: "县民政局牵头，县财政局配合，2025年底前完成"
    head, times = _split_time(text[: found[0].start()] if found else text.rstrip(" \t\u3000\n，；,;。."))
    pairs = [("", head)]
    for m, nxt in zip(found, found[1:] + [None]):
        end = nxt.start() if nxt else len(text)
        value = text[m.end():end].strip(" \t\u3000\n，；,;。.、")
        kind = _LABELS[m.group(1)]
        if kind in ROLES:
            value, time = _split_time(value)
            times += time
        pairs.append((kind, value))
    return tuple(pairs + [("deadline", t) for t in times])


def _split_time(value: str) -> tuple[str, list[str]]:
    """Take the trailing time parts off a unit list: "A、B；2025年6月底前完成" → ("A、B", [the time])."""
    times: list[str] = []
    while True:
        norm = _norm(value)
        cut = max(norm.rfind("；"), norm.rfind("，"))
        if cut < 0 or not is_time_phrase(value[cut + 1:]):
            return value, times
        times.insert(0, value[cut + 1:].strip(" \t\u3000。."))
        value = value[:cut].rstrip()


def extract_labelled(text: str) -> tuple[str, str]:
    """Split task text from a labelled part: "做好X。（牵头单位：A；责任单位：B）".

    Returns (task text, labelled text); the labelled text is "" when there is none.
    """
    norm = _norm(text)
    m = _LABEL_RE.search(norm)
    if not m:
        return text, ""
    start = m.start()
    # Take the opening bracket of "（牵头单位：…）" along with the labels.
    while start > 0 and norm[start - 1] in " \t\u3000（":
        start -= 1
    labelled = text[start:].strip()
    if _norm(labelled).startswith("（"):
        labelled = re.sub(r"[）)]\s*[。.]?\s*$", "", labelled[1:])
    return text[:start].rstrip(), labelled


_DEADLINE_CELL_RE = re.compile(r"^(?:到|于|在)?\s*(.*?\d\s*(?:年|月|日)(?:\s*[底末])?)\s*(?:前|以前|之前)?\s*(?:完成)?$")


# "2025年6月底前完成方案制定": a date before 前 that what follows says is due by then.
_DATE_BEFORE_RE = re.compile(r"^(?:到|于|在)?\s*((?:\d{4}\s*年)?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?\s*[底末]?)"
                             r"\s*(?:前|以前|之前)")


def deadline_values(text: str) -> list[str]:
    """The deadlines of a 完成时限 cell or label: split on separators, "到X"/"X前" → X,
    "X前完成方案制定" → X; what names no date (长期坚持, 按国家部署) as printed."""
    out: list[str] = []
    for value in split_units(text):
        m = _DEADLINE_CELL_RE.match(value)
        before = None if m else _DATE_BEFORE_RE.match(value)
        value = m.group(1) if m else before.group(1).strip() if before and re.search(r"\d\s*[年月日]", before.group(1)) \
            else value
        if value not in out:
            out.append(value)
    return out


def labelled_deadlines(text: str) -> list[str]:
    """Return the values of 完成时限-style labels in text, split on separators."""
    values: list[str] = []
    for kind, value in split_labels(text):
        if kind == "deadline":
            values += [v for v in deadline_values(value) if v not in values]
    return values


def parse_cell(text: str, default: str = "responsible") -> dict:
    """Parse a responsibility cell into {lead, support, responsible, local, others}.

    default is the role of units with no role word: "responsible" for a
    责任单位/负责单位 column (generic 各…政府 units then go to local), "lead" or
    "support" for a 牵头单位/配合单位 column (no local split there).
    Raises CellError for a role word the grammar does not know.
    """
    if default not in ("lead", "support", "responsible"):
        raise ValueError(f"bad default role {default!r}")
    result = _empty()
    text = labels_with_colons(text.strip())
    norm = _norm(text)
    # "（牵头单位：A；责任单位：B）": drop the brackets around a labelled part.
    if _LABEL_RE.search(norm) and norm.startswith("（") and re.search(r"）[。.]?$", norm):
        text = re.sub(r"[）)][。.]?$", "", text[1:])
    pairs = split_labels(text)
    # Beside a 牵头 label every other labelled list supports it.
    beside_lead = any(kind == "lead" for kind, _ in pairs)
    for kind, value in pairs:
        if kind in _NOT_UNITS:
            continue
        if beside_lead and kind == "responsible":
            kind = "support"
        value = value.strip()
        if value:
            _parse_grammar(value, kind or default, result)
    return result


def parse_first_lead(text: str) -> dict:
    """Parse a cell of a column that prints the lead first (牵头单位；配合单位, 责任单位（排名第一的
    为牵头单位）): the part before the first ；or line break leads, or with neither the first
    unit; the rest support. A cell that says its roles itself (A牵头, A（牵头）, 牵头：A) is read
    by what it says, its first unit leading when it names no lead."""
    norm = _norm(text.strip())
    if _LABEL_RE.search(norm) or _MARKER_RE.search(norm) or re.search(r"[（(]牵头[）)]", norm):
        result = parse_cell(text, default="support")
        if not result["lead"] and result["support"]:
            result["lead"], result["support"] = result["support"][:1], result["support"][1:]
        return result
    result = _empty()
    cut = re.search(r"[；;\n]", norm)
    if cut:
        lead, rest = _run_units(text[:cut.start()], result), _run_units(text[cut.end():], result)
    else:
        names = _run_units(text, result)
        lead, rest = names[:1], names[1:]
    _add(result, "lead", lead, split_local=False)
    _add(result, "support", rest, split_local=False)
    return result
