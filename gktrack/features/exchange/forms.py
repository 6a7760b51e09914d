"""Spreadsheets in: a unit's filled 进展填报表 (see ``gktrack.features.exchange.export``) back into the plans.

Every filled row becomes that unit's progress entry, or closes the task. Each row is checked
against the repository first; a row for another unit's task, with a changed or cleared task
text, an unknown id, a control character, or a check value that does not match the form's unit
and the task (``export.form_check``: the unit cell was changed, the row came from another
unit's form) is reported with its row number and not applied. The rows that pass are recorded
in one commit per sheet, so a unit's return is one reviewable change in the history.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gktrack.domain.dates import future_work, read_date, today
from gktrack.domain.model import Progress
from gktrack.domain.parts import Owed, add_evidence, close_edit, role_of, whole_or_part
from gktrack.domain.parts import standing as part_standing
from gktrack.domain.permissions import check_task_change, may_act_on_part
from gktrack.domain.text import clip, code, control_in
from gktrack.errors import GktrackError, InputError
from gktrack.features import limits
from gktrack.features.exchange.export import DONE_LABEL, FORM_CHECK, FORM_COLUMNS, FORM_MARK, OPEN_LABEL, form_check
from gktrack.features.ops import acting_emails, actor_name, date_doubts
from gktrack.storage import git
from gktrack.storage.planfile import PlanEditor
from gktrack.storage.repo import Repository, parse_task_ref, plan_rel


@dataclass
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行:{self.message}"


@dataclass
class RowAction:
    row: int
    ref: str
    kind: str  # "progress" | "close"
    date: dt.date
    note: str
    evidence: list[str] = field(default_factory=list)
    part: str | None = None  # the form unit's part that closes; None: the task is that part alone


@dataclass
class SheetResult:
    sheet: str
    unit: str | None
    actions: list[RowAction] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)  # nothing to do: not errors
    doubts: list[RowProblem] = field(default_factory=list)  # recorded, but worth a second look
    commit: str | None = None

    def to_json(self) -> dict:
        return {
            "sheet": self.sheet, "unit": self.unit, "commit": self.commit,
            "applied": [{"row": a.row, "task": a.ref, "kind": a.kind, "date": a.date.isoformat(),
                         "note": a.note, "evidence": a.evidence} for a in self.actions],
            "refused": [asdict(p) for p in self.problems],
            "skipped": [asdict(p) for p in self.skipped],
            "doubts": [asdict(p) for p in self.doubts],
        }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _typed(values: dict, column: str) -> str:
    """A cell the unit typed in: line ends as "\n"; a control character refuses the row."""
    value = values.get(column)
    if not isinstance(value, str):
        return _text(value)
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    char = control_in(text)
    if char is not None:
        raise _RowError(f"“{column}”中含有控制字符({code(char)}),未记录")
    return text


def _same_text(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


# What people write in the 完成情况 cell, beside the two words the form offers.
_STATE_WORDS = {
    "": "",
    **dict.fromkeys((DONE_LABEL, "完成", "已办结", "办结", "已完结", "完结", "已落实", "是", "√", "✓", "✔"), DONE_LABEL),
    **dict.fromkeys((OPEN_LABEL, "进行中", "推进中", "正在推进", "持续推进", "否"), OPEN_LABEL),
}


# "已完成(2024-06-28)", as the 分工表 writes a closed task: the word counts, the date is 工作日期's to say
_TRAILING_NOTE = re.compile(r"\s*[(\uff08][^()\uff08\uff09]*[)\uff09]$")


def _state_word(text: str) -> str:
    """The 完成情况 cell as DONE_LABEL, OPEN_LABEL or "" (empty); anything else is refused."""
    word = _STATE_WORDS.get(_TRAILING_NOTE.sub("", text.strip().rstrip("。.")))
    if word is not None:
        return word
    raise _RowError(f"“完成情况”应为“{DONE_LABEL}”或“{OPEN_LABEL}”,而不是“{text}”")


# Serial numbers of 2000-01-01 to 9999-12-31: a "28" typed for the 28th is no date, and
# 20240628 typed as a number is read as the date it spells.
_SERIAL_YEARS = (2000, 9999)


def _serial_date(value, epoch: dt.datetime):
    """A date cell whose format the file names only by a locale's built-in id (Chinese Excel's
    31, yyyy"年"m"月"d"日"; 57, 58) reads as its serial number: its date, counted from the
    workbook's own epoch (1900, or 1904 in a workbook from Excel for Mac); other values as they are."""
    from openpyxl.utils.datetime import from_excel

    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    try:
        date = from_excel(value, epoch).date()
    except (ValueError, OverflowError):
        return value
    return date if _SERIAL_YEARS[0] <= date.year <= _SERIAL_YEARS[1] else value


