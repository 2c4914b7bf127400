"""The text reader (.txt, .md): encodings, lines and markdown tables."""
from __future__ import annotations

import pytest

from index.blocks import Paragraph, Table
from index.parse import ParseError, parse_document
from index.readers import ReadError, read_blocks, suffixes

DOC = "某市分工表\n\n序号\t重点任务\t责任单位\n1\t建立养老服务清单。\t市民政局、市财政局负责\n"


def test_text_suffixes_are_registered():
    assert {".txt", ".md"} <= set(suffixes())


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: "\ufeff".encode("utf-8") + s.encode("utf-8"),  # BOM
    lambda s: s.encode("gb18030"),
    lambda s: s.encode("gbk"),
], ids=["utf-8", "utf-8 BOM", "gb18030", "gbk"])
def test_encodings_give_the_same_tasks(tmp_path, encode):
    path = tmp_path / "doc.txt"
    path.write_bytes(encode(DOC + "2\t推进“一老一小”服务——试点。\t市卫健委负责\n"))
    doc = parse_document(path)
    assert [t["responsible"] for t in doc.tasks] == [["市民政局", "市财政局"], ["市卫健委"]]
    assert doc.tasks[1]["task"] == "推进“一老一小”服务——试点。"


def test_one_paragraph_per_line_blank_lines_out_line_numbers_kept(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("第一行\n\n\n第四行\n", encoding="utf-8")
    blocks = read_blocks(path).blocks
    assert [(b.text, b.where) for b in blocks] == [("第一行", "line 1"), ("第四行", "line 4")]


def test_undecodable_file_names_byte_offset_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    data = "序号\t重点任务\n1\t建立清单。\t".encode() + "市民政局".encode("gbk") + b"\n"
    path.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_blocks(path)
    at = len("序号\t重点任务\n1\t建立清单。\t".encode())
    assert f"byte 0x{data[at]:02x} at offset {at}" in str(err.value) and "line 2" in str(err.value)
    with pytest.raises(ParseError) as perr:
        parse_document(path)
    assert perr.value.line == 2 and str(perr.value).startswith(f"{path}:2: ")


def test_markdown_pipe_table_becomes_a_table_block(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("## 分工表\n\n| 序号 | 重点任务 | 责任单位 |\n| :-- | --- | --: |\n| 一、养老 | | |\n"
                    "| 1 | 建立清单。 | 市民政局<br/>市财政局 |\n", encoding="utf-8")
    blocks = read_blocks(path).blocks
    assert isinstance(blocks[0], Paragraph) and (blocks[0].text, blocks[0].level) == ("分工表", 2)
    table = blocks[1]
    assert isinstance(table, Table) and [r.where for r in table.rows] == ["line 3", "line 5", "line 6"]
    assert table.rows[1].spanning and table.rows[2].cells == [["1"], ["建立清单。"], ["市民政局", "市财政局"]]


def test_unknown_suffix_is_an_error_naming_the_kinds(tmp_path):
    path = tmp_path / "doc.rtf"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        parse_document(path)
    assert ".rtf" in err.value.reason and ".txt" in err.value.reason
