"""The answer pipeline end to end on the real store, and the `ask` CLI contract."""
import json
import subprocess

import pytest

from conftest import EVAL, PYTHON, ROOT

JSON_KEYS = {"question", "intent", "facet", "tasks", "agency", "duties", "people", "suggestions", "reply"}
TASK_KEYS = {"source", "section", "number", "title", "task", "lead", "support", "responsible", "local", "others", "deadlines", "due"}


def test_who_answer_has_roles_and_document(answerer):
    a = answerer.ask("谁负责家庭养老床位")
    top = a.tasks[0]
    assert (a.intent, top["source"], top["number"]) == ("task", "sanya-yilaoyixiao", "20")
    assert top["lead"] == ["市民政局"] and "各区人民政府" in top["local"]
    assert "牵头：市民政局" in a.reply and "三亚市“一老一小”重点任务分工表 第20项" in a.reply


def test_plain_list_says_no_lead(answerer):
    a = answerer.ask("省会城市老年人家庭无障碍设施改造谁负责")
    assert a.tasks[0]["source"] == "capital-yanglao"
    assert "未区分牵头" in a.reply and "牵头：" not in a.reply.split("\n\n")[0]


def test_deadline_facet_puts_the_deadline_first(answerer):
    a = answerer.ask("長者飯堂什麼時候完成")
    assert a.facet == "deadline" and a.tasks[0]["deadlines"] == ["2020年12月"]
    assert a.blocks[1].split("\n")[2] == "完成时限：2020年12月"


def test_typo_from_a_pinyin_keyboard_still_finds_the_task(answerer):
    a = answerer.ask("家庭养老床为谁牵头")
    assert a.tasks[0]["number"] == "20"


def test_same_task_in_two_documents_shows_both(answerer):
    a = answerer.ask("吸纳劳动者的养老托育机构给社保补贴，这事谁负责")
    keys = {(t["source"], t["number"]) for t in a.tasks[:3]}
    assert {("sanya-yilaoyixiao", "14"), ("sichuan-yanglao-tuoyu", "29")} <= keys


@pytest.mark.parametrize("q", ["谁负责高速公路建设", "今天天气怎么样", "帮我写一首关于春天的诗", "河道治理谁牵头"])
def test_out_of_scope_is_not_found_with_help(answerer, q):
    a = answerer.ask(q)
    assert a.intent == "not_found" and not a.tasks
    assert "可以这样问" in a.reply or "您是不是想问" in a.reply


def test_agency_in_two_jurisdictions_answers_for_each_grouped_by_document(answerer):
    a = answerer.ask("市民政局有哪些任务")
    assert isinstance(a.agency, list) and {x["jurisdiction"] for x in a.agency} == {"三亚市", "省会城市"}
    sources = [t["source"] for t in a.tasks]
    assert sources == sorted(sources, key=sources.index), "tasks grouped by document"
    assert {"sanya-yilaoyixiao", "sanya-jujia-yanglao", "capital-yanglao"} <= set(sources)
    assert all(t["role"] in ("lead", "support", "responsible", "local") for t in a.tasks)
    assert "《三亚市“一老一小”重点任务分工表》" in a.reply


def test_agency_role_filter_and_jurisdiction(answerer):
    a = answerer.ask("三亚市住建局配合哪些工作")
    assert a.agency == {"canonical": "市住房和城乡建设局", "jurisdiction": "三亚市"}
    assert a.tasks and all(t["role"] == "support" for t in a.tasks)
    lead = answerer.ask("民政厅牵头的任务有哪些")
    assert lead.tasks and all(t["role"] in ("lead", "responsible") for t in lead.tasks)
    assert any("民政部" in t["lead"] for t in lead.tasks), "民政部 in 四川's table is 民政厅"


def test_bound_agency_and_scope(answerer):
    mine = answerer.ask("我的任务", agency="县妇联")
    assert mine.intent == "agency_tasks" and mine.agency["jurisdiction"] == "宝清县"
    scoped = answerer.ask("养老托育机构社保补贴谁负责", scope="四川省")
    assert {t["source"] for t in scoped.tasks} == {"sichuan-yanglao-tuoyu"}


def test_unknown_place_is_not_answered_for_another(answerer):
    a = answerer.ask("深圳市民政局有哪些任务")
    assert a.intent == "not_found" and "深圳" in a.reply


@pytest.mark.parametrize("q", ["深圳有哪些任务", "北京的养老床位谁负责", "广州养老床位谁负责"])
def test_a_short_place_name_we_hold_nothing_for_is_said_so(answerer, q):
    a = answerer.ask(q)
    assert a.intent == "not_found" and "暂未收录" in a.reply and q[:2] in a.reply


def test_an_agency_and_a_role_word_alone_list_its_tasks_in_that_role(answerer):
    lead = answerer.ask("三亚市民政局牵头的")
    assert lead.intent == "agency_tasks" and lead.role == "lead" and lead.tasks
    assert all(t["role"] in ("lead", "responsible") for t in lead.tasks)
    support = answerer.ask("三亚市住建局配合的")
    assert support.role == "support" and all(t["role"] == "support" for t in support.tasks)


@pytest.mark.parametrize("q", ["有哪些文件", "你收录了哪些方案", "目前有几份文件"])
def test_what_documents_are_held(answerer, q):
    a = answerer.ask(q)
    assert a.intent == "documents" and not a.tasks
    for s in answerer.documents():
        assert f"{s['title']}（{s['jurisdiction']}，{s['tasks']} 项）" in a.reply


