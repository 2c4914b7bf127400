"""The answer pipeline's public face: one question in, one `Answer` out.

Telegram, the terminal chat and `ask --json` all call `Answerer`; none of them
does any understanding or searching of its own. No Telegram imports here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Choice:
    """One button for an ambiguous answer: `kind` is "task" (key "source|number")
    or "agency" (key = agency id as a string)."""

    label: str
    kind: str
    key: str


@dataclass
class Answer:
    question: str
    intent: str  # task | agency_tasks | deadline_tasks | agency_duty | person | help | not_found
    facet: str | None = None  # who | lead | support | deadline (task intent only)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    agency: Any = None  # {"canonical", "jurisdiction"} | list of them | None
    duties: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    # The reply as plain-text blocks: blocks[0] is the header, every further block
    # one item (a task, a duty, a person). Renderers page and escape by block.
    blocks: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)

    @property
    def reply(self) -> str:
        return "\n\n".join(b for b in self.blocks if b)

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` object (a stable contract: see README)."""
        return {
            "question": self.question,
            "intent": self.intent,
            "facet": self.facet,
            "tasks": self.tasks,
            "agency": self.agency,
            "duties": self.duties,
            "people": self.people,
            "suggestions": self.suggestions,
            "reply": self.reply,
        }


class Answerer:
    """Loads the store once and answers questions. Interface used by every front end.

    Placeholder bodies until the search lands; signatures are the contract.
    """

    def __init__(self, home: str | None = None) -> None:
        self.home = home

    def ask(self, question: str, *, agency: str | None = None, scope: str | None = None) -> Answer:
        """Answer a free question. `agency`: the user's bound agency (for 我的任务);
        `scope`: a jurisdiction name to limit answers to (None = all)."""
        return Answer(question=question, intent="not_found", blocks=["没有找到相关任务。"])

    def task(self, source: str, number: str, facet: str = "who") -> Answer:
        """One task by key (for choice buttons)."""
        raise NotImplementedError

    def agency_tasks(self, agency_id: int, role: str = "any") -> Answer:
        """The task list of one agency (for /tasks, /my and choice buttons)."""
        raise NotImplementedError

    def find_agencies(self, name: str) -> list[dict]:
        """Agencies a name may mean: [{"id", "canonical", "jurisdiction"}], best first."""
        return []

    def cards(self, query: str, limit: int = 10) -> list[Answer]:
        """Up to `limit` one-task answers for inline mode."""
        return []

    def documents(self) -> list[dict]:
        """[{"id", "title", "jurisdiction", "tasks"}] for /docs."""
        return []

    def jurisdictions(self) -> list[str]:
        return []
