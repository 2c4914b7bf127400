"""Tests of index.parse per layout, on small inline documents and two invented fixtures."""

from pathlib import Path

import pytest

from index.parse import TASK_KEYS, Document, ParseError, parse_document, parse_text

FIXTURES = Path(__file__).parent / "fixtures"
T = "\t"


def brief(task):
    """A task without its empty fields, source and due dates (derived from deadlines:
    tests/test_due.py), for short assertions."""
    return {k: v for k, v in task.items() if v and k not in ("source", "due")}


# --- Word-export cell table ---------------------------------------------------------

CELL_DOC = f"""附件1
某市重点任务分工表
{T}序号
{T}重点任务
{T}责任单位

{T}1
{T}建立基本养老服务清单。
{T}市民政局、市卫健委按职责分工负责，各区人民政府负责。

{T}2
{T}到2025年，全市每千名老年人口拥有养老床位数达32张，
其中护理型床位占比不低于60%。
{T}市民政局牵头，各区人民政府负责。
"""


def test_cell_table_free_text_cells():
    doc = parse_text(CELL_DOC, "cells")
    assert isinstance(doc, Document) and doc.title == "某市重点任务分工表" and doc.warnings == []
    assert [brief(t) for t in doc.tasks] == [
        {"number": "1", "task": "建立基本养老服务清单。", "responsible": ["市民政局", "市卫健委"], "local": ["各区人民政府"]},
        {"number": "2", "task": "到2025年，全市每千名老年人口拥有养老床位数达32张，其中护理型床位占比不低于60%。",
         "lead": ["市民政局"], "local": ["各区人民政府"], "deadlines": ["2025年"]},
    ]
    assert all(tuple(t) == TASK_KEYS and t["source"] == "cells" for t in doc.tasks)


SECTIONED_DOC = f"""{T}某区重点任务分工表

{T}序号
{T}工作任务
{T}牵头单位
{T}配合单位
{T}完成时限

{T}一、完善服务网络

{T}1
{T}建设区域养老服务中心
{T}每个街道建成1个区域养老服务中心。
{T}区民政局

街道办事处
{T}区财政局
区卫健委
{T}2021年底

{T}二、加强人才队伍

{T}2
{T}培训养老护理员
{T}开展养老护理员岗位培训。
{T}区人社局
{T}区民政局
{T}长期
"""


def test_sectioned_table_name_and_text_cells_and_blank_line_inside_cell():
    doc = parse_text(SECTIONED_DOC, "sectioned")
    assert [brief(t) for t in doc.tasks] == [
        {"section": "一、完善服务网络", "number": "1", "title": "建设区域养老服务中心",
         "task": "每个街道建成1个区域养老服务中心。", "lead": ["区民政局", "街道办事处"],
         "support": ["区财政局", "区卫健委"], "deadlines": ["2021年底"]},
        {"section": "二、加强人才队伍", "number": "2", "title": "培训养老护理员", "task": "开展养老护理员岗位培训。",
         "lead": ["区人社局"], "support": ["区民政局"], "deadlines": ["长期"]},
    ]


# --- TSV table ------------------------------------------------------------------------

TSV_DOC = f"""附件

促进养老服务发展重点任务分工表

序号{T}重点任务{T}责任单位
1{T}制定养老服务发展规划。{T}民政厅、财政厅等有关部门（单位）按职责分工负责。
2{T}发展智慧健康养老。{T}经济和信息化厅、民政厅牵头，科技厅参加；各市（州）人民政府负责。

序号{T}重点任务{T}责任单位
2{T}发展智慧健康养老。{T}经济和信息化厅、民政厅牵头，科技厅参加；各市（州）人民政府负责。
3{T}到 2022 年，彩票公益金不低于 55% 用于养老服务。{T}民政厅、省卫生健康委和各市（州）人民政府负责。
"""


def test_tsv_table_repeated_header_and_duplicate_row():
    doc = parse_text(TSV_DOC, "tsv")
    assert [t["number"] for t in doc.tasks] == ["1", "2", "3"]
    assert len(doc.warnings) == 1 and "row 2 repeats" in doc.warnings[0]
    assert brief(doc.tasks[0]) == {"number": "1", "task": "制定养老服务发展规划。",
                                   "responsible": ["民政厅", "财政厅"], "others": True}
    assert brief(doc.tasks[1])["lead"] == ["经济和信息化厅", "民政厅"]
    assert brief(doc.tasks[2]) == {"number": "3", "task": "到 2022 年，彩票公益金不低于 55% 用于养老服务。",
                                   "responsible": ["民政厅", "省卫生健康委"], "local": ["各市（州）人民政府"],
                                   "deadlines": ["2022年"]}


