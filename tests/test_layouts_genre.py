"""The genre's other layouts (issue 9), each on a small inline document, and three invented
documents in layouts neither wild/ nor the seeds use (tests/fixtures/mou*)."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.parse import ParseError, parse_document, parse_text

FIXTURES = Path(__file__).parent / "fixtures"
T = "\t"


def roles(task: dict) -> dict:
    """A task's number, roles and deadlines without the empty ones."""
    keys = ("number", "lead", "support", "responsible", "local", "others", "deadlines")
    return {k: task[k] for k in keys if task[k]}


# --- tables printed as text ------------------------------------------------------------------

def test_flattened_table_one_cell_per_line_with_people_and_merged_task_cell():
    """" |" cells; 分管领导 is a person, never a unit; 主要任务 and 全年目标任务 merged into one
    cell leave the row a cell short; a count inside a row does not start a new row."""
    text = "\n".join([
        "某区民生实事推进情况", "序号 |", "主要任务 |", "全年目标任务 |", "分管 领导 |", "牵头 单位 |",
        "责任主体与协同单位 |", "推进情况 |", "备注 |",
        "7 |", "新建口袋公园5个。 |", "李明 |", "区园林局 |", "区城管局、各街道 |", "5 |", "|",
        "8 |", "改造老旧小区12个。 |", "王芳 |", "区住建局 |", "区财政局 |", "已完成8个。 |", "无 |", "|",
    ])
    doc = parse_text(text, "flat")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "7", "lead": ["区园林局"], "support": ["区城管局", "各街道"]},
        {"number": "8", "lead": ["区住建局"], "support": ["区财政局"]},
    ]
    assert doc.tasks[0]["task"] == "新建口袋公园5个。"


def test_spaces_separated_table_with_wrapped_task_line():
    text = ("某镇任务清单\n\n序号  重点任务  主办单位  协办单位  时间节点\n"
            "1  建成镇级养老服务中心，  镇民政办  镇财政所  2025年6月底前\n"
            "   配备专职护理人员。\n"
            "2  开展老年人健康体检。  镇卫生院  各村委会  2024年底\n")
    doc = parse_text(text, "spaced")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "1", "lead": ["镇民政办"], "support": ["镇财政所"], "deadlines": ["2025年6月底"]},
        {"number": "2", "lead": ["镇卫生院"], "support": ["各村委会"], "deadlines": ["2024年底"]},
    ]
    assert doc.tasks[0]["task"] == "建成镇级养老服务中心，配备专职护理人员。"


def test_markdown_table_with_sections_empty_numbers_and_br_units():
    text = ("| 序号 | 工作任务 | 责任单位 | 完成时间 |\n|---|---|---|---|\n"
            "| 一、健全服务体系 | | | |\n"
            "| | 建立清单。 | 市民政局<br>市财政局 | 2024年底前 |\n"
            "| | 完善制度。 | 市卫健委 | 到2025年 |\n"
            "| 二、强化保障 | | | |\n"
            "| | 加强督查。 | 市政府办公室 | 每年 |\n")
    doc = parse_text(text, "md")
    assert [(t["section"], t["number"], t["responsible"], t["deadlines"]) for t in doc.tasks] == [
        ("一、健全服务体系", "1", ["市民政局", "市财政局"], ["2024年底"]),
        ("一、健全服务体系", "2", ["市卫健委"], ["2025年"]),
        ("二、强化保障", "3", ["市政府办公室"], ["每年"]),
    ]


