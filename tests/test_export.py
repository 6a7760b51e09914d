"""Spreadsheets out (分工表 .xlsx/.csv, 进展填报表) and back in (import-progress), read with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from gktrack.features.exchange.export import COLUMNS, FORM_COLUMNS
from tests.conftest import HL2022, HL2022_TASKS


def _rows(ws, first: int) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first)]


def _find(ws, text: str) -> int:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row
    raise AssertionError(f"{text} not in sheet")


def test_plan_division_table_xlsx(plans_repo, tmp_path):
    out = tmp_path / "分工表.xlsx"
    said = plans_repo.ok("export", "--plan", "hl2022", "-o", out)
    assert "6 项任务" in said
    ws = load_workbook(out).active
    assert ws["A1"].value == f"{HL2022}任务分工表"
    assert [c.value for c in ws[2]] == list(COLUMNS)
    assert ws.freeze_panes == "A3"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:I1" in merged
    # 一、 as a full-width row over its subsection, (一) merged down its three tasks
    group = _find(ws, "一、优化政务公开工作基础")
    assert f"A{group}:I{group}" in merged
    first = _find(ws, HL2022_TASKS[1])
    assert ws.cell(first, 2).value == "(一)深化行政规章、规范性文件集中公开"
    assert f"B{first}:B{first + 2}" in merged
    assert ws.cell(first + 2, 3).value.startswith(HL2022_TASKS[3])
    # each role in its own column: 牵头单位, 责任单位, 配合单位
    assert [ws.cell(first + 2, c).value for c in (4, 5, 6, 7)] == ["司法所", None, "党政综合办", "2022-09-30"]
    # 二、 has tasks directly under it: 工作任务 merged over its three tasks, no extra row
    four = _find(ws, HL2022_TASKS[4])
    assert ws.cell(four, 2).value == "二、加强重点领域信息公开"
    assert f"B{four}:B{four + 2}" in merged
    assert ws.cell(four + 2, 5).value == "党政综合办"  # no unit named: the plan's owner is responsible
    assert ws.cell(first, 8).value.startswith("逾期")  # 2022 deadlines, today pinned to 2024
    # widths: the long text column is wide (capped), the number column narrow
    width = {c: ws.column_dimensions[c].width for c in "ABCDEFGHI"}
    from gktrack.features.exchange.export import display_width

    longest = max(display_width(t) for t in HL2022_TASKS.values())
    assert width["C"] == min(max(longest, display_width(ws.cell(first + 2, 3).value)), 60) + 2
    assert width["A"] < 10 and width["D"] >= 10
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$2:$2"
    assert ws.cell(first, 3).alignment.wrap_text


def test_csv_has_bom_and_columns(plans_repo, tmp_path):
    out = tmp_path / "a.csv"
    plans_repo.ok("export", "--plan", "qz2024", "-o", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    assert rows[1][2] == "配合做好行政复议文书公开"
    assert rows[1][3:7] == ["区政数局", "", "司法所", "9月底前"]
    assert len(rows) == 3


def test_unit_and_overdue_selection(plans_repo, tmp_path):
    out = tmp_path / "u.xlsx"
    plans_repo.ok("export", "--unit", "司法所", "-o", out, "--format", "xlsx")
    ws = load_workbook(out).active
    texts = [r[2] for r in _rows(ws, 3) if r[2] and r[0]]
    # directly, through 各有关单位, and as 配合 in the other plan; not 政数局's task
    assert HL2022_TASKS[1] in texts and HL2022_TASKS[2] in texts
    assert "配合做好行政复议文书公开" in texts
    assert HL2022_TASKS[4] not in texts
    assert ws["A1"].value.startswith("司法所 ")
    plans_repo.ok("export", "--overdue", "--plan", "qz2024", "-o", out)
    ws = load_workbook(out).active
    assert ws["A1"].value == "逾期及将到期任务清单(2024-07-01)"
    assert [r[2] for r in _rows(ws, 3) if r[0]] == []  # 9月底前 is not yet due on 2024-07-01
    err = plans_repo.fail("export", "-o", out)
    assert "--plan" in err
    err = plans_repo.fail("export", "--plan", "hl2022", "-o", tmp_path / "x.pdf")
    assert "pdf" in err


def _form(plans_repo, tmp_path, unit="司法所"):
    out = tmp_path / "填报表.xlsx"
    plans_repo.ok("export", "--unit", unit, "--form", "-o", out)
    return out


def test_progress_form_layout(plans_repo, tmp_path):
    book = load_workbook(_form(plans_repo, tmp_path))
    ws = book.active
    assert ws.title == "进展填报表"
    assert [c.value for c in ws[3]][: len(FORM_COLUMNS)] == list(FORM_COLUMNS)
    assert ws.freeze_panes == "A4"
    ids = [r[0] for r in _rows(ws, 4)]
    assert ids[:3] == ["hl2022/1", "hl2022/2", "hl2022/3"] and "qz2024/1" in ids and "hl2022/4" not in ids
    assert ws.cell(4, 4).value == "负责" and ws.cell(5, 4).value == "负责(经各有关单位)"
    rules = ws.data_validations.dataValidation
    assert any('"已完成,未完成"' == r.formula1 for r in rules)
    # which unit the form belongs to, in a hidden column
    hidden = [k for k, d in ws.column_dimensions.items() if d.hidden]
    assert hidden and ws[f"{hidden[0]}2"].value == "司法所"
    assert ws.page_setup.orientation == "landscape"


def test_round_trip(plans_repo, tmp_path):
    path = _form(plans_repo, tmp_path)
    book = load_workbook(path)
    ws = book.active
    row_of = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    r1, r2, r3 = row_of["hl2022/1"], row_of["hl2022/3"], row_of["qz2024/1"]
    ws.cell(r1, 7, "已在平台发布 12 件规范性文件")
    ws.cell(r1, 9, dt.datetime(2024, 6, 20))  # a date cell, as Excel stores it
    ws.cell(r2, 7, "分类展示已完成")
    ws.cell(r2, 8, "已完成")
    ws.cell(r2, 9, "2024年6月28日")
    ws.cell(r2, 10, "https://www.zs.gov.cn/a https://www.zs.gov.cn/b")
    ws.cell(r3, 7, "已配合公开")
    # refused rows: a changed task text, an unknown id, another unit's task, a future date
    changed = row_of["hl2022/2"]
    ws.cell(changed, 3, "改过的任务内容")
    ws.cell(changed, 7, "x")
    end = ws.max_row
    ws.cell(end + 1, 1, "hl2022/99")
    ws.cell(end + 1, 7, "y")
    ws.cell(end + 2, 1, "hl2022/4")
    ws.cell(end + 2, 3, HL2022_TASKS[4])
    ws.cell(end + 2, 7, "z")
    late = row_of["hl2022/6"] if "hl2022/6" in row_of else None
    book.save(path)
    before = plans_repo.count()

    preview = plans_repo("import-progress", path, "--dry-run")
    assert preview.code == 1 and plans_repo.count() == before
    assert "将记录 2 条进展、1 项办结" in preview.out

    result = plans_repo("import-progress", path)
    assert result.code == 1
    assert "已记录 2 条进展、1 项办结" in result.out
    err = result.err
    assert f"第 {changed} 行:任务 hl2022/2 的“具体要求”与计划不一致" in err
    assert f"第 {end + 1} 行:编号 hl2022/99" in err
    assert f"第 {end + 2} 行:任务 hl2022/4 不是 司法所 的任务" in err
    assert plans_repo.count() == before + 1  # one commit for the sheet
    info = plans_repo.commit_info()
    assert sorted(info.files) == ["plans/hl2022.yaml", "plans/qz2024.yaml"]
    assert info.trailers["Gktrack-Action"] == "import-progress"
    assert info.trailers["Gktrack-Unit"] == "司法所"
    assert info.summary == "导入 司法所 的进展填报表:2 条进展、1 项办结"

    one = plans_repo.json("show", "hl2022/1", "--json")
    assert one["progress"][-1] == {"date": "2024-06-20", "unit": "司法所", "by": "测试员",
                                   "note": "已在平台发布 12 件规范性文件"}
    three = plans_repo.json("show", "hl2022/3", "--json")
    assert three["state"] == "done" and three["closed"] == "2024-06-28"
    assert three["note"] == "分类展示已完成"
    assert three["evidence"] == ["https://www.zs.gov.cn/a", "https://www.zs.gov.cn/b"]
    two = plans_repo.json("show", "hl2022/2", "--json")
    assert two["progress"] == []
    other = plans_repo.json("show", "qz2024/1", "--json")
    assert other["progress"][-1]["note"] == "已配合公开" and other["progress"][-1]["date"] == "2024-07-01"
    # the history of each task finds the import commit
    assert any(c["action"] == "import-progress" for c in one["history"])

    # sending the same file again records nothing twice
    again = plans_repo("import-progress", path, "--json")
    assert plans_repo.count() == before + 1
    report = again.json[0]
    assert report["applied"] == [] and len(report["refused"]) == 3
    assert {s["row"] for s in report["skipped"]} == {r1, r2, r3}
    del late


def test_log_names_the_unit_and_the_form_import(plans_repo, tmp_path, monkeypatch):
    gk = plans_repo
    gk.ok("progress", "hl2022/1", "已发布 8 件", "--unit", "司法所")
    gk.ok("close", "hl2022/3", "--unit", "司法所", "--note", "分类展示已完成")
    path = _form(gk, tmp_path, unit="区政数局")
    book = load_workbook(path)
    ws = book.active
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == "hl2022/4")
    ws.cell(row, 7, "数据开放目录已更新")
    book.save(path)
    gk.ok("import-progress", path)
    entries = gk.json("log", "--json")
    assert [(e["action"], e["unit"]) for e in entries[:3]] == [
        ("import-progress", "区政数局"), ("close", "司法所"), ("progress", "司法所")]
    assert entries[0]["units"] == ["区政数局"]
    assert entries[-1]["action"] == "init" and entries[-1]["unit"] is None
    monkeypatch.setenv("COLUMNS", "200")
    lines = gk.ok("log").splitlines()
    header = next(line for line in lines if "操作" in line)
    assert "单位" in header
    row_of = {a: next(line for line in lines if a in line) for a in ("导入 区政数局", "关闭 hl2022/3", "进展 hl2022/1")}
    assert "导入进展填报表" in row_of["导入 区政数局"] and "导入计划" not in row_of["导入 区政数局"]
    assert "区政数局" in row_of["导入 区政数局"].split("导入进展填报表")[1].split("导入 区政数局")[0]
    assert "关闭" in row_of["关闭 hl2022/3"] and "司法所" in row_of["关闭 hl2022/3"].split("关闭 hl2022/3")[0]
    assert "司法所" in row_of["进展 hl2022/1"].split("进展 hl2022/1")[0]
    # a form imported before import-progress had an action of its own: "import" naming a unit
    # (what it changed: a progress entry, as a form adds; log checks the content against the claim)
    gk.ok("progress", "qz2024/2", "年报已起草", "--unit", "党政综合办")
    gk.git("reset", "-q", "--soft", "HEAD~1")
    gk.git("commit", "-q", "-m", "导入 党政综合办 的进展填报表:1 条进展\n\n"
           "Gktrack-Action: import\nGktrack-Unit: 党政综合办\nGktrack-Plan: qz2024", "--", "plans/qz2024.yaml")
    old = gk.json("log", "-n", "1", "--json")[0]
    assert (old["action"], old["unit"]) == ("import-progress", "党政综合办")
    assert "导入进展填报表" in next(line for line in gk.ok("log").splitlines() if "导入 党政综合办" in line)


def test_future_date_and_bad_state_refused(plans_repo, tmp_path):
    path = _form(plans_repo, tmp_path)
    book = load_workbook(path)
    ws = book.active
    ws.cell(4, 7, "提前记录")
    ws.cell(4, 9, "2024-08-01")
    ws.cell(5, 7, "a")
    ws.cell(5, 8, "差不多")
    book.save(path)
    result = plans_repo("import-progress", path)
    assert result.code == 1 and "没有需要记录的行" in result.out
    assert "第 4 行:工作日期 2024-08-01 晚于今天" in result.err
    assert "第 5 行:“完成情况”应为“已完成”或“未完成”" in result.err


def test_not_a_form(plans_repo, tmp_path):
    out = tmp_path / "分工表.xlsx"
    plans_repo.ok("export", "--plan", "hl2022", "-o", out)
    assert "没有进展填报表" in plans_repo.fail("import-progress", out)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    assert "不是有效的 .xlsx" in plans_repo.fail("import-progress", bad)
    assert "--unit" in plans_repo.fail("export", "--form", "-o", out)


@pytest.mark.parametrize("name", ["hl2022", "qz2017", "yh2023"])
def test_bundled_plans_export(name, tmp_path, gk_env, monkeypatch):
    """The imported seed plans (long texts, deep sections) export without losing a task."""
    import shutil
    from pathlib import Path

    from tests.conftest import run_main

    root = tmp_path / "r"
    assert run_main(["init", str(root)]).code == 0
    src = Path(__file__).resolve().parent.parent
    shutil.copy(src / "plans" / f"{name}.yaml", root / "plans")
    shutil.copy(src / "units.yaml", root / "units.yaml")
    out = tmp_path / "x.xlsx"
    result = run_main(["--repo", str(root), "export", "--plan", name, "-o", str(out)])
    assert result.code == 0, result.err
    from gktrack.storage.planfile import read_plan

    plan = read_plan(root / "plans" / f"{name}.yaml", name)
    ws = load_workbook(out).active
    texts = {c.value for c in ws["C"]}
    assert all(t.text in texts for t in plan.tasks)


def _office_sheet(path):
    """A plan as offices send it: title row, columns in their own order, merged cells."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["新兴县2024年政务公开工作要点任务分工表"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "工作任务", "具体要求", "时限要求", "责任单位"])
    for row in (
        (1, "一、加强政策解读", "围绕重大政策做好解读,及时发布解读材料。", "2024年6月底前", "区政数局"),
        (2, None, "规范政策文件公开,做好规范性文件集中公开。", "2024年9月底前", "司法所牵头,各有关单位配合"),
        (3, "二、优化平台建设", "加强政府网站集约化建设,提升检索功能。", "每季度", "综合办"),
        (4, None, "做好政务新媒体管理,按季度开展检查。", "每季度", None),
    ):
        ws.append(list(row))
    ws.merge_cells("B3:B4")
    ws.merge_cells("B5:B6")
    ws.merge_cells("E5:E6")  # one unit for two rows
    book.save(path)


