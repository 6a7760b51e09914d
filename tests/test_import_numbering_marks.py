"""What a reader does not see must not change the plan: an item's mark written "1." or "1、", 繁体
for 简体 (a PDF's spaced unit label "責任 單位:" included), the page's chrome under a text cut off
inside its last unit list.

The documents are small ones written for these tests, in the shapes real pages have.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

R = "responsible"


def pairs(task) -> list[tuple[str, str]]:
    return [(u.name, u.role) for u in task.units]


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
