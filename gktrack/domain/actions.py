"""What each kind of change is called: its ``Gktrack-Action`` trailer, the label ``log`` and the
report show for it, and the words a refusal uses ("不能关闭任务"). One table, read by the history
(``storage.history``) and by the permission rules (``domain.permissions``)."""

from __future__ import annotations

from typing import NamedTuple


class Action(NamedTuple):
    label: str    # what it is, in a list of changes: 关闭
    verb: str     # what someone may or may not do: 关闭任务


ACTIONS: dict[str | None, Action] = {
    "init": Action("初始化", "初始化计划仓库"),
    "new-plan": Action("新建计划", "新建计划"),
    "import": Action("导入计划", "导入计划"),
    "add-section": Action("新增章节", "新增章节"),
    "add": Action("新增任务", "新增任务"),
    "assign": Action("分派", "分派单位"),
    "unassign": Action("取消分派", "取消分派单位"),
    "progress": Action("记录进展", "记录进展"),
    "close": Action("关闭", "关闭任务"),
    "reopen": Action("重新打开", "重新打开任务"),
    "undo": Action("撤销", "撤销修改"),
    "edit": Action("手工修改(已检查)", "修改计划"),
    "import-progress": Action("导入进展填报表", "导入进展填报表"),
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
