"""The importer on a numbered list whose first item stands inside a line (after an introduction or
a flattened table row's headings): the next numbers at line starts continue that list, they are no
page markers; and on a top-level heading with nothing after it, read alike with or without a comma."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

R = "responsible"


def marker_warnings(plan) -> list[str]:
    return [message for _, message in plan.warnings if "页码" in message]


def tasks_of(plan) -> list[tuple]:
    return [(t.section, t.number, t.text, [(u.name, u.role) for u in t.units]) for t in plan.tasks]


# ---- item 1 inside a line, 2. 3. at line starts -----------------------------------------------

def test_items_after_an_inline_first_item_are_a_list_not_page_numbers():
    """"…提出以下安排。1. 建立台账" then "2. …" "3. …", no full stops: three tasks."""
    text = ("某县档案局2024年政务公开工作要点\n"
            "一、夯实工作基础\n"
            "为落实上级部署,提出以下安排。1. 建立公开事项台账\n"
            "2. 梳理历年公开目录\n"
            "3. 清理过期政策文件\n")
    plan = parse_document(text)
    assert not marker_warnings(plan), plan.warnings
    assert [(t.number, t.text) for t in plan.tasks] == [
        ("1.", "建立公开事项台账"), ("2.", "梳理历年公开目录"), ("3.", "清理过期政策文件")]
    assert {t.section for t in plan.tasks} == {"1"}


def test_a_flattened_table_row_keeps_its_items():
    """A division-of-labour table whose cell separators were lost: the first row holds the part's
    headings and item 1, each later row starts with its number and ends with its unit and time,
    without a full stop. The rows are items 1–4 under (一), not pages of item 1."""
    text = ("某市档案局2024年政务公开工作要点分工方案\n"
            "一、夯实公开基础(一)集中公开规章文件。1. 完善本系统规章汇编,定期做好汇编更新。综合科常态化开展\n"
            "2. 推进规范性文件清理工作。法规科,综合科常态化开展\n"
            "3. 建设本系统文件检索平台。法规科常态化开展\n"
            "4. 动态调整主动公开目录。各有关科室常态化开展\n")
    plan = parse_document(text)
    assert not marker_warnings(plan), plan.warnings
    assert [(s.key, s.number, s.title) for s in plan.sections] == [
        ("1", "一、", "夯实公开基础"), ("1.1", "(一)", "集中公开规章文件")]
    got = [(t.section, t.number, t.text) for t in plan.tasks]
    assert [row[:2] for row in got] == [("1.1", "1."), ("1.1", "2."), ("1.1", "3."), ("1.1", "4.")]
    assert got[0][2].startswith("完善本系统规章汇编,定期做好汇编更新。")
    assert got[1][2].startswith("推进规范性文件清理工作。")
    assert got[3][2].startswith("动态调整主动公开目录。")


def test_a_page_number_that_does_not_continue_the_inline_item_is_still_removed():
    """An inline "1." makes "2." an item, not "5、": a number of another kind that cuts a sentence
    in the middle is still a page number, and the sentence is joined again."""
    text = ("某县2024年政务公开工作要点\n"
            "一、夯实工作基础\n"
            "为落实上级部署,提出以下安排。1. 建立公开事项台账,按季度更新台账内容并在政府网站\n"
            "5、专栏集中发布,接受群众监督。\n"
            "2. 梳理历年公开目录。\n")
    plan = parse_document(text)
    assert [(t.number, t.text) for t in plan.tasks] == [
        ("1.", "建立公开事项台账,按季度更新台账内容并在政府网站专栏集中发布,接受群众监督。"),
        ("2.", "梳理历年公开目录。")]
    assert marker_warnings(plan) and "“5、”" in marker_warnings(plan)[0]


_WORDS = "推进完善公开政策信息决策执行管理服务结果解读回应平台建设规范制度落实监督"
_UNITS = ["县财政局", "县人社局", "县司法局", "县数据局"]


@st.composite
def inline_lists(draw):
    """A list of 2–5 items under one heading, item 1 after an introduction on the same line or on
    its own line; items with or without a full stop, with or without a unit at the end."""
    items = [draw(st.text(alphabet=_WORDS, min_size=6, max_size=30)) for _ in range(draw(st.integers(2, 5)))]
    stop = draw(st.sampled_from(["", "。"]))
    units = draw(st.lists(st.sampled_from(_UNITS + [None]), min_size=len(items), max_size=len(items)))
    lines = [f"{n}. {text}{stop}" + (f"(责任单位:{unit})" if unit else "")
             for n, (text, unit) in enumerate(zip(items, units), 1)]
    head = "某县2024年政务公开工作要点\n一、夯实工作基础\n为落实上级部署,提出以下安排。"
    inline = head + "\n".join(lines) + "\n"
    own_line = head + "\n" + "\n".join(lines) + "\n"
    return inline, own_line, [(text + stop, unit) for text, unit in zip(items, units)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inline_lists())
def test_an_inline_first_item_reads_like_one_on_its_own_line(case):
    inline, own_line, items = case
    plan = parse_document(inline)
    assert not marker_warnings(plan), plan.warnings
    assert tasks_of(plan) == tasks_of(parse_document(own_line))
    assert [(t.number, t.text, [u.name for u in t.units]) for t in plan.tasks] == [
        (f"{n}.", text, [unit] if unit else []) for n, (text, unit) in enumerate(items, 1)]


# ---- a top-level heading with nothing after it --------------------------------------------------

BODY = ("某区2025年政务公开工作要点\n"
        "一、夯实公开基础\n"
        "1.编制本区主动公开事项目录。(责任单位:区府办,完成时限:全年)\n"
        "2.落实公文公开属性审查。(责任单位:区司法局,完成时限:全年)\n")


def test_a_last_heading_with_a_comma_is_an_empty_part_like_one_without():
    """"二、提升效能,发挥公开促落实作用" at the end of the text, nothing under it: a part's title
    (titles hold commas too), read as "二、提升效能" is — not a task without units."""
    results = []
    for title in ("提升效能", "提升效能,发挥公开促落实作用", "提升效能,发挥公开促落实、优服务、强监"):
        plan = parse_document(BODY + f"二、{title}\n")
        assert [(s.key, s.number, s.title) for s in plan.sections] == [
            ("1", "一、", "夯实公开基础"), ("2", "二、", title)], title
        assert tasks_of(plan) == [
            ("1", "1.", "编制本区主动公开事项目录。", [("区府办", R)]),
            ("1", "2.", "落实公文公开属性审查。", [("区司法局", R)]),
        ], title
        results.append(tasks_of(plan))
    assert results[0] == results[1] == results[2]


def test_a_last_top_level_sentence_is_still_a_task():
    """A top-level item that is a sentence (it ends in a full stop) stays a task by itself."""
    plan = parse_document(BODY + "二、建立投诉处理制度,依法处理群众投诉事项。\n")
    assert [s.number for s in plan.sections] == ["一、"]
    assert [(t.section, t.number, t.text) for t in plan.tasks][-1] == (
        None, "二、", "建立投诉处理制度,依法处理群众投诉事项。")
