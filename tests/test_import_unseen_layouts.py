"""Layouts met in real plans the importer had not seen (helper `newdocs`): each test's text is
written for the test in the layout seen, with its own tasks and units."""

from __future__ import annotations

from gktrack.features.importer import parse_document
from gktrack.features.importer.table import TEXT, header_role
from conftest import task_triples as _tasks

R, L, S = "responsible", "lead", "support"


# ---- a pipe table whose first row carries a category the header's first name spans ---------------

def test_two_text_column_names_joined_by_he_name_a_text_column():
    assert header_role("目标和要求") == TEXT
    assert header_role("内容及要求") == TEXT
    assert header_role("内容及时限") is None  # two kinds of column: no one role


def test_a_full_width_first_row_with_a_category_before_the_task_is_read_one_column_on():
    # the empty 备注 column was dropped from every row; the first row alone holds the category
    # (merged down over the others), so it is as wide as the header but one column on
    text = "\n".join([
        "工作任务 | 目标和要求 | 责任单位 | 备注 |",
        "规范信息发布 | 完善网站栏目 | 梳理政府网站各栏目,及时更新过时内容,确保信息准确 | 区政府办、区融媒体中心 | |",
        "加强政策解读 | 重要政策文件与解读材料同步起草、同步审签、同步发布 | 区司法局 | |",
        "办好依申请公开 | 规范申请登记、办理、答复各环节,按时办结 | 区政府办 | |",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("完善网站栏目\n梳理政府网站各栏目,及时更新过时内容,确保信息准确", [("区政府办", R), ("区融媒体中心", R)], []),
        ("加强政策解读\n重要政策文件与解读材料同步起草、同步审签、同步发布", [("区司法局", R)], []),
        ("办好依申请公开\n规范申请登记、办理、答复各环节,按时办结", [("区政府办", R)], []),
    ]
    # the rows after the first lost the category on the left: they stay in it
    assert [s.title for s in plan.sections] == ["规范信息发布"]
    assert {t.section for t in plan.tasks} == {plan.sections[0].key}
    assert not any("备注" in t.text for t in plan.tasks)


# ---- "X牵头Y配合" with the comma left out -------------------------------------------------------

def test_a_unit_phrase_without_its_comma_names_each_unit_with_its_role():
    from gktrack.domain.unitphrase import parse_unit_phrase

    def read(phrase):
        return [(u.name, u.role) for u in parse_unit_phrase(phrase)]

    assert read("综合科牵头各业务科室配合") == [("综合科", L), ("各业务科室", S)]
    assert read("县民政局牵头县直有关部门配合各镇负责") == [
        ("县民政局", L), ("县直有关部门", S), ("各镇", R)]
    # what the lead does runs on into the next names: the group word after it is the next unit
    assert read("党政办牵头做好栏目维护各站所分别落实") == [("党政办", L), ("各站所", R)]
    # one unit and what it does stays one unit
    assert read("县财政局牵头做好预算公开") == [("县财政局", L)]


def test_inline_units_without_their_comma_in_a_prose_plan():
    text = "\n".join([
        "某局2024年政务公开工作要点",
        "一、做好政策解读",
        "起草科室同步起草解读材料,随文件一并报审、一并发布。(办公室牵头做好审核把关各科室分别落实)",
        "二、管好网站栏目",
        "每月检查一次栏目内容,及时删除过期信息。(办公室牵头各科室配合)",
    ]) + "\n"
    plan = parse_document(text)
    assert [[(u.name, u.role) for u in t.units] for t in plan.tasks] == [
        [("办公室", L), ("各科室", R)], [("办公室", L), ("各科室", S)]]


# ---- a notice issuing two plans, the excerpt stopping inside the first ------------------------

_TWO_PLANS_NOTICE = [
    "某县人民政府办公室关于印发《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》的通知",
    "各乡镇人民政府,县直各单位:",
    "《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》已经县人民政府同意,现印发给你们。",
    "某县人民政府办公室",
    "2021年5月8日",
    "某县2021年政务服务工作要点",
    "一、优化办事服务",
    "(一)推进一窗受理。整合大厅窗口,实行综合受理、分类审批、统一出件。(县政务服务中心牵头)",
]


def test_a_notice_issuing_two_plans_cut_inside_the_first_says_the_other_is_missing():
    plan = parse_document("\n".join(_TWO_PLANS_NOTICE) + "\n")
    assert plan.title == "某县2021年政务服务工作要点"
    assert any("《某县2021年政务公开工作要点》" in message and "文中没有它" in message
               for _, message in plan.warnings)


def test_a_notice_citing_documents_one_by_one_issues_only_its_own_plan():
    lines = list(_TWO_PLANS_NOTICE)
    lines[0] = "某县人民政府办公室关于印发某县2021年政务服务工作要点的通知"
    lines[2] = ("为落实《某市2021年政务服务工作要点》,按照《某市2021年政务公开工作要点》要求,"
                "现将《某县2021年政务服务工作要点》印发给你们。")
    plan = parse_document("\n".join(lines) + "\n")
    assert plan.title == "某县2021年政务服务工作要点"
    assert not any("文中没有它" in message for _, message in plan.warnings)


# ---- a table copied without its cells ----------------------------------------------------------

def test_a_table_of_only_its_header_and_empty_cells_says_so():
    text = "\n".join([
        "2022年全区政务公开工作任务分解表",
        "工作任务 |", "工作要求 |", "牵头单位 |", "责任单位 |",
        "一、围绕优化营商环境深化公开 |",
        "|||", "|", "|||", "|", "|", "|",
        "二、围绕保障改善民生深化公开 |",
        "|||", "|", "|||", "|",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.tasks == []
    assert plan.no_tasks == "文中的分工表只有表头和空白格,没有任务内容"
    assert any(line == 2 and "表格内容可能丢失" in message for line, message in plan.warnings)


def test_a_header_written_one_cell_a_line_with_nothing_after_it_says_so():
    text = "\n\n".join(["某县2024年政务公开重点任务分工表", "工作任务", "具体要求", "责任单位", "完成时限"]) + "\n"
    plan = parse_document(text)
    assert plan.tasks == []
    assert plan.no_tasks == "文中的分工表只有表头和空白格,没有任务内容"


def test_rows_wider_than_a_header_whose_last_column_is_unknown():
    # the rows carry a section cell the header does not name; the header's last name is no column
    # the importer knows: the columns still line up, the last cell is a remark
    text = "\n".join([
        "某县2024年政务公开工作任务分工表",
        "序号 | 工作任务 | 责任单位 | 完成时限 | 联络员签字",
        "一、 | 1 | 做好政策解读工作,及时发布解读材料。 | 县政府办 | 6月底前 | 张三",
        "二、 | 2 | 加强政府网站管理,定期开展检查。 | 县数据局 | 年底前 | 李四",
    ]) + "\n"
    plan = parse_document(text)
    assert [(t.text.splitlines()[0], [u.name for u in t.units], t.deadline) for t in plan.tasks] == [
        ("做好政策解读工作,及时发布解读材料。", ["县政府办"], ["6月底前"]),
        ("加强政府网站管理,定期开展检查。", ["县数据局"], ["年底前"]),
    ]
    # the last row ends in its remark cell, after its units and deadline: it is whole, not cut
    assert not any("中断" in message for _, message in plan.warnings), plan.warnings
