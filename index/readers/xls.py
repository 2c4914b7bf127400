"""Old Excel .xls → blocks, with the same meaning as the .xlsx reader.

xlrd must be opened with formatting_info=True: without it the merged ranges come back empty
and a 牵头单位 merged over a group of rows is seen in its first row only.
"""
from __future__ import annotations

from pathlib import Path

from index.blocks import BlockDocument, Table
from index.readers import ReadError, reader
from index.readers.common import OLE_MAGIC, build_grid, grid_rows, read_head, text_of_number

@reader(".xls")
def read_xls(path: Path) -> BlockDocument:
    import xlrd  # imported here only: `ask` never pays for it

    head = read_head(path, 8)
    if head.startswith(b"PK"):
        raise ReadError(path, "这其实是 .xlsx 文件，只是扩展名写成了 .xls；请把扩展名改为 .xlsx 再发送")
    if head != OLE_MAGIC:
        raise ReadError(path, "这不是 Excel .xls 文件（文件头不对），文件可能已损坏或是别的格式另存的")
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as e:
        reason = str(e)
        if "encrypt" in reason.lower() or "password" in reason.lower():
            raise ReadError(path, "文件设有密码保护，无法读取；请去掉密码后再发送") from None
        raise ReadError(path, f"Excel 文件无法读取（{reason}）") from None
    except (AssertionError, IndexError, KeyError, ValueError, EOFError, OSError) as e:
        raise ReadError(path, f"Excel 文件已损坏，无法读取（{type(e).__name__}）") from None
    out = BlockDocument(path=str(path))
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if getattr(sheet, "visibility", 0):
                out.warnings.append(f"{path}: 跳过隐藏的工作表 {sheet.name}")
                continue
            values = [[_cell_text(book, sheet, r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
            # xlrd's merged ranges are half-open (rlo, rhi, clo, chi); build_grid wants inclusive.
            merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            rows = grid_rows(build_grid(values, merges), f"sheet {sheet.name} row {{}}")
            if rows:
                out.blocks.append(Table(rows=rows, where=f"sheet {sheet.name}", name=sheet.name))
    except (AssertionError, IndexError, KeyError, ValueError, xlrd.biffh.XLRDError) as e:
        raise ReadError(path, f"Excel 文件已损坏，无法读取（{type(e).__name__}）") from None
    finally:
        book.release_resources()
    if not out.blocks:
        raise ReadError(path, "Excel 工作簿是空的：没有一个单元格有文字")
    return out


def _cell_text(book, sheet, r: int, c: int) -> str:
    import xlrd

    cell = sheet.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return text_of_number(cell.value)
        return when.date().isoformat() if (when.hour, when.minute, when.second) == (0, 0, 0) \
            else when.isoformat(sep=" ")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return text_of_number(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        fmt = ""
        try:
            xf = book.xf_list[cell.xf_index]
            fmt = book.format_map[xf.format_key].format_str
        except (IndexError, KeyError, AttributeError, TypeError):
            pass
        return text_of_number(cell.value, fmt)
    return str(cell.value)
