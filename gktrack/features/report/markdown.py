"""The report as Markdown: six sections, GitHub tables that also line up as plain text, and
mermaid pie charts (what Mermaid 8.x draws) each with a table of the same numbers. Text from plan files is escaped so that
it shows exactly as written. Same data, same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Iterator

from gktrack.domain.actions import action_label
from gktrack.domain.deadlines import CATEGORIES, CATEGORY_LABELS
from gktrack.domain.model import ROLE_LABELS, Plan, UnitRef, label_of
from gktrack.domain.quoting import quote
from gktrack.domain.text import display_width, excerpt, visible
from gktrack.features.report.data import DONE, CommitRef, Counts, PlanReport, Report, TaskReport, cn_date
from gktrack.features.report.standing import ONE_DAY, days_late
from gktrack.storage.registry import REGISTRY_FILE
from gktrack.storage.repo import plan_id_of

_CN_NUMBERS = "一二三四五六七八九十"
_HEADING_LEVELS = {1: "####", 2: "#####"}
_ROLE_ORDER = {"lead": 0, "support": 1, "responsible": 2}
_NOT_DONE = [c for c in CATEGORIES if c not in DONE and c != "ongoing"]


def iter_markdown(report: Report) -> Iterator[str]:
    """The whole report (one trailing newline) in pieces, a few thousand lines at a time, for
    writing as it is made: at 10,000 tasks the whole text (8 MB) and its lines would be held at
    once otherwise. The long lists (each task, each problem) yield as they go."""
    out: list[str] = []

    def sections() -> Iterator[None]:
        _header(report, out)
        _overview(report, out)
        yield from _details(report, out)
        _units_section(report, out)
        yield from _problems(report, out)
        _audit_section(report, out)
        _charts(report, out)

    for _ in sections():
        if len(out) > 2000:
            yield "\n".join(out) + "\n"
            out.clear()
    while out and out[-1] == "":
        out.pop()
    yield "\n".join(out) + "\n"  # never empty: the charts come last


# --- text ----------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&$])")
_MD_PLAIN = re.compile(r"[\\`*_\[\]<>|#~&$\s]")  # nothing to escape or fold when absent
_URL = re.compile(r"https?://[^\s<>\"|`]+")


@functools.lru_cache(maxsize=4096)  # names and phrases come back again and again; task texts do not
def _md(text: Any) -> str:
    """Text from a plan file as one line of Markdown that shows exactly as written: control
    characters as escapes (``\\x1b``), so neither a terminal nor a viewer obeys them."""
    text = visible(str(text))
    if _MD_PLAIN.search(text) is None:
        return text
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _title(title: str) -> str:
    """A plan's title as the report names it: 《…》, a title within it 〈…〉."""
    return quote(_md(title), "《》")


