"""One reading of brackets for every reader of units and items (``domain.text.bracket_pairs``): the
same bracket set everywhere — any bracket shape closes any other, a quotation mark only its own —
and the bracket that ends an item found the same way by the unit reader and the item splitter.

The documents are small ones written for these tests, in the shapes real documents have.
"""

from __future__ import annotations

from gktrack.domain.text import bracket_pairs, enclosed, excerpt, last_bracket, outside_brackets, unbracketed
from gktrack.domain.unitphrase import parse_unit_phrase
from gktrack.features.importer import parse_document
from gktrack.features.importer.front import _heads_notice
from conftest import Gk, cell_lines_table, import_text, pairs

L, S, R = "lead", "support", "responsible"
HEAD = ["临川市2024年政务公开工作要点", "一、深化主动公开"]


def test_bracket_shapes_close_each_other_quotation_marks_only_their_own():
    # "（…)": a document mixes the shapes of one pair; "“…）": a bracket does not close a quotation
    assert bracket_pairs("各县（市、区)政府") == ([(2, 6, 0)], [])
    assert bracket_pairs("“放管服）改革", quotes=True) == ([], [0])
    assert bracket_pairs("“放管服）改革") == ([], [])  # without quotes: a stray bracket is text
    assert bracket_pairs("《条例〔2024〕》", quotes=True) == ([(3, 8, 1), (0, 9, 0)], [])
    assert outside_brackets("A[B、C]、D") == [0, 6, 7]
    assert unbracketed(" 〔(办公室牵头)〕 ") == "办公室牵头"
    assert unbracketed("(一)X(社区)") == "(一)X(社区)"
    assert last_bracket("公开(含解读。(县编办牵头)") == 7  # one left open earlier does not hide it
    assert excerpt("印发《关于推进〔政务公开〕标准化规范化工作的实施意见》的通知", 12) == "印发《关于推进〔政务公开……〕》"


def test_square_brackets_hold_a_unit_list_as_round_ones_do():
    plan = parse_document("\n".join(HEAD + [
        "1.做好政策文件公开。[责任单位:市发改委]",
        "2.夯实公开基础。［牵头单位:市府办；配合单位:市财政局］",
    ]))
    assert [(t.text, pairs(t)) for t in plan.tasks] == [
        ("做好政策文件公开。", [("市发改委", R)]),
        ("夯实公开基础。", [("市府办", L), ("市财政局", S)]),
    ]
    assert not plan.warnings
    # and a name's part in square brackets is no place to split a unit list
    assert [(u.name, u.role) for u in parse_unit_phrase("市府办[市数据局、市大数据中心]牵头,市财政局配合")] == [
        ("市府办(市数据局、市大数据中心)", L), ("市财政局", S)]


def test_a_bracket_left_open_earlier_does_not_hide_the_unit_bracket_ending_an_item():
    # the item splitter and the unit reader find the same closing bracket: "2." starts an item after it
    plan = parse_document("\n".join(HEAD + [
        "1.做好政策文件公开(含解读材料。(市发改委负责)2.夯实公开基础,形成基本框架。(市府办牵头)",
    ]))
    assert [(t.number, t.text, pairs(t)) for t in plan.tasks] == [
        ("1.", "做好政策文件公开(含解读材料。", [("市发改委", R)]),
        ("2.", "夯实公开基础,形成基本框架。", [("市府办", L)]),
    ]


P26 = "\n".join([
    "鹤壁市2024年政务公开工作要点",
    "",
    "一、深化重点领域信息公开",
    "1.做好财政预决算公开工作，细化公开到功能分类项级科目。【责任单位：市财政局；完成时限：2024年9月底前】",
    "2.做好重大建设项目批准和实施信息公开。责任单位：市发展改革委。完成时限：持续推进。",
    "3.推进政务服务事项办理信息公开。（牵头单位：市政务服务中心；配合单位：市直各部门；完成时限：2024年6月）",
    "二、强化平台建设",
    "4.加强政府网站内容建设，及时更新政策文件栏目。市政府办公室负责，市大数据局配合。",
    "5.规范政务新媒体管理，清理关停“僵尸”账号。各部门要密切配合。",
])


def _wrapped(text: str, width: int) -> str:
    """Every line longer than ``width`` broken at it, as PDF text is."""
    lines = text.split("\n")
    return "\n".join(line[i:i + width] for line in lines for i in range(0, max(len(line), 1), width))


