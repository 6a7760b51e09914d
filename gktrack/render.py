"""Human output: rich tables in Chinese. Imported only by commands that print tables.

Colour and width follow the terminal; nothing is coloured when piped or with NO_COLOR (rich
does both). JSON output never comes through here.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gktrack.model import ROLE_LABELS, STATE_LABELS, Plan, Task

LEVEL_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}
LEVEL_MARK = {"red": "● 逾期", "yellow": "● 将到期", "green": "● 正常"}


def console(stderr: bool = False) -> Console:
    width = None
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        width = 160  # piped output: wide enough for Chinese tables, no wrapping mid-word
    return Console(stderr=stderr, width=width, highlight=False)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def role_label(role: str | None, via: str | None) -> str:
    if role is None:
        return ""
    label = ROLE_LABELS.get(role, role)
    return f"{label}(经{via})" if via else label


def state_cell(task: Task, assessment) -> Text:
    if task.state == "done":
        return Text(f"✓ 已完成 {task.closed or ''}".strip(), style="dim")
    level = getattr(assessment, "level", None) or "green"
    days = getattr(assessment, "days_late", None)
    label = LEVEL_MARK[level]
    if level == "red" and days:
        label = f"● 逾期{days}天"
    elif level == "yellow" and getattr(assessment, "days_left", None) is not None:
        label = f"● {assessment.days_left}天内到期"
    return Text(label, style=LEVEL_STYLE[level])


def deadline_cell(task: Task, assessment) -> str:
    if not task.deadline:
        return "—"
    due = getattr(assessment, "due", None)
    text = task.deadline_text or ""
    return f"{text}({due.isoformat()})" if due and due.isoformat() not in text else text


def print_problems(problems: Iterable, out: Console | None = None) -> None:
    err = out or console(stderr=True)
    for problem in problems:
        err.print(Text(f"警告:{problem.where}: {problem.message}(已跳过该文件)", style="yellow"))


def render_status(rows, *, unit: str | None, problems=()) -> None:
    out = console()
    print_problems(problems)
    if not rows:
        who = f"{unit} " if unit else ""
        out.print(f"{who}没有符合条件的任务。")
        return
    by_plan: dict[str, list] = {}
    plans: dict[str, Plan] = {}
    for row in rows:
        by_plan.setdefault(row.plan.id, []).append(row)
        plans[row.plan.id] = row.plan
    for plan_id, plan_rows in by_plan.items():
        plan = plans[plan_id]
        table = Table(box=box.SIMPLE_HEAD, title=f"{plan.id} {plan.title}({plan.year}年)",
                      title_justify="left", title_style="bold", expand=False, pad_edge=False)
        table.add_column("编号", no_wrap=True)
        table.add_column("序号", no_wrap=True)
        table.add_column("任务", overflow="fold", max_width=40)
        if unit:
            table.add_column("角色", no_wrap=True)
        else:
            table.add_column("责任单位", overflow="fold", max_width=24)
        table.add_column("期限", overflow="fold", max_width=22)
        table.add_column("状态", no_wrap=True)
        table.add_column("最近进展", no_wrap=True)
        for row in plan_rows:
            task = row.task
            cells = [task.full_id, task.number or "", shorten(task.text, 40)]
            if unit:
                cells.append(role_label(row.role, row.via))
            else:
                cells.append(shorten("、".join(f"{u.name}{'' if u.role == 'responsible' else ROLE_LABELS[u.role]}"
                                               for u in task.units) or (plan.owner or "—"), 24))
            last = task.last_progress
            table.add_row(*cells, deadline_cell(task, row.assessment), state_cell(task, row.assessment),
                          last.isoformat() if last else "—")
        out.print(table)
    counts = {"red": 0, "yellow": 0}
    for row in rows:
        if row.task.state != "done" and row.level in counts:
            counts[row.level] += 1
    open_count = sum(1 for r in rows if r.task.state != "done")
    summary = f"共 {len(rows)} 项任务,其中未完成 {open_count} 项"
    if counts["red"] or counts["yellow"]:
        summary += f"(逾期 {counts['red']} 项,将到期 {counts['yellow']} 项)"
    out.print(summary)


def render_task(plan: Plan, task: Task, assessment, history) -> None:
    out = console()
    out.print(Text(f"{task.full_id}  {plan.title}", style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    section = " / ".join(s.heading for s in plan.section_path(task.section))
    grid.add_row("章节", section or "—")
    grid.add_row("序号", task.number or "—")
    grid.add_row("任务", task.text)
    for role in ("lead", "support", "responsible"):
        names = task.units_with_role(role)
        if names:
            grid.add_row(ROLE_LABELS[role] + "单位", "、".join(names))
    if not task.units:
        grid.add_row("责任单位", f"{plan.owner}(发文单位)" if plan.owner else "未分派")
    if task.units_text:
        grid.add_row("原文", task.units_text)
    grid.add_row("期限", deadline_cell(task, assessment))
    grid.add_row("状态", state_cell(task, assessment))
    if getattr(assessment, "reason", None) and task.state != "done":
        grid.add_row("说明", assessment.reason)
    if task.note:
        grid.add_row("完成说明", task.note)
    if task.evidence:
        grid.add_row("佐证", "\n".join(task.evidence))
    out.print(grid)
    if task.progress:
        table = Table(box=box.SIMPLE_HEAD, title="进展", title_justify="left", pad_edge=False)
        table.add_column("日期", no_wrap=True)
        table.add_column("单位", no_wrap=True)
        table.add_column("记录人", no_wrap=True)
        table.add_column("内容", overflow="fold")
        for entry in sorted(task.progress, key=lambda p: p.date):
            table.add_row(entry.date.isoformat(), entry.unit or "", entry.by or "", entry.note)
        out.print(table)
    if history:
        render_log(history, title="变更记录")


def render_log(commits, *, title: str = "审计记录") -> None:
    from gktrack.history import ACTION_LABELS

    out = console()
    if not commits:
        out.print("没有变更记录。")
        return
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
    table.add_column("时间", no_wrap=True)
    table.add_column("提交", no_wrap=True)
    table.add_column("人员", no_wrap=True)
    table.add_column("操作", no_wrap=True)
    table.add_column("摘要", overflow="fold")
    for commit in commits:
        label = ACTION_LABELS.get(commit.action, commit.action or "手工修改")
        style = "yellow" if commit.action is None else None
        table.add_row(commit.authored.strftime("%Y-%m-%d %H:%M"), commit.sha[:8], commit.author,
                      Text(label, style=style or ""), commit.summary)
    out.print(table)


def render_units(summaries, problems=()) -> None:
    out = console()
    print_problems(problems)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("单位")
    table.add_column("别名")
    table.add_column("未完成", justify="right")
    table.add_column("已完成", justify="right")
    table.add_column("牵头", justify="right")
    table.add_column("配合", justify="right")
    table.add_column("负责", justify="right")
    for s in summaries:
        name = f"{s.name}(集体)" if s.collective else s.name
        table.add_row(name, "、".join(s.aliases), str(s.open), str(s.done), str(s.lead), str(s.support),
                      str(s.responsible))
    out.print(table)
    out.print(f"共 {len(summaries)} 个单位")


def render_overdue(groups, *, as_of, problems=()) -> None:
    out = console()
    print_problems(problems)
    if not groups:
        out.print(f"截至 {as_of.isoformat()},没有逾期或将到期的任务。")
        return
    total_red = total_yellow = 0
    for group in groups:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left", title_style="bold",
                      title=f"{group.unit}:逾期 {group.red} 项,将到期 {group.yellow} 项")
        table.add_column("编号", no_wrap=True)
        table.add_column("任务", overflow="fold", max_width=36)
        table.add_column("期限(原文)", overflow="fold", max_width=16)
        table.add_column("应完成", no_wrap=True)
        table.add_column("状态", no_wrap=True)
        table.add_column("说明", overflow="fold", max_width=40)
        for row in group.rows:
            a = row.assessment
            table.add_row(row.task.full_id, shorten(row.task.text, 36), row.task.deadline_text or "(未写期限)",
                          a.due.isoformat() if a.due else "—", state_cell(row.task, a), a.reason)
        out.print(table)
        total_red += group.red
        total_yellow += group.yellow
    tasks = {(r.plan.id, r.task.id): r.level for g in groups for r in g.rows}
    red = sum(1 for level in tasks.values() if level == "red")
    out.print(f"截至 {as_of.isoformat()}:逾期任务 {red} 项、将到期 {len(tasks) - red} 项,涉及 {len(groups)} 个单位。")


def render_import(preview, *, dry_run: bool, commit: str | None) -> None:
    out = console()
    plan = preview.plan
    head = "将导入(试运行,未写入)" if dry_run else "已导入"
    out.print(Text(f"{head}:{plan.id} {plan.title}({plan.year}年)", style="bold"))
    facts = [("发文单位", plan.issuer), ("文号", plan.doc_number),
             ("印发日期", plan.issued.isoformat() if plan.issued else None),
             ("未写单位的任务归属", plan.owner)]
    for label, value in facts:
        if value:
            out.print(f"  {label}:{value}")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("章节")
    table.add_column("任务数", justify="right")
    for label, count in preview.section_counts:
        table.add_row(label, str(count))
    out.print(table)
    out.print(f"共 {len(plan.sections)} 个章节、{len(plan.tasks)} 项任务。")
    if preview.new_units:
        verb = "将登记" if dry_run else "已登记"
        out.print(f"{verb}新单位 {len(preview.new_units)} 个:{'、'.join(preview.new_units)}")
    if preview.known_units:
        out.print(f"名册中已有的单位 {len(preview.known_units)} 个:{'、'.join(preview.known_units)}")
    for line, message in preview.warnings:
        out.print(Text(f"注意:第 {line} 行:{message}", style="yellow"))
    if commit:
        out.print(f"提交 {commit[:8]}")
