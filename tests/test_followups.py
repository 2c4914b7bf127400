"""Conversations (tests/heldback/followups.jsonl) through Answerer.ask with contexts.

The chat side is played here the way a front end keeps it: each answer's context()
is the next question's context; a turn more than 10 minutes after the previous one
has none; in a group, a reply to an earlier bot message gets that message's context.
"""
import pytest

from bot.context import Context
from conftest import ROOT, read_jsonl

CONVERSATIONS = read_jsonl(ROOT / "tests" / "heldback" / "followups.jsonl")
EXPIRY_SECONDS = 600


def keys(tasks) -> list[tuple[str, str]]:
    return [(t["source"], t["number"]) for t in tasks]


@pytest.mark.parametrize("conv", CONVERSATIONS, ids=[c["id"] for c in CONVERSATIONS])
def test_conversation(answerer, conv):
    answers = []
    last = None
    for i, turn in enumerate(conv["turns"]):
        context = last.context() if last is not None else None
        if turn.get("after_seconds", 0) > EXPIRY_SECONDS:
            context = None
        if "reply_to" in turn:
            context = answers[turn["reply_to"]].context()
        a = answerer.ask(turn["q"], agency=conv.get("bound_agency"), context=context)
        answers.append(a)
        last = a
        e = turn["expect"]
        where = f"{conv['id']} turn {i} {turn['q']!r}"
        assert a.intent == e["intent"], f"{where}: {a.intent}\n{a.reply}"
        if "tasks" in e:
            assert keys(a.tasks[:1])[0] in {(k["source"], k["number"]) for k in e["tasks"]}, where
        if "facet" in e:
            assert a.facet == e["facet"], where
        if "ref" in e:
            ref = answers[e["ref"]["turn"]]
            if e["ref"].get("after"):
                # after what that turn showed: the rest of its list, else further matches
                assert keys(a.tasks[:1])[0] not in keys(ref.tasks[:ref.shown]), where
                assert a.shown >= 1 and a.context().seen == tuple(keys(ref.tasks[:ref.shown])), where
            else:
                assert keys(a.tasks[:1])[0] == keys(ref.tasks)[e["ref"]["index"]], where
        if "not_first" in e:
            assert keys(a.tasks[:1])[0] not in {(k["source"], k["number"]) for k in e["not_first"]}, where
        if e["intent"] == "agency_tasks":
            wanted = {x["id"] for x in answerer.find_agencies(e["agency"]) if x["jurisdiction"] == e["jurisdiction"]}
            assert wanted and set(a.agency_ids) <= wanted, where
            assert a.role == (e["role"] or "any"), where


def test_without_context_a_followup_is_not_found_and_others_are_unchanged(answerer):
    assert answerer.ask("什么时候完成").intent == "not_found"
    assert answerer.ask("第二个").intent == "not_found"
    plain = answerer.ask("长者饭堂谁负责")
    assert plain.intent == "task" and keys(answerer.ask("长者饭堂谁负责", context=None).tasks) == keys(plain.tasks)


def test_a_context_is_small_and_answers_carry_it(answerer):
    a = answerer.ask("老人家里适老化改造谁管")
    ctx = a.context()
    assert isinstance(ctx, Context) and ctx.intent == "task" and ctx.tasks == tuple(keys(a.tasks))
    assert 1 <= ctx.shown <= len(ctx.tasks)
    assert answerer.ask("明天会下雨吗").context() is None
    # a follow-up's own answer is a context too: 第二个, then 什么时候完成 asks of that task
    second = answerer.ask("第二个", context=ctx)
    when = answerer.ask("什么时候完成", context=second.context())
    assert keys(when.tasks[:1]) == keys(second.tasks[:1]) and when.facet == "deadline"
    # 第九个 of a shorter answer says so
    assert answerer.ask(f"第{len(ctx.tasks) + 1}个", context=ctx).intent == "not_found"


