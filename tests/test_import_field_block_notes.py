"""A web page's field table above the plan (索引号, 发文机关, 文号, 成文日期 … as " | " cells, as
"label:" lines with the value under them, or as "• label: value" bullets) is read for the plan's
metadata and then says nothing more: its cells are no introduction paragraphs and its 发文机关 cell
is no unit line. Text that really is left out (a lead paragraph) is still reported.

The documents are small ones written for these tests.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

BODY = """一、深化重点领域信息公开
1.按月公开财政收支情况,解读收支变化原因。(责任单位:县财政局)
2.及时公开政府债务限额、余额等信息。(责任单位:县财政局、县审计局)
"""
TASKS = [
    ("按月公开财政收支情况,解读收支变化原因。", [("县财政局", "responsible")]),
    ("及时公开政府债务限额、余额等信息。", [("县财政局", "responsible"), ("县审计局", "responsible")]),
]
TITLE = "青石县财政局2022年政务公开工作要点"


def tasks(plan) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(task.text, [(unit.name, unit.role) for unit in task.units]) for task in plan.tasks]


def notes_on(plan, first: int, last: int) -> list[str]:
    return [message for line, message in plan.warnings if first <= line <= last]


def test_pipe_field_table_without_a_title_reads_metadata_and_says_nothing_of_its_cells():
    document = ("索引号: | 001122334/2022-00871 | 公开方式: | 主动公开 |\n"
                "发文字号: | 青财发〔2022〕9号 | 成文日期: | 2022-03-15 | |\n"
                "发文机关: | 青石县财政局 | 发布日期: | 2022-03-18 |\n"
                "体裁分类: | 主题分类: | 财政类 |\n"
                "为做好今年政务公开工作,结合本局实际,制定本要点。\n" + BODY)
    plan = parse_document(document)
    assert notes_on(plan, 1, 4) == []
    assert plan.doc_number == "青财发〔2022〕9号"
    assert plan.issuer == "青石县财政局"
    assert plan.issued == dt.date(2022, 3, 15)
    assert plan.year == 2022
    # the lead paragraph is text left out: still said
    assert any("导语段落" in note and "为做好今年政务公开工作" in note for note in notes_on(plan, 5, 5))
    assert tasks(plan) == TASKS


def test_field_row_under_the_title_is_no_unit_line():
    document = f"{TITLE}\n印发日期:2022-03-15   |  文号:  |  发文机关:青石县财政局  |  查看更多属性\n" + BODY
    plan = parse_document(document)
    assert plan.title == TITLE
    assert plan.warnings == []  # neither "导语段落" nor "无法识别的责任单位:发文机关:…"
    assert plan.issuer == "青石县财政局"
    assert plan.issued == dt.date(2022, 3, 15)
    assert tasks(plan) == TASKS


def test_labels_with_their_values_on_the_next_line():
    document = (f"{TITLE}\n索引号:\n001122334/2022-00871\n发文机关:\n青石县财政局\n成文日期:\n2022-03-15\n"
                + BODY)
    plan = parse_document(document)
    assert plan.warnings == []
    assert plan.issuer == "青石县财政局"
    assert plan.issued == dt.date(2022, 3, 15)
    assert tasks(plan) == TASKS


def test_bulleted_fields_under_the_title():
    document = (f"{TITLE}\n• 索引号: 001122334/2022-00871\n• 发文机关: 青石县财政局\n• 文 号: 青财发〔2022〕9号\n"
                "• 成文日期: 2022年03月15日\n• 主题分类: 财政\n" + BODY)
    plan = parse_document(document)
    assert plan.warnings == []
    assert plan.doc_number == "青财发〔2022〕9号"
    assert plan.issuer == "青石县财政局"
    assert plan.issued == dt.date(2022, 3, 15)
    assert tasks(plan) == TASKS


FIELDS = [("索引号", "001122334/2022-00871"), ("公开方式", "主动公开"), ("发文字号", "青财发〔2022〕9号"),
          ("成文日期", "2022-03-15"), ("发文机关", "青石县财政局"), ("发布日期", "2022-03-18"),
          ("主题分类", "财政类"), ("发布机构", "青石县财政局")]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=6, unique=True), st.integers(1, 3),
       st.booleans())
def test_any_field_table_above_the_items_is_metadata_only(fields, per_row, titled):
    rows = [" | ".join(f"{label}: | {value}" for label, value in fields[i:i + per_row]) + " |"
            for i in range(0, len(fields), per_row)]
    head = [TITLE] if titled else []
    plan = parse_document("\n".join(head + rows) + "\n" + BODY)
    assert notes_on(plan, len(head) + 1, len(head) + len(rows)) == []
    assert tasks(plan) == TASKS
    given_fields = dict(fields)
    if "发文字号" in given_fields:
        assert plan.doc_number == "青财发〔2022〕9号"
    if "发文机关" in given_fields:
        assert plan.issuer == "青石县财政局"
    if "成文日期" in given_fields:
        assert plan.issued == dt.date(2022, 3, 15)
