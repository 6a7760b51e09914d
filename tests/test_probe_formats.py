"""Plan documents in the formats offices receive them — Word files with automatic numbering and
分工表 tables, Excel workbooks with title rows, two-row headers, notes and several sheets, web pages
saved from government sites, text PDFs with running heads and page numbers — built here in
``tmp_path`` (nothing binary committed), each with what a careful reader takes from it: tasks,
their units with roles, deadlines, and the heading each task sits under.

Written from reading the documents, not from the importer's output. Per task: (text starts with,
units as [(name, role)], deadlines or None to leave unchecked, title of the innermost heading).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import pdf_file
from gktrack.features.importer import import_file

L, S, R = "lead", "support", "responsible"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _by_role(units):
    return {role: [n for n, r in units if r == role] for role in (L, S, R)}


def _check(plan, title, tasks):
    assert plan.title == title
    headings = {s.key: s.title for s in plan.sections}
    got = [(t.text, [(u.name, u.role) for u in t.units], t.deadline, headings.get(t.section)) for t in plan.tasks]
    assert len(got) == len(tasks), [g[0][:20] for g in got]
    for (text, units, deadline, section), (start, want_units, want_deadline, want_section) in zip(got, tasks):
        assert text.startswith(start), (text[:30], start)
        assert _by_role(units) == _by_role(want_units), (text[:20], units)
        if want_deadline is not None:
            assert deadline == want_deadline, (text[:20], deadline)
        assert section == want_section, (text[:20], section)


# ---- Word ------------------------------------------------------------------------------------------

def _word():
    docx = pytest.importorskip("docx")
    return docx.Document()


_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _add_list(word, num_id: int, levels: list[tuple[str, str]]) -> None:
    """A numbering definition ``num_id`` with one level per (numFmt, lvlText), as Word writes it."""
    from docx.oxml import parse_xml

    numbering = word.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{420 * (i + 1)}" w:hanging="420"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {_NS} w:abstractNumId="{num_id + 100}">'
                         f'<w:multiLevelType w:val="hybridMultilevel"/>{lvls}</w:abstractNum>')
    num = parse_xml(f'<w:num {_NS} w:numId="{num_id}"><w:abstractNumId w:val="{num_id + 100}"/></w:num>')
    first_num = numbering.find(_W + "num")
    if first_num is not None:
        first_num.addprevious(abstract)  # abstractNum elements come before num elements
    else:
        numbering.append(abstract)
    numbering.append(num)


def _numbered(word, text: str, num_id: int, level: int, style: str | None = None):
    """A paragraph numbered automatically: its number is in numbering.xml, not in its text."""
    from docx.oxml import parse_xml

    paragraph = word.add_paragraph(text, style=style)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:numPr {_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


CN_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]


def doc_autonumbered(folder: Path) -> Path:
    """A county's 工作要点 in Word, every heading and item numbered by Word (一、/（一）/1.)."""
    word = _word()
    _add_list(word, 7, CN_LEVELS)
    word.add_paragraph("临泽县2024年政务公开工作要点")
    word.add_paragraph("为深入贯彻落实《中华人民共和国政府信息公开条例》,结合我县实际,制定本要点。")
    _numbered(word, "围绕优化营商环境加强信息公开", 7, 0)
    _numbered(word, "加强涉企政策公开", 7, 1)
    _numbered(word, "集中公开惠企政策清单,做好政策解读。（牵头单位：县发改局；配合单位：县工信局、县财政局）", 7, 2)
    _numbered(word, "公开“双随机、一公开”抽查结果。（责任单位：县市场监管局；完成时限：2024年6月底前）", 7, 2)
    _numbered(word, "做好行政许可信息公开", 7, 1)
    _numbered(word, "及时公开行政许可事项清单。（责任单位：县政务服务中心）", 7, 2)
    _numbered(word, "夯实政务公开工作基础", 7, 0)
    _numbered(word, "规范依申请公开办理", 7, 1)
    _numbered(word, "严格按法定时限答复申请人。（责任单位：县司法局、县政府办公室；完成时限：持续推进）", 7, 2)
    _numbered(word, "每季度开展一次答复文书评查。（责任单位：县司法局）", 7, 2)
    path = folder / "临泽县2024年政务公开工作要点.docx"
    word.save(path)
    return path


AUTONUMBERED = ("临泽县2024年政务公开工作要点", [
    ("集中公开惠企政策清单", [("县发改局", L), ("县工信局", S), ("县财政局", S)], [], "加强涉企政策公开"),
    ("公开“双随机、一公开”抽查结果", [("县市场监管局", R)], ["2024年6月底前"], "加强涉企政策公开"),
    ("及时公开行政许可事项清单", [("县政务服务中心", R)], [], "做好行政许可信息公开"),
    ("严格按法定时限答复申请人", [("县司法局", R), ("县政府办公室", R)], ["持续推进"], "规范依申请公开办理"),
    ("每季度开展一次答复文书评查", [("县司法局", R)], None, "规范依申请公开办理"),
])


