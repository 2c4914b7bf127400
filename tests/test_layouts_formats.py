"""Invented documents of the genre written as .docx / .xlsx / .html, read through the format
readers (index.readers) and the layout rules. Skipped where a reader is not registered."""
from __future__ import annotations

import pytest

from index.parse import parse_document
from index.readers import suffixes


def needs(suffix: str):
    return pytest.mark.skipif(suffix not in suffixes(), reason=f"no reader for {suffix}")


def roles(task: dict) -> dict:
    keys = ("lead", "support", "responsible", "local", "others", "deadlines")
    return {k: task[k] for k in keys if task[k]}


@needs(".docx")
def test_docx_table_with_first_listed_rule_sections_and_empty_numbers(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某市2024年养老服务重点任务分工方案")
    d.add_paragraph("注：责任单位中排在第一位的为牵头单位。")
    t = d.add_table(rows=1, cols=4)
    for c, w in zip(t.rows[0].cells, ["序号", "重点任务", "责任单位", "完成时限"]):
        c.text = w
    r = t.add_row().cells
    r[0].merge(r[3]).text = "一、完善服务网络"
    for task, units, due in [("建设街道综合养老服务中心10个。", "市民政局、市财政局、各区人民政府", "2024年底前"),
                             ("开展家庭养老床位试点。", "市民政局", "2024年6月")]:
        r = t.add_row().cells
        r[1].text, r[2].text, r[3].text = task, units, due
    r = t.add_row().cells
    r[0].merge(r[3]).text = "二、强化要素保障"
    r = t.add_row().cells
    r[1].text, r[2].text, r[3].text = "落实养老服务用地。", "市自然资源和规划局\n市住房和城乡建设局", "持续推进"
    path = tmp_path / "plan.docx"
    d.save(path)
    doc = parse_document(path)
    assert [(t["section"], t["task"], roles(t)) for t in doc.tasks] == [
        ("一、完善服务网络", "建设街道综合养老服务中心10个。",
         {"lead": ["市民政局"], "support": ["市财政局"], "local": ["各区人民政府"], "deadlines": ["2024年底"]}),
        ("一、完善服务网络", "开展家庭养老床位试点。", {"lead": ["市民政局"], "deadlines": ["2024年6月"]}),
        ("二、强化要素保障", "落实养老服务用地。",
         {"lead": ["市自然资源和规划局"], "support": ["市住房和城乡建设局"], "deadlines": ["持续推进"]}),
    ]


@needs(".docx")
def test_docx_prose_plan_with_labelled_clause_and_label_paragraphs(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("某县关于推进托育服务发展的实施方案", 1)
    d.add_paragraph("各乡镇人民政府，县直各单位：")
    d.add_heading("一、重点任务", 2)
    d.add_paragraph("（一）增加普惠托位供给。到2025年，全县每千人口拥有托位数达到4.5个。"
                    "（牵头单位：县卫健委；配合单位：县发改委、县财政局）")
    d.add_paragraph("（二）加强托育人才培养。")
    d.add_paragraph("牵头单位：县人社局")
    d.add_paragraph("责任单位：县教育局、县卫健委")
    path = tmp_path / "prose.docx"
    d.save(path)
    doc = parse_document(path)
    assert [roles(t) for t in doc.tasks] == [
        {"lead": ["县卫健委"], "support": ["县发改委", "县财政局"], "deadlines": ["2025年"]},
        {"lead": ["县人社局"], "support": ["县教育局", "县卫健委"]},
    ]


@needs(".xlsx")
def test_xlsx_two_row_header_merged_lead_and_a_notes_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务清单"
    ws.append(["某区重点任务清单"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "工作任务", "责任单位", None, "完成时间", "备注"])
    ws.append([None, None, "牵头单位", "配合单位", None, None])
    for rng in ("C2:D2", "A2:A3", "B2:B3", "E2:E3", "F2:F3"):
        ws.merge_cells(rng)
    ws.append([1, "推进老旧小区改造。", "区住建局", "区财政局、各街道", "2024年12月", ""])
    ws.append([2, "新建公园绿地。", "区园林局", "区规划分局", "2025年", "跨年"])
    ws.append([3, "建设停车场。", None, None, "2024年", None])
    ws.merge_cells("C5:C6")
    wb.create_sheet("说明").append(["本表由区政府办编制"])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    doc = parse_document(path)
    assert [(t["number"], roles(t)) for t in doc.tasks] == [
        ("1", {"lead": ["区住建局"], "support": ["区财政局", "各街道"], "deadlines": ["2024年12月"]}),
        ("2", {"lead": ["区园林局"], "support": ["区规划分局"], "deadlines": ["2025年"]}),
        ("3", {"lead": ["区园林局"], "deadlines": ["2024年"]}),
    ]


@needs(".html")
def test_html_page_gb2312_rowspan_and_br_units(tmp_path):
    html = ("<html><head><meta charset=\"gb2312\"></head><body><h2>某市工作分工</h2><table border=1>"
            "<tr><th>序号</th><th>主要任务</th><th>牵头部门</th><th>协办单位</th><th>时间节点</th></tr>"
            "<tr><td colspan=5>一、优化营商环境</td></tr>"
            "<tr><td>1</td><td>压缩企业开办时间至1个工作日。</td><td rowspan=2>市市场监管局</td>"
            "<td>市税务局<br>市公安局</td><td>2024年6月底前</td></tr>"
            "<tr><td>2</td><td>推行电子证照——全面应用。</td><td>市政务服务中心</td><td>2024年底</td></tr>"
            "</table></body></html>")
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("gb18030"))
    doc = parse_document(path)
    assert [(t["section"], t["task"], roles(t)) for t in doc.tasks] == [
        ("一、优化营商环境", "压缩企业开办时间至1个工作日。",
         {"lead": ["市市场监管局"], "support": ["市税务局", "市公安局"], "deadlines": ["2024年6月底"]}),
        ("一、优化营商环境", "推行电子证照——全面应用。",
         {"lead": ["市市场监管局"], "support": ["市政务服务中心"], "deadlines": ["2024年底"]}),
    ]
