"""A web-page excerpt that stops before the plan's tasks: only the cover notice, or only the plan's
introduction (总体要求、工作目标…). Nothing in it is a task, and the importer says why; the front
matter (title, year, issuer, 文号, dates) is still read. A notice followed by a real numbered task
list keeps importing it. And a document-sharing site's banner under the last task is not its text.

The documents are small ones written for these tests, in the shapes real pages take.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document


def texts(plan) -> list[str]:
    return [task.text for task in plan.tasks]


def messages(plan) -> list[str]:
    return [message for _, message in plan.warnings]


def said(plan, *words: str) -> bool:
    return any(all(word in message for word in words) for message in messages(plan))


NOTICE_HEAD = """索引号:000012345/2023-00088
发布机构:县政府办公室
白鹭县人民政府办公室
关于印发白鹭县2023年政务公开工作要点的通知
白府办发〔2023〕9号
各乡镇人民政府,县政府各部门、各直属机构:
现将《白鹭县2023年政务公开工作要点》印发给你们,并提出如下工作要求,请认真抓好落实。
"""
NOTICE_ITEMS = """一、提高认识
各乡镇、各部门要把政务公开摆上重要议事日程,主要负责同志要亲自过问。
二、压实责任
各单位要对照工作要点逐项细化分工,明确专人负责,确保按时完成。
三、加强督查
县政务公开办将定期通报各单位落实情况,通报结果纳入年度考核,各单位要于6月30日前报送进展情"""


def assert_front_matter(plan) -> None:
    assert plan.title == "白鹭县2023年政务公开工作要点"
    assert plan.year == 2023
    assert plan.issuer == "白鹭县人民政府办公室"
    assert plan.doc_number == "白府办发〔2023〕9号"


# ---- only the cover notice ----------------------------------------------------------------------

def test_notice_cut_inside_its_own_requests_gives_no_tasks_but_its_front_matter():
    plan = parse_document(NOTICE_HEAD + NOTICE_ITEMS)
    assert plan.tasks == [] and plan.sections == []
    assert_front_matter(plan)
    assert said(plan, "只有印发计划的通知", "编号段落是对收文单位的要求", "文号")
    # the notice's own deadline is reported, not imported
    assert said(plan, "印发通知中提到时限", "6月30日前")
    assert not said(plan, "没有找到任何任务")


def test_notice_with_signature_date_and_close_mark_then_nothing():
    document = (NOTICE_HEAD + NOTICE_ITEMS + "况。\n白鹭县人民政府办公室\n2023年4月2日\n(此件公开发布)\n"
                "版权所有:白鹭县人民政府\n")
    plan = parse_document(document)
    assert plan.tasks == []
    assert_front_matter(plan)
    assert plan.issued == dt.date(2023, 4, 2)
    assert said(plan, "只有印发计划的通知", "日期")


def test_notice_without_paragraphs_of_its_own_says_so_without_mentioning_them():
    document = ("白鹭县人民政府办公室关于印发白鹭县2023年政务公开工作要点的通知\n各乡镇人民政府,县政府各部门:\n"
                "《白鹭县2023年政务公开工作要点》已经县政府同意,现印发给你们,请认真贯彻执行。\n"
                "白鹭县人民政府办公室\n2023年4月2日\n")
    plan = parse_document(document)
    assert plan.tasks == []
    assert plan.issuer == "白鹭县人民政府办公室" and plan.issued == dt.date(2023, 4, 2)
    assert said(plan, "只有印发计划的通知") and not said(plan, "编号段落")


def test_notice_then_numbered_tasks_with_units_still_imports_them():
    document = (NOTICE_HEAD.replace(",并提出如下工作要求", "")
                + "1.每月公开县级财政收支情况。(责任单位:县财政局)\n"
                  "2.及时公开政府债务限额和余额。(牵头单位:县财政局;配合单位:县审计局)\n"
                  "3.规范政府网站栏目设置。\n县政务服务中心负责\n")
    plan = parse_document(document)
    assert texts(plan) == ["每月公开县级财政收支情况。", "及时公开政府债务限额和余额。", "规范政府网站栏目设置。"]
    assert [[(unit.name, unit.role) for unit in task.units] for task in plan.tasks] == [
        [("县财政局", "responsible")], [("县财政局", "lead"), ("县审计局", "support")],
        [("县政务服务中心", "responsible")]]
    assert_front_matter(plan)  # the notice above the list is read as front matter
    assert not said(plan, "只有印发计划的通知")


def test_notice_announcing_no_points_of_its_own_then_a_flat_list_imports_it():
    document = (NOTICE_HEAD.replace(",并提出如下工作要求,请认真抓好落实", ",请认真贯彻执行")
                + "1.每月公开县级财政收支情况。\n2.及时公开政府债务信息。\n3.规范政府网站栏目设置。\n")
    plan = parse_document(document)
    assert texts(plan) == ["每月公开县级财政收支情况。", "及时公开政府债务信息。", "规范政府网站栏目设置。"]
    assert_front_matter(plan)
    assert not said(plan, "只有印发计划的通知")


def test_notice_then_plan_body_in_two_levels_without_units_still_imports_it():
    document = (NOTICE_HEAD.replace(",并提出如下工作要求", "")
                + "一、深化重点领域公开\n(一)财政信息\n1.每月公开县级财政收支情况。\n2.及时公开政府债务信息。\n"
                  "二、加强平台建设\n1.规范政府网站栏目设置。\n")
    plan = parse_document(document)
    assert texts(plan) == ["每月公开县级财政收支情况。", "及时公开政府债务信息。", "规范政府网站栏目设置。"]
    assert [s.title for s in plan.sections if "." not in s.key] == ["深化重点领域公开", "加强平台建设"]
    assert plan.title == "白鹭县2023年政务公开工作要点"


# ---- only the plan's introduction -----------------------------------------------------------------

PREAMBLE = """一、总体要求
坚持以人民为中心,全面推进决策、执行、管理、服务、结果公开,持续提升政务公开质量。
二、工作目标
到2023年底,政务公开标准目录全面落地,基层公开事项全部实现标准化。
三、基本原则
坚持依法公开、需求导向、便民高效,做到应公开尽公开,切实保障群众"""


def test_plan_title_and_preamble_only_gives_no_tasks_and_names_the_parts():
    plan = parse_document("白鹭县2023年政务公开工作要点\n为推进政务公开,结合本县实际,制定本要点。\n" + PREAMBLE)
    assert plan.tasks == []
    assert plan.title == "白鹭县2023年政务公开工作要点" and plan.year == 2023
    assert said(plan, "只有方案的总体说明(总体要求、工作目标、基本原则)", "没有任务部分")
    assert not any("2023年底" in task.text for task in plan.tasks)
    assert all(task.deadline == [] for task in plan.tasks)


def test_notice_then_plan_title_then_preamble_only():
    document = (NOTICE_HEAD + "白鹭县人民政府办公室\n2023年4月2日\n(此件公开发布)\n白鹭县2023年政务公开工作要点\n"
                + PREAMBLE)
    plan = parse_document(document)
    assert plan.tasks == []
    assert_front_matter(plan)
    assert plan.issued == dt.date(2023, 4, 2)
    assert said(plan, "只有方案的总体说明(总体要求、工作目标、基本原则)", "发文单位、文号、日期")
    assert not said(plan, "只有印发计划的通知")


def test_preamble_parts_as_items_of_a_heading_are_no_tasks():
    document = ("白鹭县2023年政务公开实施方案\n一、把握总体要求,明确工作目标\n"
                "(一)总体要求。坚持以公开为常态、不公开为例外,推进五公开。\n"
                "(二)工作目标。到2025年,全县政务公开工作总体水平迈上新台阶,公开内容覆盖权力运行全流程。\n")
    plan = parse_document(document)
    assert plan.tasks == []
    assert said(plan, "只有方案的总体说明(总体要求、工作目标)")


def test_preamble_before_a_real_task_part_is_skipped_as_before():
    document = ("白鹭县2023年政务公开工作要点\n" + PREAMBLE + "权益。\n四、主要任务\n"
                "1.每月公开县级财政收支情况。(责任单位:县财政局)\n2.规范政府网站栏目设置。(责任单位:县政府办)\n")
    plan = parse_document(document)
    assert texts(plan) == ["每月公开县级财政收支情况。", "规范政府网站栏目设置。"]
    assert [s.title for s in plan.sections] == ["主要任务"]
    assert not said(plan, "只有方案的总体说明")


def test_part_title_run_into_its_text_after_a_space():
    # a page that lost its line breaks: "一、总体要求 2023年是…" — the title is the part's name
    document = ("白鹭县2023年政务公开工作要点\n一、总体要求 2023年是全面贯彻落实党的二十大精神的开局之年,"
                "做好全年政务公开工作要以公开促落实。\n二、主要任务\n(一)深化财政信息公开\n"
                "1、每月公开县级财政收支情况。(责任单位:县财政局)\n")
    plan = parse_document(document)
    assert texts(plan) == ["每月公开县级财政收支情况。"]
    assert [s.title for s in plan.sections] == ["主要任务", "深化财政信息公开"]
    assert said(plan, "“总体要求”是方案的总体说明")


# ---- property: a notice's own numbered requests are never tasks ------------------------------------

_REQUEST_TITLES = st.sampled_from(["提高思想认识", "加强组织领导", "压实工作责任", "强化督促检查", "抓好贯彻落实",
                                   "严格审核把关", "注重宣传引导"])
_REQUEST_SENTENCES = st.sampled_from([
    "各乡镇、各部门要高度重视,切实把政务公开工作摆上重要位置。",
    "各单位要对照任务分工,逐项细化措施,明确时间节点。",
    "主要负责同志要亲自过问,分管负责同志要具体抓。",
    "县政务公开办将适时开展督查,并通报督查结果。",
    "各单位要严格落实信息发布审查制度,防止泄露国家秘密。",
    "请于每季度末将工作进展情况报县政务公开办。",
])
_NUMBERING = st.sampled_from([("一二三四五六", "{}、"), ("一二三四五六", "({})"), ("123456", "{}."), ("123456", "{}、")])
_CLOSINGS = st.sampled_from(["", "白鹭县人民政府办公室\n2023年4月2日\n", "白鹭县人民政府办公室\n2023年4月2日\n(此件公开发布)\n"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_REQUEST_TITLES, st.lists(_REQUEST_SENTENCES, min_size=1, max_size=3), st.booleans()),
                min_size=1, max_size=6),
       _NUMBERING, _CLOSINGS, st.booleans())
def test_a_notices_numbered_requests_never_become_tasks(items, numbering, closing, cut):
    digits, form = numbering
    lines = []
    for position, (title, sentences, own_line) in enumerate(items):
        number = form.format(digits[position])
        if own_line:  # the request's title on its own line, its text below
            lines += [number + title, "".join(sentences)]
        else:
            lines.append(number + title + "。" + "".join(sentences))
    text = "\n".join(lines)
    if cut and not closing:
        text = text[:-3]  # the excerpt stops mid-sentence
    plan = parse_document(NOTICE_HEAD + text + "\n" + closing)
    assert plan.tasks == []
    assert_front_matter(plan)
    assert said(plan, "只有印发计划的通知")


# ---- a document-sharing site's banner under the last task ------------------------------------------

PLAN_END = """白鹭县2023年政务公开工作要点
一、深化重点领域公开
1.每月公开县级财政收支情况。(责任单位:县财政局)
2.公开惠企政策,并提供申报表格下载服务,方便企业在线办理相关"""


def test_site_banner_under_the_last_task_is_cut_off_and_reported():
    for banner in ("消耗 2 篇素材配额,会员有效期内无限次查看", "下载后继续阅读", "登录 | 注册",
                   "开通会员即可查看全文"):
        plan = parse_document(PLAN_END + "\n" + banner + "\n")
        assert texts(plan)[-1] == "公开惠企政策,并提供申报表格下载服务,方便企业在线办理相关", banner
        assert said(plan, "文末的落款、抄送或网页信息", banner[:8]), banner
        # the text really stops mid-task: that is what the user is told, not the banner
        assert said(plan, "文档在此处中断", "方便企业在线办理相关"), banner


def test_a_last_task_that_mentions_downloads_is_kept():
    plan = parse_document(PLAN_END + "\n3.开设政策文件下载专区\n")
    assert texts(plan)[-1] == "开设政策文件下载专区"
    plan = parse_document(PLAN_END + "\n各类表格均提供下载。\n")
    assert texts(plan)[-1].endswith("在线办理相关\n各类表格均提供下载。")


def test_a_number_where_the_excerpt_stops_is_no_task():
    plan = parse_document("青石县2024年政务公开工作要点\n一、深化重点领域信息公开\n"
                          "(一)做好财政预决算公开。按规定公开部门预决算。(县财政局负责)\n"
                          "(二)做好重大项目信息公开。及时公开项目进展。(县发改局负责)\n(三)")
    assert texts(plan) == ["做好财政预决算公开。按规定公开部门预决算。", "做好重大项目信息公开。及时公开项目进展。"]
    assert said(plan, "只有编号“(三)”", "未导入")


def test_importing_an_excerpt_without_tasks_writes_nothing(plans_repo, tmp_path):
    # an empty plan under the notice's id would stand in the way of the whole document later
    path = tmp_path / "通知节选.txt"
    path.write_text(NOTICE_HEAD + NOTICE_ITEMS, encoding="utf-8")
    line = plans_repo.fail("import", str(path), code=2)
    assert "“通知节选.txt”中没有找到任何任务,未导入" in line and "--dry-run" in line
    assert "只有印发计划的通知" in plans_repo.ok("import", str(path), "--dry-run")
