"""Layouts met in real plans the importer had not seen (helper `newdocs5`): each test's text is
written for the test in the layout seen, with its own tasks and units."""

from __future__ import annotations

import datetime as dt

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


# ---- a unit bracket carrying a note to the reader ("以下…", "…。…,下同") ------------------------

def test_a_note_clause_in_a_unit_bracket_is_no_unit():
    text = "\n".join([
        "某市2022年政务公开工作要点",
        "一、深化主动公开",
        "(一)做好财政信息公开。按时公开预决算。(牵头单位:市财政局,各县区政府﹝含开发区,下同﹞,以下责任单位均包含各县区政府)",
        "(二)做好规划信息公开。集中公开各类规划。(牵头单位:市发展改革委)",
    ]) + "\n"
    plan = parse_document(text)
    assert [[(u.name, u.role) for u in t.units] for t in plan.tasks] == [
        [("市财政局", L), ("各县区政府(含开发区,下同)", L)], [("市发展改革委", L)]]
    # the note stays with the task, as written
    assert plan.tasks[0].text.endswith("\n以下责任单位均包含各县区政府")


def test_a_note_sentence_after_a_unit_list_is_no_unit():
    text = "\n".join([
        "某市2022年政务公开重点工作任务分工方案",
        "一、强化重点领域信息公开",
        "(一)加强就业信息公开。及时发布招聘信息。(责任单位:市人社局、市教育局,各区县政府。逗号前为牵头单位,下同)",
        "(二)加强教育信息公开。公开招生政策。(责任单位:市教育局,各区县政府)",
    ]) + "\n"
    plan = parse_document(text)
    assert [[u.name for u in t.units] for t in plan.tasks] == [
        ["市人社局", "市教育局", "各区县政府"], ["市教育局", "各区县政府"]]
    assert plan.tasks[0].text.endswith("\n逗号前为牵头单位,下同")
    assert not _said(plan, "无法拆分")


# ---- a title line closed by its 文号 in brackets -------------------------------------------------

