"""The 进展填报表 and exports as units meet them in WPS/Excel: the evidence cell a hyperlink, a
date cell that Chinese Excel stores as a bare number, a form returned after the office changed
the plan, an export over a file that is open in Excel. Real repository, real CLI, openpyxl in
the place of the office software."""

from __future__ import annotations

from openpyxl import load_workbook

from gktrack.features.exchange.export import FORM_COLUMNS

FILL = {name: FORM_COLUMNS.index(name) + 1 for name in ("具体要求", "本次进展", "完成情况", "工作日期", "佐证材料")}


def _form(gk, tmp_path, unit="司法所"):
    out = tmp_path / "填报表.xlsx"
    gk.ok("export", "--unit", unit, "--form", "-o", out)
    book = load_workbook(out)
    ws = book.active
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    return out, book, ws, rows


def test_rows_left_blank_are_not_checked_against_a_changed_plan(plans_repo, tmp_path):
    # The form was out for a week: the office reworded one task and gave another to a different
    # unit. The unit filled neither row; only the row it filled is its return.
    path, book, ws, rows = _form(plans_repo, tmp_path)
    ws.cell(rows["hl2022/1"], FILL["本次进展"], "已发布 12 件")
    book.save(path)
    plans_repo.ok("assign", "hl2022/2", "--unit", "党政综合办")
    plans_repo.ok("unassign", "hl2022/2", "各有关单位")
    with open(plans_repo.root / "plans" / "hl2022.yaml", encoding="utf-8") as handle:
        text = handle.read()
    with open(plans_repo.root / "plans" / "hl2022.yaml", "w", encoding="utf-8") as handle:
        handle.write(text.replace("完善规范性文件、其他文件的分类展示", "完善规范性文件和其他文件的分类展示", 1))
    plans_repo.ok("commit-edits")
    result = plans_repo("import-progress", path)
    assert result.code == 0, result.err
    assert "已记录 1 条进展" in result.out and "未记录" not in result.err
    # a filled row of a reworded task is still refused, by its row number
    ws.cell(rows["hl2022/3"], FILL["本次进展"], "分类展示已完成")
    book.save(path)
    result = plans_repo("import-progress", path)
    assert result.code == 1
    assert f"第 {rows['hl2022/3']} 行:任务 hl2022/3 的“具体要求”与计划不一致" in result.err
