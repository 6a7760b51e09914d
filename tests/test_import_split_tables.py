"""A table split in two parts is read as one table, and what stands between the parts is judged.

The part after the split (its header repeated after a page number, or none at all) goes on the
table before it; the table then ends where that part ends: a text that stops inside its last row
leaves that row without the units and deadline of the row above, as for a table in one part. A
numbered heading ("二、…") between the parts heads the rows after it; a paragraph of prose there
(an unnumbered sentence) is no heading and no task: it is left out, and the user is told.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import pairs
from gktrack.features.importer import parse_document, read_document

TITLE = "某县水务局2024年政务公开重点任务分工表"
PROSE = "各股室要对照任务逐项抓好落实,确保按时完成。"


def _import(path: Path):
    return parse_document(read_document(path), year=2024)


def _line_of(path: Path, text: str) -> int:
    return next(line.no for line in read_document(path).lines if line.text.strip() == text)


def _left_out(plan, path: Path, *texts: str) -> None:
    """Each text is named in a warning at its own line, and in no task or section."""
    for text in texts:
        assert any(line == _line_of(path, text) and "未导入" in message and text[:10] in message
                   for line, message in plan.warnings), plan.warnings
        assert all(text[:10] not in t.text for t in plan.tasks)
        assert all(text[:10] not in s.title for s in plan.sections)


def test_a_text_table_cut_short_after_its_repeated_header_leaves_the_last_row_its_own(tmp_path):
    path = tmp_path / "分工表.txt"
    path.write_text("\n".join([
        TITLE,
        "工作任务 | 具体内容 | 责任单位 | 完成时限",
        "一、水利政策公开 | 1.公开防汛抗旱政策文件,做好政策解读。 | 办公室 | 全年",
        " | 2.发布河湖长制工作动态,回应社会关切。 | 河湖股 | 6月底前",
        "- 2 -",
        "工作任务 | 具体内容 | 责任单位 | 完成时限",
        "二、工程建设公开 | 3.公开重点水利工程项目审批和建设信息。 | 工程建设股 | 6月底前",
        " | 4.公开农村饮水安全工程运行管理",
    ]) + "\n", encoding="utf-8")
    plan = _import(path)
    assert [(s.number, s.title) for s in plan.sections] == [("一、", "水利政策公开"), ("二、", "工程建设公开")]
    assert [(t.text, pairs(t), t.deadline) for t in plan.tasks] == [
        ("公开防汛抗旱政策文件,做好政策解读。", [("办公室", "responsible")], ["全年"]),
        ("发布河湖长制工作动态,回应社会关切。", [("河湖股", "responsible")], ["6月底前"]),
        ("公开重点水利工程项目审批和建设信息。", [("工程建设股", "responsible")], ["6月底前"]),
        # cut short: its units and deadline are unknown, not those of the row above
        ("公开农村饮水安全工程运行管理", [], []),
    ]
    assert any(line == 8 and "中断" in message for line, message in plan.warnings)


def test_a_text_table_continued_without_header_keeps_its_heading_leaves_out_prose_and_ends_cut(tmp_path):
    path = tmp_path / "分工表.txt"
    between = ["各股室要对照任务逐项抓好落实。", "重点工程信息要及时更新;", "主动回应群众关切。"]
    path.write_text("\n".join([
        TITLE,
        "| 序号 | 工作任务 | 责任单位 | 完成时限 |",
        "| 1 | 公开防汛抗旱政策文件,做好政策解读。 | 办公室 | 全年 |",
        "| 2 | 发布河湖长制工作动态,回应社会关切。 | 河湖股 | 6月底前 |",
        "",
        "二、工程建设公开",
        *between,
        "| 3 | 公开重点水利工程项目审批和建设信息。 | 工程建设股 | 6月底前 |",
        "| 4 | 公开水利建设资金使用情况。 | 规划财务股 | 9月底前 |",
        "| 5 | 公开农村饮水安全工程运行管理",
    ]) + "\n", encoding="utf-8")
    plan = _import(path)
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "工程建设公开")]
    heading = plan.sections[0].key
    assert [(t.text, t.section, pairs(t), t.deadline) for t in plan.tasks] == [
        ("公开防汛抗旱政策文件,做好政策解读。", None, [("办公室", "responsible")], ["全年"]),
        ("发布河湖长制工作动态,回应社会关切。", None, [("河湖股", "responsible")], ["6月底前"]),
        ("公开重点水利工程项目审批和建设信息。", heading, [("工程建设股", "responsible")], ["6月底前"]),
        ("公开水利建设资金使用情况。", heading, [("规划财务股", "responsible")], ["9月底前"]),
        ("公开农村饮水安全工程运行管理", heading, [], []),
    ]
    _left_out(plan, path, *between)


ROW = "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"


def _web_page(between: list[str]) -> str:
    return (f"<html><body><p>{TITLE}</p><table>" + ROW.format("序号", "工作任务", "责任单位", "完成时限")
            + ROW.format("1", "公开防汛抗旱政策文件。", "办公室", "全年") + "</table>"
            + "".join(f"<p>{text}</p>" for text in between) + "<table>"
            + ROW.format("2", "公开重点水利工程项目建设信息。", "工程建设股", "6月底前")
            + ROW.format("3", "公开农村饮水安全工程运行情况。", "农村水利股", "10月底前")
            + "</table></body></html>")


TASKS = [("公开防汛抗旱政策文件。", [("办公室", "responsible")], ["全年"]),
         ("公开重点水利工程项目建设信息。", [("工程建设股", "responsible")], ["6月底前"]),
         ("公开农村饮水安全工程运行情况。", [("农村水利股", "responsible")], ["10月底前"])]


def test_a_paragraph_between_the_parts_of_a_web_table_is_no_section(tmp_path):
    path = tmp_path / "分工表.html"
    path.write_text(_web_page([PROSE]), encoding="utf-8")
    plan = _import(path)
    assert plan.sections == []
    assert [(t.text, t.section, pairs(t), t.deadline) for t in plan.tasks] == [(*t[:1], None, *t[1:]) for t in TASKS]
    _left_out(plan, path, PROSE)


def test_a_heading_then_a_paragraph_between_the_parts_of_a_web_table(tmp_path):
    path = tmp_path / "分工表.html"
    prose = "重点工程信息要在项目所在地公示;"
    path.write_text(_web_page(["二、工程建设公开", prose]), encoding="utf-8")
    plan = _import(path)
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "工程建设公开")]
    heading = plan.sections[0].key
    assert [(t.text, t.section) for t in plan.tasks] == [
        ("公开防汛抗旱政策文件。", None), ("公开重点水利工程项目建设信息。", heading),
        ("公开农村饮水安全工程运行情况。", heading)]
    _left_out(plan, path, prose)


def test_a_paragraph_between_the_parts_of_a_word_table_is_no_section(tmp_path):
    docx = pytest.importorskip("docx")
    word = docx.Document()
    word.add_paragraph(TITLE)
    rows = [("序号", "工作任务", "责任单位", "完成时限"), ("1", *TASKS[0][:1], "办公室", "全年")]
    for part in (rows, [("2", TASKS[1][0], "工程建设股", "6月底前"), ("3", TASKS[2][0], "农村水利股", "10月底前")]):
        table = word.add_table(rows=len(part), cols=4)
        for row, texts in zip(table.rows, part):
            for cell, text in zip(row.cells, texts):
                cell.text = text
        if part is rows:
            word.add_paragraph(PROSE)
    path = tmp_path / "分工表.docx"
    word.save(path)
    plan = _import(path)
    assert plan.sections == []
    assert [(t.text, pairs(t), t.deadline) for t in plan.tasks] == TASKS
    _left_out(plan, path, PROSE)
