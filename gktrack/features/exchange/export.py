"""Spreadsheets out: the 分工表 of a plan (or a unit, or the overdue list) and a unit's 进展填报表,
as .xlsx laid out the way offices print them, as CSV with a BOM (so that Excel and WPS open it
without garbling), or as Markdown for the git server's web view.

Task text comes from outside documents, so no cell is ever a formula: a text that starts with
``= + - @`` (or a tab or carriage return) is written as text, in .xlsx with Excel's "quote prefix",
in CSV after an apostrophe. Control characters are written escaped (.xlsx cannot hold most).

A 进展填报表 carries, in a hidden column of its protected sheet, its unit and a check value per
row (``form_check``); the import refuses each row whose check value does not match (``forms``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from gktrack.digest import sha256_hex
from gktrack.domain.model import STATE_LABELS, Plan, Task, role_label
from gktrack.domain.text import display_width, formula_like, visible
from gktrack.errors import InputError
from gktrack.features.views import effective_units, overdue_rows, status_rows
from gktrack.storage.files import atomic_write
from gktrack.storage.repo import Repository

COLUMNS = ("序号", "工作任务", "具体要求", "牵头单位", "责任单位", "配合单位", "时限要求", "完成情况", "进展")

# The 进展填报表: the unit fills the last four columns and sends the file back.
FORM_COLUMNS = ("编号", "工作任务", "具体要求", "本单位职责", "时限要求", "已有进展",
                "本次进展", "完成情况", "工作日期", "佐证材料")
FORM_FILL = ("本次进展", "完成情况", "工作日期", "佐证材料")
FORM_MARK = "gktrack:进展填报表:1"
FORM_CHECK = "校验"  # the hidden column's header: one check value per task row
FORM_HEADER_ROW = 3  # title, instructions, header
DONE_LABEL = STATE_LABELS["done"]
OPEN_LABEL = STATE_LABELS["open"]

# Caps in display columns (a Chinese character counts two): long text wraps instead.
_WIDTH_CAP = {"具体要求": 60, "进展": 44, "已有进展": 36, "本次进展": 44, "工作任务": 24, "完成情况": 20,
              "佐证材料": 36}
# The columns a unit types into start empty: wide enough to type in all the same.
_WIDTH_MIN = {"序号": 6, "编号": 12, "工作日期": 14, "本次进展": 44, "佐证材料": 36, "完成情况": 12}


@dataclass
class SheetRow:
    plan: Plan
    task: Task
    group: str | None  # the heading over several rows (一、…), a full-width row
    heading: str  # 工作任务: the task's own section heading
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Sheet:
    title: str
    columns: tuple[str, ...]
    rows: list[SheetRow]
    unit: str | None = None
    form: bool = False


def _units_cells(plan: Plan, task: Task) -> dict[str, str]:
    """The 牵头单位, 责任单位 and 配合单位 cells: each role in its own column."""
    refs = effective_units(plan, task)
    return {column: "、".join(u.name for u in refs if u.role == role)
            for column, role in (("牵头单位", "lead"), ("责任单位", "responsible"), ("配合单位", "support"))}


def _one_state(state: str, closed, assessment, note: str | None) -> str:
    if state == "done":
        text = f"{DONE_LABEL}({closed})" if closed else DONE_LABEL
    elif assessment.level == "red" and assessment.days_late:
        text = f"逾期{assessment.days_late}天"
    else:
        text = OPEN_LABEL
    return text + (f"\n{note}" if note else "")


def _state_text(row) -> str:
    """The 完成情况 cell: the unit's own part (a unit's sheet), or the task with, when it has
    several parts, each unit's part on a line of its own."""
    part = row.mine
    if part is not None:
        return _one_state(part.standing.state, part.standing.closed, part.assessment, part.standing.note)
    parts = [p for p in row.parts if p.part is not None]
    if len(parts) <= 1:
        closed = parts[0].standing.closed if parts else row.task.closed
        return _one_state("done" if row.done else "open", closed, row.assessment, row.task.note)
    done = sum(1 for p in parts if p.standing.state == "done")
    lines = [DONE_LABEL if row.done else f"{_one_state('open', None, row.assessment, None)}(已完成 {done}/{len(parts)})"]
    lines += [f"{p.unit}:" + _one_state(p.standing.state, p.standing.closed, p.assessment, None) for p in parts]
    return "\n".join(lines)


