"""Layouts met in real plans the importer had not seen (helper `newdocs4`): each test's text is
written for the test in the layout seen, with its own tasks and units."""

from __future__ import annotations

from gktrack.features.importer import parse_document
from gktrack.features.importer.table import GROUP, RESPONSIBLE, header_role

R, L, S = "responsible", "lead", "support"


def _tasks(plan):
    return [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks]


# ---- a table whose unit column is headed "任务分工" --------------------------------------------

def test_a_column_of_who_does_the_task_headed_fenggong_is_a_unit_column():
    assert header_role("任务分工") == RESPONSIBLE
    assert header_role("责任分工") == RESPONSIBLE
    assert header_role("工作要点") == GROUP


def test_a_table_headed_gongzuo_yaodian_and_renwu_fengong_is_read_as_a_table():
    text = "\n".join([
        "某市卫生健康委2023年政务公开工作要点任务分工",
        "工作要点 | 具体要求 | 任务分工 |",
        "政策解读 | 做好医保新政的图文解读。 | 政策法规科,各区卫生健康局 |",
        "公开平台 | 及时更新网站办事指南栏目。 | 办公室 |",
        "规范网站信息发布审核流程。 | 信息中心 | |",
    ]) + "\n"
    plan = parse_document(text)
    assert [s.title for s in plan.sections] == ["政策解读", "公开平台"]
    assert _tasks(plan) == [
        ("做好医保新政的图文解读。", [("政策法规科", R), ("各区卫生健康局", R)], []),
        ("及时更新网站办事指南栏目。", [("办公室", R)], []),
        ("规范网站信息发布审核流程。", [("信息中心", R)], []),
    ]


# ---- one cell a line: a numbered task, then what it asks for, then its units -------------------

def test_a_long_numbered_task_and_its_requirement_cell_are_one_task():
    text = "\n".join([
        "某市2022年政务公开工作任务分解方案",
        "工作任务", "|", "工作要求", "|", "牵头单位", "|", "责任单位", "|",
        "一、围绕重点领域深化信息公开", "|", "|||",
        "(一)做好财政信息公开", "|", "|||",
        "1.全面公开本级政府预算、决算及部门预算、决算和“三公”经费,细化到功能分类项级科目", "|",
        "在政府网站设立财政信息专栏,集中发布", "|",
        "市财政局", "|",
        "市直各部门,各区人民政府", "|",
        "2.公开政府债务情况", "|",
        "及时更新债务限额和余额,接受社会监督", "|",
        "市财政局", "|",
        "各区人民政府", "|",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("全面公开本级政府预算、决算及部门预算、决算和“三公”经费,细化到功能分类项级科目\n在政府网站设立财政信息专栏,集中发布",
         [("市财政局", L), ("市直各部门", R), ("各区人民政府", R)], []),
        ("公开政府债务情况\n及时更新债务限额和余额,接受社会监督", [("市财政局", L), ("各区人民政府", R)], []),
    ]
