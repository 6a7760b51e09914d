"""Who may change what: the ``people`` section of units.yaml, over the task's parts (``domain.parts``).

With no people listed, everyone may do everything (a single-office repository). Once people are
listed, the office role may change everything. A unit's liaison may, on a task their unit has to
do with (it owes a part, supports it, or belongs to a collective named on it):

* record progress, as their own unit (and add, change or remove only their own units' entries);
* close and reopen their own unit's part — not another unit's, not an open collective's part
  (its members report on it, the office closes it), and not the whole task unless it is their
  part alone;

and nothing else: only the fields ``UNIT_FIELDS`` of those tasks. The same rules are enforced on
the server by the pre-receive hook, on hand edits by ``commit-edits`` and on ``undo``: every one
of them asks this module.

A change is made by its committer (who ran git) in the name of its author (``--by``): both must be
allowed, unless the committer is the office, which may record in anyone's name
(``acting_people``). The recorder (``by``) of a liaison's entry may not name another listed person
than those making the change (``forged_recorder``); the commands write a listed person's registry
name (``recorder_name``). A name the registry does not know (a git name in pinyin, written by an
older gktrack) impersonates no one and passes: honest work is never refused.
"""

from __future__ import annotations

from collections import Counter

from gktrack.domain.actions import action_verb, fields_changed_by
from gktrack.domain.model import Person, Plan, Task, to_data
from gktrack.domain.parts import owed_parts, role_of
from gktrack.domain.units import Units
from gktrack.errors import PermissionDeniedError

UNIT_ACTIONS = ("progress", "close", "reopen")
# The task fields those actions write (the table of actions says which): all a unit's liaison
# may change (the pre-receive hook).
UNIT_FIELDS = fields_changed_by(UNIT_ACTIONS)

# The rules as the pre-receive hook states them to whoever pushed.
RULE_UNIT = "单位联络人只能为本单位记录进展、关闭或重新打开本单位自己的那一部分"
RULE_OFFICE_FIELDS = ("任务的内容、序号、章节、责任单位和期限只有政务公开办(office 角色)可以修改;"
                      "单位联络人只能改 progress、parts 中本单位的部分,以及只属于本单位的任务的 state、closed、note、evidence")
RULE_ADD_REMOVE = "新增或删除任务只有政务公开办(office 角色)可以"
RULE_PLAN = "新建、删除计划,修改计划信息和章节只有政务公开办(office 角色)可以"
RULE_REGISTRY = "单位名册 units.yaml 只有政务公开办(office 角色)可以修改"
RULE_UNKNOWN = "名册列出人员后,只有名册中的人员可以修改计划"
RULE_BROKEN = "无法读取的计划文件无法判断改了什么,只有政务公开办(office 角色)可以提交"
RULE_ENTRY_UNIT = "单位联络人只能新增、修改或删除本单位的进展记录(进展的 unit 为本单位)"
RULE_OTHER_FILES = "单位联络人只能修改计划文件中本单位任务的进展和办结字段,不能修改计划文件以外的任何文件"
RULE_ACTING_UNIT = "单位联络人只能以本单位的名义记录进展、办结或重新打开(--unit 只能是本人所属的单位)"
RULE_RECORDER = ("单位联络人新增或修改的进展记录,记录人(by)不能写成单位名册中的其他人员,"
                 "只能是做这次修改的人(提交者、作者或推送者)")
RULE_TAKE_BACK = "尚未推送的提交只能由做这次修改的人或政务公开办撤回"


def own_units(units: Units, person_units: list[str]) -> set[str]:
    return {units.canonical(u) or u for u in person_units}


def has_to_do_with(units: Units, plan: Plan, task: Task, person_units: list[str]) -> bool:
    """Whether one of these units owes a part of the task, supports it, or belongs to a collective on it."""
    return any(role_of(plan, task, units, unit) is not None for unit in own_units(units, person_units))


def may_act_on_part(units: Units, plan: Plan, task: Task, person_units: list[str], part: str | None) -> bool:
    """Whether a liaison of these units may close or reopen ``part`` (None: the whole task)."""
    mine = own_units(units, person_units)
    parts = owed_parts(plan, task, units)
    part = units.resolve(part) if part is not None else None  # a record may be under a unit's former name
    if part is None:  # the whole task: only when it is one part, theirs
        return len(parts) == 1 and parts[0].unit in mine and not parts[0].shared
    return any(p.unit == part and p.unit in mine and not p.shared for p in parts)


