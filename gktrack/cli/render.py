"""Human output: plain-text tables in Chinese, drawn here without rich.

A city's status is ten thousand rows, too many for rich's table layout (benchmarks/RESULTS.md).
These tables are one line per task, columns as wide as the terminal cells of their contents
(``gktrack.cli.cells``), the task text cut to fit the terminal; colour is plain ANSI codes, only
on a terminal without NO_COLOR, and ● ✓ become "*" where the console cannot show them
(``gktrack.cli.streams``). Text from other people (a pull, a hand edit) is shown with its
control characters escaped (``gktrack.domain.text.visible``): the terminal never obeys it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from operator import attrgetter
from typing import Iterable, Sequence

from gktrack.cli.cells import cell_len, fit, fold, set_ambiguous_wide
from gktrack.cli.output import skipped_file
from gktrack.cli.streams import MARKS, ambiguous_wide, colourless, isatty, plain, plain_marks
from gktrack.domain.model import ROLE_LABELS, ROLES, Plan, Task, role_label
from gktrack.domain.text import one_line, visible
from gktrack.domain.units import EVERYONE, is_collective_name, typed_form

LEVEL_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}
LEVEL_MARK = {"red": "● 逾期", "yellow": "● 将到期", "green": "● 正常"}
_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33"}
PIPED_WIDTH = 160  # piped output: wide enough for Chinese tables; COLUMNS overrides
GAP = "  "  # between columns


# --- the terminal ---------------------------------------------------------------------------------


def terminal_width(stream) -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if isatty(stream):
        import shutil

        return shutil.get_terminal_size((100, 24)).columns
    return PIPED_WIDTH


class Out:
    """Lines for one stream, written at once (ten thousand small writes cost more than the layout)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.colour = isatty(self.stream) and not colourless()
        self.plain = plain_marks(self.stream)  # "*" for ● and ✓ (gktrack.cli.streams)
        # measured as this console draws them: "…" "—" "─" two cells on a CJK legacy console
        set_ambiguous_wide(ambiguous_wide(self.stream), narrow=MARKS if self.plain else "")
        self.width = terminal_width(self.stream)
        self.lines: list[str] = []

    def style(self, text: str, style: str | None) -> str:
        if not style or not self.colour or not text:
            return text
        codes = ";".join(_SGR[word] for word in style.split() if word in _SGR)
        return f"\x1b[{codes}m{text}\x1b[0m" if codes else text

    def line(self, text: str = "", style: str | None = None) -> None:
        """One line of text (control characters escaped), styled."""
        self.lines.append(self.style(visible(text), style))

    def one_or_two(self, line: str, first: str, second: str) -> None:
        """``line``, or ``first`` and ``second`` (the same said in two) where it is wider than
        the terminal."""
        if cell_len(line) <= self.width:
            self.line(line)
        else:
            self.line(first)
            self.line(second)

    def flush(self) -> None:
        if self.lines:
            text = "\n".join(self.lines) + "\n"
            self.stream.write(plain(text) if self.plain else text)
            self.lines = []


# --- tables ----------------------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    cap: int | None = None  # at most this many cells (longer contents end in "…")
    flex: bool = False  # takes the width left over; cut ("…") or folded to fit the terminal
    fold: bool = False  # a flex column whose text wraps onto more lines instead of being cut
    right: bool = False
    shrink: int = 0  # may be cut down to this many cells on a narrow terminal (0: never)
    leave_out: int = 0  # left out on a narrow terminal, 1 first (0: always shown)


# A row is a sequence of cells; a cell is text, (text, style), or (text, style, short): ``short``
# is the same cell in fewer cells, leaving out what the row's other columns already say.
MIN_FLEX = 12
FLEX_COMFORT = 30
MIN_SHRINK = 8