def _link(text: str) -> str:
    text = " ".join(visible(text).split())
    return f"<{text}>" if _URL.fullmatch(text) else _md(text)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def table(headers: list[str], rows: list[list[Any]], right: set[int] = frozenset()) -> list[str]:
    """A GitHub-flavoured table, padded so that it also lines up as plain text."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(3, *(display_width(row[i]) for row in cells)) for i in range(len(headers))]

    def pad(text: str, i: int) -> str:
        gap = " " * (widths[i] - display_width(text))
        return gap + text if i in right else text + gap

    def line(row: list[str]) -> str:
        return "| " + " | ".join(pad(c, i) for i, c in enumerate(row)) + " |"

    rule = "| " + " | ".join(("-" * (w - 1) + ":") if i in right else "-" * w for i, w in enumerate(widths)) + " |"
    return [line(cells[0]), rule, *map(line, cells[1:])]


@functools.lru_cache(maxsize=4096)
def _roles_text(refs: tuple[UnitRef, ...]) -> str:
    """"司法所(牵头)、党政综合办(配合)、各有关单位": a unit that is simply responsible has no label."""
    parts = [_md(r.name) + (f"({ROLE_LABELS[r.role]})" if r.role != "responsible" else "")
             for r in sorted(refs, key=lambda r: _ROLE_ORDER.get(r.role, 3))]
    return "、".join(parts) or "未分派"


@functools.lru_cache(maxsize=4096)
def _deadlines_text(deadlines: tuple) -> str:
    return _md(";".join(d.display() for d in deadlines))


def _deadline_text(entry: TaskReport) -> str:
    if not entry.task.deadline:
        return f"未写期限(按计划年度年底 {dt.date(entry.plan.year, 12, 31).isoformat()} 计)"
    return _deadlines_text(entry.deadlines)


@functools.lru_cache(maxsize=4096)
def _who(unit: str | None, by: str | None) -> str:
    """" 司法所 张三" before a progress note: who recorded it, if known."""
    who = " ".join(_md(x) for x in (unit, by) if x)
    return " " + who if who else ""


def _state_text(entry: TaskReport, as_of: dt.date, whose: bool) -> str:
    text = _whole_state_text(entry, as_of, whose)
    return f"本单位配合,没有自己办结的部分(任务整体:{text})" if entry.supporting else text


def _whole_state_text(entry: TaskReport, as_of: dt.date, whose: bool) -> str:
    """The task's state in a phrase; ``whose``: a shared task without progress names the units
    that recorded none (above the entries the others recorded)."""
    label = CATEGORY_LABELS[entry.category]
    if entry.category == "on_time":
        return f"{label}({entry.closed.isoformat()} 完成)" if entry.closed else f"{label}(完成日期不详)"
    if entry.category == "late":
        return f"{label}({entry.closed.isoformat()} 完成,逾期{entry.days_late}天)"
    if entry.category == "overdue":
        if missed := _late_period(entry):
            late = f",截至 {as_of.isoformat()} 已逾期{entry.days_late}天" if entry.days_late else ""
            return f"{label}(周期性任务,{missed}没有进展记录{late})"
        due = entry.due.isoformat()
        if entry.days_late:
            return f"{label}(期限 {due},截至 {as_of.isoformat()} 已逾期{entry.days_late}天)"
        return f"{label}(期限 {due} 已届满)"
    if entry.category == "no_progress":
        silent = [_md(r.unit) for r in _owed_rows(entry) if r.assessment.category == "no_progress"] if whose else []
        return f"{label}(截至 {as_of.isoformat()} 本年度{'、'.join(silent)}没有进展记录)"
    if entry.category == "ongoing" and entry.recurring:
        # 每季度 and the like: the category is 持续推进, the reader wants to know if each period was done
        gaps = len(entry.period_gaps)
        return f"{label}(周期性任务," + (f"{gaps}个周期缺少进展记录)" if gaps else "各周期均按期记录了进展)")
    if entry.category == "open":
        if entry.unknown_deadline:
            return "未完成(期限无法识别,未判断是否逾期)"
        return f"{label}(期限 {entry.due.isoformat()})" if entry.due else label
    return label


def _late_period(entry: TaskReport) -> str | None:
    """"第四季度(2024-10-01至2024-12-31)": the period a periodic task is late for (the last one
    finished, without progress); None when its lateness is a date's, not a period's."""
    if not entry.recurring:
        return None
    missed = next((m for m in entry.missed_periods if m.end == entry.due), None)
    return missed.said() if missed else None


def _owed_rows(entry: TaskReport) -> list:
    """The parts of a task shared by several units, when they do not all stand alike (the task's
    own state says it all then); none for a task one unit owes."""
    rows = [r for r in entry.parts if r.part is not None]
    alike = len({(r.assessment.category, r.standing.closed) for r in rows}) == 1
    return [] if len(rows) < 2 or alike else rows


def _part_state(row, as_of: dt.date) -> str:
    """"按期完成(2024-08-01)", "逾期完成(2024-10-08,逾期8天)", "逾期未完成(已逾期92天)"."""
    a, closed = row.assessment, row.standing.closed
    label = CATEGORY_LABELS[a.category]
    if a.category in DONE:
        late = f",逾期{a.days_late}天" if a.category == "late" and a.days_late else ""
        return f"{label}({closed.isoformat()}{late})" if closed else label
    late = days_late(a, as_of)
    return f"{label}(已逾期{late}天)" if late else label


def _parts_text(entry: TaskReport, as_of: dt.date) -> str:
    """Each unit's part of a shared task: the task's state alone does not say whose part is late."""
    return ";".join(f"{_md(r.unit)} {_part_state(r, as_of)}" for r in _owed_rows(entry))


def _commit_text(ref: CommitRef) -> str:
    day = ref.date.date().isoformat()
    if ref.action == "import-progress" and ref.unit:
        # The unit filled in the form and did the work; the office only imported it.
        return f"提交 `{ref.short}`({_md(ref.unit)}填报的进展填报表,{_md(ref.author)}于 {day} 导入)"
    how = (f",手工修改,其 gktrack 操作记录(自称“{action_label(ref.claimed)}”)与修改内容不符" if ref.mismatched
           else ",手工修改,无 gktrack 记录" if ref.action is None
           else ",经 gktrack commit-edits 检查的手工修改" if ref.action == "edit" else "")
    return f"提交 `{ref.short}`({_md(ref.who)},{day}{how})"


def _early_text(entry: TaskReport) -> str:
    """"完成日期 2024-01-03、司法所的进展日期 2024-01-02": the dates recorded before the task was added."""
    said = []
    for e in entry.early:
        whose = f"{_md(e.unit)}的" if e.unit else ""
        said.append(f"{whose}{'完成' if e.kind == 'closed' else '进展'}日期 {e.date.isoformat()}")
    return "、".join(dict.fromkeys(said))


def _gaps_text(entry: TaskReport, shared: bool) -> str:
    """The periods without progress; for a task shared by several units (``shared``: not a unit's
    report), the units whose parts have none when others did record progress in it."""
    rows = [r for r in entry.parts if r.part is not None] if shared else []

    def who(period) -> str:
        names = [_md(r.unit) for r in rows if period in r.assessment.missed_periods]
        return f",{'、'.join(names)}未记录" if 0 < len(names) < len(rows) else ""

    return "、".join(m.said(who(m)) for m in entry.period_gaps)


def _month_label(report: Report, month: str) -> str:
    """"3月", or "2023年3月" when the period spans two years."""
    y, m = month.split("-")
    return f"{int(m)}月" if report.start.year == report.as_of.year else f"{y}年{int(m)}月"


# --- sections ------------------------------------------------------------------------------------


def _main_plans(report: Report) -> list[PlanReport]:
    return [p for p in report.plans if not p.carried_over]


def _header(report: Report, out: list[str]) -> None:
    issuers = {p.plan.issuer for p in _main_plans(report)}
    issuer = issuers.pop() if len(issuers) == 1 else None
    # A unit's report is that unit's: its name in the title, not only the office's plan.
    whose = f"({_md(report.unit_filter)})" if report.unit_filter else ""
    out.append(f"# {_md(issuer) if issuer else ''}{report.year}年度政务公开工作要点{whose}落实情况")
    out.append("")
    c = report.commit
    when = f"{_md(c.who)},{c.date.strftime('%Y-%m-%d %H:%M')}"
    if report.reconstructed:
        out.append(
            f"> 本报告由 gktrack 根据计划仓库生成,统计截至北京时间{cn_date(report.as_of)}24时。"
            f"仓库中没有该时点以前的提交(计划是其后才录入的),本报告依据提交 `{c.sha}`({when})中的计划文件,"
            "按其中记录的完成日期和进展日期推算该时点的状态,该时点以后才完成的任务按未完成统计。"
            + _unrecorded_text(report))
    else:
        out.append(
            f"> 本报告由 gktrack 根据计划仓库的 git 历史生成,统计截至北京时间{cn_date(report.as_of)}24时,"
            f"依据按提交的先后顺序截至该时点的最后一次提交 `{c.sha}`({when})。"
            "任务状态以该提交中的计划文件为准;同一仓库以同样参数再次生成,内容逐字节相同。")
    for warning in misdated_warnings(report, markdown=True):
        out += [">", f"> 注意:{warning}"]
    scope = []
    if report.plan_filter:
        scope.append(f"计划 {_md(report.plan_filter)}")
    if report.unit_filter:
        scope.append(f"责任单位 {_md(report.unit_filter)}(含经集体单位分派的任务)")
    if scope:
        out += [">", f"> 报告范围:{';'.join(scope)}。"]
    out.append("")


def misdated_warnings(report: Report, markdown: bool = False) -> list[str]:
    """One warning per later-dated commit that misdated ones come after (``Report.misdated``):
    what ``report`` says on stderr, and (``markdown``) in the report's opening note."""
    code = (lambda text: f"`{text}`") if markdown else str
    name = _md if markdown else visible
    groups: dict[tuple, list] = {}
    for m in report.misdated:
        groups.setdefault((m.after, m.after_committed), []).append(m)
    cut = report.commit.sha if markdown else report.commit.short
    out = []
    for (after, when), found in groups.items():
        named = "、".join(f"提交 {code(m.short)}({name(m.author)},提交日期 {m.committed.strftime('%Y-%m-%d %H:%M')})"
                         for m in found[:3]) + (f"等{len(found)}个提交" if len(found) > 3 else "")
        out.append(f"提交日期倒退:{named}排在提交 {code(after[:len(found[0].short)])}"
                   f"({when.strftime('%Y-%m-%d %H:%M')})之后,提交日期却在截止时点以前(做出提交的电脑时钟可能不准)。"
                   f"本报告按提交的先后顺序,截止时点的状态取到提交 {code(cut)} 为止,未计入"
                   f"{'该提交' if len(found) == 1 else '这些提交'}的修改。")
    return out