def is_office(units: Units, email: str | None) -> bool:
    """True when ``email`` may change everything: the office, or anyone while no people are listed."""
    if not units.registry.people:
        return True
    person = units.person(email)
    return person is not None and person.role == "office"


def acting_people(units: Units, author: str | None, committer: str | None) -> list[str | None]:
    """The e-mails a change must be allowed for: its committer, and its author unless the
    committer is the office (the office may record in a liaison's name; a liaison may not act in
    the office's, or another liaison's, name)."""
    if committer is None or (author or "").lower() == committer.lower():
        return [author if committer is None else committer]
    if is_office(units, committer):
        return [committer]
    return [committer, author]


def recorder_name(person: Person) -> str:
    """How a listed person is named: the recorder (``by``) of a progress entry, in a refusal."""
    return person.name or person.email


def _with_units(person: Person) -> str:
    return f"{recorder_name(person)}({'、'.join(person.units) or '无单位'})"


def _someone(units: Units, email: str | None) -> str:
    """Who ``email`` is in a refusal: a listed person's name, else the e-mail."""
    person = units.person(email)
    return (person.name if person else None) or email or "当前用户"


def forged_recorder(units: Units, acting: list[Person], by: str) -> bool:
    """Whether ``by`` names (by registry name or e-mail) a listed person and none of ``acting``, the
    people making the change."""
    said = by.strip().casefold()
    named = [p for p in units.registry.people if said in {(p.name or "").strip().casefold(), p.email.casefold()}]
    return bool(named) and not any(p in acting for p in named)


def check_recorder(units: Units, emails: list[str | None], by: str) -> None:
    """A liaison records progress under no other listed person's name (``--by 某人`` without an
    e-mail keeps the committer's rights but writes that name)."""
    if any(is_office(units, email) for email in emails):
        return
    acting = [p for p in map(units.person, emails) if p is not None]
    if forged_recorder(units, acting, by):
        raise PermissionDeniedError(f"不能以“{by}”为记录人记录进展:{RULE_RECORDER};"
                                    f"请不加 --by 记录,或请{office_name(units)}代为记录")


def task_change_problems(units: Units, person: Person, plan: Plan, before: Task,
                         after: Task, acting: list[Person] | None = None) -> list[tuple[str, str]]:
    """(rule, detail) for each way a liaison's change of one task breaks the rules (none: allowed).

    The task is judged by the units and parts it had before the change: only the fields
    ``UNIT_FIELDS``; progress entries by their own unit (a liaison adds, changes or removes only
    entries of their own units; an entry added without a unit is theirs, on a task of one part
    only), naming no listed person as recorder but ``acting`` (the listed people making the change;
    default: ``person``) where the recorder is new to the entries; part records only of their own parts; the
    task's own state only when the task is their part alone."""
    who = recorder_name(person)
    old, new = to_data(before), to_data(after)
    changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    extra = sorted(changed - set(UNIT_FIELDS))
    if extra:
        return [(RULE_OFFICE_FIELDS, f"{who} 修改了 {'、'.join(extra)}")]
    if not changed:
        return []
    if not has_to_do_with(units, plan, before, person.units):
        owners = "、".join(p.unit for p in owed_parts(plan, before, units)) or "(未分派)"
        mine = "、".join(person.units) or "无单位"
        return [(RULE_UNIT, f"该任务属于 {owners},{who}({mine})不能修改它")]
    found: list[tuple[str, str]] = []
    if "progress" in changed:
        mine = own_units(units, person.units)
        removed = _entries(before) - _entries(after)
        added = _entries(after) - _entries(before)
        # Removing or changing an entry needs it to be one's own (an entry without a unit is the
        # office's to change); an added entry may leave its unit blank where one unit owes the task.
        foreign = [unit for (_date, unit, _by, _note) in removed if (units.canonical(unit or "") or unit) not in mine]
        foreign += [unit for (_date, unit, _by, _note) in added
                    if unit is not None and (units.canonical(unit) or unit) not in mine]
        if foreign:
            names = "、".join(dict.fromkeys(u or "(未写单位)" for u in foreign))
            found.append((RULE_ENTRY_UNIT, f"{who} 新增、修改或删除了 {names} 的进展记录"))
        if any(unit is None for (_date, unit, _by, _note) in added) and len(owed_parts(plan, before, units)) > 1:
            # an entry without a unit counts for every unit's part (``parts.progress_dates``)
            found.append((RULE_ENTRY_UNIT, f"{who} 新增的进展记录没有写单位;几个单位分担的任务,"
                                           "未写单位的进展算作每个单位的进展,请写明 unit 为本单位"))
        # a recorder the entries did not name before: correcting a colleague's note keeps theirs
        claimed = Counter(by for (_date, _unit, by, _note) in added if by)
        claimed -= Counter(by for (_date, _unit, by, _note) in removed if by)
        forged = [by for by in claimed if forged_recorder(units, acting or [person], by)]
        if forged:
            names = "、".join(recorder_name(p) for p in acting or [person])
            found.append((RULE_RECORDER, f"进展记录的记录人“{'、'.join(forged)}”是名册中的其他人员,"
                                         f"不是做这次修改的人({names})"))
    if "parts" in changed:
        olds = {p["unit"]: p for p in old["parts"]}
        news = {p["unit"]: p for p in new["parts"]}
        for unit in sorted(set(olds) | set(news)):
            if olds.get(unit) != news.get(unit) and not may_act_on_part(units, plan, before, person.units, unit):
                found.append((RULE_UNIT, f"{who} 改动了 {unit} 的部分"))
    if changed & {"state", "closed", "note", "evidence"} and not may_act_on_part(units, plan, before, person.units, None):
        found.append((RULE_UNIT, f"{who} 改动了整项任务的办结状态(只有只属于本单位的任务可以)"))
    return found