def progress_text(task: Task, limit: int | None = None) -> str:
    entries = sorted(task.progress, key=lambda p: p.date)
    if limit:
        entries = entries[-limit:]
    return "\n".join(f"{p.date} {p.unit + ':' if p.unit else ''}{p.note}" for p in entries)


def _headings(plan: Plan, task: Task) -> tuple[str | None, str]:
    path = plan.section_path(task.section)
    if not path:
        return None, ""
    return (path[0].heading if len(path) > 1 else None), path[-1].heading


def division_sheet(repo: Repository, *, plan: str | None = None, unit: str | None = None,
                   overdue: bool = False, as_of: dt.date) -> tuple[Sheet, list]:
    """The 分工表: every task of a plan or a unit in document order (as ``status_rows`` gives them:
    plans by id, each plan's tasks as its file lists them), or the overdue ones, most urgent first."""
    if not (plan or unit or overdue):
        raise InputError("请用 --plan、--unit 或 --overdue 指定导出范围")
    if overdue:
        rows, problems = overdue_rows(repo, as_of=as_of, unit=unit, plan=plan)
    else:
        rows, problems = status_rows(repo, unit=unit, plan=plan, state="all", as_of=as_of)
    canonical = repo.units().canonical(unit) if unit else None
    sheet_rows = []
    for number, row in enumerate(rows, start=1):
        group, heading = _headings(row.plan, row.task)
        sheet_rows.append(SheetRow(row.plan, row.task, group, heading, {
            "序号": str(number),
            "工作任务": heading,
            "具体要求": row.task.text,
            **_units_cells(row.plan, row.task),
            "时限要求": row.task.deadline_text or "",
            "完成情况": _state_text(row),
            "进展": progress_text(row.task),
        }))
    plans = list({r.plan.id: r.plan for r in rows}.values())
    if overdue:
        title = f"逾期及将到期任务清单({as_of.isoformat()})"
    elif len(plans) == 1 and not unit:
        title = f"{plans[0].title}任务分工表"
    else:
        title = "政务公开工作任务分工表"
    if canonical:
        title = f"{canonical} {title}"
    return Sheet(title, COLUMNS, sheet_rows, unit=canonical), problems


def progress_form(repo: Repository, *, unit: str, plan: str | None = None, as_of: dt.date,
                  include_done: bool = False) -> tuple[Sheet, list]:
    """A unit's 进展填报表: its open tasks (all with ``include_done``), with columns to fill in."""
    canonical = repo.units().require(unit, registering=False)
    rows, problems = status_rows(repo, unit=canonical, plan=plan, state="all" if include_done else "open",
                                 as_of=as_of)
    sheet_rows = []
    for row in rows:  # in document order
        heading = _headings(row.plan, row.task)[1]
        sheet_rows.append(SheetRow(row.plan, row.task, None, heading, {
            "编号": row.task.full_id,
            "工作任务": heading,
            "具体要求": row.task.text,
            "本单位职责": role_label(row.role, row.via),
            "时限要求": row.task.deadline_text or "",
            "已有进展": progress_text(row.task, limit=3),
            "本次进展": "",
            "完成情况": DONE_LABEL if row.done else "",
            "工作日期": "",
            "佐证材料": "",
        }))
    title = f"{canonical} 政务公开工作任务进展填报表(导出日期 {as_of.isoformat()})"
    return Sheet(title, FORM_COLUMNS, sheet_rows, unit=canonical, form=True), problems


# --- writing ---------------------------------------------------------------------------------


