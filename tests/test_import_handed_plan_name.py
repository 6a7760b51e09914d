"""The plan's name and year read from the sentence that makes or hands the plan over, even where
that sentence first cites other documents; and a task closed by two labelled unit lines keeps
both labels in the phrase it shows.

Files here are named "附件1.docx" or "通知.txt", so nothing depends on a file name holding the
year. The documents are small ones written for these tests, in the shapes real notices take.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.unitphrase import parse_unit_phrase
from gktrack.features.importer import parse_document
from gktrack.features.importer.sources import text_document

ITEMS = """一、推进决策公开
1、做好重大决策预公开。及时公开决策草案和说明。
2、做好政策解读。同步发布解读材料。
二、做好依申请公开
3、规范答复流程。按时答复申请人。
"""
TASKS = ["做好重大决策预公开。及时公开决策草案和说明。", "做好政策解读。同步发布解读材料。", "规范答复流程。按时答复申请人。"]


def read(text: str, name: str = "附件1.docx"):
    return parse_document(text_document(text, name))


def said(plan, *words: str) -> bool:
    return any(all(word in message for word in words) for _, message in plan.warnings)


def test_the_plan_handed_over_after_a_cited_notice_on_the_same_line():
    notice = ("局机关各股室:\n"
              "依据《柳川市人民政府办公室关于印发柳川市2021年政务公开工作要点分工方案的通知》(柳府办函〔2021〕40号)"
              "有关要求,为做好我局政务公开工作,现将《柳川市水务局贯彻落实柳川市2021年政务公开工作要点分工方案》"
              "(以下简称《方案》)印发给你们,请结合以下要求抓好落实。\n"
              "一、提高认识。各股室要把落实《方案》作为重点工作。\n"
              "二、压实责任。各股室要明确专人跟进。\n"
              "特此通知。\n")
    plan = read(notice, name="通知.txt")
    assert plan.title == "柳川市水务局贯彻落实柳川市2021年政务公开工作要点分工方案"
    assert plan.year == 2021 and not plan.title_from_file and not plan.year_from_file
    assert plan.tasks == []


def test_the_plan_handed_over_after_a_document_it_carries_out():
    notice = ("各乡镇人民政府,县直各单位:\n"
              "为贯彻落实《桐原市2022年政务公开工作要点》,现将《桐原县2023年政务公开工作方案》印发给你们,请认真执行。\n"
              "桐原县人民政府办公室\n2023年4月6日\n")
    plan = read(notice + ITEMS)
    assert plan.title == "桐原县2023年政务公开工作方案" and plan.year == 2023
    assert [task.text for task in plan.tasks] == TASKS


def test_a_lead_saying_the_plan_is_made_names_it_and_its_year():
    lead = ("为进一步做好本系统政务公开工作,根据市政府办公厅印发的《2023年柳川市政务公开工作要点》(柳府办〔2023〕5号),"
            "结合我局实际,制定2024年市水务局政务公开工作要点。\n")
    plan = read(lead + ITEMS)
    assert plan.title == "2024年市水务局政务公开工作要点" and not plan.title_from_file
    assert plan.year == 2024 and not plan.year_from_file
    assert not said(plan, "文中没有计划标题")
    assert [task.text for task in plan.tasks] == TASKS


def test_documents_only_cited_give_neither_name_nor_year():
    for lead in ("根据《柳川市2023年政务公开工作要点》要求,结合实际,做好我局政务公开工作。",
                 "按照市政府办公室印发的《2023年柳川市政务公开工作要点》,做好我局政务公开工作。",
                 "按照市政府办公室关于印发2023年政务公开工作要点的通知要求,做好我局政务公开工作。",
                 "2023年,市政府办公室印发2023年政务公开工作方案,全市公开工作取得明显成效。",
                 "2020年,全县政务公开工作取得明显成效。",
                 "认真落实《国务院办公厅关于印发2023年政务公开工作要点的通知》的要求,完成《青禾市税务局关于全面推进"
                 "政务公开工作的意见》明确的各项任务,现将有关事项通知如下:"):
        plan = read(lead + "\n" + ITEMS, name="通知.txt")
        assert plan.year is None, lead
        assert plan.title_from_file, lead


@settings(max_examples=40, deadline=None)
@given(cited=st.integers(2015, 2030), own=st.integers(2015, 2030), citing=st.sampled_from(["根据", "按照", "为贯彻落实"]),
       handing=st.sampled_from(["现将《{}》印发给你们", "现将《{}》印发你们", "特制定《{}》", "制定{}"]),
       extra=st.booleans())
def test_the_year_is_the_handed_plans_not_the_cited_ones(cited, own, citing, handing, extra):
    name = f"{own}年青禾区政务公开工作要点"
    cites = f"{citing}《青禾市{cited}年政务公开工作要点》"
    if extra:
        cites += f"和《青禾市人民政府办公室关于印发{cited}年政务公开重点任务分工方案的通知》"
    plan = read(f"{cites},结合实际,{handing.format(name)},请认真贯彻落实。\n" + ITEMS, name="通知.txt")
    assert plan.title == name and plan.year == own
    assert [task.text for task in plan.tasks] == TASKS


UNITS = ["法制科", "办公室", "各业务科室", "后勤保障科", "信息中心"]


@settings(max_examples=30, deadline=None)
@given(lead=st.sampled_from(UNITS), other=st.sampled_from(UNITS),
       second=st.sampled_from(["责任单位", "配合单位", "责任部门"]))
def test_two_unit_lines_show_both_labels_and_read_back_the_same(lead, other, second):
    if lead == other:
        return
    text = ("一、规范公开内容\n"
            "(一)信息类别:规范性文件\n梳理应予公开的规范性文件。\n"
            f"牵头单位:{lead}\n{second}:{other}\n"
            "(二)信息类别:收费信息\n公开收费项目和标准。\n"
            "责任单位:财务科\n")
    plan = parse_document(text_document(text, "附件1.docx"), year=2024)
    first, last = plan.tasks
    assert first.units_text == f"牵头单位:{lead};{second}:{other}"
    assert [(unit.name, unit.role) for unit in first.units] == [(lead, "lead"), (other, unit_role(second))]
    assert parse_unit_phrase(first.units_text) == first.units
    assert last.units_text == "财务科"


def unit_role(label: str) -> str:
    return "support" if label.startswith("配合") else "responsible"