def test_real_table_blocks_numbered_restarting_per_table_and_repeated_header_skipped():
    """Table blocks as the .docx/.xlsx readers give them: cells are lists of lines (one unit a
    line); 序号 cells left empty by Word's automatic numbering are numbered, restarting with
    each table; a spanning row is a section; a repeated header row (a new page) is skipped."""
    from index.blocks import BlockDocument, Paragraph, Table, TableRow
    from index.parse import parse_blocks

    def table(n: int, section: str, tasks: list[str]) -> Table:
        head = TableRow([["序号"], ["重点任务"], ["牵头单位"], ["配合单位"]], f"table {n} row 1")
        rows = [head, TableRow([[section]] * 4, f"table {n} row 2", spanning=True),
                TableRow([[], [tasks[0]], ["市民政局"], ["市财政局", "各区人民政府"]], f"table {n} row 3"),
                TableRow(head.cells, f"table {n} row 4"),
                TableRow([[], [tasks[1]], ["市卫健委"], []], f"table {n} row 5")]
        return Table(rows, where=f"table {n}")

    blocks = BlockDocument("x.docx", [Paragraph("某市分工表", "paragraph 1"),
                                      table(1, "一、养老", ["建立清单。", "完善制度。"]),
                                      table(2, "二、托育", ["新增托位。", "加强监管。"])])
    doc = parse_blocks(blocks, "x")
    assert [(t["number"], t["section"], t["task"], t["lead"], t["support"]) for t in doc.tasks] == [
        ("一.1", "一、养老", "建立清单。", ["市民政局"], ["市财政局", "各区人民政府"]),
        ("一.2", "一、养老", "完善制度。", ["市卫健委"], []),
        ("二.1", "二、托育", "新增托位。", ["市民政局"], ["市财政局", "各区人民政府"]),
        ("二.2", "二、托育", "加强监管。", ["市卫健委"], []),
    ]


def test_a_cell_the_grammar_does_not_know_in_a_real_table_names_sheet_row():
    from index.blocks import BlockDocument, Table, TableRow
    from index.parse import parse_blocks

    rows = [TableRow([["序号"], ["重点任务"], ["责任单位"]], "sheet 任务 row 1"),
            TableRow([["1"], ["建立清单。"], ["市民政局主抓"]], "sheet 任务 row 2")]
    doc = parse_blocks(BlockDocument("x.xlsx", [Table(rows, "sheet 任务", name="任务")]), "x", path="x.xlsx")
    assert doc.tasks[0]["responsible"] == ["市民政局主抓"]
    assert doc.warnings and doc.warnings[0].startswith("x.xlsx:sheet 任务 row 2: task 1: unknown role word")


# --- prose items ------------------------------------------------------------------------------

NOTICE = """某市人民政府关于促进就业的若干意见
各区人民政府，市政府各部门：
现提出以下意见：
一、总体要求
（一）指导思想。坚持就业优先。
（二）主要目标。到2025年，城镇新增就业10万人。
二、重点任务
（三）加大稳岗支持力度。对不裁员的企业返还失业保险费。（市人社局、市财政局负责。排名第一位为牵头单位）
（四）支持创业载体建设。建设创业孵化基地。（市人社局、市科技局，各区人民政府按职责分工负责）
（五）开展失业人员培训。（市人社局、市教育局等有关部门和单位负责）
（六）落实主体责任。（各有关部门和单位，各区人民政府按职责分工负责）
"""


def test_first_listed_is_lead_rule_and_headings_are_not_tasks():
    doc = parse_text(NOTICE, "notice")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "三", "lead": ["市人社局"], "support": ["市财政局"]},
        {"number": "四", "lead": ["市人社局"], "support": ["市科技局"], "local": ["各区人民政府"]},
        {"number": "五", "lead": ["市人社局"], "support": ["市教育局"], "others": True},
        {"number": "六", "responsible": ["各有关部门和单位"], "local": ["各区人民政府"]},
    ]
    assert "排名第一位" not in doc.tasks[0]["task"]


@pytest.mark.parametrize("rule", ["列第一位者为牵头单位，下同", "排在第一位的部门为牵头部门，下同"])
def test_lead_rule_applies_only_from_where_it_is_stated(rule):
    text = ("1.甲任务。（市民政局、市财政局负责）\n"
            f"2.乙任务。（市卫健委、市医保局负责，{rule}）\n"
            "3.丙任务。（市教育局、市体育局负责）\n")
    doc = parse_text(text, "rule")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "1", "responsible": ["市民政局", "市财政局"]},
        {"number": "2", "lead": ["市卫健委"], "support": ["市医保局"]},
        {"number": "3", "lead": ["市教育局"], "support": ["市体育局"]},
    ]


