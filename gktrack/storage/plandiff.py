"""What one commit changed in one plan file, task by task: the tasks that differ, each one's
state before and after and its closing date, and one Chinese phrase per change for the audit
trail ("p2022/7 状态 未完成→已完成,完成情况改为“…”").

Plan files keep each task in its own block of lines, so the two versions are compared block by
block as text and only the blocks that differ are read: a hand edit of one task in a file of
fifty costs reading one task. A file laid out some other way is read whole, by ``whole`` (which
the caller serves from the index). The result is plain data (``FileDiff.to_data``), so the caller
can remember it under the two blob ids.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from gktrack.domain.model import STATE_LABELS, Plan, Task, fields_of
from gktrack.domain.quoting import quote
from gktrack.domain.text import clip
from gktrack.errors import GktrackError
from gktrack.storage import yamldoc
from gktrack.storage.reader import Reader

_TASKS_SPEC = dict(fields_of(Plan))["tasks"]
_PLAN_LABELS = {name: spec.label for name, spec in fields_of(Plan) if name != "tasks"}
_TEXT_FIELDS = ("text", "note", "units_text")
_TASK_FIELDS = fields_of(Task)


class TaskChange(NamedTuple):
    """One task a commit changed: its state before and after (None: no such task), after the
    change its closing date, the fields that differ (none listed for a task added or deleted),
    whether a progress entry already there was changed or removed (not only added to), and the
    units (as the file writes them) whose own records are all it changed: their part records and
    progress entries naming them; none when it changed the task as a whole."""

    task_id: int
    old_state: str | None
    new_state: str | None
    closed: dt.date | None
    fields: tuple[str, ...] = ()
    rewrote: bool = False
    units: tuple[str, ...] = ()


@dataclass
class FileDiff:
    phrases: list[str]
    tasks: list[TaskChange]
    # When the versions could not be compared task by task (the file deleted, or a version that
    # cannot be read): the tasks of the version that could be read, each of which may have changed.
    uncertain: list[int]
    header: list[str] = field(default_factory=list)  # the plan's own fields that differ (sections, title…)
    unread: bool = False  # a version could not be read: not compared task by task

    def touches(self, task_id: int) -> bool:
        return task_id in self.uncertain or any(t.task_id == task_id for t in self.tasks)

    def to_data(self) -> tuple:
        return (self.phrases, [(t.task_id, t.old_state, t.new_state, t.closed and t.closed.toordinal(),
                                t.fields, t.rewrote, t.units) for t in self.tasks],
                self.uncertain, self.header, self.unread)

    @classmethod
    def from_data(cls, data: tuple) -> "FileDiff":
        phrases, tasks, uncertain, header, unread = data
        return cls(list(phrases), [TaskChange(i, old, new, dt.date.fromordinal(closed) if closed else None,
                                              tuple(fields), rewrote, tuple(units))
                                   for i, old, new, closed, fields, rewrote, units in tasks],
                   list(uncertain), list(header), unread)


Version = tuple[str, bytes]  # (blob id, contents)


def compare(path: str, plan_id: str, old: Version | None, new: Version | None,
            whole: Callable[[str, bytes], Plan]) -> FileDiff:
    """The changes from ``old`` to ``new``; ``whole(blob, data)`` reads a version whole (and
    raises ``GktrackError`` when it cannot)."""
    def read(version: Version) -> Plan | None:
        try:
            return whole(*version)
        except GktrackError:
            return None

    if new is None:
        return FileDiff([f"删除计划文件 {path}"], [], sorted(_tasks(old and read(old))))
    if old is None:
        created = read(new)
        if created is None:
            return FileDiff([f"{path} 修改后无法解析,未能逐项比较"], [], [], unread=True)
        return FileDiff([f"新建计划文件 {path}({len(created.tasks)}项任务)"], _changes({}, _tasks(created)), [])
    found = _by_blocks(path, old[1], new[1])
    if found is None:
        before, after = read(old), read(new)
        if before is None or after is None:
            side = "修改前" if before is None else "修改后"
            return FileDiff([f"{path} {side}无法解析,未能逐项比较"], [], sorted(_tasks(before or after)),
                            unread=True)
        found = (_header_changes(_header_data(before), _header_data(after)), _tasks(before), _tasks(after))
    header, before, after = found
    changed = _changes(before, after)
    phrases = [f"{plan_id} 计划信息:" + "、".join(_PLAN_LABELS.get(key, key) for key in header)] if header else []
    phrases += [f"{plan_id}/{task_id} " + describe_task_change(before.get(task_id), after.get(task_id))
                for task_id, *_ in changed]
    return FileDiff(phrases, changed, [], header)


def _tasks(plan: Plan | None) -> dict[int, Task]:
    return {t.id: t for t in plan.tasks} if plan is not None else {}


def _changes(before: dict[int, Task], after: dict[int, Task]) -> list[TaskChange]:
    out = []
    for task_id in sorted(set(before) | set(after)):
        old, new = before.get(task_id), after.get(task_id)
        if old != new:
            fields = tuple(name for name, _ in _TASK_FIELDS if getattr(old, name) != getattr(new, name)) \
                if old is not None and new is not None else ()
            # An entry that was there before and is not now was changed or removed.
            rewrote = "progress" in fields and bool(_entries(old) - _entries(new))
            out.append(TaskChange(task_id, old and old.state, new and new.state, new and new.closed, fields, rewrote,
                                  _units_of(old, new, fields)))
    return out


def _units_of(old: Task | None, new: Task | None, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The units whose own records (part records, progress entries naming them) are all that
    changed between ``old`` and ``new``; none when anything of the task as a whole changed (an
    entry without a unit counts for every part)."""
    if old is None or new is None or not set(fields) <= {"progress", "parts"}:
        return ()
    before, after = _entries(old), _entries(new)
    units = {unit for _, unit, _, _ in (before - after) + (after - before)}
    units |= {p.unit for p in (*old.parts, *new.parts) if old.part(p.unit) != new.part(p.unit)}
    return () if None in units else tuple(sorted(units))


