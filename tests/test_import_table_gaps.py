"""No row of a table is lost between its parts.

A table flattened into text writes a row whose other cells merge with the rows above as its one
cell, without a "|"; a Word or web table split in two has a heading paragraph ("二、…") between its
parts, the second without a header. Each such line used to fall between the table's two parts and
disappear without a word. It is a row of the table: an item takes the merged units and deadline
from above, a heading heads the rows after it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document, read_document
from conftest import pairs

TITLE = "某县水务局2024年政务公开重点任务分工表"
HEADER = "工作任务 | 具体内容 | 责任单位 | 完成时限"


def _import(folder: Path, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return parse_document(read_document(path), year=2024)


def test_a_row_written_without_bars_between_rows_is_a_row(tmp_path):
    text = "\n".join([
        TITLE, HEADER,
        "一、水利政策公开 | 1.公开防汛抗旱政策文件,做好政策解读。 | 办公室 | 全年",
        "2.发布河湖长制工作动态,回应社会关切。",
        "二、工程建设公开 | 3.公开重点水利工程项目审批和建设信息。 | 工程建设股 | 6月底前",
        "4.公开农村饮水安全工程运行管理情况。",
    ]) + "\n"
    plan = _import(tmp_path, "分工表.txt", text)
    assert [t.text for t in plan.tasks] == [
        "公开防汛抗旱政策文件,做好政策解读。", "发布河湖长制工作动态,回应社会关切。",
        "公开重点水利工程项目审批和建设信息。", "公开农村饮水安全工程运行管理情况。"]
    assert [pairs(t) for t in plan.tasks] == [[("办公室", "responsible")]] * 2 + [[("工程建设股", "responsible")]] * 2
    assert [t.deadline for t in plan.tasks] == [["全年"], ["全年"], ["6月底前"], ["6月底前"]]
    assert [s.title for s in plan.sections] == ["水利政策公开", "工程建设公开"]
    titles = {s.key: s.title for s in plan.sections}
    assert [titles[t.section] for t in plan.tasks] == ["水利政策公开", "水利政策公开", "工程建设公开", "工程建设公开"]


def test_a_line_before_another_tables_header_is_not_taken_into_the_first(tmp_path):
    text = "\n".join([
        TITLE, HEADER,
        "一、水利政策公开 | 1.公开防汛抗旱政策文件,做好政策解读。 | 办公室 | 全年",
        "附表二",
        HEADER,
        "二、工程建设公开 | 2.公开重点水利工程项目审批和建设信息。 | 工程建设股 | 6月底前",
    ]) + "\n"
    plan = _import(tmp_path, "分工表.txt", text)
    assert [t.text for t in plan.tasks] == ["公开防汛抗旱政策文件,做好政策解读。", "公开重点水利工程项目审批和建设信息。"]
    assert all("附表二" not in t.text for t in plan.tasks)


def test_a_heading_between_the_parts_of_a_web_table_heads_the_rows_after_it(tmp_path):
    row = "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"
    page = (f"<html><body><p>{TITLE}</p><table>" + row.format("序号", "工作任务", "责任单位", "完成时限")
            + row.format("1", "公开防汛抗旱政策文件。", "办公室", "全年") + "</table>"
            + "<p>二、工程建设公开</p><table>"
            + row.format("2", "公开重点水利工程项目建设信息。", "工程建设股", "6月底前")
            + row.format("3", "公开农村饮水安全工程运行情况。", "农村水利股", "10月底前")
            + "</table></body></html>")
    plan = _import(tmp_path, "分工表.html", page)
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "工程建设公开")]
    assert [(t.text, t.section, pairs(t), t.deadline) for t in plan.tasks] == [
        ("公开防汛抗旱政策文件。", None, [("办公室", "responsible")], ["全年"]),
        ("公开重点水利工程项目建设信息。", plan.sections[0].key, [("工程建设股", "responsible")], ["6月底前"]),
        ("公开农村饮水安全工程运行情况。", plan.sections[0].key, [("农村水利股", "responsible")], ["10月底前"]),
    ]


ITEMS = ["公开防汛抗旱政策文件", "发布河湖长制工作动态", "公开水利工程审批信息", "公开饮水安全工程情况",
         "公开水资源管理信息", "公开河道采砂许可信息", "公开水土保持方案审批", "公开水利资金使用情况"]
UNITS = ["办公室", "工程建设股", "农村水利股", "水政监察大队"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from(UNITS)), min_size=2, max_size=len(ITEMS)))
def test_every_item_of_a_table_is_a_task_however_its_merged_rows_are_written(tmp_path_factory, rows):
    """Rows written whole or as their item alone (the rest merged from the row above), up to three
    in a row alone, the last one whole (a text that stops on an item alone may be cut short
    there): every item is one task, with the units of the last row that named them."""
    lines, expected, unit, alone = [TITLE, HEADER], [], None, 0
    for n, (whole, name) in enumerate(rows, 1):
        item = f"{n}.{ITEMS[n - 1]}。"
        alone = 0 if whole or unit is None or n == len(rows) or alone == 3 else alone + 1
        if not alone:
            unit = name
            lines.append(f"一、政务公开 | {item} | {unit} | 年底前" if n == 1 else f" | {item} | {unit} | 年底前")
        else:
            lines.append(item)
        expected.append((f"{ITEMS[n - 1]}。", [(unit, "responsible")]))
    plan = _import(tmp_path_factory.mktemp("t"), "分工表.txt", "\n".join(lines) + "\n")
    assert [(t.text, pairs(t)) for t in plan.tasks] == expected


def test_a_page_number_after_the_last_row_is_no_row_cut_short(tmp_path):
    text = "\n".join([
        TITLE, HEADER,
        "一、水利政策公开 | 1.公开防汛抗旱政策文件,做好政策解读。 | 办公室 | 全年",
        "二、工程建设公开 | 2.公开重点水利工程项目审批和建设信息。 | 工程建设股 | 6月底前",
        "第 2 页 共 2 页",
    ]) + "\n"
    plan = _import(tmp_path, "分工表.txt", text)
    assert [(t.text, pairs(t), t.deadline) for t in plan.tasks][-1] == (
        "公开重点水利工程项目审批和建设信息。", [("工程建设股", "responsible")], ["6月底前"])
    messages = [message for _, message in plan.warnings]
    # removed as the page number it is; no sentence was cut, so none is said to be rejoined
    assert "删除页码标记 1 处(“第 2 页 共 2 页”)" in messages
    assert not any("截断" in m or "没有任务内容" in m for m in messages), messages
