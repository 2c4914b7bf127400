"""Excel .xlsx → blocks: every sheet one table, merged ranges filled, section rows marked.

openpyxl in normal mode: read-only mode streams rows and cannot see merged ranges, and a
task table's 牵头单位 column is typically one merged cell over a group of rows. The zip
directory is checked first (index.readers.common.zip_guard); openpyxl parses with defusedxml.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from index.blocks import BlockDocument, Table
from index.readers import ReadError, reader
from index.readers.common import build_grid, grid_rows, text_of_number, zip_guard


@reader(".xlsx", ".xlsm")
def read_xlsx(path: Path) -> BlockDocument:
    import openpyxl  # imported here only: `ask` never pays for it
    from openpyxl.utils.exceptions import InvalidFileException

    zip_guard(path, ".xlsx")
    try:
        book = openpyxl.load_workbook(str(path), data_only=True)
    except InvalidFileException as e:
        raise ReadError(path, f"这不是可读取的 Excel 文件（{e}）") from None
    except KeyError:
        raise ReadError(path, "这不是 Excel 工作簿（压缩包里没有工作表）") from None
    except (zipfile.BadZipFile, ValueError, TypeError, AttributeError, IndexError, EOFError, OSError) as e:
        raise ReadError(path, f"Excel 文件已损坏，无法读取（{type(e).__name__}）") from None
    except Exception as e:  # defusedxml refuses entity tricks with its own exception classes
        if type(e).__module__.startswith(("defusedxml", "xml", "lxml")):
            raise ReadError(path, f"Excel 文件内容无法解析（{type(e).__name__}）") from None
        raise
    out = BlockDocument(path=str(path))
    for sheet in book.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            out.warnings.append(f"{path}: 跳过隐藏的工作表 {sheet.title}")
            continue
        values = [[_cell_text(c) for c in row] for row in sheet.iter_rows()]
        merges = [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1)
                  for m in sheet.merged_cells.ranges]
        rows = grid_rows(build_grid(values, merges), f"sheet {sheet.title} row {{}}")
        if rows:
            out.blocks.append(Table(rows=rows, where=f"sheet {sheet.title}", name=sheet.title))
    if not out.blocks:
        raise ReadError(path, "Excel 工作簿是空的：没有一个单元格有文字")
    return out


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return text_of_number(value, cell.number_format)
    return str(value)