def _unrecorded_text(report: Report) -> str:
    n = report.unrecorded
    if not n:
        return ""
    if n == report.counts.total:
        return (f"计划文件中的{n}项任务都还没有登记完成情况或工作进展,下文的统计只反映仓库中的这一记录状态,"
                "不代表实际工作情况;请先用 gktrack progress、gktrack close(可加 --date 补记日期)登记落实情况,"
                "再生成本报告。")
    return f"其中{n}项任务在计划文件中既无完成记录也无进展记录,按未完成统计。"


def _counted(n: Counts, categories) -> list[str]:
    return [f"{CATEGORY_LABELS[c]}{n[c]}项" for c in categories if n[c]]


def _overview(report: Report, out: list[str]) -> None:
    n = report.counts
    main = _main_plans(report)
    main_tasks = sum(p.counts.total for p in main)
    carried = n.total - main_tasks
    titles = "、".join(
        _title(p.plan.title) + (f"({_md(p.plan.doc_number)})" if p.plan.doc_number else "") for p in main)
    out += ["## 一、总体情况", ""]
    if report.unit_filter:
        lead = f"{report.year}年,{_md(report.unit_filter)}承担"
        if main:
            lead += f"{titles}中的任务{main_tasks}项"
        text = lead + (f",另有以前年度计划结转任务{carried}项,合计{n.total}项" if carried else "")
        supported = sum(1 for t in report.tasks if t.supporting)
        text += (f";另配合其他单位牵头的任务{supported}项,不计入本单位的完成情况" if supported else "") + "。"
    else:
        if len(main) == 1:
            text = f"{report.year}年,跟踪落实{titles},分解任务{main_tasks}项"
        elif main:
            text = f"{report.year}年,共跟踪政务公开工作计划{len(main)}份:{titles},分解任务{main_tasks}项"
        else:
            text = f"{report.year}年,没有本年度的工作计划"
        text += f";另有以前年度计划结转任务{carried}项,合计{n.total}项" if carried else ""
        text += "。"
    done_parts = _counted(n, DONE)
    parts = [f"已完成{n.done}项" + (f",其中{'、'.join(done_parts)}" if done_parts else "")]
    if n["ongoing"]:
        parts.append(f"持续推进{n['ongoing']}项")
    if n.not_done:
        parts.append(f"未完成{n.not_done}项,其中{'、'.join(_counted(n, _NOT_DONE))}")
    text += f"截至{cn_date(report.as_of)}," + ";".join(parts) + "。"
    if n.rate is not None:
        text += f"任务完成率{_pct(n.rate)}。"
    tasks = report.tasks
    facts = [  # (how many, what is said of them), said when there are any
        (sum(len(t.progress) for t in tasks), "年内记录工作进展{}条"),
        (sum(1 for t in tasks if t.reopened_for_work), "{}项任务曾重新打开"),
        (sum(1 for t in tasks if t.period_gaps and t.recurring), "{}项周期性任务存在未按期记录进展的周期"),
        # 持续推进 after a checkpoint ("10月底前,持续推进"): its gap is the year, and it is not periodic
        (sum(1 for t in tasks if t.period_gaps and not t.recurring), "{}项持续推进任务有责任单位全年没有进展记录"),
        (sum(1 for t in tasks if t.early), "{}项任务登记的完成或进展日期早于任务加入计划的日期,需核实"),
        (len(report.audit.hand_edits), _hand_edited(report) + "在 gktrack 之外手工修改{}次,均已在审计记录中列明"),
    ]
    extra = [text.format(k) for k, text in facts if k]
    if extra:
        text += ";".join(extra) + "。"
    if report.unrecorded:
        text += f"(注:其中{report.unrecorded}项任务在仓库中没有任何完成或进展记录。)"
    out += [text, ""]
    rows = []
    for p in report.plans:
        label = _title(p.plan.title) + (f"({p.plan.year}年度结转)" if p.carried_over else "")
        rows.append([f"**{label}**", *_count_cells(p.counts)])
        if len(p.sections) > 1 or (p.sections and p.sections[0].key is not None):
            for s in p.sections:
                rows.append([_md(s.heading), *_count_cells(s.counts)])
    if len(report.plans) > 1:
        rows.append(["**合计**", *_count_cells(n)])
    headers = ["计划及章节", "任务数", *(CATEGORY_LABELS[c] for c in CATEGORIES), "完成率"]
    out += table(headers, rows, right=set(range(1, len(headers))))
    # The rule, said once: what the cut-off means and how the rate is counted.
    out += ["", f"注:任务状态按北京时间{cn_date(report.as_of)}24时以前的记录判断,与 gktrack overdue --as-of "
                f"{(report.as_of + ONE_DAY).isoformat()} 的判断一致:期限在此前(含当天)而未完成的为逾期未完成,"
                "持续推进的任务年内没有进展记录的为未见进展,期限未到或无法识别的为未到期;"
                "完成率 = 已完成 ÷(任务数 − 持续推进),未见进展的任务计入分母。", ""]


