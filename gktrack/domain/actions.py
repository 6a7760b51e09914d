"""What each kind of change is called and what it may change: its ``Gktrack-Action`` trailer,
the label ``log`` and the report show for it, the words a refusal uses ("不能关闭任务"), and
which part of the repository a commit of that kind changes. One table, read by the history
(``storage.history`` and ``storage.claims``: a commit is shown as its action only when its
content is such a change) and by the permission rules (``domain.permissions``: what a unit's
liaison may change is what the unit actions change).
"""

from __future__ import annotations

from typing import NamedTuple

# What a commit of an action changes (``Action.scope``); a commit whose content goes beyond it
# is a hand edit, whatever its trailers say (``storage.claims``).
SETUP = "setup"            # the repository's own files, no plan file; units.yaml only created (init)
EMPTY_PLAN = "empty-plan"  # creates the plan file Gktrack-Plan names, with no tasks
NEW_PLAN = "new-plan"      # creates the plan file Gktrack-Plan names
SECTIONS = "sections"      # the sections of the plan Gktrack-Plan names, no task
NEW_TASK = "new-task"      # adds the one task Gktrack-Task names
TASK = "task"              # ``fields`` of the one task Gktrack-Task names
TASKS = "tasks"            # ``fields`` of tasks of the plans Gktrack-Plan names
UNDO = "undo"              # exactly the reverse of the commit Gktrack-Reverts names
EDIT = "edit"              # a checked hand edit: anything, but every plan file it leaves must read
NONE = None                # not a change a commit records (a permission's name only)

# The task fields closing and reopening write (``domain.parts.close_edit``/``reopen_edit``).
_CLOSING = ("state", "closed", "note", "evidence", "parts")


class Action(NamedTuple):
    label: str    # what it is, in a list of changes: 关闭
    verb: str     # what someone may or may not do: 关闭任务
    scope: str | None = NONE  # what its commit changes (above)
    fields: tuple[str, ...] = ()  # TASK, TASKS: the task fields it may change
    registers: bool = False  # may also add units to units.yaml (a name not yet registered)


ACTIONS: dict[str | None, Action] = {
    "init": Action("初始化", "初始化计划仓库", SETUP),
    "new-plan": Action("新建计划", "新建计划", EMPTY_PLAN),
    "import": Action("导入计划", "导入计划", NEW_PLAN, registers=True),
    "add-section": Action("新增章节", "新增章节", SECTIONS),
    "add": Action("新增任务", "新增任务", NEW_TASK, registers=True),
    "assign": Action("分派", "分派单位", TASK, ("lead", "support", "responsible"), registers=True),
    "unassign": Action("取消分派", "取消分派单位", TASK, ("lead", "support", "responsible")),
    "progress": Action("记录进展", "记录进展", TASK, ("progress",)),
    "close": Action("关闭", "关闭任务", TASK, _CLOSING),
    # Before tasks had parts, reopening also added a progress entry: such commits are reopenings.
    "reopen": Action("重新打开", "重新打开任务", TASK, (*_CLOSING, "progress")),
    "undo": Action("撤销", "撤销修改", UNDO),
    "edit": Action("手工修改(已检查)", "修改计划", EDIT),
    "import-progress": Action("导入进展填报表", "导入进展填报表", TASKS, ("progress", *_CLOSING)),
    "registry": Action("修改单位名册", "修改单位名册"),
    None: Action("手工修改", "修改计划"),
}


def action_label(action: str | None) -> str:
    """The label of a change in ``log``, ``show`` and the report (an unknown trailer as it is)."""
    found = ACTIONS.get(action)
    return found.label if found else (action or ACTIONS[None].label)


def action_verb(action: str) -> str:
    found = ACTIONS.get(action)
    return found.verb if found else action


def fields_changed_by(actions: tuple[str, ...]) -> tuple[str, ...]:
    """The task fields commits of these actions may change, each once."""
    return tuple(dict.fromkeys(name for action in actions for name in ACTIONS[action].fields))


def committer_differs(author: str, email: str, committer: str | None, committer_email: str | None) -> bool:
    """Whether the person who ran git is not the one the change is made in the name of."""
    if not committer and not committer_email:
        return False  # not known
    return committer != author or (committer_email or "").lower() != (email or "").lower()


def made_by(author: str, email: str, committer: str | None = None, committer_email: str | None = None) -> str:
    """Who made a change, as ``log``, ``show`` and the report name them: the author (``--by``), and
    the committer (who ran git) where that is someone else: 王五(提交者:李四)."""
    if not committer_differs(author, email, committer, committer_email):
        return author
    other = committer if committer and committer != author else f"{committer or ''} <{committer_email}>".strip()
    return f"{author}(提交者:{other})"