def doc_mixed_numbering(folder: Path) -> Path:
    """Typed "一、" headings, Word-numbered "（一）" items, and one level numbered through the
    heading style (Heading 2 carries numPr in styles.xml, as in many 公文 templates)."""
    from docx.oxml import parse_xml

    word = _word()
    _add_list(word, 8, [("chineseCounting", "（%1）")])
    _add_list(word, 9, [("decimal", "%1.")])
    word.add_paragraph("青云街道2024年政务公开工作任务分工方案")
    word.add_paragraph("一、推进基层政务公开标准化")
    _numbered(word, "更新街道政务公开事项目录,做到应公开尽公开。（责任单位：党政办；完成时限：2024年5月底前）", 8, 0)
    _numbered(word, "规范社区居务公开栏设置。（责任单位：社区建设办、各社区居委会）", 8, 0)
    word.add_paragraph("二、强化政策解读回应")
    # this list restarts its count: a new w:num for the same definition, as Word does after a heading
    numbering = word.part.numbering_part.element
    numbering.append(parse_xml(f'<w:num {_NS} w:numId="10"><w:abstractNumId w:val="108"/>'
                               f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    _numbered(word, "做好惠民政策进社区宣讲活动。（责任单位：民生保障办）", 10, 0)
    # a typed number in the middle of automatic ones
    word.add_paragraph("（二）及时回应群众关切。（责任单位：综合执法队、党政办；完成时限：持续推进）")
    path = folder / "分工方案.docx"
    word.save(path)
    return path


MIXED = ("青云街道2024年政务公开工作任务分工方案", [
    ("更新街道政务公开事项目录", [("党政办", R)], ["2024年5月底前"], "推进基层政务公开标准化"),
    ("规范社区居务公开栏设置", [("社区建设办", R), ("各社区居委会", R)], [], "推进基层政务公开标准化"),
    ("做好惠民政策进社区宣讲活动", [("民生保障办", R)], [], "强化政策解读回应"),
    ("及时回应群众关切", [("综合执法队", R), ("党政办", R)], ["持续推进"], "强化政策解读回应"),
])


def doc_heading_styles(folder: Path, top: int = 1) -> Path:
    """Headings set in Word's Heading 1 / Heading 2 styles with no number; items typed "1.".
    ``top``: the level of the first heading (2 when the title itself is set in Heading 1)."""
    word = _word()
    if top == 1:
        word.add_paragraph("某市卫生健康委2024年政务公开工作实施方案", style="Title")
    else:
        word.add_heading("某市卫生健康委2024年政务公开工作实施方案", level=1)
    word.add_paragraph("根据上级工作部署,结合我委实际,制定本方案。")
    word.add_heading("重点领域信息公开", level=top)
    word.add_heading("医疗服务信息", level=top + 1)
    word.add_paragraph("1.公开辖区医疗机构名录及执业信息。（责任科室：医政医管科）")
    word.add_paragraph("2.公开医疗服务价格和收费标准。（责任科室：财务科；完成时限：2024年6月底前）")
    word.add_heading("公共卫生信息", level=top + 1)
    word.add_paragraph("3.及时发布法定传染病疫情信息。（责任科室：疾控科；配合单位：市疾控中心）")
    word.add_heading("工作保障", level=top)
    word.add_paragraph("4.将政务公开纳入年度目标考核。（责任科室：办公室）")
    path = folder / "实施方案.docx"
    word.save(path)
    return path


HEADING_STYLES = ("某市卫生健康委2024年政务公开工作实施方案", [
    ("公开辖区医疗机构名录", [("医政医管科", R)], [], "医疗服务信息"),
    ("公开医疗服务价格", [("财务科", R)], ["2024年6月底前"], "医疗服务信息"),
    ("及时发布法定传染病疫情信息", [("疾控科", R), ("市疾控中心", S)], [], "公共卫生信息"),
    ("将政务公开纳入年度目标考核", [("办公室", R)], [], "工作保障"),
])


def _table(word, rows: list[list[str]], merges: list[tuple[int, int, int]] = ()):
    """A Word table; ``merges``: (column, first row, last row) merged down (vMerge)."""
    table = word.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                cell = table.cell(r, c)
                parts = text.split("\n")
                cell.text = parts[0]
                for part in parts[1:]:
                    cell.add_paragraph(part)
    for col, first, last in merges:
        top = table.cell(first, col)
        keep = top.text
        merged = top.merge(table.cell(last, col))
        # python-docx joins the texts of merged cells: keep the first's, as Word does when typed there
        for p in merged.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        merged.paragraphs[0].text = keep.split("\n")[0]
    return table


def doc_notice_with_table(folder: Path) -> Path:
    """A 印发通知 cover, then 附件 and the 分工表: 重点任务 merged down its rows, a 配合单位 cell
    merged over two rows, 牵头单位 / 配合单位 / 完成时限 columns."""
    word = _word()
    for text in ["鹿寨县人民政府办公室文件", "鹿政办发〔2024〕15号",
                 "鹿寨县人民政府办公室关于印发鹿寨县2024年政务公开工作要点任务分工表的通知",
                 "各乡镇人民政府，县直各单位：",
                 "现将《鹿寨县2024年政务公开工作要点任务分工表》印发给你们，请认真贯彻落实。",
                 "鹿寨县人民政府办公室", "2024年4月8日", "（此件公开发布）",
                 "附件", "鹿寨县2024年政务公开工作要点任务分工表"]:
        word.add_paragraph(text)
    rows = [
        ["序号", "重点任务", "具体工作", "牵头单位", "配合单位", "完成时限"],
        ["1", "加强政策解读", "县政府出台重要政策同步发布解读材料。", "县政府办公室", "县直各单位", "持续推进"],
        ["2", "", "开展政策进企业宣讲活动。", "县发改局", "", "2024年10月底前"],
        ["3", "推进基层政务公开", "完善乡镇政务公开事项标准目录。", "县政府办公室", "各乡镇人民政府", "2024年6月底前"],
        ["4", "", "推进村(居)务公开与政务公开融合。", "县民政局", "", "2024年12月底前"],
        ["5", "", "规范便民服务中心政务公开专区。", "县政务服务中心", "各乡镇人民政府", "2024年9月底前"],
    ]
    _table(word, rows, merges=[(1, 1, 2), (1, 3, 5), (4, 3, 4)])
    word.add_paragraph("抄送：县委办，县人大办，县政协办。")
    word.add_paragraph("鹿寨县人民政府办公室  2024年4月8日印发")
    path = folder / "鹿政办发〔2024〕15号.docx"
    word.save(path)
    return path


NOTICE_TABLE = ("鹿寨县2024年政务公开工作要点任务分工表", [
    ("县政府出台重要政策同步发布解读材料", [("县政府办公室", L), ("县直各单位", S)], ["持续推进"], "加强政策解读"),
    ("开展政策进企业宣讲活动", [("县发改局", L)], ["2024年10月底前"], "加强政策解读"),
    ("完善乡镇政务公开事项标准目录", [("县政府办公室", L), ("各乡镇人民政府", S)], ["2024年6月底前"],
     "推进基层政务公开"),
    # its 配合单位 cell is merged with the row above
    ("推进村(居)务公开与政务公开融合", [("县民政局", L), ("各乡镇人民政府", S)], ["2024年12月底前"],
     "推进基层政务公开"),
    ("规范便民服务中心政务公开专区", [("县政务服务中心", L), ("各乡镇人民政府", S)], ["2024年9月底前"],
     "推进基层政务公开"),
])


def doc_cell_paragraphs(folder: Path) -> Path:
    """A 分工表 whose 具体措施 cell holds "1. 2. 3." as paragraphs: the row is tracked as one task
    (one row = one task: one 责任单位, one 时限 for all three)."""
    word = _word()
    word.add_paragraph("海曙区2023年政务公开重点工作任务清单")
    rows = [
        ["序号", "工作任务", "具体措施", "责任单位", "完成时限"],
        ["1", "深化决策公开", "1.编制并公开年度重大行政决策事项目录；\n2.决策草案公开征求意见不少于30日；\n"
                           "3.决策作出后及时公开结果。", "区司法局、区政府办公室", "2023年12月底前"],
        ["2", "做好政务新媒体管理", "开展政务新媒体季度检查，通报检查结果。", "区委网信办", "每季度"],
    ]
    _table(word, rows)
    path = folder / "任务清单.docx"
    word.save(path)
    return path


CELL_PARAGRAPHS = ("海曙区2023年政务公开重点工作任务清单", [
    ("深化决策公开\n1.编制并公开年度重大行政决策事项目录", [("区司法局", R), ("区政府办公室", R)], ["2023年12月底前"],
     None),
    ("做好政务新媒体管理\n开展政务新媒体季度检查", [("区委网信办", R)], ["每季度"], None),
])


def doc_table_section_rows(folder: Path) -> Path:
    """A 分工表 whose sections are rows merged across the whole table ("一、政策公开"); the one
    责任单位 column labels its lead and support inside the cell; a 完成时限 cell holds two
    paragraphs; header cells broken over two lines ("完成\n时限")."""
    word = _word()
    word.add_paragraph("平江县2024年政务公开工作要点责任分解表")
    rows = [
        ["序号", "工作任务", "责任\n单位", "完成\n时限"],
        ["一、政策公开", "", "", ""],
        ["1", "做好规范性文件集中公开和动态更新。", "牵头单位：县司法局\n配合单位：县直各单位", "2024年6月底前\n持续推进"],
        ["2", "重要政策出台同步发布解读材料。", "县政府办公室", "持续推进"],
        ["二、平台建设", "", "", ""],
        ["3", "加强政务新媒体日常监管。", "牵头：县委网信办；配合：县政府办公室", "每季度"],
    ]
    table = _table(word, rows)
    for r in (1, 4):
        merged = table.cell(r, 0).merge(table.cell(r, 3))
        for p in merged.paragraphs[1:]:
            p._p.getparent().remove(p._p)
    path = folder / "责任分解表.docx"
    word.save(path)
    return path


TABLE_SECTION_ROWS = ("平江县2024年政务公开工作要点责任分解表", [
    ("做好规范性文件集中公开和动态更新", [("县司法局", L), ("县直各单位", S)], ["2024年6月底前", "持续推进"], "政策公开"),
    ("重要政策出台同步发布解读材料", [("县政府办公室", R)], ["持续推进"], "政策公开"),
    ("加强政务新媒体日常监管", [("县委网信办", L), ("县政府办公室", S)], ["每季度"], "平台建设"),
])


def doc_two_row_header_table(folder: Path) -> Path:
    """A Word 分工表 with a two-row header (责任单位 spread over 牵头|配合 by gridSpan, the other
    header cells merged down by vMerge); items numbered by a paragraph style that carries the
    numbering (styles.xml numPr), as 公文 templates do."""
    from docx.oxml import parse_xml

    word = _word()
    _add_list(word, 11, [("decimal", "%1.")])
    style = word.styles.add_style("要点条目", 1)
    style.element.get_or_add_pPr().insert(0, parse_xml(
        f'<w:numPr {_NS}><w:ilvl w:val="0"/><w:numId w:val="11"/></w:numPr>'))
    word.add_paragraph("资阳区2024年政务公开工作要点")
    word.add_paragraph("一、总体要求")
    word.add_paragraph("坚持以公开为常态、不公开为例外,全面推进政务公开标准化规范化。")
    word.add_paragraph("二、重点任务")
    word.add_paragraph("具体任务分工如下：")
    table = word.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    for c, text in enumerate(["序号", "工作任务", "责任单位", "", "完成时限"]):
        table.cell(0, c).text = text
    table.cell(1, 2).text, table.cell(1, 3).text = "牵头单位", "配合单位"
    for c in (0, 1, 4):
        table.cell(0, c).merge(table.cell(1, c))
    table.cell(0, 2).merge(table.cell(0, 3))
    data = [["", "做好政府信息主动公开目录动态调整。", "区政府办公室", "区直各单位", "2024年9月底前"],
            ["", "规范政府信息公开申请办理。", "区司法局", "", "持续推进"]]
    for r, row in enumerate(data, start=2):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
        table.cell(r, 0).paragraphs[0].style = style  # the 序号 numbered by the style: 1. 2.
    word.add_paragraph("三、保障措施")
    word.add_paragraph("各单位要加强组织领导,确保各项任务落到实处。", style=style)
    path = folder / "要点.docx"
    word.save(path)
    return path


TWO_ROW_HEADER_TABLE = ("资阳区2024年政务公开工作要点", [
    ("做好政府信息主动公开目录动态调整", [("区政府办公室", L), ("区直各单位", S)], ["2024年9月底前"], "重点任务"),
    ("规范政府信息公开申请办理", [("区司法局", L)], ["持续推进"], "重点任务"),
    # a numbered item of the issuing body: no unit named
    ("各单位要加强组织领导", [], [], "保障措施"),
])


def doc_table_per_heading(folder: Path) -> Path:
    """"一、X" then its own table, "二、Y" then another with the same header: each table's rows
    under the heading above it (not one table continued)."""
    word = _word()
    word.add_paragraph("城步苗族自治县2024年政务公开重点工作任务清单")
    header = ["序号", "具体任务", "责任单位", "完成时限"]
    word.add_paragraph("一、决策公开")
    _table(word, [header, ["1", "公开年度重大行政决策事项目录。", "县司法局", "2024年4月底前"],
                  ["2", "公开决策草案并征求意见。", "县直有关单位", "持续推进"]])
    word.add_paragraph("二、管理服务公开")
    _table(word, [header, ["1", "公开权责清单并动态调整。", "县委编办", "2024年6月底前"]])
    path = folder / "清单.docx"
    word.save(path)
    return path


TABLE_PER_HEADING = ("城步苗族自治县2024年政务公开重点工作任务清单", [
    ("公开年度重大行政决策事项目录", [("县司法局", R)], ["2024年4月底前"], "决策公开"),
    ("公开决策草案并征求意见", [("县直有关单位", R)], ["持续推进"], "决策公开"),
    ("公开权责清单并动态调整", [("县委编办", R)], ["2024年6月底前"], "管理服务公开"),
])


# ---- Excel -----------------------------------------------------------------------------------------

def xlsx_two_row_header(folder: Path) -> Path:
    """Title in a merged first row, 责任单位 merged over 牵头|配合, a notes row at the bottom, a 说明
    sheet before the table and a hidden working sheet."""
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = "填表说明"
    about.append(["填表说明"])
    about.append(["1.请各单位于每月25日前报送完成情况。"])
    about.append(["2.联系人：张三，电话：0771-1234567。"])
    ws = book.create_sheet("分工表")
    ws.append(["玉州区2024年政务公开工作任务分工表"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "工作任务", "具体内容", "责任单位", None, "完成时限"])
    ws.append([None, None, None, "牵头单位", "配合单位", None])
    ws.merge_cells("D2:E2")
    for col in "ABCF":
        ws.merge_cells(f"{col}2:{col}3")
    ws.append([1, "政策公开", "及时公开区政府规范性文件，实行统一登记、统一编号。", "区司法局", "区政府办公室", "持续推进"])
    ws.append([2, None, "做好重要政策解读，解读材料与政策文件同步发布。", "区政府办公室", "区直各部门", "2024年12月底前"])
    ws.merge_cells("B4:B5")
    ws.append([3, "平台建设", "加强区政府门户网站内容保障。", "区政府办公室", None, "每季度"])
    ws.append([4, None, "规范政务新媒体开设和运维。", "区委网信办", "区政府办公室", "2024年6月30日前"])
    ws.merge_cells("B6:B7")
    ws.append(["注：1.牵头单位负责统筹推进；2.各单位于每季度末报送进展情况。"])
    ws.merge_cells("A8:F8")
    hidden = book.create_sheet("数据源")
    hidden.append(["单位列表", "区司法局", "区政府办公室", "区委网信办"])
    hidden.sheet_state = "hidden"
    path = folder / "任务分工表.xlsx"
    book.save(path)
    return path


TWO_ROW_HEADER = ("玉州区2024年政务公开工作任务分工表", [
    ("及时公开区政府规范性文件", [("区司法局", L), ("区政府办公室", S)], ["持续推进"], "政策公开"),
    ("做好重要政策解读", [("区政府办公室", L), ("区直各部门", S)], ["2024年12月底前"], "政策公开"),
    ("加强区政府门户网站内容保障", [("区政府办公室", L)], ["每季度"], "平台建设"),
    ("规范政务新媒体开设和运维", [("区委网信办", L), ("区政府办公室", S)], ["2024年6月30日前"], "平台建设"),
])


def xlsx_sheet_per_area(folder: Path) -> Path:
    """One sheet per 领域, each with the same header: the sheet's name is the tasks' heading."""
    from openpyxl import Workbook

    book = Workbook()
    sheets = {
        "重点领域公开": [["1", "公开财政预决算信息。", "县财政局", "2024年9月底前"],
                   ["2", "公开重大建设项目批准和实施信息。", "县发改局", "按季度"]],
        "平台建设": [["1", "加强政府网站集约化管理。", "县政府办公室", "持续推进"],
                 ["2", "做好政务公开专区建设。", "县政务服务中心", "2024年6月底前"]],
    }
    first = True
    for name, rows in sheets.items():
        ws = book.active if first else book.create_sheet()
        ws.title, first = name, False
        ws.append(["序号", "工作任务", "责任单位", "完成时限"])
        for row in rows:
            ws.append(row)
    path = folder / "墨江县2024年政务公开重点任务清单.xlsx"
    book.save(path)
    return path


SHEET_PER_AREA = ("墨江县2024年政务公开重点任务清单", [
    ("公开财政预决算信息", [("县财政局", R)], ["2024年9月底前"], "重点领域公开"),
    ("公开重大建设项目批准和实施信息", [("县发改局", R)], ["按季度"], "重点领域公开"),
    ("加强政府网站集约化管理", [("县政府办公室", R)], ["持续推进"], "平台建设"),
    ("做好政务公开专区建设", [("县政务服务中心", R)], ["2024年6月底前"], "平台建设"),
])


def xlsx_wrapped_header_and_dates(folder: Path) -> Path:
    """Header cells typed with Alt+Enter ("牵头\n单位"), a 类别 row merged across the sheet, a
    完成时限 typed as a date, a 备注 column, and a blank row before the 制表 line."""
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(["附件"])
    ws.append(["桐梓县2024年政务公开重点工作台账"])
    ws.merge_cells("A2:F2")
    ws.append(["序号", "重点工作", "牵头\n单位", "配合\n单位", "完成\n时限", "备注"])
    ws.append(["一、优化政务服务公开"])
    ws.merge_cells("A4:F4")
    ws.append([1, "公开政务服务事项清单和办事指南。", "县政务服务中心", "县直有关部门", dt.datetime(2024, 6, 30), None])
    ws.append([2, "推行“一件事一次办”并公开办理流程。", "县政务服务中心", None, "持续推进", "纳入年度考核"])
    ws.append(["二、加强政策解读"])
    ws.merge_cells("A7:F7")
    ws.append([3, "主要负责同志带头解读重大政策。", "县政府办公室", "县直各部门", "全年", None])
    ws.append([])
    ws.append(["制表：县政府办公室", None, None, None, "2024年3月"])
    path = folder / "台账.xlsx"
    book.save(path)
    return path


WRAPPED_HEADER = ("桐梓县2024年政务公开重点工作台账", [
    ("公开政务服务事项清单和办事指南", [("县政务服务中心", L), ("县直有关部门", S)], ["2024-06-30"], "优化政务服务公开"),
    ("推行“一件事一次办”并公开办理流程。\n备注:纳入年度考核", [("县政务服务中心", L)], ["持续推进"], "优化政务服务公开"),
    ("主要负责同志带头解读重大政策", [("县政府办公室", L), ("县直各部门", S)], ["全年"], "加强政策解读"),
])


def xlsx_dotted_numbers(folder: Path) -> Path:
    """序号 "1" rows naming a 类别 only, "1.1" rows the tasks under it; a 完成情况 column."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["序号", "工作内容", "责任单位", "完成时限", "完成情况"])
    ws.append(["1", "决策公开", None, None, None])
    ws.append(["1.1", "编制年度重大行政决策事项目录并公开。", "市司法局", "2024年3月底前", "已完成"])
    ws.append(["1.2", "重大决策草案公开征求意见。", "市直有关部门", "持续推进", None])
    ws.append(["2", "执行和结果公开", None, None, None])
    ws.append(["2.1", "公开市政府重点工作任务分工及落实情况。", "市政府督查室", "每半年", None])
    path = folder / "资兴市2024年政务公开工作任务清单.xlsx"
    book.save(path)
    return path


DOTTED_NUMBERS = ("资兴市2024年政务公开工作任务清单", [
    ("编制年度重大行政决策事项目录并公开", [("市司法局", R)], ["2024年3月底前"], "决策公开"),
    ("重大决策草案公开征求意见", [("市直有关部门", R)], ["持续推进"], "决策公开"),
    ("公开市政府重点工作任务分工及落实情况", [("市政府督查室", R)], ["每半年"], "执行和结果公开"),
])


# ---- web pages -------------------------------------------------------------------------------------

_CHROME_TOP = (
    "<html><head><meta charset='utf-8'><title>{title}_通知公告_某县人民政府</title></head><body>"
    "<div class='top'><a href='/'>首页</a> <a>无障碍</a> <a>长者模式</a></div>"
    "<div class='nav'><ul><li><a>首页</a></li><li><a>政务公开</a></li><li><a>政务服务</a></li>"
    "<li><a>互动交流</a></li></ul></div>"
    "<div class='location'>当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>通知公告</a></div>")
_CHROME_BOTTOM = (
    "<div class='share'>分享到：<a>微信</a><a>微博</a> 【打印本页】【关闭窗口】</div>"
    "<div class='related'>相关链接：<a>2023年政务公开工作要点</a></div>"
    "<div class='footer'><p>主办：某县人民政府办公室 承办：某县大数据中心</p>"
    "<p>网站标识码：4509000001 桂ICP备12345678号-1 桂公网安备 45090002000123号</p></div></body></html>")


def html_site_article(folder: Path) -> Path:
    """An article page: 来源/发布时间 line, <p> paragraphs with &nbsp; and <br>, then the 分工表
    as a <table> with rowspan and colspan (a two-row 责任单位 header)."""
    title = "容县2024年政务公开工作要点"
    article = (
        f"<div class='article'><h1 class='title'>{title}</h1>"
        "<div class='info'>来源：容县人民政府办公室&nbsp;&nbsp;发布时间：2024-04-12 09:30&nbsp;&nbsp;"
        "字号：<a>大</a> <a>中</a> <a>小</a></div>"
        "<div class='TRS_Editor'>"
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;为做好2024年全县政务公开工作，现提出以下要点。</p>"
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;一、加强重点领域信息公开</p>"
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;（一）做好财政信息公开。全面公开县本级预决算，<br>"
        "细化公开“三公”经费。（责任单位：县财政局）</p>"
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;（二）做好乡村振兴信息公开。（牵头单位：县农业农村局；配合单位：各乡镇人民政府）</p>"
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;二、加强平台建设</p>"
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;具体任务见下表：</p>"
        "<table border='1'><tr><th rowspan='2'>序号</th><th rowspan='2'>工作任务</th>"
        "<th colspan='2'>责任单位</th><th rowspan='2'>完成时限</th></tr>"
        "<tr><th>牵头单位</th><th>配合单位</th></tr>"
        "<tr><td>1</td><td>加强政府网站内容保障。</td><td>县政府办公室</td><td rowspan='2'>县直各单位</td>"
        "<td>持续推进</td></tr>"
        "<tr><td>2</td><td>规范政务新媒体运维。</td><td>县委网信办</td><td>每季度</td></tr>"
        "</table>"
        "<p style='text-align:right'>容县人民政府办公室</p><p style='text-align:right'>2024年4月10日</p>"
        "</div></div>")
    path = folder / "容县2024年政务公开工作要点_通知公告_容县人民政府.html"
    path.write_text(_CHROME_TOP.format(title=title) + article + _CHROME_BOTTOM, encoding="utf-8")
    return path


SITE_ARTICLE = ("容县2024年政务公开工作要点", [
    ("做好财政信息公开。全面公开县本级预决算，细化公开“三公”经费。", [("县财政局", R)], [], "加强重点领域信息公开"),
    ("做好乡村振兴信息公开", [("县农业农村局", L), ("各乡镇人民政府", S)], [], "加强重点领域信息公开"),
    ("加强政府网站内容保障", [("县政府办公室", L), ("县直各单位", S)], ["持续推进"], "加强平台建设"),
    ("规范政务新媒体运维", [("县委网信办", L), ("县直各单位", S)], ["每季度"], "加强平台建设"),
])


def html_word_export(folder: Path) -> Path:
    """A page pasted from Word: each paragraph in <span> pieces (the number in one, the text split
    over others), <font> and <o:p> inside <p>, MsoNormal classes."""
    title = "柳城县东泉镇2024年政务公开工作要点"

    def para(*pieces: str) -> str:
        spans = "".join(f"<span style='font-family:仿宋_GB2312;font-size:16.0pt'>{p}</span>" for p in pieces)
        return f"<p class=MsoNormal style='text-indent:32.0pt'>{spans}<o:p></o:p></p>"

    article = (
        "<div class='zw' id='zoom'>"
        f"<p class=MsoNormal align=center><b><span style='font-size:22.0pt'>{title}</span></b></p>"
        + para("一、", "深化", "政务公开")
        + para("（一）", "加强", "政策", "解读。", "（责任单位：党政综合办）")
        + para("（二）", "<font face='仿宋'>规范</font>", "<font face='仿宋'>村务公开栏</font>", "管理。",
               "（责任单位：农业农村办、各村委会；完成时限：每季度）")
        + para("二、", "加强", "平台", "建设")
        + para("（一）", "做好镇政府信息公开专栏", "内容更新。", "（责任单位：党政综合办；完成时限：持续推进）")
        + "</div>")
    path = folder / "要点.htm"
    path.write_text(_CHROME_TOP.format(title=title) + article + _CHROME_BOTTOM, encoding="utf-8")
    return path


WORD_EXPORT = ("柳城县东泉镇2024年政务公开工作要点", [
    ("加强政策解读", [("党政综合办", R)], [], "深化政务公开"),
    ("规范村务公开栏管理", [("农业农村办", R), ("各村委会", R)], ["每季度"], "深化政务公开"),
    ("做好镇政府信息公开专栏内容更新", [("党政综合办", R)], ["持续推进"], "加强平台建设"),
])


def html_table_layout(folder: Path) -> Path:
    """An older site laid out with tables and no telling class names: the article sits in a
    cell of a layout table; its 分工表 has <thead>/<tbody>, a 重点任务 cell with rowspan, and
    cells of several <p>."""
    title = "汝城县2023年政务公开工作任务分工"
    rows = (
        "<tr><td rowspan='2'><p>一、</p><p>强化政策解读</p></td><td><p>1.政策文件与解读材料同步起草、同步审签、同步发布。</p></td>"
        "<td><p>县政府办公室</p><p>县直各部门</p></td><td>持续推进</td></tr>"
        "<tr><td>2.开展“政策进万家”宣讲活动。</td><td>县司法局</td><td>2023年11月底前</td></tr>"
        "<tr><td>二、规范依申请公开</td><td>3.依法规范答复依申请公开事项。</td><td>县政府办公室</td><td>持续推进</td></tr>")
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
        f"<title>{title}</title></head><body>"
        "<table width='100%'><tr><td><a>首页</a> | <a>政府信息公开</a> | <a>政务服务</a> | <a>互动交流</a></td></tr></table>"
        "<table width='980' align='center'><tr><td width='200' valign='top'><a>机构概况</a><br><a>政策文件</a><br>"
        "<a>规划计划</a></td><td valign='top'>"
        "<table width='100%'><tr><td align='center'><b>" + title + "</b></td></tr>"
        "<tr><td align='center'>发布时间：2023-03-28　浏览次数：1024</td></tr>"
        "<tr><td>"
        "<p>　　为扎实推进2023年政务公开工作，现将重点任务分工如下。</p>"
        "<table border='1' cellspacing='0'><thead><tr><th>重点任务</th><th>具体内容</th><th>责任单位</th><th>完成时限</th></tr></thead>"
        "<tbody>" + rows + "</tbody></table>"
        "<p align='right'>汝城县人民政府办公室</p><p align='right'>2023年3月27日</p>"
        "</td></tr></table></td></tr></table>"
        "<table width='100%'><tr><td align='center'>版权所有：汝城县人民政府 网站标识码：4310260001 湘ICP备05001234号</td></tr>"
        "</table></body></html>")
    path = folder / "t20230328_123456.html"
    path.write_text(page, encoding="utf-8")
    return path


TABLE_LAYOUT = ("汝城县2023年政务公开工作任务分工", [
    ("政策文件与解读材料同步起草", [("县政府办公室", R), ("县直各部门", R)], ["持续推进"], "强化政策解读"),
    ("开展“政策进万家”宣讲活动", [("县司法局", R)], ["2023年11月底前"], "强化政策解读"),
    ("依法规范答复依申请公开事项", [("县政府办公室", R)], ["持续推进"], "规范依申请公开"),
])


def html_br_lines(folder: Path) -> Path:
    """An article written as one <div> of lines separated by <br>, indented with full-width
    spaces; its 分工表 cells give "牵头单位：X<br>配合单位：Y"."""
    title = "新晃侗族自治县2024年政务公开工作要点"
    article = (
        f"<div class='content' id='zoom'><div class='title'>{title}</div>"
        "<div class='text'>　　一、深化重点领域公开<br>"
        "　　（一）做好财政资金直达基层信息公开。（责任单位：县财政局；完成时限：2024年12月底前）<br>"
        "　　（二）做好义务教育信息公开。（责任单位：县教育局）<br>"
        "　　二、强化平台建设<br>"
        "<table border='1'><tr><td>序号</td><td>工作任务</td><td>责任单位</td><td>完成时限</td></tr>"
        "<tr><td>1</td><td>提升政府网站集约化水平。</td><td>牵头单位：县政府办公室<br>配合单位：县数据局</td>"
        "<td>2024年10月底前</td></tr></table>"
        "</div></div>")
    path = folder / "要点.shtml"
    path.write_text(_CHROME_TOP.format(title=title) + article + _CHROME_BOTTOM, encoding="utf-8")
    return path


BR_LINES = ("新晃侗族自治县2024年政务公开工作要点", [
    ("做好财政资金直达基层信息公开", [("县财政局", R)], ["2024年12月底前"], "深化重点领域公开"),
    ("做好义务教育信息公开", [("县教育局", R)], [], "深化重点领域公开"),
    ("提升政府网站集约化水平", [("县政府办公室", L), ("县数据局", S)], ["2024年10月底前"], "强化平台建设"),
])


def html_xxgk_page(folder: Path) -> Path:
    """A 政府信息公开 page: the 索引号/发布机构/文号/成文日期 table above the text, 【字体：大 中 小】
    and 扫一扫 inside the article box, the 分工表 with a title row spanning its columns and a header
    in <strong>, a 附件 link list at the end."""
    title = "会同县2024年政务公开工作要点任务分工"
    meta = ("<table class='xxgk-info'><tr><td>索引号：</td><td>11431225MB1234567Q/2024-00021</td>"
            "<td>分类：</td><td>政务公开</td></tr>"
            "<tr><td>发布机构：</td><td>会同县人民政府办公室</td><td>成文日期：</td><td>2024-03-15</td></tr>"
            f"<tr><td>标题：</td><td colspan='3'>{title}</td></tr>"
            "<tr><td>文号：</td><td>会政办函〔2024〕6号</td><td>发布日期：</td><td>2024-03-18</td></tr></table>")
    table = (
        "<table border='1'><tr><td colspan='4'><strong>" + title + "</strong></td></tr>"
        "<tr><td><strong>序号</strong></td><td><strong>工作任务</strong></td><td><strong>责任单位</strong></td>"
        "<td><strong>完成时限</strong></td></tr>"
        "<tr><td>1</td><td>推进政务公开标准化规范化建设。</td><td>县政府办公室</td><td>2024年10月底前</td></tr>"
        "<tr><td>2</td><td>做好政府信息公开工作年度报告编制发布。</td><td>县直各单位、各乡镇人民政府</td>"
        "<td>2024年1月31日前</td></tr></table>")
    article = (
        "<div class='main'>" + meta +
        f"<div class='article'><h2>{title}</h2>"
        "<div class='tools'>【字体：<a>大</a> <a>中</a> <a>小</a>】 【打印】</div>"
        "<div class='content'>" + table + "</div>"
        "<div class='attach'>附件：<a href='/a.docx'>会同县2024年政务公开工作要点任务分工.docx</a></div>"
        "<div class='qr'>扫一扫在手机打开当前页</div></div></div>")
    path = folder / "xxgk.html"
    path.write_text(_CHROME_TOP.format(title=title) + article + _CHROME_BOTTOM, encoding="utf-8")
    return path


XXGK_PAGE = ("会同县2024年政务公开工作要点任务分工", [
    ("推进政务公开标准化规范化建设", [("县政府办公室", R)], ["2024年10月底前"], None),
    ("做好政府信息公开工作年度报告编制发布", [("县直各单位", R), ("各乡镇人民政府", R)], ["2024年1月31日前"], None),
])


def html_split_paragraphs(folder: Path) -> Path:
    """A page whose editor broke sentences into <p>s: an item stops at "，" and goes on in the next
    <p>; a 责任单位 line of its own after a group of items; the unit bracket in a <p> of its own."""
    title = "祁东县2024年政务公开工作要点"
    article = (
        f"<div class='content'><p>{title}</p><p>一、加强政策解读</p><p>（一）做好政策解读。</p>"
        "<p>（二）做好回应关切。</p><p>责任单位：县政府办公室</p><p>二、平台建设</p>"
        "<p>（一）加强网站建设，</p><p>提升检索功能。</p><p>（责任单位：县政务服务中心）</p></div>")
    path = folder / "要点.html"
    path.write_text(_CHROME_TOP.format(title=title) + article + _CHROME_BOTTOM, encoding="utf-8")
    return path


SPLIT_PARAGRAPHS = ("祁东县2024年政务公开工作要点", [
    ("做好政策解读。", [("县政府办公室", R)], [], "加强政策解读"),
    ("做好回应关切。", [("县政府办公室", R)], [], "加强政策解读"),
    ("加强网站建设，提升检索功能。", [("县政务服务中心", R)], [], "平台建设"),
])


def xlsx_one_column(folder: Path) -> Path:
    """The 要点 pasted into column A of a sheet, one paragraph a row: read as text."""
    from openpyxl import Workbook

    book = Workbook()
    for line in ["祁阳市2024年政务公开工作要点", "一、加强政策解读", "（一）做好政策解读。（责任单位：市政府办公室）",
                 "（二）做好回应关切。（责任单位：市委宣传部、市政府办公室；完成时限：持续推进）", "二、加强平台建设",
                 "（一）加强网站建设。（责任单位：市政府办公室）"]:
        book.active.append([line])
    path = folder / "要点.xlsx"
    book.save(path)
    return path


ONE_COLUMN = ("祁阳市2024年政务公开工作要点", [
    ("做好政策解读。", [("市政府办公室", R)], [], "加强政策解读"),
    ("做好回应关切。", [("市委宣传部", R), ("市政府办公室", R)], ["持续推进"], "加强政策解读"),
    ("加强网站建设。", [("市政府办公室", R)], [], "加强平台建设"),
])


# ---- PDF -------------------------------------------------------------------------------------------

def _pdf(pages: list[list[tuple[float, float, float, str]]], rules: list[list[tuple]] | None = None) -> bytes:
    """A text PDF: per page, (x, y, size, text) in STSong-Light (Adobe's CJK font every reader has,
    not embedded; UniGB-UCS2-H takes the text as UTF-16BE), as ReportLab writes Chinese."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 "
            # ASCII (CIDs 1-95) half as wide as a Chinese character, as in every real font
            b"/W [1 [" + b" ".join([b"500"] * 95) + b"]] "
            b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
            b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
            b"/StemV 93 >> >>] >>")
    count = len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * n} 0 R' for n in range(count))}] "
               f"/Count {count} >>".encode(), font]
    for n, page in enumerate(pages):
        stream = b"".join(b"BT /F1 %.1f Tf %.1f %.1f Td <%s> Tj ET\n" % (size, x, y, text.encode("utf-16-be").hex().encode())
                          for x, y, size, text in page)
        # ruled lines (x0, y0, x1, y1): a table's borders
        stream += b"".join(b"%.1f %.1f m %.1f %.1f l S\n" % line for line in (rules[n] if rules else []))
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * n} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    return pdf_file(objects)


