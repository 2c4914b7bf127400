"""Tests of index.cells: one per grammar form of a responsibility cell, plus deadlines."""

import pytest

from index.cells import CellError, extract_labelled, is_local, parse_cell, split_units
from index.timephrases import find_deadlines


def roles(text, **kw):
    """parse_cell without the empty roles, for short assertions."""
    return {k: v for k, v in parse_cell(text, **kw).items() if v}


# --- grammar forms ---------------------------------------------------------

def test_lead_support_and_local():
    assert roles("A局、B局牵头，C局、D局参加；各市（州）人民政府负责") == {
        "lead": ["A局", "B局"], "support": ["C局", "D局"], "local": ["各市（州）人民政府"]}


def test_division_of_duty_after_lead_is_support():
    assert roles("市民政局牵头，市财政局、市住建局按职责分工负责，各区人民政府负责。") == {
        "lead": ["市民政局"], "support": ["市财政局", "市住建局"], "local": ["各区人民政府"]}


def test_division_of_duty_without_lead_is_responsible():
    assert roles("市民政局、市卫健委按职责分工负责") == {"responsible": ["市民政局", "市卫健委"]}


def test_missing_an_reads_as_division_of_duty():
    assert roles("市民政局、市残联职责分工负责，各区人民政府负责。") == {
        "responsible": ["市民政局", "市残联"], "local": ["各区人民政府"]}


def test_unit_and_local_government_responsible():
    assert roles("民政厅、各市（州）人民政府负责。") == {
        "responsible": ["民政厅"], "local": ["各市（州）人民政府"]}


def test_he_joining_units():
    assert roles("民政厅、省卫生健康委和各市（州）人民政府负责。") == {
        "responsible": ["民政厅", "省卫生健康委"], "local": ["各市（州）人民政府"]}


def test_plain_list_is_responsible_with_local_split():
    assert roles("县民政局、县发改局，各乡镇政府、农场管委会") == {
        "responsible": ["县民政局", "县发改局", "农场管委会"], "local": ["各乡镇政府"]}


def test_plain_list_in_lead_column_keeps_local_units():
    assert roles("各区政府\n育才生态区管委会", default="lead") == {"lead": ["各区政府", "育才生态区管委会"]}
    assert roles("市财政局\n各区政府", default="support") == {"support": ["市财政局", "各区政府"]}


def test_peihe_and_xiezhu_are_support():
    assert roles("县民政局牵头，县财政局配合") == {"lead": ["县民政局"], "support": ["县财政局"]}
    assert roles("县民政局牵头，县财政局协助") == {"lead": ["县民政局"], "support": ["县财政局"]}


def test_annotated_lead():
    assert roles("市民政局（牵头）、市财政局、各区政府") == {
        "lead": ["市民政局"], "support": ["市财政局"], "local": ["各区政府"]}


# --- open lists --------------------------------------------------------------

def test_open_list_with_deng():
    assert roles("民政厅、省卫生健康委、财政厅等有关部门（单位）按职责分工负责。") == {
        "responsible": ["民政厅", "省卫生健康委", "财政厅"], "others": True}


def test_open_list_participants_only():
    assert roles("省发展改革委、民政厅牵头，有关部门（单位）参加。") == {
        "lead": ["省发展改革委", "民政厅"], "others": True}


def test_open_list_support_after_lead():
    assert roles("省卫生健康委牵头，教育厅、民政厅等有关部门（单位）参加；各市（州）人民政府负责。") == {
        "lead": ["省卫生健康委"], "support": ["教育厅", "民政厅"], "local": ["各市（州）人民政府"], "others": True}


def test_plain_list_ending_in_deng():
    assert roles("市民政局、市财政局等") == {"responsible": ["市民政局", "市财政局"], "others": True}


# --- 和 and brackets -----------------------------------------------------------

@pytest.mark.parametrize("name", ["市自然资源和规划局", "县人力资源和社会保障局", "文化和旅游厅",
                                  "经济和信息化厅", "市发展和改革委员会", "县文化广电和旅游局"])
def test_he_inside_a_name_does_not_split(name):
    assert split_units(f"{name}、市民政局") == [name, "市民政局"]


def test_separators_inside_brackets_do_not_split():
    assert split_units("各县（市、区）人民政府、市民政局") == ["各县（市、区）人民政府", "市民政局"]
    assert split_units("各县(市、区)人民政府,市民政局") == ["各县(市、区)人民政府", "市民政局"]


@pytest.mark.parametrize("name,local", [("各区人民政府", True), ("各乡镇政府", True), ("各县（市、区）人民政府", True),
                                        ("天涯区政府", False), ("各乡镇（社区）", False), ("农场管委会", False)])
def test_is_local(name, local):
    assert is_local(name) is local


# --- half-width punctuation ------------------------------------------------------