def test_import_plan_from_xlsx(plans_repo, tmp_path):
    path = tmp_path / "分工表.xlsx"
    _office_sheet(path)
    plans_repo.ok("import", path)
    tasks = {t["id"]: t for t in plans_repo.json("status", "--plan", "xx2024", "--state", "all", "--json")}
    assert len(tasks) == 4
    assert tasks["xx2024/1"]["section"] == ["一、加强政策解读"]
    assert tasks["xx2024/2"]["units"] == [{"name": "司法所", "role": "lead"}, {"name": "各有关单位", "role": "support"}]
    assert tasks["xx2024/2"]["deadline"] == "2024年9月底前"
    assert tasks["xx2024/4"]["section"] == ["二、优化平台建设"]
    assert tasks["xx2024/4"]["units"] == tasks["xx2024/3"]["units"] == [{"name": "党政综合办", "role": "responsible"}]
    assert tasks["xx2024/4"]["deadline"] == "每季度"


def test_exported_division_table_imports_back(plans_repo, tmp_path):
    """gktrack's own 分工表 (with its 完成情况/进展 columns) is a plan document too."""
    out = tmp_path / "hl.xlsx"
    plans_repo.ok("progress", "hl2022/1", "已发布", "--unit", "司法所")
    # a task of two parts: its 完成情况 cell is "未完成(已完成 0/2)" over one line per unit
    plans_repo.ok("assign", "hl2022/4", "--unit", "司法所")
    plans_repo.ok("export", "--plan", "hl2022", "-o", out)
    data = json_of(plans_repo("import", out, "--id", "copy", "--dry-run", "--json"))
    assert data["tasks"] == 6 and data["year"] == 2022
    plans_repo.ok("import", out, "--id", "copy")
    original = plans_repo.json("status", "--plan", "hl2022", "--state", "all", "--json")
    copied = plans_repo.json("status", "--plan", "copy", "--state", "all", "--json")
    assert [t["text"] for t in copied] == [t["text"] for t in original]
    # the deadline column comes back (the parser may also find one inside a task's text)
    assert all(c["deadline"] == o["deadline"] for c, o in zip(copied, original) if o["deadline"])
    # issue 15: what the 进展 column reports is kept as progress; a state ("逾期548天") is not
    assert [len(t["progress"]) for t in copied] == [1, 0, 0, 0, 0, 0]
    assert "已发布" in copied[0]["progress"][0]["note"]


