"""Roles said clause by clause after a label, collectives written with 、, and the issuer and date a
page gives around its fields and a signature set on two lines.

The documents are small ones written for these tests.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.model import UnitRef
from gktrack.domain.unitphrase import format_unit_phrase, parse_unit_phrase
from gktrack.features.importer import parse_document

L, S, R = "lead", "support", "responsible"


def pairs(text: str) -> list[tuple[str, str]]:
    return [(unit.name, unit.role) for unit in parse_unit_phrase(text)]


def tasks(plan) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(task.text, [(unit.name, unit.role) for unit in task.units]) for task in plan.tasks]


# ---- a role word after a label says only its own clause ------------------------------------------

def test_role_word_after_a_label_closes_its_own_clause():
    assert pairs("(责任科室:督查科、法规科,各科室配合)") == [("督查科", R), ("法规科", R), ("各科室", S)]
    assert pairs("牵头单位:档案室,信息中心配合") == [("档案室", L), ("信息中心", S)]
    # in the label's own clause the role word is said of all its names
    assert pairs("责任单位:督查科、法规科配合") == [("督查科", S), ("法规科", S)]


def test_without_a_label_a_role_word_settles_every_name_waiting():
    # "X牵头,Y,Z、W配合": the names between the lead and 配合 help as well
    assert pairs("责任单位:县数据局牵头,县直有关单位,各乡镇政府、街道配合") == [
        ("县数据局", L), ("县直有关单位", S), ("各乡镇政府", S), ("各街道", S)]
    assert pairs("县数据局牵头,县财政局,县审计局配合") == [("县数据局", L), ("县财政局", S), ("县审计局", S)]


NAMES = ["督查科", "法规科", "办公室", "信息中心", "档案室", "计财股", "审批股"]
COLLECTIVES = ["各科室", "各有关股室", "其他处室", "各直属单位"]
LABELS = {"责任科室": R, "牵头单位": L, "配合单位": S, "责任部门": R}
ROLE_WORDS = {L: "牵头", S: "配合", R: "负责"}


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(LABELS)), st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True),
       st.sampled_from(COLLECTIVES), st.sampled_from([L, S, R]), st.booleans())
def test_labelled_names_keep_the_labels_role(label, names, collective, role, bracketed):
    text = f"{label}:{'、'.join(names)},{collective}{ROLE_WORDS[role]}"
    if bracketed:
        text = f"({text})"
    assert pairs(text) == [(name, LABELS[label]) for name in names] + [(collective, role)]


# ---- a bare kind of body after a collective is that collective's -----------------------------------

def test_bare_kind_after_a_collective_joins_it():
    assert pairs("牵头单位:办公室、规划处,责任单位:各有关处室、单位") == [
        ("办公室", L), ("规划处", L), ("各有关处室、单位", R)]
    assert pairs("信息中心牵头,各相关部门、单位配合") == [("信息中心", L), ("各相关部门、单位", S)]
    # a named body after a collective stays a unit of its own
    assert pairs("各有关处室、办公室") == [("各有关处室", R), ("办公室", R)]
    units = [UnitRef("信息中心", L), UnitRef("各有关处室、单位", R)]
    assert parse_unit_phrase(format_unit_phrase(units)) == units


def test_document_with_label_and_supporting_collective():
    document = ("某县审计局2023年政务公开工作要点\n一、深化主动公开\n"
                "(一)按季度公开审计整改情况,回应社会关切。(责任科室:督查科、法规科,各科室配合)\n"
                "(二)规范依申请公开办理流程。(牵头单位:办公室,责任单位:各有关股室、单位)\n")
    plan = parse_document(document)
    assert tasks(plan) == [
        ("按季度公开审计整改情况,回应社会关切。", [("督查科", R), ("法规科", R), ("各科室", S)]),
        ("规范依申请公开办理流程。", [("办公室", L), ("各有关股室、单位", R)]),
    ]


# ---- issuer and date -------------------------------------------------------------------------------

BODY = "一、深化主动公开\n(一)按季度公开审计整改情况。(办公室、法规科)\n(二)规范依申请公开办理流程。(法规科)\n"


def test_signature_with_its_office_on_the_next_line():
    title = "某省审计厅2021年政务公开工作要点"
    document = (f"关于印发{title}的通知\n各处室、直属单位:\n现将《{title}》印发你们,请认真贯彻执行。\n"
                f"某省审计厅\n办公室\n2021年6月3日\n(此件主动公开)\n{title}\n" + BODY)
    plan = parse_document(document)
    assert plan.issuer == "某省审计厅办公室"
    assert plan.issued == dt.date(2021, 6, 3)
    assert [task.text for task in plan.tasks] == ["按季度公开审计整改情况。", "规范依申请公开办理流程。"]


def test_field_date_is_not_the_signature_and_title_names_the_issuer():
    document = ("索引号:\n发布机构:\n生效日期:\n2019-08-26\n废止日期:\n文 号:\n"
                "某某州审计局2019年政务公开工作要点\n" + BODY)
    plan = parse_document(document)
    assert plan.issuer == "某某州审计局"  # an autonomous prefecture (州) is a place a body's name opens with
    assert plan.issued is None  # the date the rules take effect is no date of issue
    assert plan.year == 2019
    assert tasks(plan)[0] == ("按季度公开审计整改情况。", [("办公室", R), ("法规科", R)])


def test_posting_date_only_when_nothing_else_dates_the_plan():
    fields = "发布机构:\n发布日期:\n2019-09-02\n"
    plan = parse_document(fields + "某某州审计局2019年政务公开工作要点\n" + BODY)
    assert plan.issued == dt.date(2019, 9, 2)
    signed = parse_document(fields + "成文日期:\n2019-08-20\n某某州审计局2019年政务公开工作要点\n" + BODY)
    assert signed.issued == dt.date(2019, 8, 20)


def test_a_title_that_carries_out_another_bodys_plan_names_no_issuer_by_it():
    # "某省贯彻落实国务院办公厅2023年…分工方案": the province carries out the State Council's points;
    # "某省贯彻落实国务院办公厅" is no body's name
    for carrying in ("贯彻落实", "落实", "贯彻"):
        plan = parse_document(f"白鹭省{carrying}国务院办公厅2023年政务公开工作要点分工方案\n" + BODY)
        assert plan.issuer is None, carrying
        assert plan.year == 2023
        assert tasks(plan)[0] == ("按季度公开审计整改情况。", [("办公室", R), ("法规科", R)])
    signed = parse_document("白鹭省贯彻落实国务院办公厅2023年政务公开工作要点分工方案\n" + BODY
                            + "白鹭省人民政府办公厅\n2023年5月6日\n")
    assert signed.issuer == "白鹭省人民政府办公厅"
