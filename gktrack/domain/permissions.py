"""Who may change what: the ``people`` section of units.yaml.

With no people listed, everyone may do everything (a single-office repository). Once people are
listed, the office role may change everything; a unit's liaison may record progress on, close and
reopen the tasks of their own units (directly or through a collective they belong to) and nothing
else. The same rules are enforced on the server by the pre-receive hook.
"""

from __future__ import annotations

from gktrack.errors import PermissionDeniedError
from gktrack.domain.model import Task
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