def _typeset(title: str, head: str, paragraphs: list[str], per_line: int = 28, per_page: int = 10):
    """Pages of a 公文 PDF: the title on page 1, a running head on the others, paragraphs wrapped
    at ``per_line`` Chinese characters' width (a digit is half as wide: lines holding digits hold
    more characters; first line indented two), "- N -" at the foot of every page."""
    lines: list[tuple[float, str]] = []
    for text in paragraphs:
        indent, rest = 2, text
        while rest:
            room, take = per_line - indent, 0
            while take < len(rest) and room >= (0.5 if rest[take].isascii() else 1):
                room -= 0.5 if rest[take].isascii() else 1
                take += 1
            lines.append((indent, rest[:take]))
            rest, indent = rest[take:], 0
    pages, n = [], 0
    while n < len(lines) or not pages:
        page: list[tuple[float, float, float, str]] = []
        if not pages:
            page.append((130, 770, 18, title))
            y = 720
        else:
            page.append((200, 810, 9, head))
            y = 770
        for indent, text in lines[n:n + per_page]:
            page.append((72 + indent * 16, y, 16, text))
            y -= 30
        n += per_page
        page.append((280, 50, 12, f"- {len(pages) + 1} -"))
        pages.append(page)
    return pages


def pdf_wrapped(folder: Path) -> Path:
    pages = _typeset("兴宁区2024年政务公开工作要点", "兴宁区人民政府办公室", [
        "为深入贯彻落实国家和自治区关于政务公开工作的部署要求，结合我区实际，制定本要点。",
        "一、围绕助企纾困加强政策公开",
        "（一）加强惠企政策集中公开。在区政府门户网站设置惠企政策专栏，分类发布涉企政策文件及解读材料，"
        "确保政策应公开尽公开。（牵头单位：区发改局；配合单位：区工信局、区商务局）",
        "（二）做好减税降费政策公开。及时公开减税降费政策措施和办理流程，加大政策宣传和辅导力度，"
        "推动各项政策直达快享。（责任单位：区财政局、区税务局；完成时限：2024年12月底前）",
        "二、围绕群众关切加强民生信息公开",
        "（一）做好就业和社会保障信息公开。定期发布就业岗位、技能培训和社保待遇调整信息，"
        "方便群众查询办理。（责任单位：区人社局）",
        "（二）做好教育领域信息公开。及时公开义务教育招生入学政策、学区划分和招生结果等信息。"
        "（责任单位：区教育局；完成时限：2024年8月底前）",
        "（三）做好医疗卫生信息公开。公开辖区医疗机构名录、服务价格和突发公共卫生事件处置信息。"
        "（责任单位：区卫生健康局）",
    ])
    path = folder / "兴宁区2024年政务公开工作要点.pdf"
    path.write_bytes(_pdf(pages))
    return path


