"""The importer on page numbers cut into the text, and on item numbers that only look like them;
and on a list whose top-level items are partly headings, partly one-sentence tasks."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

R = "responsible"


def outline(plan) -> tuple[list, list]:
    return ([(s.key, s.number, s.title) for s in plan.sections],
            [(t.section, t.number, t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks])


def marker_warnings(plan) -> list[str]:
    return [message for _, message in plan.warnings if "页码" in message]


# ---- genuine item numbers are never page markers ------------------------------------------------

def numbered_plan(opening: str, closing: str) -> str:
    """Items "1." "2." "3." under a heading without a full stop, each ending in a unit bracket."""
    return (
        "某县2024年政务公开工作要点\n"
        "一、围绕稳就业做好公开\n"
        "(一)加强政策发布\n"
        f"1.推进就业创业政策公开。及时发布各类补贴政策及申领流程,主动回应企业和群众关切的热点问题"
        f"{opening}责任单位:县人社局、财政局{closing}\n"
        f"2.建立舆情监测机制。针对涉及全县经济发展的误导信息及时发声,澄清事实,解疑释惑,引导舆论"
        f"{opening}责任单位:县发改局{closing}\n"
        f"3.推进财政收支信息公开。按月公开收支执行情况,认真解读收支增减变化情况及原因,回应社会关注"
        f"{opening}责任单位:县财政局{closing}\n"
        "二、强化保障\n"
        "各单位要明确专人负责,确保各项任务按时完成。\n"
    )


def test_items_after_a_heading_and_after_unit_brackets_of_every_kind_keep_their_numbers():
    results = {}
    for opening, closing in (("〔", "〕"), ("【", "】"), ("(", ")"), ("(", ")")):
        plan = parse_document(numbered_plan(opening, closing))
        assert not marker_warnings(plan), (opening, plan.warnings)
        assert [(s.number, s.title) for s in plan.sections] == [
            ("一、", "围绕稳就业做好公开"), ("(一)", "加强政策发布"), ("二、", "强化保障")]
        got = [(t.section, t.number, t.text[:11], [(u.name, u.role) for u in t.units]) for t in plan.tasks]
        assert got == [
            ("1.1", "1.", "推进就业创业政策公开。", [("县人社局", R), ("县财政局", R)]),
            ("1.1", "2.", "建立舆情监测机制。针对", [("县发改局", R)]),
            ("1.1", "3.", "推进财政收支信息公开。", [("县财政局", R)]),
            ("2", None, "各单位要明确专人负责,", []),
        ], opening
        assert plan.tasks[0].text.endswith("回应企业和群众关切的热点问题")
        results[opening] = outline(plan)
    # the bracket kind changes nothing
    assert len({repr(value) for value in results.values()}) == 1


def test_a_document_ending_in_a_closed_unit_bracket_is_not_cut_off():
    """"…。〔责任单位:县财政局〕" ends an item as "(…)" does: the text is whole, nothing was cut."""
    for opening, closing in (("〔", "〕"), ("【", "】"), ("(", ")")):
        text = numbered_plan(opening, closing).split("二、强化保障")[0]
        plan = parse_document(text)
        assert [t.number for t in plan.tasks] == ["1.", "2.", "3."]
        assert not any("中断" in message for _, message in plan.warnings), (opening, plan.warnings)


def test_a_page_number_cut_into_a_sentence_is_still_removed():
    """"…及申领\\n5、流程…": 5 does not continue the items (1., 2.), and the line before it stops
    mid-sentence: a page number, and the sentence is joined again."""
    text = numbered_plan("〔", "〕").replace("及时发布各类补贴政策及申领流程", "及时发布各类补贴政策及申领\n5、流程")
    plan = parse_document(text)
    assert plan.tasks[0].text.startswith("推进就业创业政策公开。及时发布各类补贴政策及申领流程,主动回应")
    assert [t.number for t in plan.tasks] == ["1.", "2.", "3.", None]
    assert marker_warnings(plan) and "“5、”" in marker_warnings(plan)[0]


# ---- a document-sharing copy: its page numbers go, its items stay -------------------------------

BANNER = "《某镇2024年政务公开工作方案.docx》由会员分享,可在线阅读,更多相关《某镇2024年政务公开工作方案.docx(3页珍藏版)》请在某某文库上搜索。"
# the plan as the site shows it: every line break lost
RUN_ON = (
    "某镇2024年政务公开工作方案 一、总体要求 以提升政务公开质量为目标,结合本镇实际,制定本方案。 "
    "二、重点任务 (一)推进决策公开。严格执行重大行政决策目录管理制度,决策草案按规定公开征求意见,"
    "涉及群众切身利益的事项须听取村民代表意见,意见采纳情况及时向社会反馈。(党政办负责) "
    "(二)推进财政信息公开。按时公开年度预算决算和三公经费,细化到功能分类项级科目,"
    "对群众关注的惠民补贴资金发放情况逐月公开,接受社会监督,确保资金使用规范透明。(财政所负责) "
    "(三)推进民生信息公开。围绕教育医疗养老等重点领域,及时公开办事指南和服务流程,"
    "在便民服务中心设置查阅点,方便群众现场查询和咨询相关信息。(便民服务中心负责) "
    "三、保障措施 各办站所要明确专人负责,确保各项任务按时完成。"
)


def shared_copy(page: int) -> str:
    """The site's copy: its banner, then pages of ``page`` characters, each numbered "N、"."""
    pages = [RUN_ON[at:at + page] for at in range(0, len(RUN_ON), page)]
    return BANNER + "\n" + "".join(f"{n}、{text}\n" for n, text in enumerate(pages, 1))


