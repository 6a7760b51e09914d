"""Layouts met in real plans the importer had not seen (helper `newdocs3`): each test's text is
written for the test in the layout seen, with its own tasks and units."""

from __future__ import annotations

from gktrack.features.importer import parse_document
from gktrack.features.importer.table import RESPONSIBLE, header_role

R, L, S = "responsible", "lead", "support"


def _tasks(plan):
    return [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks]


# ---- one unit column named for two roles ("牵头及责任单位") -------------------------------------

def test_a_unit_column_named_for_two_roles_is_a_unit_column():
    assert header_role("牵头及责任单位") == RESPONSIBLE
    assert header_role("牵头单位和配合单位") == RESPONSIBLE
    assert header_role("牵头与协办部门") == RESPONSIBLE


def test_a_table_with_a_lead_and_responsible_column_reads_its_header_as_a_header():
    text = "\n".join([
        "某县2019年政务公开工作要点分工方案",
        "工作任务 | 具体要求 | 牵头及责任单位 |",
        "一、加强政策解读 | 1.做好重要政策的解读。 | 县政府办牵头,县司法局负责 |",
        "二、回应社会关切 | 2.及时回应网民留言。 | 县融媒体中心牵头,县信访局负责 |",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("做好重要政策的解读。", [("县政府办", L), ("县司法局", R)], []),
        ("及时回应网民留言。", [("县融媒体中心", L), ("县信访局", R)], []),
    ]
    # the header is the table's: not a paragraph left out, nor a unit line without a task
    assert not any("工作任务" in message or "牵头及责任单位" in message for _, message in plan.warnings), plan.warnings
