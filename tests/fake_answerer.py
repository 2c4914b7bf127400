"""A deterministic stand-in for bot.answer.Answerer, for the Telegram end-to-end tests.

Loaded by the bot process through FENGONG_ANSWERER=tests.fake_answerer:FakeAnswerer.
It speaks the real `Answer`/`Choice` contract with a tiny made-up data set, shaped to
exercise the front end: a long agency list (paging), an ambiguous question (choices),
the same agency name in two jurisdictions (/iam choice), HTML-hostile names
(escaping), a block longer than a page, and an echo of the agency/scope it was given.
"""
from __future__ import annotations

import re

from bot.answer import Answer, Choice

JURISDICTIONS = ["三亚市", "省会城市", "宝清县"]
AGENCIES = [
    {"id": 1, "canonical": "市民政局", "jurisdiction": "三亚市"},
    {"id": 2, "canonical": "市民政局", "jurisdiction": "省会城市"},
    {"id": 3, "canonical": "县民政局", "jurisdiction": "宝清县"},
    {"id": 4, "canonical": "市卫健委", "jurisdiction": "三亚市"},
    {"id": 5, "canonical": 'A&B <联合> "办"', "jurisdiction": "三亚市"},
]


def _task(source: str, number: str, text: str, lead: str, support: str, deadline: str) -> dict:
    return {"source": source, "number": number, "text": text, "lead": lead,
            "support": support, "deadline": deadline}


TASKS = [
    _task("sanya-yilaoyixiao", str(n), f"第{n}项：推进社区养老服务设施建设，完善居家养老上门服务，"
          "落实家庭养老床位建设与运营补贴，加强养老服务人才队伍培训。" * 2,
          "市民政局", "市财政局、市卫健委", f"{2020 + n % 5}年底")
    for n in range(1, 21)
] + [
    _task("capital-yanglao", "7", "开展家庭养老床位试点，为失能老年人提供上门照护。",
          "市民政局", "市卫生局、市老龄办", "2020年12月"),
    _task("capital-yanglao", "8", "建设社区老年食堂，发展助餐服务。",
          "市商务局", "市民政局", "2021年6月"),
    _task("sanya-jujia-yanglao", "一.3", "长期照护保险试点<试行>与“医养结合”&康复服务。",
          'A&B <联合> "办"', "市卫健委", "长期"),
]
AGENCY_TASKS = {1: TASKS[:20], 2: TASKS[20:21], 3: [], 4: TASKS[22:], 5: TASKS[22:]}


def _block(t: dict) -> str:
    return (f"{t['text']}\n牵头：{t['lead']}\n配合：{t['support']}\n时限：{t['deadline']}"
            f"\n出处：{t['source']} 第{t['number']}项")


def _find_task(source: str, number: str) -> dict:
    for t in TASKS:
        if t["source"] == source and t["number"] == number:
            return t
    raise KeyError(f"{source}|{number}")


