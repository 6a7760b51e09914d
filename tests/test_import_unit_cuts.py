"""Unit lists as documents write them, at the importer: a unit bracket or unit line cut off where a
web-page excerpt ends, sentences inside a unit bracket, adverbs and clauses around the role word.

The documents are small ones written for these tests, in the shapes real excerpts have.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import import_file, parse_document
from conftest import pairs

L, S, R = "lead", "support", "responsible"


def cut_warnings(plan) -> list[tuple[int, str]]:
    return [(line, message) for line, message in plan.warnings if "责任单位可能不完整" in message]


HEAD = [
    "临川市2024年政务公开工作要点",
    "一、深化主动公开",
]


# ---- a unit bracket cut off at the end -------------------------------------------------------

def test_unclosed_unit_bracket_at_the_end_gives_the_last_task_its_units():
    plan = parse_document("\n".join(HEAD + [
        "(一)做好政策文件公开。及时公开惠企政策。(市发改委负责)",
        "(二)夯实公开基础。建立事项标准目录,形成基本框架。(市府办〔市数据局〕牵头,市政府各部门、各县〔区〕政府、各开发区管委",
    ]))
    assert [pairs(t) for t in plan.tasks] == [
        [("市发改委", R)],
        [("市府办(市数据局)", L), ("市政府各部门", R), ("各县(区)政府", R), ("各开发区管委", R)],
    ]
    assert plan.tasks[1].text == "夯实公开基础。建立事项标准目录,形成基本框架。"
    [(line, message)] = cut_warnings(plan)
    assert line == 4 and "文档在此处中断" in message
    assert plan.owner is None  # every task names its units: the issuer does not stand in


def test_a_cut_off_last_name_is_dropped_and_named_in_the_warning():
    plan = parse_document("\n".join(HEAD + [
        "(一)推进清单公开。动态更新权力清单和责任清单。(省编办、人力",
    ]))
    assert [pairs(t) for t in plan.tasks] == [[("省编办", R)]]
    [(line, message)] = cut_warnings(plan)
    assert line == 3 and "“人力”未作为单位" in message


def test_a_role_word_cut_off_after_a_whole_name():
    plan = parse_document("\n".join(HEAD + [
        "(一)做好财政信息公开。按月公开财政收支。(市财政局牵头,市税务局、市审计局按职",
    ]))
    assert [pairs(t) for t in plan.tasks] == [[("市财政局", L), ("市税务局", R), ("市审计局", R)]]
    assert cut_warnings(plan)


def test_full_stops_inside_a_unit_bracket_separate_its_sentences():
    cut = parse_document("\n".join(HEAD + [
        "(一)推进一网通办。建好统一受理平台。(省数据局牵头,省直有关单位按职责分工负责。各市州、县市区人民政府均为责任单位",
    ]))
    closed = parse_document("\n".join(HEAD + [
        "(一)推进一网通办。建好统一受理平台。(省数据局牵头,省直有关单位按职责分工负责。各市州、县市区人民政府均为责任单位)",
        "(二)做好平台对接。(省数据局负责)",
    ]))
    expected = [("省数据局", L), ("省直有关单位", R), ("各市州、县市区人民政府", R)]
    assert pairs(cut.tasks[0]) == expected and pairs(closed.tasks[0]) == expected
    assert closed.tasks[0].units_text == "省数据局牵头,省直有关单位按职责分工负责。各市州、县市区人民政府均为责任单位"
    assert cut_warnings(cut) and not cut_warnings(closed)


def test_an_unclosed_bracket_before_the_end_is_text():
    text = "\n".join(HEAD + [
        "(一)做好政策解读。解读材料与文件同步发布(包括图解、视频等形式。(市政府办负责)",
        "(二)做好数据开放。(市数据局、市统计局",
        "(三)做好年报工作。(市政府办负责)",
    ])
    plan = parse_document(text)
    assert plan.tasks[0].text == "做好政策解读。解读材料与文件同步发布(包括图解、视频等形式。"
    assert pairs(plan.tasks[1]) == []
    assert plan.tasks[1].text.endswith("(市数据局、市统计局")
    assert pairs(plan.tasks[2]) == [("市政府办", R)]
    assert not cut_warnings(plan)


def test_an_unclosed_bracket_that_names_no_units_is_left_alone():
    plan = parse_document("\n".join(HEAD + [
        "(一)做好政策解读。(市政府办负责)",
        "(二)做好数据开放。按季度更新开放目录(2024年12月底",
    ]))
    assert pairs(plan.tasks[1]) == []
    assert not cut_warnings(plan)
    assert any("最后一项任务可能不完整" in message for _, message in plan.warnings)


# ---- a unit line cut off at the end ----------------------------------------------------------

TABLE = [
    "临川市2024年政务公开工作要点实施方案",
    "任务",
    "主要内容",
    "责任单位",
    "一、以公开助力稳增长",
    "(一)加强预期引导",
    "围绕全市经济形势及时发布解读材料。",
    "市发改委牵头落实",
    "加强金融政策信息公开,做好政策宣传。",
    "市商务局、人民银行临川市中心支行、临川银保监分局分别牵头落实",
    "加强舆情收集研判,及时回应关切。",
]


def test_a_unit_line_cut_off_at_the_end_is_the_last_tasks_units():
    plan = parse_document("\n".join(TABLE + ["市发改委、市财政局、市人社局、人民银"]))
    assert [t.text[:8] for t in plan.tasks] == ["围绕全市经济形势", "加强金融政策信息", "加强舆情收集研判"]
    assert [pairs(t) for t in plan.tasks] == [
        [("市发改委", L)],
        [("市商务局", L), ("人民银行临川市中心支行", L), ("临川银保监分局", L)],
        [("市发改委", R), ("市财政局", R), ("市人社局", R)],
    ]
    [(line, message)] = cut_warnings(plan)
    assert line == len(TABLE) + 1 and "“人民银”未作为单位" in message


def test_a_whole_last_unit_line_is_not_reported_as_cut():
    plan = parse_document("\n".join(TABLE + ["市发改委、市财政局配合"]))
    assert pairs(plan.tasks[-1]) == [("市发改委", S), ("市财政局", S)]
    assert not cut_warnings(plan)


# ---- sentence-style unit cells ---------------------------------------------------------------

def test_a_sentence_style_unit_cell_names_the_units_before_the_role_words():
    plan = parse_document("\n".join([
        "安远县2024年政务公开常态化工作任务清单",
        "工作任务 | 具体要求 | 责任单位",
        "规范性文件公开 | 做好行政规范性文件集中公开。 | "
        "县司法局牵头全县规范性文件集中公开工作,县各规范性文件制定机关具体落实;各成员单位负责做好本单位文件公开工作",
        "政策解读 | 做好政策解读。 | 县政府办、县融媒体中心分别负责",
    ]))
    assert [pairs(t) for t in plan.tasks] == [
        [("县司法局", L), ("县各规范性文件制定机关", R), ("各成员单位", R)],
        [("县政府办", R), ("县融媒体中心", R)],
    ]


def test_adverbs_in_unit_brackets_of_prose():
    plan = parse_document("\n".join(HEAD + [
        "(一)做好金融政策公开。(市商务局、人民银行临川市中心支行、临川银保监分局分别负责落实)",
        "(二)做好就业政策公开。(市人社局、市教育局共同牵头,市财政局配合)",
    ]))
    assert [pairs(t) for t in plan.tasks] == [
        [("市商务局", R), ("人民银行临川市中心支行", R), ("临川银保监分局", R)],
        [("市人社局", L), ("市教育局", L), ("市财政局", S)],
    ]


# ---- property: unit lists cut anywhere at the end of a document -------------------------------

NAMES = ["市发改委", "市财政局", "市审计局", "区教体局", "县卫健委", "各乡镇人民政府", "各县(区)政府",
         "人民银行临川市中心支行", "市政府各部门", "省直有关单位"]
ADVERBS = ["", "", "分别", "共同"]
# (role word, role, how much of it says the role)
VERBS = [("牵头", L, 2), ("牵头落实", L, 2), ("负责", R, 2), ("负责落实", R, 2), ("按职责分工负责", R, 7), ("配合", S, 2),
         ("协助", S, 2)]
ROLE_WORDS = re.compile(r"牵头|负责|落实|配合|协助|分别|共同|按职")


@st.composite
def cut_documents(draw):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=len(names)))
    groups, start = [], 0
    for size in sizes:
        if start < len(names):
            groups.append((names[start:start + size], draw(st.sampled_from(ADVERBS)), draw(st.sampled_from(VERBS))))
            start += size
    if start < len(names):
        groups[-1] = (groups[-1][0] + names[start:], groups[-1][1], groups[-1][2])
    phrase, spans = "", []  # spans: (name, where it ends, where its role is said, role)
    for index, (members, adverb, (verb, role, says)) in enumerate(groups):
        if index:
            phrase += draw(st.sampled_from([",", ";"]))
        ends = []
        for position, name in enumerate(members):
            phrase += ("、" if position else "") + name
            ends.append(len(phrase))
        phrase += adverb
        spans += [(name, end, len(phrase) + says, role) for name, end in zip(members, ends)]
        phrase += verb
    cut = draw(st.integers(1, len(phrase)))
    closed = cut == len(phrase) and draw(st.booleans())
    if draw(st.booleans()):  # the task's unit bracket
        last = ["(一)做好重点领域信息公开。按时发布相关信息。(" + phrase[:cut] + (")" if closed else "")]
    else:  # a unit line after the task
        last = ["(一)做好重点领域信息公开。按时发布相关信息。", phrase[:cut]]
    text = "\n".join(HEAD + last)
    # a name whose role word is cut off reads as responsible: nothing else is said of it
    expected = [(name, role if said <= cut else R) for name, end, said, role in spans if end <= cut]
    return text, expected


@settings(max_examples=150, deadline=None)
@given(cut_documents())
def test_unit_lists_cut_at_the_end_keep_every_whole_name_with_its_role(case):
    text, expected = case
    plan = parse_document(text)
    [task] = plan.tasks
    for unit in task.units:
        assert not ROLE_WORDS.search(unit.name), unit.name
    got = dict(pairs(task))
    for name, role in expected:
        assert got.get(name) == role, (name, role, pairs(task), text.splitlines()[-1])


# ---- the corpus's cut-off unit bracket, and the CLI ------------------------------------------

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_corpus_36_reads_its_cut_off_unit_bracket():
    plan = import_file(CORPUS / "36_hunan-2022-zhengwu-fuwu-and-gongkai-yaodian.txt")
    [task] = plan.tasks
    assert pairs(task) == [("省政务局", L), ("省直相关单位", R), ("各市州、县市区人民政府", R)]
    assert task.text.endswith("标准统一和统一监管。")
    [(line, _)] = cut_warnings(plan)
    assert line == task.line


def test_dry_run_says_the_unit_list_may_be_incomplete(gk, tmp_path):
    gk.ok("init")
    path = tmp_path / "要点.txt"
    path.write_text("\n".join(HEAD + [
        "(一)做好政策文件公开。及时公开惠企政策。(市发改委牵头,市财政局、市商务局配合,各县〔区〕政府、各开",
    ]) + "\n", encoding="utf-8")
    out = gk.ok("import", str(path), "--dry-run")
    assert "注意:第 3 行:文档在此处中断,最后一项任务的责任单位可能不完整:" in out
    assert "末尾残缺的“各开”未作为单位" in out
    for name in ("市发改委", "市财政局", "市商务局", "各县(区)政府"):
        assert name in out, name
    assert "最后一项任务可能不完整" not in out  # said once, with what was read
