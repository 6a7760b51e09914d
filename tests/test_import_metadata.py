"""A plan's title, year, 文号 and issuer in the shapes pages give them: titles of other genres or
without a year, a notice that is itself the plan, 文号 in field tables, heading lines and PDF
spacing, and the issuing body written out in full somewhere other than the site's field.

The documents are small ones written for these tests; the tasks must read the same whatever the
front matter looks like.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from gktrack.features.importer.plan import derive_plan_id


def plan_id(plan) -> str:
    return derive_plan_id(plan.title, plan.year, set(), issuer=plan.issuer)


def tasks(plan) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(task.text, [(unit.name, unit.role) for unit in task.units]) for task in plan.tasks]


BODY = """一、深化重点领域信息公开
1.按月公开财政收支情况,解读收支变化原因。(责任单位:县财政局)
2.及时公开政府债务限额、余额等信息。(责任单位:县财政局、县审计局)
二、加强公开平台建设
1.规范政府网站栏目设置,清理空白栏目。(责任单位:县政务服务中心)
"""
TASKS = [
    ("按月公开财政收支情况,解读收支变化原因。", [("县财政局", "responsible")]),
    ("及时公开政府债务限额、余额等信息。", [("县财政局", "responsible"), ("县审计局", "responsible")]),
    ("规范政府网站栏目设置,清理空白栏目。", [("县政务服务中心", "responsible")]),
]


def notice(number_line: str, issuer_line: str, title: str) -> str:
    """A cover notice (its heading block, addressee, sentence, signature) and the plan after it."""
    return (f"{number_line}\n{issuer_line}\n关于印发{title}的通知\n各乡镇人民政府,县政府各部门:\n"
            f"现将《{title}》印发给你们,请认真贯彻落实。\n{issuer_line}\n2019年5月6日\n{title}\n" + BODY)


# ---- titles --------------------------------------------------------------------------------------

def test_title_of_another_genre_opening_with_guanyu_and_without_a_year():
    document = ("中共石湾县委办公室石湾县人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知(石办发〔2018〕4号)\n"
                "各乡镇党委、人民政府,县直各单位:\n《关于全面推进政务公开工作的实施意见》已经县委、县人民政府同意,"
                "现印发给你们,请结合实际认真贯彻执行。\n中共石湾县委办公室\n石湾县人民政府办公室\n2018年2月3日\n"
                "关于全面推进政务公开工作的实施意见\n" + BODY)
    plan = parse_document(document)
    assert plan.title == "关于全面推进政务公开工作的实施意见"
    assert plan.doc_number == "石办发〔2018〕4号"  # in brackets after the notice's title
    assert plan.year == 2018  # no year in the title: the 文号's
    assert plan.issuer == "石湾县人民政府办公室"  # the signature's, not the joint heading run together
    assert plan.issued == dt.date(2018, 2, 3)
    assert not plan.title_from_file
    assert tasks(plan) == TASKS


def test_title_ending_in_xize_or_guiding():
    for genre in ("实施细则", "工作规定", "工作计划", "工作安排", "实施意见"):
        plan = parse_document(f"石湾县政务公开{genre}\n" + BODY)
        assert plan.title == f"石湾县政务公开{genre}" and not plan.title_from_file
        assert plan.year is None  # nothing gives one: the importer asks for --year
        assert tasks(plan) == TASKS


def test_file_name_on_a_sharing_page_is_the_title_when_nothing_better_follows():
    document = ("关于进一步做好石湾县基层政务公开工作的实施细则.docx\n"
                "《关于进一步做好石湾县基层政务公开工作的实施细则.docx》由会员分享,可在线阅读,更多相关请在某某文库上搜索。\n"
                + BODY)
    plan = parse_document(document)
    assert plan.title == "关于进一步做好石湾县基层政务公开工作的实施细则"
    assert tasks(plan) == TASKS
    # the document's own title after the file name wins, and with it its year
    own = parse_document("石湾县政务公开方案.docx\n- 上传时间:2022-12-15\n石湾县政务公开方案\n"
                         "石湾县2021年政务公开工作方案\n" + BODY)
    assert own.title == "石湾县2021年政务公开工作方案" and own.year == 2021
    assert tasks(own) == TASKS


def test_a_page_widget_line_is_not_the_first_half_of_the_title():
    plan = parse_document("不能读取语音阅读器\n石湾县财政局政务公开工作规定\n文章来源:石湾县财政局 | 发布日期:2018年06月19日\n"
                          + BODY)
    assert plan.title == "石湾县财政局政务公开工作规定"
    assert plan.year == 2018
    assert tasks(plan) == TASKS


def test_a_signature_with_its_date_on_one_line_is_not_glued_to_the_title():
    # a PDF copy: the notice's signature and its date on one line, spaces inside the date
    document = ("各乡镇人民政府,县直各单位:\n《2021年石湾县政务公开工作要点》已经县政府同意,现印发给你们,请认真贯彻落实。\n"
                "石湾县人民政府办公室 2021 年6 月 1 日\n2021年石湾县政务公开工作要点\n" + BODY)
    plan = parse_document(document)
    assert plan.title == "2021年石湾县政务公开工作要点"
    assert plan.issuer == "石湾县人民政府办公室"
    assert plan.issued == dt.date(2021, 6, 1)
    assert tasks(plan) == TASKS


def test_a_plans_own_signature_with_its_date_on_one_line_ends_the_plan():
    plan = parse_document("石湾县2021年政务公开工作要点\n" + BODY + "石湾县人民政府办公室 2021年6月1日\n")
    assert tasks(plan) == TASKS  # the signature is no task
    assert plan.issuer == "石湾县人民政府办公室" and plan.issued == dt.date(2021, 6, 1)
    assert not any("中断" in message for _, message in plan.warnings)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["• 依申请公开", "· 政府信息公开年报", "» 规划计划", "> 政策解读",
                                 "政务公开 > 政府信息公开", "首页 » 计划总结", "石湾县人民政府办公室 2021年6月1日",
                                 "2021 年 6 月 1 日", "石湾县人民政府办公室"]), min_size=1, max_size=3))
def test_navigation_signature_and_date_lines_never_join_the_title(above):
    # the site's menu, a breadcrumb, a signature or a date just above a title that starts with its year
    plan = parse_document("\n".join(above) + "\n2021年石湾县政务公开工作要点\n" + BODY)
    assert plan.title == "2021年石湾县政务公开工作要点"
    assert tasks(plan) == TASKS


def test_a_column_tag_before_the_title_is_dropped_and_the_title_names_the_issuer():
    plan = parse_document("【政务公开任务分工】石湾县残疾人联合会2024年政务公开重点工作任务分工\n" + BODY)
    assert plan.title == "石湾县残疾人联合会2024年政务公开重点工作任务分工"
    assert plan.issuer == "石湾县残疾人联合会"
    assert plan.year == 2024 and plan_id(plan) == "sw2024"
    assert tasks(plan) == TASKS
    # a title opening with a verb names no issuer
    verb = parse_document("贯彻落实某省政府办公厅2022年政务公开工作要点任务分工\n" + BODY)
    assert verb.issuer is None


def test_a_notice_that_is_itself_the_plan_keeps_its_own_title():
    document = ("索 引 号 文号\n发布机构 生成日期\n"
                "标题 石湾县人民政府办公室关于贯彻落实《2020年政务公开工作要点》的通知 有效性 有效\n"
                "石湾县人民政府办公室关于贯彻落实《2020年政务公开工作要点》的通知\n发布日期:2020-09-10\n"
                "各乡镇人民政府,县直各有关单位:\n现就贯彻落实上级政务公开工作要点,提出以下任务:\n"
                "1.按月公开财政收支情况,解读收支变化原因。(责任单位:县财政局)\n"
                "2.规范政府网站栏目设置,清理空白栏目。(责任单位:县政务服务中心)\n")
    plan = parse_document(document)
    assert plan.title == "石湾县人民政府办公室关于贯彻落实《2020年政务公开工作要点》的通知"
    assert not plan.title_from_file
    assert plan.issuer == "石湾县人民政府办公室"  # not "标题石湾县…": the field's bare label is left out
    assert plan.year == 2020  # the page's date: the quoted plan's year is not this plan's
    assert tasks(plan) == [TASKS[0], TASKS[2]]


# ---- 文号 -------------------------------------------------------------------------------------------

def test_bracketed_field_table_gives_number_date_and_the_full_issuer():
    document = ("[ 索引号 ] | 11500228008652038C/2021-00151 | [ 发文字号 ] | 石府办发〔2021〕37号 | ||||\n"
                "[ 发布机构 ] | 石湾县政府办公室 | ||||||\n"
                "[ 发布日期 ] | 2021-06-03 | [ 成文日期 ] | 2021-06-02 |\n"
                "云岭省石湾县人民政府办公室\n关于印发石湾县2021年政务公开任务清单的通知\n"
                "各乡镇人民政府,县政府各部门:\n现将《石湾县2021年政务公开任务清单》印发给你们,请抓好贯彻落实。\n"
                "石湾县2021年政务公开任务清单\n" + BODY)
    plan = parse_document(document)
    assert plan.doc_number == "石府办发〔2021〕37号"  # never the 索引号
    assert plan.issued == dt.date(2021, 6, 2)
    assert plan.issuer == "云岭省石湾县人民政府办公室"  # the heading's full name, not the field's short one
    assert plan.title == "石湾县2021年政务公开任务清单" and plan_id(plan) == "sw2021"
    assert tasks(plan) == TASKS


def test_file_number_field_and_a_signature_over_a_mangled_date():
    document = ("索引号: 11330800002618015K/2021-125713 成文日期: 2021-07-08\n"
                "发布机构: 市政府办公室 公开方式: 主动公开\n"
                "文件编号: 云政办发〔2021〕13号 统一编号:\n"
                "关于印发云溪市2021年政务公开工作要点的通知\n各县(市、区)人民政府,市政府各部门:\n"
                "《云溪市2021年政务公开工作要点》已经市政府同意,现印发给你们,请认真贯彻执行。\n"
                "云溪市人民政府办公室\n202178\n(此件公开发布)\n云溪市2021年政务公开工作要点\n" + BODY)
    plan = parse_document(document)
    assert plan.doc_number == "云政办发〔2021〕13号"
    assert plan.issuer == "云溪市人民政府办公室"  # the signature writes out the field's "市政府办公室"
    assert plan.issued == dt.date(2021, 7, 8)
    assert plan.title == "云溪市2021年政务公开工作要点" and plan_id(plan) == "yx2021"
    assert tasks(plan) == TASKS


def test_a_publishing_unit_field_names_the_issuer_when_nothing_else_does():
    """"发布单位:" and "发布机关:" are a page's field like "发布机构:": the issuer when no
    signature, notice or title names one; a signature still wins over the page's field."""
    for head in ("发布单位:青石县财政局\n发布日期:2021-03-02\n", "发布机关: 青石县财政局 发布日期: 2021-03-02\n"):
        plan = parse_document(head + "2021年政务公开工作要点\n" + BODY)
        assert (plan.issuer, plan.issued) == ("青石县财政局", dt.date(2021, 3, 2))
        assert tasks(plan) == TASKS
    signed = parse_document("发布单位:县政府办公室\n" + notice("青政办发〔2021〕3号", "青石县人民政府办公室",
                                                              "青石县2021年政务公开工作要点"))
    assert signed.issuer == "青石县人民政府办公室"