def test_several_clauses_in_one_item_merge_in_order_and_other_brackets_stay_text():
    text = ("（十）鼓励创新创业。推进商事制度改革。（市场监管总局负责）加强创业教育（含技工院校）。"
            "（体育总局、教育部负责）提升服务水平。（体育总局、网信办负责）\n")
    doc = parse_text(text, "clauses")
    assert roles(doc.tasks[0]) == {"number": "十", "responsible": ["市场监管总局", "体育总局", "教育部", "网信办"]}
    assert "（含技工院校）" in doc.tasks[0]["task"] and "负责" not in doc.tasks[0]["task"]


def test_labelled_responsible_list_with_scope_field_and_trailing_deng():
    text = ("（一）研究设立试点。（负责部门：商务部、海关总署；适用范围：福建自贸试验区）\n"
            "（二）推动人民币结算。（负责部门：人民银行等部门，适用范围：浙江自贸试验区）\n")
    doc = parse_text(text, "scope")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "一", "responsible": ["商务部", "海关总署"]},
        {"number": "二", "responsible": ["人民银行"], "others": True},
    ]


def test_named_list_and_territorial_body_joined_by_he():
    doc = parse_text("（四）打通供应链条。（商务部、发展改革委等和各有关省级人民政府负责）\n", "he")
    assert roles(doc.tasks[0]) == {"number": "四", "responsible": ["商务部", "发展改革委"],
                                   "local": ["各有关省级人民政府"], "others": True}


def test_notice_preamble_items_and_label_lines_with_no_lead():
    text = ("关于印发任务分解方案的通知\n\n一、各责任单位要高度重视，于2023年1月15日前报送工作方案。\n\n"
            "二、区绩效考评机构要将目标任务纳入考核。\n\n某区任务分解方案\n\n一、主要预期目标\n\n"
            "(一)地区生产总值增长7%以上\n\n责任单位:区发展和改革局\n\n"
            "(二)固定资产投资增长10%以上\n\n责任单位:区发展和改革局、区财政局\n")
    doc = parse_text(text, "caidian-like")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "一", "responsible": ["区发展和改革局"]},
        {"number": "二", "responsible": ["区发展和改革局", "区财政局"]},
    ]


def test_a_document_with_no_task_is_an_error():
    with pytest.raises(ParseError) as err:
        parse_text("关于开展调研的通知\n一、请各单位高度重视。\n二、按时报送材料。\n", "none")
    assert "no recognisable task" in err.value.reason


# --- invented documents in layouts wild/ and the seeds do not use -----------------------------

def test_fixture_markdown_five_column_table():
    doc = parse_document(FIXTURES / "mouqu-markdown-fengong.md")
    assert doc.title == "某区2024年为民办实事项目任务分工表" and doc.warnings == []
    assert [(t["section"], roles(t)) for t in doc.tasks] == [
        ("一、养老服务", {"number": "1", "lead": ["区民政局"], "support": ["区财政局", "各街道办事处"],
                      "deadlines": ["2024年10月底"]}),
        ("一、养老服务", {"number": "2", "lead": ["区民政局"], "support": ["区住房和城乡建设局", "区残联"],
                      "deadlines": ["2024年12月"]}),
        ("二、托育服务", {"number": "3", "lead": ["区卫生健康局"], "support": ["区教育局", "区市场监督管理局"],
                      "others": True, "deadlines": ["2024年底"]}),
        ("二、托育服务", {"number": "4", "lead": ["区卫生健康局"], "support": ["区发展和改革局"],
                      "deadlines": ["2025年6月底"]}),
    ]


