"""What a reader does not see must not change the plan: an item's mark written "1." or "1、", 繁体
for 简体 (a PDF's spaced unit label "責任 單位:" included), the page's chrome under a text cut off
inside its last unit list.

The documents are small ones written for these tests, in the shapes real pages have.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from conftest import pairs

R = "responsible"


def fold_marks(text: str) -> str:
    """An enumeration inside a task's own text, its marks read alike."""
    return re.sub(r"(?<!\d)(\d{1,2})[.、](?!\d)", r"\1、", text)


# ---- 1. and 1、 ---------------------------------------------------------------------------------

def numbered_plan(mark: str) -> str:
    return "\n".join([
        "某区2023年政务公开工作要点",
        "一、推进财政信息公开",
        f"1{mark}及时公开部门预算和决算(公开路径:1{mark}政府网站财政专栏;2{mark}政务新媒体)。(区财政局负责)",
        f"2{mark}公开政府采购项目信息,做到应公开尽公开。(区财政局、区审计局负责)",
        "二、做好政策解读",
        f"1{mark}围绕重点政策开展解读,解读材料与政策文件同步发布。(区司法局牵头,各街道配合)",
    ])


def test_item_marks_with_dot_or_comma_give_the_same_tasks():
    dot, dun = parse_document(numbered_plan(".")), parse_document(numbered_plan("、"))
    assert [t.number for t in dot.tasks] == ["1.", "2.", "1."]
    assert [t.number for t in dun.tasks] == ["1、", "2、", "1、"]
    assert dot.tasks[0].text == "及时公开部门预算和决算(公开路径:1.政府网站财政专栏;2.政务新媒体)。"
    # the enumeration inside the first task's text is its own words: kept as written
    assert dun.tasks[0].text == "及时公开部门预算和决算(公开路径:1、政府网站财政专栏;2、政务新媒体)。"
    assert [fold_marks(t.text) for t in dot.tasks] == [fold_marks(t.text) for t in dun.tasks]
    assert [pairs(t) for t in dot.tasks] == [pairs(t) for t in dun.tasks] == [
        [("区财政局", R)], [("区财政局", R), ("区审计局", R)], [("区司法局", "lead"), ("各街道", "support")]]
    assert [t.section for t in dot.tasks] == [t.section for t in dun.tasks]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(["梳理公开事项目录", "更新政府网站专栏", "发布政策解读材料", "公开预算执行情况"]),
                min_size=2, max_size=4, unique=True),
       st.sampled_from(["办公室", "法规科", "财务科"]))
def test_any_run_of_items_reads_alike_in_both_marks(works, unit):
    def doc(mark: str) -> str:
        items = [f"{n}{mark}{work},按季度更新。({unit}负责)" for n, work in enumerate(works, 1)]
        return "\n".join(["某局2024年政务公开工作要点", "一、重点工作", *items])

    dot, dun = parse_document(doc(".")), parse_document(doc("、"))
    assert [t.text for t in dot.tasks] == [t.text for t in dun.tasks] == [f"{w},按季度更新。" for w in works]
    assert [pairs(t) for t in dot.tasks] == [pairs(t) for t in dun.tasks] == [[(unit, R)]] * len(works)


# ---- 繁体 with a PDF's spaced unit label --------------------------------------------------------

SPACED = "\n".join([
    "{place}2022年政務公開工作要點",
    "一、深化重點領域信息公開",
    "(一)做好財政預決算信息公開,及時公開部門預算和決算。(責任 單位: 縣財政局、縣審計局)",
    "(二)做好重大項目信息公開,按時發佈項目進展情況。(牵 頭 單 位: 縣發改委)",
])


def test_a_spaced_unit_label_in_traditional_script_is_read_as_its_simplified_form():
    pytest.importorskip("opencc")
    plan = parse_document(SPACED.format(place="某縣"))
    assert [t.text for t in plan.tasks] == ["做好财政预决算信息公开,及时公开部门预算和决算。",
                                            "做好重大项目信息公开,按时发布项目进展情况。"]
    assert [pairs(t) for t in plan.tasks] == [[("县财政局", R), ("县审计局", R)], [("县发改委", "lead")]]


def test_a_traditional_text_cut_inside_its_last_spaced_unit_list_keeps_the_whole_names():
    pytest.importorskip("opencc")
    plan = parse_document(SPACED.format(place="某縣") + "\n(三)做好民生項目信息公開。(責任 單位: 縣民政局、縣自然資源")
    assert pairs(plan.tasks[-1]) == [("县民政局", R)]
    assert any("县自然资源" in message for _, message in plan.warnings)


# ---- page chrome under a text cut off ------------------------------------------------------------

CUT = "\n".join([
    "某县财政局政务公开实施方案",
    "一、公开内容",
    "(一)单位职能、内设机构及联系方式。",
    "责任股室:办公室",
    "(二)财政管理制度及规范性文件。",
    "责任股室:法规股、会",
])
CHROME = ["打印本页 关闭窗口", "分享到:", "【打印】【关闭】", "扫一扫在手机打开当前页", "责任编辑:王某"]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(CHROME), min_size=1, max_size=3), st.booleans())
def test_page_chrome_after_a_cut_unit_list_leaves_the_cut_as_it_is(chrome, blank):
    plain = parse_document(CUT)
    dressed = parse_document(CUT + ("\n\n" if blank else "\n") + "\n".join(chrome))
    assert [pairs(t) for t in plain.tasks] == [pairs(t) for t in dressed.tasks] == [[("办公室", R)], [("法规股", R)]]
    assert [t.text for t in dressed.tasks] == ["单位职能、内设机构及联系方式。", "财政管理制度及规范性文件。"]
    assert any("末尾残缺的“会”" in message for _, message in dressed.warnings)
