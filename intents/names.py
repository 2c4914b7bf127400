"""What a question names: agencies (by alias), jurisdictions, a place we hold nothing
for, documents by their title. Found once per question by intents.understand; the
`Lexicon` is what they are found against, loaded from the store once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from text.lexicon import NO_ENGLISH, NO_SYNONYMS, EnglishAsking, Synonyms
from text.normalize import content_chars
from text.places import jurisdiction_level, jurisdiction_short
from text.terms import bigrams


@dataclass
class Mention:
    text: str
    start: int
    end: int
    agency_ids: list[int]


@dataclass
class Lexicon:
    """What the understanding needs from the store, loaded once."""

    jurisdictions: dict[str, str]  # every way to name a jurisdiction → its name (三亚 → 三亚市)
    aliases: dict[str, list[int]]  # agency alias → agency ids
    people: list[str]  # names of people (spaces removed)
    titles: dict[str, str]  # source id → title
    source_jurisdiction: dict[str, str]  # source id → jurisdiction
    places: set[str]  # known place names (to tell a place we hold nothing for)
    synonyms: Synonyms = field(default_factory=lambda: NO_SYNONYMS)  # everyday → document words (the store's lexicon)
    english: EnglishAsking = field(default_factory=lambda: NO_ENGLISH)  # English asking words (the store's lexicon)
    ascii_words: set[str] = field(default_factory=set)  # lower-cased Latin words the documents print (TOT, 5G)
    positions: set[str] = field(default_factory=set)  # position titles of working-group members (县长, 团县委书记)
    latin_places: EnglishAsking = field(default_factory=lambda: NO_ENGLISH)  # Sanya (City) → 三亚市
    max_alias: int = 0
    _stems: dict[str, list[int]] | None = None
    place_names: tuple[str, ...] = ()  # the jurisdictions' names, longest first (find_jurisdictions)

    def __post_init__(self) -> None:
        self.max_alias = max((len(a) for a in self.aliases), default=0)
        self.place_names = tuple(sorted(self.jurisdictions, key=len, reverse=True))

    @property
    def agency_stems(self) -> dict[str, list[int]]:
        """民政 → the 民政局s (agency_stems); made on first use, which few questions need
        (a large store has tens of thousands of aliases)."""
        if self._stems is None:
            self._stems = agency_stems(self.aliases, self.jurisdictions)
        return self._stems

    def level_jurisdictions(self, level: str) -> list[str]:
        """Every jurisdiction of a level (省 → 四川省), by its name's last character."""
        return sorted({j for j in self.jurisdictions.values() if jurisdiction_level(j) == level})


AGENCY_KINDS = ("委员会", "局", "委", "厅", "办", "部")


def agency_stems(aliases: dict[str, list[int]], places: dict[str, str]) -> dict[str, list[int]]:
    """An agency's name as officials say it in a list (民政、卫健、人社): an alias without its
    level prefix (县/市/省/区) and its kind (局/委/厅/办/部) → the agencies; places'
    aliases (宝清县民政局) give none. Only for a list question that names nothing else."""
    out: dict[str, list[int]] = {}
    placed = tuple(places) + ("中共", "共青团")  # aliases print a place at their start
    for alias, ids in aliases.items():
        if alias.startswith(placed) or alias[1:].startswith(placed):
            continue
        stem = alias[1:] if alias[:1] in "县市省区" else alias
        kind = next((k for k in AGENCY_KINDS if stem.endswith(k)), None)
        if kind and len(stem) - len(kind) >= 2:
            out.setdefault(stem[: -len(kind)], [])
            out[stem[: -len(kind)]] += [i for i in ids if i not in out[stem[: -len(kind)]]]
    return out


def latin_places(jurisdictions: list[str], pinyin_of: dict[str, str]) -> EnglishAsking:
    """Each jurisdiction's name in pinyin as English writes it (Sanya, Sichuan Province,
    Baoqing County), whole words, any case → the jurisdiction."""
    level = {"市": "city", "省": "province", "县": "county", "区": "district"}
    pairs: dict[str, str] = {}
    for j in jurisdictions:
        short = jurisdiction_short(j)
        if short == j or not all(ch in pinyin_of for ch in short):
            continue
        name = "".join(pinyin_of[ch] for ch in short).lower()
        pairs[name] = j
        if j[-1] in level:
            pairs[f"{name} {level[j[-1]]}"] = j
    return EnglishAsking(pairs)