def _cell_date(value, today: dt.date, year: int | None = None) -> dt.date:
    if value is None or value == "":
        return today
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    else:
        try:
            date = read_date(str(value), "工作日期", today=today, year=year).date
        except InputError as exc:
            raise _RowError(exc.message) from None
    problem = future_work(date, "工作日期", latest=today)
    if problem:
        raise _RowError(problem)
    return date


class _RowError(Exception):
    """A row refused: its one argument says why."""


def read_forms(path: Path) -> list[tuple[str, str | None, list[tuple[int, dict]]]]:
    """(sheet name, unit, [(row number, {column: value})]) for each 进展填报表 sheet of the file;
    each row's check value (``export.form_check``) under ``FORM_CHECK``. The file is checked
    first (``limits.check_package``) and read row by row, at most ``FORM_ROWS`` rows of
    ``FORM_COLUMNS`` columns: a stray cell at XFD1048576 cannot make it build a million rows."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise InputError(f"找不到文件“{path}”")
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"“{path.name}”不是 .xlsx 文件(请在 WPS/Excel 中另存为 .xlsx)")
    data = limits.read_file(path)
    limits.check_package(data, path.name)
    forms = []
    # a sheet's XML is parsed as its rows are read: a broken one fails in the loop, not in the load
    with limits.unreadable(path.name, ".xlsx", hint="请用 WPS 或 Excel 打开后另存为 .xlsx 再导入"):
        book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                for ws in book.worksheets:
                    found = _read_sheet(ws, path.name, package)
                    if found is not None:
                        forms.append(found)
        finally:
            book.close()
    if not forms:
        raise InputError(f"“{path.name}”中没有进展填报表(应有“编号”“本次进展”“完成情况”列;"
                         "请用 gktrack export --unit 单位 --form 导出)")
    return forms


def _read_sheet(ws, name: str, package: zipfile.ZipFile):
    """One sheet as ``read_forms`` returns it, or None when it is no form. A 佐证材料 cell that
    is a hyperlink gives its address (``_linked``)."""
    header = None
    index: dict[str, int] = {}
    mark = unit = None
    rows = []
    for row_no, cells in enumerate(ws.iter_rows(values_only=True, max_col=limits.FORM_COLUMNS), start=1):
        if row_no > limits.FORM_ROWS:
            raise InputError(f"“{name}”的工作表“{ws.title}”超过 {limits.FORM_ROWS} 行,不像进展填报表,未读取")
        values = [_text(c) for c in cells]
        if row_no == 1 and FORM_MARK in values:
            mark = values.index(FORM_MARK)
        if row_no == 2 and mark is not None:
            unit = (values[mark] if mark < len(values) else "") or None
        if header is None:
            if "编号" in values and "本次进展" in values and "完成情况" in values:
                header = row_no
                index = {column: values.index(column) for column in FORM_COLUMNS if column in values}
                if mark is not None:
                    index[FORM_CHECK] = mark
            elif row_no >= 10:
                return None
            continue
        row = {column: (cells[i] if i < len(cells) else None) for column, i in index.items()}
        if "工作日期" in row:
            row["工作日期"] = _serial_date(row["工作日期"], ws.parent.epoch)
        if all(_text(v) == "" for k, v in row.items() if k != FORM_CHECK):
            continue
        rows.append((row_no, row))
    if header is None:
        return None
    column = index.get("佐证材料")
    if column is not None and any(_text(row.get("佐证材料")) for _, row in rows):
        links = _hyperlinks(package, ws, column + 1)
        for row_no, row in rows:
            if row_no in links:
                row["佐证材料"] = _linked(_text(row.get("佐证材料")), links[row_no])
    return ws.title, unit, rows


_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _hyperlinks(package: zipfile.ZipFile, ws, column: int) -> dict[int, str]:
    """{row number: address} of the links to outside the file in ``column`` of ``ws``: Excel's
    and WPS's 插入超链接 show a caption in the cell ("点击查看") and keep the address in the
    sheet's relationships, which a read-only workbook does not read."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.utils.cell import range_boundaries

    sheet_path = ws._worksheet_path  # openpyxl has no public name for a read-only sheet's part
    rels = get_rels_path(sheet_path)
    if rels not in package.namelist():
        return {}
    targets = {r.Id: r.Target for r in get_dependents(package, rels)
               if r.TargetMode == "External" and r.Type.endswith("/hyperlink") and r.Target}
    links: dict[int, str] = {}
    with package.open(sheet_path) as source:  # no DTD: limits.check_package refused any
        for _, element in iterparse(source):
            found = targets.get(element.get(_RELATIONSHIP_ID)) if element.tag.endswith("}hyperlink") else None
            if found:
                bounds = range_boundaries(element.get("ref", ""))
                first_col, first_row, last_col, last_row = bounds
                if None not in bounds and first_col <= column <= last_col:
                    for row_no in range(first_row, min(last_row, limits.FORM_ROWS) + 1):
                        links.setdefault(row_no, found)
            element.clear()
    return links


