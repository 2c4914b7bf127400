"""Title and place told from the document: the five seeds, the eight wild documents, and
invented texts for each kind of evidence."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from index.meta import UNKNOWN_PLACE, describe, describe_blocks, task_agencies
from index.parse import ParseError, parse_document

ROOT = Path(__file__).resolve().parent.parent
WILD = ROOT.parent / "shared" / "wild" / "docs"
MANIFEST = tomllib.loads((ROOT / "data" / "sources.toml").read_text(encoding="utf-8"))


def _tasks(path: Path) -> list[dict]:
    try:
        return parse_document(path).tasks
    except ParseError:  # a layout the parser does not read yet: the text alone must do
        return []


@pytest.mark.parametrize("stem", sorted(MANIFEST))
def test_seed_place_equals_the_manifest(stem):
    path = ROOT / "data" / f"{stem}.txt"
    title, place, warnings = describe(path.read_text(encoding="utf-8-sig"), task_agencies(_tasks(path)))
    assert place == MANIFEST[stem]["jurisdiction"]
    assert warnings == []
    assert title and title in path.read_text(encoding="utf-8-sig").replace("\n", "")


def test_seed_titles_where_the_document_prints_them():
    for stem in ("sanya-yilaoyixiao", "sanya-jujia-yanglao", "sichuan-yanglao-tuoyu", "baoqing-yilaoyixiao"):
        path = ROOT / "data" / f"{stem}.txt"
        title, _, _ = describe(path.read_text(encoding="utf-8-sig"), task_agencies(_tasks(path)))
        assert title == MANIFEST[stem]["title"], stem


# The issuing body of each as SOURCES.md gives it. lingbi's stored page lost its header: the
# text names no county at all (县卫健委, 县民政局), so its place cannot be told from the file.
WILD_PLACES = {
    "guowuyuan_zimaoqu_2018": "全国", "guowuyuan_jiuye_2018": "全国", "guowuyuan_zongbao_2019": "全国",
    "guobanting_xiaofeifupin_2018": "全国", "guobanting_tiyu_2018": "全国",
    "chongchuan_minsheng_2023": "崇川区", "caidian_gzbg_2023": "蔡甸区", "lingbi_weijian_2021": UNKNOWN_PLACE,
}


@pytest.mark.parametrize("stem", sorted(WILD_PLACES))
def test_wild_document_place(stem):
    path = WILD / f"{stem}.txt"
    title, place, warnings = describe(path.read_text(encoding="utf-8"), task_agencies(_tasks(path)))
    assert place == WILD_PLACES[stem]
    assert bool(warnings) == (place == UNKNOWN_PLACE)
    assert title


def test_wild_titles_joined_over_lines_and_taken_from_the_notice():
    text = (WILD / "guowuyuan_jiuye_2018.txt").read_text(encoding="utf-8")
    assert describe(text)[0] == "国务院关于做好当前和今后一个时期促进就业工作的若干意见"
    text = (WILD / "caidian_gzbg_2023.txt").read_text(encoding="utf-8")
    assert describe(text)[0] == "2023年区《政府工作报告》确定的主要目标任务责任分解方案"


def test_county_without_a_name_says_the_level():
    text = (WILD / "lingbi_weijian_2021.txt").read_text(encoding="utf-8")
    _, place, warnings = describe(text, ["县卫健委", "县民政局"])
    assert place == UNKNOWN_PLACE and "县级" in warnings[0] and "--jurisdiction" in warnings[0]


CITY_AGENCIES = ["市民政局", "市财政局", "市卫生健康委员会"]
TABLE = "序号\t重点任务\t牵头单位\n1\t建设养老服务中心\t市民政局\n"


@pytest.mark.parametrize("text, agencies, place", [
    # the issuing body on a line of its own, at the top or as the signature
    ("某某市人民政府办公室\n关于印发养老服务方案的通知\n" + TABLE, CITY_AGENCIES, "某某市"),
    (TABLE + "\n某某县卫生健康委员会\n2021年5月7日\n", ["县民政局"], "某某县"),
    ("嘉禾市江岸区人民政府办公室\n" + TABLE, ["区民政局"], "江岸区"),
    (TABLE + "国务院办公厅\n2018年12月11日\n", [], "全国"),
    # a party body and a joint issuer on one line; a signature over a date before the table
    ("中共宝清县委办公室　宝清县人民政府办公室\n关于印发养老服务方案的通知\n" + TABLE, ["县民政局"], "宝清县"),
    ("关于印发养老服务方案的通知\n" + "正文。\n" * 20 + "嘉禾市人民政府办公室\n2024年9月29日\n附件\n"
     + TABLE * 20 + "成都市人民政府\n", CITY_AGENCIES, "嘉禾市"),
    # the body heading the title
    ("海南省人民政府办公厅关于印发养老服务体系建设方案的通知\n" + TABLE, ["省民政厅"], "海南省"),
    # the 文号: a province's abbreviation, or the State Council's
    ("琼府办〔2021〕12号\n养老服务重点任务分工方案\n" + TABLE, ["省民政厅", "省财政厅"], "海南省"),
    ("国办发〔2020〕52号\n养老托育重点任务分工\n" + TABLE, [], "全国"),
    # a province's 文号 on a city's table: the city the text names wins
    ("琼府办〔2021〕12号\n养老服务分工方案\n在三亚建设区域养老中心。\n" + TABLE, CITY_AGENCIES, "三亚市"),
    # agencies' level and a listed place: a province named in a city's text is no answer
    ("养老服务重点任务分工表\n依托四川大学华西医院，建设成都养老产业园。\n" + TABLE, CITY_AGENCIES, "成都市"),
    ("养老服务重点任务分工表\n依托四川大学华西医院。\n" + TABLE, ["民政厅", "财政厅", "省卫生健康委"], "四川省"),
    # a county named in its agencies' names
    ("重点任务分工表\n" + TABLE, ["清河县民政局", "清河县财政局", "县卫健委"], "清河县"),
    # a city's own 文号 (宝政办规, 蔡政办) tells nothing without the body
    ("蔡政办〔2023〕1号\n目标任务责任分解方案\n" + TABLE, ["区发展和改革局"], UNKNOWN_PLACE),
    # nothing at all
    ("重点任务分工表\n" + TABLE, [], UNKNOWN_PLACE),
])
def test_invented_texts(text, agencies, place):
    _, found, warnings = describe(text, agencies)
    assert found == place
    assert bool(warnings) == (place == UNKNOWN_PLACE)


def test_given_title_and_place_are_kept():
    assert describe("重点任务分工表\n" + TABLE, [], title="我的表", jurisdiction="宝清县") == ("我的表", "宝清县", [])


def test_generic_bodies_are_no_place():
    # 各区政府 printed alone in a table cell is a body of every district, not the issuer
    text = "养老服务改革试点重点任务分工表\n序号\t工作任务\t配合单位\n1\t建立机制\n各区政府\n"
    assert describe(text, ["市民政局", "各区政府"])[1] == UNKNOWN_PLACE


def test_from_blocks():
    from index.blocks import BlockDocument, Paragraph, Table, TableRow

    doc = BlockDocument("x.docx", [
        Paragraph("某某市人民政府办公室", "paragraph 1"),
        Paragraph("关于印发《某某市养老服务体系建设实施方案》的通知", "paragraph 2"),
        Table([TableRow([["序号"], ["任务"], ["牵头单位"]], "table 1 row 1"),
               TableRow([["1"], ["建设中心"], ["市民政局"]], "table 1 row 2")], "table 1"),
    ])
    tasks = [{"lead": ["市民政局"], "support": [], "responsible": [], "local": []}]
    assert describe_blocks(doc, tasks) == ("某某市养老服务体系建设实施方案", "某某市", [])


@pytest.mark.parametrize("caption, fields", [
    ("地区：三亚市", {"jurisdiction": "三亚市"}),
    ("地区:三亚", {"jurisdiction": "三亚市"}),
    ("地区：宝清县 标题：宝清县“一老一小”整体解决方案", {"jurisdiction": "宝清县", "title": "宝清县“一老一小”整体解决方案"}),
    ("海南", {"jurisdiction": "海南省"}),
    ("请帮我收录这个文件，谢谢", {}),
    (None, {}),
])
def test_caption_fields(caption, fields):
    from index.meta import caption_fields

    assert caption_fields(caption) == fields


def test_canonical_place():
    from index.meta import canonical_place

    assert canonical_place("三亚") == "三亚市" and canonical_place("四川") == "四川省"
    assert canonical_place("国务院") == "全国" and canonical_place("全国") == "全国"
    assert canonical_place("宝清县") == "宝清县" and canonical_place("武汉市蔡甸区") == "蔡甸区"
    assert canonical_place("甲岚", known=["甲岚县"]) == "甲岚县"
    assert canonical_place("广西") == "广西壮族自治区"
    assert canonical_place("谢谢") is None and canonical_place("") is None
