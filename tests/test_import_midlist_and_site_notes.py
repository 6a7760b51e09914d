"""The order of a document's numbering levels (一、 above (一) above 1. above (1)), at the importer:
an excerpt that starts inside a list ("(二)…" with its "二、" cut off) keeps "三、" as the part it is,
and a run "1、" "2、" "3、" before the plan's first part "一、" (a document-sharing page's notes) is
not the plan's.

The documents are small ones written for these tests, in the shapes real excerpts have.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

CN = "一二三四五六七八九"


def rows(plan) -> list[tuple[str | None, str | None, str]]:
    """(section title, task number, task text) of every task."""
    titles = {s.key: s.title for s in plan.sections}
    return [(titles.get(t.section or ""), t.number, t.text) for t in plan.tasks]


def said(plan, *parts: str) -> bool:
    return any(all(p in message for p in parts) for _, message in plan.warnings)


# ---- an excerpt that starts inside a list ----------------------------------------------------

MIDLIST = [
    "(二)健全申请办理会商制度。对疑难申请集中研究,统一答复口径。",
    "(三)做好申请案卷归档。按年度整理办理案卷,总结常见问题。",
    "三、办好门户网站",
    "以门户网站为第一平台,持续优化栏目设置。",
    "(一)优化办事服务栏目。梳理高频事项,提供一站式指引。",
    "(二)规范信息发布流程。落实三审制度,确保发布准确。",
]


def test_an_excerpt_starting_at_a_second_level_item_keeps_the_first_level_part():
    plan = parse_document("\n".join(MIDLIST), year=2024)
    assert [(s.number, s.title) for s in plan.sections] == [("三、", "办好门户网站")]
    assert rows(plan) == [
        (None, "(二)", "健全申请办理会商制度。对疑难申请集中研究,统一答复口径。"),
        (None, "(三)", "做好申请案卷归档。按年度整理办理案卷,总结常见问题。"),
        ("办好门户网站", "(一)", "优化办事服务栏目。梳理高频事项,提供一站式指引。"),
        ("办好门户网站", "(二)", "规范信息发布流程。落实三审制度,确保发布准确。"),
    ]
    assert said(plan, "“(二)”前面没有它的上一级标题")


def test_the_same_items_under_their_part_are_read_the_same_way():
    plan = parse_document("\n".join(["二、依申请公开"] + MIDLIST), year=2024)
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "依申请公开"), ("三、", "办好门户网站")]
    assert [(number, text) for _, number, text in rows(plan)] == \
        [(number, text) for _, number, text in rows(parse_document("\n".join(MIDLIST), year=2024))]
    assert not said(plan, "上一级标题")


def test_a_first_level_heading_without_intro_is_never_a_task_under_an_item():
    plan = parse_document("\n".join(MIDLIST[:3] + MIDLIST[4:]), year=2024)
    assert [t.number for t in plan.tasks] == ["(二)", "(三)", "(一)", "(二)"]
    assert [s.number for s in plan.sections] == ["三、"]


def test_a_text_that_starts_its_lists_at_one_keeps_the_order_it_writes():
    # "1." parts with "(一)" items below them: unusual, but written whole, so read as written
    plan = parse_document("\n".join([
        "1.加强政策解读",
        "(一)同步解读重要政策。解读材料与文件同步发布。(区司法局负责)",
        "(二)解读形式多样化。运用图表和短视频解读。(区融媒体中心负责)",
        "2.回应社会关切",
        "(一)及时回应热点问题。舆情发生后及时发布权威信息。(区委宣传部负责)",
    ]), year=2024)
    assert [(s.number, s.title) for s in plan.sections] == [("1.", "加强政策解读"), ("2.", "回应社会关切")]
    assert [(section, number) for section, number, _ in rows(plan)] == [
        ("加强政策解读", "(一)"), ("加强政策解读", "(二)"), ("回应社会关切", "(一)")]
    assert not said(plan, "上一级标题")


def test_a_cut_item_with_items_below_it_heads_them():
    plan = parse_document("\n".join([
        "(四)推进决策公开",
        "1.公开重大决策草案。征求意见不少于三十日。(区司法局负责)",
        "2.公开决策执行情况。(区府办负责)",
        "五、加强组织保障",
        "(一)纳入年度考核。将公开工作纳入绩效考核。(区委督查室负责)",
    ]), year=2024)
    assert [(s.key, s.number, s.title) for s in plan.sections] == [
        ("1", "(四)", "推进决策公开"), ("2", "五、", "加强组织保障")]
    assert [(t.section, t.number, [u.name for u in t.units]) for t in plan.tasks] == [
        ("1", "1.", ["区司法局"]), ("1", "2.", ["区府办"]), ("2", "(一)", ["区委督查室"])]


@settings(max_examples=25, deadline=None)
@given(first=st.integers(1, 5), before=st.integers(1, 3), part=st.integers(2, 8), after=st.integers(1, 3),
       intro=st.booleans())
def test_property_items_before_their_first_part_stay_tasks(first, before, part, after, intro):
    lines = [f"({CN[first + k - 1]})完成第{k + 1}项前期工作。按要求推进落实。" for k in range(before)]
    lines.append(f"{CN[part]}、做好网站管理")
    if intro:
        lines.append("以网站为第一平台,持续优化栏目。")
    lines += [f"({CN[k]})完成第{k + 1}项网站工作。按要求推进落实。" for k in range(after)]
    plan = parse_document("\n".join(lines), year=2024)
    assert [(s.number, s.title) for s in plan.sections] == [(f"{CN[part]}、", "做好网站管理")]
    assert len(plan.tasks) == before + after
    assert all(t.text.endswith("按要求推进落实。") for t in plan.tasks)  # no item's body dropped
    assert [t.section is None for t in plan.tasks] == [True] * before + [False] * after


# ---- numbered notes before the plan's first part ---------------------------------------------

PLAN = [
    "一、指导思想",
    "坚持以公开促落实,全面提升工作水平。",
    "二、重点任务",
    "(一)公开机构职能",
    "公开本单位内设机构及其职责。",
    "责任部门:办公室",
    "(二)公开规章文件",
    "梳理公开现行有效的规范性文件。",
    "牵头单位:法规科",
    "责任单位:各业务科室",
]
NOTES = [
    "- 1、本页内容由用户上传,仅供浏览参考,请核对后使用。",
    "- 2、预览页只显示部分内容,完整内容请查看原件。",
    "- 3、如有侵权请告知站点管理员处理。",
]


def test_numbered_site_notes_after_the_title_are_not_sections():
    plain = parse_document("\n".join(["某市档案局2024年政务公开工作实施方案"] + PLAN))
    plan = parse_document("\n".join(["某市档案局2024年政务公开工作实施方案"] + NOTES + PLAN))
    assert plan.title == plain.title == "某市档案局2024年政务公开工作实施方案"
    # (一)(二): a heading line, its body and its own unit lines, each one task
    assert [(s.number, s.title) for s in plan.sections] == [(s.number, s.title) for s in plain.sections] == [
        ("二、", "重点任务")]
    assert [(t.text, [(u.name, u.role) for u in t.units]) for t in plan.tasks] == [
        ("公开机构职能\n公开本单位内设机构及其职责。", [("办公室", "responsible")]),
        ("公开规章文件\n梳理公开现行有效的规范性文件。", [("法规科", "lead"), ("各业务科室", "responsible")]),
    ]
    assert said(plan, "第2–4行", "未作为任务")
    assert not any("-" == t.text or "本页" in t.text for t in plan.tasks)


def test_notes_then_the_documents_own_title_and_lead_are_no_tasks():
    plan = parse_document("\n".join(["某市档案局关于推进政务公开工作的实施方案"] + NOTES + [
        "关于推进全市档案系统政务公开工作的实施方案",
        "为提升工作透明度,结合实际,制定本方案。",
    ] + PLAN), year=2024)
    assert plan.title == "某市档案局关于推进政务公开工作的实施方案"
    assert [s.number for s in plan.sections] == ["二、"]
    assert [t.text for t in plan.tasks] == ["公开机构职能\n公开本单位内设机构及其职责。", "公开规章文件\n梳理公开现行有效的规范性文件。"]
    assert said(plan, "导语段落不是任务", "关于推进全市档案系统政务公开工作的实施方案")  # reported, not dropped


def test_a_list_the_first_part_does_not_continue_is_left_as_it_was():
    # "一、" alone after the run (no "二、"): nothing shows the run stands outside the plan
    text = "\n".join(["某市档案局2024年政务公开工作实施方案"] + [n.removeprefix("- ") for n in NOTES] + PLAN[:2])
    plan = parse_document(text)
    assert not said(plan, "另行编号的条目")


@settings(max_examples=25, deadline=None)
@given(count=st.integers(2, 5), dash=st.booleans(), style=st.sampled_from(["{n}、", "{n}.", "({n})"]))
def test_property_notes_before_the_first_part_never_reach_the_plan(count, dash, style):
    notes = [("- " if dash else "") + style.format(n=n + 1) + f"站点说明第{n + 1}条,与文档内容无关。"
             for n in range(count)]
    plan = parse_document("\n".join(["某市档案局2024年政务公开工作实施方案"] + notes + PLAN))
    plain = parse_document("\n".join(["某市档案局2024年政务公开工作实施方案"] + PLAN))
    assert rows(plan) == rows(plain)
    assert [(s.key, s.number, s.title) for s in plan.sections] == [(s.key, s.number, s.title) for s in plain.sections]
    assert not any("站点说明" in t.text or "站点说明" in s.title for t in plan.tasks for s in plan.sections)


def test_notes_with_no_title_above_them_are_reported_once():
    plan = parse_document("\n".join(NOTES + PLAN), year=2024)
    assert [t.text for t in plan.tasks] == ["公开机构职能\n公开本单位内设机构及其职责。", "公开规章文件\n梳理公开现行有效的规范性文件。"]
    assert [message for _, message in plan.warnings if "未作为任务" in message and "第1–3行" in message] == [
        "第1–3行是正文第一部分之前另行编号的条目(网页或通知的说明),未作为任务"]


def test_notes_under_the_pages_fields_are_left_out_with_the_fields():
    # a sharing page: the file's name, its fields and buttons, "温馨提示:", then the numbered notes
    fields = ["某市档案局2024年政务公开工作实施方案.doc", "下载文档", "编号:778201", "页数:5页", "格式:DOC",
              "收藏 转发", "温馨提示:"]
    notes = ["1. 预览页只显示部分内容,下载后查看完整内容。", "2. 本页文档由用户上传,如有侵权请联系站点处理。",
             "3. 付费后仍未下载成功的,请联系站点人员。"]
    plan = parse_document("\n".join(fields + notes + PLAN))
    plain = parse_document("\n".join(["某市档案局2024年政务公开工作实施方案"] + PLAN))
    assert rows(plan) == rows(plain)
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "重点任务")]
    assert said(plan, "第2–10行", "另行编号的条目", "未作为任务")


def test_a_plans_lead_before_its_numbered_items_is_not_a_page_field():
    # the lead is a sentence: the "1、" items after it stay the plan's own, as before
    lead = "为做好本年度政务公开工作,结合实际,制定本方案。"
    items = ["1、及时更新政府信息公开指南。(责任部门:办公室)", "2、做好年度报告的编制发布。(责任部门:综合科)"]
    text = "\n".join(["某市档案局2024年政务公开工作实施方案", lead] + items + ["一、其他事项", "二、有关说明"])
    plan = parse_document(text)
    assert "及时更新政府信息公开指南。" in [t.text for t in plan.tasks]
    assert not said(plan, "另行编号的条目")
