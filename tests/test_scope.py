"""Scope and search rules on the real store and jieba: an uncovered stretch is cut on
jieba's most probable path, yes/no asking forms are no subject, a chat message's
preamble does not dilute its question, a term printed with a gloss inside it is found
whole, and a task whose head names the subject (or that prints the word typed) ranks
above one mentioning it in passing."""
import math
import sqlite3

import pytest

from index.build import search_text
from index.printed import bare_text, head_of
from index.scope import UNKNOWN_SHARE, _best_path, unknown_share
from index.store import db_path


def _key(t: dict) -> tuple[str, str]:
    return t["source"], t["number"]


# --- 1. chat words ------------------------------------------------------------------
def test_the_words_table_keeps_jiebas_frequencies_and_which_words_name_content(store_home):
    with sqlite3.connect(db_path(store_home)) as conn:
        rows = {w: (f, c) for w, f, c in conn.execute(
            "select word, freq, content from words where word in ('明天', '会上', '天会', '会', '报名')")}
        total = float(conn.execute("select value from meta where key = 'word_total'").fetchone()[0])
    assert rows["天会"] == (45, 1) and rows["报名"][1] == 1  # nouns and verbs name content
    assert rows["明天"][1] == 0 and rows["会上"][1] == 0  # time words do not
    assert "会" in rows and total > 50_000_000  # single characters and the dictionary's total: jieba's path


def test_an_uncovered_stretch_is_cut_on_jiebas_most_probable_path(answerer):
    conn = answerer.search.conn
    run = "明天会上汇报"
    pieces = {run[a: a + n] for a in range(len(run)) for n in (1, 2, 3, 4)}
    known = {w: (f, c) for w, f, c in conn.execute(
        f"select word, freq, content from words where word in ({','.join('?' * len(pieces))})", sorted(pieces))}
    log_total = math.log(float(conn.execute("select value from meta where key = 'word_total'").fetchone()[0]))
    assert [w for w, _ in _best_path(run, known, log_total)] == ["明天", "会上", "汇报"]
    # so 天会 (a dictionary noun inside 明天会上) is never a subject; 汇报 still is a word
    assert answerer.search.unknown_words("明天会上汇报") == ["汇报"]


def test_yes_no_asking_forms_are_no_subject_but_their_verb_is(answerer):
    s = answerer.search
    assert s.unknown_words("有无已经超期没 任务") == []  # strip_period writes 有没有 as 有无
    assert s.unknown_words("是否 长者饭堂") == []
    assert s.unknown_words("长者饭堂周末开不开门") == ["开门"]  # 开不开门 asks about 开门
    assert answerer.ask("长者饭堂周末开不开门").intent == "not_found"


def test_a_chat_preamble_does_not_dilute_the_question(answerer):
    q = "我是新来的，下周要向领导汇报，想问下三亚长者饭堂示范点谁负责"
    unknown = answerer.search.unknown_words("新来 下周 向领导汇报想问下 长者饭堂示范点")
    assert unknown == ["汇报"] and unknown_share(unknown, "新来下周向领导汇报想问下长者饭堂示范点") < UNKNOWN_SHARE
    a = answerer.ask(q)
    assert a.intent == "task" and _key(a.tasks[0]) == ("sanya-jujia-yanglao", "13")


def test_only_a_leading_preamble_is_dropped(answerer):
    # a later clause the task does not explain asks about something else: still not found
    assert answerer.ask("我负责养老这块，想问下垃圾分类谁负责").intent == "not_found"
    assert answerer.ask("我们单位在做时间银行试点，领导问我：食堂的饭卡找谁办？").intent == "not_found"
    s = answerer.search
    hit = s.search("长者饭堂示范点")[0]
    assert s.clauses_about("三亚长者饭堂示范点，谁负责", "长者饭堂示范点", hit.task_id, 0.4) is None  # first clause: nothing dropped
    assert s.clauses_about("下周要汇报，长者饭堂示范点谁负责", "下周 汇报 长者饭堂示范点", hit.task_id, 0.4) == "长者饭堂示范点"


# --- 2. glossed terms -----------------------------------------------------------------
def test_quotes_and_glosses_are_taken_out_of_a_second_copy_of_the_searched_text():
    printed = "重点为“三无”(无劳动能力，无生活来源)老人提供服务（市民政局负责）"
    assert bare_text(printed) == "重点为三无老人提供服务"
    assert search_text(None, printed) == "。" + printed + "。" + "。重点为三无老人提供服务"
    assert search_text("标题", "没有注释的任务") == "标题。没有注释的任务"  # nothing split: one copy


def test_a_term_printed_with_a_gloss_inside_it_is_found_whole(answerer):
    a = answerer.ask("三无老人由谁兜底")
    assert a.intent == "task" and _key(a.tasks[0]) == ("capital-yanglao", "8")
    assert "(无劳动能力" in a.tasks[0]["task"]  # the card still has the printed text


# --- 3. heads and typed words in the ranking --------------------------------------------
def test_head_of_a_task_is_its_title_else_its_first_sentence():
    assert head_of("发展“托幼一体化”", "正文。") == "发展“托幼一体化”"
    assert head_of(None, "建设幸福院、托老所。其他") == "建设幸福院、托老所"


@pytest.mark.parametrize("q, top, passing", [
    ("托幼一体化由哪些单位负责", ("baoqing-yilaoyixiao", "二.4"), ("baoqing-yilaoyixiao", "一.4")),
    ("适儿化改造归哪个部门管", ("baoqing-yilaoyixiao", "三.5"), ("baoqing-yilaoyixiao", "一.1")),
])
def test_a_task_whose_head_names_the_subject_ranks_above_a_passing_mention(answerer, q, top, passing):
    a = answerer.ask(q)
    scores = {_key(t): t["score"] for t in a.tasks}
    assert _key(a.tasks[0]) == top and scores[top] > scores[passing]  # above, not tied


def test_the_task_printing_the_word_typed_ranks_above_the_synonym_tables_word(answerer):
    # 托老所 is read as 日间照料中心 (the synonym table), which many tasks print; one prints 托老所
    a = answerer.ask("托老所建设谁负责")
    assert _key(a.tasks[0]) == ("capital-yanglao", "11") and a.tasks[0]["score"] > a.tasks[1]["score"]
