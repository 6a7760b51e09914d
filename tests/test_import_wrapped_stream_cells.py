"""The importer on a table copied from a web page as one cell per line with a lone "|" line after
each cell: a cell broken over many lines is still one cell, and the page's furniture after the
table ("打印本页", "分享到:") does not cut off the last row."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

R = "responsible"

ROWS = [
    ("全面梳理本系统现行有效的规范性文件,按照统一格式集中公开并标注文件的有效状态,方便群众查询使用。",
     "县司法局,县直各部门", "6月底前"),
    ("围绕义务教育招生入学、学生资助等群众关注事项,细化公开内容,及时发布办事指南和办理结果。",
     "县教育局", "持续推进"),
    ("健全政策咨询答复机制,对企业和群众反映集中的问题定期汇总分析,形成问答库并在网站专栏公开更新。",
     "县政务服务中心,各乡镇人民政府", "年底前"),
]


def stream(rows=ROWS, width: int | None = None) -> str:
    """The table as "cell", "|", "cell", "|"…, the last cell without its "|"; long cells broken at ``width``."""
    def lines(cell: str) -> list[str]:
        if width is None or len(cell) <= width:
            return [cell]
        return [cell[i:i + width] for i in range(0, len(cell), width)]

    cells = ["工作任务", "责任单位", "完成时限"] + [c for row in rows for c in row]
    out: list[str] = []
    for cell in cells:
        out += lines(cell) + ["|"]
    return "某县2024年政务公开重点工作任务分工\n" + "\n".join(out[:-1]) + "\n"


def tasks_of(plan) -> list[tuple]:
    """Each task's text (a cell's line breaks kept as written are left out), units and deadline."""
    return [(t.text.replace("\n", ""), [(u.name, u.role) for u in t.units], list(t.deadline)) for t in plan.tasks]


EXPECTED = [
    (ROWS[0][0], [("县司法局", R), ("县直各部门", R)], ["6月底前"]),
    (ROWS[1][0], [("县教育局", R)], ["持续推进"]),
    (ROWS[2][0], [("县政务服务中心", R), ("各乡镇人民政府", R)], ["年底前"]),
]


def test_the_stream_as_written():
    assert tasks_of(parse_document(stream())) == EXPECTED


def test_a_cell_broken_over_many_lines_stays_one_cell():
    """Each task cell broken into five or six lines (more than the few the reader looks ahead)."""
    text = stream(width=10)
    assert max(len(line) for line in text.splitlines()[1:]) == 10
    plan = parse_document(text)
    assert tasks_of(plan) == EXPECTED
    assert not [m for _, m in plan.warnings if "未导入" in m], plan.warnings


def test_a_long_last_cell_is_read_to_the_end():
    rows = ROWS[:2] + [("持续推进", "县政务服务中心", ROWS[2][0])]
    plan = parse_document(stream(rows, width=12))
    assert plan.tasks[-1].text == "持续推进"
    assert len(plan.tasks) == 3


def test_page_furniture_after_the_stream_keeps_the_last_row():
    plan = parse_document(stream() + "\n打印本页 关闭窗口\n分享到:\n")
    assert tasks_of(plan) == EXPECTED
    assert not [m for _, m in plan.warnings if "未导入" in m], plan.warnings


def test_page_furniture_after_pipe_rows_keeps_the_last_row():
    """" | " rows, the last one a heading cut off by the excerpt: the same plan with the page's
    furniture after it as without."""
    rows = ["工作任务 | 责任单位 | 完成时限"] + [" | ".join(row) for row in ROWS] + ["二、加"]
    text = "某县2024年政务公开重点工作任务分工\n" + "\n".join(rows) + "\n"
    plain = parse_document(text)
    chrome = parse_document(text + "\n打印本页 关闭窗口\n分享到:\n")
    assert tasks_of(chrome) == tasks_of(plain)
    assert [(s.key, s.title) for s in chrome.sections] == [(s.key, s.title) for s in plain.sections]
    assert [t.text for t in plain.tasks][:3] == [r[0] for r in ROWS]


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=10, max_value=60), st.booleans())
def test_breaking_cells_at_any_width_keeps_the_plan(width, furniture):
    text = stream(width=width) + ("\n打印本页 关闭窗口\n分享到:\n" if furniture else "")
    assert tasks_of(parse_document(text)) == EXPECTED


# ---- a blank line after every line -------------------------------------------------------------

GROUPED = "\n|\n".join([
    "工作任务", "具体要求", "责任科室", "时限要求",
    "规范公开政策文件", "1", "清理本单位制发的规范性文件,公布现行有效文件目录。", "综合科", "年底前",
    "2", "对新制发的文件同步发布解读材料。", "各科室", "持续推进",
    "回应群众关切", "3", "按时办理网站留言并公开答复情况。", "信访科", "持续推进",
]) + "\n"


def plan_of(plan) -> tuple:
    return [(s.key, s.title) for s in plan.sections], [(t.section, *task) for t, task in zip(plan.tasks, tasks_of(plan))]


def test_a_blank_line_after_every_line_keeps_the_groups():
    """The "|" lines and the cells all spaced by a blank line: the header's first cell is still the
    table's, so the group cells stay sections and the rows stay aligned."""
    plain = parse_document(GROUPED)
    assert [(s.key, s.title) for s in plain.sections] == [("1", "规范公开政策文件"), ("2", "回应群众关切")]
    assert [(t.section, t.text, [u.name for u in t.units]) for t in plain.tasks] == [
        ("1", "清理本单位制发的规范性文件,公布现行有效文件目录。", ["综合科"]),
        ("1", "对新制发的文件同步发布解读材料。", ["各科室"]),
        ("2", "按时办理网站留言并公开答复情况。", ["信访科"])]
    spaced = parse_document("\n\n".join(GROUPED.split("\n")))
    assert plan_of(spaced) == plan_of(plain)
    assert plan_of(parse_document("\n\n".join(stream().split("\n")))) == plan_of(parse_document(stream()))
