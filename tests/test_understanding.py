"""Issue 12's mechanisms, each on the real store: the lexicon in the store (synonyms in
one pass, English asking words), dates written other ways, the scope rule, facet-aware
ranking, places and the asker's own agency, people by position, and task cards."""
import sqlite3

import pytest

from index.store import db_path
from intents.understand import understand
from text.lexicon import EnglishAsking, Synonyms
from text.normalize import normalize


@pytest.fixture(scope="module")
def lex(answerer):
    return answerer.lex


# --- text layer ------------------------------------------------------------------
def test_synonyms_apply_in_one_pass_longest_first():
    syn = Synonyms({"长者": "老年人", "老人": "老年人", "老人食堂": "长者饭堂", "护理员": "养老护理员"})
    assert syn.apply("老人食堂") == "长者饭堂"  # the longer word wins over 老人
    assert syn.apply("长者饭堂") == "长者饭堂"  # a documents' word is met whole: 长者 does not take it apart
    assert syn.apply("老人食堂和长者") == "长者饭堂和老年人"  # replaced text is never re-scanned
    assert syn.apply("养老护理员和护理员") == "养老护理员和养老护理员"


def test_english_asking_words_are_whole_words_any_case():
    en = EnglishAsking({"who leads": "牵头", "lead": "牵头", "when": "什么时候完成", "tasks": "任务"})
    assert normalize("Who Leads 长者饭堂", en) == "牵头 长者饭堂"
    assert "牵头" not in normalize("leader of 长者饭堂", en)  # lead inside leader is no match
    assert normalize("县民政局 TASKS", en) == "县民政局 任务"


@pytest.mark.parametrize("typed, normal", [
    ("2020.12到期的任务", "2020年12月到期的任务"),
    ("2020-10要完成哪些事", "2020年10月要完成哪些事"),
    ("2020/6", "2020年6月"),
    ("二〇二二年要完成的任务", "2022年要完成的任务"),
    ("2020年八月份到期", "2020年8月到期"),
    ("2020年十二月", "2020年12月"),
    ("20年6月到期的任务", "2020年6月到期的任务"),
    ("22年底", "2022年底"),
    ("培训0.2万人次", "培训0.2万人次"),  # decimals stay
    ("2020.13", "2020.13"),  # no month 13
    ("建立1449个托位", "建立1449个托位"),
])
def test_dates_written_other_ways(typed, normal):
    assert normalize(typed) == normal


def test_the_lexicon_is_read_from_the_store_not_from_data(store_home, answerer):
    with sqlite3.connect(db_path(store_home)) as conn:
        kinds = dict(conn.execute("select kind, count(*) from lexicon group by kind").fetchall())
    assert kinds["synonym"] >= 100 and kinds["asking_en"] >= 40
    assert answerer.lex.synonyms.apply("老年食堂") == "长者饭堂"


# --- scope ------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["老年大学怎么报名", "民政局离婚登记要带什么材料", "疫苗接种在哪打", "帮我订一张去成都的机票",
                               "市民政局的电话是多少", "养老护理员工资一个月多少", "幼儿园学费多少"])
def test_out_of_scope_questions_are_not_found(answerer, q):
    assert answerer.ask(q).intent == "not_found"


@pytest.mark.parametrize("q", ["老年大雪什么时候建成", "热线电话机制谁负责", "每千名老年人养老床位要达到多少张",
                               "三亚培训两千人次养老护理员是谁牵头", "给老人家里做适老化改造归谁管"])
def test_in_scope_questions_with_typos_numbers_or_scope_words_are_answered(answerer, q):
    assert answerer.ask(q).intent == "task"


def test_unknown_words_are_dictionary_words_the_documents_never_hold(answerer):
    s = answerer.search
    assert s.unknown_words("老年大学 报名") == ["报名"]
    assert s.unknown_words("老年大雪") == []  # a homophone of a held word is a typo
    assert s.unknown_words("老年人家里做") == []  # filler characters are no word
    assert s.unknown_words("两千人次") == []  # numbers are no subject