PDF_WRAPPED = ("兴宁区2024年政务公开工作要点", [
    ("加强惠企政策集中公开。在区政府门户网站设置惠企政策专栏，分类发布涉企政策文件及解读材料，确保政策应公开尽公开。",
     [("区发改局", L), ("区工信局", S), ("区商务局", S)], [], "围绕助企纾困加强政策公开"),
    ("做好减税降费政策公开。及时公开减税降费政策措施和办理流程，加大政策宣传和辅导力度，推动各项政策直达快享。",
     [("区财政局", R), ("区税务局", R)], ["2024年12月底前"], "围绕助企纾困加强政策公开"),
    ("做好就业和社会保障信息公开。定期发布就业岗位、技能培训和社保待遇调整信息，方便群众查询办理。",
     [("区人社局", R)], [], "围绕群众关切加强民生信息公开"),
    ("做好教育领域信息公开。及时公开义务教育招生入学政策、学区划分和招生结果等信息。",
     [("区教育局", R)], ["2024年8月底前"], "围绕群众关切加强民生信息公开"),
    ("做好医疗卫生信息公开。公开辖区医疗机构名录、服务价格和突发公共卫生事件处置信息。",
     [("区卫生健康局", R)], [], "围绕群众关切加强民生信息公开"),
])


def _ruled(rows: list[list[str]], columns: list[float], top: float, size: float = 10, height: float = 36,
           span: dict[tuple[int, int], int] | None = None):
    """A ruled table at ``top``: its text (a cell's lines split at ``\\n``) and its lines; ``span``:
    (row, column) -> rows it is merged down (no rule between them, the text in the first)."""
    span = span or {}
    text, rules = [], []
    covered = {(r + k, c) for (r, c), n in span.items() for k in range(1, n)}
    bottom = top - height * len(rows)
    for r, row in enumerate(rows):
        y = top - height * r
        for c, cell in enumerate(row):
            if (r, c) in covered:
                continue
            for k, part in enumerate(cell.split("\n")):
                text.append((columns[c] + 3, y - 14 - k * (size + 3), size, part))
    for c, x in enumerate(columns):
        rules.append((x, top, x, bottom))
    for r in range(len(rows) + 1):
        y = top - height * r
        for c in range(len(columns) - 1):
            if (r - 1, c) in span or (r, c) in covered and (r - 1, c) not in span and any(
                    (q, c) in span and q < r < q + span[(q, c)] for q in range(r)):
                continue
            rules.append((columns[c], y, columns[c + 1], y))
    return text, rules


