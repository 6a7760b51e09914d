"""Who may change what: the ``people`` section of units.yaml.

With no people listed, everyone may do everything (a single-office repository). Once people are
listed, the office role may change everything; a unit's liaison may record progress on, close and
reopen the tasks of their own units (directly or through a collective they belong to) and nothing
else: only the fields ``UNIT_FIELDS`` of those tasks, and among their progress entries only those
of their own units. The same rules are enforced on the server by the pre-receive hook, on hand
edits by ``commit-edits`` and on ``undo``: every one of them asks this module.

A change is made by its committer (who ran git) in the name of its author (``--by``): both must be
allowed, unless the committer is the office, which may record in anyone's name
(``acting_people``).
"""

from __future__ import annotations

from collections import Counter

from gktrack.errors import PermissionDeniedError
from gktrack.domain.model import Person, Task, to_data
from gktrack.domain.units import Units

UNIT_ACTIONS = ("progress", "close", "reopen")
# The task fields those actions write: all a unit's liaison may change (the pre-receive hook).
UNIT_FIELDS = ("progress", "state", "closed", "note", "evidence")
ACTION_LABELS = {
    "progress": "记录进展", "close": "关闭任务", "reopen": "重新打开任务", "assign": "分派单位",
    "add": "新增任务", "edit": "修改计划", "registry": "修改单位名册", "new-plan": "新建计划",
    "add-section": "新增章节", "import": "导入计划",
}

# The rules as the pre-receive hook states them to whoever pushed.
RULE_UNIT = "单位联络人只能记录本单位任务的进展、关闭或重新打开本单位的任务"
RULE_OFFICE_FIELDS = ("任务的内容、序号、章节、责任单位和期限只有政务公开办(office 角色)可以修改;"
                      "单位联络人只能改 progress、state、closed、note、evidence")
RULE_ADD_REMOVE = "新增或删除任务只有政务公开办(office 角色)可以"
RULE_PLAN = "新建、删除计划,修改计划信息和章节只有政务公开办(office 角色)可以"
RULE_REGISTRY = "单位名册 units.yaml 只有政务公开办(office 角色)可以修改"
RULE_UNKNOWN = "名册列出人员后,只有名册中的人员可以修改计划"
RULE_BROKEN = "无法读取的计划文件无法判断改了什么,只有政务公开办(office 角色)可以提交"
RULE_ENTRY_UNIT = "单位联络人只能新增、修改或删除本单位的进展记录(进展的 unit 为本单位)"
RULE_OTHER_FILES = "单位联络人只能修改计划文件中本单位任务的进展和办结字段,不能修改计划文件以外的任何文件"
RULE_ACTING_UNIT = "单位联络人只能以本单位的名义记录(--unit 只能是本人所属的单位)"


def task_units_for(units: Units, task: Task, person_units: list[str]) -> bool:
    mine = {units.canonical(u) or u for u in person_units}
    for ref in task.units:
        name = units.canonical(ref.name) or ref.name
        if name in mine:
            return True
        for unit in mine:
            if name in units.collectives_of(unit):
                return True
    return False


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


def _my_units(units: Units, person: Person) -> set[str]:
    return {units.canonical(u) or u for u in person.units}


def task_change_problems(units: Units, person: Person, before: Task, after: Task) -> list[tuple[str, str]]:
    """(rule, detail) for each way a liaison's change of one task breaks the rules (none: allowed).

    The task is judged by the units it had before the change; progress entries by their own unit:
    a liaison adds, changes or removes only entries of their own units (an entry added without a
    unit is theirs)."""
    who = person.name or person.email
    old, new = to_data(before), to_data(after)
    fields = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    extra = sorted(fields - set(UNIT_FIELDS))
    if extra:
        return [(RULE_OFFICE_FIELDS, f"{who} 修改了 {'、'.join(extra)}")]
    if not fields:
        return []
    if not task_units_for(units, before, person.units):
        owners = "、".join(u.name for u in before.units) or "(未分派)"
        mine = "、".join(person.units) or "无单位"
        return [(RULE_UNIT, f"该任务属于 {owners},{who}({mine})不能修改它")]
    if "progress" not in fields:
        return []
    mine = _my_units(units, person)
    removed = _entries(before) - _entries(after)
    added = _entries(after) - _entries(before)
    # Removing or changing an entry needs it to be one's own (an entry without a unit is the
    # office's to change); an added entry may leave its unit blank.
    foreign = [unit for (_date, unit, _by, _note) in removed if (units.canonical(unit or "") or unit) not in mine]
    foreign += [unit for (_date, unit, _by, _note) in added
                if unit is not None and (units.canonical(unit) or unit) not in mine]
    if foreign:
        names = "、".join(dict.fromkeys(u or "(未写单位)" for u in foreign))
        return [(RULE_ENTRY_UNIT, f"{who} 新增、修改或删除了 {names} 的进展记录")]
    return []


def _entries(task: Task) -> Counter:
    return Counter((p.date, p.unit, p.by, p.note) for p in task.progress)


def check_acting_unit(units: Units, email: str | None, unit: str) -> None:
    """A liaison records only in the name of their own units (``--unit``)."""
    if is_office(units, email):
        return
    person = units.person(email)
    if person is None:
        return  # check_task_change says who is not listed
    if unit not in _my_units(units, person):
        raise PermissionDeniedError(
            f"{person.name or person.email}({'、'.join(person.units) or '无单位'})不能以“{unit}”的名义记录;"
            f"规则:{RULE_ACTING_UNIT}")


def office_people(units: Units) -> list[str]:
    return [p.name or p.email for p in units.registry.people if p.role == "office"]


def check_task_change(units: Units, email: str | None, task: Task, action: str) -> None:
    """Raise PermissionDeniedError when ``email`` may not do ``action`` on ``task``."""
    people = units.registry.people
    if not people:
        return
    person = units.person(email)
    label = ACTION_LABELS.get(action, action)
    office = "、".join(office_people(units)) or "政务公开办"
    if person is None:
        raise PermissionDeniedError(f"{email or '当前用户'} 不在单位名册的人员(people)中,不能{label};请联系{office}登记")
    if person.role == "office":
        return
    if action in UNIT_ACTIONS and task_units_for(units, task, person.units):
        return
    owners = "、".join(u.name for u in task.units) or "(未分派)"
    if action in UNIT_ACTIONS:
        raise PermissionDeniedError(
            f"{person.name or person.email}({'、'.join(person.units) or '无单位'})不能{label} {task.full_id}:"
            f"该任务属于 {owners};只有这些单位的联络人或{office}可以"
        )
    raise PermissionDeniedError(f"{person.name or person.email} 不能{label}:只有{office}可以")


def check_office(units: Units, email: str | None, action: str) -> None:
    people = units.registry.people
    if not people:
        return
    person = units.person(email)
    if person is not None and person.role == "office":
        return
    office = "、".join(office_people(units)) or "政务公开办"
    raise PermissionDeniedError(f"{(person.name if person else None) or email or '当前用户'} 不能{ACTION_LABELS.get(action, action)}:只有{office}可以")