def fitted_widths(sheet: Sheet) -> dict[str, float]:
    widths = {}
    for column in sheet.columns:
        lines = [column, *(line for row in sheet.rows for line in (row.values.get(column) or "").split("\n"))]
        longest = max(display_width(line) for line in lines)
        widths[column] = max(min(longest, _WIDTH_CAP.get(column, 24)), _WIDTH_MIN.get(column, 6)) + 2
    return widths


def form_check(unit: str, ref: str, text: str) -> str:
    """The check value of one row of a unit's 进展填报表: a hash of the form's unit, the task and
    its text (spaces ignored, as the import compares texts).

    It is no signature: with no secret shared between the office and the units, anyone who
    reads this function can compute it. What it does is bind each row to the unit the form was
    made for and to its task, so that a form whose unit was changed, a row copied in from
    another unit's form, or a row whose 具体要求 was cleared or rewritten is refused, row by row,
    instead of being recorded under the wrong unit. Who may record for which task is still
    decided by the registry when the office imports the form."""
    normal = "".join(text.split())
    return sha256_hex(f"{FORM_MARK}\x1f{unit}\x1f{ref}\x1f{normal}".encode("utf-8"))[:20]


def csv_cell(value: str) -> str:
    """A CSV cell that Excel and WPS read as the text it is (never a formula)."""
    value = visible(value or "")
    return "'" + value if formula_like(value) else value


def _not_a_form(sheet: Sheet) -> None:
    # a returned form is read back by import-progress, which reads .xlsx only
    if sheet.form:
        raise InputError("进展填报表只能导出为 .xlsx(交回后要用 import-progress 导入)")


def write_output(path: Path, data: bytes) -> None:
    """Write an exported file (``-o``). A file open in WPS or Excel is locked on Windows and
    cannot be replaced: one line naming it, the old file left as it was."""
    try:
        atomic_write(path, data)
    except PermissionError:
        raise InputError(f"无法写入“{path}”:文件被占用或没有写入权限;如果它正在 WPS 或 Excel 中打开,"
                         "请关闭后再导出,或换一个文件名") from None
    except OSError as exc:
        raise InputError(f"无法写入“{path}”({exc.strerror or type(exc).__name__})") from None


def write_csv(sheet: Sheet, path: Path) -> None:
    _not_a_form(sheet)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(sheet.columns)
    for row in sheet.rows:
        writer.writerow([csv_cell(row.values.get(c, "")) for c in sheet.columns])
    write_output(path, ("\ufeff" + buf.getvalue()).encode("utf-8"))