class FakeAnswerer:
    """Satisfies bot.telegram.service.AnswerService (checked in tests/test_actions.py)."""

    def __init__(self, home: str | None = None) -> None:
        self.home = home
        self.reindexed = 0

    def ask(self, question: str, *, agency: str | None = None,
            scope: str | None = None, context=None) -> Answer:
        q = question.strip()
        if "我的设置" in q:  # echo what the front end passed
            return Answer(q, "help", blocks=["当前设置", f"单位：{agency or '无'}；地区：{scope or '全部'}"])
        if "家庭养老床位" in q and ("谁" in q or "负责" in q):
            t = TASKS[20]
            return Answer(q, "task", facet="who", tasks=[t],
                          blocks=["家庭养老床位 — 谁负责", _block(t)])
        if q.startswith("谁负责养老服务"):
            return Answer(q, "task", facet="who", tasks=TASKS[20:22],
                          blocks=["「养老服务」可能指以下任务，请选择：",
                                  *(_block(t) for t in TASKS[20:22])],
                          choices=[Choice(f"{t['source']} 第{t['number']}项：{t['text']}",
                                          "task", f"{t['source']}|{t['number']}")
                                   for t in TASKS[20:22]]
                          + [Choice("市民政局（三亚市）的全部任务", "agency", "1")])
        if "超长" in q:
            return Answer(q, "task", blocks=["超长任务", "很长的任务说明。" * 900])
        m = re.match(r"^(.+?)有哪些任务$", q)
        if m:
            found = [a for a in self.find_agencies(m.group(1))
                     if not scope or a["jurisdiction"] == scope]
            tasks = [t for a in found for t in AGENCY_TASKS[a["id"]]]
            if tasks:
                return Answer(q, "agency_tasks", tasks=tasks, agency=found,
                              blocks=[f"{m.group(1)}的任务（共{len(tasks)}项）",
                                      *map(_block, tasks)])
        m = re.match(r"^时限为(.+)的任务有哪些$", q)
        if m:
            tasks = [t for t in TASKS if t["deadline"].startswith(m.group(1))]
            if tasks:
                return Answer(q, "deadline_tasks", tasks=tasks,
                              blocks=[f"时限为{m.group(1)}的任务（共{len(tasks)}项）",
                                      *map(_block, tasks)])
        return Answer(q, "not_found", blocks=[f"没有找到与「{q}」相关的任务。"])

    def task(self, source: str, number: str, facet: str = "who") -> Answer:
        t = _find_task(source, number)
        return Answer(f"{source}|{number}", "task", facet=facet, tasks=[t],
                      blocks=[f"{source} 第{number}项 — {facet}", _block(t)])

    def agency_tasks(self, agency_id: int, role: str = "any") -> Answer:
        a = next(a for a in AGENCIES if a["id"] == agency_id)
        tasks = AGENCY_TASKS[agency_id]
        return Answer(str(agency_id), "agency_tasks", tasks=tasks, agency=a,
                      blocks=[f"{a['canonical']}（{a['jurisdiction']}）的任务（共{len(tasks)}项）",
                              *map(_block, tasks)])

    def find_agencies(self, name: str) -> list[dict]:
        return [dict(a) for a in AGENCIES if name and (name in a["canonical"])]

    def cards(self, query: str, limit: int = 10) -> list[Answer]:
        hits = [t for t in TASKS if query in t["text"] or query in t["lead"]]
        return [self.task(t["source"], t["number"]) for t in hits[:limit]]

    def documents(self) -> list[dict]:
        return [{"id": "sanya-yilaoyixiao", "title": "三亚市“一老一小”重点任务分工表",
                 "jurisdiction": "三亚市", "tasks": 20},
                {"id": "capital-yanglao", "title": "重点任务分工<养老服务业>",
                 "jurisdiction": "省会城市", "tasks": 2}]

    def jurisdictions(self) -> list[str]:
        return list(JURISDICTIONS)

    def agency(self, agency_id: int) -> dict | None:
        return next((dict(a) for a in AGENCIES if a["id"] == agency_id), None)

    def due(self, words: str = "", agency_id: int | None = None, role: str = "any") -> Answer:
        tasks = AGENCY_TASKS.get(agency_id, []) if agency_id is not None else TASKS
        tasks = [t for t in tasks if not words or words in t["deadline"]]
        return Answer(words, "deadline_tasks", tasks=tasks,
                      blocks=[f"{words or '到期'}的任务（共{len(tasks)}项）", *map(_block, tasks)])

    def digest(self, agency_id: int, today=None) -> dict:
        a = self.agency(agency_id)
        over = [t for t in AGENCY_TASKS.get(agency_id, []) if t["deadline"] < "2022"]
        return {"agency": a, "overdue": over, "due_soon": [], "next_due": None,
                "reply": f"{a['canonical']}：已过时限 {len(over)} 项，30天内到期 0 项。"}

    def workbook(self, tasks: list[dict], today=None) -> bytes:
        from datetime import date

        from bot.workbook import workbook_bytes

        return workbook_bytes([t | {"deadlines": [t["deadline"]], "task": t["text"]} for t in tasks],
                              today or date(2025, 6, 15))

    def reindex(self) -> None:
        self.reindexed += 1

    def refresh(self) -> bool:
        return False

    def close(self) -> None:
        pass
