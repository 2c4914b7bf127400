"""Typed button actions (bot/telegram/actions.py): each kind round-trips through its
callback data, refuses data that is not exactly its own, and stays within Telegram's
64 bytes; answers' choices map to actions in one place; the answer services the bot
runs satisfy the AnswerService protocol."""
from __future__ import annotations

import inspect

import pytest
from hypothesis import given, strategies as st

from bot.answer import EXAMPLES, Answerer, Choice
from bot.telegram import actions
from bot.telegram.actions import (
    CALLBACK_MAX_BYTES,
    FACETS,
    KINDS,
    AgencyTasks,
    BindAgency,
    Example,
    Export,
    OpenTask,
    Page,
    Pick,
    Work,
    data_for,
    decode,
    from_choice,
)
from bot.telegram.service import AnswerService
from tests.fake_answerer import FakeAnswerer

SAMPLES = [
    (Page("abcd1234", 0), "pg:abcd1234:0"),
    (Page("abcd1234", 9999), "pg:abcd1234:9999"),
    (Page("Ab_-Cd12", None), "pg:Ab_-Cd12:."),
    (Pick("abcd1234", 7), "ch:abcd1234:7"),
    (Example(0), "ex:0"),
    (OpenTask("baoqing-yilaoyixiao", "二.3", "lead"), "tk:lead:baoqing-yilaoyixiao|二.3"),
    (OpenTask("capital-yanglao", "7"), "tk:-:capital-yanglao|7"),
    (AgencyTasks(17), "ag:17"),
    (BindAgency(123456789), "ia:123456789"),
    (actions.UploadStep("abcd1234", "ok"), "up:abcd1234:ok"),
    (actions.UploadStep("abcd1234", "pl"), "up:abcd1234:pl"),
    (actions.UploadPlace("abcd1234", 12), "uj:abcd1234:12"),
    (actions.RemoveDocument("Ab_-Cd12", "yes"), "rm:Ab_-Cd12:yes"),
    (Export("Ab_-Cd12"), "xl:Ab_-Cd12"),
    (Work(17), "wk:17:any:any:0"),
    (Work(123456789, "local", "later", 999), "wk:123456789:local:later:999"),
    (Work(3, "supp", "due", 2), "wk:3:supp:due:2"),
]


@pytest.mark.parametrize("action,data", SAMPLES, ids=[d for _, d in SAMPLES])
def test_each_kind_encodes_to_its_wire_format_and_back(action, data):
    assert action.encode() == data  # the format buttons already sent keep working
    assert type(action).decode(data) == action
    assert decode(data) == action
    assert type(action).matches(data)
    assert data.startswith(type(action).PREFIX + ":")
    assert len(data.encode()) <= CALLBACK_MAX_BYTES


def test_every_kind_has_a_sample_and_its_own_prefix():
    assert {type(a) for a, _ in SAMPLES} == set(KINDS)
    assert len({k.PREFIX for k in KINDS}) == len(KINDS)


@pytest.mark.parametrize("data", [
    None, 17, b"ag:1", "", "pg", "pg:", "pg:abc:1", "pg:abcd1234:x", "pg:abcd1234:-1",
    "pg:abcd1234:12345", "zz:1", "ex:a", "ex:100", "ag:", "ag:1:2", "ag:-1", "ag:1234567890",
    "ia:", "ia:x", "tk:bogus:s|1", "tk:who:s", "tk:who:|1", "tk:who:s|", "tk:who:a:b|1",
    "tk:who:s|1|2", "tk:who:s |1", "ch:abcd1234", "ch:abcd1234:1000", "pg:abcd1234:1\n",
    "pg:" + "a" * 70, "ex:1" + " " * 70, "PG:abcd1234:1", " pg:abcd1234:1",
    "pg:AAAA:1'; drop table", "ag:1 ", "ag:017", "pg:abcd1234:00", "ex:01", "tk:who:" + "源" * 20 + "|1",
    "up:abcd1234:xx", "up:abcd1234", "up:abc:ok", "uj:abcd1234:01", "uj:abcd1234:-1",
    "rm:abcd1234:maybe", "rm:abcd1234:yes:1",
    "xl:", "xl:abc", "xl:abcd1234:1", "wk:1", "wk:1:any:any", "wk:1:boss:any:0",
    "wk:1:any:soonish:0", "wk:01:any:any:0", "wk:1:any:any:1000", "wk:-1:any:any:0",
])
def test_data_that_is_not_exactly_one_kind_is_refused(data):
    assert decode(data) is None
    assert not any(k.matches(data) for k in KINDS)


