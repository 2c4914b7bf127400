"""Agency names: one canonical agency per body inside a jurisdiction.

Printed names vary (市卫健委 / 市卫健委员会 / 市卫生健康委员会), and the same name
means different bodies in different places (三亚's 市民政局 is not the capital's), so
names are grouped by (jurisdiction, body key). The key drops the level prefix
(市/省/县/区) and expands standard short forms from `data/abbreviations.toml`;
`data/aliases.toml` joins what no rule can.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from text.normalize import name_form
from text.places import LEVELS, jurisdiction_level, jurisdiction_short  # noqa: F401 (re-exported)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# What an agency name ends with. A name that ends otherwise (乡村部门, 有关部门) is
# reported by the build as not recognised, though it is still stored.
AGENCY_ENDINGS = (
    "局", "委", "厅", "办", "部", "会", "委员会", "办公室", "政府", "中心", "队", "支队",
    "大队", "分局", "支局", "支行", "分行", "公司", "院", "所", "站", "团", "馆", "处", "联",
)


@dataclass
class Agency:
    jurisdiction: str
    key: str
    level: str | None
    variants: list[str] = field(default_factory=list)  # printed names, first seen first
    aliased: dict[str, str] = field(default_factory=dict)  # variant → the name aliases.toml says it means

    @property
    def canonical(self) -> str:
        """The fullest printed form (longest; first seen on ties), preferring names
        that aliases.toml does not redirect (民政部 in 四川 means 民政厅)."""
        plain = [v for v in self.variants if v not in self.aliased]
        if plain:
            return max(plain, key=len)
        return self.aliased[self.variants[0]]


# The kinds of body a stem of abbreviations.toml combines with (委 and 委员会 are named
# pair by pair in [expand]: 卫健委, 发改委).
STEM_KINDS = ("局", "厅", "部")


@dataclass(frozen=True)
class AgencyRules:
    """The naming rules a data folder gives: standard short forms (abbreviations.toml:
    卫健委 = 卫生健康委员会), national-body prefixes, and per-jurisdiction aliases
    (aliases.toml) for what no rule can join."""

    pairs: tuple[tuple[str, str], ...]  # (short, full), longest short form first
    prefixes: tuple[str, ...]
    aliases: dict[str, dict[str, str]]  # jurisdiction → printed name → the name it means

    @classmethod
    def load(cls, data_dir: Path) -> "AgencyRules":
        return _load_rules(Path(data_dir).resolve())


def _rules_file(data_dir: Path, name: str) -> Path:
    """data_dir's own rules file, else the shipped one: a folder of documents alone
    (a synthetic benchmark set, a test) is named by the shipped rules."""
    own = data_dir / name
    return own if own.exists() else DATA_DIR / name


@lru_cache(maxsize=8)
def _load_rules(data_dir: Path) -> AgencyRules:
    abbr = tomllib.loads(_rules_file(data_dir, "abbreviations.toml").read_text(encoding="utf-8"))
    pairs = [(short, full) for full, shorts in abbr["expand"].items() for short in shorts]
    known = {short for short, _ in pairs}
    for full, shorts in abbr.get("stems", {}).items():  # 人社 + 局/厅/部, unless [expand] says otherwise
        for short in shorts:
            for kind in STEM_KINDS:
                if short + kind not in known:
                    pairs.append((short + kind, full + kind))
                    known.add(short + kind)
    pairs.sort(key=lambda p: -len(p[0]))  # longest short form wins
    prefixes = sorted(abbr["branch_prefixes"]["prefixes"], key=len, reverse=True)
    aliases = tomllib.loads(_rules_file(data_dir, "aliases.toml").read_text(encoding="utf-8"))
    return AgencyRules(tuple(pairs), tuple(prefixes), aliases)


def _rules(rules: AgencyRules | None) -> AgencyRules:
    """The rules given, else the shipped data folder's."""
    return rules or AgencyRules.load(DATA_DIR)


def split_level(name: str) -> tuple[str | None, str]:
    """(level prefix, body): 市民政局 → (市, 民政局); 市场监管局 has no prefix."""
    if len(name) >= 3 and name[0] in LEVELS and not name.startswith("市场"):
        return name[0], name[1:]
    return None, name


def strip_place(name: str, jurisdiction: str | None, rules: AgencyRules | None = None) -> str:
    """Drop a national-body prefix and the jurisdiction's own name from the front:
    国家税务总局三亚市税务局 → 市税务局, 四川省税务局 → 省税务局."""
    for p in _rules(rules).prefixes:
        if name.startswith(p) and len(name) > len(p) + 1:
            name = name[len(p):]
            break
    if jurisdiction:
        short = jurisdiction_short(jurisdiction)
        for place in (jurisdiction, short):
            if name.startswith(place) and len(name) > len(place) + 1:
                rest = name[len(place):]
                level = jurisdiction_level(jurisdiction)
                # 三亚市税务局 → 市税务局: keep the level the place name carried
                if level and rest[0] not in LEVELS:
                    rest = level + rest
                return rest
    return name