def test_tsv_row_continued_across_page_break_is_merged():
    text = f"序号{T}重点任务{T}责任单位\n1{T}建立清单，{T}市民政局、\n\n序号{T}重点任务{T}责任单位\n{T}完善制度。{T}市财政局\n"
    doc = parse_text(text, "split")
    assert brief(doc.tasks[0]) == {"number": "1", "task": "建立清单，完善制度。", "responsible": ["市民政局", "市财政局"]}


# --- prose plan with an appendix table --------------------------------------------------

PROSE_DOC = f"""某县养老托育整体解决方案

三、重点任务

（一）健全服务体系

1.统筹规划服务设施。按标准配建设施，到2025年末，达标率100%。〔县住建局、县民政局、各乡镇政府〕

2.优化养老服务布局。完善三级网络。〔县民政局、县发改局〕

四、保障措施

（一）建立工作机制。成立工作专班。〔县发改局、县民政局〕

附件

某县重点任务分工表

{T}序号
{T}重点任务
{T}责任单位

{T}一、健全服务体系

{T}1
{T}统筹规划服务设施
{T}县住建局、县民政局、各乡镇政府

{T}2
{T}优化养老服务布局
{T}县民政局、县发改局

{T}二、保障措施

{T}1
{T}建立工作机制
{T}县发改局、县民政局
"""


def test_prose_plan_linked_to_appendix():
    doc = parse_text(PROSE_DOC, "prose")
    assert doc.title == "某县养老托育整体解决方案" and doc.warnings == []
    assert [brief(t) for t in doc.tasks] == [
        {"section": "一、健全服务体系", "number": "一.1", "title": "统筹规划服务设施",
         "task": "统筹规划服务设施。按标准配建设施，到2025年末，达标率100%。",
         "responsible": ["县住建局", "县民政局"], "local": ["各乡镇政府"], "deadlines": ["2025年末"]},
        {"section": "一、健全服务体系", "number": "一.2", "title": "优化养老服务布局", "task": "优化养老服务布局。完善三级网络。",
         "responsible": ["县民政局", "县发改局"]},
        {"section": "二、保障措施", "number": "二.1", "title": "建立工作机制", "task": "建立工作机制。成立工作专班。",
         "responsible": ["县发改局", "县民政局"]},
    ]


def test_prose_plan_links_by_position_when_titles_differ():
    text = PROSE_DOC.replace(f"{T}建立工作机制\n", f"{T}健全推进机制\n")
    doc = parse_text(text, "prose")
    assert doc.tasks[2]["task"] == "建立工作机制。成立工作专班。" and doc.tasks[2]["title"] == "健全推进机制"
    assert any("by position" in w for w in doc.warnings)


def test_prose_plan_warns_when_paragraph_units_differ_from_table():
    text = PROSE_DOC.replace("〔县民政局、县发改局〕", "〔县民政局〕")
    assert any("units differ" in w for w in parse_text(text, "prose").warnings)


def test_prose_tasks_without_appendix_labelled_lines():
    text = """某市养老服务工作方案

一、重点任务

1.完善居家养老服务。到2024年底建成社区服务站50个。
牵头单位：市民政局
配合单位：市财政局、市卫健委
完成时限：2024年12月

2.发展老年教育。（牵头单位：市教育局；责任单位：各区人民政府）
"""
    doc = parse_text(text, "labelled")
    assert [brief(t) for t in doc.tasks] == [
        {"section": "一、重点任务", "number": "1", "title": "完善居家养老服务", "task": "完善居家养老服务。到2024年底建成社区服务站50个。",
         "lead": ["市民政局"], "support": ["市财政局", "市卫健委"], "deadlines": ["2024年12月"]},
        {"section": "一、重点任务", "number": "2", "title": "发展老年教育", "task": "发展老年教育。",
         "lead": ["市教育局"], "support": ["各区人民政府"]},  # beside a 牵头 label: support (wild/README.md)
    ]


