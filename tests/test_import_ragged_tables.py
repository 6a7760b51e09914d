"""Flattened tables whose rows do not all have the header's cells: merged cells left out (a
category on its continuation rows, a middle cell on most rows), a 序号 column the header lacks,
lines of nothing but "|" for empty cells. Each cell goes to its column by what it holds; a row
number, a deadline or an empty cell never becomes a unit."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from conftest import task_triples as _tasks

L, S, R = "lead", "support", "responsible"


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


# ---- rows that lost cells -------------------------------------------------------------------

# (category, task text, units cell, deadline cell); a category merged over the rows below it
ROWS = [
    ("完善公开制度", "修订本单位政府信息公开指南,并在门户网站同步更新。", "办公室", "3月底前"),
    ("完善公开制度", "梳理主动公开基本目录,做到应公开尽公开。", "综合科牵头,各股室配合", "持续推进"),
    ("加强政策解读", "重要政策文件与解读材料同步起草、同步审签、同步发布。", "政策法规科", "长期坚持"),
    ("加强政策解读", "对群众关注度高的政策开展图解、视频等多种形式解读。", "宣传科、信息中心", "每季度"),
    ("抓好平台建设", "定期检查政务公开专栏内容,清理过期无效信息。", "信息中心", "年底前"),
]
EXPECTED = [
    ("修订本单位政府信息公开指南,并在门户网站同步更新。", [("办公室", R)], ["3月底前"]),
    ("梳理主动公开基本目录,做到应公开尽公开。", [("综合科", L), ("各股室", S)], ["持续推进"]),
    ("重要政策文件与解读材料同步起草、同步审签、同步发布。", [("政策法规科", R)], ["长期坚持"]),
    ("对群众关注度高的政策开展图解、视频等多种形式解读。", [("宣传科", R), ("信息中心", R)], ["每季度"]),
    ("定期检查政务公开专栏内容,清理过期无效信息。", [("信息中心", R)], ["年底前"]),
]
CATEGORIES = ["完善公开制度", "加强政策解读", "抓好平台建设"]


def _data_rows(numbered: bool):
    """Each row's cells as a web page flattens it: the category only on its first row."""
    out = []
    for index, (category, text, units, deadline) in enumerate(ROWS):
        cells = [text, units, deadline]
        if numbered:
            cells.insert(0, str(index + 1))
        if not index or ROWS[index - 1][0] != category:
            cells.insert(0, category)
        out.append(cells)
    return out


def _check_rows(plan):
    assert _tasks(plan) == EXPECTED
    titles = {s.key: s.title for s in plan.sections}
    assert [titles[t.section] for t in plan.tasks] == [r[0] for r in ROWS]
    assert not _units(plan) & {"1", "2", "3", "4", "5", "年底前", "持续推进", "每季度", "|", "||"}


def test_one_cell_per_line_with_a_number_column_the_header_lacks_and_merged_categories():
    # the header names four columns; the rows hold a 序号 between the category and the text
    lines = ["某局2024年政务公开工作任务表"]
    for name in ["工作任务", "具体要求", "责任科室", "时限要求"]:
        lines += [name, "|"]
    for cells in _data_rows(numbered=True):
        for cell in cells:
            lines += [cell, "|"]
    plan = parse_document("\n".join(lines) + "\n")
    _check_rows(plan)
    assert [t.number for t in plan.tasks] == ["1", "2", "3", "4", "5"]


def test_one_cell_per_line_ending_in_pipes_with_empty_pipe_lines():
    lines = ["某局2024年政务公开工作任务表"] + [n + " |" for n in ["工作任务", "具体要求", "责任科室", "时限要求"]]
    for cells in _data_rows(numbered=False):
        lines += [cell + " |" for cell in cells] + ["|||"]
    _check_rows(parse_document("\n".join(lines) + "\n"))


def test_pipe_rows_with_a_number_column_and_merged_categories():
    lines = ["某局2024年政务公开工作任务表", "工作任务 | 序号 | 具体要求 | 责任科室 | 时限要求 |"]
    for cells in _data_rows(numbered=True):
        lines += [" | ".join(cells) + " |", "||"]
    _check_rows(parse_document("\n".join(lines) + "\n"))


