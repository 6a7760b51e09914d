"""The plan's name as a cover notice gives it, where no line of the text is the plan's title: the
notice's heading ("关于印发X的通知"), or the line that hands the plan over or makes it — one rule
for all of them; a notice only cited inside a sentence names no plan. And the signature over its
date, read by one rule above the plan (the notice's) and below it (the plan's own)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

TABLE = (
    "序号 | 工作任务 | 责任单位 | 时限要求\n"
    "1 | 梳理本县基层政务公开事项目录,逐项明确公开主体。 | 县政务公开办 | 2021年6月底\n"
    "2 | 在县政府网站设立基层政务公开专栏。 | 县数据资源局 | 2021年9月底\n"
)


def test_notice_heading_in_a_page_field_names_the_plan():
    plan = parse_document("名称: | 某县人民政府办公室关于印发某县推进基层政务公开标准化工作实施方案的通知 |\n"
                          "发布日期: | 2021-03-02 |\n" + TABLE)
    assert plan.title == "某县推进基层政务公开标准化工作实施方案"
    assert plan.year == 2021
    assert [t.text for t in plan.tasks][0] == "梳理本县基层政务公开事项目录,逐项明确公开主体。"


def test_notice_cited_inside_a_sentence_names_no_plan():
    plan = parse_document("为贯彻落实《某市人民政府办公室关于印发某市推进基层政务公开标准化工作实施方案的通知》精神,"
                          "结合本县实际,提出以下任务。\n" + TABLE)
    assert plan.title is None
    assert [u.name for u in plan.tasks[1].units] == ["县数据资源局"]


def test_lead_that_makes_the_plan_names_it():
    plan = parse_document("为做好本年度政务公开工作,结合本局实际,制定2023年某区市场监管局政务公开工作要点。\n"
                          "一、加强政策解读\n"
                          "1.围绕重点政策开展解读,及时回应关切。(办公室负责)\n"
                          "2.在政府网站发布解读材料。(法规科负责)\n")
    assert plan.title == "2023年某区市场监管局政务公开工作要点"
    assert plan.year == 2023
    assert [t.text for t in plan.tasks] == ["围绕重点政策开展解读,及时回应关切。", "在政府网站发布解读材料。"]


PLACES = st.sampled_from(["某县", "某市", "某区", "某镇"])
KINDS = st.sampled_from(["政务公开工作要点", "基层政务公开标准化规范化工作实施方案", "政务公开重点任务分工方案"])


@settings(max_examples=20, deadline=None)
@given(PLACES, st.integers(2018, 2026), KINDS, st.booleans())
def test_heading_names_the_plan_quoted_or_not(place, year, kind, quoted):
    name = f"{place}{year}年{kind}"
    heading = f"{place}人民政府办公室关于印发{'《' + name + '》' if quoted else name}的通知"
    plan = parse_document(f"名称: | {heading} |\n" + TABLE)
    assert plan.title == name
    assert plan.year == year


# ---- the signature over its date, above the plan and below it: one reading for both --------------

ITEMS = "一、加强政策解读\n1.围绕重点政策开展解读。(县司法局负责)\n2.在政府网站发布解读材料。(县数据局负责)\n"


def test_the_notices_signature_gives_issuer_and_date_not_a_fields_date_above_it():
    plan = parse_document("生效日期:\n2019-08-26\n各乡镇人民政府,县政府各部门:\n"
                          "现将《某县2019年政务公开工作要点》印发给你们,请认真贯彻落实。\n"
                          "某县人民政府办公室\n2019年3月12日\n某县2019年政务公开工作要点\n" + ITEMS)
    assert (plan.title, plan.issuer, str(plan.issued)) == ("某县2019年政务公开工作要点", "某县人民政府办公室", "2019-03-12")
    assert [t.text for t in plan.tasks] == ["围绕重点政策开展解读。", "在政府网站发布解读材料。"]


def test_the_plans_own_signature_below_it_gives_issuer_and_date():
    for signature in ("某镇人民政府\n2020年2月8日", "某镇人民政府 2020年2月8日"):
        plan = parse_document("某镇2020年政务公开工作要点\n" + ITEMS + signature + "\n")
        assert (plan.issuer, str(plan.issued)) == ("某镇人民政府", "2020-02-08")
        assert [t.text for t in plan.tasks] == ["围绕重点政策开展解读。", "在政府网站发布解读材料。"]