def _hand_edited(report: Report) -> str:
    """What the hand edits changed: the plan files, the unit registry, or both."""
    files = {f for h in report.audit.hand_edits for f in h.files}
    registry = REGISTRY_FILE in files
    plans = any(plan_id_of(f) for f in files)
    return "计划文件和单位名册" if registry and plans else "单位名册" if registry else "计划文件"


def _count_cells(c: Counts) -> list[Any]:
    return [c.total, *(c[k] for k in CATEGORIES), _pct(c.rate)]


def _details(report: Report, out: list[str]) -> Iterator[None]:
    """Adds each plan's part to ``out`` and yields after it (out is then never empty)."""
    out += ["## 二、逐项落实情况", ""]
    state_label = "年末状态" if report.as_of == dt.date(report.year, 12, 31) else f"截至{report.as_of.isoformat()}状态"
    for p in report.plans:
        plan = p.plan
        title = f"### {_title(plan.title)}"
        if p.carried_over:
            title += f"({plan.year}年度计划结转任务)"
        out += [title, ""]
        meta = [f"{label_of(Plan, key)} {_md(getattr(plan, key))}"
                for key in ("id", "issuer", "doc_number", "issued") if getattr(plan, key)]
        out += [";".join(meta) + "。", ""]
        shown: list[str] = []
        paths: dict[str | None, tuple[list, list[str]]] = {}
        for entry in p.tasks:
            key = entry.task.section
            if key not in paths:
                chain = plan.section_path(key)
                paths[key] = (chain, [s.key for s in chain])
            path, keys = paths[key]
            for depth, section in enumerate(path, start=1):
                if shown[:depth] != keys[:depth]:
                    out += [f"{_HEADING_LEVELS.get(depth, '######')} {_md(section.heading)}", ""]
            shown = keys
            _task_block(report, entry, out, state_label)
        yield


