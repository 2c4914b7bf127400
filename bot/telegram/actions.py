"""What a button does, as typed values: one small frozen dataclass per kind of button.

Each kind has a class-level PREFIX, `encode()` to the callback data Telegram carries
(ASCII-prefixed, at most 64 bytes) and `decode(data)` back, which returns None for
anything that is not exactly well-formed data of that kind (forged, truncated, too
long). `app.py` registers one CallbackQueryHandler per kind with `pattern=Kind.matches`;
adding a kind is one dataclass here, one entry in KINDS and one handler in buttons.py.

No Telegram imports: these are plain values, testable without a bot.

    pg:<sid>:<n>      Page: show page n (0-based) of the cached result <sid>
    pg:<sid>:.        Page: the "x/y" indicator (does nothing)
    ch:<sid>:<i>      Pick: choice i of the cached result <sid> (a choice whose own data
                      does not fit 64 bytes)
    ex:<i>            Example: ask example question i of /start
    tk:<facet>:<source>|<number>   OpenTask: one task (stateless)
    ag:<agency id>    AgencyTasks: an agency's task list (stateless)
    ia:<agency id>    BindAgency: bind the pressing user to an agency (/iam candidates)
    xl:<eid>          Export: the list kept as <eid> as an .xlsx (working.py)
    wk:<agency id>:<role>:<time>:<n>   Work: page n of an agency's working view filtered
                      by role and time (stateless; working.py)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Self, Union

from bot.answer import EXAMPLES, Choice

CALLBACK_MAX_BYTES = 64
FACETS = ("who", "lead", "support", "deadline")
_SID = r"[A-Za-z0-9_-]{4,16}"


def _num(digits: int) -> str:
    """A number of at most `digits` digits, written one way only (no leading zeros)."""
    return rf"(?:0|[1-9][0-9]{{0,{digits - 1}}})"


def fits(data: str) -> bool:
    """Telegram takes 1 to 64 bytes of callback data."""
    return 0 < len(data.encode("utf-8")) <= CALLBACK_MAX_BYTES


class _Kind:
    """Shared decode/matches for the kinds below: one regex over the whole data."""

    PREFIX: ClassVar[str]
    _RE: ClassVar[re.Pattern[str]]

    @classmethod
    def _parse(cls, groups: tuple[str, ...]) -> Self:
        raise NotImplementedError

    @classmethod
    def decode(cls, data: object) -> Self | None:
        """The action `data` encodes, or None when it is not well-formed data of this kind."""
        if not isinstance(data, str) or not fits(data) or not data.startswith(cls.PREFIX + ":"):
            return None
        m = cls._RE.fullmatch(data)
        return cls._parse(m.groups()) if m else None

    @classmethod
    def matches(cls, data: object) -> bool:
        """For CallbackQueryHandler(pattern=...)."""
        return cls.decode(data) is not None

    def encode(self) -> str:
        raise NotImplementedError

    def _checked(self, data: str) -> str:
        if type(self).decode(data) != self:
            raise ValueError(f"{self!r} does not fit in callback data")
        return data


@dataclass(frozen=True)
class Page(_Kind):
    """Show page `page` of a cached result; `page` None is the x/y indicator."""

    sid: str
    page: int | None

    PREFIX: ClassVar[str] = "pg"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"pg:({_SID}):({_num(4)}|\.)")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "Page":
        return cls(g[0], None if g[1] == "." else int(g[1]))

    def encode(self) -> str:
        return self._checked(f"pg:{self.sid}:{'.' if self.page is None else self.page}")


@dataclass(frozen=True)
class Pick(_Kind):
    """Choice `index` of a cached result (the choice itself is kept server-side)."""

    sid: str
    index: int

    PREFIX: ClassVar[str] = "ch"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"ch:({_SID}):({_num(3)})")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "Pick":
        return cls(g[0], int(g[1]))

    def encode(self) -> str:
        return self._checked(f"ch:{self.sid}:{self.index}")


@dataclass(frozen=True)
class Example(_Kind):
    """Ask example question `index` (bot.answer.EXAMPLES)."""

    index: int

    PREFIX: ClassVar[str] = "ex"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"ex:({_num(2)})")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "Example":
        return cls(int(g[0]))

    def encode(self) -> str:
        return self._checked(f"ex:{self.index}")

    @property
    def question(self) -> str | None:
        """The example's text, None for an index past the list (stale or forged)."""
        return EXAMPLES[self.index] if 0 <= self.index < len(EXAMPLES) else None


@dataclass(frozen=True)
class OpenTask(_Kind):
    """One task by its key, with the facet the question asked about (None: any)."""

    source: str
    number: str
    facet: str | None = None

    PREFIX: ClassVar[str] = "tk"
    _RE: ClassVar[re.Pattern[str]] = re.compile(
        rf"tk:({'|'.join(FACETS)}|-):([^|:\s]{{1,40}})\|([^|\s]{{1,24}})")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "OpenTask":
        return cls(g[1], g[2], None if g[0] == "-" else g[0])

    def encode(self) -> str:
        return self._checked(f"tk:{self.facet or '-'}:{self.source}|{self.number}")


