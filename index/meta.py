"""A document's title and place, told from the document when the user does not give them.

The place (jurisdiction) decides which agencies are the same body and which documents
answer a question about 三亚市民政局, so it is told from the strongest evidence first:

1. the issuing body: a line of its own (`宝清县人民政府办公室`, `武汉市蔡甸区人民政府办公室` →
   the innermost place, 蔡甸区) or the head of the title (`国务院关于…` → 全国);
2. a place the title starts with (`三亚市开展…`);
3. the document's own 文号 (a line of its own near the top): `国发`/`国办发` → 全国, a province's
   abbreviation (`琼府办〔2021〕` → 海南省) when the agencies are of province level or unknown;
   a city's (`宝政办规`, `蔡政办`) tells nothing without the body;
4. the agencies' level (市民政局 … → 市; 民政厅, 省卫生健康委 → 省; 县卫健委 → 县) together with
   the places the text names: a listed province or city of that level (data/places.toml), or a
   county/district/city name printed with its suffix in an agency or body name
   (`宝清县民政局`), or the name a development zone carries (`崇川经济开发区` in a 区 document);
5. a document that calls itself only `省会城市` with 市 agencies is that;
6. else `未注明地区`, with a warning saying what is known (the level) and how to give the place.

What a user types is read here too: `caption_fields` (a file's caption, `地区：三亚市`) and
`canonical_place` (a place picked or typed after 改地区: 三亚 → 三亚市, 海南 → 海南省).
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

PLACES_FILE = Path(__file__).resolve().parent.parent / "data" / "places.toml"
UNKNOWN_PLACE = "未注明地区"
NATIONAL = "全国"
LEVELS = ("省", "市", "县", "区")

_HAN = r"\u4e00-\u9fff"
# one place unit with its level suffix; repeated for 武汉市蔡甸区
_UNIT = rf"[{_HAN}]{{1,8}}?(?:特别行政区|自治区|自治州|自治县|省|市|县|区|旗|盟)"
_BODY = (r"人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|政府办|政府"
         rf"|[{_HAN}]{{1,12}}?(?:委员会|局|厅|委|办公室|办)")
_ISSUER_LINE = re.compile(rf"^(?P<place>(?:{_UNIT})+)(?P<body>{_BODY})$")
_ISSUER_HEAD = re.compile(rf"^(?P<place>(?:{_UNIT})+)(?P<body>{_BODY})关于")
_NATIONAL_HEAD = re.compile(r"^(国务院办公厅|国务院|中共中央办公厅)(关于|$)")
_DOC_NUMBER = re.compile(rf"^(?P<prefix>[{_HAN}]{{1,8}})[〔\[［(（]\d{{4}}[〕\]］)）]\s*\d+\s*号$")
_TITLE_END = ("分工表", "分工方案", "任务分工", "任务分解", "分解方案", "方案", "通知", "意见", "决定", "办法",
              "清单", "计划", "要点", "措施", "规划", "报告", "情况")
_PRINTED_PLACE = re.compile(rf"(?<![各全本我该])(?P<place>[{_HAN}]{{2,4}}?(?:县|区|市))"
                            r"(?=人民政府|政府|委员会|卫生健康|民政局|财政局|教育局|[^、，。\s]{0,8}?局)")
_ZONE = re.compile(rf"(?P<stem>[{_HAN}]{{2,3}}?)(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|开发区)")
# a level named by itself: 县政府, 全县, 我市, 本区 (各区人民政府 names lower bodies, not the own level)
_OWN_LEVEL = re.compile(r"(?<!各)(?:(?:全|本|我)(省|市|县|区)|(省|市|县|区)(?:人民)?政府)")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_NOT_A_PLACE = ("关于", "印发", "的", "和", "发展", "推进", "促进", "加快", "开展")
# words that open a generic body (各区政府, 有关县人民政府), never a place name
_GENERIC_HEAD = ("各", "全", "本", "我", "该", "有关", "相关", "所在", "辖")
# words a zone's name is made of, never the place it is named after (经济开发区管委会)
_ZONE_WORDS = ("经济", "技术", "高新", "产业", "工业", "开发", "新区")


@lru_cache(maxsize=1)
def places() -> dict:
    """The place list: names → level, 文号 abbreviations → province, the national bodies."""
    data = tomllib.loads(PLACES_FILE.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    abbr: dict[str, str] = {}
    for p in data["province"]:
        names[p["name"]] = "省" if not p["name"].endswith("市") else "市"
        abbr[p["abbr"]] = p["name"]
        for city in p["cities"]:
            names[city] = "市"
    return {"names": names, "abbr": abbr, "national": data["national"],
            "national_prefixes": data["national_doc_prefixes"]}


def describe(text: str, agencies: Iterable[str] = (), *, title: str | None = None,
             jurisdiction: str | None = None) -> tuple[str | None, str, list[str]]:
    """(title, jurisdiction, warnings) for a document's text and the agency names of its tasks.
    A title or jurisdiction given by the user is kept as given."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    warnings: list[str] = []
    title = title or find_title(lines)
    if jurisdiction:
        return title, jurisdiction, warnings
    place, level = find_place(lines, title, list(agencies))
    if place:
        return title, place, warnings
    known = f"文件中的单位为{level}级，但没有写明是哪个{level}" if level else "文件中没有写明发文机关或地区"
    warnings.append(f"无法判断文件所属地区（{known}），记为“{UNKNOWN_PLACE}”；可用 --jurisdiction 指定")
    return title, UNKNOWN_PLACE, warnings