def _task_block(report: Report, entry: TaskReport, out: list[str], state_label: str) -> None:
    task = entry.task
    if task.number:
        out.append(f"**{_md(task.number)}** {_md(task.text)}(任务编号 {_md(entry.ref)})")
    else:
        out.append(f"**{_md(entry.ref)}** {_md(task.text)}")
    out.append("")
    out.append(f"- 责任单位:{_roles_text(tuple(entry.units))}")
    out.append(f"- 期限:{_deadline_text(entry)}")
    state = f"- {state_label}:{_state_text(entry, report.as_of, not report.unit_filter)}"
    if entry.done and entry.closing and entry.closed and entry.closing.date.date() != entry.closed:
        state += f",{entry.closing.date.date().isoformat()} 登记"
    out.append(state)
    if not report.unit_filter and (parts := _parts_text(entry, report.as_of)):
        out.append(f"- 各单位完成情况:{parts}")
    if entry.done:
        # done part by part: each unit's own note and evidence (a unit's report: its part's only)
        whole = [] if report.unit_filter else entry.parts
        notes = [f"{_md(r.unit)}:{_md(r.standing.note)}" for r in whole
                 if r.part is not None and r.standing.note] if not task.note else [_md(task.note)]
        links = list(task.evidence) or list(dict.fromkeys(e for r in whole for e in r.standing.evidence))
        out.append(f"- 完成情况:{';'.join(notes) if notes else '未填写'}")
        out.append("- 佐证材料:" + ("、".join(_link(e) for e in links) if links else "未提供"))
    if entry.early:
        out.append(f"- 注意:{_early_text(entry)} 早于任务加入计划的日期 {entry.added.date.date().isoformat()}"
                   f"({_commit_text(entry.added)}),请核实")
    if entry.period_gaps:
        out.append("- 缺少进展记录的周期:" + _gaps_text(entry, not report.unit_filter))
    for label, event in entry.told_events:
        out.append(f"- {label}:{event.date.isoformat()},{_commit_text(event.commit)}")
    if entry.done:
        out.append("- 审计依据:" + (f"关闭于{_commit_text(entry.closing)}" if entry.closing else "未找到关闭该任务的提交"))
    if entry.progress:
        out.append(f"- 本年度进展({len(entry.progress)}条):")
        for p in entry.progress:
            out.append(f"  - {p.date.isoformat()}{_who(p.unit, p.by)}:{_md(p.note)}")
    else:
        out.append("- 本年度进展:无记录")
    out.append("")