def test_pipe_rows_missing_a_middle_cell_put_units_and_deadlines_in_their_columns():
    # 细化分工 is filled on two rows only; the others leave it out and shift left
    text = "\n".join([
        "某委2024年政务公开重点任务台账 |",
        "序号 | 工作任务 | 细化分工 | 责任处室 | 完成时限 | 备注 |",
        "1 | 做好卫生健康信息发布 | 围绕传染病防控、健康科普等发布权威信息 | 疾控处、宣传处等按职责分工落实 | 长期推进 |",
        "|",
        "2 | 做好预算决算公开 | 财务处 | 2024年3月底前 |",
        "|",
        "3 | 健全政策解读机制 | 宣传处会办公室 | 2024年8月前 |",
        "|",
        "4 | 常规公开事项 | 强化行政执法信息公开,加强执法结果公示 | 法规处 | 长期推进 |",
        "5 | 修订完善主动公开目录 | 办公室 | 每季度 |",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("做好卫生健康信息发布\n围绕传染病防控、健康科普等发布权威信息", [("疾控处", R), ("宣传处", R)], ["长期推进"]),
        ("做好预算决算公开", [("财务处", R)], ["2024年3月底前"]),
        ("健全政策解读机制", [("宣传处", L), ("办公室", R)], ["2024年8月前"]),
        ("常规公开事项\n强化行政执法信息公开,加强执法结果公示", [("法规处", R)], ["长期推进"]),
        ("修订完善主动公开目录", [("办公室", R)], ["每季度"]),
    ]
    assert [t.number for t in plan.tasks] == ["1", "2", "3", "4", "5"]
    # "8月前" is a time the parser leaves unread: kept as the deadline, and said
    assert any("2024年8月前" in message for _line, message in plan.warnings)


def test_a_deadline_or_a_number_in_a_unit_cell_is_refused_with_its_line():
    text = "\n".join([
        "某局2024年政务公开工作分工表",
        "工作任务 | 责任单位 | 完成时限 |",
        "编制年度报告 | 年底前 | 年底前 |",
        "更新公开指南 | 7 | 6月底前 |",
    ]) + "\n"
    plan = parse_document(text)
    assert _units(plan) == set()
    assert any(line == 3 and "“年底前”是时限,不是单位" in message for line, message in plan.warnings)
    assert any(line == 4 and "“7”只是一个数字" in message for line, message in plan.warnings)


def test_a_task_text_of_only_a_number_or_punctuation_is_refused_with_its_line():
    table = "\n".join([
        "某局2024年政务公开任务分工",
        "序号 | 工作任务 | 责任单位 | 完成时限 |",
        "1 | 修订政府信息公开指南 | 办公室 | 6月底前 |",
        "2 | 15 | 综合科 | 年底前 |",
        "3 | —— | 综合科 | 年底前 |",
    ]) + "\n"
    plan = parse_document(table)
    assert _tasks(plan) == [("修订政府信息公开指南", [("办公室", R)], ["6月底前"])]
    assert (4, "表格这一行没有任务内容,未导入:综合科|年底前") in plan.warnings
    assert (5, "任务内容“——”只有标点或竖线,不是任务,未导入") in plan.warnings
    prose = "\n".join([
        "某局2024年政务公开工作要点", "一、完善公开制度",
        "1.修订政府信息公开指南。(责任单位:办公室)", "2.……", "3.做好年度报告发布。(责任单位:综合科)",
    ]) + "\n"
    plan = parse_document(prose)
    assert [t.text for t in plan.tasks] == ["修订政府信息公开指南。", "做好年度报告发布。"]
    assert (4, "任务内容“……”只有标点或竖线,不是任务,未导入") in plan.warnings


def test_row_numbers_out_of_order_are_still_no_task_and_no_heading():
    # numbers that do not run as row numbers get no column: each is still its row's number only
    lines = ["某局2024年政务公开重点工作任务分工"] + [h + " |" for h in ["工作任务", "具体要求", "责任科室", "时限要求"]]
    for cells in [["(一)聚焦重点", "3", "及时公开产业政策和进展成效。", "办公室", "持续推进"],
                  ["1", "深化民生领域信息公开。", "民生科", "年底前"],
                  ["(二)聚焦参与", "7", "重大政策文件应征求意见。", "业务科", "6月底前"]]:
        lines += [c + " |" for c in cells] + ["|"]
    plan = parse_document("\n".join(lines) + "\n")
    titles = {s.key: s.title for s in plan.sections}
    assert [(t.text, [(u.name, u.role) for u in t.units], t.deadline, titles[t.section]) for t in plan.tasks] == [
        ("及时公开产业政策和进展成效。", [("办公室", R)], ["持续推进"], "聚焦重点"),
        ("深化民生领域信息公开。", [("民生科", R)], ["年底前"], "聚焦重点"),
        ("重大政策文件应征求意见。", [("业务科", R)], ["6月底前"], "聚焦参与"),
    ]
    assert _bare_numbers(plan) == []
    assert not any("没有任务内容" in message for _line, message in plan.warnings)


# ---- generated tables -------------------------------------------------------------------------

GEN_CATEGORIES = ["一、健全公开制度", "政策解读", "平台建设", "(二)重点领域公开"]
GEN_TEXTS = ["修订政府信息公开指南。", "做好年度报告编制发布工作", "加强重大决策预公开,广泛听取公众意见",
             "规范依申请公开办理流程,提升答复质量。", "及时更新政务公开专栏"]
GEN_UNITS = ["办公室", "综合科牵头,各股室配合", "信息中心", "法规科、宣传科", "各科室"]
GEN_DEADLINES = ["年底前", "6月底前", "持续推进", "每季度", "长期坚持", "2024年9月30日前", "即时"]

_row = st.tuples(st.integers(0, len(GEN_TEXTS) - 1), st.integers(0, len(GEN_UNITS) - 1),
                 st.integers(0, len(GEN_DEADLINES) - 1),
                 st.booleans(),   # a new category starts here
                 st.booleans(),   # a continuation row writes its merged category again
                 st.integers(0, 2))  # lines of empty cells after the row


GEN_HEADING = "一、围绕中心工作抓好主动公开"  # a category cell with no rows of its own


def _gen_title(category: str) -> str:
    return re.sub(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))", "", category)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row, min_size=1, max_size=6), layout=st.sampled_from(["pipes", "cells"]),
       numbered=st.sampled_from([None, "first", "after_category"]), header_number=st.booleans(),
       empties=st.sampled_from(["|", "||", "|||", "||||"]),
       numbering=st.sampled_from(["run", "gap", "restart"]),  # 1 2 3 4, 1 2 4 5 (a row lost), 1 2 1 2
       heading=st.booleans(), own_line=st.booleans())
