"""Finding the plan and what it is called when a cover notice, a page's field block or a quoted
document's title stands in the way: its title, year, id, issuer and 文号, and the tasks after it.

The documents are small ones written for these tests, in the shapes real pages take.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from gktrack.features.importer.plan import derive_plan_id


def plan_id(plan) -> str:
    return derive_plan_id(plan.title, plan.year, set(), issuer=plan.issuer)


def texts(plan) -> list[str]:
    return [task.text for task in plan.tasks]


NOTICE = """各镇人民政府,县政府各部门:
《青禾县2023年政务公开工作要点》已经县政府同意,现印发给你们,请认真贯彻落实。
??
??????????????????? 青禾县人民政府办公室
2023年3月6日???????
(此件公开发布)
"""
BODY = """2023年,全县政务公开工作的总体要求是:坚持以人民为中心,推动政务公开提质增效。
一、深化重点领域信息公开
(一)做好财政信息公开
1.按月公开县级财政收支情况,解读收支变化原因。
2.及时公开政府债务限额、余额等信息。
二、加强公开平台建设
(一)优化政府网站
1.规范政府网站栏目设置,清理空白栏目。
"""
UNDATED_BODY = BODY.replace("2023年,", "", 1)
TASKS = ["按月公开县级财政收支情况,解读收支变化原因。", "及时公开政府债务限额、余额等信息。",
         "规范政府网站栏目设置,清理空白栏目。"]


def assert_notice_plan(plan) -> None:
    assert plan.title == "青禾县2023年政务公开工作要点"
    assert not plan.title_from_file
    assert plan.year == 2023
    assert plan_id(plan) == "qh2023"
    assert plan.issuer == "青禾县人民政府办公室"
    assert plan.issued == dt.date(2023, 3, 6)
    assert texts(plan) == TASKS
    assert [s.title for s in plan.sections if "." not in s.key] == ["深化重点领域信息公开", "加强公开平台建设"]
    # the notice's sentence is read for metadata, never a task
    assert not any("印发给你们" in text for text in texts(plan))


# ---- C: "(此件公开发布)" ends the notice, not the document ------------------------------------

def test_notice_then_title_with_de_tongzhi_then_body():
    plan = parse_document(NOTICE + "青禾县2023年政务公开工作要点的通知\n" + BODY)
    assert_notice_plan(plan)
    assert not any("文末" in message for _, message in plan.warnings)


def test_notice_then_body_without_any_title():
    plan = parse_document(NOTICE + BODY)
    assert_notice_plan(plan)  # the title is the one the notice gives the plan


def test_title_repeated_as_attachment_or_broken_before_de_tongzhi():
    for title in ("附件\n青禾县2023年政务公开工作要点\n", "附件1:青禾县2023年政务公开工作要点\n",
                  "青禾县2023年政务公开工作要点\n的通知\n", "关于印发青禾县2023年政务公开工作要点的通知\n"):
        assert_notice_plan(parse_document(NOTICE + title + BODY))


def test_notice_without_close_mark_then_decorated_title_or_none():
    notice = NOTICE.replace("(此件公开发布)\n", "")
    for title in ("青禾县2023年政务公开工作要点的通知\n", ""):
        assert_notice_plan(parse_document(notice + title + BODY))


def test_notice_close_with_only_footer_after_the_plan_still_ends_it():
    document = ("青禾县2023年政务公开工作要点\n" + BODY + "青禾县人民政府办公室\n2023年3月6日\n(此件公开发布)\n"
                "主办单位:青禾县人民政府办公室\n1.网站地图\n")
    plan = parse_document(document)
    assert texts(plan) == TASKS
    assert plan.title == "青禾县2023年政务公开工作要点"
    assert any("文末" in message for _, message in plan.warnings)


def test_notice_with_its_own_numbered_paragraphs_then_close_then_plan():
    notice = ("各镇人民政府,县政府各部门:\n现将《青禾县2023年政务公开工作要点》印发给你们,并提出以下要求:\n"
              "一、提高认识。各单位要把政务公开摆上重要位置。\n青禾县人民政府办公室\n2023年3月6日\n(此件主动公开)\n")
    plan = parse_document(notice + BODY)
    assert texts(plan) == TASKS
    assert plan.title == "青禾县2023年政务公开工作要点"


# ---- E: the plan's own title and year -------------------------------------------------------

def test_title_year_wins_over_a_sharing_sites_upload_time():
    document = ("青禾县政务公开工作要点.docx\n- 文档编号:5120001\n- 上传时间:2022-12-15\n- 格式:DOCX\n"
                "青禾县政务公开工作要点\n青禾县2019年政务公开工作要点\n" + BODY)
    plan = parse_document(document)
    assert plan.title == "青禾县2019年政务公开工作要点"
    assert plan.year == 2019
    assert plan_id(plan) == "qh2019"
    assert texts(plan) == TASKS


def test_upload_or_visit_time_is_never_the_plan_year():
    # (the body without its lead "2023年,…": a lead opening with the year gives the year)
    document = "上传时间:2022-12-15\n浏览次数:88 更新时间:2023-01-02 10:20\n青禾县政务公开工作要点\n" + UNDATED_BODY
    plan = parse_document(document)
    assert plan.title == "青禾县政务公开工作要点"
    assert plan.year is None  # nothing in the document says: the user is asked for --year
    assert texts(plan) == TASKS


def test_years_of_a_quoted_document_and_a_span_are_not_the_plan_year():
    notice = ("各区县人民政府,市政府各部门:\n《青禾市贯彻〈某省政务公开三年行动计划(2024—2026年)〉实施方案》"
              "已经市政府同意,现印发给你们,请认真贯彻落实。\n青禾市人民政府办公室\n2023年5月9日\n")
    body = ("青禾市贯彻《某省政务公开三年行动计划\n(2024—2026年)》实施方案\n一、主要任务\n"
            "(一)夯实主动公开基础,动态调整公开事项目录。(市政府办公室牵头,市政府各部门配合)\n"
            "(二)规范依申请公开办理,统一答复文书格式。(市司法局牵头)\n")
    plan = parse_document(notice + body)
    assert plan.title == "青禾市贯彻〈某省政务公开三年行动计划(2024—2026年)〉实施方案"
    assert plan.year == 2023
    assert plan_id(plan) == "qh2023"  # the issuer's city, not the province in the quoted title
    assert plan.issuer == "青禾市人民政府办公室"
    assert texts(plan) == ["夯实主动公开基础,动态调整公开事项目录。", "规范依申请公开办理,统一答复文书格式。"]
    assert [(u.name, u.role) for u in plan.tasks[0].units] == [("市政府办公室", "lead"), ("市政府各部门", "support")]


def test_a_span_of_years_alone_leaves_the_year_to_the_user():
    plan = parse_document("青禾市政务公开三年行动计划(2024—2026年)实施方案\n" + UNDATED_BODY)
    assert plan.title == "青禾市政务公开三年行动计划(2024—2026年)实施方案"
    assert plan.year is None
    assert texts(plan) == TASKS


def test_a_year_quoted_in_the_title_is_not_the_plan_year():
    document = ("青禾区人民政府办公室关于印发青禾区落实〈2021年全省政务公开工作要点〉任务分工的通知\n"
                "各街道办事处,区政府各部门:\n现将《青禾区落实〈2021年全省政务公开工作要点〉任务分工》印发给你们。\n"
                "青禾区人民政府办公室\n2022年1月20日\n" + BODY)
    plan = parse_document(document)
    assert plan.year == 2022
    assert plan_id(plan) == "qh2022"
    assert texts(plan) == TASKS


def test_own_title_opening_the_text_without_the_word_yaodian():
    plan = parse_document("青禾县统计局2024年政务公开重点任务\n" + BODY)
    assert plan.title == "青禾县统计局2024年政务公开重点任务"
    assert plan.year == 2024
    assert plan_id(plan) == "qh2024"
    assert texts(plan) == TASKS


def test_title_run_into_the_first_sentence_and_a_document_it_cites():
    document = ("青禾县2018年政务公开工作实施方案为深入贯彻落实某省人民政府办公厅关于印发2018年全省政务公开"
                "工作要点的通知(某政办发〔2018〕35号)精神,结合本县实际,制定本方案。\n" + BODY)
    plan = parse_document(document)
    assert plan.title == "青禾县2018年政务公开工作实施方案"
    assert plan.year == 2018
    assert plan_id(plan) == "qh2018"
    assert texts(plan) == TASKS
    assert plan.doc_number is None  # the cited document's number is not this plan's


def test_a_notice_sentence_opening_the_text_is_not_split_into_a_title():
    document = ("青禾县2023年政务公开工作要点已经县政府同意,现印发给你们,请认真贯彻落实。\n"
                "青禾县人民政府办公室\n2023年3月6日\n" + BODY)
    plan = parse_document(document)
    assert texts(plan) == TASKS
    assert plan.issuer == "青禾县人民政府办公室"
    assert plan.year == 2023


def test_plan_id_from_the_issuers_place():
    # the title names no place, or names it after a verb; the issuer does
    assert derive_plan_id("全面推进青禾市基层政务公开标准化工作实施方案", 2020, set(),
                          issuer="青禾市人民政府办公室") == "qh2020"
    assert derive_plan_id("2023年全县政务公开工作要点", 2023, set(), issuer="青禾县人民政府办公室") == "qh2023"
    assert derive_plan_id("2021年冠县政务公开工作要点", 2021, set(), issuer="冠县人民政府办公室") == "gx2021"
    # a deeper place in the title than in the issuer: the title's (a 镇 plan of a 市 office)
    assert derive_plan_id("青禾镇2022年政务公开工作要点", 2022, set(), issuer="中山市青禾党政办公室") == "qh2022"
    # without an issuer, the title's place outside quotes
    assert derive_plan_id("青禾市贯彻〈某省政务公开行动计划〉实施方案", 2022, set()) == "qh2022"
    assert derive_plan_id("2016年政务公开工作要点", 2016, {"plan2016"}) == "plan2016-2"


# ---- H: a page's "label: value" fields --------------------------------------------------------

FIELDS_PAGE = """标题: | 青禾区人民政府办公室关于印发《青禾区2023年政务公开工作任务清单》的通知 | ||
索引号: | 113703-2023-0042 | 文号: | |
发文日期: | 2023-08-21 | 发布机构: | 区政府办公室 |
青禾区人民政府办公室关于印发《青禾区2023年政务公开工作任务清单》的通知
各镇政府、街道办事处,区政府各部门:
现将《青禾区2023年政务公开工作任务清单》印发给你们,请认真贯彻执行。
青禾区人民政府办公室
2023年8月18日
青禾区2023年政务公开工作任务清单
""" + BODY.split("\n", 1)[1]


def test_empty_field_does_not_take_the_next_label_and_signature_beats_site_field():
    plan = parse_document(FIELDS_PAGE)
    assert plan.doc_number is None
    assert plan.issuer == "青禾区人民政府办公室"  # not the site's "区政府办公室"
    assert plan.issued == dt.date(2023, 8, 18)
    assert plan.title == "青禾区2023年政务公开工作任务清单"
    assert plan.year == 2023
    assert plan_id(plan) == "qh2023"
    assert texts(plan) == TASKS


def test_two_fields_on_one_line():
    head = ("• 索引号: 11370-2020-99 主题分类: 政务公开\n发布机构: 青禾区百花街道 生成日期: 2020-07-08\n"
            "发文机关: 青禾区人民政府办公室 文号: 青政办发〔2020〕12号\n")
    plan = parse_document(head + "青禾区2020年政务公开工作要点\n" + BODY)
    assert plan.issuer == "青禾区人民政府办公室"
    assert plan.doc_number == "青政办发〔2020〕12号"
    assert plan.title == "青禾区2020年政务公开工作要点"
    assert plan_id(plan) == "qh2020"
    assert texts(plan) == TASKS
    only_site = parse_document("发布机构: 青禾区百花街道 生成日期: 2020-07-08\n青禾区2020年政务公开工作要点\n" + BODY)
    assert only_site.issuer == "青禾区百花街道"  # the field's value stops where the next field starts
    assert only_site.issued is None


# ---- property: what surrounds the plan never changes its tasks ---------------------------------

_VALUES = st.sampled_from(["", "青禾县人民政府办公室", "县政府办公室", "2023-03-06", "113701-2023-0007",
                           "青政办发〔2023〕7号", "综合政务", "有效", "主动公开"])
_LABELS = st.sampled_from(["索引号", "文号", "发文字号", "发布机构", "发文机关", "成文日期", "发布日期", "主题分类",
                           "上传时间", "有效性", "公开方式"])
_FIELD_LINES = st.lists(st.tuples(_LABELS, _VALUES, st.none() | st.tuples(_LABELS, _VALUES),
                                  st.sampled_from([" ", " | ", ""])), max_size=6)
# a footer: maybe the plan's signature over its date, maybe the notice mark (and after it even a
# numbered link), then page chrome
_FOOTERS = st.tuples(st.booleans(), st.sampled_from([[], ["(此件公开发布)"], ["(此件公开发布)", "1.网站地图"]]),
                     st.lists(st.sampled_from([
                         "抄送:县委办,县人大办。", "主办单位:青禾县人民政府办公室", "版权所有:青禾县人民政府",
                         "网站标识码:3301000001", "【打印本页】【关闭窗口】", "分享到:"]), max_size=4))


def _field_block(fields) -> str:
    lines = []
    for label, value, second, gap in fields:
        line = f"{label}:{gap}{value}"
        if second is not None:
            line += f" {second[0]}: {second[1]}"
        lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FIELD_LINES, _FOOTERS, st.booleans())
def test_fields_and_footers_around_the_plan_never_change_its_tasks(fields, footers, with_notice):
    signed, marked, chrome = footers
    footer = ["青禾县人民政府办公室", "2023年3月6日"] * signed + marked + chrome
    document = _field_block(fields) + (NOTICE if with_notice else "青禾县2023年政务公开工作要点\n") + BODY \
        + "".join(line + "\n" for line in footer)
    plan = parse_document(document)
    assert texts(plan) == TASKS
    assert plan.title == "青禾县2023年政务公开工作要点"
    assert plan.year == 2023


def test_the_pages_title_field_names_the_plan_when_its_text_only_says_what_it_makes():
    # "标题: | 某局2024年…方案 |", then the plan's lead "特制定2024年…方案": the field's fuller name
    fields = ("标题: | 青禾区档案局2024年政务公开工作方案 | ||\n---|---|---|---|\n"
              "索引号: | MB2860001/2024-0001 | 文号: | |\n发文日期: | 2024-06-28 | 发布机构: | 青禾区档案局 |\n")
    lead = "为做好本年度政务公开工作,结合我局实际,特制定2024年政务公开工作方案。\n"
    plan = parse_document(fields + lead + BODY)
    assert plan.title == "青禾区档案局2024年政务公开工作方案"
    assert plan.issuer == "青禾区档案局"
    assert plan_id(plan) == "qh2024"
    assert texts(plan) == TASKS
    # a field naming the notice gives the plan it issues, as the notice's own heading does
    notice = parse_document(fields.replace("青禾区档案局2024年政务公开工作方案",
                                           "青禾区档案局关于印发《青禾区档案局2024年政务公开工作方案》的通知")
                            + lead + BODY)
    assert notice.title == "青禾区档案局2024年政务公开工作方案"
