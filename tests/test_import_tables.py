"""One bundled plan (xj2024, the 分工表 of seed 003) written as offices send it — a .docx table with
merged group cells, an .xlsx with merged ranges, an .html table with rowspan, tab-separated and
"|" text — imports to the same tasks, units and deadlines as the original; a committed PDF of a
small 分工表 too. Columns in any order give the same tasks (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, pairs
from gktrack.errors import InputError
from gktrack.features.importer import import_file
from gktrack.features.importer.sources import read_document

ROOT = Path(__file__).resolve().parent.parent
L, S, R = "lead", "support", "responsible"


def _bundled(plan_id: str = "xj2024", limit: int = 14):
    """(title, [(work item heading, text, units_text, units, deadlines)]) of a bundled plan."""
    data = yaml.safe_load((ROOT / "plans" / f"{plan_id}.yaml").read_text(encoding="utf-8"))
    headings = {s["key"]: (s.get("number") or "") + s["title"] for s in data["sections"]}
    rows = []
    for task in data["tasks"][:limit]:
        units = [(n, role) for role in ("lead", "support", "responsible") for n in task.get(role, [])]
        rows.append((headings[task["section"]], task["text"], task["units_text"], units, task["deadline"]))
    return data["title"], rows


TITLE, ROWS = _bundled()
HEADER = ["序号", "工作任务", "具体要求", "责任单位", "时限要求"]


def _groups(rows):
    """[(first row, last row)] of the runs of rows with the same work item."""
    runs, start = [], 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index][0] != rows[start][0]:
            runs.append((start, index - 1))
            start = index
    return runs


def _cells(index, row):
    heading, text, units_text, _units, deadline = row
    return [str(index + 1), heading, text, units_text, "\n".join(deadline)]


def _check(plan):
    assert [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks] == [
        (text, units, deadline) for _h, text, _ut, units, deadline in ROWS]
    headings = {s.key: (s.number or "") + s.title for s in plan.sections}
    assert [headings[t.section] for t in plan.tasks] == [r[0] for r in ROWS]


def test_docx_table_with_merged_group_cells(tmp_path):
    docx = pytest.importorskip("docx")
    word = docx.Document()
    word.add_paragraph(TITLE + "任务分工表")
    table = word.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for index, row in enumerate(ROWS):
        for col, text in enumerate(_cells(index, row)):
            if col != 1:
                table.rows[index + 1].cells[col].text = text
    for first, last in _groups(ROWS):
        merged = table.cell(first + 1, 1).merge(table.cell(last + 1, 1))
        merged.text = ROWS[first][0]
    path = tmp_path / "分工表.docx"
    word.save(path)
    _check(import_file(path))


def test_xlsx_with_merged_ranges(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append([TITLE + "任务分工表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for index, row in enumerate(ROWS):
        cells = _cells(index, row)
        ws.append(cells)
    for first, last in _groups(ROWS):
        for r in range(first + 1, last + 1):
            ws.cell(row=r + 3, column=2).value = None
        if last > first:
            ws.merge_cells(start_row=first + 3, start_column=2, end_row=last + 3, end_column=2)
    path = tmp_path / "分工表.xlsx"
    book.save(path)
    plan = import_file(path)
    assert plan.title == TITLE + "任务分工表"
    _check(plan)


def test_html_table_with_rowspan(tmp_path):
    from html import escape

    body = []
    for index, row in enumerate(ROWS):
        cells = _cells(index, row)
        tds = [f"<td>{escape(cells[0])}</td>"]
        for first, last in _groups(ROWS):
            if first == index:
                tds.append(f'<td rowspan="{last - first + 1}">{escape(cells[1])}</td>')
        tds += [f"<td>{escape(c).replace(chr(10), '<br>')}</td>" for c in cells[2:]]
        body.append("<tr>" + "".join(tds) + "</tr>")
    page = ("<html><head><meta charset='utf-8'><title>网站首页</title></head><body>"
            "<div class='nav'>首页 | 政务公开 | 政策文件 | 互动交流</div>"
            f"<div class='article-content'><h1>{escape(TITLE)}任务分工表</h1>"
            "<table><tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>" + "".join(body) + "</table></div>"
            "<div class='footer'>主办单位:某区人民政府办公室 版权所有</div></body></html>")
    path = tmp_path / "分工表.html"
    path.write_text(page, encoding="utf-8")
    plan = import_file(path)
    assert plan.title == TITLE + "任务分工表"
    _check(plan)


def _flat(separator: str, merged: bool) -> str:
    lines = [TITLE + "任务分工表", separator.join(HEADER)]
    for index, row in enumerate(ROWS):
        cells = [c.replace("\n", " ") for c in _cells(index, row)]
        if merged and index and ROWS[index - 1][0] == row[0]:
            cells[1] = ""
        lines.append(separator.join(cells))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("separator", ["\t", " | "])
def test_tab_and_pipe_text(tmp_path, separator):
    path = tmp_path / "分工表.txt"
    path.write_text(_flat(separator, merged=True), encoding="utf-8")
    _check(import_file(path))


def test_one_cell_per_line_with_pipes(tmp_path):
    lines = [TITLE + "任务分工表"] + [h + " |" for h in HEADER]
    for index, row in enumerate(ROWS):
        cells = _cells(index, row)
        if index and ROWS[index - 1][0] == row[0]:
            del cells[1]  # a merged cell is written once
        lines += [c.replace("\n", " ") + " |" for c in cells]
    path = tmp_path / "分工表.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _check(import_file(path))


def test_committed_pdf_table():
    pytest.importorskip("pdfplumber")
    plan = import_file(ROOT / "tests" / "fixtures" / "formats" / "分工表.pdf")
    assert plan.title == "新兴县2024年政务公开工作要点任务分工表"
    assert [(t.section, t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks] == [
        ("1", "围绕重大政策做好解读,及时发布解读材料。", [("区政数局", R)], ["2024年6月底前"]),
        ("1", "规范政策文件公开,做好规范性文件集中公开。", [("司法所", L), ("各有关单位", S)], ["2024年9月底前"]),
        ("2", "加强政府网站集约化建设,提升检索功能。", [("综合办", R)], ["每季度"]),
        ("2", "做好政务新媒体管理,按季度开展检查。", [("区委网信办", R)], ["持续推进"]),
    ]


# ---- any column order, a header never a task ---------------------------------------------------

SYNONYMS = {"序号": ["序号", "编号"], "工作任务": ["工作任务", "重点任务", "类别"],
            "具体要求": ["具体要求", "具体内容", "工作要求", "主要内容"], "责任单位": ["责任单位", "责任部门", "责任科室"],
            "时限要求": ["时限要求", "完成时限", "完成时间"]}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(order=st.permutations(list(range(len(HEADER)))), names=st.tuples(*[st.sampled_from(SYNONYMS[h]) for h in HEADER]),
       fmt=st.sampled_from(["xlsx", "tabs"]))
def test_any_column_order_and_header_words_give_the_same_tasks(tmp_path_factory, order, names, fmt):
    folder = tmp_path_factory.mktemp("order")
    header = [names[i] for i in order]
    table = [[_cells(index, row)[i] for i in order] for index, row in enumerate(ROWS)]
    group = order.index(1)
    for index in range(1, len(ROWS)):
        if ROWS[index - 1][0] == ROWS[index][0]:
            table[index][group] = ""  # blank: same as above
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        ws = book.active
        ws.append([TITLE + "任务分工表"])
        ws.append(header)
        for row in table:
            ws.append(row)
        path = folder / "表.xlsx"
        book.save(path)
    else:
        separator = " | " if fmt == "pipes" else "\t"
        text = "\n".join([TITLE + "任务分工表", separator.join(header)]
                         + [separator.join(c.replace("\n", " ") for c in row) for row in table])
        path = folder / "表.txt"
        path.write_text(text + "\n", encoding="utf-8")
    plan = import_file(path)
    _check(plan)
    for task in plan.tasks:
        assert task.text not in header and all(u.name not in header for u in task.units)


@pytest.fixture
def fresh(gk):
    gk.ok("init")
    return gk


# ---- limits and bad files ----------------------------------------------------------------------

def test_xlsx_with_a_far_cell_reads_and_a_huge_merge_is_refused_in_one_line(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["工作任务", "责任单位"])
    ws["A1048576"] = "x"
    far = tmp_path / "far.xlsx"
    book.save(far)
    doc = read_document(far)  # only the used cells are read, not the 1,048,576 rows up to it
    assert [line.text for line in doc.lines] == ["工作任务", "责任单位", "x"]
    assert len(doc.tables[0].rows) == 2
    # openpyxl itself would spread such a merge cell by cell: write the sheet's XML directly
    import zipfile

    huge = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(far) as source, zipfile.ZipFile(huge, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                    b'<mergeCell ref="A3:XFD1048576"/></mergeCells>')
            target.writestr(item, data)
    with pytest.raises(InputError) as caught:
        read_document(huge)
    assert "合并单元格" in caught.value.message


def test_zip_bomb_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (210 * 1024 * 1024))
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert "压缩炸弹" in caught.value.message


def test_old_office_formats_without_libreoffice(tmp_path, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "要点.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert "LibreOffice" in caught.value.message and "另存为 .docx" in caught.value.message


def test_status_column_becomes_the_first_progress_entry(fresh, tmp_path):
    path = tmp_path / "目标清单.txt"
    path.write_text("\n".join([
        "某县2024年政务公开目标清单",
        "序号 | 事项 | 责任单位 | 完成情况 |",
        "1 | 做好政策文件库建设。 | 县政数局 | 已建成政策文件库,收录文件120件。 |",
        "2 | 做好意见征集。 | 县司法局 | 进行中 |",
    ]) + "\n", encoding="utf-8")
    fresh.ok("import", str(path), "--id", "mx2024")
    rows = fresh.json("status", "--plan", "mx2024", "--state", "all", "--json")
    assert [len(r["progress"]) for r in rows] == [1, 0]
    assert rows[0]["progress"][0]["note"] == "已建成政策文件库,收录文件120件。"
    # no issue date to date it by: the day of the import, the one "today" (GKTRACK_TODAY in tests)
    assert rows[0]["progress"][0]["date"].startswith(TODAY)


def test_self_reference_needs_the_owner(fresh, tmp_path):
    path = tmp_path / "方案.txt"
    path.write_text("某局2024年政务公开工作方案\n一、加强公开\n1.做好财政信息公开。(责任单位:我局)\n"
                    "2.做好网站管理。(责任单位:办公室)\n", encoding="utf-8")
    dry = fresh("import", str(path), "--dry-run", "--json").json
    assert "我局" not in dry["new_units"]
    assert any("--owner" in w["message"] for w in dry["warnings"])
    fresh.ok("import", str(path), "--owner", "某县财政局", "--id", "mj2024")
    units = fresh.json("status", "--plan", "mj2024", "--state", "all", "--json")[0]["units"]
    assert units == [{"name": "某县财政局", "role": "responsible"}]


# ---- unit phrases as documents write them (prose) -----------------------------------------------


def test_labelled_brackets_unit_lines_and_leaders():
    from gktrack.features.importer import parse_document

    plan = parse_document("\n".join([
        "某区2024年政务公开工作要点",
        "一、深化重点领域公开",
        "(一)做好财政预决算公开工作。(责任时限:2024年6月底前,牵头单位:区财政局,配合单位:区审计局)",
        "(二)做好政务服务事项公开。〔责任单位:区政府办(区政务服务中心)、各乡〔镇〕、街道〕",
        "(三)做好重大建设项目公开。(牵头单位:区发改委;责任单位:区住建局、区交通局;完成时限:2024年底前)",
        "二、加强平台建设",
        "(一)加强政府网站建设。",
        "牵头单位:区政数局",
        "配合单位:区委网信办",
        "牵头负责领导:张三",
        "(二)做好政务新媒体管理。",
        "责任单位:宣传处会办公室",
    ]))
    assert [(t.text, pairs(t), t.deadline) for t in plan.tasks] == [
        ("做好财政预决算公开工作。", [("区财政局", L), ("区审计局", S)], ["2024年6月底前"]),
        ("做好政务服务事项公开。", [("区政府办(区政务服务中心)", R), ("各乡(镇)", R), ("各街道", R)], []),
        ("做好重大建设项目公开。", [("区发改委", L), ("区住建局", R), ("区交通局", R)], ["2024年底前"]),
        ("加强政府网站建设。\n牵头负责领导:张三", [("区政数局", L), ("区委网信办", S)], []),
        ("做好政务新媒体管理。", [("宣传处", L), ("办公室", R)], []),
    ]


def test_a_notice_with_two_plans_imports_the_first_and_says_so():
    from gktrack.features.importer import parse_document

    plan = parse_document("\n".join([
        "某省人民政府办公厅关于印发《某省2022年政务管理服务工作要点》和《某省2022年政务公开工作要点》的通知",
        "各市州人民政府:",
        "《某省2022年政务管理服务工作要点》和《某省2022年政务公开工作要点》已经省人民政府同意,现印发给你们。",
        "某省人民政府办公厅",
        "2022年4月12日",
        "某省2022年政务管理服务工作要点",
        "一、打造升级版",
        "(一)强化一网通办支撑。(省政务局牵头,省直相关单位按职责分工负责)",
        "某省2022年政务公开工作要点",
        "一、围绕稳住经济大盘加强公开",
        "(一)加强政策公开。(省发展改革委牵头)",
    ]))
    assert plan.title == "某省2022年政务管理服务工作要点"
    assert [t.text for t in plan.tasks] == ["强化一网通办支撑。"]
    assert any("另一份计划" in message and "政务公开工作要点" in message for _, message in plan.warnings)


def test_a_row_per_work_item_keeps_the_item_as_the_task_title(tmp_path):
    """The issue's sheet: 序号 | 工作任务 | 具体要求 | 责任科室 | 时限要求, one row each: one task per row,
    the header never a task or a unit, each deadline with its own row."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["序号", "工作任务", "具体要求", "责任科室", "时限要求"])
    ws.append([1, "做好主动公开基础工作", "及时更新政府信息公开指南和目录。", "办公室", "持续推进"])
    ws.append([2, "严格规范依申请公开", "依法依规答复申请。", "法规科", "收到申请20个工作日内"])
    ws.append([3, "加强政策解读", "重要政策同步解读。", "办公室", "及时"])
    path = tmp_path / "某局2024年政务公开工作任务分工表.xlsx"
    book.save(path)
    plan = import_file(path)
    assert plan.title == "某局2024年政务公开工作任务分工表" and plan.year == 2024
    assert [(t.number, t.text, pairs(t), t.deadline) for t in plan.tasks] == [
        ("1", "做好主动公开基础工作\n及时更新政府信息公开指南和目录。", [("办公室", R)], ["持续推进"]),
        ("2", "严格规范依申请公开\n依法依规答复申请。", [("法规科", R)], ["收到申请20个工作日内"]),
        ("3", "加强政策解读\n重要政策同步解读。", [("办公室", R)], ["及时"]),
    ]