def test_the_page_numbers_of_a_document_sharing_copy_are_removed():
    page = 100
    text = shared_copy(page)
    # the pages break mid-sentence, as a site cuts them
    assert all(RUN_ON[at - 1] not in "。)" for at in range(page, len(RUN_ON), page))
    plan = parse_document(text)
    assert marker_warnings(plan)
    assert plan.title == "某镇2024年政务公开工作方案"
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "重点任务"), ("三、", "保障措施")]
    got = [(t.number, t.text, [(u.name, u.role) for u in t.units]) for t in plan.tasks]
    assert got == [
        ("(一)", "推进决策公开。严格执行重大行政决策目录管理制度,决策草案按规定公开征求意见,"
                 "涉及群众切身利益的事项须听取村民代表意见,意见采纳情况及时向社会反馈。", [("党政办", R)]),
        ("(二)", "推进财政信息公开。按时公开年度预算决算和三公经费,细化到功能分类项级科目,"
                 "对群众关注的惠民补贴资金发放情况逐月公开,接受社会监督,确保资金使用规范透明。", [("财政所", R)]),
        ("(三)", "推进民生信息公开。围绕教育医疗养老等重点领域,及时公开办事指南和服务流程,"
                 "在便民服务中心设置查阅点,方便群众现场查询和咨询相关信息。", [("便民服务中心", R)]),
        (None, "各办站所要明确专人负责,确保各项任务按时完成。", []),
    ]
    # the same as the run-on text without the site's pages
    assert outline(plan) == outline(parse_document(BANNER + "\n" + RUN_ON + "\n"))


def test_two_pages_of_a_sharing_copy_are_enough():
    """A short excerpt shows only "1、" (after the banner) and "2、" (mid-sentence)."""
    half = RUN_ON.index("涉及群众切身利益")
    text = BANNER + "\n1、" + RUN_ON[:half] + "\n2、" + RUN_ON[half:] + "\n"
    plan = parse_document(text)
    assert len(marker_warnings(plan)) == 1 and "“1、”、“2、”" in marker_warnings(plan)[0]
    assert outline(plan) == outline(parse_document(BANNER + "\n" + RUN_ON + "\n"))


def test_long_items_without_full_stops_are_no_page_chain():
    """Items "1、" "2、" "3、" under a heading, long and ending without punctuation, of different
    lengths: numbering, not pages."""
    text = ("某区2024年政务公开工作要点\n一、重点工作\n"
            "1、持续做好政府信息主动公开工作,围绕年度重点任务及时发布政策文件和解读材料,"
            "在政府网站开设专栏集中展示有关进展和成效\n"
            "2、规范依申请公开办理流程,严格按照法定时限答复\n"
            "3、加强政府网站和政务新媒体管理,定期开展内容检查,发现问题及时整改并通报结果,"
            "对长期不更新的账号依规关停整合,提升政务新媒体的服务水平和群众满意度\n")
    plan = parse_document(text)
    assert not marker_warnings(plan)
    assert [t.number for t in plan.tasks] == ["1、", "2、", "3、"]
    assert plan.tasks[1].text == "规范依申请公开办理流程,严格按照法定时限答复"


# ---- top-level items: headings and one-sentence tasks side by side -----------------------------

MIXED = """某街道2024年政务公开工作计划
一、坚持公开原则。坚持以公开为常态、不公开为例外,做到内容真实、发布及时。
二、梳理近三年本街道工作资料,编制政府信息公开指南和目录,方便群众查阅。
三、全面公开政务内容
1、对外公开内容。公开机构职能、政策文件和重点项目进展情况。
2、对内公开内容。定期公开机关财务收支和干部考核情况。
四、保障措施
五、建立投诉处理制度,依法处理群众投诉事项。
六、进一步完善便民窗口工作制度,落实窗口岗位责任,结合本街道实际做好便民服务工作,建立长效
"""