def expand_body(body: str, rules: AgencyRules | None = None) -> str:
    """Replace a standard short form at the end of a body by its full form."""
    for short, full in _rules(rules).pairs:
        if body.endswith(short):
            return body[: len(body) - len(short)] + full
    return body


def agency_key(name: str, jurisdiction: str | None = None, rules: AgencyRules | None = None) -> tuple[str | None, str]:
    """(level, body key) of a printed or typed name, after the jurisdiction's aliases."""
    rules = _rules(rules)
    name = name_form(name)
    if jurisdiction:
        name = rules.aliases.get(jurisdiction, {}).get(name, name)
    name = strip_place(_organ_form(name, jurisdiction, rules), jurisdiction, rules)
    level, body = split_level(name)
    return level, expand_body(body, rules)


def _organ_form(name: str, jurisdiction: str | None, rules: AgencyRules) -> str:
    """Party and League organs print the place in the middle of their formal name:
    中共宝清县委宣传部 is the 县委宣传部, 共青团宝清县委员会 is the 团县委."""
    for party in ("中国共产党", "中共"):
        if name.startswith(party) and len(name) > len(party) + 2:
            return name[len(party):]
    if name.startswith("共青团") and name.endswith("委员会"):
        rest = strip_place(name[len("共青团"):], jurisdiction, rules)
        level = rest[:1] if rest[:1] in LEVELS else ""
        if level and rest == level + "委员会":
            return "团" + level + "委"
    return name


def looks_like_agency(name: str) -> bool:
    """True when a name ends like a body's name; 有关部门 / 乡村部门 do not."""
    return name.startswith("各") or (not name.endswith("部门") and name.endswith(AGENCY_ENDINGS))


def group_agencies(names: list[tuple[str, str]], rules: AgencyRules | None = None) -> list[Agency]:
    """Group (jurisdiction, printed name) pairs into agencies, in first-seen order."""
    rules = _rules(rules)
    groups: dict[tuple[str, str], Agency] = {}
    for jurisdiction, name in names:
        level, key = agency_key(name, jurisdiction, rules)
        agency = groups.get((jurisdiction, key))
        if agency is None:
            agency = groups[(jurisdiction, key)] = Agency(jurisdiction, key, level)
        agency.level = agency.level or level
        redirect = rules.aliases.get(jurisdiction, {}).get(name_form(name))
        if redirect:
            agency.aliased[name] = redirect
        if name not in agency.variants:
            agency.variants.append(name)
    return list(groups.values())


def short_forms(body: str, rules: AgencyRules | None = None) -> set[str]:
    """Every way people write a body: the full key plus standard short forms."""
    forms = {body}
    for short, full in _rules(rules).pairs:
        if body.endswith(full) and full != "政府":
            forms.add(body[: len(body) - len(full)] + short)
    if body.startswith("委") and len(body) > 3:  # 县委宣传部 → 宣传部
        forms.add(body[1:])
    return forms


def query_aliases(agency: Agency, rules: AgencyRules | None = None) -> set[str]:
    """The surfaces a user may type for an agency: printed names, short forms, with
    and without the level prefix, and with the place name in front (三亚市民政局)."""
    rules = _rules(rules)
    j = agency.jurisdiction
    level = agency.level or jurisdiction_level(j)
    bodies: set[str] = set()
    for name in agency.variants:
        bodies |= short_forms(split_level(strip_place(name_form(name), j, rules))[1], rules)
    bodies |= short_forms(agency.key, rules)
    out = {name_form(v) for v in agency.variants}
    for body in bodies:
        if body.startswith("各"):  # 各区人民政府: territorial, no level or place prefix
            out.add(body)
            continue
        if len(body) >= 2:
            out.add(body)
        if level:
            out.add(level + body)
        for place in {j, jurisdiction_short(j)}:
            out.add(place + body)
            if level and not place.endswith(level):
                out.add(place + level + body)
    # the formal names of Party and League organs (_organ_form): 中共宝清县委宣传部, 共青团宝清县委员会
    places = {j, jurisdiction_short(j)}
    league = re.fullmatch(r"团([省市县区])委", agency.key)
    if league:
        out |= {f"共青团{p}{'' if p.endswith(league.group(1)) else league.group(1)}委员会" for p in places}
    if level and agency.key.startswith("委") and len(agency.key) > 2:
        out |= {f"中共{p}{'' if p.endswith(level) else level}{agency.key}" for p in places}
    return {a for a in out if len(a) >= 2}