def _units_section(report: Report, out: list[str]) -> None:
    out += ["## 三、按责任单位统计", ""]
    rows = []
    for rank, u in enumerate(report.units, start=1):
        c = u.counts
        rows.append([rank, _md(u.name), u.lead, u.responsible, u.support, c.total, c.done, c.missed,
                     c.not_done, c["no_progress"], c["ongoing"], _pct(c.rate), u.progress])
    headers = ["排名", "责任单位", "牵头", "负责", "配合", "承担部分", "已完成", "逾期", "未完成", "未见进展", "持续推进",
               "完成率", "进展记录"]
    out += table(headers, rows, right=set(range(len(headers))) - {1})
    out += ["", "注:一项任务分给几个单位的,每个牵头、负责单位各承担自己的一部分,各自报送、各自办结,按各自那一部分统计"
            "(名单列明成员的集体,如“各乡(镇)”,按成员各算一部分;成员不定的集体,如“各有关单位”,算一部分,由政务公开办办结);"
            "配合单位向牵头单位报送,不单独计算。按完成率排名,完成率相同的逾期少者在前;“逾期”含逾期完成和逾期未完成;"
            "“未完成”含未见进展;“进展记录”是本单位本年度记录的进展条数。", ""]


def _problem_item(report: Report, entry: TaskReport) -> str:
    plan = _title(entry.plan.title) if len(report.plans) > 1 else ""
    text = (f"{plan}{quote(_md(excerpt(entry.task.text, 60)))}(任务编号 {_md(entry.ref)}),"
            f"责任单位:{_roles_text(tuple(entry.units))}")
    # undated: the year end it is judged by, said as such (a bare date after the units reads as theirs)
    return text + f",期限:{_md(entry.task.deadline_text) if entry.task.deadline else _deadline_text(entry)}"