def write_xlsx(sheet: Sheet, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = ("进展填报表" if sheet.form else "分工表")
    lay_out(ws, sheet)
    buf = io.BytesIO()
    book.save(buf)
    write_output(path, buf.getvalue())


def put(ws, row: int, column: int, value):
    """Write one cell: text always as text (a string cell; one that looks like a formula also
    gets the quote prefix, so editing it in Excel keeps it text), control characters escaped."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = visible(value)
        cell.value = text
        cell.data_type = "s"
        if formula_like(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def lay_out(ws, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = sheet.columns
    last = get_column_letter(len(columns))
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    fill_in = PatternFill("solid", fgColor="FFF2CC")

    put(ws, 1, 1, sheet.title)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = centre
    ws.row_dimensions[1].height = 30
    header_row = 2
    if sheet.form:
        ws.append(["填报说明:在黄色列填写本次进展;已办结的在“完成情况”选“已完成”并填写工作日期"
                   "(默认为导入当天)和佐证网址;其他列请勿改动。填好后交回,由政务公开办用 "
                   "gktrack import-progress 导入。"])
        ws.merge_cells(f"A2:{last}2")
        ws["A2"].alignment = wrap
        ws.row_dimensions[2].height = 32
        header_row = FORM_HEADER_ROW
    ws.append(list(columns))
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=index)
        cell.font = Font(bold=True)
        cell.alignment = centre
        cell.border = border
        cell.fill = fill_in if column in FORM_FILL and sheet.form else PatternFill("solid", fgColor="D9E1F2")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    heading_col = columns.index("工作任务") + 1
    # A form's hidden column: its unit and a check value per row (see form_check).
    mark_col = len(columns) + 2
    unlocked = Protection(locked=False)
    current_group = None
    run_start = run_heading = None
    row_no = header_row

    def close_run(end: int) -> None:
        if run_start is not None and end > run_start:
            ws.merge_cells(start_row=run_start, start_column=heading_col, end_row=end, end_column=heading_col)

    for row in sheet.rows:
        if row.group and row.group != current_group and not sheet.form:
            close_run(row_no)
            run_start = None
            row_no += 1
            put(ws, row_no, 1, row.group).font = Font(bold=True)
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=len(columns))
            ws.cell(row=row_no, column=1).alignment = Alignment(vertical="center")
            current_group = row.group
        row_no += 1
        key = (row.plan.id, row.heading)
        if run_start is None or key != run_heading or not row.heading:
            close_run(row_no - 1)
            run_start, run_heading = row_no, key
        for index, column in enumerate(columns, start=1):
            value = row.values.get(column, "")
            cell = put(ws, row_no, index, value if value != "" else None)
            cell.alignment = centre if column in ("序号", "编号", "本单位职责", "完成情况", "工作日期") else wrap
            cell.border = border
            if sheet.form and column in FORM_FILL:
                cell.fill = fill_in
                cell.protection = unlocked
                if column == "工作日期":
                    cell.number_format = "yyyy-mm-dd"
        if sheet.form:
            put(ws, row_no, mark_col, form_check(sheet.unit or "", row.task.full_id, row.task.text))
    close_run(row_no)

    for column, width in fitted_widths(sheet).items():
        ws.column_dimensions[get_column_letter(columns.index(column) + 1)].width = width

    if sheet.form and sheet.rows:
        first, end = header_row + 1, row_no
        state_col = get_column_letter(columns.index("完成情况") + 1)
        choice = DataValidation(type="list", formula1=f'"{DONE_LABEL},{OPEN_LABEL}"', allow_blank=True)
        choice.error = "请选择“已完成”或“未完成”"
        choice.errorTitle = "完成情况"
        ws.add_data_validation(choice)
        choice.add(f"{state_col}{first}:{state_col}{end}")
    if sheet.form:
        # Which unit's form this is, and the rows' check values, in a hidden column; the sheet is
        # protected (without a password: it keeps slips out, not a determined person) so that
        # only the four columns to fill can be typed in.
        put(ws, 1, mark_col, FORM_MARK)
        put(ws, 2, mark_col, sheet.unit)
        put(ws, header_row, mark_col, FORM_CHECK)
        ws.column_dimensions[get_column_letter(mark_col)].hidden = True
        protection = ws.protection
        protection.sheet = True
        protection.formatColumns = protection.formatRows = protection.formatCells = False

    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


# --- Markdown: the plan as the git server's web view shows it -------------------------------

MD_COLUMNS = ("编号", "序号", "工作任务", "牵头单位", "责任单位", "配合单位", "时限要求", "完成情况")


def md_cell(value: str | None) -> str:
    """One GitHub-flavoured table cell: pipes escaped, line breaks as <br>, no raw HTML."""
    text = (value or "").replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "<br>".join(line for line in lines if line)


def _md_heading_text(value: str) -> str:
    return " ".join(value.replace("<", "&lt;").split())


def _md_state(row: SheetRow) -> str:
    text = row.values.get("完成情况", "")
    task = row.task
    if task.state != "done" and task.progress:
        last = max(task.progress, key=lambda p: p.date)
        text += f"\n最近进展 {last.date}:{last.note}"
    return text


def write_markdown(sheet: Sheet, *, as_of: dt.date | None = None) -> str:
    """The 分工表 as Markdown: per plan a title and summary, per section a heading and one table."""
    _not_a_form(sheet)
    out: list[str] = []
    header = "| " + " | ".join(MD_COLUMNS) + " |"
    rule = "|" + "|".join(" --- " for _ in MD_COLUMNS) + "|"
    single = len({r.plan.id for r in sheet.rows}) <= 1
    if not single or not sheet.rows:
        out += [f"# {_md_heading_text(sheet.title)}", ""]
    # Tasks under their section even when appended to the file later (add puts them at the end).
    plan_order = {pid: i for i, pid in enumerate(dict.fromkeys(r.plan.id for r in sheet.rows))}
    section_order = {(r.plan.id, s.key): i for r in sheet.rows for i, s in enumerate(r.plan.sections)}
    rows = sorted(sheet.rows, key=lambda r: (plan_order[r.plan.id], section_order.get((r.plan.id, r.task.section), -1)))
    table: tuple | None = None  # the plan and the section path of the table being written
    for row in rows:
        plan, task = row.plan, row.task
        path = tuple(plan.section_path(task.section))
        if (plan.id, path) != table:
            same_plan = table is not None and table[0] == plan.id
            shown = table[1] if same_plan else ()
            if table is not None:
                out.append("")  # the table before ends
            if not same_plan:
                out += [f"{'#' if single else '##'} {_md_heading_text(plan.title)}", ""]
                facts = [f"计划编号 `{plan.id}`", f"{plan.year} 年度"]
                facts += [value for value in (plan.issuer, plan.doc_number) if value]
                tasks = [r.task for r in sheet.rows if r.plan.id == plan.id]
                done = sum(1 for t in tasks if t.state == "done")
                facts.append(f"共 {len(tasks)} 项任务,已完成 {done} 项")
                if as_of:
                    facts.append(f"截至 {as_of.isoformat()}")
                out += ["> " + " · ".join(_md_heading_text(f) for f in facts), ""]
            base = 2 if single else 3
            for depth, section in enumerate(path):
                if depth < len(shown) and shown[depth] == section:
                    continue
                out += [f"{'#' * min(base + depth, 6)} {_md_heading_text(section.heading)}", ""]
            out += [header, rule]
            table = (plan.id, path)
        # The sheet's cells, but the task's own number and text (the sheet's 序号 counts its rows,
        # its 工作任务 is the section heading, here above the table).
        cells = {**row.values, "序号": task.number, "工作任务": task.text, "完成情况": _md_state(row)}
        out.append(f"| `{task.full_id}` | " + " | ".join(md_cell(cells.get(c)) for c in MD_COLUMNS[1:])
                   + " |")
    if not sheet.rows:
        out.append("(没有任务)")
    out.append("")
    return "\n".join(out)


FORMATS = ("xlsx", "csv", "md")


def output_path(path: Path | str, fmt: str | None = None) -> tuple[Path, str]:
    """The file an export writes and its format: ``fmt``, else the file's suffix, else xlsx. A
    name without a format suffix gets one ("分工表" → 分工表.xlsx): Windows opens a file by its
    suffix, and one without it opens in nothing."""
    path = Path(path)
    given = (fmt or "").lower()
    given = "md" if given == "markdown" else given
    if given and given not in FORMATS:
        raise InputError(f"不支持的导出格式“{fmt}”(可用 xlsx、csv 或 md)")
    suffix = path.suffix.lstrip(".").lower()
    suffix = "md" if suffix == "markdown" else suffix
    if suffix in FORMATS:
        if given and given != suffix:
            raise InputError(f"文件名“{path.name}”是 .{suffix} 文件,与 --format {given} 不符;请改文件名或格式")
        return path, suffix
    if suffix and not given:
        raise InputError(f"不支持的导出格式“{suffix}”(文件名请以 .xlsx、.csv 或 .md 结尾)")
    fmt = given or "xlsx"
    return path.with_name(f"{path.name}.{fmt}"), fmt


def write_sheet(sheet: Sheet, path: Path, fmt: str, *, as_of: dt.date | None = None) -> None:
    """Write ``sheet`` to ``path`` in ``fmt`` (both from ``output_path``, the path checked by
    ``Repository.check_output``)."""
    if fmt == "md":
        write_output(path, write_markdown(sheet, as_of=as_of).encode("utf-8"))
    else:
        (write_csv if fmt == "csv" else write_xlsx)(sheet, path)