def test_every_deadline_cell_is_its_tasks_deadline_never_a_unit(rows, layout, numbered, header_number, empties,
                                                                 numbering, heading, own_line):
    # ``own_line``: " | " rows write a category on a line of its own; one cell per line puts a unit
    # cell's "|" on the next line
    header = ["工作任务", "具体要求", "责任单位", "完成时限"]
    if numbered and header_number:
        header.insert(0 if numbered == "first" else 1, "序号")
    lines = ["某局2024年政务公开工作任务分解表"]
    lines += [" | ".join(header) + " |"] if layout == "pipes" else [name + " |" for name in header]
    if heading:
        lines.append(GEN_HEADING + " |")
    category, count, expected, numbers = -1, 0, [], []
    for index, (text, units, deadline, new, repeat, blank_lines) in enumerate(rows):
        first = not index or new
        if first:
            category = (category + 1) % len(GEN_CATEGORIES)
            count = 0 if numbering == "restart" else count
        count += 2 if numbering == "gap" and index == 2 else 1
        cells = [GEN_TEXTS[text], GEN_UNITS[units], GEN_DEADLINES[deadline]]
        if numbered == "after_category":
            cells.insert(0, str(count))
        if (first or repeat) and layout == "pipes" and own_line and numbered != "first":
            lines.append(GEN_CATEGORIES[category] + " |")
        elif first or repeat:
            cells.insert(0, GEN_CATEGORIES[category])
        if numbered == "first":
            cells.insert(0, str(count))
        if layout == "pipes":
            lines.append(" | ".join(cells) + " |")
        else:
            for cell in cells:
                lines += [cell, "|"] if own_line and cell == GEN_UNITS[units] else [cell + " |"]
        lines += [empties] * blank_lines
        expected.append((GEN_TEXTS[text], [GEN_DEADLINES[deadline]], _gen_title(GEN_CATEGORIES[category])))
        numbers.append(str(count) if numbered else None)
    plan = parse_document("\n".join(lines) + "\n")
    titles = {s.key: s.title for s in plan.sections}
    assert [(t.text, t.deadline, titles.get(t.section)) for t in plan.tasks] == expected
    assert [t.number for t in plan.tasks] == numbers
    assert _bare_numbers(plan) == []
    deadlines = set(GEN_DEADLINES) | {str(n) for n in range(1, 9)}
    assert not {u.name for t in plan.tasks for u in t.units} & deadlines
    assert all(t.units for t in plan.tasks)