def _entries(task: Task) -> Counter:
    return Counter((p.date, p.unit, p.by, p.note) for p in task.progress)


def check_acting_unit(units: Units, email: str | None, unit: str) -> None:
    """A liaison records only in the name of their own units (``--unit``)."""
    if is_office(units, email):
        return
    person = units.person(email)
    if person is None:
        return  # check_task_change says who is not listed
    if unit not in own_units(units, person.units):
        raise PermissionDeniedError(f"{_with_units(person)}不能以“{unit}”的名义记录进展、办结或重新打开;"
                                    f"规则:{RULE_ACTING_UNIT}")


def office_name(units: Units) -> str:
    """Who the office is, as a refusal names it: its people, else its name."""
    return "、".join(recorder_name(p) for p in units.registry.people if p.role == "office") or "政务公开办"


def check_task_change(units: Units, email: str | None, plan: Plan, task: Task, action: str, *,
                      part: str | None = None) -> None:
    """Raise PermissionDeniedError when ``email`` may not do ``action`` on ``task`` (on ``part``,
    a unit's part, for close and reopen)."""
    if is_office(units, email):
        return
    person = units.person(email)
    label = action_verb(action)
    office = office_name(units)
    if person is None:
        raise PermissionDeniedError(f"{email or '当前用户'} 不在单位名册的人员(people)中,不能{label};请联系{office}登记")
    who = _with_units(person)
    if action == "progress" and has_to_do_with(units, plan, task, person.units):
        return
    if action in ("close", "reopen") and may_act_on_part(units, plan, task, person.units, part):
        return
    owners = "、".join(p.unit for p in owed_parts(plan, task, units)) or "(未分派)"
    if action == "progress":
        raise PermissionDeniedError(f"{who}不能{label} {task.full_id}:该任务属于 {owners};只有这些单位的联络人或{office}可以")
    if action in ("close", "reopen"):
        what = f"{part} 的部分" if part else "整项任务"
        raise PermissionDeniedError(f"{who}不能{label} {task.full_id} {what}:单位联络人只能关闭或重新打开本单位自己的那一部分"
                                    f"(该任务的各部分属于 {owners});集体“各有关单位”那样的部分和整项任务由{office}办结")
    raise PermissionDeniedError(f"{recorder_name(person)} 不能{label}:只有{office}可以")


def check_take_back(units: Units, emails: list[str | None], author: str | None, author_name: str) -> None:
    """Taking back a commit not yet pushed leaves no trace on the server and removes the work it
    recorded from this clone: only its author or the office may (a shared computer)."""
    for email in emails:
        if is_office(units, email) or (email or "").lower() == (author or "").lower():
            continue
        raise PermissionDeniedError(f"{_someone(units, email)} 不能撤回 {author_name} 尚未推送的提交:{RULE_TAKE_BACK};"
                                    f"请由{author_name}或{office_name(units)}撤回")


def check_office(units: Units, email: str | None, action: str) -> None:
    if is_office(units, email):
        return
    raise PermissionDeniedError(f"{_someone(units, email)} 不能{action_verb(action)}:只有{office_name(units)}可以")