def _problems(report: Report, out: list[str]) -> Iterator[None]:
    """Adds the problems to ``out``, yielding now and then (one city's list runs to tens of thousands of items)."""
    out += ["## 四、存在的主要问题及改进情况", ""]
    as_of = cn_date(report.as_of)

    def item(t: TaskReport, due: bool, text: str) -> str:
        # the date after the phrase, unless the phrase is that date ("期限:2024-04-30(2024-04-30)")
        due = due and bool(t.task.deadline) and t.due.isoformat() != t.task.deadline_text
        return f"{_problem_item(report, t)}" + (f"({t.due.isoformat()})" if due else "") + f"。{text}。"

    def whose(t: TaskReport, categories: tuple, what: str) -> str:
        # a shared task: the units whose parts are behind it, not every unit named on it
        names = [_md(r.unit) for r in _owed_rows(t) if r.assessment.category in categories]
        return f";其中{what}的单位:{'、'.join(names)}" if names and not report.unit_filter else ""

    def overdue_item(t: TaskReport) -> str:
        if missed := _late_period(t):
            # a periodic task is late for a period without progress, not past a date unfinished
            late = f",截至{as_of}已逾期{t.days_late}天" if t.days_late else ""
            return item(t, False, f"{missed}没有进展记录{late}" + whose(t, ("overdue",), "该周期没有进展记录"))
        return item(t, True, (f"截至{as_of}尚未完成,已逾期{t.days_late}天" if t.days_late
                              else f"期限已届满,截至{as_of}尚未完成") + whose(t, ("overdue",), "尚未完成"))

    kinds = [  # (heading, which tasks, the item's text, the measure to take; {n}: how many)
        ("逾期未完成任务", lambda t: t.category == "overdue", overdue_item,
         "对{n}项逾期未完成任务,逐项明确完成时限和责任人,纳入下一年度工作要点跟踪督办,办结后及时公开"),
        ("未见进展的任务", lambda t: t.category == "no_progress",
         lambda t: item(t, False, f"截至{as_of}本年度没有进展记录" + whose(t, ("no_progress",), "没有进展记录")),
         "对未见进展的任务,督促责任单位说明推进情况,及时记录工作进展"),
        ("逾期完成任务", lambda t: t.category == "late",
         lambda t: item(t, True, f"于{cn_date(t.closed)}完成,逾期{t.days_late}天" + whose(t, ("late",), "逾期完成")),
         "对逾期完成的任务,督促责任单位分析原因,提前谋划、按节点推进"),
        ("周期性任务缺少进展记录", lambda t: bool(t.period_gaps) and t.recurring,
         lambda t: item(t, False, f"{_gaps_text(t, not report.unit_filter)}无进展记录"),
         "对周期性任务,按月、按季度及时记录工作进展,做到有据可查"),
        ("持续推进任务全年缺少进展记录", lambda t: bool(t.period_gaps) and not t.recurring,
         lambda t: item(t, False, f"{_gaps_text(t, not report.unit_filter)}无进展记录"),
         "对持续推进的任务,督促全年没有进展记录的责任单位说明推进情况,及时记录工作进展"),
        ("日期早于任务加入计划的任务", lambda t: bool(t.early),
         lambda t: item(t, False, f"{_early_text(t)} 早于任务加入计划的日期 {t.added.date.date().isoformat()},"
                                  "完成是否按期无法据此判断"),
         "对登记日期早于任务加入计划的任务,核实实际完成和进展日期,有误的用 gktrack edit 更正"),
        ("未经 gktrack 登记办结的任务", lambda t: t.closed_by_hand,
         lambda t: item(t, False, f"由{_commit_text(t.closing)}标记为完成,完成情况未经登记核实"),
         "对直接修改计划文件办结的任务,核实完成情况和佐证材料,今后用 gktrack close 登记办结"),
        ("期限无法识别的任务", lambda t: t.unknown_deadline,
         lambda t: item(t, False, "期限无法识别,未能判断是否按期,请在计划文件中改写期限"),
         "对期限表述不明确的任务,明确具体完成时限"),
    ]
    found = [(heading, tasks, text, measure) for heading, which, text, measure in kinds
             if (tasks := [t for t in report.tasks if not t.supporting and which(t)])]
    if not found:
        # Only what is so: no task late, silent, undated or misdated (open ones may not be due yet).
        out += [f"无。截至{as_of},没有逾期未完成、逾期完成、未见进展的任务,周期性任务均按期记录了进展。", ""]
        return
    for i, (heading, tasks, text, _) in enumerate(found):
        out += [f"### ({_CN_NUMBERS[i]}){heading}{len(tasks)}项", ""]
        for k, t in enumerate(tasks, start=1):
            out.append(f"{k}. {text(t)}")
            yield
        out.append("")
    measures = [measure.format(n=len(tasks)) for _, tasks, _, measure in found]
    out += ["### 改进措施", "", "下一步," + ";".join(measures) + "。", ""]