def _entries(task: Task) -> Counter:
    return Counter((p.date, p.unit, p.by, p.note) for p in task.progress)


def _header_data(plan: Plan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in _PLAN_LABELS}


def _header_changes(before: dict, after: dict) -> list[str]:
    """The keys of the plan's own fields (all but its tasks) that differ."""
    return [key for key in dict.fromkeys([*before, *after])
            if key != "tasks" and before.get(key) != after.get(key)]


# --- block by block ---------------------------------------------------------------------------

_TASKS_KEY = re.compile(r"^tasks[ \t]*:[ \t]*(?:#.*)?\r?$", re.M)
_FIRST_ITEM = re.compile(r"^( *)- ", re.M)
# A line break before a top-level line: a literal "\n" first lets the regex engine skip ahead
# to each one (a "^" under re.M is tried at every character).
_TOP_LEVEL = re.compile(r"\n(?=[^\s#])")
_TOP_LEVEL_NOT_ITEM = re.compile(r"\n(?=[^\s#-])")


def _split(text: str) -> tuple[str, list[str]] | None:
    """(the file without its tasks, the text of each task item), or None if not laid out so.

    Regular expressions over the whole text rather than a loop over lines: this runs on both
    versions of every hand-edited file, which may be large.
    """
    key = _TASKS_KEY.search(text)
    if key is None:
        return None
    body = key.end() + 1
    first = _FIRST_ITEM.search(text, body)
    if first is None or any(line.strip() and not line.strip().startswith("#")
                            for line in text[body:first.start()].splitlines()):
        return None
    dash = len(first.group(1))
    end_match = (_TOP_LEVEL if dash else _TOP_LEVEL_NOT_ITEM).search(text, first.end())
    end = end_match.start() + 1 if end_match else len(text)
    # Each item starts a line with the first item's dash; the line break before it is dropped
    # here and every item gets one back below.
    marker = " " * dash + "- "
    pieces = text[first.start():end].split("\n" + marker)
    items = pieces[:1] + [marker + piece for piece in pieces[1:]]
    return text[:key.start()] + text[end:], [item.rstrip() + "\n" for item in items if item.strip()]


def _by_blocks(path: str, old: bytes, new: bytes) -> tuple[list[str], dict, dict] | None:
    """(header labels that changed, the differing tasks before, after), reading only the task
    blocks that differ; None when the versions are not both laid out in blocks that read."""
    try:
        parts = [_split(yamldoc.decode(data, path)) for data in (old, new)]
        if None in parts:
            return None
        (old_header, old_items), (new_header, new_items) = parts
        header: list[str] = []
        if old_header != new_header:
            before, after = (yamldoc.to_data(yamldoc.compose(h, path)) for h in (old_header, new_header))
            if not isinstance(before, dict) or not isinstance(after, dict):
                return None
            header = _header_changes(before, after)
        old_set, new_set = set(old_items), set(new_items)
        gone = [item for item in old_items if item not in new_set]
        came = [item for item in new_items if item not in old_set]
        return header, _read_items(path, gone), _read_items(path, came)
    except GktrackError:
        return None


def _read_items(path: str, items: list[str]) -> dict[int, Task]:
    if not items:
        return {}
    tasks = Reader(path).value(_TASKS_SPEC, "tasks", yamldoc.compose("".join(items), path), "")
    found = {t.id: t for t in tasks}
    if len(found) != len(items):
        raise GktrackError("任务块与任务不一一对应", where=path)
    return found


# --- phrases ----------------------------------------------------------------------------------


def _value_text(value: Any, limit: int = 20) -> str:
    if value is None or value == "" or value == []:
        return "(空)"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        value = "、".join(_value_text(v, limit) for v in value)
    return clip(value, limit)


def describe_task_change(old: Task | None, new: Task | None) -> str:
    """One task's change in Chinese, field by field ("状态 未完成→已完成,完成情况改为“…”"): the
    audit trail's phrase and sync's line for what came in or went out."""
    if old is None:
        return f"新增任务({STATE_LABELS[new.state]})"
    if new is None:
        return "删除任务"
    parts = []
    for name, spec in fields_of(Task):
        a, b = getattr(old, name), getattr(new, name)
        if a == b:
            continue
        if name == "state":
            parts.append(f"状态 {STATE_LABELS[a]}→{STATE_LABELS[b]}")
        elif name == "progress":
            gone = _entries(old) - _entries(new)
            parts.append("修改或删除了已有进展记录" if gone else f"新增进展{len(b) - len(a)}条")
        elif name in _TEXT_FIELDS:
            parts.append(f"{spec.label}改为{quote(_value_text(b))}" if b else f"删除{spec.label}")
        else:
            parts.append(f"{spec.label} {_value_text(a)}→{_value_text(b)}")
    return ",".join(parts)