@dataclass(frozen=True)
class AgencyTasks(_Kind):
    """An agency's task list, by the store's agency id."""

    agency_id: int

    PREFIX: ClassVar[str] = "ag"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"ag:({_num(9)})")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "AgencyTasks":
        return cls(int(g[0]))

    def encode(self) -> str:
        return self._checked(f"ag:{self.agency_id}")


@dataclass(frozen=True)
class BindAgency(_Kind):
    """Bind the user who presses to an agency (one of several /iam candidates)."""

    agency_id: int

    PREFIX: ClassVar[str] = "ia"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"ia:({_num(9)})")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "BindAgency":
        return cls(int(g[0]))

    def encode(self) -> str:
        return self._checked(f"ia:{self.agency_id}")


@dataclass(frozen=True)
class Export(_Kind):
    """Send the task list kept server-side as `eid` as an Excel workbook."""

    eid: str

    PREFIX: ClassVar[str] = "xl"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"xl:({_SID})")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "Export":
        return cls(g[0])

    def encode(self) -> str:
        return self._checked(f"xl:{self.eid}")


WORK_ROLES = ("any", "lead", "resp", "supp", "local")  # 全部 / 牵头 / 负责 / 配合 / 属地
WORK_TIMES = ("any", "over", "soon", "later", "none", "due")  # due: over + soon


@dataclass(frozen=True)
class Work(_Kind):
    """Page `page` of an agency's working view (/my), filtered by role and by time.
    Carries everything it needs, so it keeps working after a restart."""

    agency_id: int
    role: str = "any"
    time: str = "any"
    page: int = 0

    PREFIX: ClassVar[str] = "wk"
    _RE: ClassVar[re.Pattern[str]] = re.compile(
        rf"wk:({_num(9)}):({'|'.join(WORK_ROLES)}):({'|'.join(WORK_TIMES)}):({_num(3)})")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "Work":
        return cls(int(g[0]), g[1], g[2], int(g[3]))

    def encode(self) -> str:
        return self._checked(f"wk:{self.agency_id}:{self.role}:{self.time}:{self.page}")


# --- documents sent to the bot (bot/telegram/uploads.py) ------------------------------
# The file's preview and the /docs removals are kept server-side under a short id, so
# the data carries that id and what to do only.
#
#     up:<sid>:<op>     UploadStep: a pending upload's preview: ok 收录, no 取消, pl 改地区,
#                       bk back to the preview
#     uj:<sid>:<i>      UploadPlace: known place i (of those listed) for a pending upload
#     rm:<sid>:<op>     RemoveDocument: ask (confirm?), yes (remove), no (keep)

@dataclass(frozen=True)
class UploadStep(_Kind):
    sid: str
    op: str

    OPS: ClassVar[tuple[str, ...]] = ("ok", "no", "pl", "bk")
    PREFIX: ClassVar[str] = "up"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"up:({_SID}):(ok|no|pl|bk)")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "UploadStep":
        return cls(g[0], g[1])

    def encode(self) -> str:
        return self._checked(f"up:{self.sid}:{self.op}")


@dataclass(frozen=True)
class UploadPlace(_Kind):
    sid: str
    index: int

    PREFIX: ClassVar[str] = "uj"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"uj:({_SID}):({_num(3)})")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "UploadPlace":
        return cls(g[0], int(g[1]))

    def encode(self) -> str:
        return self._checked(f"uj:{self.sid}:{self.index}")


@dataclass(frozen=True)
class RemoveDocument(_Kind):
    sid: str
    op: str

    PREFIX: ClassVar[str] = "rm"
    _RE: ClassVar[re.Pattern[str]] = re.compile(rf"rm:({_SID}):(ask|yes|no)")

    @classmethod
    def _parse(cls, g: tuple[str, ...]) -> "RemoveDocument":
        return cls(g[0], g[1])

    def encode(self) -> str:
        return self._checked(f"rm:{self.sid}:{self.op}")


Action = Union[Page, Pick, Example, OpenTask, AgencyTasks, BindAgency, Export, Work, UploadStep, UploadPlace,
               RemoveDocument]
KINDS: tuple[type, ...] = (Page, Pick, Example, OpenTask, AgencyTasks, BindAgency, Export, Work, UploadStep,
                           UploadPlace, RemoveDocument)


def decode(data: object) -> Action | None:
    """Any kind's action from callback data; None for anything not well-formed."""
    for kind in KINDS:
        action = kind.decode(data)
        if action is not None:
            return action
    return None


def data_for(action: Action) -> str | None:
    """`action`'s own callback data, or None when it does not fit (then the caller keeps
    it server-side behind a Pick)."""
    try:
        return action.encode()
    except ValueError:
        return None


def from_choice(choice: Choice, facet: str | None) -> OpenTask | AgencyTasks | None:
    """The one place an answer's Choice (kind + string key) becomes a typed action:
    "task" keys are "source|number", "agency" keys the agency id. None: unusable."""
    if choice.kind == "task" and "|" in choice.key:
        source, number = choice.key.split("|", 1)
        return OpenTask(source, number, facet if facet in FACETS else None)
    if choice.kind == "agency" and str(choice.key).isdigit():
        return AgencyTasks(int(choice.key))
    return None