def test_number_opening_a_heading_line_with_pdf_spacing():
    plan = parse_document(notice("石政办字〔 2019 〕 33 号", "石湾县人民政府办公室", "石湾县2019年政务公开工作任务分解表"))
    assert plan.doc_number == "石政办字〔2019〕33号"
    assert plan.issuer == "石湾县人民政府办公室"
    assert plan.year == 2019
    assert tasks(plan) == TASKS
    # a sharing page's title line "文号:关于印发…的通知.pdf", and the heading run into one line
    document = ("石政办字〔2019〕33号:关于印发石湾县2019年政务公开工作任务分解表的通知.pdf\n"
                "石政办字〔2019〕33 号 石湾县人民政府办公室 关于印发石湾县 2019 年政务公开工作任务分解表的通知\n"
                "各乡镇人民政府,县政府有关部门:\n现将《石湾县2019年政务公开工作任务分解表》印发给你们,请认真抓好贯彻落实。\n"
                "石湾县2019年政务公开工作任务分解表\n" + BODY)
    page = parse_document(document)
    assert (page.doc_number, page.issuer) == ("石政办字〔2019〕33号", "石湾县人民政府办公室")
    assert page.title == "石湾县2019年政务公开工作任务分解表"
    assert tasks(page) == TASKS


def test_a_number_cited_in_a_sentence_is_not_the_plans():
    document = ("为深入贯彻落实某省人民政府办公厅关于印发2018年全省政务公开工作要点的通知(某政办发〔2018〕35号)精神,"
                "结合本县实际,制定本方案。\n" + BODY)
    plan = parse_document("石湾县2018年政务公开工作方案\n" + document)
    assert plan.doc_number is None
    assert plan.issuer is None  # "为深入贯彻落实某省人民政府办公厅" is a sentence, not a body
    assert tasks(plan) == TASKS


