"""A task closed by two labelled unit lines keeps both labels in the phrase it shows; the plan's
name and year read from the sentence that makes or hands the plan over.

The documents are small ones written for these tests, in the shapes real notices take.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.unitphrase import parse_unit_phrase
from gktrack.features.importer import parse_document
from gktrack.features.importer.sources import text_document


UNITS = ["法制科", "办公室", "各业务科室", "后勤保障科", "信息中心"]


@settings(max_examples=30, deadline=None)
@given(lead=st.sampled_from(UNITS), other=st.sampled_from(UNITS),
       second=st.sampled_from(["责任单位", "配合单位", "责任部门"]))
def test_two_unit_lines_show_both_labels_and_read_back_the_same(lead, other, second):
    if lead == other:
        return
    text = ("一、规范公开内容\n"
            "(一)信息类别:规范性文件\n梳理应予公开的规范性文件。\n"
            f"牵头单位:{lead}\n{second}:{other}\n"
            "(二)信息类别:收费信息\n公开收费项目和标准。\n"
            "责任单位:财务科\n")
    plan = parse_document(text_document(text, "附件1.docx"), year=2024)
    first, last = plan.tasks
    assert first.units_text == f"牵头单位:{lead};{second}:{other}"
    assert [(unit.name, unit.role) for unit in first.units] == [(lead, "lead"), (other, unit_role(second))]
    assert parse_unit_phrase(first.units_text) == first.units
    assert last.units_text == "财务科"


def unit_role(label: str) -> str:
    return "support" if label.startswith("配合") else "responsible"