# --- people and duties --------------------------------------------------------------------

GROUP_DOC = f"""{CELL_DOC}
附件2
某县工作专班

一、组成人员

成立工作专班。成员如下：
组  长：张三丰  县长

副组长：李  四  副县长
成  员：王  五  县民政局局长

赵六一  县卫健局局长
二、工作机构

专班下设办公室，办公室主任由王五兼任，办公室副主任由县卫健局分管负责人担任。

三、主要职责

各成员单位要各负其责。

县民政局：负责统筹养老服务
体系建设。

县卫健局：负责医养结合工作。   

四、保障措施
"""


def test_people_and_duties():
    doc = parse_text(GROUP_DOC, "group")
    assert doc.people == [
        {"name": "张三丰", "group_role": "组长", "position": "县长", "office_role": None},
        {"name": "李四", "group_role": "副组长", "position": "副县长", "office_role": None},
        {"name": "王五", "group_role": "成员", "position": "县民政局局长", "office_role": "办公室主任"},
        {"name": "赵六一", "group_role": "成员", "position": "县卫健局局长", "office_role": None},
    ]
    assert doc.duties == [{"agency": "县民政局", "duty": "负责统筹养老服务体系建设。"},
                          {"agency": "县卫健局", "duty": "负责医养结合工作。"}]


# --- document options ------------------------------------------------------------------------

def test_parse_document_defaults_and_overrides(tmp_path):
    path = tmp_path / "mou-doc.txt"
    path.write_text(CELL_DOC, encoding="utf-8")
    doc = parse_document(path)
    assert (doc.source, doc.title, doc.jurisdiction) == ("mou-doc", "某市重点任务分工表", None)
    doc = parse_document(path, source="x", jurisdiction="某市", title="另一个标题")
    assert (doc.source, doc.title, doc.jurisdiction) == ("x", "另一个标题", "某市")
    assert {t["source"] for t in doc.tasks} == {"x"}


# --- malformed input ------------------------------------------------------------------------------

def parse_error(tmp_path, content: bytes) -> ParseError:
    """Write content to a file and return the ParseError parsing it raises."""
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ParseError) as info:
        parse_document(path)
    assert str(info.value).startswith(f"{path}:{info.value.line}: ")
    return info.value


@pytest.mark.parametrize("content", [b"", b"\n  \n\t\n"])
def test_empty_file(tmp_path, content):
    err = parse_error(tmp_path, content)
    assert (err.line, err.reason) == (1, "empty file")


def test_no_task_table(tmp_path):
    err = parse_error(tmp_path, "关于做好养老服务工作的通知\n\n请各单位认真落实。\n".encode())
    assert "no recognisable task table" in err.reason


def test_tsv_row_with_missing_column(tmp_path):
    text = f"序号{T}重点任务{T}责任单位\n1{T}建立清单。{T}市民政局\n2{T}完善制度。\n"
    err = parse_error(tmp_path, text.encode())
    assert err.line == 3 and "2 cells, the header has 3" in err.reason


def test_cell_row_with_missing_column(tmp_path):
    text = f"{T}序号\n{T}重点任务\n{T}责任单位\n\n{T}1\n{T}建立清单。\n\n{T}2\n{T}完善制度。\n{T}市民政局\n"
    err = parse_error(tmp_path, text.encode())
    assert err.line == 5 and "row 1 has 2 cells" in err.reason


def test_unknown_role_word_is_a_warning_and_keeps_the_units(tmp_path):
    """One odd cell no longer loses the document: a warning names file, line and text, and the
    task keeps its units as printed, in responsible."""
    text = f"序号{T}重点任务{T}责任单位\n1{T}建立清单。{T}市民政局\n2{T}完善制度。{T}市民政局主抓，各区人民政府负责\n"
    path = tmp_path / "odd.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse_document(path)
    assert [t["responsible"] for t in doc.tasks] == [["市民政局"], ["市民政局主抓", "各区人民政府负责"]]
    assert [t["lead"] + t["support"] + t["local"] for t in doc.tasks] == [[], []]
    assert len(doc.warnings) == 1
    w = doc.warnings[0]
    assert w.startswith(f"{path}:line 3: task 2: ") and "unknown role word '主抓'" in w
    assert "'市民政局主抓，各区人民政府负责'" in w