def position_titles(positions: list[str]) -> set[str]:
    """The titles in people's positions (县委副书记、县长 → 县委副书记, 县长), each also
    without its county prefix when enough is left (县民政局局长 → 民政局局长)."""
    out: set[str] = set()
    for position in positions:
        for title in re.split(r"[、，,；;\s]+", position or ""):
            if len(title) < 2:
                continue
            out.add(title)
            for prefix in ("县委", "县", "市委", "市", "省委", "省"):
                if title.startswith(prefix) and len(title) - len(prefix) >= 4:
                    out.add(title[len(prefix):])
                    break
    return out


def find_mentions(q: str, lex: Lexicon) -> list[Mention]:
    """Agency mentions, longest match first, left to right, not overlapping."""
    out: list[Mention] = []
    i = 0
    while i < len(q):
        for n in range(min(lex.max_alias, len(q) - i), 1, -1):
            ids = lex.aliases.get(q[i : i + n])
            if ids:
                out.append(Mention(q[i : i + n], i, i + n, ids))
                i += n
                break
        else:
            i += 1
    return out


def find_jurisdictions(q: str, lex: Lexicon) -> list[tuple[str, int, int]]:
    """(jurisdiction, start, end) for each jurisdiction named in the question."""
    out = []
    for name in lex.place_names:
        start = q.find(name)
        if start >= 0 and not any(s <= start < e for _, s, e in out):
            out.append((lex.jurisdictions[name], start, start + len(name)))
    return out


def find_unknown_place(q: str, lex: Lexicon, mentions: list[Mention], known: list) -> str | None:
    """A place name we hold no document for, right before an agency or a level word
    (深圳市民政局, 北京的养老床位): the question is about somewhere else."""
    covered = {i for _, s, e in known for i in range(s, e)}
    for m in mentions:
        covered |= set(range(m.start, m.end))
    for n in (4, 3, 2):
        for i in range(len(q) - n + 1):
            word = q[i : i + n]
            if word in lex.places and not covered & set(range(i, i + n)) and word not in lex.jurisdictions:
                after = q[i + n : i + n + 1]
                # a level suffix or an agency after it; or, for the short name of a city or
                # province (深圳 of 深圳市: jieba's place words also hold 城市, 上门), opening the
                # question or before 的/有/那/这/里 (深圳有哪些任务, 北京的养老床位)
                short_name = f"{word}市" in lex.places or f"{word}省" in lex.places
                if (after in ("市", "省", "县", "区", "州") or any(m.start == i + n for m in mentions)
                        or (short_name and after and (i == 0 or after in "的有那这里"))):
                    return word + (after if after in "市省县区州" else "")
    return None


def find_sources(q: str, lex: Lexicon, jurisdictions: list[str]) -> list[str]:
    """Documents the question names by their title (三亚一老一小方案, 居家养老试点), in
    their words or everyday ones (the synonym table on both sides)."""

    def grams(text: str) -> set[str]:
        return set(bigrams(content_chars(text))) | set(bigrams(content_chars(lex.synonyms.apply(text))))

    qgrams = grams(q)
    scored = []
    for source, title in lex.titles.items():
        if jurisdictions and lex.source_jurisdiction[source] not in jurisdictions:
            continue
        core = title
        for name in lex.jurisdictions:
            core = core.replace(name, "")
        for generic in ("重点任务分工表", "重点任务分工", "任务分工表", "分工表", "整体解决方案", "实施方案", "方案", "重点任务"):
            core = core.replace(generic, "")
        shared = qgrams & grams(core)
        if len(shared) >= 2:
            scored.append((len(shared), source))
    scored.sort(reverse=True)
    if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return [scored[0][1]]
    return []
