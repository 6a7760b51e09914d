"""A 分工表 whose first column carries the section ("一、…" on the first row of its group, blank
below, as a merged cell flattens), the next one the sub-section ("(一)…"), then the numbered tasks
and their units, under header words that say otherwise ("工作要求 | 一级要点 | 二级要点"): the first
column's cells are sections, not text of the first task; and a task cell holding items numbered on
with the rows around it ("3.… 4.…") is one task per item, sharing the row's units and deadline.

The documents are small ones written for these tests, in the shapes real pages have.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

L, S, R = "lead", "support", "responsible"

TABLE = "\n".join([
    "桐溪县卫生健康局2023年政务公开工作要点分工方案",
    "工作要求 | 一级要点 | 二级要点 | 责任科室 | 完成时限 |",
    "一、夯实公开工作基础 | (一)做好规范性文件公开。 | 1.统一使用规范文本,及时更新文件库。 | 法规科牵头,办公室配合 | 6月底前 |",
    "2.清理规范性文件底数,标注有效性。 | 办公室牵头,各科室按职责分工落实 | 长期坚持 | ||",
    "(二)规范依申请公开办理。 | 3.用好依申请公开系统,全流程网上办理。 4.健全答复审核机制,提升办理质量。 | 办公室 | 9月底前 | |",
    "二、加强政策解读回应 | (三)提升解读质量。 | 5.落实解读与文件同步起草、同步发布。 | 各科室 | 长期坚持 |",
])


def test_the_first_column_heads_sections_and_its_text_joins_no_task():
    plan = parse_document(TABLE)
    assert [(s.key, s.number, s.title) for s in plan.sections] == [
        ("1", "一、", "夯实公开工作基础"),
        ("1.1", "(一)", "做好规范性文件公开"),
        ("1.2", "(二)", "规范依申请公开办理"),
        ("2", "二、", "加强政策解读回应"),
        ("2.1", "(三)", "提升解读质量"),
    ]
    assert [(t.number, t.section, t.text) for t in plan.tasks] == [
        ("1.", "1.1", "统一使用规范文本,及时更新文件库。"),
        ("2.", "1.1", "清理规范性文件底数,标注有效性。"),
        ("3.", "1.2", "用好依申请公开系统,全流程网上办理。"),
        ("4.", "1.2", "健全答复审核机制,提升办理质量。"),
        ("5.", "2.1", "落实解读与文件同步起草、同步发布。"),
    ]
    assert [(u.name, u.role) for u in plan.tasks[0].units] == [("法规科", L), ("办公室", S)]


def test_two_items_in_one_cell_share_the_rows_units_and_deadline():
    plan = parse_document(TABLE)
    third, fourth = plan.tasks[2], plan.tasks[3]
    assert [(u.name, u.role) for u in third.units] == [(u.name, u.role) for u in fourth.units] == [("办公室", R)]
    assert third.deadline == fourth.deadline == ["9月底前"]
    assert plan.tasks[4].deadline == ["长期坚持"]


def test_requirements_numbered_anew_in_each_row_stay_one_task_each():
    plan = parse_document("\n".join([
        "桐溪县2023年政务公开工作要点分工",
        "工作任务 | 具体措施 | 责任单位 |",
        "深化决策公开 | 1.做好重大决策预公开。2.邀请群众代表列席会议。 | 县政府办公室 |",
        "加强政策解读 | 1.同步起草解读材料。2.开展在线访谈。 | 县司法局 |",
    ]))
    assert [t.text for t in plan.tasks] == [
        "深化决策公开\n1.做好重大决策预公开。2.邀请群众代表列席会议。",
        "加强政策解读\n1.同步起草解读材料。2.开展在线访谈。",
    ]


def test_a_row_numbered_in_its_own_column_stays_one_task():
    plan = parse_document("\n".join([
        "桐溪县2023年政务公开工作要点分工",
        "序号 | 工作任务 | 责任单位 |",
        "1 | 1.做好重大决策预公开。 2.邀请群众代表列席会议。 | 县政府办公室 |",
        "2 | 1.同步起草解读材料。 2.开展在线访谈。 | 县司法局 |",
    ]))
    assert [(t.number, t.text) for t in plan.tasks] == [
        ("1", "做好重大决策预公开。 2.邀请群众代表列席会议。"),
        ("2", "同步起草解读材料。 2.开展在线访谈。"),
    ]


# ---- property: any such table --------------------------------------------------------------------

_CN = "一二三四五六七八九"
_WORDS = st.text(alphabet="推进落实做好信息平台建设规范管理服务决策解读回应标准发布", min_size=3, max_size=9)
_UNITS = ["办公室", "法规科", "财务科", "各科室"]
_DEADLINES = ["6月底前", "9月底前", "长期坚持", "年底前"]


@st.composite
def tables(draw):
    """(lines, sections, tasks): sections of sub-sections of rows; a row's cell holds one item or
    two numbered on (never two on the table's first row: nothing yet says its numbers are the table's)."""
    lines = ["桐溪县2023年政务公开工作要点分工方案", "工作要求 | 一级要点 | 二级要点 | 责任科室 | 完成时限 |"]
    sections, tasks = [], []
    sub, item = 0, 0
    for top in range(draw(st.integers(1, 2))):
        title = draw(_WORDS)
        sections.append((str(top + 1), _CN[top] + "、", title))
        for inner in range(draw(st.integers(1, 2))):
            heading = draw(_WORDS)
            sections.append((f"{top + 1}.{inner + 1}", f"({_CN[sub]})", heading))
            sub += 1
            for row in range(draw(st.integers(1, 2))):
                count = 1 if item == 0 else draw(st.integers(1, 2))
                unit, deadline = draw(st.sampled_from(_UNITS)), draw(st.sampled_from(_DEADLINES))
                texts = [draw(_WORDS) + "。" for _ in range(count)]
                cell = " ".join(f"{item + k + 1}.{text}" for k, text in enumerate(texts))
                for text in texts:
                    item += 1
                    tasks.append((f"{item}.", f"{top + 1}.{inner + 1}", text, unit, deadline))
                cells = ([f"{_CN[top]}、{title}"] if inner == 0 and row == 0 else []) \
                    + ([f"({_CN[sub - 1]}){heading}。"] if row == 0 else []) + [cell, unit, deadline]
                lines.append(" | ".join(cells) + " |" * (6 - len(cells)))
    return lines, sections, tasks


@settings(max_examples=40, deadline=None)
@given(tables())
def test_any_table_of_this_shape_gives_its_sections_and_one_task_per_item(table):
    lines, sections, tasks = table
    plan = parse_document("\n".join(lines))
    assert [(s.key, s.number, s.title) for s in plan.sections] == sections
    assert [(t.number, t.section, t.text, [u.name for u in t.units], t.deadline) for t in plan.tasks] == [
        (number, section, text, [unit], [deadline]) for number, section, text, unit, deadline in tasks]