def test_units_without_a_role_word_is_a_warning(tmp_path):
    text = f"序号{T}重点任务{T}责任单位\n1{T}建立清单。{T}市民政局牵头，市财政局\n"
    doc = parse_text(text, "odd")
    assert doc.tasks[0]["responsible"] == ["市民政局牵头", "市财政局"]
    assert len(doc.warnings) == 1 and "units without a known role word" in doc.warnings[0]
    assert "odd:line 2: task 1" in doc.warnings[0]


def test_non_utf8_names_the_line(tmp_path):
    content = f"序号{T}重点任务{T}责任单位\n1{T}建立清单。{T}".encode() + "市民政局\n".encode("gbk")
    err = parse_error(tmp_path, content)
    assert err.line == 2 and "not UTF-8" in err.reason


def test_unrecognised_table_row(tmp_path):
    text = f"序号{T}重点任务{T}责任单位\n1{T}建立清单。{T}市民政局\n甲{T}完善制度。{T}市财政局\n"
    err = parse_error(tmp_path, text.encode())
    assert err.line == 3 and "unrecognised table row" in err.reason


# --- invented documents: the parser reads the genre, not the five seeds ---------------------------

def test_fixture_county_cell_table_half_width_and_labels():
    doc = parse_document(FIXTURES / "mouxian-yilaoyixiao.txt")
    assert doc.source == "mouxian-yilaoyixiao" and doc.title == "某县“一老一小”重点任务分工表" and doc.warnings == []
    assert [brief(t) for t in doc.tasks] == [
        {"number": "1", "task": "到2023年底,全县建成10个社区嵌入式养老服务站点,实现城区全覆盖。",
         "lead": ["县民政局"], "support": ["县财政局", "县住房和城乡建设局", "各乡(镇)人民政府"], "deadlines": ["2023年底"]},
        {"number": "2", "task": "推进医养结合,2024年6月底前实现乡镇卫生院与敬老院签约服务全覆盖。",
         "lead": ["县卫生健康局"], "support": ["县民政局", "县医疗保障局"], "local": ["各乡(镇)人民政府"],
         "deadlines": ["2024年6月底"]},
        {"number": "3", "task": "加强托育从业人员培训,每年培训不少于200人次",
         # beside a 牵头 label the 责任单位 list is support (wild/README.md, convention 3)
         "lead": ["县人力资源和社会保障局"], "support": ["县教育和体育局", "各乡(镇)人民政府"]},
        {"number": "4", "task": "完善困难老年人探访关爱制度,建立特殊困难老年人信息台账。",
         "support": ["县妇联"], "responsible": ["县民政局", "县残联"], "others": True},
        {"number": "5", "task": "至2025年,每个乡(镇)至少建有1所具备全日托养功能的区域养老服务中心。",
         "lead": ["县民政局"], "responsible": ["县财政局"], "local": ["各乡(镇)人民政府"], "deadlines": ["2025年"]},
    ]


def test_fixture_city_tsv_lead_support_deadline_columns():
    doc = parse_document(FIXTURES / "moushi-zhihui-yanglao.txt")
    assert doc.title == "某市智慧健康养老行动任务分工"
    assert doc.warnings == ["line 11: row 3 repeats line 8; kept one"]
    assert [brief(t) for t in doc.tasks] == [
        {"section": "一、夯实数据基础", "number": "1", "task": "建立全市老年人健康档案数据库，实现动态更新。",
         "lead": ["市卫生健康委"], "support": ["市大数据局", "市民政局"], "deadlines": ["2023年12月"]},
        {"section": "一、夯实数据基础", "number": "2", "task": "打通民政、卫健、医保养老服务数据，形成统一的老年人服务对象名册。",
         "lead": ["市大数据局"], "support": ["市民政局", "市医保局", "各区县人民政府"], "deadlines": ["2024年6月"]},
        {"section": "二、拓展服务场景", "number": "3", "task": "在社区养老服务中心推广智能看护设备，到2025年覆盖率达到60%。",
         "lead": ["市民政局"], "support": ["市经济和信息化局", "市科技局"], "deadlines": ["2024年底"]},
        {"section": "二、拓展服务场景", "number": "4", "task": "开展“互联网+护理服务”试点。",
         "lead": ["市卫生健康委"], "support": ["市医保局"], "deadlines": ["2025年6月", "2025年底"]},
    ]