def test_a_top_level_sentence_is_a_task_even_when_siblings_have_items():
    plan = parse_document(MIXED)
    sections = [(s.number, s.title) for s in plan.sections]
    assert sections == [("一、", "坚持公开原则"), ("三、", "全面公开政务内容"), ("四、", "保障措施")]
    titles = {s.key: s.title for s in plan.sections}
    got = [(titles.get(t.section), t.number, t.text) for t in plan.tasks]
    assert got == [
        ("坚持公开原则", None, "坚持以公开为常态、不公开为例外,做到内容真实、发布及时。"),
        (None, "二、", "梳理近三年本街道工作资料,编制政府信息公开指南和目录,方便群众查阅。"),
        ("全面公开政务内容", "1、", "对外公开内容。公开机构职能、政策文件和重点项目进展情况。"),
        ("全面公开政务内容", "2、", "对内公开内容。定期公开机关财务收支和干部考核情况。"),
        (None, "五、", "建立投诉处理制度,依法处理群众投诉事项。"),
        (None, "六、", "进一步完善便民窗口工作制度,落实窗口岗位责任,结合本街道实际做好便民服务工作,建立长效"),
    ]
    # every sentence of the document is somewhere in the plan
    kept = " ".join([t.text for t in plan.tasks] + [s.title for s in plan.sections])
    for line in MIXED.splitlines()[1:]:
        body = re.sub(r"^[一二三四五六七八九十]+、|^\d+、", "", line)
        for sentence in re.split(r"(?<=。)", body):
            assert sentence.rstrip("。") in kept, sentence


def test_a_part_title_followed_by_a_space_is_the_whole_title():
    """"一、总体要求 2022年是…。做好…": 总体要求 is the title (the plan's introduction), the rest
    its text — not a title that swallows a sentence."""
    text = ("某区2024年政务公开工作要点 一、总体要求 2024年是关键之年。做好全年政务公开工作的总体要求是:"
            "坚持以人民为中心,持续提升公开质量。 二、重点任务 (一)强化重点领域公开 "
            "1、做好数字经济领域信息公开,集中发布政策规划和工作动态。(责任单位:区发改委)\n")
    plan = parse_document(text)
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "重点任务"), ("(一)", "强化重点领域公开")]
    assert [t.text for t in plan.tasks] == ["做好数字经济领域信息公开,集中发布政策规划和工作动态。"]
    assert any("总体要求" in message and "不作为任务" in message for _, message in plan.warnings)


# ---- property: page numbers cut into sentences change nothing ---------------------------------

_BRACKETS = [("〔", "〕"), ("【", "】"), ("(", ")"), ("(", ")")]
_UNITS = ["县财政局", "县人社局", "县发改局", "县政府办", "县司法局", "县数据局"]
_WORDS = "推进完善公开政策信息决策执行管理服务结果解读回应平台建设规范制度落实监督"


@st.composite
def paged_plans(draw):
    """A numbered plan with unit brackets of random kinds, and the same plan with page numbers
    ("N、" at a line start, N from 2 up, or "- N -" on a line) cut into the middle of sentences."""
    sentence = st.text(alphabet=_WORDS, min_size=20, max_size=40)
    lines = ["某县2024年政务公开工作要点"]
    tasks: list[list[str]] = []  # each task as pieces a page may be cut between
    heads = draw(st.integers(1, 2))
    opening, closing = draw(st.sampled_from(_BRACKETS))  # a document writes its unit brackets one way
    running = draw(st.booleans())  # items numbered 1..n through the whole plan, or from 1 under each heading
    number = 0
    for head in range(heads):
        lines.append(f"{'一二三'[head]}、重点工作{'甲乙丙'[head]}")
        subs = draw(st.integers(0, 2))
        for sub in range(max(subs, 1)):
            if subs:
                lines.append(f"({'一二'[sub]})专项工作{'子丑'[sub]}")
            number = number if running else 0
            for _ in range(draw(st.integers(1, 5))):
                number += 1
                first, second = draw(sentence), draw(sentence)
                unit = draw(st.sampled_from(_UNITS))
                tasks.append([f"{number}.{first[:3]}", first[3:] + "," + second, f"。{opening}责任单位:{unit}{closing}"])
                lines.append(None)  # where the task goes
    pages = iter(range(2, 100))
    plain, paged = [], []
    position = 0
    for line in lines:
        if line is not None:
            plain.append(line)
            paged.append(line)
            continue
        start, middle, end = tasks[position]
        position += 1
        plain.append(start + middle + end)
        if draw(st.booleans()):
            cut = draw(st.integers(1, len(middle) - 1))
            if middle[cut - 1] == ",":
                cut -= 1
            page = next(pages)
            if draw(st.booleans()):
                paged += [start + middle[:cut], f"{page}、{middle[cut:]}{end}"]
            else:
                paged += [start + middle[:cut], f"- {page} -", middle[cut:] + end]
        else:
            paged.append(start + middle + end)
    return "\n".join(plain) + "\n", "\n".join(paged) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paged_plans())
def test_page_numbers_cut_into_sentences_import_to_the_same_tasks(pair):
    plain, paged = pair
    before, after = parse_document(plain), parse_document(paged)
    assert outline(after) == outline(before)
    assert not marker_warnings(before)
    for task in after.tasks:
        assert not re.search(r"(?<![\d%])\d{1,2}、|- \d+ -", task.text), task.text