def pdf_notice_and_table(folder: Path) -> Path:
    """A scanned-free PDF of a notice and its 分工表: the table breaks onto page 2, where its header
    is repeated; a 重点任务 cell is merged over two rows; a long cell wraps inside the cell."""
    columns = [50, 80, 160, 360, 460, 560]
    header = ["序号", "重点任务", "具体内容", "责任单位", "完成时限"]
    first = [header,
             # the 具体内容 wraps at the cell's edge; the 责任单位 is one unit a line
             ["1", "政策解读", "重要政策文件和解读材料同步审签和发布，\n解读率达到100%。", "县政府办公室\n县司法局", "持续推进"],
             ["2", "", "开展政策吹风会和在线访谈。", "县司法局", "2024年10月底前"]]
    second = [header,
              ["3", "平台建设", "加强政府网站内容保障和安全防护。", "县政府办公室", "每季度"],
              ["4", "基层公开", "更新乡镇政务公开事项目录。", "各乡镇人民政府", "2024年6月底前"]]
    page1 = [(80, 790, 15, "绥宁县人民政府办公室关于印发绥宁县2024年"),
             (80, 770, 15, "政务公开工作任务分工表的通知"),
             (50, 740, 12, "各乡镇人民政府，县直各单位："),
             (74, 720, 12, "现将《绥宁县2024年政务公开工作任务分工表》印发给你们，请认"),
             (50, 704, 12, "真抓好落实。"),
             (380, 680, 12, "绥宁县人民政府办公室"),
             (390, 664, 12, "2024年4月2日"),
             (50, 630, 12, "附件"),
             (140, 605, 14, "绥宁县2024年政务公开工作任务分工表")]
    text1, rules1 = _ruled(first, columns, 580, span={(1, 1): 2})
    text2, rules2 = _ruled(second, columns, 780)
    page1 += text1 + [(280, 40, 12, "- 1 -")]
    page2 = text2 + [(280, 40, 12, "- 2 -")]
    path = folder / "绥政办函〔2024〕8号.pdf"
    path.write_bytes(_pdf([page1, page2], [rules1, rules2]))
    return path


