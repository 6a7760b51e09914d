"""The same plan written with the other labels and column names real offices use reads the same.

Each document here is written once with a placeholder for its label; every variant must give the
same tasks, units, roles and deadlines as the common label does.
"""

from __future__ import annotations

import pytest

from conftest import cell_lines_table, import_text, pairs


_read = import_text


def _units(plan):
    return [pairs(task) for task in plan.tasks]


R, L, S = "responsible", "lead", "support"

# ---- unit labels: one vocabulary for prose labels and table headers --------------------------

_LINE_LABELS = """某县2024年政务公开工作要点
一、加强信息公开
1.全面公开县本级预算决算和部门预决算。
{L}:县财政局
2.及时发布统计数据并做好解读。
{L}:县统计局、县发改局
"""

_BRACKET_LABELS = """某县2024年政务公开工作要点
一、加强信息公开
1.全面公开县本级预算决算和部门预决算。(责任单位:县财政局)
2.及时发布统计数据并做好解读。({L}:县统计局、县发改局)
"""

_TABLE = """某县2024年政务公开重点任务分工表
序号\t工作任务\t{L}\t完成时限
1\t全面公开县本级预算决算和部门预决算。\t县财政局\t6月底前
2\t及时发布统计数据并做好解读。\t县统计局、县发改局\t持续推进
"""

RESPONSIBLE_LABELS = ["责任单位", "责任部门", "责任科室", "落实单位", "落实部门", "实施单位", "责任主体", "责任机构"]


@pytest.mark.parametrize("label", RESPONSIBLE_LABELS)
def test_a_responsible_label_on_its_own_line_names_the_units(tmp_path, label):
    plan = _read(tmp_path, _LINE_LABELS.replace("{L}", label))
    assert [t.text for t in plan.tasks] == ["全面公开县本级预算决算和部门预决算。", "及时发布统计数据并做好解读。"]
    assert _units(plan) == [[("县财政局", R)], [("县统计局", R), ("县发改局", R)]]


@pytest.mark.parametrize("label", RESPONSIBLE_LABELS)
def test_a_responsible_label_in_brackets_names_the_units(tmp_path, label):
    plan = _read(tmp_path, _BRACKET_LABELS.replace("{L}", label))
    assert _units(plan) == [[("县财政局", R)], [("县统计局", R), ("县发改局", R)]]


@pytest.mark.parametrize("label", RESPONSIBLE_LABELS)
def test_a_responsible_column_names_the_units(tmp_path, label):
    plan = _read(tmp_path, _TABLE.replace("{L}", label))
    assert _units(plan) == [[("县财政局", R)], [("县统计局", R), ("县发改局", R)]]
    assert [t.deadline for t in plan.tasks] == [["6月底前"], ["持续推进"]]


# ---- deadline labels: one vocabulary for prose labels and table headers ----------------------

_DEADLINE_LINES = """某县2024年政务公开工作要点
一、加强信息公开
1.全面公开县本级预算决算和部门预决算。
责任单位:县财政局
{T}:2024年6月底前
2.及时发布统计数据并做好解读。
责任单位:县统计局;{T}:持续推进
3.每季度检查政府网站和政务新媒体。(责任单位:县政府办公室;{T}:每季度)
"""

DEADLINE_LABELS = ["完成时限", "完成时间", "时限要求", "时间节点", "完成期限", "进度安排", "时间安排", "办结时限",
                   "责任时限", "推进时限", "时间要求"]


@pytest.mark.parametrize("label", DEADLINE_LABELS)
def test_a_deadline_label_in_prose_gives_the_deadline(tmp_path, label):
    plan = _read(tmp_path, _DEADLINE_LINES.replace("{T}", label))
    assert [t.text for t in plan.tasks] == ["全面公开县本级预算决算和部门预决算。", "及时发布统计数据并做好解读。",
                                            "每季度检查政府网站和政务新媒体。"]
    assert _units(plan) == [[("县财政局", R)], [("县统计局", R)], [("县政府办公室", R)]]
    assert [t.deadline for t in plan.tasks] == [["2024年6月底前"], ["持续推进"], ["每季度"]]


@pytest.mark.parametrize("label", DEADLINE_LABELS)
def test_a_deadline_column_gives_the_deadline(tmp_path, label):
    plan = _read(tmp_path, _TABLE.replace("{L}", "责任单位").replace("完成时限", label))
    assert [t.deadline for t in plan.tasks] == [["6月底前"], ["持续推进"]]
    assert _units(plan) == [[("县财政局", R)], [("县统计局", R), ("县发改局", R)]]


# ---- a header read cell by cell, one cell a line: the same column names as a header row ----------



@pytest.mark.parametrize("label, role", [("责任单位", R), ("责任科室", R), ("落实单位", R), ("责任股室", R),
                                         ("牵头单位", L), ("牵头科室", L), ("主办单位", L)])
@pytest.mark.parametrize("deadline", ["时限要求", "完成时限", "办结时限", "进度安排", "责任时限"])
def test_a_header_one_cell_a_line_knows_every_column_name(tmp_path, label, role, deadline):
    plan = _read(tmp_path, cell_lines_table("工作任务", "具体要求", label, deadline))
    assert [t.text for t in plan.tasks] == ["全面公开县本级预算决算和部门预决算。", "及时发布统计数据并做好解读。"]
    assert [s.title for s in plan.sections] == ["深化重点领域信息公开", "公开预算决算", "公开统计数据"]
    assert _units(plan) == [[("县财政局", role)], [("县统计局", role), ("县发改局", role)]]
    assert [t.deadline for t in plan.tasks] == [["6月底前"], ["持续推进"]]


# ---- 主办单位 / 承办单位: a task's label inside the plan, a site's footer after it ------------

_FOOTER_WORDS = """某县2024年政务公开工作要点
一、加强政策公开
(一)做好规范性文件公开。
承办单位:县司法局
(二)做好预算公开。
主办单位:县财政局
二、强化保障
(三)加强政务公开培训。
责任单位:县政府办
主办单位:某县人民政府办公室
承办单位:某县信息中心
网站标识码:1234567890
"""


def test_a_site_footers_labels_inside_the_plan_label_a_tasks_units(tmp_path):
    plan = _read(tmp_path, _FOOTER_WORDS)
    assert _units(plan) == [[("县司法局", R)], [("县财政局", L)], [("县政府办", R)]]
    # after the plan, the same labels are the page's footer: no unit of the last task
    assert not any("某县信息中心" in message or "人民政府办公室" in message for _, message in plan.warnings)
