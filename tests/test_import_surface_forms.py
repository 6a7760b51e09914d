"""One plan reads the same however it was copied: from a PDF, a Word file or a web page, each of
which leaves its own surface marks in the text (invisible characters, tabs after numbers, headings
spaced out letter by letter, full- or half-width punctuation). ``text.surface`` takes them away as
each line is read."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import task_triples
from gktrack.features.importer import parse_document

PLAN = """某县2024年政务公开工作要点

一、深化重点领域信息公开
(一)推进财政信息公开
1.按月公开全县财政收支情况,解读财政收支增减变化。(责任单位:县财政局;完成时限:2024年6月底前)
2.做好政府债务信息公开。(牵头单位:县财政局;配合单位:县审计局、县发改局)
二、加强政策解读
(一)做好政策解读
1.围绕重大政策开展解读,及时发布解读材料。(责任单位:县政府办公室)
"""


def outline(plan) -> tuple[list, list]:
    """Sections and tasks as a reader compares them."""
    return [(s.key, s.title) for s in plan.sections], task_triples(plan)


EXPECTED = outline(parse_document(PLAN))


def test_the_plan_reads_as_meant():
    sections, tasks = EXPECTED
    assert [title for _, title in sections] == ["深化重点领域信息公开", "推进财政信息公开", "加强政策解读", "做好政策解读"]
    assert [units for _, units, _ in tasks] == [
        [("县财政局", "responsible")],
        [("县财政局", "lead"), ("县审计局", "support"), ("县发改局", "support")],
        [("县政府办公室", "responsible")],
    ]


_INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_invisible_characters_anywhere_change_nothing(data):
    """A web page's zero-width spaces and soft hyphens, wherever they fall (inside a unit's name too)."""
    text = list(PLAN)
    for at in sorted(data.draw(st.lists(st.integers(0, len(PLAN)), max_size=12)), reverse=True):
        text.insert(at, data.draw(_INVISIBLE))
    assert outline(parse_document("".join(text))) == EXPECTED


_NUMBER = r"^(一、|二、|\(一\)|[12]\.)"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["", "\t", " \t", "\t\t", "\u3000"]), min_size=8, max_size=8),
       st.lists(st.sampled_from(["", "\u3000\u3000", "\t"]), min_size=8, max_size=8))
def test_tabs_after_numbers_and_word_indents_change_nothing(gaps, indents):
    """Word copies an automatic number with a tab after it ("1.\\t按月公开…") and may indent a
    paragraph; neither makes the number a table's cell."""
    lines = PLAN.split("\n")
    numbered = [i for i, line in enumerate(lines) if re.match(_NUMBER, line)]
    for i, gap, indent in zip(numbered, gaps, indents):
        lines[i] = indent + re.sub(_NUMBER, lambda m: m.group() + gap, lines[i])
    assert outline(parse_document("\n".join(lines))) == EXPECTED


@settings(max_examples=30, deadline=None)
@given(st.lists(st.booleans(), min_size=4, max_size=4), st.sampled_from([" ", "\u3000", "\xa0"]))
def test_headings_spaced_out_letter_by_letter_read_as_written(spaced, gap):
    """A PDF's text may space a heading out ("一 、 深 化 重 点 领 域 信 息 公 开")."""
    lines = PLAN.split("\n")
    headings = [i for i, line in enumerate(lines) if re.match(r"^(一、|二、|\(一\))", line)]
    for i, spread in zip(headings, spaced):
        if spread:
            lines[i] = gap.join(lines[i])
    assert outline(parse_document("\n".join(lines))) == EXPECTED


def test_columns_two_spaces_apart_are_not_a_spaced_out_heading():
    """Two spaces part a table's columns: single-character cells stay cells."""
    from gktrack.features.importer.text import surface

    assert surface("是  否  是  否") == "是  否  是  否"
    assert surface("1 2 3 4") == "1 2 3 4"
    assert surface("　一 、 工 作 目 标") == "　一、工作目标"


# ---- page furniture: what a PDF copy puts between pages --------------------------------------------

_PAGE_NUMBERS = st.sampled_from(["- {n} -", "—{n}—", "第 {n} 页", "第{n}页 共9页", "{n}"])
_RUNNING_HEADS = st.sampled_from(["某市人民政府公报 2024年第5期", "某县政务公开工作简报(第{n}期)"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, PLAN.count("\n") - 1), min_size=2, max_size=4, unique=True),
       _PAGE_NUMBERS, st.one_of(st.none(), _RUNNING_HEADS), st.booleans())
