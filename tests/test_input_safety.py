"""Issue 18, cases 11–15: bad input and injection. Spreadsheet cells are never formulas, returned
forms are checked row by row against the unit and task they were made for, control characters
are refused on input and escaped on output, files too big or too strange are refused with one
Chinese line, and ``undo`` only reverts what this clone did and the person may do."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import HAN, Gk, git, run_main
from gktrack.features.exchange.export import FORM_COLUMNS

FORMULAS = ["=cmd|'/C calc'!A0", "+1+1", "@SUM(1,2)", "-2+3"]


def _add_formula_tasks(gk: Gk) -> list[str]:
    refs = []
    for text in FORMULAS:
        refs.append(gk.ok("add", "hl2022", "--unit", "司法所", "--", text).strip())
    return refs


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("xl/worksheets/sheet1.xml").decode("utf-8")


# --- case 11: no exported cell is a formula ------------------------------------------------------


def test_exported_cells_that_look_like_formulas_are_text(plans_repo, tmp_path):
    _add_formula_tasks(plans_repo)
    sheet = tmp_path / "分工表.xlsx"
    form = tmp_path / "填报表.xlsx"
    table = tmp_path / "分工表.csv"
    plans_repo.ok("export", "--plan", "hl2022", "-o", sheet)
    plans_repo.ok("export", "--unit", "司法所", "--form", "-o", form)
    plans_repo.ok("export", "--plan", "hl2022", "-o", table)
    for path in (sheet, form):
        assert "<f>" not in _xml(path)  # no formula anywhere
        ws = load_workbook(path).active
        cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        for text in FORMULAS:
            assert cells[text].data_type == "s", (path.name, text)
            assert cells[text].quotePrefix, (path.name, text)
    rows = list(csv.reader(io.StringIO(table.read_text("utf-8-sig"))))
    texts = [row[2] for row in rows[1:]]
    for text in FORMULAS:
        assert "'" + text in texts and text not in texts


# --- case 12: a returned form is checked row by row ----------------------------------------------


def _fill(path: Path, edits: dict[str, dict[int, object]], unit: str | None = None) -> dict[str, int]:
    book = load_workbook(path)
    ws = book.active
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    for ref, cells in edits.items():
        for column, value in cells.items():
            ws.cell(rows[ref], column).value = value
    if unit is not None:
        hidden = [k for k, d in ws.column_dimensions.items() if d.hidden][0]
        ws[f"{hidden}2"] = unit
    book.save(path)
    return rows


NOTE = FORM_COLUMNS.index("本次进展") + 1
TEXT = FORM_COLUMNS.index("具体要求") + 1


def test_the_form_sheet_is_protected_but_for_the_columns_to_fill(plans_repo, tmp_path):
    path = tmp_path / "表.xlsx"
    plans_repo.ok("export", "--unit", "司法所", "--form", "-o", path)
    ws = load_workbook(path).active
    assert ws.protection.sheet
    assert ws.cell(4, NOTE).protection.locked is False and ws.cell(4, TEXT).protection.locked is True


def test_a_form_whose_unit_was_changed_is_refused_row_by_row(plans_repo, tmp_path):
    path = tmp_path / "司法所.xlsx"
    plans_repo.ok("export", "--unit", "司法所", "--form", "-o", path)
    # hl2022/3 is shared: 司法所 leads, 党政综合办 supports; the unit cell now says 党政综合办
    rows = _fill(path, {"hl2022/3": {NOTE: "冒充党政综合办的进展"}}, unit="党政综合办")
    before = plans_repo.count()
    result = plans_repo("import-progress", path)
    assert result.code == 1 and plans_repo.count() == before
    assert f"第 {rows['hl2022/3']} 行:任务 hl2022/3 这一行的校验值不符" in result.err


def test_rows_of_another_units_form_and_blank_texts_are_refused(plans_repo, tmp_path):
    mine = tmp_path / "司法所.xlsx"
    theirs = tmp_path / "党政综合办.xlsx"
    plans_repo.ok("export", "--unit", "司法所", "--form", "-o", mine)
    plans_repo.ok("export", "--unit", "党政综合办", "--form", "-o", theirs)
    # the 党政综合办 row of the shared task, check value and all, pasted over 司法所's row
    other = load_workbook(theirs).active
    other_row = next(r for r in range(4, other.max_row + 1) if other.cell(r, 1).value == "hl2022/3")
    pasted = {c: other.cell(other_row, c).value for c in range(1, other.max_column + 1)}
    book = load_workbook(mine)
    ws = book.active
    row_of = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    for column, value in pasted.items():
        ws.cell(row_of["hl2022/3"], column, value)
    ws.cell(row_of["hl2022/3"], NOTE, "别的表里的行")
    ws.cell(row_of["hl2022/1"], TEXT).value = None  # 具体要求 cleared to get past the text check
    ws.cell(row_of["hl2022/1"], NOTE, "清空了具体要求")
    ws.cell(row_of["qz2024/1"], NOTE, "正常的进展")
    book.save(mine)
    result = plans_repo("import-progress", mine)
    assert result.code == 1
    assert f"第 {row_of['hl2022/3']} 行:任务 hl2022/3 这一行的校验值不符" in result.err
    assert f"第 {row_of['hl2022/1']} 行:任务 hl2022/1 的“具体要求”为空" in result.err
    assert "已记录 1 条进展" in result.out  # the honest row still goes in
    assert plans_repo.json("show", "hl2022/3", "--json")["progress"] == []
    assert plans_repo.json("show", "qz2024/1", "--json")["progress"][-1]["note"] == "正常的进展"


# --- case 13: control characters --------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["progress", "hl2022/1", "正常\x1b[2J\x1b]0;标题\x07清屏"],
    ["progress", "hl2022/1", "看不见\r覆盖"],
    ["add", "hl2022", "任务\u202e反向"],
    ["close", "hl2022/1", "-m", "\x1b[31m红\x1b[0m"],
    ["new-plan", "x2024", "--year", "2024", "--title", "标\x00题"],
])
def test_control_characters_are_refused_on_the_command_line(plans_repo, argv):
    line = plans_repo.fail(*argv, code=2)
    assert "控制字符" in line and "\x1b" not in line


def test_windows_line_ends_on_the_command_line_are_kept_as_line_feeds(plans_repo):
    plans_repo.ok("progress", "hl2022/1", "第一行\r\n第二行")
    assert plans_repo.json("show", "hl2022/1", "--json")["progress"][-1]["note"] == "第一行\n第二行"


def test_control_characters_in_files_are_shown_escaped_and_exported(plans_repo, tmp_path):
    path = plans_repo.root / "plans" / "hl2022.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("    text: 做好政务数据开放\n", '    text: "做好\\e[2J政务数据\\u202e开放"\n'),
                    encoding="utf-8")
    plans_repo.hand_commit("手工写入控制字符", "plans/hl2022.yaml")
    for argv in (["status", "--plan", "hl2022"], ["show", "hl2022/4"], ["overdue"], ["log", "-n", "3"]):
        result = run_main(argv)
        assert result.code == 0, (argv, result.err)
        assert "\x1b" not in result.out and "\u202e" not in result.out, argv
    assert "\\x1b[2J" in run_main(["show", "hl2022/4"]).out
    # JSON keeps the value, but as escapes a terminal or an editor will not act on
    for argv in (["status", "--plan", "hl2022", "--json"], ["show", "hl2022/4", "--json"]):
        out = run_main(argv).out
        assert "\x1b" not in out and "\u202e" not in out and "\\u202e" in out, argv
    task = next(t for t in json.loads(run_main(["status", "--plan", "hl2022", "--json"]).out) if t["id"] == "hl2022/4")
    assert task["text"] == "做好\x1b[2J政务数据\u202e开放"
    out = tmp_path / "分工表.xlsx"
    plans_repo.ok("export", "--plan", "hl2022", "-o", out)  # no crash on what .xlsx cannot hold
    values = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert "做好\\x1b[2J政务数据\\u202e开放" in values


def test_control_characters_in_a_returned_form_are_refused(plans_repo, tmp_path):
    path = tmp_path / "表.xlsx"
    plans_repo.ok("export", "--unit", "司法所", "--form", "-o", path)
    # XML 1.0 holds no C0 control but tab, CR and LF; it does hold C1 and the bidi overrides
    rows = _fill(path, {"hl2022/1": {NOTE: "进展\u202e红"}, "hl2022/3": {NOTE: "第一行\r\n第二行"}})
    result = plans_repo("import-progress", path)
    assert result.code == 1 and "\u202e" not in result.err
    assert f"第 {rows['hl2022/1']} 行:“本次进展”中含有控制字符(U+202E)" in result.err
    assert plans_repo.json("show", "hl2022/3", "--json")["progress"][-1]["note"] == "第一行\n第二行"


# --- case 14: what is too big, too strange or in the wrong place --------------------------------------


def test_calendar_with_a_deadline_in_year_9999_and_into_a_folder(plans_repo, tmp_path):
    plans_repo.ok("add", "hl2022", "遥远的任务", "--unit", "司法所", "--due", "9999-12-31")
    result = run_main(["calendar", "-o", tmp_path / "期限.ics"])
    assert result.code == 0 and "Traceback" not in result.err
    notes = [line for line in result.err.splitlines() if line]
    assert len(notes) == 1 and "超出日历能表示的范围" in notes[0] and HAN.search(notes[0])
    line = plans_repo.fail("calendar", "-o", tmp_path, code=2)
    assert "是文件夹" in line


@pytest.mark.parametrize("target", ["units.yaml", "plans/hl2022.yaml", ".gitattributes", ".gktrack/x.csv"])
def test_export_never_overwrites_a_file_gktrack_keeps(plans_repo, target):
    line = plans_repo.fail("export", "--plan", "hl2022", "-o", plans_repo.root / target, "--format", "csv", code=2)
    assert "不能覆盖" in line


def test_import_of_a_document_too_big_for_a_plan_is_refused_before_committing(plans_repo, tmp_path):
    doc = tmp_path / "超大文件.txt"
    body = "做好政务公开工作," * 180
    lines = ["某镇2024年政务公开工作要点", "一、重点工作"] + [f"{n}. 第{n}项:{body}(责任单位:司法所)" for n in range(1, 1001)]
    doc.write_text("\n".join(lines), encoding="utf-8")
    line = plans_repo.fail("import", doc, "--year", "2024")
    assert "超过计划文件的上限" in line


def _form_with(plans_repo, tmp_path, change) -> Path:
    """A real form, its sheet XML changed by ``change`` (bytes -> bytes)."""
    path = tmp_path / "表.xlsx"
    plans_repo.ok("export", "--unit", "司法所", "--form", "-o", path)
    changed = tmp_path / "改过的表.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item, data)
    return changed


def test_a_form_with_a_cell_at_the_last_row_and_column_is_refused(plans_repo, tmp_path):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'

    def stretch(data: bytes) -> bytes:
        data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
        return data.replace(b"</sheetData>", far)
    path = _form_with(plans_repo, tmp_path, stretch)
    assert path.stat().st_size < 20_000
    line = plans_repo.fail("import-progress", path)
    assert "行" in line and "未读取" in line


def test_a_form_with_a_huge_merged_range_is_refused(plans_repo, tmp_path):
    def merge(data: bytes) -> bytes:
        data = re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>", b"", data, flags=re.S)
        return data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A5:XFD1048576"/></mergeCells>')
    line = plans_repo.fail("import-progress", _form_with(plans_repo, tmp_path, merge))
    assert "合并的单元格过多" in line


def test_a_zip_bomb_and_a_dtd_are_refused(plans_repo, tmp_path):
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (101 * 1024 * 1024) + b">")
    assert bomb.stat().st_size < 1_000_000
    assert "解压后" in plans_repo.fail("import-progress", bomb)
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet/>'
    path = _form_with(plans_repo, tmp_path, lambda data: laughs)
    assert "DTD" in plans_repo.fail("import-progress", path)


# --- case 15: undo only what this clone did, and only what the person may do ------------------------


def test_undo_refuses_a_commit_pulled_from_someone_else(plans_repo, tmp_path):
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(plans_repo.root), str(other))
    assert run_main(["--repo", other, "progress", "hl2022/1", "别人记录的进展"]).code == 0
    git(plans_repo.root, "pull", "-q", "--ff-only", str(other), "main")
    line = plans_repo.fail("undo")
    assert "不是在本克隆中做的" in line
    assert "别人记录的进展" in plans_repo.text("plans/hl2022.yaml")


def test_undo_applies_the_permission_rules_of_the_original_action(plans_repo, monkeypatch):
    registry = plans_repo.text("units.yaml").replace("people: []\n", (
        "people:\n  - email: office@example.cn\n    name: 王五\n    role: office\n"
        "  - email: tester@example.cn\n    name: 测试员\n    units: [司法所]\n"))
    plans_repo.write("units.yaml", registry)
    plans_repo.hand_commit("登记人员", "units.yaml")
    # a change the office made in this clone (a shared computer): the liaison may not undo it
    for kind in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{kind}_NAME", "王五")
        monkeypatch.setenv(f"GIT_{kind}_EMAIL", "office@example.cn")
    plans_repo.ok("add", "hl2022", "办公室新增的任务")
    for kind in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{kind}_NAME", "测试员")
        monkeypatch.setenv(f"GIT_{kind}_EMAIL", "tester@example.cn")
    line = plans_repo.fail("undo", code=4)
    assert "测试员 不能撤销" in line and "新增或删除任务只有政务公开办" in line
    # undo changes no file by hand: "git checkout -- 文件" would do nothing here
    assert "请由王五撤销" in line and "checkout" not in line
    # his own progress on his own task he may take back
    plans_repo.ok("progress", "hl2022/1", "记错了的进展")
    plans_repo.ok("undo")
    assert "记错了的进展" not in plans_repo.text("plans/hl2022.yaml")