# --- facets, places, self ---------------------------------------------------------
@pytest.mark.parametrize("q, facet", [
    ("长者饭堂示范点哪个月要建好", "deadline"), ("关爱地图要求几月份完成", "deadline"),
    ("时间银行试点最晚啥时间搞定", "deadline"), ("护理型床位要到几几年", "deadline"),
    ("家庭托育点备案还有哪些部门一起干", "support"), ("关爱帮扶互助服务的协办单位", "support"),
    ("who leads 长者饭堂", "lead"), ("时间银行试点 support units", "support"),
])
def test_facets_asked_in_other_words(lex, q, facet):
    it = understand(q, lex)
    assert (it.name, it.facet) == ("task", facet)


def test_lead_questions_rank_tasks_with_a_lead_first(answerer):
    a = answerer.ask("幼儿园办托儿班谁牵头")
    assert a.tasks[0]["lead"] and (a.tasks[0]["source"], a.tasks[0]["number"]) == ("sichuan-yanglao-tuoyu", "10")
    # a task without a lead says so on its card
    no_lead = next(t for t in a.tasks if not t["lead"])
    card = answerer._task_block(no_lead, "lead")
    assert "未区分牵头，共同负责" in card


@pytest.mark.parametrize("q, jurisdiction", [("省里非法集资谁负责", "四川省"), ("县里的非法集资谁负责", "宝清县"),
                                             ("省里的医养结合谁牵头", "四川省"), ("省级的托育补贴谁负责", "四川省")])
def test_level_words_name_the_jurisdictions_of_that_level(answerer, q, jurisdiction):
    it = understand(q, answerer.lex)
    assert it.jurisdictions == [jurisdiction]
    assert answerer.sources[answerer.ask(q).tasks[0]["source"]]["jurisdiction"] == jurisdiction


def test_level_as_content_is_not_a_place(lex):
    assert understand("农村敬老院县级直管谁牵头", lex).jurisdictions == []


def test_i_am_x_binds_x_for_that_question_only(answerer):
    a = answerer.ask("我是三亚市卫健委的，我们有哪些活")
    assert a.intent == "agency_tasks" and a.agency["canonical"].startswith("市卫") and a.agency["jurisdiction"] == "三亚市"
    assert answerer.ask("我们有哪些任务").intent == "not_found"  # nothing bound afterwards
    bound = answerer.ask("我们牵头的任务", agency="县妇联")
    assert bound.intent == "agency_tasks" and bound.role == "lead"


# --- people -------------------------------------------------------------------------
@pytest.mark.parametrize("q, name", [("县长是谁", "蔡纯意"), ("常务副县长叫什么名字", "肖海亮"), ("副县长是谁", "马俊峰"),
                                     ("团县委书记叫啥", "卢微微"), ("七星泡镇镇长是哪位", "肖超群"),
                                     ("宣传部部长是谁", "闫瑞"), ("卫健局一把手是谁", "于德水"), ("专班组长", "蔡纯意"),
                                     ("县长负责什么", "蔡纯意")])
def test_people_by_position_match_whole_titles(answerer, q, name):
    a = answerer.ask(q)
    assert a.intent == "person" and a.people[0]["name"] == name


def test_the_working_group_members_are_listed(answerer):
    a = answerer.ask("一老一小专班有哪些人")
    assert a.intent == "person" and len(a.people) == len(answerer.store.people())


# --- cards --------------------------------------------------------------------------
def test_card_says_the_title_once(answerer):
    t = next(t for t in answerer.store.all_tasks() if t["title"] and t["task"].startswith(t["title"]))
    card = answerer._task_block(t, "who")
    assert card.count(t["title"]) == 1


def test_long_card_shows_the_window_around_the_match(answerer):
    a = answerer.ask("宝清智慧助老行动谁负责")
    card = a.blocks[1]
    text = card.splitlines()[1]
    assert "智慧助老" in text and text.startswith("…") and len(text) <= 170


