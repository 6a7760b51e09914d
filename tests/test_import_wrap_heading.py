"""The importer on a PDF's text of a notice and its plan: the notice's heading lines (its 文号 under
a title line as long as the page is wide) and the plan's title above a table keep to themselves
when the wrapped paragraphs around them are rejoined."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

from test_import_metamorphic import outline, plans


def pdf_text(lines: list[str], width: int) -> str:
    """The lines as a PDF's text gives them: each paragraph with a full stop broken every ``width``
    characters; titles, headings and short lines as they are."""
    out = []
    for line in lines:
        if len(line) <= width or "。" not in line or "|" in line:
            out.append(line)
        else:
            out += [line[i:i + width] for i in range(0, len(line), width)]
    return "\n".join(out)


def meta(plan) -> tuple:
    return plan.title, plan.doc_number, plan.issuer, plan.issued


# a notice whose title line is longer than the page width (a heading is never broken at it),
# its 文号 on the line below
NOTICE = [
    "某某市人民政府办公室关于印发某某市2024年政务公开工作要点的通知",
    "某政办发〔2024〕12号",
    "各县(区)人民政府,市直各单位:",
    "《某某市2024年政务公开工作要点》已经市政府同意,现印发给你们,请结合实际认真贯彻落实,落实情况及时报送市政府办公室。",
    "某某市人民政府办公室",
    "2024年5月20日",
    "某某市2024年政务公开工作要点",
    "一、推进决策公开",
    "1.完善重大行政决策事项目录,在政府网站集中公开决策事项的名称、承办单位和办理时限,接受社会监督。(市司法局牵头)",
    "2.对涉及群众切身利益的重要改革方案和重大政策措施,在决策前通过座谈会、听证会等形式广泛听取意见。(市政府办公室牵头)",
    "二、推进政策解读",
    "3.重要政策文件与解读材料同步起草、同步审签、同步发布,解读材料要讲清政策背景、主要内容和惠企利民举措。(市发改委牵头)",
    "4.围绕市场主体关切的涉企政策,采取图表图解、视频动漫等形式开展多元解读,提高政策的知晓度和到达率。(市工信局牵头)",
    "5.建立健全政务舆情收集、研判、处置和回应机制,对社会关注度高的热点问题及时发布权威信息。(市委网信办牵头)",
]


def test_a_doc_number_under_a_full_width_title_is_not_joined_to_it():
    written = parse_document("\n".join(NOTICE))
    assert meta(written)[:3] == ("某某市2024年政务公开工作要点", "某政办发〔2024〕12号", "某某市人民政府办公室")
    for width in (26, 28, 30):
        plan = parse_document(pdf_text(NOTICE, width))
        assert meta(plan) == meta(written), width
        assert outline(plan) == outline(written), width


# a 分工 notice whose plan is a table: the plan's title, a full line, stands right above the table,
# and the prose after the table is no continuation of it
TABLED = [
    "某某县交通运输局关于印发贯彻落实全县2024年政务公开工作要点任务分工的通知",
    "局机关各股室,局属各单位:",
    "根据县政府办公室《关于印发全县2024年政务公开工作要点的通知》要求,经局领导同意,现将任务分工印发给你们,"
    "请各单位结合职责认真抓好落实,落实情况纳入年度目标考核。",
    "某某县交通运输局",
    "2024年6月3日",
    "某某县交通运输局贯彻落实2024年政务公开工作要点任务分工",
    "序号 | 工作任务 | 责任单位 | 完成时限",
    "1 | 及时公开交通建设项目的批准、实施和竣工信息,方便群众查询监督。 | 规划建设股 | 2024年12月底前",
    "2 | 公开道路运输行政许可和行政处罚结果,按规定时限完成信息发布。 | 运输管理股 | 持续推进",
    "3 | 做好政府信息公开申请的受理、答复工作,规范答复文书格式和内容。 | 办公室 | 持续推进",
    "各单位要高度重视政务公开工作,明确分管领导和具体经办人员,按照任务分工抓好落实,确保各项工作按时保质完成,"
    "遇到问题及时与局办公室沟通,局办公室将适时对落实情况开展督促检查。",
    "各单位要加强政务公开工作队伍建设,定期组织业务学习和培训,提高工作人员的政策水平和业务能力,"
    "确保信息发布准确及时,杜绝泄密和不当发布等问题的发生。",
]


def test_a_title_above_a_table_is_not_joined_to_the_prose_after_it():
    written = parse_document("\n".join(TABLED))
    assert written.title == "某某县交通运输局贯彻落实2024年政务公开工作要点任务分工"
    width = len(TABLED[5])  # the title fills the line
    plan = parse_document(pdf_text(TABLED, width))
    assert meta(plan) == meta(written)
    assert outline(plan) == outline(written)


_ORGS = ["某某县人民政府办公室", "某市数据局", "某某区政务服务管理局"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(plans(), st.integers(min_value=24, max_value=32), st.sampled_from(_ORGS), st.integers(0, 8),
       st.sampled_from(["政办发", "办函", "发"]), st.integers(1, 999))
def test_a_notice_heading_reads_as_written_when_wrapped(lines, width, org, pad, kind, number):
    # the notice's title as long as the page is wide or longer: a heading is not broken at the width
    title = f"{org}关于印发{lines[0]}的通知"
    title = title[:len(org)] + "转发" * ((width - len(title) + 1) // 2 + pad // 2) + title[len(org):] \
        if len(title) < width - 1 else title
    assume(len(title) >= width - 1)
    head = [title, f"某{kind}〔2024〕{number}号", "各有关单位:",
            f"《{lines[0]}》已经同意,现印发给你们,请结合实际认真贯彻落实,工作中遇到的问题请及时反映。", org, "2024年4月8日"]
    assume(all(len(line) % width in range(1, width - 2) for line in head[3:4] + lines))
    written = parse_document("\n".join(head + lines))
    assert written.doc_number == f"某{kind}〔2024〕{number}号"
    plan = parse_document(pdf_text(head + lines, width))
    assert meta(plan) == meta(written)