def test_half_width_parses_like_full_width_names_as_printed():
    assert roles("A局、B局牵头,C局参加;各市(州)人民政府负责") == {
        "lead": ["A局", "B局"], "support": ["C局"], "local": ["各市(州)人民政府"]}


def test_half_width_open_list():
    assert roles("民政厅、财政厅等有关部门(单位)按职责分工负责") == {"responsible": ["民政厅", "财政厅"], "others": True}


# --- labelled form -----------------------------------------------------------------

def test_labelled_parenthetical():
    """Beside a 牵头 label every other labelled list (责任单位 too) is support (wild/README.md)."""
    assert roles("（牵头单位：市人社局；责任单位：市教育局，各县市区人民政府）") == {
        "lead": ["市人社局"], "support": ["市教育局", "各县市区人民政府"]}


def test_labelled_responsible_without_lead_and_scope_field():
    assert roles("（负责部门：发展改革委、粮食和储备局，适用范围：浙江自贸试验区）") == {
        "responsible": ["发展改革委", "粮食和储备局"]}
    assert roles("负责部门：人民银行等部门；适用范围：浙江自贸试验区") == {"responsible": ["人民银行"], "others": True}


def test_labelled_people_are_never_units():
    assert roles("分管领导：徐国江\n牵头责任单位：县卫健委、县民政局\n主要协作单位：各乡镇人民政府、县政府有关部门") == {
        "lead": ["县卫健委", "县民政局"], "support": ["各乡镇人民政府", "县政府有关部门"]}


def test_generic_collectives_and_open_lists():
    assert roles("各有关部门和单位按职责分工负责") == {"responsible": ["各有关部门和单位"]}
    assert roles("人力资源社会保障部、财政部、教育部等有关部门和单位负责") == {
        "responsible": ["人力资源社会保障部", "财政部", "教育部"], "others": True}
    assert roles("商务部、发展改革委等和各有关省级人民政府负责") == {
        "responsible": ["商务部", "发展改革委"], "local": ["各有关省级人民政府"], "others": True}


def test_generic_territorial_phrase_with_enumeration_comma_is_one_unit():
    assert split_units("市民政局、各区、县级市政府") == ["市民政局", "各区、县级市政府"]
    assert split_units("各县(市、区)政府(管委会)、市财政局") == ["各县(市、区)政府(管委会)", "市财政局"]


def test_labelled_lines_half_width():
    assert roles("牵头单位:县民政局\n配合单位:县财政局,县卫生健康局") == {
        "lead": ["县民政局"], "support": ["县财政局", "县卫生健康局"]}


def test_labelled_deadline_is_not_a_unit():
    assert roles("牵头单位：县民政局\n完成时限：2024年底") == {"lead": ["县民政局"]}


def test_extract_labelled_from_task_text():
    assert extract_labelled("做好就业工作。（牵头单位：市人社局；责任单位：市教育局）") == (
        "做好就业工作。", "牵头单位：市人社局；责任单位：市教育局")
    assert extract_labelled("做好就业工作。") == ("做好就业工作。", "")


# --- unknown role words -----------------------------------------------------------

@pytest.mark.parametrize("cell", ["市民政局主抓", "市民政局牵头，市财政局主抓", "县民政局督办，各乡镇政府负责"])
def test_unknown_role_word_raises(cell):
    with pytest.raises(CellError, match="unknown role word"):
        parse_cell(cell)


def test_units_after_last_role_word_raise():
    with pytest.raises(CellError, match="without a known role word"):
        parse_cell("市民政局牵头，市财政局")


def test_role_word_without_units_raises():
    with pytest.raises(CellError):
        parse_cell("牵头，市财政局参加")


# --- deadlines ------------------------------------------------------------------------

@pytest.mark.parametrize("text,want", [
    ("到2025年底，全市培训养老护理人员0.2万人次。", ["2025年底"]),
    ("至2025年，全市公立型…", ["2025年"]),
    ("加大投资力度。到 2022 年，各地用于…", ["2022年"]),
    ("形成设施网络，到2025年末，新建城区…", ["2025年末"]),
    ("2022年，全市至少建有一家…。到2025年，每个社区均有…", ["2022年", "2025年"]),
    ("2020年6月底前出台办法，到2020年6月底全面实施。", ["2020年6月底"]),
    ("到2023年9月，建成…；到2025年，全面…", ["2023年9月", "2025年"]),
    ("“十四五”期间预计开展培训近3200人次。", []),
    ("截至2024年，已建成…", ["2024年"]),
    ("支持有条件的地方开展示范城市建设。", []),
    ("并于2023年1月15日前将工作方案报区人民政府办公室。", ["2023年1月15日"]),
    ("2013年3月前完成。", ["2013年3月"]),
    ("2019年1月1日至2020年12月31日，对其中就业困难人员…", []),
    ("从2019年1月1日起，实施三年百万青年见习计划", []),
    ("2012~2015年，每年新增…；30日内制定办法", []),
])
def test_find_deadlines(text, want):
    assert find_deadlines(text) == want