# ---- a 序号 the header lacks, under category cells ------------------------------------------

# (category, [(task text, units cell, deadline cell)]); the first heading has no rows of its own
CATEGORY_ROWS = [
    ("一、围绕中心工作做好主动公开", []),
    ("(一)聚焦重点政策", [("及时发布扶持政策及其执行进展,讲清政策取向。", "办公室", "持续推进"),
                      ("做好民生实事项目的信息公开和宣传。", "民生科", "年底前")]),
    ("(二)聚焦公众参与", [("涉及群众切身利益的文件公开征求意见并反馈采纳情况。", "业务科、办公室", "6月底前"),
                      ("组织开放日活动,邀请群众走进机关。", "宣传科", "每季度")]),
    ("(三)聚焦监督管理", [("及时更新机构职能信息,完善公开目录。", "法规科", "长期坚持")]),
]
CATEGORY_EXPECTED = [
    ("及时发布扶持政策及其执行进展,讲清政策取向。", [("办公室", R)], ["持续推进"], "聚焦重点政策"),
    ("做好民生实事项目的信息公开和宣传。", [("民生科", R)], ["年底前"], "聚焦重点政策"),
    ("涉及群众切身利益的文件公开征求意见并反馈采纳情况。", [("业务科", R), ("办公室", R)], ["6月底前"], "聚焦公众参与"),
    ("组织开放日活动,邀请群众走进机关。", [("宣传科", R)], ["每季度"], "聚焦公众参与"),
    ("及时更新机构职能信息,完善公开目录。", [("法规科", R)], ["长期坚持"], "聚焦监督管理"),
]


def _category_table(layout: str, number_at: str, numbering: str) -> tuple[str, list[str]]:
    """The table as a web page flattens it, with a 序号 the header does not name: ``number_at``
    "after" (category, number, text…), "first" (number, category, text…) or "line" (the category
    on a line of its own); ``numbering`` "run" (1 2 3 4 5), "gap" (a row lost: 1 2 4 5 6) or
    "restart" (1 2 1 2 1 under each category). Also the numbers written."""
    lines = ["某局2024年政务公开重点工作任务分工"]
    header = ["工作任务", "具体要求", "责任科室", "时限要求"]
    lines += [" | ".join(header) + " | ||"] if layout == "pipes" else [name + " |" for name in header] + ["||"]
    numbers, count = [], 0
    for category, items in CATEGORY_ROWS:
        if not items:
            lines.append(category + " |")
        if numbering == "restart":
            count = 0
        for index, (text, units, deadline) in enumerate(items):
            count += 2 if numbering == "gap" and count == 2 else 1
            numbers.append(str(count))
            cells = [text, units, deadline]
            head = [category] if index == 0 else []
            if number_at == "line":
                lines += [c + " |" for c in head]
                cells = [str(count)] + cells
            elif number_at == "after":
                cells = head + [str(count)] + cells
            else:
                cells = [str(count)] + head + cells
            if layout == "pipes":
                lines += [" | ".join(cells) + " |", "||"]
            else:  # one cell per line, two lines of empty cells after each row
                lines += [c + " |" for c in cells] + ["|", "|"]
    return "\n".join(lines) + "\n", numbers


def _bare_numbers(plan) -> list[str]:
    """Task texts and section titles that are nothing but a number or punctuation."""
    return [t for t in [s.title for s in plan.sections] + [t.text for t in plan.tasks]
            if re.fullmatch(r"[\W\d_]*", t)]


@pytest.mark.parametrize("layout", ["pipes", "cells"])
@pytest.mark.parametrize("number_at", ["after", "first", "line"])
@pytest.mark.parametrize("numbering", ["run", "gap", "restart"])
def test_a_row_number_the_header_lacks_is_never_a_task_or_a_section(layout, number_at, numbering):
    text, numbers = _category_table(layout, number_at, numbering)
    plan = parse_document(text)
    titles = {s.key: s.title for s in plan.sections}
    assert [(t.text, [(u.name, u.role) for u in t.units], t.deadline, titles[t.section]) for t in plan.tasks] \
        == CATEGORY_EXPECTED
    assert [s.number + s.title for s in plan.sections] == [c for c, _ in CATEGORY_ROWS]
    assert [t.number for t in plan.tasks] == numbers
    assert _bare_numbers(plan) == []


