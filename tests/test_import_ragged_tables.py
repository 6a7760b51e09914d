"""Flattened tables whose rows do not all have the header's cells: merged cells left out (a
category on its continuation rows, a middle cell on most rows), a 序号 column the header lacks,
lines of nothing but "|" for empty cells. Each cell goes to its column by what it holds; a row
number, a deadline or an empty cell never becomes a unit."""

from __future__ import annotations

from gktrack.features.importer import parse_document

L, S, R = "lead", "support", "responsible"


def _tasks(plan):
    return [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks]


def _units(plan):
    return {u.name for t in plan.tasks for u in t.units}


# ---- lines of pipes only ------------------------------------------------------------------

def test_lines_of_pipes_are_empty_cells_never_headings_tasks_or_units():
    text = "\n".join([
        "某区2023年政务公开重点任务分解表",
        "工作任务 |", "工作要求 |", "牵头单位 |", "责任单位 |",
        "一、聚焦中心工作,深化政务公开 |",
        "|||", "|", "|||", "|", "|", "|", "|",
        "二、夯实基础,规范公开平台 |",
        "|||", "|", "||||", "|",
    ]) + "\n"
    plan = parse_document(text)
    assert [s.number + s.title for s in plan.sections] == [
        "一、聚焦中心工作,深化政务公开", "二、夯实基础,规范公开平台"]
    assert plan.tasks == []


def test_lines_of_pipes_between_pipe_rows_are_row_separators():
    text = "\n".join([
        "某局2023年政务公开工作任务台账",
        "序号 | 工作任务 | 责任科室 | 完成时限 |",
        "1 | 及时更新政府信息公开指南和目录 | 办公室 | 6月底前 |",
        "|",
        "|||",
        "2 | 做好年度报告的编制和发布 | 综合科 | 1月31日前 |",
        "||",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("及时更新政府信息公开指南和目录", [("办公室", R)], ["6月底前"]),
        ("做好年度报告的编制和发布", [("综合科", R)], ["1月31日前"]),
    ]
    assert plan.sections == []
