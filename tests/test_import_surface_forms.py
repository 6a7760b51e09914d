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