# ---- a task's name beside its requirements; unit columns of two levels -------------------------

def _flat(header: list[str], rows: list[list[str]], layout: str, trail: str = "") -> str:
    """A table flattened as a web page does: " | " rows, or one cell per line ending in "|" with a
    line "|" after each row; ``trail`` ("| ||") stands for empty cells after the header's last."""
    lines = ["某局2024年政务公开重点工作任务分工表"]
    if layout == "pipes":
        lines.append(" | ".join(header) + " |" + (" " + trail if trail else ""))
        lines += [" | ".join(row) + " |" for row in rows]
    else:
        lines += [name + " |" for name in header[:-1]] + [header[-1] + " " + (trail or "|")]
        for row in rows:
            lines += [cell + " |" for cell in row] + ["|"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("layout", ["pipes", "cells"])
def test_a_numbered_name_and_numbered_requirements_are_one_task(layout):
    # both text cells start with "1.": the name and its requirements, one row, one task
    text = _flat(["工作任务", "具 体 要 求", "责任单位", "完成情况", "备注"], [
        ["一、年底前专项工作"],
        ["1.规范性文件清理", "1.清理本单位现行文件。2.公布有效文件目录。", "办公室", "推进中", "11月底前完成"],
        ["2.基层公开提升", "1. 按标准目录公开各领域信息。2.公开补贴发放结果。", "各乡镇", "未开始", "12月底前完成"],
    ], layout)
    plan = parse_document(text)
    assert [s.number + s.title for s in plan.sections] == ["一、年底前专项工作"]
    assert [(t.number, t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks] == [
        ("1.", "规范性文件清理\n1.清理本单位现行文件。2.公布有效文件目录。\n备注:11月底前完成",
         [("办公室", R)], ["11月底前"]),
        ("2.", "基层公开提升\n1. 按标准目录公开各领域信息。2.公开补贴发放结果。\n备注:12月底前完成",
         [("各乡镇", R)], ["12月底前"]),
    ]


def test_a_name_followed_by_the_next_rows_number_is_still_its_own_task():
    # "2." going on from "1.": the next row's name, never the body of the one before
    text = _flat(["工作任务", "具体要求", "责任单位", "完成时限"], [
        ["1.做好年报编制"], ["2.规范依申请公开", "按时答复申请,统一文书格式。", "办公室", "年底前"]], "cells")
    plan = parse_document(text)
    assert [t.text for t in plan.tasks][-1] == "规范依申请公开\n按时答复申请,统一文书格式。"
    assert not any("做好年报编制" in t.text and "规范依申请公开" in t.text for t in plan.tasks)


SIX_COLUMNS = ["工作任务", "贯彻举措(上级统一要求)", "工作要求", "时限要求", "市级牵头单位", "责任单位"]
SIX_ROWS = [
    ["一、围绕中心工作深化公开", "(一)做好预决算公开。", "按照统一要求,及时公开本部门预决算信息。", "每年公开本部门预决算",
     "每年度", "市财政局", "牵头处室:财务处"],
    ["(二)做好疫情防控信息公开。", "及时发布防控政策和解读信息,回应社会关切。", "重点公开防控措施", "持续推进",
     "市卫生健康委", "牵头处室:办公室;配合处室:宣传处"],
]


@pytest.mark.parametrize("layout", ["pipes", "cells"])
@pytest.mark.parametrize("trail", ["", "| ||"])
def test_six_columns_map_by_header_names(layout, trail):
    # 举措 and 要求 are the task's text, 时限要求 its deadline, the 处室 in 责任单位 its units; the city-level
    # lead beside them is another level's, kept as a note
    plan = parse_document(_flat(SIX_COLUMNS, SIX_ROWS, layout, trail))
    assert [(s.key, s.number, s.title) for s in plan.sections] == [
        ("1", "一、", "围绕中心工作深化公开"), ("1.1", "(一)", "做好预决算公开"), ("1.2", "(二)", "做好疫情防控信息公开")]
    assert [(t.section, t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks] == [
        ("1.1", "按照统一要求,及时公开本部门预决算信息。\n每年公开本部门预决算\n市级牵头单位:市财政局",
         [("财务处", L)], ["每年度"]),
        ("1.2", "及时发布防控政策和解读信息,回应社会关切。\n重点公开防控措施\n市级牵头单位:市卫生健康委",
         [("办公室", L), ("宣传处", S)], ["持续推进"]),
    ]
    assert not any(w for _line, w in plan.warnings if "无法识别的时限" in w)


@pytest.mark.parametrize("layout", ["pipes", "cells"])
def test_a_header_without_a_number_column_reads_its_numbered_rows(layout):
    # "具体工作要求" names the text; number-only cells are the rows' 序号, "一、" rows are sections
    text = _flat(["工作任务", "具体工作要求", "责任单位", "完成时限"], [
        ["一、推进政策公开"], ["1", "及时发布政策信息及执行效果,做好解读。", "各部门、各镇", "持续推进"],
        ["2", "集中发布政务服务事项目录。", "区数据局、各镇", "持续推进"],
        ["二、强化权力配置公开"], ["3", "动态更新权责清单。", "区直各部门", "年底前"]], layout)
    plan = parse_document(text)
    titles = {s.key: s.number + s.title for s in plan.sections}
    assert [(t.number, titles[t.section], t.text, [(u.name, u.role) for u in t.units], t.deadline)
            for t in plan.tasks] == [
        ("1", "一、推进政策公开", "及时发布政策信息及执行效果,做好解读。", [("各部门", R), ("各镇", R)], ["持续推进"]),
        ("2", "一、推进政策公开", "集中发布政务服务事项目录。", [("区数据局", R), ("各镇", R)], ["持续推进"]),
        ("3", "二、强化权力配置公开", "动态更新权责清单。", [("区直各部门", R)], ["年底前"]),
    ]
    assert not any("页码" in w for _line, w in plan.warnings)


GEN_NAMES = ["规范性文件公开", "政策解读", "平台建设", "依申请公开", "年报编制"]
GEN_BODIES = ["1.清理现行文件。2.公布有效目录。", "(1)重要文件同步解读;(2)开展在线访谈。", "及时更新专栏内容,确保信息准确。",
              "1. 规范答复文书格式。", "按时编制并发布年度报告"]
GEN_CITY = ["市司法局", "市数据资源局", "市政务公开办"]
GEN_COUNTY = ["各县区政府", "各县政务公开办", "县区政府办公室"]
_named_row = st.tuples(st.integers(0, len(GEN_NAMES) - 1), st.integers(0, len(GEN_BODIES) - 1),
                       st.integers(0, len(GEN_CITY) - 1), st.integers(0, len(GEN_COUNTY) - 1),
                       st.integers(0, len(GEN_DEADLINES) - 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_named_row, min_size=1, max_size=5), layout=st.sampled_from(["pipes", "cells"]),
       levels=st.booleans(), heading=st.booleans(), trail=st.sampled_from(["", "| ||"]))
def test_named_rows_with_requirements_and_level_units(rows, layout, levels, heading, trail):
    # 工作任务 holds "N.name", 具体要求 the body (numbered or not); unit columns "市级牵头单位 | 县级责任单位"
    # or one "责任单位"
    units = ["市级牵头单位", "县级责任单位"] if levels else ["责任单位"]
    table, expected = [["一、重点工作任务"]] if heading else [], []
    for index, (name, body, city, county, deadline) in enumerate(rows):
        cells = [GEN_CITY[city], GEN_COUNTY[county]] if levels else [GEN_COUNTY[county]]
        table.append([f"{index + 1}.{GEN_NAMES[name]}", GEN_BODIES[body], *cells, GEN_DEADLINES[deadline]])
        roles = [(GEN_CITY[city], L), (GEN_COUNTY[county], R)] if levels else [(GEN_COUNTY[county], R)]
        expected.append((f"{index + 1}.", f"{GEN_NAMES[name]}\n{GEN_BODIES[body]}", roles, [GEN_DEADLINES[deadline]]))
    plan = parse_document(_flat(["工作任务", "具体要求", *units, "完成时限"], table, layout, trail))
    assert [(t.number, t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks] == expected
    assert [s.title for s in plan.sections] == (["重点工作任务"] if heading else [])