def test_a_unit_bracket_in_lenticular_brackets_broken_at_the_page_width_reads_as_whole():
    # "…【责任单" over "位：市财政局；完成时限：2024年9月底前】": the second line closes the 【 the first left open
    whole, broken = parse_document(P26), parse_document(_wrapped(P26, 32))
    assert "【责任单\n位" in _wrapped(P26, 32)
    assert broken.tasks[0].units_text == whole.tasks[0].units_text == "市财政局"
    assert broken.tasks[0].deadline == ["2024年9月底前"]


def test_import_reads_a_square_unit_bracket_through_the_cli(gk: Gk, tmp_path):
    gk.ok("init")
    path = tmp_path / "要点.txt"
    path.write_text("\n".join(HEAD + [
        "1.做好政策文件公开。[责任单位:市发改委]",
        "2.夯实公开基础。(市府办[市数据局、市大数据中心]牵头,市财政局配合)",
    ]) + "\n", encoding="utf-8")
    gk.ok("import", str(path))
    plan = next((gk.root / "plans").glob("*.yaml")).read_text(encoding="utf-8")
    assert "市发改委" in plan and "[责任单位" not in plan
    assert "lead: [市府办(市数据局、市大数据中心)]" in plan and "support: [市财政局]" in plan


# ---- the prose around a 分工表: one reading whichever way the table is written -------------------

PROSE = ["某县2024年政务公开工作要点", "一、总体要求", "坚持以人民为中心,全面推进政务公开。"]
NOT_IMPORTED = [(2, "分工表前的文字未导入:一、总体要求"),
                (3, "分工表前的文字未导入:坚持以人民为中心,全面推进政务公开。")]


def test_prose_before_a_table_is_said_alike_for_a_page_table_and_one_of_cell_lines(tmp_path):
    # the numbered heading is no more imported than its paragraph: both are said, as for a page's table
    cells = cell_lines_table("工作任务", "具体内容", "责任单位", "完成时限").split("\n", 1)[1]
    by_cells = parse_document("\n".join(PROSE + ["某县2024年政务公开重点工作任务分工表"]) + cells)
    page = "".join(f"<p>{line}</p>" for line in PROSE) + "<table>" + "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
        for row in [("序号", "工作任务", "责任单位", "完成时限"), ("1", "公开预算决算", "县财政局", "6月底前"),
                    ("2", "公开统计数据", "县统计局", "持续推进")]) + "</table><p>请各单位认真抓好落实。</p>"
    by_rows = import_text(tmp_path, f"<html><body>{page}</body></html>", "要点.html")
    assert [t.text for t in by_cells.tasks] == ["全面公开县本级预算决算和部门预决算。", "及时发布统计数据并做好解读。"]
    assert [t.text for t in by_rows.tasks] == ["公开预算决算", "公开统计数据"]
    assert by_cells.warnings == NOT_IMPORTED
    # in the document's order: the prose before the table, then the text after it
    assert by_rows.warnings[:2] == NOT_IMPORTED
    assert [message for _, message in by_rows.warnings[2:]] == ["表格后的文字未导入:请各单位认真抓好落实。"]


def test_import_says_what_before_a_table_of_cell_lines_it_left_out(gk: Gk, tmp_path):
    gk.ok("init")
    path = tmp_path / "要点.txt"
    cells = cell_lines_table("工作任务", "具体内容", "责任单位", "完成时限").split("\n", 1)[1]
    path.write_text("\n".join(PROSE + ["某县2024年政务公开重点工作任务分工表"]) + cells, encoding="utf-8")
    out = gk.ok("import", str(path), "--dry-run")
    assert "第 2 行:分工表前的文字未导入:一、总体要求" in out
    assert "第 3 行:分工表前的文字未导入:坚持以人民为中心,全面推进政务公开。" in out


def test_a_table_that_gives_no_tasks_is_said_at_its_header():
    # the warning names the table's line (its header's first cell), not the prose's last item
    text = "\n".join(["某县2024年政务公开工作要点", "一、重点任务", "1.公开预算决算。(县财政局负责)",
                      "2.公开统计数据。(县统计局负责)", "某县2024年政务公开重点任务分工表"]) \
        + "\n\n" + "\n\n".join(["工作任务", "具体要求", "责任单位", "完成时限"]) + "\n"
    plan = parse_document(text)
    assert [(t.text, pairs(t)) for t in plan.tasks] == [("公开预算决算。", [("县财政局", R)]),
                                                       ("公开统计数据。", [("县统计局", R)])]
    assert plan.warnings == [(7, "分工表中没有读出任务,任务取自正文")]