def describe_blocks(doc, tasks: Iterable[dict], **given) -> tuple[str | None, str, list[str]]:
    """describe() for a BlockDocument and its parsed tasks."""
    return describe(doc.text(), task_agencies(tasks), **given)


def task_agencies(tasks: Iterable[dict]) -> list[str]:
    return [n for t in tasks for r in ("lead", "support", "responsible", "local") for n in t.get(r, [])]


# --- title --------------------------------------------------------------------------------

def find_title(lines: list[str], head: int = 60) -> str | None:
    """The document's name: a short line (or a title wrapped over two or three lines) ending in
    a title word; a notice that 印发s 《X》 is known by X."""
    top = lines[:head]
    for i, line in enumerate(top):
        for n in (1, 2, 3):
            candidate = "".join(top[i:i + n])
            if _is_title(candidate, first=top[i]):
                return _plan_of_notice(candidate, lines) or candidate
            if re.search(r"[。；：:，,]", top[i + n - 1] if i + n - 1 < len(top) else "。"):
                break
    book = next((m.group(1) for line in top if (m := re.fullmatch(r"《([^》]{4,60})》", line))), None)
    if book:
        return book
    # a heading of another kind (2023年区政府重点民生实事项目): the first line, if it reads as one
    first = top[0] if top else ""
    if 6 <= len(first) <= 60 and not re.search(r"[。；：:，,]", first) and not _DOC_NUMBER.match(first):
        return first
    return None


def _is_title(text: str, first: str) -> bool:
    if not 4 <= len(text) <= 80 or re.search(r"[。；：:，,]", text):
        return False
    if re.match(r"^(附件|\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)", first):
        return False
    if _DOC_NUMBER.match(text):
        return False
    clean = re.sub(r"[（(][^）)]*[）)]$", "", text)  # 推进情况(1-11月)
    return clean.endswith(_TITLE_END) or "分工" in clean[-6:]


def _plan_of_notice(title: str, lines: list[str]) -> str | None:
    m = re.search(r"关于印发(.+)的通知$", title)
    if not m:
        return None
    plan = re.sub(r"^《(.*)》$", r"\1", m.group(1))
    return plan if plan.endswith(_TITLE_END) and len(plan) >= 4 else None


# --- place --------------------------------------------------------------------------------

def find_place(lines: list[str], title: str | None, agencies: list[str]) -> tuple[str | None, str | None]:
    """(place or None, the agencies' level or None)."""
    level = agency_level(agencies, lines)
    issuer = find_issuer(lines, title)
    if issuer:
        return issuer, level
    own = _title_place(title)
    if own:
        return own, level
    by_number = _doc_number_place(lines, level)
    if by_number:
        return by_number, level
    named = _named_place(lines, agencies, level)
    if named:
        return named, level
    if level == "市" and any("省会城市" in ln for ln in lines):
        return "省会城市", level
    return None, level


def find_issuer(lines: list[str], title: str | None = None, head: int = 15, tail: int = 15) -> str | None:
    """The issuing body's place: a body's line of its own at the top, at the end or as a
    signature over a date anywhere (a notice signed before its attached table), or the body a
    title starts with. The innermost unit of 武汉市蔡甸区 is the place; `中共` before a party
    body and a second, joint issuer on the same line are read through."""
    for line in [title or ""] + lines[:head]:
        line = _party(line)
        if _NATIONAL_HEAD.match(line):
            return NATIONAL
        m = _ISSUER_HEAD.match(line)
        if m and _plausible(m.group("place")):
            return _innermost(m.group("place"))
    signatures = [ln for ln, nxt in zip(lines, lines[1:]) if _DATE_LINE.match(nxt)]
    for line in signatures + lines[:head] + lines[-tail:]:
        for part in line.split():  # 宝清县人民政府办公室　宝清县委办公室
            part = _party(part)
            if part in places()["national"]:
                return NATIONAL
            m = _ISSUER_LINE.match(part) if len(part) <= 30 else None
            if m and _plausible(m.group("place")):
                return _innermost(m.group("place"))
    return None


def _party(line: str) -> str:
    return line[2:] if line.startswith("中共") else line


def _innermost(place: str) -> str:
    units = re.findall(_UNIT, place)
    return units[-1] if units else place


def _plausible(place: str) -> bool:
    # a place's name never starts with a level word: 市市场监管局 and 县卫健委县民政局 name no place
    return (len(place) >= 2 and not any(w in place for w in _NOT_A_PLACE)
            and not place.startswith(_GENERIC_HEAD) and place[0] not in "省市县区")