VARIANT = st.tuples(
    st.sampled_from(["", " ", "  "]),            # after the issuer's abbreviation
    st.sampled_from(["〔〕", "[]", "()", "()", "【】", "﹝﹞"]),
    st.sampled_from(["", " "]),                  # inside the brackets, before the year
    st.sampled_from(["", " "]),                  # inside the brackets, after the year
    st.sampled_from(["", " "]),                  # after the closing bracket
    st.sampled_from(["", "第", "第 "]),
    st.sampled_from(["", " ", "  "]),            # before 号
)


@settings(max_examples=60, deadline=None)
@given(VARIANT, st.integers(min_value=2015, max_value=2030), st.integers(min_value=1, max_value=999))
def test_number_spacing_and_brackets_always_read_the_same(variant, year, serial):
    space1, brackets, space2, space3, space4, di, space5 = variant
    written = f"石政办发{space1}{brackets[0]}{space2}{year}{space3}{brackets[1]}{space4}{di}{serial}{space5}号"
    want = f"石政办发〔{year}〕{serial}号"
    labelled = parse_document(f"发文字号: {written}\n石湾县{year}年政务公开工作要点\n" + BODY)
    assert labelled.doc_number == want
    assert labelled.year == year
    heading = parse_document(notice(written, "石湾县人民政府办公室", f"石湾县{year}年政务公开工作要点"))
    assert heading.doc_number == want
    assert heading.issuer == "石湾县人民政府办公室"
    assert tasks(heading) == TASKS