class Table:
    """Columns laid out for some rows on a terminal ``width`` cells wide.

    Several tables can share one layout (status per plan, overdue per unit) so they line up:
    ``lines`` finishes all their rows at once, and ``draw`` writes each table with its title.

    What gives way when the rows do not fit, in this order (``_layout``): a column with nothing
    in any row is never drawn; then the ``shrink`` columns are cut; then every cell takes its
    short form; then the ``leave_out`` columns go, one at a time. The text column keeps
    FLEX_COMFORT cells as long as something else can give way (as Taskwarrior leaves out empty
    columns and git's diffstat keeps most of the line for the file name).
    """

    def __init__(self, columns: Sequence[Column], rows: list, width: int):
        self.columns = list(columns)
        self.short = False  # cells in their short form
        self.shown, self.widths = self._layout(rows, width)
        header = [_pad(*fit(self.columns[i].header, w), w, self.columns[i].right)
                  for i, w in zip(self.shown, self.widths)]
        width = sum(self.widths) + len(GAP) * (len(self.widths) - 1)
        self.head = [GAP.join(header), "─" * (width // cell_len("─")) + " " * (width % cell_len("─"))]

    def _layout(self, rows: list, width: int) -> tuple[list[int], list[int]]:
        """The columns shown and their widths: the first step of the class's order that fits."""
        # each column's distinct cells, made once: states, deadlines and units repeat across
        # thousands of rows (zip(*rows) gives each column's cells in one call, not a step per row)
        distinct = [set(cells) for cells in zip(*rows)] or [set() for _ in self.columns]
        natural = [_natural(column, cells, False) for column, cells in zip(self.columns, distinct)]
        shown = [i for i, w in enumerate(natural) if w is not None]
        widths, fits = self._fit(natural, shown, width)
        if fits:
            return shown, widths
        brief = [any(cell.__class__ is not str and len(cell) > 2 for cell in cells) for cells in distinct]
        if any(brief):
            self.short = True
            natural = [_natural(column, cells, True) if has else w
                       for column, cells, has, w in zip(self.columns, distinct, brief, natural)]
            shown = [i for i in shown if natural[i] is not None]
            widths, fits = self._fit(natural, shown, width)
        for i in sorted((i for i in shown if self.columns[i].leave_out), key=lambda i: self.columns[i].leave_out):
            if fits:
                break
            shown = [j for j in shown if j != i]
            widths, fits = self._fit(natural, shown, width)
        return shown, widths

    def _fit(self, natural: list, shown: list[int], width: int) -> tuple[list[int], bool]:
        """Widths of the ``shown`` columns, and whether the flex columns got FLEX_COMFORT cells.

        Fixed columns take their natural width; the ``shrink`` ones give up cells (down to
        their ``shrink`` each, the widest first) until every flex column has FLEX_COMFORT cells; flex
        columns get the rest, never fewer than MIN_FLEX. What still does not fit runs past the
        edge (the terminal wraps it).
        """
        columns = [self.columns[i] for i in shown]
        widths = [natural[i] for i in shown]
        room = width - len(GAP) * (len(widths) - 1)
        flex = [i for i, c in enumerate(columns) if c.flex]
        wanted = sum(min(widths[i], FLEX_COMFORT) for i in flex)
        over = sum(w for i, w in enumerate(widths) if i not in flex) + wanted - room
        shrinkable = [i for i, c in enumerate(columns) if c.shrink]
        while over > 0 and shrinkable:
            widest = max(shrinkable, key=lambda i: widths[i] - columns[i].shrink)
            if widths[widest] <= columns[widest].shrink:
                break
            widths[widest] -= 1
            over -= 1
        left = room - sum(w for i, w in enumerate(widths) if i not in flex)
        for i in flex:
            widths[i] = min(widths[i], max(left // len(flex), MIN_FLEX))
        return widths, over <= 0

    def lines(self, rows: list, out: Out) -> list[str]:
        """Each row as it is printed: cells cut to their column, coloured, padded and joined (a
        row whose fold column takes several lines is one string with newlines in it).

        Column by column, and each fixed column's distinct cells are finished once (states,
        deadlines and reasons repeat across thousands of rows): a Python step per cell was most
        of the cost of drawing a city's tables.
        """
        columns = [self.columns[i] for i in self.shown]
        finishers = [_finisher(w, c.right, out, self.short) for c, w in zip(columns, self.widths)]
        if any(c.fold for c in columns):
            return [self._folded_row([row[i] for i in self.shown], columns, finishers, out) for row in rows]
        every = list(zip(*rows))
        cells = [every[i] for i in self.shown] if every else [() for _ in self.shown]
        done = [list(map(finish if c.flex else cache(finish), column))
                for c, finish, column in zip(columns, finishers, cells)]
        return list(map(GAP.join, zip(*done)))

    def draw(self, out: Out, lines: list[str], title: str | None = None) -> None:
        if title is not None:
            out.line(title, "bold")
        out.lines += [*self.head, *lines, ""]

    def _folded_row(self, row: Sequence, columns: list[Column], finishers: list, out: Out) -> str:
        """A row whose fold column may take several lines (show, log: a few rows)."""
        first, more = [], []
        for column, width, finish, cell in zip(columns, self.widths, finishers, row):
            if not column.fold:
                first.append(finish(cell))
                more.append([])
                continue
            text, style = (cell, None) if cell.__class__ is str else cell[:2]
            pieces = fold(visible(text), width)
            first.append(_pad(out.style(pieces[0], style), cell_len(pieces[0]), width, column.right))
            more.append([_pad(piece, cell_len(piece), width, False) for piece in pieces[1:]])
        lines = [GAP.join(first)]
        for n in range(max(map(len, more))):
            lines.append(GAP.join(m[n] if n < len(m) else " " * w for m, w in zip(more, self.widths)))
        return "\n".join(lines)


def _natural(column: Column, cells: set, short: bool) -> int | None:
    """A column as wide as its widest text (up to its cap), None when no row has any text; each
    distinct text measured once. ``short``: of the cells' short forms."""
    if short:
        texts = {cell if cell.__class__ is str else cell[2] if len(cell) > 2 else cell[0] for cell in cells}
    else:
        texts = {cell if cell.__class__ is str else cell[0] for cell in cells}
    if texts == {""}:
        return None
    best = cell_len(column.header)
    if column.flex:
        # the flex column only needs its widest text: it is cut to what is left anyway, and a
        # text of n characters takes at most 2n cells
        for text in texts:
            if 2 * len(text) > best:
                best = max(best, cell_len(text))
    else:
        best = max(best, max(map(cell_len, texts), default=0))
    if column.cap is not None and best > column.cap:
        best = max(column.cap, cell_len(column.header))
    return best


def draw_table(out: Out, columns: Sequence[Column], rows: list, title: str | None = None) -> None:
    """One table on its own, as wide as its rows need."""
    table = Table(columns, rows, out.width)
    table.draw(out, table.lines(rows, out), title)


def _finisher(width: int, right: bool, out: Out, short: bool = False):
    """The function finishing a cell (text, or (text, style[, short])) of a column ``width``
    cells wide; ``short``: in its short form."""
    style = out.style if out.colour else None

    def finish(cell) -> str:
        # a cell's text may come from a file or a commit: never a control sequence (visible)
        if cell.__class__ is str:
            text, size = fit(cell if cell.isprintable() else visible(cell), width)
        else:
            text, size = fit(visible(cell[2] if short and len(cell) > 2 else cell[0]), width)
            if style is not None:
                text = style(text, cell[1])
        return _pad(text, size, width, right)

    return finish


def _pad(text: str, size: int, width: int, right: bool) -> str:
    if size >= width:
        return text
    return " " * (width - size) + text if right else text + " " * (width - size)


# --- cells ----------------------------------------------------------------------------------------


def state_cell(row) -> tuple[str, str] | tuple[str, str, str]:
    """A task's state (``views.TaskRow``): the queried unit's part, or the task as a whole, with
    how many of its parts are done when it has several (not in the short form)."""
    if row.done:
        if row.mine is not None:
            return done_cell(row.mine.standing.closed)
        return done_cell(max([p.standing.closed for p in row.parts if p.standing.closed], default=row.task.closed))
    label, style = open_state_cell(row.assessment)
    done, total = row.done_parts
    if row.mine is None and total > 1:
        return f"{label}(已完成 {done}/{total})", style, label
    return label, style


def done_cell(closed) -> tuple[str, str] | tuple[str, str, str]:
    if closed is None:
        return "✓ 已完成", "dim"
    return f"✓ 已完成 {closed}", "dim", "✓ 已完成"


def open_state_cell(assessment) -> tuple[str, str]:
    level = assessment.level or "green"
    label = LEVEL_MARK[level]
    if level == "red" and assessment.days_late:
        label = f"● 逾期{assessment.days_late}天"
    elif level == "yellow" and assessment.days_left is not None:
        label = "● 今天到期" if assessment.days_left == 0 else f"● {assessment.days_left}天内到期"
    return label, LEVEL_STYLE[level]


def due_cell(assessment) -> str:
    return assessment.due.isoformat() if assessment.due else "—"


def deadline_cell(task: Task, assessment, unwritten: str = "—") -> str | tuple[str, None, str]:
    """The deadline as the plan writes it; short, nothing when it only repeats the due date."""
    phrase = task.deadline_text
    if not phrase:
        return unwritten
    return (phrase, None, "") if assessment.due and phrase == assessment.due.isoformat() else phrase


def role_cell(role: str | None, via: str | None) -> str | tuple[str, None, str]:
    """A unit's role; short, "负责(集体)" for "负责(经各有关单位)"."""
    if not via:
        return role_label(role)
    return role_label(role, typed_form(via)), None, f"{role_label(role)}(集体)"


def reason_cell(assessment) -> str | tuple[str, None, str]:
    """Why a task is late or due; short, its ``brief``."""
    reason, brief = assessment.reason, assessment.brief
    return (reason, None, brief) if brief != reason else reason


def units_cell(plan: Plan, task: Task) -> str | tuple[str, None, str]:
    """The units of a task with their roles; short, the first of several and "等"."""
    named = [typed_form(u.name) if u.role == "responsible" else typed_form(u.name) + ROLE_LABELS[u.role]
             for u in task.units]
    if len(named) > 1:
        return "、".join(named), None, named[0] + "等"
    return named[0] if named else typed_form(plan.owner or "—")


def print_problems(problems: Iterable) -> None:
    err = Out(sys.stderr)
    for problem in problems:
        err.line(skipped_file(problem), "yellow")
    err.flush()


# --- the commands' outputs -------------------------------------------------------------------------


def render_status(rows, *, unit: str | None, problems=()) -> None:
    """One table per plan (title: plan, title, year), one line per task, then the counts."""
    print_problems(problems)
    out = Out()
    if not rows:
        who = f"{typed_form(unit)} " if unit else ""
        out.line(f"{who}没有符合条件的任务。")
        out.flush()
        return
    # On a narrow terminal first 序号 goes when it only repeats the ids ("3." of hl2022/3), then the
    # deadline phrase (应完成 has its date), then 序号, then 最近进展.
    repeats_id = all(row.task.number.strip(".、．() ") == str(row.task.id) for row in rows if row.task.number)
    columns = [Column("编号"), Column("序号", cap=8, shrink=MIN_SHRINK, leave_out=1 if repeats_id else 3),
               Column("任务", flex=True),
               Column("角色" if unit else "责任单位", cap=24, shrink=MIN_SHRINK),
               Column("期限", cap=16, shrink=MIN_SHRINK, leave_out=2), Column("应完成"), Column("状态"),
               Column("最近进展", leave_out=4)]
    cells: list[tuple] = []
    spans: list[tuple[Plan, int, int]] = []
    open_count = red = yellow = supported = 0
    named: dict[tuple, str] = {}
    tails: dict[tuple, tuple] = {}
    for plan, plan_rows in groupby(rows, key=attrgetter("plan")):  # rows come plan by plan
        start = len(cells)
        for row in plan_rows:
            task = row.task
            if row.supporting:
                supported += 1  # the task's state, not the unit's: not counted as its own
            elif not row.done:
                open_count += 1
                red += row.level == "red"
                yellow += row.level == "yellow"
            # deadline, due date and state repeat across thousands of rows: each made once
            key = (task.deadline_text, row.assessment, row.mine is None and row.done_parts) if not row.done else None
            tail = tails.get(key) if key is not None else None
            if tail is None:
                # the deadline as the plan writes it: a long phrase is cut, never the date after it
                tail = (deadline_cell(task, row.assessment), due_cell(row.assessment), state_cell(row))
                if key is not None:
                    tails[key] = tail
            if unit:
                who = role_cell(row.role, row.via)
            else:
                # a city's tasks name the same few hundred combinations of units
                key = (tuple(task.lead), tuple(task.support), tuple(task.responsible), plan.owner)
                who = named.get(key)
                if who is None:
                    who = named[key] = units_cell(plan, task)
            last = row.last_progress
            last = last.isoformat() if last else "—"
            cells.append((task.full_id, task.number or "", one_line(task.text), who, *tail, last))
        spans.append((plan, start, len(cells)))
    table = Table(columns, cells, out.width)
    finished = table.lines(cells, out)
    for plan, start, end in spans:
        table.draw(out, finished[start:end], title=f"{plan.id} {plan.title}({plan.year}年)")
    summary = f"共 {len(rows)} 项任务" + (f":本单位承担 {len(rows) - supported} 项" if supported else "")
    summary += f",其中未完成 {open_count} 项"
    if red or yellow:
        summary += f"(逾期 {red} 项,将到期 {yellow} 项)"
    if supported:
        also = f"配合 {supported} 项(显示整项任务的状态)"
        out.one_or_two(f"{summary};{also}", summary + ";", also)
    else:
        out.line(summary)
    out.flush()


def overdue_cells(row) -> tuple:
    """The cells of an open task's line in ``overdue``."""
    a = row.assessment
    return (row.task.full_id, one_line(row.task.text), deadline_cell(row.task, a, unwritten="(未写期限)"),
            due_cell(a), open_state_cell(a), reason_cell(a))


def render_overdue(groups, *, as_of, problems=()) -> None:
    """One table per unit (most late tasks first), one line per task, then the totals.

    ``groups``: ``views.UnitOverdue``s of ``views.TaskRow``s.
    """
    print_problems(problems)
    out = Out()
    if not groups:
        out.line(f"截至 {as_of.isoformat()},没有逾期或将到期的任务。")
        out.flush()
        return
    # Each unit's row (views.group_by_unit) laid out once, by id, in order of first appearance.
    rows = {id(row): row for group in groups for row in group.rows}
    cells = [overdue_cells(row) for row in rows.values()]
    # 说明 cut below 32 cells says nothing: it takes its short form instead; on a narrow terminal
    # the deadline phrase goes first (说明 names it), then the due date (状态 says how late)
    columns = [Column("编号"), Column("任务", flex=True), Column("期限(原文)", cap=16, shrink=MIN_SHRINK, leave_out=1),
               Column("应完成", leave_out=2), Column("状态"), Column("说明", cap=48, shrink=32)]
    table = Table(columns, cells, out.width)
    line_of = dict(zip(rows, table.lines(cells, out)))
    for group in groups:
        title = f"{typed_form(group.unit)}:逾期 {group.red} 项,将到期 {group.yellow} 项"
        table.draw(out, [line_of[id(row)] for row in group.rows], title=title)
    # A task late for several units is a row under each: counted once, late if any unit's part is.
    late: dict[str, bool] = {}
    for row in rows.values():
        late[row.task.full_id] = late.get(row.task.full_id, False) or row.level == "red"
    red = sum(late.values())
    listed = sum(len(group.rows) for group in groups)
    total = (f"截至 {as_of.isoformat()}:共 {len(late)} 项任务,逾期 {red} 项、将到期 {len(late) - red} 项,"
             f"涉及 {len(groups)} 个单位")
    if listed > len(late):
        shared = f"有的任务由几个单位共同承担,在每个单位下各列一次,共 {listed} 行"
        out.one_or_two(f"{total}({shared})。", total + "。", shared + "。")
    else:
        out.line(total + "。")
    out.flush()


def render_task(row, history) -> None:
    """``show``: a task's facts, its parts when it has several, its progress and its history.
    ``row``: a ``views.TaskRow`` of the task as a whole."""
    plan, task, assessment = row.plan, row.task, row.assessment
    out = Out()
    out.line(f"{task.full_id}  {plan.title}", "bold")
    section = " / ".join(s.heading for s in plan.section_path(task.section))
    facts: list[tuple[str, object]] = [("章节", section or "—"), ("序号", task.number or "—"), ("任务", task.text)]
    facts += [(ROLE_LABELS[role] + "单位", "、".join(getattr(task, role))) for role in ROLES if getattr(task, role)]
    if not task.units:
        facts.append(("责任单位", f"{plan.owner}(发文单位)" if plan.owner else "未分派"))
    if task.units_text:
        facts.append(("原文", task.units_text))
    due = due_cell(assessment)
    facts.append(("期限", (task.deadline_text or "—") + (f"(应于 {due} 前完成)" if due != "—" else "")))
    facts.append(("状态", state_cell(row)))
    if assessment.reason and not row.done:
        # a task of several parts stands as its most urgent part: say whose, unless it is every part's
        whose = [p.unit for p in row.parts if p.part is not None and p.standing.state != "done"
                 and p.assessment.reason == assessment.reason]
        named = len(whose) < len(row.parts) and whose
        facts.append(("说明", f"{'、'.join(whose)}:{assessment.reason}" if named else assessment.reason))
    if task.note:
        facts.append(("完成说明", task.note))
    if task.evidence:
        facts.append(("佐证", "\n".join(task.evidence)))
    label_width = max(cell_len(label) for label, _ in facts)
    value_width = max(out.width - label_width - len(GAP), 20)
    for label, value in facts:
        text, style = (value, None) if isinstance(value, str) else value[:2]
        pieces = fold(visible(text), value_width)
        head = _pad(label, cell_len(label), label_width, False)
        # fold escaped the text; the styles are ours: the lines go in as they are
        out.lines.append(out.style(head, "bold") + GAP + out.style(pieces[0], style))
        for piece in pieces[1:]:
            out.lines.append(" " * (label_width + len(GAP)) + out.style(piece, style))
    if len(row.parts) > 1:
        out.line()
        cells = []
        for part in row.parts:
            done = part.standing.state == "done"
            state = done_cell(part.standing.closed) if done else open_state_cell(part.assessment)
            note = part.standing.note or ("" if done else part.assessment.reason or "")
            cells.append([typed_form(part.unit), role_cell(part.part.role, part.part.via), state, note])
        draw_table(out, [Column("单位", cap=24, shrink=MIN_SHRINK), Column("角色"), Column("状态"),
                         Column("完成情况", flex=True)],
                   cells, title=f"各单位(已完成 {row.done_parts[0]}/{row.done_parts[1]})")
    if task.progress:
        out.line()
        rows = [[entry.date.isoformat(), entry.unit or "", entry.by or "", entry.note]
                for entry in sorted(task.progress, key=lambda p: p.date)]
        draw_table(out, [Column("日期"), Column("单位", cap=24, shrink=MIN_SHRINK),
                         Column("记录人", cap=16, shrink=MIN_SHRINK), Column("内容", flex=True, fold=True)],
                   rows, title="进展")
    if history:
        out.line()
        _log_table(out, history, title="变更记录")
    out.flush()


def _log_table(out: Out, commits, title: str) -> None:
    from gktrack.domain.actions import action_label, made_by

    rows = []
    for commit in commits:
        label = action_label(commit.action)
        if commit.action is None and commit.claimed is not None:
            # Its trailers name an action its content is not: say what it claimed to be.
            label += f"(自称“{action_label(commit.claimed)}”)"
        rows.append([commit.authored.strftime("%Y-%m-%d %H:%M"), commit.sha[:8],
                     made_by(commit.author, commit.email, commit.committer, commit.committer_email),
                     (label, "yellow" if commit.action is None else None),
                     "、".join(typed_form(u) for u in commit.units), commit.summary])
    draw_table(out, [Column("时间"), Column("提交"), Column("人员", cap=32, shrink=MIN_SHRINK), Column("操作"),
                     Column("单位", cap=24, shrink=MIN_SHRINK), Column("摘要", flex=True, fold=True)], rows, title)


def render_log(commits) -> None:
    out = Out()
    if commits:
        _log_table(out, commits, "审计记录")
    else:
        out.line("没有变更记录。")
    out.flush()


def render_units(summaries, problems=()) -> None:
    print_problems(problems)
    out = Out()
    rows = [[f"{typed_form(s.name)}(集体)" if s.collective else typed_form(s.name), "、".join(s.aliases),
             *map(str, (s.open, s.done, s.lead, s.support, s.responsible))] for s in summaries]
    draw_table(out, [Column("单位", flex=True), Column("别名", cap=30, shrink=MIN_SHRINK), Column("未完成", right=True),
                     Column("已完成", right=True), Column("牵头", right=True), Column("配合", right=True),
                     Column("负责", right=True)], rows)
    out.line(f"共 {len(summaries)} 个单位")
    out.flush()


def render_import(preview, *, dry_run: bool, commit: str | None) -> None:
    out = Out()
    plan = preview.plan
    head = "将导入(试运行,未写入)" if dry_run else "已导入"
    out.line(f"{head}:{plan.id} {plan.title}({plan.year}年)", "bold")
    facts = [("发文单位", plan.issuer), ("文号", plan.doc_number),
             ("印发日期", plan.issued.isoformat() if plan.issued else None),
             ("未写单位的任务归属", plan.owner)]
    for label, value in facts:
        if value:
            out.line(f"  {label}:{value}")
    draw_table(out, [Column("章节", flex=True), Column("任务数", right=True)],
               [[label, str(count)] for label, count in preview.section_counts])
    top = sum(1 for section in plan.sections if "." not in section.key)  # the table's rows are these
    sections = f"{top} 个一级章节(含下级章节共 {len(plan.sections)} 个)" if top < len(plan.sections) \
        else f"{top} 个章节"
    out.line(f"共 {sections}、{len(plan.tasks)} 项任务。")
    verb = "将登记" if dry_run else "已登记"
    units = [name for name in preview.new_units if not is_collective_name(name)]
    groups = [name for name in preview.new_units if is_collective_name(name)]
    if units:
        out.line(f"{verb}新单位 {len(units)} 个:{'、'.join(units)}")
    if groups:
        # "各科室" is registered without members: until they are listed no unit sees its tasks as its own
        listed = [name for name in groups if name not in EVERYONE]
        which = "" if len(listed) == len(groups) else "、".join(listed) + " 的"
        members = f"({which}成员单位请在 units.yaml 的 collectives 中用 members 列出," \
                  "成员才能在 status --unit 中看到这些任务)" if listed else ""
        out.line(f"{verb}新集体 {len(groups)} 个:{'、'.join(groups)}{members}")
    if preview.known_units:
        out.line(f"名册中已有的单位 {len(preview.known_units)} 个:{'、'.join(preview.known_units)}")
    for line, message in preview.warnings:
        out.line(f"注意:第 {line} 行:{message}", "yellow")
    if commit:
        out.line(f"提交 {commit[:8]}")
    out.flush()