def test_we_with_a_bound_agency_favours_its_own_tasks(answerer):
    unbound = answerer.ask("我们负责的家庭养老床位什么时候完成")
    bound = answerer.ask("我们负责的家庭养老床位什么时候完成", agency="三亚市民政局")
    assert len({t["source"] for t in unbound.tasks}) > 1
    assert bound.facet == "deadline" and {answerer.sources[t["source"]]["jurisdiction"] for t in bound.tasks} == {"三亚市"}


def test_latin_words_the_documents_print_stay_and_others_go(lex):
    from intents.understand import normal_question

    assert {"tot", "5g"} <= lex.ascii_words
    assert normal_question("TOT方式引入社会力量谁牵头", lex).startswith("TOT方式")
    assert normal_question("which tasks does 市卫健委 lead", lex) == "有哪些 任务 市卫健委 牵头"


# --- how people name places, agencies and the bot (blind3's classes 4–8) ---------------
@pytest.mark.parametrize("q, jurisdiction", [("Sichuan 托育机构 who leads", "四川省"),
                                             ("baoqing county 民政局 tasks", "宝清县"),
                                             ("SANYA 长者饭堂 deadline", "三亚市")])
def test_a_place_written_in_pinyin_is_the_place(answerer, q, jurisdiction):
    a = answerer.ask(q)
    assert a.tasks and {answerer.sources[t["source"]]["jurisdiction"] for t in a.tasks} == {jurisdiction}, q


def test_a_pinyin_place_is_a_whole_word(lex):
    assert understand("sanyas 长者饭堂谁负责", lex).jurisdictions == []


@pytest.mark.parametrize("q, where", [("宝清县人社都有哪些任务", "宝清县"), ("四川民政牵头哪些任务", "四川省")])
def test_an_agency_said_short_in_a_list_question_is_the_agency(answerer, q, where):
    a = answerer.ask(q)
    full = answerer.ask(q.replace("人社", "人社局").replace("民政", "民政厅"))
    assert a.intent == "agency_tasks" and a.agency_ids == full.agency_ids and len(a.tasks) == len(full.tasks), q
    assert {answerer.agencies[i]["jurisdiction"] for i in a.agency_ids} == {where}


def test_a_short_agency_word_in_a_task_question_stays_content(lex):
    assert understand("民政、卫健部门要负起什么责任", lex).name == "task"


@pytest.mark.parametrize("q, name", [("县民政局的局长叫啥", "肖海鹏"), ("宝清县民政局局长", "肖海鹏"),
                                     ("七星泡镇的镇长是谁", "肖超群"), ("常务副县长", "肖海亮")])
def test_a_position_with_de_or_alone_asks_who_holds_it(answerer, q, name):
    a = answerer.ask(q)
    assert a.intent == "person" and name in a.reply, (q, a.reply)


@pytest.mark.parametrize("q", ["456", "2024", "12.5", "你是机器人吗", "您是哪位", "你是真人吗"])
def test_a_number_alone_or_a_question_about_the_bot_gets_help_not_a_task(answerer, q):
    a = answerer.ask(q)
    assert a.intent == "help" and not a.tasks, q


@pytest.mark.parametrize("q", ["有没有已经逾期的任务", "是否有超期没完成的任务", "overdue tasks please"])
def test_yes_no_words_and_english_overdue_ask_for_the_overdue_list(answerer, q, monkeypatch):
    monkeypatch.setenv("FENGONG_TODAY", "2021-01-01")
    a = answerer.ask(q)
    assert a.intent == "deadline_tasks" and a.tasks, q
    assert all(min(t["due"]) < "2021-01-01" for t in a.tasks), q


def test_our_agency_is_the_bound_one_among_those_of_that_name(answerer):
    mine = answerer.ask("我们民政局有哪些任务", agency="三亚市民政局")
    assert mine.agency == {"canonical": "市民政局", "jurisdiction": "三亚市"}
    # without 我们 the name means every 民政局; without a binding, 我们 narrows nothing
    assert len(answerer.ask("民政局有哪些任务", agency="三亚市民政局").agency_ids) > 1
    assert len(answerer.ask("我们民政局有哪些任务").agency_ids) > 1