# ---- issuers --------------------------------------------------------------------------------------

def test_site_name_line_and_breadcrumb_give_the_issuer_when_nothing_else_does():
    site = parse_document("石湾县人民政府 www.shiwan.gov.cn 发布时间: 2022-07-24 16:50 【字体:\n"
                          "石湾县2022年政务公开工作要点\n" + BODY)
    assert site.issuer == "石湾县人民政府" and plan_id(site) == "sw2022"
    assert tasks(site) == TASKS
    crumb = parse_document("石湾县政府信息公开专栏 >> 石湾县人民政府办公室 >> 政府信息公开制度\n"
                           "石湾县2019年政务公开工作要点\n" + BODY)
    assert crumb.issuer == "石湾县人民政府办公室"
    assert tasks(crumb) == TASKS
    # a site's own sections are no bodies
    menu = parse_document("首页 > 文章中心 > 正文\n石湾县2019年政务公开工作要点\n" + BODY)
    assert menu.issuer is None


def test_a_field_label_run_into_the_notice_title_is_not_part_of_the_issuer():
    document = ("文件名称 石湾县人民政府办公室关于印发《石湾县2021年政务公开工作任务分解一览表》的通知\n"
                "发布机构: 县政府办公室\n各乡镇人民政府,县政府各部门:\n"
                "现将《石湾县2021年政务公开工作任务分解一览表》印发给你们,请认真贯彻落实。\n"
                "石湾县人民政府办公室\n2021年4月23日\n石湾县2021年政务公开工作任务分解一览表\n" + BODY)
    plan = parse_document(document)
    assert plan.issuer == "石湾县人民政府办公室"
    assert plan.issued == dt.date(2021, 4, 23)
    assert tasks(plan) == TASKS


def test_the_issuer_is_read_from_a_title_that_opens_with_the_year():
    body = "\n一、深化主动公开\n(一)按季度公开预算执行情况。(预算科)"
    plan = parse_document("2020年临川市人力资源和社会保障局政务公开工作要点" + body)
    assert (plan.issuer, plan.year) == ("临川市人力资源和社会保障局", 2020)
    assert parse_document("临川市残疾人联合会2024年政务公开工作要点" + body).issuer == "临川市残疾人联合会"
    # no body named: nothing is made up
    assert parse_document("2020年政务公开工作要点" + body).issuer is None
