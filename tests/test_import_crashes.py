"""Inputs that once crashed or hung the importer (found by fuzzing): each now gives a plan or
gktrack's own error. The tests assert on what the plan holds, not only that it comes back."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.errors import GktrackError
from gktrack.features.importer import parse_document
from conftest import task_triples as _tasks

R = "responsible"


# ---- one-cell-per-line tables: a "|" line that starts no cells (hung: the reader never moved on) --

_PROSE = ["某县2023年政务公开工作要点", "一、深化重点领域信息公开",
          "1.做好财政预决算公开。(责任单位:县财政局)", "2.加强政策解读。(责任单位:县政府办)"]
_PROSE_TASKS = [("做好财政预决算公开。", [("县财政局", R)], []), ("加强政策解读。", [("县政府办", R)], [])]


def test_a_page_footer_ending_in_a_pipe_after_the_plan_is_no_cell():
    plan = parse_document("\n".join(_PROSE + ["扫一扫在手机打开当前页 |"]) + "\n")
    assert _tasks(plan) == _PROSE_TASKS
    assert [s.number + s.title for s in plan.sections] == ["一、深化重点领域信息公开"]


def test_a_page_footer_ending_in_a_pipe_alone_is_refused_not_hung():
    try:
        plan = parse_document("网站标识码|")
    except GktrackError:
        return
    assert plan.tasks == []


_CELLS = ["序号", "工作任务", "责任单位", "完成时限",
          "1", "做好财政预决算公开", "县财政局", "6月底前",
          "2", "加强政策解读", "县政府办", "年底前"]


def test_one_cell_per_line_with_three_blank_lines_around_each_pipe():
    # the "|" three blank lines below its cell: too far for the cell to be read as the "|"'s own
    gap = "\n" * 4
    text = "某县2023年政务公开工作任务分工表\n\n" + gap.join(c + gap + "|" for c in _CELLS) + "\n"
    assert _tasks(parse_document(text)) == [
        ("做好财政预决算公开", [("县财政局", R)], ["6月底前"]),
        ("加强政策解读", [("县政府办", R)], ["年底前"]),
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gaps=st.lists(st.integers(0, 5), min_size=len(_CELLS), max_size=len(_CELLS)),
       footer=st.sampled_from(["", "打印本页 |", "关闭窗口|", "|"]))
def test_one_cell_per_line_with_any_blank_lines_around_the_pipes_is_read_or_refused(gaps, footer):
    parts = ["某县2023年政务公开工作任务分工表", ""]
    for cell, gap in zip(_CELLS, gaps):
        parts += [cell] + [""] * gap + ["|"] + [""] * gap
    parts.append(footer)
    try:
        plan = parse_document("\n".join(parts) + "\n")
    except GktrackError:
        return
    units = {u.name for t in plan.tasks for u in t.units}
    assert units <= {"县财政局", "县政府办"}


# ---- the last line ending in a long run of brackets (RecursionError: one call per bracket) ------

def test_a_last_line_ending_in_a_thousand_brackets_is_read_whole():
    text = "某县2023年政务公开工作要点\n一、深化重点领域信息公开\n1.做好财政预决算公开。" + "(附件1)" * 1100 + "\n"
    plan = parse_document(text)
    assert len(plan.tasks) == 1
    assert plan.tasks[0].text.startswith("做好财政预决算公开。(附件1)(附件1)")
    assert not any("中断" in message for _, message in plan.warnings)


def test_a_last_line_broken_off_after_a_bracket_inside_a_sentence_is_still_reported():
    text = "某县2023年政务公开工作要点\n一、深化重点领域信息公开\n1.做好财政预决算公开。(县财政局负责)\n2.推进基层政务公开向村(居)\n"
    plan = parse_document(text)
    assert [t.text for t in plan.tasks][0] == "做好财政预决算公开。"
    assert any("中断" in message for _, message in plan.warnings)


# ---- a bracket left open at the end of the text over a long text (seconds per thousand characters) --

_TWO = "某县2023年政务公开工作要点\n一、深化重点领域信息公开\n1.做好财政预决算公开。(责任单位:县财政局)\n"


def test_a_long_text_in_a_bracket_left_open_at_the_end_is_the_tasks_text():
    plan = parse_document(_TWO + "2.推进政务公开(" + "政务公开标准化规范化" * 300 + "\n")
    assert [t.text[:12] for t in plan.tasks] == ["做好财政预决算公开。", "推进政务公开(政务公开标"]
    assert len(plan.tasks[1].text) == len("推进政务公开(") + 3000
    assert plan.tasks[1].units == []


def test_a_unit_bracket_cut_inside_its_role_word_still_reads_the_names_before_it():
    plan = parse_document(_TWO + "2.推进政务公开。(县政府办、市审计局按职")
    assert [(u.name, u.role) for u in plan.tasks[1].units] == [("县政府办", R), ("市审计局", R)]
    assert any("按职" in message for _, message in plan.warnings)


# ---- a body's name of many place characters before "关于" (hung: the place pattern tried every split) --

def _notice(head: str) -> str:
    return "\n".join([
        f"{head}关于印发2023年政务公开工作要点的通知", "各单位:",
        "现将《2023年政务公开工作要点》印发给你们,请认真贯彻落实。", "乙办公室", "2023年3月1日",
        "2023年政务公开工作要点", "一、深化重点领域信息公开", "1.做好财政预决算公开。(责任单位:财政所)",
    ]) + "\n"


def test_a_name_of_forty_place_characters_before_about_is_read_at_once():
    plan = parse_document(_notice("市区" * 19 + "甲乙办公室"))
    assert plan.issuer == "乙办公室"
    assert _tasks(plan) == [("做好财政预决算公开。", [("财政所", R)], [])]


def test_the_full_name_of_the_signing_body_with_its_places_written_out_is_still_its_issuer():
    plan = parse_document(_notice("重庆市梁平区乙办公室").replace("\n乙办公室\n", "\n梁平区乙办公室\n"))
    assert plan.issuer == "重庆市梁平区乙办公室"


# ---- a " | " row of thousands of empty cells (seconds: each short row's cells were placed by a search
# over every column for every column) ----------------------------------------------------------------

def test_a_row_of_thousands_of_empty_cells_is_read_at_once():
    text = "\n".join(["某县2023年政务公开工作任务分工表", "序号 | 工作任务 | 责任单位",
                      "1 | 做好财政预决算公开 | 县财政局", "| " * 6000 + "另见附件"]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [("做好财政预决算公开", [("县财政局", R)], [])]
    assert any(line == 4 and "另见附件" in message for line, message in plan.warnings)