NOTICE_AND_TABLE = ("绥宁县2024年政务公开工作任务分工表", [
    ("重要政策文件和解读材料同步审签和发布，解读率达到100%。", [("县政府办公室", R), ("县司法局", R)], ["持续推进"],
     "政策解读"),
    ("开展政策吹风会和在线访谈", [("县司法局", R)], ["2024年10月底前"], "政策解读"),
    ("加强政府网站内容保障和安全防护", [("县政府办公室", R)], ["每季度"], "平台建设"),
    ("更新乡镇政务公开事项目录", [("各乡镇人民政府", R)], ["2024年6月底前"], "基层公开"),
])


def pdf_digits(folder: Path) -> Path:
    """Lines full of digits and Latin letters (half as wide): wrapped lines differ in how many
    characters they hold, and still make one paragraph each."""
    pages = _typeset("隆回县2024年政务公开工作要点", "隆回县人民政府办公室", [
        "一、加强政务服务信息公开",
        "（一）优化12345热线服务。2024年3月31日前完成12345热线与110、119、120等37条热线归并，"
        "按月公开热线受理办件量、按期办结率等数据，办结率达到98%以上。（责任单位：县政务服务中心）",
        "（二）做好政务APP和微信公众号管理。2024年6月30日前完成对全县45个政务新媒体账号、"
        "3个政务APP的全面排查，关停整合僵尸号和空壳号，公开保留账号清单。（责任单位：县委网信办、县政府办公室）",
        "二、做好数据开放",
        "（一）推进公共数据开放。2024年9月30日前在县政府门户网站开放不少于20个数据集，数据格式包括CSV、XLSX、JSON等，"
        "按季度更新。（责任单位：县数据局；完成时限：2024年9月30日前）",
        "（二）公开2023年度政府信息公开工作年度报告。2024年1月31日前在门户网站发布年度报告，"
        "统计数据与国务院办公厅印发的格式模板保持一致。（责任单位：县政府办公室；完成时限：2024年1月31日前）",
    ])
    path = folder / "隆回县2024年政务公开工作要点.pdf"
    path.write_bytes(_pdf(pages))
    return path