def test_a_title_closed_by_its_number_in_brackets_is_the_title():
    text = "\n".join([
        "政务微信",
        "×",
        "青石市人民政府关于优化政务服务的实施意见(青政〔2019〕12号)",
        "为优化政务服务,现提出如下意见。",
        "一、减少审批事项",
        "1.精简审批材料。(市行政审批局牵头负责)",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.title == "青石市人民政府关于优化政务服务的实施意见"
    assert plan.doc_number == "青政〔2019〕12号"
    assert [t.text for t in plan.tasks] == ["精简审批材料。"]


def test_a_notice_run_on_one_line_after_its_numbered_title_gives_the_number():
    text = ("青石市人民政府办公室关于印发《2019年重点工作分解落实意见》的通知 (青政办发〔2019〕3号) "
            "各区人民政府,市政府各部门: 现将《2019年重点工作分解落实意见》印发给你们,请认真落实。\n")
    plan = parse_document(text)
    assert plan.doc_number == "青政办发〔2019〕3号"
    assert plan.tasks == []


# ---- the plan named by its notice: "印发《政府工作报告》重点工作任务分工的通知", "…责任分解的通知" ----

def test_a_plan_name_opening_with_a_quoted_document_is_the_title():
    text = "\n".join([
        "青石区人民政府办公室关于印发《政府工作报告》重点工作任务分工的通知",
        "青政办字〔2021〕3号",
        "各街道办事处,区政府各部门:",
        "2021年《政府工作报告》重点工作责任分工已经区政府同意,现印发给你们,并提出以下意见。",
        "一、高度重视。各部门要对照任务逐项制定实施方案。",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.title == "《政府工作报告》重点工作任务分工"


def test_a_responsibility_breakdown_named_by_its_notice_is_the_title():
    text = "\n".join([
        "青石市人民政府办公厅关于印发2020年政府工作报告重点工作责任分解的通知",
        "各区、县(市)人民政府,市政府各部门:",
        "《2020年政府工作报告重点工作责任分解》已经市政府同意,现印发给你们,请认真贯彻执行。",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.title == "2020年政府工作报告重点工作责任分解"
    assert plan.tasks == []


# ---- a title line opened by a column's tag or by the collapsed notice's date ----------------------

def test_a_column_tag_before_the_title_is_neither_title_nor_issuer():
    text = "\n".join([
        "政务服务丨青石市人民政府关于深化审批改革的实施意见",
        "青政字〔2021〕30号",
        "一、主要任务",
        "1.精简审批事项。(市审批局负责)",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.title == "青石市人民政府关于深化审批改革的实施意见"
    assert plan.issuer == "青石市人民政府"


def test_the_notice_date_run_into_the_title_line_is_no_part_of_the_title():
    text = "\n".join([
        "各区县人民政府,市政府各部门: 《青石市2022年政务公开重点工作任务分工方案》已经市政府同意,"
        "现印发给你们,请认真贯彻执行。 青石市人民政府办公室",
        "2022年4月28日 青石市2022年政务公开重点工作任务分工方案",
        "一、强化重点领域信息公开",
        "(一)加强财政信息公开。按时公开预决算。(责任单位:市财政局)",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.title == "青石市2022年政务公开重点工作任务分工方案"


# ---- a unit clause run on from the text, its brackets lost ---------------------------------------

def test_a_unit_clause_run_on_from_the_text_is_read_as_units_when_its_first_unit_is_named_elsewhere():
    text = "\n".join([
        "某厅2020年政务公开工作要点",
        "一、推进履职依据公开",
        "1.梳理规范性文件并集中公开。(法规处牵头,各处室配合)",
        "2.公开办事条件、办理时限等事项清单法规处牵头,各处室、服务中心配合",
        "3.做好年度报告发布工作办公室负责",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan)[1] == ("公开办事条件、办理时限等事项清单", [("法规处", L), ("各处室", S), ("服务中心", S)], [])
    assert _said(plan, "与正文连写")
    # "办公室" is named for no other task: where its name starts is not known, the text stays whole
    assert _tasks(plan)[2][0] == "做好年度报告发布工作办公室负责"


# ---- a unit list cut right after a level character ("…办公室、市") ------------------------------

def test_a_unit_list_cut_after_a_bare_level_drops_it():
    text = "\n".join([
        "某市2022年优化营商环境工作要点",
        "一、推动审批全链条优化",
        "1.编制行政许可事项清单。(市政府办公室牵头,市级各有关部门按职责分工负责)",
        "2.深化相对集中行政许可权改革。(市政府办公室、市",
    ]) + "\n"
    plan = parse_document(text)
    assert [u.name for u in plan.tasks[1].units] == ["市政府办公室"]
    assert _said(plan, "末尾残缺的“市”未作为单位")


# ---- an item number that lost its dot ("4各镇…" after "3.") -------------------------------------

def test_a_number_without_its_dot_going_on_the_items_is_the_next_item():
    text = "\n".join([
        "某县2019年政务公开工作要点",
        "一、加强政策解读",
        "1.做好重要政策解读。(县政府办负责)",
        "2.同步发布解读材料。(县司法局负责)",
        "3各镇要落实信息发布主体责任。(各镇负责)",
        "4个工作日内完成网上答复的,予以通报表扬。",
    ]) + "\n"
    plan = parse_document(text)
    assert [(t.number, t.text) for t in plan.tasks][:3] == [
        ("1.", "做好重要政策解读。"), ("2.", "同步发布解读材料。"), ("3", "各镇要落实信息发布主体责任。")]
    # "4个工作日": a count, not item 4
    assert all(t.number != "4" for t in plan.tasks)


def test_a_plan_name_holding_a_quoted_document_mid_way_and_the_number_after_the_notice_title():
    text = "\n".join([
        "关于印发2023年《政府工作报告》重点任务分解落实方案的通知 青政发〔2023〕1号 |",
        "各辖市、区人民政府,市各委办局: 现将2023年《政府工作报告》重点任务分解落实方案印发给你们,"
        "有关要求如下: 一要凝聚共识抓落实。各地各部门要迅速行动。 |",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.title == "2023年《政府工作报告》重点任务分解落实方案"
    assert plan.doc_number == "青政发〔2023〕1号"
    assert plan.tasks == []


# ---- a plan's convention for which listed unit leads --------------------------------------------

def test_the_first_listed_unit_leads_where_the_notice_says_so():
    text = "\n".join([
        "青石市人民政府办公室关于印发2020年重点工作责任分解的通知",
        "各区人民政府,市政府各部门:",
        "现将《2020年重点工作责任分解》印发给你们。责任分解中,排名第一的责任单位为牵头单位。",
        "青石市人民政府办公室",
        "2020年5月20日",
        "2020年重点工作责任分解",
        "1.推进老旧小区改造。(市住建局、市财政局、各区政府)",
        "2.做好就业服务。(市人社局牵头,各区政府配合)",
    ]) + "\n"
    plan = parse_document(text)
    assert [[(u.name, u.role) for u in t.units] for t in plan.tasks] == [
        [("市住建局", L), ("市财政局", R), ("各区政府", R)],
        [("市人社局", L), ("各区政府", S)]]  # its own role words stand
    assert _said(plan, "排名第一的责任单位为牵头单位")


def test_the_units_before_the_comma_lead_where_a_unit_bracket_says_so():
    text = "\n".join([
        "某市2022年政务公开重点工作任务分工方案",
        "一、强化重点领域信息公开",
        "(一)加强就业信息公开。及时发布招聘信息。(责任单位:市人社局、市教育局,各区县政府。逗号前为牵头单位,下同)",
        "(二)加强教育信息公开。公开招生政策。(责任单位:市教育局,各区县政府)",
        "(三)加强医疗信息公开。公开医疗机构名录。(责任单位:市卫健委)",
    ]) + "\n"
    plan = parse_document(text)
    assert [[(u.name, u.role) for u in t.units] for t in plan.tasks] == [
        [("市人社局", L), ("市教育局", L), ("各区县政府", R)],
        [("市教育局", L), ("各区县政府", R)],
        [("市卫健委", R)]]  # no comma: the list does not say


# ---- a law database's bulleted field block ("∙【制定机关】X") ------------------------------------

def test_a_bulleted_field_block_in_brackets_gives_issuer_and_date():
    text = "\n".join([
        "文章属性",
        "∙【制定机关】青石市人民政府办公厅",
        "∙【公布日期】2020.01.17",
        "∙【字 号】青政办〔2020〕1号",
        "正文",
        "市人民政府办公厅关于印发2020年重点工作责任分解方案的通知",
        "各区人民政府,市人民政府各部门:",
        "现将《2020年重点工作责任分解方案》印发给你们,并就有关事项通知如下。",
        "一、层层压实责任。各责任单位要加强组织领导。",
    ]) + "\n"
    plan = parse_document(text)
    assert plan.issuer == "青石市人民政府办公厅"
    assert plan.issued == dt.date(2020, 1, 17)