def test_fixture_plan_with_labelled_lines_after_a_notice():
    doc = parse_document(FIXTURES / "mouxian-biaoqian-fangan.txt")
    assert doc.warnings == []
    assert [roles(t) for t in doc.tasks] == [
        {"number": "一", "lead": ["县市场监督管理局"], "support": ["县税务局", "县公安局"], "deadlines": ["2024年6月底"]},
        {"number": "二", "lead": ["县住房和城乡建设局"],
         "support": ["县自然资源和规划局", "县发展和改革委员会", "各乡镇人民政府"], "deadlines": ["2024年9月"]},
        {"number": "三", "responsible": ["县税务局", "县财政局"]},
        {"number": "四", "lead": ["县人力资源和社会保障局"], "support": ["各乡镇人民政府", "县工业园区管委会"],
         "others": True},
    ]
    assert all("张建国" not in str(t) for t in doc.tasks), "a 分管领导 is a person, never a unit"


def test_fixture_spaces_separated_table():
    doc = parse_document(FIXTURES / "mouzhen-kongge-biaoge.txt")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "1", "lead": ["镇建设办"], "support": ["镇财政所", "各村委会"], "deadlines": ["2024年11月"]},
        {"number": "2", "lead": ["镇农业服务中心"], "support": ["镇卫生院"], "deadlines": ["2024年8月底"]},
        {"number": "3", "lead": ["镇城管办"], "support": ["镇财政所", "镇环保站", "各村委会"], "deadlines": ["2024年12月底"]},
    ]
    assert doc.tasks[0]["task"] == "完成12个行政村生活污水管网建设，实现污水集中处理。"


def test_rows_run_together_with_no_separator():
    text = ("某县民生工程任务分工表\n序号 重点任务 责任单位 完成时限\n一、养老服务\n"
            "1 建设2个街道综合养老服务中心。县民政局牵头，县财政局、各乡镇人民政府配合 2024年底前 "
            "2 实施适老化改造150户。县民政局、县残联负责 2024年10月\n二、托育服务\n"
            "3新增托位200个。县卫生健康局牵头，县教育局等部门配合2025年6月底4建设县托育综合服务中心。县卫生健康局负责长期\n")
    doc = parse_text(text, "runs")
    assert [(t["section"], t["task"], roles(t)) for t in doc.tasks] == [
        ("一、养老服务", "建设2个街道综合养老服务中心。",
         {"number": "1", "lead": ["县民政局"], "support": ["县财政局", "各乡镇人民政府"], "deadlines": ["2024年底"]}),
        ("一、养老服务", "实施适老化改造150户。",
         {"number": "2", "responsible": ["县民政局", "县残联"], "deadlines": ["2024年10月"]}),
        ("二、托育服务", "新增托位200个。",
         {"number": "3", "lead": ["县卫生健康局"], "support": ["县教育局"], "others": True, "deadlines": ["2025年6月底"]}),
        ("二、托育服务", "建设县托育综合服务中心。",
         {"number": "4", "responsible": ["县卫生健康局"], "deadlines": ["长期"]}),
    ]


def test_item_ending_in_an_unbracketed_unit_sentence():
    text = ("1.建立清单。市民政局牵头，市财政局配合。\n2.完善制度，由市民政局负责。\n"
            "3.推进试点。各区人民政府负责组织实施。\n4.开展督查。市政府督查室负责。\n")
    doc = parse_text(text, "free")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "1", "lead": ["市民政局"], "support": ["市财政局"]},
        {"number": "4", "responsible": ["市政府督查室"]},
    ]


def test_two_row_header_and_sections_in_the_number_column():
    from index.blocks import BlockDocument, Table, TableRow
    from index.parse import parse_blocks

    rows = [TableRow([["序号"], ["重点任务"], ["责任单位"], ["责任单位"], ["完成时限"]], "table 1 row 1"),
            TableRow([["序号"], ["重点任务"], ["牵头单位"], ["配合单位"], ["完成时限"]], "table 1 row 2"),
            TableRow([["一"], ["健全服务体系"], [], [], []], "table 1 row 3"),
            TableRow([["1"], ["建立清单。"], ["市民政局"], ["市财政局"], ["2024年底前"]], "table 1 row 4"),
            TableRow([[], ["（二）强化保障"], [], [], []], "table 1 row 5"),
            TableRow([["2"], ["完善制度。"], ["市卫健委"], ["市医保局", "各区政府"], ["2025年"]], "table 1 row 6")]
    doc = parse_blocks(BlockDocument("x.docx", [Table(rows, "table 1")]), "x")
    assert [(t["section"], roles(t)) for t in doc.tasks] == [
        ("一、健全服务体系", {"number": "1", "lead": ["市民政局"], "support": ["市财政局"], "deadlines": ["2024年底"]}),
        ("（二）强化保障", {"number": "2", "lead": ["市卫健委"], "support": ["市医保局", "各区政府"], "deadlines": ["2025年"]}),
    ]
    assert doc.warnings == []