def test_a_place_lists_its_documents_and_a_named_document_its_tasks(answerer):
    docs = {s["id"]: s for s in answerer.documents()}
    sanya = answerer.ask("三亚有哪些任务")
    assert sanya.intent == "documents" and "2 份文件" in sanya.reply
    assert {s["title"] for s in docs.values() if s["jurisdiction"] == "三亚市"} == {
        s["title"] for s in docs.values() if s["title"] in sanya.reply}
    for q, source in (("居家养老试点有哪些任务", "sanya-jujia-yanglao"),
                      ("三亚一老一小方案里有哪些任务", "sanya-yilaoyixiao"),
                      ("四川那份文件有哪些任务", "sichuan-yanglao-tuoyu")):  # the place's one document
        a = answerer.ask(q)
        assert a.intent == "documents" and {t["source"] for t in a.tasks} == {source}, q
        assert len(a.tasks) == docs[source]["tasks"] and len(a.blocks) == len(a.tasks) + 1, q
    first = answerer.ask("居家养老试点有哪些任务")
    assert "第1项 健全养老服务工作机制 · 牵头：市民政局 · 时限：2020年6月" in first.reply
    # its list is a context: 第二个 opens the second task
    second = answerer.ask("第二个", context=first.context())
    assert second.intent == "task" and second.tasks[0]["number"] == first.tasks[1]["number"]
    # words beyond the title are task content, not a document list
    assert answerer.ask("居家养老试点里养老床位有哪些任务").intent != "documents"


def test_duty_and_person(answerer):
    d = answerer.ask("县统计局在一老一小专班里的主要职责")
    assert d.intent == "agency_duty" and d.duties[0]["agency"] == "县统计局"
    p = answerer.ask("王云峰是谁")
    assert p.people[0]["name"] == "王云峰" and p.people[0]["office_role"] == "办公室主任"


def test_ask_json_contract(cli_env):
    out = subprocess.run([PYTHON, "-m", "bot", "ask", "--json", "谁负责家庭养老床位"], env=cli_env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    obj = json.loads(out.stdout)
    assert set(obj) == JSON_KEYS
    assert set(obj["tasks"][0]) == TASK_KEYS | {"score"}
    assert isinstance(obj["tasks"][0]["score"], float)


def test_ask_batch_keeps_order_in_one_process(cli_env, tmp_path):
    qs = tmp_path / "q.txt"
    qs.write_text('谁负责家庭养老床位\n{"q": "市民政局有哪些任务"}\n\n今天天气怎么样\n', encoding="utf-8")
    out = subprocess.run([PYTHON, "-m", "bot", "ask", "--json", "--batch", str(qs)], env=cli_env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    intents = [json.loads(line)["intent"] for line in out.stdout.splitlines()]
    assert intents == ["task", "agency_tasks", "not_found"]


def test_ask_batch_splits_lines_at_newline_only(cli_env, tmp_path):
    """U+2028, U+0085 and a lone CR inside a question are no line ends (str.splitlines
    would split there); a CRLF file's CR goes; the output splits back one line each."""
    qs = tmp_path / "q.txt"
    questions = ["谁负责家庭养老床位\u2028长者饭堂", "市民政局\x85有哪些任务", "今天天气\r怎么样", "长者饭堂谁牵头\r"]
    qs.write_bytes("\n".join(questions).encode("utf-8"))
    out = subprocess.run([PYTHON, "-m", "bot", "ask", "--json", "--batch", str(qs)], env=cli_env, cwd=ROOT,
                         capture_output=True, check=True)
    text = out.stdout.decode("utf-8")
    answers = [json.loads(line) for line in text.splitlines()]  # even the strictest reader
    assert len(answers) == 4 == len(text.split("\n")) - 1
    assert [a["question"] for a in answers] == [*questions[:3], "长者饭堂谁牵头"]


def test_ask_into_a_closed_pipe_ends_quietly(cli_env, tmp_path):
    """`ask --json --batch … | head -1`: no BrokenPipeError traceback."""
    qs = tmp_path / "q.txt"
    qs.write_text("市民政局有哪些任务\n" * 300, encoding="utf-8")  # far more than a pipe buffer
    proc = subprocess.Popen([PYTHON, "-m", "bot", "ask", "--json", "--batch", str(qs)], env=cli_env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away
    err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=60)
    assert json.loads(first)["intent"] == "agency_tasks"
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code == 141


@pytest.mark.skipif(not (EVAL / "score.py").exists(), reason="shared/eval not beside the checkout")
def test_dev_accuracy_stays_above_the_bar(cli_env):
    out = subprocess.run([PYTHON, str(EVAL / "score.py"), str(EVAL / "dev.jsonl"), "--min", "0.97", "--min-kind", "0.95"],
                         env=cli_env, cwd=ROOT, capture_output=True, text=True)
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_list_header_names_a_few_agencies_then_counts(answerer, monkeypatch):
    import bot.answer

    monkeypatch.setattr(bot.answer, "NAMED_AGENCIES", 2)
    a = answerer.ask("民政有哪些任务")
    assert len(a.agency_ids) == 4 and "等 4 个单位共有" in a.blocks[0]
    assert a.blocks[0].split("等 4 个单位", 1)[0].count("（") == 2  # two named, the rest counted
