"""Three things the metamorphic runs left: a sentence's tail read as a unit ("…督促各部门落实" gave
the unit "督促各部门"), the cells of a 繁体 file's own tables left in 繁体 while its prose is read as
简体, and a false "文档在此处中断" where a plan ends with a list of short headings written without
full stops.

The documents are small ones written for these tests, in the shapes real pages have.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.unitphrase import parse_unit_phrase, unit_name_problem
from gktrack.errors import InputError
from gktrack.features.importer import import_file, parse_document
from conftest import pairs

L, S, R = "lead", "support", "responsible"


# ---- a verb acting on units is no unit ---------------------------------------------------------

def test_a_closing_sentence_that_urges_units_to_act_names_no_unit():
    plan = parse_document("\n".join([
        "某县2024年政务公开工作要点",
        "一、加强政策解读",
        "1.做好重要文件的解读,提高解读质量。县政府办公室牵头,各部门配合。",
        "2.健全发布审核机制,定期开展自查。督促各部门落实。",
        "3.规范政务新媒体管理。推动相关单位负责。",
    ]))
    first, second, third = plan.tasks
    assert pairs(first) == [("县政府办公室", L), ("各部门", S)]
    assert second.units == [] and second.text == "健全发布审核机制,定期开展自查。督促各部门落实。"
    assert third.units == [] and third.text.endswith("推动相关单位负责。")


def test_offices_named_for_their_task_are_still_units():
    for name in ("组织部", "优化营商环境办公室", "全面深化改革委员会办公室", "各部门", "县直各单位", "推进办"):
        assert unit_name_problem(name) is None, name
    assert [(u.name, u.role) for u in parse_unit_phrase("县委组织部牵头,县直各单位配合")] == [
        ("县委组织部", L), ("县直各单位", S)]
    assert [(u.name, u.role) for u in parse_unit_phrase("优化营商环境办公室牵头,各部门配合")] == [
        ("优化营商环境办公室", L), ("各部门", S)]


def test_validate_and_the_parser_share_the_rule():
    assert "督促" in unit_name_problem("督促各部门")
    with pytest.raises(InputError, match="指导"):
        parse_unit_phrase("进一步指导各乡镇负责")


VERBS = ["督促", "推动", "指导", "组织", "加强", "进一步督促", "积极引导"]
COLLECTIVES = ["各部门", "各单位", "各乡镇", "相关单位", "有关部门", "县直各单位", "成员单位", "区直相关部门"]
ROLES = ["落实", "负责", "牵头", "配合"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(VERBS), st.sampled_from(COLLECTIVES), st.sampled_from(ROLES))
def test_no_verb_led_clause_ends_an_item_as_its_units(verb, collective, role):
    plan = parse_document("\n".join([
        "某区2024年政务公开工作要点",
        "一、深化主动公开",
        f"1.完善主动公开目录,及时更新公开内容。{verb}{collective}{role}。",
        "2.做好政府信息公开年报工作。(区政府办公室负责)",
    ]))
    first, second = plan.tasks
    assert first.units == []
    assert f"{verb}{collective}{role}" in first.text
    assert pairs(second) == [("区政府办公室", R)]
    # and the collective alone, without the verb, is still the item's unit
    plain = parse_document(f"某区2024年政务公开工作要点\n一、深化主动公开\n1.完善主动公开目录。{collective}{role}。")
    assert [u.name for u in plain.tasks[0].units] == [collective]


# ---- a 繁体 file's own tables --------------------------------------------------------------------

TRAD_TABLE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某縣2024年政務公開工作方案</title></head>
<body><div class="article">
<h1>某縣2024年政務公開重點任務分工</h1>
<p>為推動全縣政務公開工作，現將重點任務分工如下。</p>
<table border="1">
<tr><td>序號</td><td>具體任務</td><td>牽頭單位</td><td>配合單位</td><td>完成時限</td></tr>
<tr><td>1</td><td>做好縣政府規範性文件統一公開，實行動態更新。</td><td>縣司法局</td><td>縣政府辦公室</td><td>持續推進</td></tr>
<tr><td>2</td><td>開展政務新媒體檢查並通報結果。</td><td>縣政府辦公室</td><td>縣委網信辦</td><td>2024年10月底前</td></tr>
</table>
</div></body></html>
"""


def test_the_cells_of_a_traditional_files_table_are_read_as_simplified(tmp_path):
    pytest.importorskip("opencc")
    path = tmp_path / "分工.html"
    path.write_text(TRAD_TABLE_PAGE, encoding="utf-8")
    plan = import_file(path)
    assert [t.text for t in plan.tasks] == ["做好县政府规范性文件统一公开，实行动态更新。", "开展政务新媒体检查并通报结果。"]
    assert [pairs(t) for t in plan.tasks] == [[("县司法局", L), ("县政府办公室", S)],
                                              [("县政府办公室", L), ("县委网信办", S)]]
    assert [t.deadline for t in plan.tasks] == [["持续推进"], ["2024年10月底前"]]
    assert not any("无法识别" in message for _, message in plan.warnings)


# ---- a plan ending with a list of short headings -----------------------------------------------

HEAD = ["某县2024年政务公开工作方案", "一、主要任务",
        "1.做好政策解读工作,提高解读质量。(县政府办负责)", "2.加强平台建设,规范网站管理。(县数据局负责)",
        "二、工作要求"]


def cut_warnings(lines: list[str]) -> list[str]:
    plan = parse_document("\n".join(HEAD + lines))
    return [message for _, message in plan.warnings if "中断" in message]


def test_a_closing_list_of_short_headings_is_complete():
    assert cut_warnings(["1.加强组织领导", "2.抓好队伍建设", "", "3.强化监督考核"]) == []


def test_a_heading_whose_paragraph_is_gone_is_still_cut():
    # the items before it have paragraphs: the last one lost its own
    assert cut_warnings(["1.加强组织领导", "各部门要高度重视,明确专人负责。", "2.抓好队伍建设",
                         "要定期组织业务培训。", "3.强化监督考核"])
    # a sentence broken off
    assert cut_warnings(["1.加强组织领导,明确专人负责。", "2.抓好队伍建设,定期组织培训。", "3.强化监督考核,将政务公开纳入"])
    # a list whose start is not in the text: nothing shows how its items end
    assert cut_warnings(["2.抓好队伍建设", "3.强化监督考核"])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["加强组织领导", "抓好队伍建设", "强化监督考核", "健全考核评估机制", "做好宣传培训工作"]),
                min_size=2, max_size=5), st.sampled_from([".", "、"]))
def test_any_closing_heading_list_numbered_from_one_reads_complete(titles, mark):
    lines = [f"{number}{mark}{title}" for number, title in enumerate(titles, start=1)]
    assert cut_warnings(lines) == []