def test_real_table_row_of_another_shape_is_a_warning_not_a_lost_document():
    from index.blocks import BlockDocument, Table, TableRow
    from index.parse import parse_blocks

    rows = [TableRow([["序号"], ["重点任务"], ["牵头单位"], ["配合单位"], ["完成时限"]], "table 1 row 1"),
            TableRow([["1"], ["建立清单。"], ["市民政局"], ["市财政局"], ["2024年底"]], "table 1 row 2"),
            TableRow([["2"], ["完善制度。"], ["市卫健委"]], "table 1 row 3")]
    doc = parse_blocks(BlockDocument("x.docx", [Table(rows, "table 1")]), "x")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "1", "lead": ["市民政局"], "support": ["市财政局"], "deadlines": ["2024年底"]},
        {"number": "2", "lead": ["市卫健委"]},
    ]
    assert doc.warnings == ["table 1 row 3: row 2 has 3 cells, the header has 5; read left to right"]


@pytest.mark.parametrize("rule", ["列第一位者为牵头单位，下同", "排在第一位的部门为牵头部门，下同", "排名第一位为牵头单位",
                                  "排在第一位的为牵头单位"])
def test_lead_rule_phrasings(rule):
    doc = parse_text(f"各项任务中，{rule}。\n（一）甲任务。（市民政局、市财政局负责）\n", "rule")
    assert roles(doc.tasks[0]) == {"number": "一", "lead": ["市民政局"], "support": ["市财政局"]}


def test_tsv_table_without_a_number_column_is_numbered():
    text = ("某市分工表\n重点任务\t牵头单位\t配合单位\t完成时限\n一、养老\n"
            "建立清单。\t市民政局\t市财政局\t2024年底前\n完善制度。\t市卫健委\t\t2025年\n")
    doc = parse_text(text, "nonum")
    assert [(t["section"], roles(t)) for t in doc.tasks] == [
        ("一、养老", {"number": "1", "lead": ["市民政局"], "support": ["市财政局"], "deadlines": ["2024年底"]}),
        ("一、养老", {"number": "2", "lead": ["市卫健委"], "deadlines": ["2025年"]}),
    ]


def test_header_words_people_columns_and_bracketed_row_numbers():
    from index.layouts import column_kinds

    assert column_kinds(["序 号", "主要任务", "牵头责任单位", "主要协作单位", "分管领导", "责任单位及责任人", "进度安排",
                         "完成情况", "备注", "全年目标任务"]) == [
        "number", "task", "lead", "support", "person", "responsible", "deadline", "other", "other", "other"]
    text = f"序号{T}重点任务{T}责任领导{T}责任单位\n（1）{T}建立清单。{T}张三{T}市民政局\n(2){T}完善制度。{T}李四{T}市财政局\n"
    doc = parse_text(text, "people")
    assert [roles(t) for t in doc.tasks] == [{"number": "1", "responsible": ["市民政局"]},
                                             {"number": "2", "responsible": ["市财政局"]}]


def test_two_row_header_whose_upper_cell_is_merged_across_two_columns():
    """The upper row's merged 责任单位 appears once, so the lower row has more cells: the lower
    row alone is the header."""
    from index.blocks import BlockDocument, Table, TableRow
    from index.parse import parse_blocks

    rows = [TableRow([["某区重点任务清单"]], "sheet 1 row 1", spanning=True),
            TableRow([["序号"], ["工作任务"], ["责任单位"], ["完成时间"], ["备注"]], "sheet 1 row 2"),
            TableRow([["序号"], ["工作任务"], ["牵头单位"], ["配合单位"], ["完成时间"], ["备注"]], "sheet 1 row 3"),
            TableRow([["1"], ["推进老旧小区改造。"], ["区住建局"], ["区财政局、各街道"], ["2024年12月"], []], "sheet 1 row 4")]
    doc = parse_blocks(BlockDocument("x.xlsx", [Table(rows, "sheet 1")]), "x")
    assert [roles(t) for t in doc.tasks] == [
        {"number": "1", "lead": ["区住建局"], "support": ["区财政局", "各街道"], "deadlines": ["2024年12月"]}]
    assert doc.warnings == []