def _linked(text: str, address: str) -> str:
    """The evidence of a linked cell: its text when that already has the address (a typed
    address Excel made a link of), else the address (the text is a caption)."""
    return text if address in text else address


def check_sheet(repo: Repository, sheet: str, unit: str | None, rows: list[tuple[int, dict]], *,
                by: str | None = None) -> SheetResult:
    """Every row checked against the repository; nothing is written."""
    units = repo.units()
    result = SheetResult(sheet, unit)
    if unit is None:
        result.problems.append(RowProblem(1, "表中没有填报单位标记(不是 gktrack export --form 导出的表?),整表未导入"))
        return result
    canonical = units.canonical(unit)
    if canonical is None:
        result.problems.append(RowProblem(1, f"单位名册中没有表中的填报单位“{unit}”,整表未导入"))
        return result
    result.unit = canonical
    emails = acting_emails(repo, by)
    now = today()
    seen: set[str] = set()
    sheet_checks = {_text(values.get(FORM_CHECK)) for _, values in rows}
    for row_no, values in rows:
        try:
            ref_text = _text(values.get("编号"))
            note = _typed(values, "本次进展")
            state_text = _typed(values, "完成情况")
            evidence = [e for e in re.split(r"[\s;;,,、]+", _typed(values, "佐证材料")) if e]
            day = _typed(values, "工作日期")
            if not (note or state_text or evidence or day):
                # Nothing typed: the row says nothing, even when the plan changed since the export.
                continue
            if not ref_text:
                raise _RowError("缺少编号,无法对应任务")
            try:
                plan_id, task_id = repo.task_ref(ref_text)
            except InputError:
                raise _RowError(f"编号“{ref_text}”无法识别(应为 计划/序号,如 hl2022/3)") from None
            ref = f"{plan_id}/{task_id}"
            if ref in seen:
                raise _RowError(f"任务 {ref} 在表中出现了不止一次")
            seen.add(ref)
            try:
                plan, task = repo.find_task(ref)
            except GktrackError as exc:
                raise _RowError(f"编号 {ref}:{exc.message}") from None
            role = role_of(plan, task, units, canonical)
            if role is None:
                owners = "、".join(u.name for u in task.units) or "(未分派)"
                raise _RowError(f"任务 {ref} 不是 {canonical} 的任务(属于 {owners})")
            owed = whole_or_part(plan, task, units, canonical)
            part = owed.unit if owed is not None and owed.role != "support" else None
            where = part_standing(task, part, units) if part else task
            written = _text(values.get("具体要求"))
            if written and not _same_text(written, task.text):
                raise _RowError(f"任务 {ref} 的“具体要求”与计划不一致(表中被改动,或导出后计划已修改);"
                                "请重新导出填报表")
            state = _state_word(state_text)
            closing = state == DONE_LABEL and where.state != "done"
            shared_done = closing and (owed is None or owed.role != "support") \
                and not may_act_on_part(units, plan, task, [canonical], part)
            if shared_done:
                # A form speaks for its unit, which may close its own part only (as its liaison
                # may): its share of a part a collective owes as a whole is done, not the part.
                closing, note = False, note or "本单位已完成"
            if state == DONE_LABEL and where.state == "done" and (not note or _same_text(note, where.note or "")):
                what = f"任务 {ref} 中{part}的部分" if part else f"任务 {ref} "
                result.skipped.append(RowProblem(row_no, f"{what}已于 {where.closed or '此前'} 关闭,跳过"))
                continue
            if not note and not closing:
                if evidence or day:
                    raise _RowError(f"任务 {ref} 填了日期或佐证,但没有填写本次进展")
                continue
            # The row would record something: it must be the row exported for this unit and task.
            if not written:
                raise _RowError(f"任务 {ref} 的“具体要求”为空,无法核对这一行;请重新导出填报表")
            # Found anywhere in the hidden column: sorting the visible columns alone leaves the
            # check values where they were, and a value still binds the form's unit to this task.
            if form_check(unit, ref, task.text) not in sheet_checks:
                if not _text(values.get(FORM_CHECK)):
                    raise _RowError(f"任务 {ref} 这一行没有校验值(不是为 {unit} 导出的行,或从别的表复制而来);请重新导出填报表")
                raise _RowError(f"任务 {ref} 这一行的校验值不符:表中的填报单位、编号或具体要求被改动,"
                                f"或这一行来自别的单位的填报表,或导出后计划已修改;请重新导出 {canonical} 的填报表")
            date = _cell_date(values.get("工作日期"), now, plan.year)
            if not closing and any(p.note == note and p.date == date and p.unit == canonical for p in task.progress):
                result.skipped.append(RowProblem(row_no, f"任务 {ref} 的这条进展已记录过,跳过"))
                continue
            if state == OPEN_LABEL and where.state == "done":
                raise _RowError(f"任务 {ref} 已关闭;如需重新打开请用 gktrack reopen")
            if closing and owed is not None and owed.role == "support":
                raise _RowError(f"{canonical} 是任务 {ref} 的配合单位,没有自己的一部分可以办结(请只填写本次进展)")
            kind = "close" if closing else "progress"
            try:
                for email in emails:
                    check_task_change(units, email, plan, task, kind, part=part)
            except GktrackError as exc:
                raise _RowError(exc.message) from None
            result.actions.append(RowAction(row_no, ref, kind, date, note, evidence, part))
            if shared_done:
                result.doubts.append(RowProblem(row_no, f"任务 {ref} 由{role[1]}共同承担,{canonical} 填的“已完成”"
                                                        "记为它的进展,不关闭整项;全部完成后由政务公开办关闭"))
            if day:
                result.doubts += [RowProblem(row_no, doubt) for doubt in date_doubts(repo, plan, task, date)]
        except _RowError as exc:
            result.problems.append(RowProblem(row_no, str(exc)))
    return result