PDF_DIGITS = ("隆回县2024年政务公开工作要点", [
    ("优化12345热线服务。2024年3月31日前完成12345热线与110、119、120等37条热线归并，按月公开热线受理办件量、"
     "按期办结率等数据，办结率达到98%以上。", [("县政务服务中心", R)], None, "加强政务服务信息公开"),
    ("做好政务APP和微信公众号管理。2024年6月30日前完成对全县45个政务新媒体账号、3个政务APP的全面排查，"
     "关停整合僵尸号和空壳号，公开保留账号清单。", [("县委网信办", R), ("县政府办公室", R)], None, "加强政务服务信息公开"),
    ("推进公共数据开放。2024年9月30日前在县政府门户网站开放不少于20个数据集，数据格式包括CSV、XLSX、JSON等，按季度更新。",
     [("县数据局", R)], ["2024年9月30日前"], "做好数据开放"),
    ("公开2023年度政府信息公开工作年度报告。2024年1月31日前在门户网站发布年度报告，"
     "统计数据与国务院办公厅印发的格式模板保持一致。", [("县政府办公室", R)], ["2024年1月31日前"], "做好数据开放"),
])


# ---- the documents ---------------------------------------------------------------------------------

CASES = {
    "docx-autonumbered": (doc_autonumbered, AUTONUMBERED),
    "docx-mixed-numbering": (doc_mixed_numbering, MIXED),
    "docx-heading-styles": (doc_heading_styles, HEADING_STYLES),
    "docx-heading-styles-title-h1": (lambda folder: doc_heading_styles(folder, top=2), HEADING_STYLES),
    "docx-notice-table": (doc_notice_with_table, NOTICE_TABLE),
    "docx-cell-paragraphs": (doc_cell_paragraphs, CELL_PARAGRAPHS),
    "docx-table-section-rows": (doc_table_section_rows, TABLE_SECTION_ROWS),
    "docx-two-row-header-table": (doc_two_row_header_table, TWO_ROW_HEADER_TABLE),
    "docx-table-per-heading": (doc_table_per_heading, TABLE_PER_HEADING),
    "xlsx-dotted-numbers": (xlsx_dotted_numbers, DOTTED_NUMBERS),
    "html-br-lines": (html_br_lines, BR_LINES),
    "html-xxgk-page": (html_xxgk_page, XXGK_PAGE),
    "html-split-paragraphs": (html_split_paragraphs, SPLIT_PARAGRAPHS),
    "xlsx-one-column": (xlsx_one_column, ONE_COLUMN),
    "xlsx-wrapped-header-dates": (xlsx_wrapped_header_and_dates, WRAPPED_HEADER),
    "html-table-layout": (html_table_layout, TABLE_LAYOUT),
    "xlsx-two-row-header": (xlsx_two_row_header, TWO_ROW_HEADER),
    "xlsx-sheet-per-area": (xlsx_sheet_per_area, SHEET_PER_AREA),
    "html-site-article": (html_site_article, SITE_ARTICLE),
    "html-word-export": (html_word_export, WORD_EXPORT),
    "pdf-wrapped": (pdf_wrapped, PDF_WRAPPED),
    "pdf-notice-and-table": (pdf_notice_and_table, NOTICE_AND_TABLE),
    "pdf-digits": (pdf_digits, PDF_DIGITS),
}


# expectations the importer does not meet yet: name -> why
NOT_YET: dict[str, str] = {
}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[n])) if n in NOT_YET else n
    for n in sorted(CASES)])
def test_document_imports_as_a_reader_takes_it(tmp_path, name):
    build, (title, tasks) = CASES[name]
    plan = import_file(build(tmp_path))
    _check(plan, title, tasks)


def test_cover_notice_gives_issuer_number_and_date(tmp_path):
    import datetime as dt

    word = import_file(doc_notice_with_table(tmp_path))
    assert (word.issuer, word.doc_number, word.issued) == ("鹿寨县人民政府办公室", "鹿政办发〔2024〕15号",
                                                           dt.date(2024, 4, 8))
    pdf = import_file(pdf_notice_and_table(tmp_path))
    assert (pdf.issuer, pdf.issued) == ("绥宁县人民政府办公室", dt.date(2024, 4, 2))
    signed = import_file(html_table_layout(tmp_path))  # the signature and date below the 分工表
    assert (signed.issuer, signed.issued) == ("汝城县人民政府办公室", dt.date(2023, 3, 27))
    page = import_file(html_xxgk_page(tmp_path))  # the page's 索引号/文号 table, a label and its value in two cells
    assert (page.issuer, page.doc_number, page.issued) == ("会同县人民政府办公室", "会政办函〔2024〕6号",
                                                           dt.date(2024, 3, 15))


def test_word_numbers_are_the_ones_word_shows(tmp_path):
    plan = import_file(doc_autonumbered(tmp_path))
    assert [(s.number, s.title) for s in plan.sections] == [
        ("一、", "围绕优化营商环境加强信息公开"), ("（一）", "加强涉企政策公开"), ("（二）", "做好行政许可信息公开"),
        ("二、", "夯实政务公开工作基础"), ("（一）", "规范依申请公开办理")]
    assert [t.number for t in plan.tasks] == ["1.", "2.", "1.", "1.", "2."]
    mixed = import_file(doc_mixed_numbering(tmp_path))
    assert [t.number for t in mixed.tasks] == ["（一）", "（二）", "（一）", "（二）"]


def test_running_heads_of_a_pdf_are_left_out_and_said_so(tmp_path):
    plan = import_file(pdf_wrapped(tmp_path))
    assert not any("人民政府办公室" in t.text for t in plan.tasks)
    assert any("页眉页脚" in message and "兴宁区人民政府办公室" in message for _, message in plan.warnings)
    # two pages: the head shows once, at the top of page 2, in small type
    short = import_file(pdf_digits(tmp_path))
    assert any("页眉" in message and "隆回县人民政府办公室" in message for _, message in short.warnings)
    assert not any("未使用" in message for _, message in short.warnings)