def test_a_kind_refuses_another_kinds_data():
    for action, data in SAMPLES:
        for kind in KINDS:
            if kind is not type(action):
                assert kind.decode(data) is None, (kind, data)


def test_an_action_that_does_not_fit_is_refused_not_cut():
    too_long = OpenTask("s" * 40, "一二三四五六七八九十", "who")
    with pytest.raises(ValueError):
        too_long.encode()
    assert data_for(too_long) is None  # kept server-side behind a Pick instead
    with pytest.raises(ValueError):
        OpenTask("a:b", "1").encode()  # would decode as something else
    with pytest.raises(ValueError):
        Page("no", 1).encode()  # a sid we never make
    assert data_for(AgencyTasks(5)) == "ag:5"


@given(st.text(max_size=80))
def test_decode_never_raises_and_what_it_accepts_round_trips(data):
    action = decode(data)
    if action is not None:
        assert action.encode() == data


@given(source=st.text(min_size=1, max_size=40), number=st.text(min_size=1, max_size=24),
       facet=st.sampled_from([*FACETS, None]))
def test_open_task_round_trips_or_refuses(source, number, facet):
    action = OpenTask(source, number, facet)
    data = data_for(action)
    if data is not None:
        assert decode(data) == action and len(data.encode()) <= CALLBACK_MAX_BYTES


def test_example_question():
    assert Example(0).question == EXAMPLES[0]
    assert Example(len(EXAMPLES)).question is None  # decodes, but names no example


def test_choices_map_to_typed_actions_in_one_place():
    assert from_choice(Choice("x", "task", "capital-yanglao|7"), "lead") == \
        OpenTask("capital-yanglao", "7", "lead")
    assert from_choice(Choice("x", "task", "capital-yanglao|7"), None) == \
        OpenTask("capital-yanglao", "7", None)
    assert from_choice(Choice("x", "task", "s|1"), "nonsense") == OpenTask("s", "1", None)
    assert from_choice(Choice("x", "agency", "12"), "who") == AgencyTasks(12)
    assert from_choice(Choice("x", "agency", "twelve"), None) is None
    assert from_choice(Choice("x", "task", "no-separator"), None) is None
    assert from_choice(Choice("x", "person", "1"), None) is None


def test_actions_module_has_no_telegram_imports():
    source = inspect.getsource(actions)
    assert "import telegram" not in source and "from telegram" not in source


@pytest.mark.parametrize("service", [Answerer, FakeAnswerer])
def test_answer_services_satisfy_the_protocol(service):
    """Every method of AnswerService exists on the service with parameters it accepts
    (names and kinds), so a call the bot makes cannot miss at run time."""
    for name, member in inspect.getmembers(AnswerService, inspect.isfunction):
        if name.startswith("_"):
            continue
        assert hasattr(service, name), f"{service.__name__} lacks {name}"
        wanted = list(inspect.signature(member).parameters.values())[1:]
        have = inspect.signature(getattr(service, name)).parameters
        for p in wanted:
            assert p.name in have, f"{service.__name__}.{name} lacks parameter {p.name}"
            assert have[p.name].kind == p.kind, f"{service.__name__}.{name}({p.name})"