def test_terminal_chat_keeps_the_last_answer(cli_env):
    import subprocess

    from conftest import PYTHON

    out = subprocess.run([PYTHON, "-m", "bot", "chat"], input="时间银行试点谁牵头\n谁配合\n期限呢\n", env=cli_env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    turns = out.split("问> ")[1:]
    assert "第17项" in turns[0] and turns[1].split("\n")[2].startswith("配合：") and "第17项" in turns[1]
    assert turns[2].split("\n")[2].startswith("完成时限：") and "第17项" in turns[2]


def test_an_agency_named_alone_lists_its_tasks(answerer):
    for name, place in (("三亚市民政局", "三亚市"), ("宝清县民政局", "宝清县")):
        a = answerer.ask(name)
        listed = answerer.ask(f"{name}有哪些任务")
        assert a.intent == "agency_tasks" and a.agency_ids == listed.agency_ids, name
        assert keys(a.tasks) == keys(listed.tasks) and len(a.tasks) > 5, name
        assert {answerer.find_agencies(name)[0]["jurisdiction"]} == {place}


def test_an_agency_named_alone_after_a_card_gets_its_role_in_that_task(answerer):
    card = answerer.ask("家庭养老床位谁牵头")
    task = card.tasks[0]
    helper = task["support"][0]  # an agency that supports it, as printed
    a = answerer.ask(f"那{helper}呢", context=card.context())
    assert a.intent == "task" and keys(a.tasks) == keys([task])
    assert a.blocks[0].startswith(f"{helper}在") and "配合单位" in a.blocks[0]
    lead = answerer.ask(task["lead"][0], context=card.context())
    assert "牵头单位" in lead.blocks[0] and keys(lead.tasks) == keys([task])
    # an agency not in that task: its own list, saying it was not there
    other = answerer.ask("宝清县民政局", context=card.context())
    assert other.intent == "agency_tasks" and other.blocks[0].startswith("上一个回答的任务里没有")
    # with a question beside the name it is not a name alone
    assert answerer.ask(f"{helper}有哪些任务", context=card.context()).intent == "agency_tasks"


def test_i_am_x_alone_introduces_the_asker(answerer):
    a = answerer.ask("我是宝清县民政局的")
    assert a.intent == "agency_tasks" and a.introduced and len(a.agency_ids) == 1
    assert a.agency == {"canonical": "县民政局", "jurisdiction": "宝清县"}
    assert not answerer.ask("宝清县民政局有哪些任务").introduced
    # asked with a question, 我是X的 only says whose tasks are meant
    assert not answerer.ask("我是宝清县民政局的，我们有哪些任务").introduced


def test_a_period_after_an_agencys_list_is_that_agencys(answerer, monkeypatch):
    monkeypatch.setenv("FENGONG_TODAY", "2021-01-01")
    listing = answerer.ask("三亚市民政局牵头的任务")
    overdue = answerer.ask("逾期的呢", context=listing.context())
    assert overdue.intent == "deadline_tasks" and overdue.agency_ids == listing.agency_ids
    assert overdue.tasks and {(t["source"], t["number"]) for t in overdue.tasks} <= set(keys(listing.tasks))
    later = answerer.ask("那2022年到期的", context=overdue.context())
    assert later.agency_ids == listing.agency_ids
    # a whole question is not narrowed by the last answer
    assert answerer.ask("已逾期的任务", context=listing.context()).agency_ids == []


def test_terminal_chat_remembers_who_said_i_am(cli_env):
    import subprocess

    from conftest import PYTHON

    run = subprocess.run([PYTHON, "-m", "bot", "chat"], input="我是宝清县民政局的\n我的任务\n", env=cli_env,
                         capture_output=True, text=True, timeout=120)
    assert "已记住您的单位：县民政局（宝清县）" in run.stdout
    assert run.stdout.count("县民政局（宝清县）共有") == 2  # 我的任务 is that agency's list