def _title_place(title: str | None) -> str | None:
    m = re.match(rf"^(?P<place>(?:{_UNIT})+?)(?=开展|关于|“|\"|[{_HAN}])", title or "")
    if not m or not _plausible(m.group("place")):
        return None
    place = _innermost(m.group("place"))
    stem = place[:-1]
    # 三亚市… is a place; 促进养老托育服务… is not: the stem must be short and not a phrase
    return place if 2 <= len(stem) <= 5 or place in places()["names"] else None


def _doc_number_place(lines: list[str], level: str | None) -> str | None:
    for line in lines[:15]:
        m = _DOC_NUMBER.match(line.replace(" ", ""))
        if not m:
            continue
        prefix = m.group("prefix")
        if any(prefix.startswith(p) for p in places()["national_prefixes"]):
            return NATIONAL
        province = places()["abbr"].get(prefix[0])
        # 琼府办 is 海南省's government; a city's own number (宝政办规, 青政办 of 青岛) starts the same
        # way, so the province counts only when nothing below province level is in the document
        if province and len(prefix) >= 2 and prefix[1] in "府政办委发" and level in (None, "省"):
            return province
    return None


def agency_level(agencies: list[str], lines: list[str] = ()) -> str | None:
    """The level most agencies carry (市民政局 → 市, 民政厅 → 省), helped by the text's own
    words for its level (全县, 我市, 区政府)."""
    votes: Counter[str] = Counter()
    for name in dict.fromkeys(agencies):
        if name[:1] in LEVELS and not re.match(r"市政(?!府)", name):
            votes[name[0]] += 1
        elif re.search(r"厅$", name) and not name.startswith("各"):
            votes["省"] += 1
    for line in lines:
        for m in _OWN_LEVEL.finditer(line):
            votes[m.group(1) or m.group(2)] += 1
    return votes.most_common(1)[0][0] if votes else None


def _named_place(lines: list[str], agencies: list[str], level: str | None) -> str | None:
    """A place the text names that fits the agencies' level."""
    if level is None:
        return None
    text = "\n".join(lines + agencies)
    seen: Counter[str] = Counter()
    for name, name_level in places()["names"].items():
        if name_level != level:
            continue
        short = re.sub(r"(特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$", "", name)
        if len(short) >= 2 and short in text:
            seen[name] += text.count(short)
    for m in _PRINTED_PLACE.finditer(text):
        place = m.group("place")
        if place.endswith(level) and _plausible(place):
            seen[place] += 1
    if seen:
        return seen.most_common(1)[0][0]
    if level in ("区", "县"):
        zones = Counter(m.group("stem") for m in _ZONE.finditer(text)
                        if _plausible(m.group("stem")) and not any(w in m.group("stem") for w in _ZONE_WORDS))
        if zones:
            return zones.most_common(1)[0][0] + level
    return None


# --- what a user types: a caption (地区：某某市), a place picked or typed after 改地区 ----------

_CAPTION_LABEL = r"(?:地区|地方|辖区|标题|名称)\s*[:：=]"
_CAPTION_FIELD = re.compile(rf"(地区|地方|辖区|标题|名称)\s*[:：=]\s*((?:(?!{_CAPTION_LABEL})[^\n;；,，])+)")


def caption_fields(caption: str | None) -> dict[str, str]:
    """{"jurisdiction": …, "title": …} from a file's caption (`地区：三亚市 标题：…`); a bare
    caption that is one place name (`三亚市`, `海南`) is the place."""
    out: dict[str, str] = {}
    text = (caption or "").strip()
    for key, value in _CAPTION_FIELD.findall(text):
        field = "title" if key in ("标题", "名称") else "jurisdiction"
        value = value.strip()
        if field == "jurisdiction":
            value = value.split()[0] if value.split() else ""
            value = canonical_place(value) or value
        if value:
            out.setdefault(field, value)
    if not out and text and len(text) <= 12 and "\n" not in text:
        place = canonical_place(text)
        if place:
            out["jurisdiction"] = place
    return out


def canonical_place(name: str, known: Iterable[str] = ()) -> str | None:
    """A typed place as the store names it: a place already held (`known`) or listed, with or
    without its suffix (三亚 → 三亚市, 海南 → 海南省, 国务院/全国 → 全国); a name with a level suffix
    is taken as typed (宝清县). None when the text is no place name."""
    name = re.sub(r"\s+", "", name or "")
    if not name:
        return None
    if name in (NATIONAL, "国家", "中央") or name in places()["national"]:
        return NATIONAL
    for full in list(known) + list(places()["names"]):
        if name == full or (len(name) >= 2 and _short(full) == name):
            return full
    if re.fullmatch(rf"(?:{_UNIT})+", name) and _plausible(name):
        return _innermost(name) if not name.endswith("自治区") else name
    return None


def _short(place: str) -> str:
    return re.sub(r"(特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区|自治州|自治县|省|市|县|区)$", "", place)
