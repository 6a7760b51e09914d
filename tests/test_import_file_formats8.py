"""One 分工表 read from every format it comes in: flattened into text (its merged cells written once,
on their first row), as a web page (rowspan/colspan), as a Word table (vMerge/gridSpan) and as a
workbook (merged ranges). A reader changes how the table is stored, never what it says: each import
gives the same tasks, units with their roles, deadlines and headings as the text's.

The category cell "一、…" is merged down over the items under it (the text writes it once).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gktrack.features.importer import parse_document, read_document

TITLE = "某县农业农村局2024年政务公开重点任务分工表"
HEADER = ["工作任务", "具体内容", "责任单位", "完成时限"]
# (category, None where merged from above; item; unit; deadline)
ROWS = [
    ("一、政策发布解读", "1.及时公开涉农补贴政策文件,同步发布图解材料。", "办公室", "全年"),
    (None, "2.围绕春耕备耕开展政策解读,回应群众关切。", "政策法规股", "4月底前"),
    ("二、基层政务公开", "3.更新乡镇政务公开目录,规范公开涉农资金使用情况。", "计划财务股", "6月底前"),
    (None, "4.组织开展政府开放日活动,邀请群众代表参与。", "农技推广中心", "10月底前"),
]


def _spans() -> list[tuple[int, int, int]]:
    """(first row, last row, column) of each cell merged down, rows counted from the first data row."""
    out = []
    for col in (0,):
        start = None
        for i, row in enumerate(ROWS):
            value = row[col]
            if value is not None:
                if start is not None and i - 1 > start:
                    out.append((start, i - 1, col))
                start = i
        if start is not None and len(ROWS) - 1 > start:
            out.append((start, len(ROWS) - 1, col))
    return out


def _text() -> str:
    lines = [TITLE, " | ".join(HEADER)]
    for category, item, unit, deadline in ROWS:
        cells = ([category] if category else []) + [item, unit, deadline]
        lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def _grid() -> list[list[str | None]]:
    """The data rows as a real table holds them: None under a merged cell."""
    return [[category, item, unit, deadline] for category, item, unit, deadline in ROWS]


def write_html(folder: Path) -> Path:
    spans = {(a, col): b - a + 1 for a, b, col in _spans()}
    parts = [f"<html><body><div class='content'><p>{TITLE}</p><table>",
             "<tr>" + "".join(f"<td>{h}</td>" for h in HEADER) + "</tr>"]
    for i, row in enumerate(_grid()):
        cells = []
        for col, value in enumerate(row):
            if value is None:
                continue
            down = spans.get((i, col), 1)
            cells.append(f"<td rowspan='{down}'>{value}</td>" if down > 1 else f"<td>{value}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table></div></body></html>")
    path = folder / "plan.html"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_docx(folder: Path) -> Path:
    docx = pytest.importorskip("docx")
    word = docx.Document()
    word.add_paragraph(TITLE)
    table = word.add_table(rows=len(ROWS) + 1, cols=4)
    for col, name in enumerate(HEADER):
        table.cell(0, col).text = name
    for i, row in enumerate(_grid(), start=1):
        for col, value in enumerate(row):
            if value is not None:
                table.cell(i, col).text = value
    for first, last, col in _spans():
        table.cell(first + 1, col).merge(table.cell(last + 1, col))
    path = folder / "plan.docx"
    word.save(str(path))
    return path


def write_xlsx(folder: Path) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.cell(1, 1, TITLE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    for col, name in enumerate(HEADER, start=1):
        sheet.cell(2, col, name)
    for i, row in enumerate(_grid(), start=3):
        for col, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(i, col, value)
    for first, last, col in _spans():
        sheet.merge_cells(start_row=first + 3, start_column=col + 1, end_row=last + 3, end_column=col + 1)
    path = folder / "plan.xlsx"
    book.save(path)
    return path


def _summary(plan):
    headings = {s.key: s.title for s in plan.sections}
    return [(t.text, [(u.name, u.role) for u in t.units], list(t.deadline), headings.get(t.section))
            for t in plan.tasks]


@pytest.mark.parametrize("write", [write_html, write_docx, write_xlsx])
def test_table_file_reads_as_its_flattened_text(tmp_path, write):
    text_path = tmp_path / "plan.txt"
    text_path.write_text(_text(), encoding="utf-8")
    expected = _summary(parse_document(read_document(text_path)))
    # what the text says, read by a person: four items, the merged category, unit and time carried down
    assert [(t[0][:12], t[3]) for t in expected] == [
        ("及时公开涉农补贴政策文件", "政策发布解读"), ("围绕春耕备耕开展政策解读", "政策发布解读"),
        ("更新乡镇政务公开目录,规", "基层政务公开"), ("组织开展政府开放日活动,", "基层政务公开")]
    assert expected[1][1] == [("政策法规股", "responsible")] and expected[1][2] == ["4月底前"]
    assert expected[3][1] == [("农技推广中心", "responsible")] and expected[3][2] == ["10月底前"]
    assert _summary(parse_document(read_document(write(tmp_path)))) == expected
