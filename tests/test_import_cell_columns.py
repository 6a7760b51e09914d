"""A division-of-labour table copied from a web page one cell a line reads its columns as a table does.

The header comes cell by cell ("工作任务" / "具体要求" / "牵头单位" / …), then each row's cells, one a
line; an empty cell is often not written at all. These tables have a work-item column over several
rows, so the prose parser reads them (structure.py), with the table model's column names and roles.
"""

from __future__ import annotations

import pytest

from conftest import cell_lines_table, import_text, pairs


_read = import_text


def _units(plan):
    return [pairs(task) for task in plan.tasks]


R, L, S = "responsible", "lead", "support"

# ---- several unit columns: each cell takes its column's role ---------------------------------

_LEAD_AND_SUPPORT = """某县2024年政务公开重点工作任务分工表

工作任务

具体要求

牵头单位

配合单位

时限要求

一、深化重点领域信息公开

1.公开预算决算。

全面公开县本级预算决算和部门预决算。

县财政局

县审计局

6月底前

2.公开统计数据。

及时发布统计数据并做好解读。

县统计局

县发改局、县农业农村局

持续推进

3.做好政策解读。

重要政策文件与解读材料同步发布。

县政府办

12月底前
"""


def test_cells_under_a_lead_and_a_support_column_take_their_columns_roles(tmp_path):
    plan = _read(tmp_path, _LEAD_AND_SUPPORT)
    assert [t.text for t in plan.tasks] == ["全面公开县本级预算决算和部门预决算。", "及时发布统计数据并做好解读。",
                                            "重要政策文件与解读材料同步发布。"]
    assert [s.title for s in plan.sections] == ["深化重点领域信息公开", "公开预算决算", "公开统计数据", "做好政策解读"]
    # the last row's empty cell was not written: which column its one cell stands in cannot be told
    assert _units(plan) == [[("县财政局", L), ("县审计局", S)],
                            [("县统计局", L), ("县发改局", S), ("县农业农村局", S)],
                            [("县政府办", R)]]
    assert plan.tasks[0].units_text == "牵头单位:县财政局;配合单位:县审计局"
    assert [t.deadline for t in plan.tasks] == [["6月底前"], ["持续推进"], ["12月底前"]]


# ---- text and group columns: every name the table model knows --------------------------------



@pytest.mark.parametrize("group, text", [("工作任务", "工作事项"), ("工作任务", "工作举措"), ("工作任务", "任务要求"),
                                         ("重点工作", "具体要求"), ("工作重点", "工作事项")])
def test_a_header_one_cell_a_line_knows_every_text_column_name(tmp_path, group, text):
    plan = _read(tmp_path, cell_lines_table(group, text, "责任单位", "完成时限"))
    assert [t.text for t in plan.tasks] == ["全面公开县本级预算决算和部门预决算。", "及时发布统计数据并做好解读。"]
    assert [s.title for s in plan.sections] == ["深化重点领域信息公开", "公开预算决算", "公开统计数据"]
    assert _units(plan) == [[("县财政局", R)], [("县统计局", R), ("县发改局", R)]]
    assert [t.deadline for t in plan.tasks] == [["6月底前"], ["持续推进"]]
    assert not any(group in message or text in message for _, message in plan.warnings)


# ---- the unit column before the text: told by the same column names -------------------------

_UNITS_FIRST = """某县2024年政务公开重点工作任务分工表

工作任务

责任单位

工作举措

完成时限

一、深化重点领域信息公开

1.公开预算决算。

县财政局

全面公开县本级预算决算和部门预决算。

6月底前

2.公开统计数据。

县统计局、县发改局

及时发布统计数据并做好解读。

持续推进
"""


def test_a_unit_column_before_a_text_column_the_table_model_knows_names_the_next_rows_units(tmp_path):
    plan = _read(tmp_path, _UNITS_FIRST)
    assert [t.text for t in plan.tasks] == ["全面公开县本级预算决算和部门预决算。", "及时发布统计数据并做好解读。"]
    assert [s.title for s in plan.sections] == ["深化重点领域信息公开", "公开预算决算", "公开统计数据"]
    assert _units(plan) == [[("县财政局", R)], [("县统计局", R), ("县发改局", R)]]
    assert [t.deadline for t in plan.tasks] == [["6月底前"], ["持续推进"]]
