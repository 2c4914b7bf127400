"""Question → intent and slots, on the real store's vocabulary."""
import pytest

from intents.understand import understand


@pytest.fixture(scope="module")
def lex(answerer):
    return answerer.lex


@pytest.mark.parametrize("q, facet", [
    ("谁负责家庭养老床位", "who"),
    ("长者饭堂示范点是哪个部门牵头的", "lead"),
    ("家庭养老床位的配合单位都有哪些", "support"),
    ("養老服務信息數據庫幾時完成", "deadline"),
    ("老年大学什么时候建成", "deadline"),
])
def test_task_facets(lex, q, facet):
    it = understand(q, lex)
    assert (it.name, it.facet) == ("task", facet)


def test_task_content_drops_the_asking_words(lex):
    assert understand("请问一下，家庭养老床位的配合单位都有哪些呀？", lex).content.replace(" ", "") == "家庭养老床位"


@pytest.mark.parametrize("q, role, jurisdictions", [
    ("市民政局有哪些任务", "any", []),
    ("民政厅牵头的任务有哪些", "lead", []),
    ("三亚市住建局配合哪些工作", "support", ["三亚市"]),
    ("我是宝清县民政局的，我们的任务是什么", "any", ["宝清县"]),
])
def test_agency_tasks(lex, q, role, jurisdictions):
    it = understand(q, lex)
    assert it.name == "agency_tasks" and it.role == role and it.jurisdictions == jurisdictions
    assert it.agency_ids


def test_my_tasks_use_the_bound_agency(lex, answerer):
    # unbound: an agency list of nobody, which the answer turns into how to bind one
    assert understand("我的任务", lex).agency_ids == []
    assert answerer.ask("我的任务").intent == "not_found" and "/iam" in answerer.ask("我的任务").reply
    it = understand("我的任务", lex, bound_agency_ids=[3])
    assert it.name == "agency_tasks" and it.agency_ids == [3]


def test_deadline_list_with_document(lex):
    it = understand("三亚一老一小方案里到2022年要完成的有哪些", lex)
    assert (it.name, it.time, it.sources) == ("deadline_tasks", "2022年", ["sanya-yilaoyixiao"])
    assert understand("完成时限为2020年12月的任务有哪些", lex).time == "2020年12月"


def test_duty_person_help(lex):
    assert understand("县审计局主要职责是啥", lex).name == "agency_duty"
    it = understand("于德水是干什么的", lex)
    assert (it.name, it.person) == ("person", "于德水")
    assert understand("专班组长是谁", lex).group_role == "组长"
    assert understand("帮助", lex).name == "help"
    assert understand("", lex).name == "help"


def test_a_place_without_documents_is_noticed(lex):
    assert understand("深圳市民政局有哪些任务", lex).unknown_place == "深圳市"
    assert understand("三亚市民政局有哪些任务", lex).unknown_place is None


def test_every_intent_has_an_answer(answerer):
    """The intent table and the answerer's handlers name the same intents."""
    from intents.understand import INTENTS

    assert set(answerer._handlers) == set(INTENTS) - {"not_found"}
