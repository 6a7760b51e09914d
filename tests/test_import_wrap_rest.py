"""The importer on PDF texts whose lines end, by chance, exactly where a page's width ends: a title
standing on a line of its own (over a notice's salutation, a date or a table's column names), an
item's closing unit list or unit bracket, and a title broken at the page's width in a text too short
to be read as wrapped."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

from test_import_metamorphic import outline, wrapped


def pdf(lines: list[str], width: int) -> str:
    """The lines as a PDF gives them: paragraphs with a full stop broken every ``width`` characters,
    titles and short lines left whole."""
    return "\n".join(wrapped([line], width) if "。" in line else line for line in lines)


TITLE = "关于印发某某县2024年政务公开工作要点分工方案的通知"
NOTICE = [
    TITLE,
    "各乡镇人民政府,县政府各部门,各有关单位:",
    "为深入贯彻落实上级关于全面推进政务公开工作的部署要求,进一步提升全县政务公开工作质量和水平,经县政府同意,"
    "现将《某某县2024年政务公开工作要点分工方案》印发给你们,请结合各自职责认真抓好贯彻落实,确保各项任务按时完成。",
    "某某县人民政府办公室",
    "2024年4月8日",
    "某某县2024年政务公开工作要点分工方案",
    "一、深化重点领域信息公开",
    "1.围绕稳就业、保民生等重点工作,及时发布就业创业扶持政策、专项招聘活动和公益性岗位信息,方便群众及时了解和办理。"
    "(责任单位:县人社局)",
    "2.做好财政预决算和政府债务信息公开,按规定时限公开部门预算、部门决算和三公经费,细化公开到功能分类项级科目。"
    "(责任单位:县财政局)",
    "二、加强政策解读和回应关切",
    "3.坚持政策文件与解读材料同步组织、同步审签、同步部署,采取图表、动漫、短视频等方式开展解读,增强解读的针对性。"
    "(责任单位:县政府办公室)",
]


DATED = [
    "某某局关于贯彻落实《2024年政务公开工作要点》的实施方案",
    "04.08.2024  09:30",
    "为贯彻落实《2024年政务公开工作要点》,进一步推动本局政务信息公开透明,增强政务公开工作实效,结合工作实际,制定本实施方案。",
    "一、工作任务",
    "(一)做好政策解读。坚持政策文件与解读材料同步组织、同步审签、同步部署,通过图表、短视频等形式开展解读,增强解读的针对性。",
    "(二)回应社会关切。健全舆情收集、研判、处置和回应机制,对涉及本局的重要舆情及时发布权威信息,讲清事实真相和政策措施。",
    "(三)规范依申请公开。严格按照法定时限答复政府信息公开申请,规范答复文书格式,提高答复质量,依法保障申请人的合法权益。",
]


HEADED = [
    "某某区市场监管局 政务公开工作要点分工(2024年版)",
    "序号工作任务责任科室完成时限",
    "一、推进监管执法信息公开",
    "1.依法公开行政许可、行政处罚等执法信息,在作出决定之日起七个工作日内通过门户网站向社会公开,接受群众监督。法规科牵头",
    "2.公开抽查事项清单、年度抽查计划和抽查结果,抽查结果在抽查完成后二十个工作日内公开,并同步归集到信用平台。执法科牵头",
    "3.做好食品安全抽检信息公开,定期发布抽检合格和不合格产品信息,对不合格产品的核查处置情况及时公开。食品科牵头",
    "二、推进政务服务信息公开",
    "4.公开政务服务事项办事指南,标明办理条件、申请材料、办理流程和收费依据,做到办事指南要素齐全、内容准确。审批科牵头",
]


@pytest.mark.parametrize("lines, width, title", [
    (NOTICE, len(TITLE), "某某县2024年政务公开工作要点分工方案"),  # over a notice's salutation
    (DATED, len(DATED[0]), DATED[0]),  # over the date
    # over the column names: one character wider than the page, the ASCII digits narrow
    (HEADED, len(HEADED[0]) - 1, "某某区市场监管局政务公开工作要点分工(2024年版)"),
], ids=["salutation", "date", "column-names"])
def test_a_title_as_wide_as_the_page_keeps_its_line(lines, width, title):
    text = pdf(lines, width)
    assert text.splitlines()[0] == lines[0]  # the premise: the title stands whole on its line
    written, plan = parse_document("\n".join(lines)), parse_document(text)
    assert plan.title == written.title == title
    assert outline(plan) == outline(written)


# items closed by a unit line or a unit bracket after the full stop, some as long as the page
ITEMS = [
    "某县2024年政务公开工作要点",
    "一、围绕稳经济促发展加强信息公开",
    "加强宏观经济政策的解读和信息发布,及时准确把政策意图传递给市场主体,稳定市场预期,增强发展信心。",
    "县发改局、县统计局、县财政局、县商务局分别牵头落实",
    "加强财政收支信息公开,按月公开全县财政收支情况,解读财政收支增减变化情况及原因,回应社会关注。",
    "县财政局牵头落实",
    "二、围绕保障民生加强信息公开",
    "做好社会救助信息公开,公开最低生活保障、特困人员供养等救助政策和救助对象的基本情况,鼓励各村(社区)"
    "、各有关单位加强政策的宣传。(牵头单位:县民政局)",
    "持续公开义务教育招生入学政策和学校划片范围,及时解答家长关心的热点和难点问题。(牵头单位:县教体局)",
    "做好就业创业政策信息公开,公开就业补贴申领条件和办理流程,提高政策知晓度,促进高校毕业生等群体就业。",
    "县人社局牵头落实",
]


def test_a_unit_line_or_bracket_as_wide_as_the_page_closes_its_item():
    written = parse_document("\n".join(ITEMS))
    assert [(t.text[:4], [(u.name, u.role) for u in t.units]) for t in written.tasks][:2] == [
        ("加强宏观", [("县发改局", "lead"), ("县统计局", "lead"), ("县财政局", "lead"), ("县商务局", "lead")]),
        ("加强财政", [("县财政局", "lead")])]
    text = pdf(ITEMS, 25)
    # the premise: the unit list, a unit bracket and "各村(社区)" each end a line of the page's width
    assert "县发改局、县统计局、县财政局、县商务局分别牵头落实" in text.splitlines()
    assert any(line.endswith("(牵头单位:县教体局)") and len(line) == 25 for line in text.splitlines())
    assert any(line.endswith("各村(社区)") and len(line) == 25 for line in text.splitlines())
    assert outline(parse_document(text)) == outline(written)


def test_a_long_title_broken_at_the_page_width_is_read_whole():
    title = "【任务分工】某某市残疾人联合会2024年政务公开重点工作任务分工"
    lines = [title[:31], title[31:], "工作任务 | 责任科室 | 时限要求",
             "一、围绕服务民生抓好主动公开 | |", "做好助残惠残政策的公开和解读,方便残疾人及时了解。 | 办公室 | 持续推进"]
    written = parse_document("\n".join([title] + lines[2:]))
    plan = parse_document("\n".join(lines))
    assert plan.title == written.title == "某某市残疾人联合会2024年政务公开重点工作任务分工"
    assert plan.issuer == written.issuer


@st.composite
def closed_items(draw):
    """Items of clauses of random lengths, each closed by a unit line or a labelled unit bracket."""
    units = ["县财政局", "县民政局", "县教体局", "县人社局、县医保局", "县发改局、县统计局"]
    lines = ["某县2024年政务公开工作要点", "一、加强重点领域信息公开"]
    for number in range(draw(st.integers(min_value=6, max_value=7))):
        words = st.sampled_from(["推进", "公开", "政策", "解读", "回应", "平台", "建设", "规范", "管理", "服务", "信息",
                                 "发布", "及时", "全面", "基层", "办事", "指南", "群众", "关切", "数据"])
        clauses = draw(st.lists(st.lists(words, min_size=3, max_size=9), min_size=3, max_size=5))
        opening = ["围绕", "聚焦", "深化", "加强", "持续", "做好", "完善"][number]  # no two items alike
        text = opening + ",".join("".join(clause) for clause in clauses) + "。"
        unit = draw(st.sampled_from(units))
        if draw(st.booleans()):
            lines += [text, unit + "牵头落实"]
        else:
            lines.append(text + "(牵头单位:" + unit + ")")
    return lines


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(closed_items(), st.integers(min_value=18, max_value=30))
# too few wrapped lines to tell the page's width: each bracket left open still closes on the next line
@example(["某县2024年政务公开工作要点", "一、加强重点领域信息公开"]
         + [f"{w}推进推进推进,推进推进推进,推进推进推进。(牵头单位:县财政局)" for w in ("围绕", "聚焦", "深化", "加强", "持续")]
         + ["做好推进推进推进,推进推进推进,推进推进推进。", "县财政局牵头落实"], 26)
def test_wrapped_items_keep_their_units_wherever_the_lines_end(lines, width):
    written = parse_document("\n".join(lines))
    assert outline(parse_document(pdf(lines, width))) == outline(written)


# a 分工表 one cell a line whose second item's text opens with a list of bodies that fills the
# page's width: a sentence's first line, not a unit cell (what stands before it is a deadline cell)
PLATFORMS = [
    "某县2024年政务公开重点工作任务分工表", "工作任务", "具体要求", "责任单位", "时限要求",
    "一、加强政策发布解读",
    "及时公开涉及群众切身利益的政策文件,做好政策文件的发布和解读工作,增强政策透明度。",
    "县政府办公室", "持续推进",
    "县融媒体中心、县广播电视台、县政府门户网站要同步转载重要政策文件,扩大政策的知晓面和覆盖面。",
    "县融媒体中心", "持续推进",
    "围绕群众关注的热点问题,及时发布权威信息,回应社会关切,正确引导社会预期和舆论走向。",
    "县政府办公室", "6月底前",
]


def test_a_sentence_opening_with_a_list_of_names_at_the_page_width_goes_on():
    width = len("县融媒体中心、县广播电视台、县政府门户网站")
    plan, written = parse_document(wrapped(PLATFORMS, width)), parse_document("\n".join(PLATFORMS))
    assert [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks] \
        == [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in written.tasks]
    assert plan.tasks[1].text.startswith("县融媒体中心、县广播电视台、县政府门户网站要同步转载")
