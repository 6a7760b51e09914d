"""Layouts met in real plans the importer had not seen (helper `newdocs5`): each test's text is
written for the test in the layout seen, with its own tasks and units."""

from __future__ import annotations

from gktrack.features.importer import parse_document
from conftest import task_triples as _tasks

R, L, S = "responsible", "lead", "support"


def _said(plan, words: str) -> bool:
    return any(words in message for _, message in plan.warnings)


# ---- a cover notice cut before its date, its own "一、二、" points after the 印发 sentence -------

NOTICE = "\n".join([
    "青石县人民政府办公室关于印发2024年重点工作任务分解表的通知",
    "各乡镇人民政府,县政府各部门:",
    "现将《青石县2024年重点工作任务分解表》印发给你们,请结合实际抓好落实。",
]) + "\n"


def test_a_notice_going_on_in_its_own_parts_without_a_date_is_notice_only():
    text = NOTICE + "\n".join([
        "一、压实责任,抓好落实。各责任单位要把承担的任务细化到月,明确具体责任人。",
        "二、加强协作,形成合力。牵头单位要主动协调,配合单位要积极支持。",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.tasks == []
    assert plan.title.endswith("2024年重点工作任务分解表")
    assert _said(plan, "只有印发计划的通知")


def test_a_notice_then_a_plan_in_two_levels_still_imports_the_plan():
    text = NOTICE + "\n".join([
        "一、优化政务服务",
        "1.推行帮办代办服务,年底前覆盖全部乡镇。",
        "2.规范政务服务中心窗口设置。",
    ]) + "\n"
    plan = parse_document(text)
    assert [t.text for t in plan.tasks] == ["推行帮办代办服务,年底前覆盖全部乡镇。", "规范政务服务中心窗口设置。"]
    assert not _said(plan, "只有印发计划的通知")