def test_page_numbers_and_running_heads_between_pages_change_nothing(breaks, number, head, head_first):
    """A page number between any two lines, with a running head or foot beside it on every page,
    is no task, no unit, no part of a sentence."""
    lines, out = PLAN.split("\n"), []
    for at, line in enumerate(lines):
        out.append(line)
        if at + 1 in breaks:
            page = [number.format(n=len(out))] + ([head.format(n=len(out))] if head else [])
            out += page[::-1] if head_first else page
    plan = parse_document("\n".join(out))
    assert outline(plan) == EXPECTED
    assert head is None or any("页眉页脚" in message for _, message in plan.warnings)


_CELLS = ["某县2024年政务公开工作任务分工表", "工作任务", "具体要求", "责任单位", "完成时限",
          "一、深化重点领域信息公开", "1.推进财政信息公开", "按月公开全县财政收支情况,解读财政收支增减变化。", "县财政局",
          "2024年6月底前", "2.做好政府债务信息公开", "按规定公开政府债务限额、余额和使用情况。", "县财政局、县审计局",
          "持续推进", "二、加强政策解读", "3.做好政策解读", "围绕重大政策开展解读,及时发布解读材料。", "县政府办公室",
          "2024年12月底前"]
_CELL_TABLE = "\n\n".join(_CELLS) + "\n"


def test_a_page_number_inside_a_table_of_one_cell_a_line_changes_nothing():
    """A page break falls anywhere in a table copied one cell a line: the page number goes before
    the table is read, and the cells on either side of it stay two cells."""
    expected = task_triples(parse_document(_CELL_TABLE))
    assert [units for _, units, _ in expected] == [
        [("县财政局", "responsible")], [("县财政局", "responsible"), ("县审计局", "responsible")],
        [("县政府办公室", "responsible")]]
    lines = _CELL_TABLE.split("\n")
    for at in range(1, len(lines) - 1):
        for number in ("- 2 -", "第 2 页"):
            paged = "\n".join(lines[:at] + [number] + lines[at:])
            assert task_triples(parse_document(paged)) == expected, (at, number)


# ---- hard line breaks: a PDF copy breaks every line at the page's width -----------------------------

# items a line or two long, their units and deadline labelled on the same line, spaced apart
SHORT = """某市2024年政务公开工作要点
一、做好政策公开
1.做好规范性文件公开,规范性文件印发后及时在政府网站政策文件库集中公开。牵头单位:市司法局　配合单位:市政府办公室　完成时限:2024年6月底前
2.做好政策解读,重要政策文件与解读材料同步组织、同步审签、同步发布。牵头单位:市政府办公室　责任单位:市直各部门　完成时限:持续推进
二、做好回应关切
3.及时回应社会关切,涉及本地的重大舆情24小时内作出回应。责任单位:市委网信办　完成时限:长期坚持
4.办好政府开放日活动,邀请群众走进机关。牵头单位:市政府办公室　配合单位:各镇人民政府　完成时限:2024年10月底前
"""


def _wrapped(text: str, width: int) -> str:
    return "\n".join(part for line in text.split("\n")
                     for part in ([line[i:i + width] for i in range(0, len(line), width)] if line else [line]))


@settings(max_examples=20, deadline=None)
@given(st.integers(26, 45))
def test_a_short_plan_broken_at_any_page_width_reads_the_same(width):
    """Only a few lines reach the page's width in a short text: where they break sentences (or a
    label before its value) and no line is longer, they are still rejoined, a unit's name too."""
    expected = task_triples(parse_document(SHORT))
    assert [units for _, units, _ in expected][3] == [("市政府办公室", "lead"), ("各镇人民政府", "support")]
    plan = parse_document(_wrapped(SHORT, width))
    assert task_triples(plan) == expected and plan.title == "某市2024年政务公开工作要点"


@given(st.lists(st.sampled_from(["", " ", ";", ","]), min_size=2, max_size=2))
def test_labels_one_after_another_with_or_without_a_separator(gaps):
    """"牵头单位:X配合单位:Y完成时限:Z": the space between labelled parts lost where a line broke at it."""
    text = f"某县2024年政务公开工作要点\n一、加强政策解读\n1.围绕重大政策开展解读。牵头单位:县政府办公室{gaps[0]}配合单位:县直各部门{gaps[1]}完成时限:长期坚持\n"
    (_, units, deadline), = task_triples(parse_document(text))
    assert units == [("县政府办公室", "lead"), ("县直各部门", "support")] and deadline == ["长期坚持"]



_BEFORE_COMMAS = [at for at, char in enumerate(PLAN) if char in ",、;:" and PLAN[at - 1] != "\n"]


@given(st.sets(st.sampled_from(_BEFORE_COMMAS), max_size=3))
def test_a_line_opening_with_a_comma_goes_on_the_line_before(breaks):
    """A PDF breaks a line after so many characters, before a comma too: no sentence opens with one."""
    text = "".join("\n" + char if at in breaks else char for at, char in enumerate(PLAN))
    assert outline(parse_document(text)) == EXPECTED