def test_chapter_and_item_numbers_like_1_1(tmp_path):
    """"1." chapters with "1.1" "1.2" items (Word or typed): the items are tasks numbered "1.1"."""
    word = _word()
    word.add_paragraph("双峰县2024年政务公开工作方案")
    for text in ["1.加强政策公开", "1.1做好政策文件公开。（责任单位：县司法局）", "1.2 做好政策解读，增长3.5%。（责任单位：县政府办公室）",
                 "2.加强平台建设", "2.1加强网站建设。（责任单位：县政府办公室）"]:
        word.add_paragraph(text)
    path = tmp_path / "方案.docx"
    word.save(path)
    plan = import_file(path)
    headings = {s.key: s.title for s in plan.sections}
    assert [(t.number, t.text, headings[t.section]) for t in plan.tasks] == [
        ("1.1", "做好政策文件公开。", "加强政策公开"), ("1.2", "做好政策解读，增长3.5%。", "加强政策公开"),
        ("2.1", "加强网站建设。", "加强平台建设")]


def test_one_row_with_several_measures_is_one_task(tmp_path):
    """One 分工表 row, one 责任单位, one 时限: one task to track, its measures kept as written."""
    plan = import_file(doc_cell_paragraphs(tmp_path))
    assert plan.tasks[0].text == ("深化决策公开\n1.编制并公开年度重大行政决策事项目录；\n2.决策草案公开征求意见不少于30日；\n"
                                  "3.决策作出后及时公开结果。")


def test_a_table_caption_is_the_title(tmp_path):
    page = ("<html><body><div class='content'><table border=1><caption>祁东县2024年政务公开工作任务分工表</caption>"
            "<tr><th>序号</th><th>工作任务</th><th>责任单位</th></tr>"
            "<tr><td>1</td><td>做好政策解读。</td><td>县政府办公室</td></tr></table></div></body></html>")
    path = tmp_path / "a.html"
    path.write_text(page, encoding="utf-8")
    plan = import_file(path)
    assert plan.title == "祁东县2024年政务公开工作任务分工表" and not plan.title_from_file
    assert [(t.text, [u.name for u in t.units]) for t in plan.tasks] == [("做好政策解读。", ["县政府办公室"])]


@pytest.mark.parametrize("top, middle, item", [
    ("japaneseCounting", "taiwaneseCounting", "decimalFullWidth"),   # as WPS writes them
    ("chineseCountingThousand", "chineseCountingThousand", "decimalEnclosedFullstop"),
])
def test_list_number_formats_of_wps_and_word(tmp_path, top, middle, item):
    word = _word()
    _add_list(word, 7, [(top, "%1、"), (middle, "（%2）"), (item, "%3" if item.endswith("Fullstop") else "%3.")])
    word.add_paragraph("安仁县2024年政务公开工作要点")
    _numbered(word, "加强政策公开", 7, 0)
    _numbered(word, "做好文件公开", 7, 1)
    _numbered(word, "公开规范性文件。（责任单位：县司法局）", 7, 2)
    _numbered(word, "公开政策解读。（责任单位：县政府办公室）", 7, 2)
    path = tmp_path / "要点.docx"
    word.save(path)
    plan = import_file(path)
    assert [(s.number, s.title) for s in plan.sections] == [("一、", "加强政策公开"), ("（一）", "做好文件公开")]
    assert [(t.text, [u.name for u in t.units]) for t in plan.tasks] == [
        ("公开规范性文件。", ["县司法局"]), ("公开政策解读。", ["县政府办公室"])]


def test_lists_of_one_definition_count_on_unless_restarted(tmp_path):
    """Two w:num of one abstractNum: Word counts on through both ((一)(二) then (三)); a num with a
    startOverride starts again ((一))."""
    from docx.oxml import parse_xml

    word = _word()
    _add_list(word, 20, [("chineseCounting", "（%1）")])
    numbering = word.part.numbering_part.element
    numbering.append(parse_xml(f'<w:num {_NS} w:numId="21"><w:abstractNumId w:val="120"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {_NS} w:numId="22"><w:abstractNumId w:val="120"/>'
                               f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    word.add_paragraph("安仁县2024年政务公开工作要点")
    word.add_paragraph("一、政策公开")
    _numbered(word, "公开规范性文件。（责任单位：县司法局）", 20, 0)
    _numbered(word, "公开政策解读。（责任单位：县政府办公室）", 20, 0)
    _numbered(word, "公开会议信息。（责任单位：县政府办公室）", 21, 0)
    word.add_paragraph("二、平台建设")
    _numbered(word, "加强网站建设。（责任单位：县政府办公室）", 22, 0)
    path = tmp_path / "要点.docx"
    word.save(path)
    plan = import_file(path)
    assert [t.number for t in plan.tasks] == ["（一）", "（二）", "（三）", "（一）"]


def test_a_text_box_is_read_once(tmp_path):
    """The red 文件 header of a notice sits in a text box, which Word writes twice (mc:Choice for
    new Word, mc:Fallback for old): its text is read once."""
    from docx.oxml import parse_xml

    from gktrack.features.importer.sources import read_document

    word = _word()
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'

    def box() -> str:
        return '<w:txbxContent><w:p><w:r><w:t>某县人民政府办公室文件</w:t></w:r></w:p></w:txbxContent>'

    word.add_paragraph()._p.append(parse_xml(
        f'<w:r {_NS} {mc}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box()}</w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict>{box()}</w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    word.add_paragraph("某县2024年政务公开工作要点")
    path = tmp_path / "a.docx"
    word.save(path)
    assert [line.text for line in read_document(path).lines] == ["某县人民政府办公室文件", "某县2024年政务公开工作要点"]


def test_a_page_saying_gb2312_written_in_gbk(tmp_path):
    page = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>"
            "<div class='content'><p>鄌郚镇2024年政务公开工作要点</p><p>一、加强政策解读</p>"
            "<p>（一）做好政策解读。（责任单位：鄌郚镇党政办）</p></div></body></html>")
    path = tmp_path / "要点.html"
    path.write_bytes(page.encode("gbk"))
    plan = import_file(path)
    assert plan.title == "鄌郚镇2024年政务公开工作要点"
    assert [u.name for u in plan.tasks[0].units] == ["鄌郚镇党政办"]


def test_a_contact_list_after_the_table_is_no_task_and_no_cut(tmp_path):
    """附件2 联络员名单 (单位 | 姓名 | 联系电话) after the 分工表: not imported, and the file ending in
    its last cell is not reported as cut off."""
    word = _word()
    word.add_paragraph("某县2024年政务公开工作要点任务分工表")
    _table(word, [["序号", "工作任务", "责任单位", "完成时限"], ["1", "做好政策解读。", "县政府办公室", "持续推进"]])
    word.add_paragraph("附件2")
    word.add_paragraph("政务公开工作联络员名单")
    _table(word, [["序号", "单位", "姓名", "职务", "联系电话"], ["1", "县政府办公室", "张三", "副主任", "13800000000"]])
    path = tmp_path / "a.docx"
    word.save(path)
    plan = import_file(path)
    assert [(t.text, [u.name for u in t.units]) for t in plan.tasks] == [("做好政策解读。", ["县政府办公室"])]
    assert not any("中断" in message for _, message in plan.warnings)
    assert any("张三" in message for _, message in plan.warnings)  # said, not silently dropped


def test_web_page_headings_without_numbers(tmp_path):
    """<h2>/<h3> headings written without numbers head the items below them, as Word's 标题 styles do."""
    page = ("<html><body><div class='content'><h1>某县2024年政务公开工作要点</h1><h2>加强政策解读</h2>"
            "<p>1.做好政策解读。（责任单位：县政府办公室）</p><p>2.做好回应关切。（责任单位：县委宣传部）</p>"
            "<h2>平台建设</h2><h3>网站</h3><p>3.加强网站建设。（责任单位：县数据局）</p></div></body></html>")
    path = tmp_path / "要点.html"
    path.write_text(page, encoding="utf-8")
    plan = import_file(path)
    assert [(s.key, s.title) for s in plan.sections] == [("1", "加强政策解读"), ("2", "平台建设"), ("2.1", "网站")]
    assert [(t.number, t.section, [u.name for u in t.units]) for t in plan.tasks] == [
        ("1.", "1", ["县政府办公室"]), ("2.", "1", ["县委宣传部"]), ("3.", "2.1", ["县数据局"])]
