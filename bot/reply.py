"""What a question gets back: an `Answer` (intent, tasks, reply blocks) and its `Choice`
buttons. Every front end renders these: Telegram, the terminal chat, `ask --json`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.context import Context


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
    intent: str  # task | agency_tasks | deadline_tasks | agency_duty | person | documents | help | not_found
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
    # what a follow-up needs (not part of --json): how many of `tasks` the reply showed
    # in full, the agencies it was about and the role asked
    shown: int = 0
    agency_ids: list[int] = field(default_factory=list)
    role: str = "any"
    query: str = ""
    jurisdictions: list[str] = field(default_factory=list)
    seen: list[tuple[str, str]] = field(default_factory=list)
    # "我是X的" alone: the asker said who they are; a front end may remember agency_ids[0]
    introduced: bool = False

    def context(self) -> "Context | None":
        """What the chat's next question may refer to (什么时候完成, 第二个, 还有呢,
        它有哪些任务), or None when this answer leaves nothing to refer to."""
        from bot.context import Context

        if self.intent not in ("task", "agency_tasks", "agency_duty", "deadline_tasks", "documents") or (
                self.intent == "documents" and not self.tasks):
            return None
        keys = tuple((t["source"], t["number"]) for t in self.tasks)
        return Context(intent=self.intent, tasks=keys, shown=self.shown or len(keys), facet=self.facet,
                       agency_ids=tuple(self.agency_ids), role=self.role, query=self.query,
                       jurisdictions=tuple(self.jurisdictions), seen=tuple(self.seen))

    @property
    def reply(self) -> str:
        """The blocks as one text: one-line items one per line, other blocks apart."""
        out = ""
        prev = ""
        for b in (b for b in self.blocks if b):
            if out:  # a document's heading block (《…》) runs into the items after it
                apart = "\n" in b.strip() or ("\n" in prev.strip() and not prev.startswith("《"))
                out += "\n\n" if apart else "\n"
            out += b
            prev = b
        return out

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
