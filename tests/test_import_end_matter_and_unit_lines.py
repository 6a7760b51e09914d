"""Where a notice ends and what a unit phrase closes, at the importer: a 抄送 line between the
notice and the plan, a labelled unit bracket its line ends without closing, symbols left inside a
unit bracket, a unit line under an item of a later section, a plan's principles as its introduction.

The documents are small ones written for these tests, in the shapes real excerpts have.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from conftest import pairs

L, S, R = "lead", "support", "responsible"


def said(plan, words: str) -> list[int]:
    return [line for line, message in plan.warnings if words in message]


# ---- a distribution line between the notice and the plan --------------------------------------

PLAN = [
    "临川市财政局2024年政务公开实施方案",
    "为做好我局政务公开工作,制定本方案。",
    "一、推进预决算公开",
    "(一)按时公开部门预算。(预算科、国库科)",
    "(二)按时公开部门决算。(国库科)",
]


def test_a_copy_line_after_the_notice_closes_the_notice_not_the_document():
    plan = parse_document("\n".join([
        "临川市财政局2024年政务公开实施方案",
        "局机关各科室,各直属单位:",
        "现将《临川市财政局2024年政务公开实施方案》印发给你们,请认真抓好落实。",
        "临川市财政局办公室",
        "2024年3月1日",
        "抄送:市政府办公室,各县区财政局。",
    ] + PLAN))
    assert [t.text for t in plan.tasks] == ["按时公开部门预算。", "按时公开部门决算。"]
    assert [pairs(t) for t in plan.tasks] == [[("预算科", R), ("国库科", R)], [("国库科", R)]]
    assert plan.title == "临川市财政局2024年政务公开实施方案"
    assert plan.issuer == "临川市财政局办公室" and str(plan.issued) == "2024-03-01"
    assert not said(plan, "文末的落款")


def test_a_printed_on_line_after_the_notice_closes_it_too():
    plan = parse_document("\n".join([
        "各县区财政局:",
        "现将《临川市财政局2024年政务公开实施方案》印发给你们,请认真贯彻落实。",
        "临川市财政局",
        "2024年3月1日",
        "临川市财政局办公室 2024年3月1日印发",
    ] + PLAN))
    assert [t.text for t in plan.tasks] == ["按时公开部门预算。", "按时公开部门决算。"]
    assert plan.issuer == "临川市财政局"


def test_a_copy_line_after_the_plan_still_ends_the_document():
    plan = parse_document("\n".join(PLAN + [
        "临川市财政局办公室",
        "2024年3月1日",
        "抄送:市政府办公室。",
    ]))
    assert [t.text for t in plan.tasks] == ["按时公开部门预算。", "按时公开部门决算。"]
    assert said(plan, "文末的落款、抄送或网页信息")


# ---- a labelled unit bracket left open where its line ends -------------------------------------

HEAD = ["临川市生态环境局2024年政务公开工作要点", "一、深化主动公开"]


def test_an_open_labelled_bracket_mid_document_closes_at_its_lines_end():
    plan = parse_document("\n".join(HEAD + [
        "(一)做好决策预公开。公布意见采纳情况,说明不予采纳的原因。(牵头科室:办公室、法规科",
        "(二)做好会议公开。邀请群众代表列席会议。(牵头科室:办公室",
        "(三)做好执法公开。按时公开行政处罚结果。(牵头科室:执法大队)",
    ]))
    assert [t.text for t in plan.tasks] == ["做好决策预公开。公布意见采纳情况,说明不予采纳的原因。",
                                           "做好会议公开。邀请群众代表列席会议。", "做好执法公开。按时公开行政处罚结果。"]
    assert [pairs(t) for t in plan.tasks] == [[("办公室", L), ("法规科", L)], [("办公室", L)], [("执法大队", L)]]
    assert said(plan, "到行尾没有右括号") == [3, 4]
    assert not said(plan, "责任单位可能不完整")  # nothing was cut: the ")" was forgotten


def test_an_open_bracket_without_a_label_mid_document_stays_text():
    plan = parse_document("\n".join(HEAD + [
        "(一)做好决策预公开。公布意见采纳情况(含网上征集",
        "(二)做好会议公开。(牵头科室:办公室)",
    ]))
    assert plan.tasks[0].text.endswith("(含网上征集") and not plan.tasks[0].units
    assert not said(plan, "到行尾没有右括号")


NAMES = ["办公室", "法规科", "监测站", "执法大队", "市生态环境局", "各县区分局"]
LABELS = ["牵头科室", "责任单位", "牵头部门", "配合单位"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS), st.lists(st.sampled_from(NAMES), min_size=1, max_size=3,
                                                             unique=True)), min_size=2, max_size=4),
       st.data())
def test_an_open_labelled_bracket_reads_as_the_closed_one(items, data):
    """Leaving out the ")" of any item but the last changes nothing but a warning."""
    lines, open_lines = [], []
    for number, (label, names) in enumerate(items, 1):
        bracket = f"({label}:{'、'.join(names)}"
        leave_open = number < len(items) and data.draw(st.booleans())
        lines.append(f"({number})做好第{number}项公开工作。按时发布相关信息。{bracket}{'' if leave_open else ')'}")
        if leave_open:
            open_lines.append(number + 2)
    closed = parse_document("\n".join(HEAD + [line if line.endswith(")") else line + ")" for line in lines]))
    written = parse_document("\n".join(HEAD + lines))
    assert [(t.text, pairs(t)) for t in written.tasks] == [(t.text, pairs(t)) for t in closed.tasks]
    assert said(written, "到行尾没有右括号") == open_lines


# ---- symbols inside a unit bracket ------------------------------------------------------------

def test_symbols_left_in_a_unit_bracket_are_dropped_and_named():
    plan = parse_document("\n".join(HEAD + [
        "(一)做好执法公开。按时公开行政处罚结果。(执法大队&&)",
        "(二)做好监测公开。按月公开监测数据(见附件##)。(监测站)",
    ]))
    assert [pairs(t) for t in plan.tasks] == [[("执法大队", R)], [("监测站", R)]]
    assert plan.tasks[0].text == "做好执法公开。按时公开行政处罚结果。"
    assert plan.tasks[1].text == "做好监测公开。按月公开监测数据(见附件##)。"  # no units in it: text
    [line] = said(plan, "不是单位名称的一部分")
    assert line == 3 and any("“&&”" in message for _, message in plan.warnings)


# ---- a unit line closes the items of its own section ------------------------------------------

def test_a_unit_line_does_not_reach_back_past_a_section_heading():
    plan = parse_document("\n".join([
        "临川县财政局2024年政务公开实施方案",
        "一、公开机构信息",
        "(一)公开内设机构职能。",
        "(二)公开领导分工。",
        "二、公开财政资金",
        "(一)公开预算执行情况。",
        "责任股室:预算股、国库股",
        "(二)公开专项资金分配。",
        "责任股室:经建股",
    ]))
    by_text = {t.text: pairs(t) for t in plan.tasks}
    assert by_text == {
        "公开内设机构职能。": [], "公开领导分工。": [],
        "公开预算执行情况。": [("预算股", R), ("国库股", R)],
        "公开专项资金分配。": [("经建股", R)],
    }
    assert said(plan, "只用于本小节的任务") == [7]


def test_a_unit_line_closes_every_item_of_its_own_section():
    plan = parse_document("\n".join([
        "临川县财政局2024年政务公开实施方案",
        "一、公开财政资金",
        "(一)公开预算执行情况。",
        "(二)公开专项资金分配。",
        "责任股室:预算股",
    ]))
    assert [pairs(t) for t in plan.tasks] == [[("预算股", R)], [("预算股", R)]]


def test_an_above_line_still_reaches_every_item_above_it():
    plan = parse_document("\n".join([
        "临川县2024年政务公开工作要点",
        "一、深化主动公开",
        "(一)推进决策公开",
        "1.公开重大决策草案。",
        "(二)推进执行公开",
        "2.公开重点工作进展。",
        "以上工作由县政府办负责。",
    ]))
    assert [pairs(t) for t in plan.tasks] == [[("县政府办", R)], [("县政府办", R)]]


# ---- the plan's principles are its introduction -----------------------------------------------

def test_a_part_of_principles_of_the_plans_subject_is_no_task():
    plan = parse_document("\n".join([
        "临川县财政局2024年政务公开实施方案",
        "一、政务公开的基本原则",
        "(一)依法公开原则。凡公开的内容必须依法公开;",
        "(二)注重实效原则。坚持从实际出发,讲求实效。",
        "二、政务公开的内容",
        "(一)公开预算执行情况。",
        "责任股室:预算股",
    ]))
    assert [(t.text, pairs(t)) for t in plan.tasks] == [("公开预算执行情况。", [("预算股", R)])]
    assert said(plan, "“政务公开的基本原则”是方案的总体说明")


def test_an_item_about_some_other_goal_stays_a_task():
    plan = parse_document("\n".join([
        "临川县2024年政务公开工作要点",
        "一、深化主动公开",
        "(一)实现全年的工作目标",
        "1.按季度公开重点工作进展。(县政府办)",
    ]))
    assert [t.text for t in plan.tasks] == ["按季度公开重点工作进展。"]
    assert [s.title for s in plan.sections] == ["深化主动公开", "实现全年的工作目标"]


def test_a_part_on_why_the_work_matters_is_no_task():
    # implementation plans often open with "充分认识……的重要意义": what the work is for, not a task
    plan = parse_document("\n".join([
        "临川县财政局2024年政务公开实施方案",
        "一、充分认识政务公开工作的重要意义",
        "做好政务公开工作,是建设法治政府的重要内容。",
        "二、工作任务",
        "(一)公开预算执行情况。(预算股)",
    ]))
    assert [(t.text, pairs(t)) for t in plan.tasks] == [("公开预算执行情况。", [("预算股", R)])]
    assert said(plan, "“充分认识政务公开工作的重要意义”是方案的总体说明")