def test_a_unit_line_in_any_bracket_shape_gives_its_units_without_the_brackets():
    plan = parse_document("\n".join(HEAD + [
        "1.做好政策文件公开,及时发布解读材料。", "【责任单位:市发改委】",
        "2.夯实公开基础,形成基本框架。", "〔牵头单位:市府办;配合单位:市财政局〕",
    ]))
    assert [(t.text, pairs(t), t.units_text) for t in plan.tasks] == [
        ("做好政策文件公开,及时发布解读材料。", [("市发改委", R)], "市发改委"),
        ("夯实公开基础,形成基本框架。", [("市府办", L), ("市财政局", S)], "牵头单位:市府办;配合单位:市财政局"),
    ]


def test_a_labelled_bracket_left_in_a_task_is_said_whatever_brackets_it_holds_or_is_written_in():
    for bracket in ("(责任单位:各区(市、县)政府,各园区应结合自身特点制定承接方案)",
                    "(责任单位:各区〔市、县〕政府,各园区应结合自身特点制定承接方案)",
                    "【责任单位:各区政府,各园区应结合自身特点制定承接方案】"):
        plan = parse_document("\n".join(HEAD + [f"1.推进园区改革,{bracket}做好承接工作。"]))
        assert [t.text for t in plan.tasks] == [f"推进园区改革,{bracket}做好承接工作。"]
        said = [message for _, message in plan.warnings if "中的单位无法拆分" in message]
        assert said == [f"“{bracket[:24]}…”中的单位无法拆分,原样留在任务内容中,请核对"]


def test_a_last_line_closed_by_a_title_mark_is_whole():
    # "〉" closes what it opened as "》" does: the document is not cut off there
    plan = parse_document("\n".join(["临川市2024年政务公开工作要点", "一、深化主动公开(市府办牵头)",
                                     "1.做好政策文件公开。", "2.公开重点领域信息,详见〈重点领域信息公开目录〉"]))
    assert [t.text for t in plan.tasks] == ["做好政策文件公开。", "公开重点领域信息,详见〈重点领域信息公开目录〉"]
    assert plan.warnings == []


# ---- the title and the line breaks: read with the same matcher ---------------------------------------

def test_a_title_line_is_wholly_in_brackets_only_when_one_pair_encloses_it(gk: Gk, tmp_path):
    # "【专栏】X(试行)" opens and ends with a bracket but is no bracketed line: its column tag is
    # dropped and it is the plan's title
    assert enclosed("【已废止】") and enclosed("(一、二)") and not enclosed("【专栏】X方案(试行)")
    gk.ok("init")
    path = tmp_path / "doc.txt"
    path.write_text("\n".join(["【专栏】某县2024年政务公开工作实施方案(试行)", "一、工作任务",
                               "(一)做好政策解读。及时解读重要政策文件。(牵头单位:县政府办)"]) + "\n",
                    encoding="utf-8")
    out = gk.ok("import", str(path), "--dry-run")
    assert "某县2024年政务公开工作实施方案(试行)" in out
    assert "标题取自文件名" not in out and "导语段落不是任务" not in out


def test_a_notice_heading_inside_a_title_mark_left_open_is_quoted_not_the_heading():
    # "》《…的通知": the 《 before it is open, whatever the count of marks says
    assert _heads_notice("某局关于印发某县2024年政务公开工作要点的通知")
    assert not _heads_notice("转发》《某局关于印发某县2024年政务公开工作要点的通知")


def test_a_line_closing_the_bracket_the_line_above_left_open_goes_on_it_past_a_stray_bracket(tmp_path):
    # "n)" (a PDF's ruby text) closes nothing: it does not hide the "(" the line leaves open
    plan = import_text(tmp_path, "\n".join([
        "某县交通运输局2024年政务公开工作要点", "一、工作任务", "(一)突出重点。围绕统筹交通运输",
        "n)行业疫情防控,积极推进信息公开(", "kāi)工作机制,不断提升工作水平。(牵头单位:县交通运输局)",
        "(二)做好政策解读。及时解读重要政策文件。(牵头单位:县政府办)"]))
    assert [(t.text, pairs(t)) for t in plan.tasks] == [
        ("突出重点。围绕统筹交通运输\nn)行业疫情防控,积极推进信息公开(kāi)工作机制,不断提升工作水平。",
         [("县交通运输局", L)]),
        ("做好政策解读。及时解读重要政策文件。", [("县政府办", L)])]