def test_paragraphs_of_a_word_file_are_named_by_paragraph_in_warnings_and_errors():
    from index.blocks import BlockDocument, Paragraph
    from index.parse import parse_blocks

    paras = [Paragraph("某县方案", "paragraph 1"), Paragraph("1.建立清单。（县民政局主抓，县财政局负责）", "paragraph 2"),
             Paragraph("2.完善制度。〔县财政局、县卫健委", "paragraph 5")]
    with pytest.raises(ParseError) as err:
        parse_blocks(BlockDocument("x.docx", paras), "x", path="x.docx")
    assert str(err.value).startswith("x.docx:") and "paragraph 5: task 2: unit list" in err.value.reason
    doc = parse_blocks(BlockDocument("x.docx", paras[:2] + [Paragraph("2.完善制度。（县财政局负责）", "paragraph 5")]),
                       "x", path="x.docx")
    assert [t["responsible"] for t in doc.tasks] == [["县民政局主抓", "县财政局负责"], ["县财政局"]]
    assert doc.warnings[0].startswith("x.docx:paragraph 2: task 1: unknown role word '主抓'")


def test_real_table_numbers_printed_as_chinese_numerals_or_compound_are_kept():
    from index.blocks import BlockDocument, Table, TableRow
    from index.parse import parse_blocks

    rows = [TableRow([["编号"], ["工作任务"], ["责任部门"]], "sheet 1 row 1"),
            TableRow([["一、改革"]] * 3, "sheet 1 row 2", spanning=True),
            TableRow([["（十七）"], ["研究保税监管。"], ["商务部、海关总署"]], "sheet 1 row 3"),
            TableRow([["一.二"], ["规上工业增加值增长12%以上。"], ["区科技和经信局"]], "sheet 1 row 4"),
            TableRow([["①"], ["建设口岸。"], ["海关总署"]], "sheet 1 row 5")]
    doc = parse_blocks(BlockDocument("x.xlsx", [Table(rows, "sheet 1")]), "x")
    assert [(t["number"], t["responsible"]) for t in doc.tasks] == [
        ("十七", ["商务部", "海关总署"]), ("一.二", ["区科技和经信局"]), ("①", ["海关总署"])]
    assert doc.warnings == []


def test_prose_clauses_that_carry_out_and_a_time_inside_the_bracket():
    """Two common forms: a clause ending in 抓好落实 (carrying out is being responsible;
    各…政府 are local), and a bracket that adds a time after its units."""
    from index.parse import parse_text

    text = "\n".join([
        "某县2024年乡村振兴重点工作任务分解方案",
        "一、推进乡村建设",
        "（一）改善农村人居环境。农村卫生厕所普及率达到85%。县农业农村局、县住房城乡建设局负责，各乡镇人民政府抓好落实。",
        "（二）推进农村公路建设。实施农村公路提质改造100公里。（县交通运输局牵头，县财政局配合；2024年底前）",
        "（三）办好农民丰收节。（县农业农村局主办，县文旅局协办）",
    ])
    one, two, three = parse_text(text, "prose-forms").tasks
    assert (one["responsible"], one["local"], one["lead"]) == (["县农业农村局", "县住房城乡建设局"], ["各乡镇人民政府"], [])
    assert (two["lead"], two["support"], two["deadlines"]) == (["县交通运输局"], ["县财政局"], ["2024年底"])
    assert "2024年底前" in two["task"] and "县财政局" not in two["task"]
    assert (three["lead"], three["support"]) == (["县农业农村局"], ["县文旅局"])