def apply_sheet(repo: Repository, result: SheetResult, *, source: str, by: str | None = None) -> None:
    """Record the checked rows of one sheet in one commit."""
    if not result.actions:
        return
    by_plan: dict[str, list[RowAction]] = {}
    for action in result.actions:
        by_plan.setdefault(parse_task_ref(action.ref)[0], []).append(action)
    rels = [plan_rel(plan_id) for plan_id in by_plan]
    closes = [a for a in result.actions if a.kind == "close"]
    notes = [a for a in result.actions if a.kind == "progress"]
    counts = "、".join(part for part in (f"{len(notes)} 条进展" if notes else "",
                                          f"{len(closes)} 项办结" if closes else "") if part)
    summary = f"导入 {result.unit} 的进展填报表:{counts}"
    body = "\n".join(
        f"第 {a.row} 行 {a.ref}:{'办结' if a.kind == 'close' else '进展'} {a.date} {clip(a.note, 40)}"
        for a in result.actions
    ) + f"\n来源文件:{source}(工作表“{result.sheet}”)"
    dates = {a.date for a in result.actions}
    trailers = git.trailers("import-progress", units=[result.unit], plan=",".join(by_plan),
                            date=dates.pop() if len(dates) == 1 else None)
    name = actor_name(repo, by)
    units = repo.units()
    with repo.change(rels, summary, trailers, by=by, body=body) as tx:
        for plan_id, actions in by_plan.items():
            rel = plan_rel(plan_id)
            editor = PlanEditor(repo.plan_path(plan_id), rel)
            for action in actions:
                _, task_id = parse_task_ref(action.ref)
                current = editor.plan.task(task_id)
                if action.kind == "progress":
                    current = editor.append(task_id, "progress", Progress(date=action.date, unit=result.unit, by=name,
                                                                          note=action.note))
                part = Owed(action.part, "responsible") if action.part else None
                if action.kind == "close":
                    editor.apply(task_id, close_edit(current, units, part, action.date, action.note or None,
                                                     action.evidence))
                elif action.evidence:
                    editor.apply(task_id, add_evidence(current, units, part, action.evidence))
            editor.save(tx.write)
    result.commit = tx.commit


def import_progress(repo: Repository, path: str | Path, *, by: str | None = None,
                    dry_run: bool = False) -> list[SheetResult]:
    path = Path(path)
    results = []
    for sheet, unit, rows in read_forms(path):
        result = check_sheet(repo, sheet, unit, rows, by=by)
        if not dry_run:
            apply_sheet(repo, result, source=path.name, by=by)
        results.append(result)
    return results