def _audit_section(report: Report, out: list[str]) -> None:
    a = report.audit
    c = report.commit
    out += ["## 五、审计记录", ""]
    # Which later commit the history was read from is left out: a report made again from a
    # newer HEAD, with the same cut-off commit, must be the same bytes.
    which = ("(仓库中没有截至该时点的提交,状态按计划文件中记录的日期推算)" if report.reconstructed
             else f",即截至北京时间{cn_date(report.as_of)}24时的最后一次提交,")
    text = (f"本报告依据提交 `{c.sha}`{which}"
            f"由{_md(c.who)}于 {c.date.strftime('%Y-%m-%d %H:%M')} 作出。"
            f"{cn_date(report.start)}至{cn_date(report.as_of)},")
    # what the audit counts (count.fill_audit): the changes of a unit's own part, a plan's file, or every file
    text += (f"报告范围内的任务中{_md(report.unit_filter)}承担的部分" if report.unit_filter
             else "报告范围内的计划文件" if report.plan_filter else "计划文件和单位名册")
    text += f"共修改{a.commits}次"
    if a.commits:
        parts = [f"通过 gktrack 操作{a.tool}次"]
        if a.hand_unchecked:
            forged = f"(其中{a.hand_mismatched}次带有与修改内容不符的 gktrack 操作记录)" if a.hand_mismatched else ""
            parts.append(f"直接用 git 提交的手工修改{a.hand_unchecked}次{forged}")
        if a.hand_checked:
            parts.append(f"经 gktrack commit-edits 检查后提交的手工修改{a.hand_checked}次")
        text += ",其中" + "、".join(parts)
    out += [text + "。每次修改的作者、时间和内容可用 git log 或 gktrack log 查证。", ""]
    out += ["### (一)按月统计", ""]
    rows = [[_month_label(report, m.month), m.commits, m.hand_edits] for m in a.months]
    out += table(["月份", "修改次数", "其中手工修改"], rows, right={1, 2})
    out += ["", "### (二)按人员统计", ""]
    if a.people:
        names = [p.who for p in a.people]
        rows = [[_md(p.who if names.count(p.who) == 1 else f"{p.name} <{p.email}>" + p.who[len(p.name):]),
                 p.commits, p.progress, p.closes, p.hand_edits] for p in a.people]
        out += table(["人员", "修改次数", "记录进展", "关闭操作", "手工修改"], rows, right={1, 2, 3, 4})
    else:
        out.append("本期间没有修改。")
    # One date basis for the period, the months and the people, the same as `gktrack log` shows.
    out += ["", "注:修改按提交的作者日期(做出修改的时间,北京时间,即 gktrack log 所列的时间)计入本期间、各月和各人员;"
                "用 --date 补记的工作日期是任务的完成日期和进展日期,“各月办结任务数”按完成日期统计。"]
    out += ["", "### (三)手工修改", ""]
    if a.hand_edits:
        out.append("以下提交是手工修改:直接用 git 提交的(没有 gktrack 的操作记录,或所带的操作记录与修改内容不符),"
                   "以及经 gktrack commit-edits 检查后提交的;其内容由比较提交前后的文件得出:")
        out.append("")
        rows = []
        for h in a.hand_edits:
            kind = (f"记录不符(自称“{action_label(h.commit.claimed)}”)" if h.commit.mismatched
                    else "直接提交" if h.commit.action is None else "经检查提交")
            rows.append([f"`{h.commit.short}`", h.commit.date.strftime("%Y-%m-%d %H:%M"), _md(h.commit.who), kind,
                         ";".join(_md(x) for x in h.changes)])
        out += table(["提交", "时间", "作者", "方式", "修改内容"], rows)
    else:
        out.append("本期间没有手工修改。")
    out.append("")
    if report.unreadable:
        out += ["### (四)未能读取的文件", ""]
        out += [f"- {_md(u.where)}:{_md(u.message)}(未纳入本报告)" for u in report.unreadable]
        out.append("")


# Chart types older Mermaid renders: Gitea, and GitLab before 16, bundle Mermaid 8.x, which has
# `pie` (since 8.4) but neither `xychart-beta` (10.x) nor `pie showData`. The numbers are in the
# table beside each chart.
def _pie(title: str, slices: list[tuple[str, int]]) -> list[str]:
    return ["```mermaid", "pie", f"    title {title}", *(f'    "{label}" : {value}' for label, value in slices), "```"]


def _charts(report: Report, out: list[str]) -> None:
    n = report.counts
    out += ["## 六、图表", "", "### (一)任务落实情况", ""]
    slices = [(CATEGORY_LABELS[c], n[c]) for c in CATEGORIES if n[c]]
    out += _pie(f"{report.year}年度任务落实情况(共{n.total}项)", slices)
    out += [""]
    out += table(["落实情况", "任务数", "占比"],
                 [[label, value, _pct(value / n.total)] for label, value in slices], right={1, 2})
    out += ["", "### (二)各月办结任务数", ""]
    months = report.audit.months
    labels = [_month_label(report, m.month) for m in months]
    values = [m.closed_on_time + m.closed_late for m in months]
    closed = [(label, v) for label, v in zip(labels, values) if v]
    if closed:  # a pie of no slices draws nothing
        out += _pie(f"{report.year}年各月办结任务数(共{sum(values)}项)", closed) + [""]
    else:
        out += ["本期间没有办结的任务。", ""]
    rows = [[label, v, m.closed_on_time, m.closed_late] for label, v, m in zip(labels, values, months)]
    out += table(["月份", "办结任务数", "其中按期", "其中逾期"], rows, right={1, 2, 3})
    earlier = report.audit.closed_before
    # so that the months add up to the tasks the overview counts done
    earlier = (f"另有{earlier}项已完成的任务完成日期早于{cn_date(report.start)},计入总体情况的已完成数,不在上表中。"
               if earlier else "")
    out += ["", f"注:按任务的完成日期统计;在截止日之后才办结的任务计入下一年度报告。{earlier}", ""]
