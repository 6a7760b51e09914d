"""The 进展填报表 and exports as units meet them in WPS/Excel: the evidence cell a hyperlink, a
date cell that Chinese Excel stores as a bare number, a form returned after the office changed
the plan, an export over a file that is open in Excel. Real repository, real CLI, openpyxl in
the place of the office software."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
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


def test_evidence_as_a_hyperlink_records_its_address(plans_repo, tmp_path):
    # Excel's Ctrl+K (WPS: 插入超链接) shows a caption and keeps the address in the link.
    path, book, ws, rows = _form(plans_repo, tmp_path)
    captioned, autolinked = rows["hl2022/1"], rows["hl2022/3"]
    ws.cell(captioned, FILL["本次进展"], "已发布 12 件")
    ws.cell(captioned, FILL["佐证材料"], "点击查看").hyperlink = "https://www.zs.gov.cn/gkml/12.html"
    # a typed address Excel turned into a link, the text beside it kept
    ws.cell(autolinked, FILL["本次进展"], "分类展示已完成")
    ws.cell(autolinked, FILL["完成情况"], "已完成")
    ws.cell(autolinked, FILL["佐证材料"], "https://www.zs.gov.cn/a https://www.zs.gov.cn/b").hyperlink = \
        "https://www.zs.gov.cn/a"
    book.save(path)
    plans_repo.ok("import-progress", path)
    assert plans_repo.json("show", "hl2022/1", "--json")["evidence"] == ["https://www.zs.gov.cn/gkml/12.html"]
    assert plans_repo.json("show", "hl2022/3", "--json")["parts"][0]["evidence"] == [
        "https://www.zs.gov.cn/a", "https://www.zs.gov.cn/b"]


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


def _store_as_chinese_excel_date(path, cell: str, serial: int = 45471, mac: bool = False) -> None:
    """Give ``cell`` the built-in number format 31, Chinese Excel's yyyy"年"m"月"d"日": the file
    names only the format's id, which openpyxl does not know, so the date reads as its serial.
    ``mac``: the workbook counts its dates from 1904, as Excel for Mac's did."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    if mac:
        book = parts["xl/workbook.xml"].decode()
        book = book.replace("<workbookPr/>", '<workbookPr date1904="1"/>', 1)
        assert 'date1904="1"' in book
        parts["xl/workbook.xml"] = book.encode()
    styles = parts["xl/styles.xml"].decode()
    head, xfs = styles.split("<cellXfs", 1)
    count = xfs[: xfs.index(">")]
    total = int(count.split('count="')[1].split('"')[0])
    styles = head + "<cellXfs" + xfs.replace("</cellXfs>", '<xf numFmtId="31" applyNumberFormat="1"/></cellXfs>', 1)
    styles = styles.replace(f'<cellXfs count="{total}"', f'<cellXfs count="{total + 1}"', 1)
    parts["xl/styles.xml"] = styles.encode()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index(f'<c r="{cell}"')
    end = sheet.index("</c>", start) + 4
    sheet = sheet[:start] + f'<c r="{cell}" s="{total}"><v>{serial}</v></c>' + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    path.write_bytes(buf.getvalue())


@pytest.mark.parametrize("serial, mac", [(45471, False), (45471 - 1462, True)])
def test_date_stored_as_a_serial_number(plans_repo, tmp_path, serial, mac):
    # 45471 is 2024-06-28 counted from 1900; Excel for Mac's old workbooks count from 1904-01-01,
    # where 44009 is that day (not a day in 2020)
    path, book, ws, rows = _form(plans_repo, tmp_path)
    row = rows["hl2022/1"]
    ws.cell(row, FILL["本次进展"], "已发布 12 件")
    ws.cell(row, FILL["工作日期"], "placeholder")
    book.save(path)
    date_column = "ABCDEFGHIJ"[FILL["工作日期"] - 1]
    _store_as_chinese_excel_date(path, f"{date_column}{row}", serial=serial, mac=mac)
    assert load_workbook(path).active[f"{date_column}{row}"].value == serial  # read as its number
    plans_repo.ok("import-progress", path)
    assert plans_repo.json("show", "hl2022/1", "--json")["progress"][-1]["date"] == "2024-06-28"


def test_export_over_a_file_open_in_excel(plans_repo, tmp_path, monkeypatch):
    # Windows refuses to replace a file Excel or WPS holds open: one line naming the file.
    target = tmp_path / "分工表.xlsx"
    target.write_bytes(b"old")
    replace = os.replace

    def locked(src, dst, *args, **kwargs):
        if os.fspath(dst) == os.fspath(target) or os.fspath(dst).endswith((".ics", ".csv")):
            raise PermissionError(13, "另一个程序正在使用此文件,进程无法访问。", os.fspath(dst))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", locked)
    for argv in (("export", "--plan", "hl2022", "-o", target),
                 ("export", "--plan", "hl2022", "-o", tmp_path / "分工表.csv"),
                 ("calendar", "--unit", "司法所", "-o", tmp_path / "期限.ics")):
        line = plans_repo.fail(*argv, code=2)
        assert "无法写入" in line and "WPS" in line and line.count("\n") == 0
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_rows_sorted_without_the_hidden_column(plans_repo, tmp_path):
    # Protection removed and the rows sorted by their visible columns only (the selection A:J):
    # the check values stay where they were, the rows are still the unit's own.
    path, book, ws, rows = _form(plans_repo, tmp_path)
    ws.protection.sheet = False
    for merged in [m for m in ws.merged_cells.ranges if m.min_row > 3]:
        ws.unmerge_cells(str(merged))
    first, last = min(rows.values()), max(rows.values())
    visible = [[ws.cell(r, c).value for c in range(1, len(FORM_COLUMNS) + 1)] for r in range(first, last + 1)]
    visible.reverse()
    for offset, values in enumerate(visible):
        for column, value in enumerate(values, start=1):
            ws.cell(first + offset, column, value)
    moved = first + [v[0] for v in visible].index("hl2022/1")
    assert moved != rows["hl2022/1"]
    ws.cell(moved, FILL["本次进展"], "已发布 12 件")
    book.save(path)
    assert "已记录 1 条进展" in plans_repo.ok("import-progress", path)
    assert plans_repo.json("show", "hl2022/1", "--json")["progress"][-1]["note"] == "已发布 12 件"


def test_done_with_a_date_in_brackets_as_the_division_sheet_writes_it(plans_repo, tmp_path):
    # copied from the 分工表's 完成情况 column: "已完成(2022-06-28)"; the word counts
    path, book, ws, rows = _form(plans_repo, tmp_path)
    ws.cell(rows["hl2022/1"], FILL["本次进展"], "已发布 12 件")
    ws.cell(rows["hl2022/1"], FILL["完成情况"], "已完成(2022-06-28)")
    ws.cell(rows["hl2022/1"], FILL["工作日期"], "2022-06-28")
    book.save(path)
    plans_repo.ok("import-progress", path)
    task = plans_repo.json("show", "hl2022/1", "--json")
    assert (task["state"], task["closed"]) == ("done", "2022-06-28")