def test_two_row_header_and_a_person_column(tmp_path):
    """"责任单位" over "牵头单位 | 配合单位"; a 责任领导 column is a note, never a unit."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["某县2023年政务公开重点任务清单"])
    ws.append(["序号", "重点任务", "工作措施", "责任单位", None, "责任领导", "完成时间节点"])
    ws.append([None, None, None, "牵头单位", "配合单位", None, None])
    ws.merge_cells("D2:E2")
    for col in "ABCFG":
        ws.merge_cells(f"{col}2:{col}3")
    ws.append([1, "一、加强决策公开", "做好重大行政决策目录公开。", "县司法局", "县政府办", "李四", "2023年3月底前"])
    ws.append([2, None, "开展决策预公开。", "县发改局", None, "李四", "持续推进"])
    ws.merge_cells("B4:B5")
    ws.merge_cells("F4:F5")
    path = tmp_path / "清单.xlsx"
    book.save(path)
    plan = import_file(path)
    assert plan.title == "某县2023年政务公开重点任务清单"
    assert [(t.text, pairs(t), t.deadline) for t in plan.tasks] == [
        ("做好重大行政决策目录公开。\n责任领导:李四", [("县司法局", L), ("县政府办", S)], ["2023年3月底前"]),
        ("开展决策预公开。\n责任领导:李四", [("县发改局", L)], ["持续推进"]),
    ]
    assert [s.title for s in plan.sections] == ["加强决策公开"]


@pytest.mark.parametrize("suffix, module", [(".pdf", "pdfplumber"), (".html", "lxml.html")])
def test_a_missing_library_is_one_clear_line(tmp_path, monkeypatch, suffix, module):
    import builtins

    real = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == module or name.startswith(module.split(".")[0] + "."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    path = tmp_path / ("计划" + suffix)
    path.write_bytes(b"%PDF-1.4" if suffix == ".pdf" else "<html><body>x</body></html>".encode())
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert "pip install" in caught.value.message and "\n" not in caught.value.message


def test_gbk_web_page_with_navigation(tmp_path):
    page = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>"
            "<div id='nav'><a>首页</a><a>政务公开</a></div><div class='breadcrumb'>您当前的位置:首页 > 通知</div>"
            "<div class='TRS_Editor'><p>某镇2024年政务公开工作要点</p><p>一、加强政策解读</p>"
            "<p>(一)做好政策解读。(责任单位:镇党政办)</p><p>(二)做好回应关切。(责任单位:镇宣传办)</p></div>"
            "<div class='footer'>版权所有:某镇人民政府 ICP备12345678号</div></body></html>")
    path = tmp_path / "要点.html"
    path.write_bytes(page.encode("gb18030"))
    plan = import_file(path)
    assert plan.title == "某镇2024年政务公开工作要点"
    assert [(t.text, pairs(t)) for t in plan.tasks] == [
        ("做好政策解读。", [("镇党政办", R)]), ("做好回应关切。", [("镇宣传办", R)])]


def test_contact_line_and_signature_are_no_tasks():
    from gktrack.features.importer import parse_document

    plan = parse_document("\n".join([
        "某镇2024年政务公开工作要点", "一、加强政策解读", "(一)做好政策解读。(责任单位:镇党政办)",
        "(二)做好回应关切。(责任单位:镇宣传办)", "联系人:王五,联系电话:0000-1234567", "某镇人民政府", "2024年3月1日",
    ]))
    assert [t.text for t in plan.tasks] == ["做好政策解读。", "做好回应关切。"]
    assert plan.issuer == "某镇人民政府" and str(plan.issued) == "2024-03-01"
    assert any("未导入" in message for line, message in plan.warnings if line == 5)