def json_of(result):
    assert result.code == 0, result.err
    return result.json


# --- the Markdown plan view (rendered by the git server's web view) ---------------------------


def _md_tables(text: str) -> list[dict]:
    """Every GFM table as markdown-it (the parser rich itself uses) reads it: header and rows of cell text."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables, current, row, in_cell = [], None, None, False
    for tok in tokens:
        if tok.type == "table_open":
            current = {"header": [], "rows": [], "line": tok.map[0]}
        elif tok.type == "tr_open":
            row = []
        elif tok.type in ("th_open", "td_open"):
            row.append("")
            in_cell = True
        elif tok.type in ("th_close", "td_close"):
            in_cell = False
        elif tok.type == "inline" and in_cell:
            # text as rendered: softbreaks/html_inline (<br>) as newlines
            parts = []
            for child in tok.children or []:
                if child.type == "html_inline" and child.content.startswith("<br"):
                    parts.append("\n")
                elif child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type == "html_inline":
                    parts.append("<<HTML>>")
            row[-1] = "".join(parts)
        elif tok.type == "tr_close":
            if current["header"]:
                current["rows"].append(row)
            else:
                current["header"] = row
        elif tok.type == "table_close":
            tables.append(current)
    return tables


def test_markdown_plan_view_is_one_table_per_section(plans_repo, tmp_path):
    from gktrack.features.exchange.export import MD_COLUMNS

    tricky = "公开|目录 与 <b>粗体</b> 及 \\ 反斜杠"
    plans_repo.ok("add", "hl2022", tricky, "--unit", "司法所", "--section", "1.1")
    plans_repo.ok("close", "hl2022/1", "--note", "第一行\n第二行|续", "--date", "2024-06-01")
    text = plans_repo.ok("export", "--plan", "hl2022", "--format", "md")
    assert text.startswith(f"# {HL2022}\n")
    tables = _md_tables(text)
    # one table under each section that has tasks, (一) and 二、: the added task joins its section's table
    assert len(tables) == 2
    for table in tables:
        assert table["header"] == list(MD_COLUMNS)
        assert table["rows"] and all(len(row) == len(MD_COLUMNS) for row in table["rows"])
    ids = [row[0] for table in tables for row in table["rows"]]
    assert ids == [f"hl2022/{n}" for n in (1, 2, 3, 7, 4, 5, 6)]
    assert text.count("### (一)深化行政规章") == 1
    rows = {row[0]: row for table in tables for row in table["rows"]}
    assert rows["hl2022/7"][2] == tricky  # the pipe, the angle brackets and the backslash come back as text
    assert rows["hl2022/1"][7] == "已完成(2024-06-01)\n第一行\n第二行|续"
    assert rows["hl2022/3"][3:7] == ["司法所", "", "党政综合办", "2022-09-30"]
    # headings: the plan, then 一、 and its (一) over the first table
    lines = text.splitlines()
    assert "## 一、优化政务公开工作基础" in lines and "### (一)深化行政规章、规范性文件集中公开" in lines
    assert lines.index("## 一、优化政务公开工作基础") < lines.index("### (一)深化行政规章、规范性文件集中公开") \
        < tables[0]["line"]
    # -o writes the same text to a file (by suffix)
    out = tmp_path / "分工表.md"
    assert "md" in plans_repo.ok("export", "--plan", "hl2022", "-o", out)
    assert out.read_text(encoding="utf-8") == text


def test_markdown_for_a_unit_across_plans_and_errors(plans_repo, tmp_path):
    text = plans_repo.ok("export", "--unit", "司法所", "--format", "md")
    assert text.startswith("# 司法所 政务公开工作任务分工表\n")
    for table in _md_tables(text):
        assert all(len(row) == 8 for row in table["rows"])
    line = plans_repo.fail("export", "--plan", "hl2022")
    assert "-o" in line
    line = plans_repo.fail("export", "--unit", "司法所", "--form", "--format", "md")
    assert ".xlsx" in line
    for name in ("填报表.csv", "填报表.md"):  # a form goes back through import-progress: .xlsx only
        assert "进展填报表只能导出为 .xlsx" in plans_repo.fail("export", "--unit", "司法所", "--form", "-o", tmp_path / name)
        assert not (tmp_path / name).exists()


def test_output_name_gets_its_format_suffix(plans_repo, tmp_path):
    # "-o 分工表" on Windows would be a file no program opens: the format's suffix is added
    said = plans_repo.ok("export", "--plan", "hl2022", "-o", tmp_path / "分工表")
    assert f"{tmp_path / '分工表.xlsx'}" in said and "xlsx" in said
    assert not (tmp_path / "分工表").exists()
    assert load_workbook(tmp_path / "分工表.xlsx").active["A1"].value == f"{HL2022}任务分工表"
    plans_repo.ok("export", "--plan", "qz2024", "-o", tmp_path / "表2024.06", "--format", "csv")
    assert (tmp_path / "表2024.06.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # a suffix that says another format than --format is a mistake, not a choice
    line = plans_repo.fail("export", "--plan", "qz2024", "-o", tmp_path / "b.csv", "--format", "xlsx")
    assert "b.csv" in line and "--format xlsx" in line
    assert not (tmp_path / "b.csv").exists()
    assert "不支持的导出格式“txt”" in plans_repo.fail("export", "--plan", "qz2024", "-o", tmp_path / "c.txt")
    assert "不支持的导出格式“pdf”" in plans_repo.fail("export", "--plan", "qz2024", "-o", tmp_path / "d", "-f", "pdf")
