"""A unit or deadline label written without its colon: "责任单位 县财政局", "完成时限　6月底前".

A form-like table (label cell | value cell) copied as text leaves a space or a tab between label and
value; so does a lost colon. Such a label is read only where it is certain: a known label word opening
the line, a bracket or a sentence ("…信息。责任单位 县财政局"), followed by units or a deadline. A sentence that starts with the words stays text.

The documents are small ones written for these tests, in the shapes real pages have.
"""

from __future__ import annotations

import pytest

from gktrack.features.importer import parse_document

L, S, R = "lead", "support", "responsible"
GAPS = pytest.mark.parametrize("gap", [" ", "\u3000", "\t", "  "], ids=["space", "ideographic", "tab", "two-spaces"])
HEAD = ["临川县2024年政务公开工作要点", "一、深化主动公开"]


def _read(lines: list[str]):
    plan = parse_document("\n".join(HEAD + lines))
    return [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks]


@GAPS
def test_label_lines_without_colon(gap):
    assert _read([
        "1.推进财政预决算公开。按要求公开预决算报告和表格。",
        f"责任单位{gap}县财政局",
        f"完成时限{gap}6月底前",
        "2.做好政策解读。重要政策文件与解读材料同步公开。",
        f"牵头单位{gap}县政府办公室",
        f"配合单位{gap}县司法局、县发改局",
        f"完成时限{gap}2024年12月底前",
    ]) == [
        ("推进财政预决算公开。按要求公开预决算报告和表格。", [("县财政局", R)], ["6月底前"]),
        ("做好政策解读。重要政策文件与解读材料同步公开。",
         [("县政府办公室", L), ("县司法局", S), ("县发改局", S)], ["2024年12月底前"]),
    ]


@GAPS
def test_bracket_labels_without_colon(gap):
    assert _read([
        f"1.推进财政预决算公开。按要求公开预决算报告和表格。(责任单位{gap}县财政局)",
        f"2.做好政策解读。重要政策文件与解读材料同步公开。（牵头单位{gap}县政府办公室；配合单位{gap}县司法局）",
        f"3.加强政府网站管理。定期开展网站内容检查。【责任单位{gap}县政府办公室;完成时限{gap}每季度】",
    ]) == [
        ("推进财政预决算公开。按要求公开预决算报告和表格。", [("县财政局", R)], []),
        ("做好政策解读。重要政策文件与解读材料同步公开。", [("县政府办公室", L), ("县司法局", S)], []),
        ("加强政府网站管理。定期开展网站内容检查。", [("县政府办公室", R)], ["每季度"]),
    ]


@GAPS
def test_deadline_label_line_without_colon_after_a_unit_bracket(gap):
    assert _read([
        "1.推进财政预决算公开。按要求公开预决算报告和表格。(责任单位:县财政局)",
        f"完成时限{gap}2024年6月底前",
        "2.做好政策解读。重要政策文件与解读材料同步公开。(责任单位:县政府办公室)",
        f"完成时间{gap}长期坚持",
    ]) == [
        ("推进财政预决算公开。按要求公开预决算报告和表格。", [("县财政局", R)], ["2024年6月底前"]),
        ("做好政策解读。重要政策文件与解读材料同步公开。", [("县政府办公室", R)], ["长期坚持"]),
    ]


def test_a_sentence_starting_with_the_label_words_stays_text():
    # the label line without colon is read; the sentences that start with the words are not labels
    assert _read([
        "1.推进财政预决算公开。按要求公开预决算报告和表格。",
        "责任单位 县财政局",
        "责任单位要加强对公开内容的审核,确保准确。",
        "2.做好政策解读。重要政策文件与解读材料同步公开。(责任单位 县政府办公室)",
        "责任单位 要加强对解读材料的审核。",
    ]) == [
        ("推进财政预决算公开。按要求公开预决算报告和表格。", [("县财政局", R)], []),
        ("责任单位要加强对公开内容的审核,确保准确。", [], []),
        ("做好政策解读。重要政策文件与解读材料同步公开。", [("县政府办公室", R)], []),
        ("责任单位要加强对解读材料的审核。", [], []),  # the space between hanzi is taken out as always
    ]


@GAPS
def test_labels_without_colon_after_a_sentence_inside_the_line(gap):
    assert _read([
        f"1.推进财政预决算公开。按要求公开预决算报告和表格。责任单位{gap}县财政局",
        f"2.做好政策解读。重要政策文件与解读材料同步公开。牵头单位{gap}县政府办公室；配合单位{gap}县司法局;"
        f"完成时限{gap}2024年12月底前",
        f"3.加强政府网站管理。定期开展网站内容检查;责任单位{gap}县政府办公室。完成时限{gap}每季度",
        f"4.推进重点领域公开。及时公开重大建设项目信息。(责任单位{gap}县发改局)",
    ]) == [
        ("推进财政预决算公开。按要求公开预决算报告和表格。", [("县财政局", R)], []),
        ("做好政策解读。重要政策文件与解读材料同步公开。", [("县政府办公室", L), ("县司法局", S)], ["2024年12月底前"]),
        ("加强政府网站管理。定期开展网站内容检查;", [("县政府办公室", R)], ["每季度"]),
        ("推进重点领域公开。及时公开重大建设项目信息。", [("县发改局", R)], []),
    ]


def test_a_sentence_inside_the_line_starting_with_the_label_words_stays_text():
    assert _read([
        "1.推进财政预决算公开。按要求公开预决算报告和表格。责任单位要加强对公开内容的审核。",
        "2.做好政策解读。重要政策文件与解读材料同步公开;责任单位 要加强对解读材料的审核。",
        "3.加强政府网站管理。定期开展网站内容检查。(责任单位:县政府办公室)",
    ]) == [
        ("推进财政预决算公开。按要求公开预决算报告和表格。责任单位要加强对公开内容的审核。", [], []),
        ("做好政策解读。重要政策文件与解读材料同步公开;责任单位要加强对解读材料的审核。", [], []),
        ("加强政府网站管理。定期开展网站内容检查。", [("县政府办公室", R)], []),
    ]
