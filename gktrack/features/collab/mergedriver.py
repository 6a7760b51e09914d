"""Three-way merge of plan files at the level of tasks and fields: git's merge driver for plans.

git merges text line by line, so two liaisons appending progress to two adjacent tasks, or
closing one task while someone records progress on the next, would "conflict" on lines that
have nothing to do with each other. This driver reads the three versions (base, ours, theirs) as
plans and merges them the way a person would:

* tasks are matched by id; a task only one side changed takes that side's version, byte for byte;
* within a task changed on both sides, each field is merged on its own: a field only one side
  changed takes that side; ``progress`` entries of both sides are all kept, new ones placed in
  date order; unit lists (lead/support/responsible) and ``evidence`` merge as sets;
* the same field changed differently on both sides is a real conflict: the file keeps our value
  in the field and records the others in a ``conflict`` key on the task (see ``CONFLICT_KEY``),
  so the result is still valid YAML that ``gktrack validate`` flags, never a file of markers;
* a task added on both sides under the same id (both picked max+1) is kept twice: the incoming
  one (theirs) gets the next free id, and so does a section added twice under one key;
* plan header fields and sections merge the same way; their conflicts go to a top-level
  ``conflict`` key.

``units.yaml`` goes through the same driver: where git's line merge conflicts only because both
sides appended entries (two offices registering new units or people at once), the result is our
file plus their new entries; any other overlapping change keeps git's markers for a person.

Only tasks that the merge changes are rewritten (with the plan file's block machinery); every
other byte comes from our version. When a version cannot be read as a plan, the driver falls back
to git's own line merge (``git merge-file``), so nothing is ever lost.

During a rebase, "ours" is the upstream history and "theirs" the local commit being replayed, so
"the incoming task is renumbered" renumbers the local, not yet published task. The renumbering is
noted under ``.git/gktrack/`` so the later commits of the same rebase follow it and ``gktrack
sync`` can fix their trailers and report it.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gktrack.errors import GktrackError, PlanFileError

CONFLICT_KEY = "conflict"
DRIVER_NAME = "gktrack"
ATTRIBUTES_LINE = "plans/*.yaml merge=gktrack"
NOTES_FILE = "merge-notes.jsonl"
# Fields whose value is a list of names: both sides' additions and removals are combined.
SET_FIELDS = ("lead", "support", "responsible", "evidence")
FIELD_LABELS = {
    "number": "序号", "section": "章节", "text": "内容", "lead": "牵头单位", "support": "配合单位",
    "responsible": "责任单位", "units_text": "原文单位", "deadline": "期限", "state": "状态",
    "closed": "完成日期", "note": "说明", "evidence": "佐证", "progress": "进展",
    "title": "标题", "year": "年度", "issuer": "发文单位", "doc_number": "文号", "issued": "印发日期",
    "source": "原文地址", "owner": "负责单位", "schema": "格式版本", "id": "编号",
}
DELETED_NOTE = "一方删除了此任务,另一方修改了它;已保留修改后的任务,请确认是否应删除"
_MISSING = object()


@dataclass
class Conflict:
    plan: str
    field: str
    task: int | None = None  # None: the plan header; field "sections/<key>" for a section

    def describe(self) -> str:
        label = FIELD_LABELS.get(self.field, self.field)
        if self.task is None:
            if self.field.startswith("sections/"):
                return f"计划 {self.plan} 的章节 {self.field.partition('/')[2]}"
            return f"计划 {self.plan} 的“{label}”({self.field})"
        if self.field == "task":
            return f"任务 {self.plan}/{self.task}(一方删除、一方修改)"
        return f"任务 {self.plan}/{self.task} 的“{label}”({self.field})"

    def to_json(self) -> dict:
        return {"plan": self.plan, "task": self.task, "field": self.field}


@dataclass
class Renumbered:
    plan: str
    kind: str  # "task" or "section"
    old: str
    new: str

    def describe(self) -> str:
        if self.kind == "task":
            return f"双方都新增了任务 {self.plan}/{self.old},合入的一方已改为 {self.plan}/{self.new}"
        return f"双方都新增了计划 {self.plan} 的章节 {self.old},合入的一方已改为 {self.new}"

    def to_json(self) -> dict:
        return {"plan": self.plan, "kind": self.kind, "old": self.old, "new": self.new}


@dataclass
class MergeResult:
    text: str
    conflicts: list[Conflict] = field(default_factory=list)
    renumbered: list[Renumbered] = field(default_factory=list)
    fallback: str | None = None  # why the line merge was used instead

    @property
    def clean(self) -> bool:
        return not self.conflicts and self.fallback is None


class _Unmergeable(Exception):
    """A version is not a plan we can merge structurally; use the line merge."""


# --- plain data -------------------------------------------------------------------------------


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _get(mapping: dict | None, key: str) -> Any:
    if mapping is None:
        return _MISSING
    return mapping.get(key, _MISSING)


def _as_list(value: Any) -> list:
    if value is _MISSING or value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _three(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """(merged value, conflict?) of one value; a conflict keeps ours."""
    if ours == theirs:
        return ours, False
    if ours == base:
        return theirs, False
    if theirs == base:
        return ours, False
    return ours, True


def _merge_set(base: Any, ours: Any, theirs: Any) -> Any:
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    b, o, t = _as_list(base), _as_list(ours), _as_list(theirs)
    merged = [x for x in o if not (x in b and x not in t)]
    merged += [x for x in t if x not in o and x not in b and x not in merged]
    return merged or _MISSING


def _merge_progress(base: Any, ours: Any, theirs: Any) -> Any:
    """Every entry either side added, none that either side removed; new ones in date order."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    b, o, t = _as_list(base), _as_list(ours), _as_list(theirs)
    b_keys = [_key(e) for e in b]
    t_keys = [_key(e) for e in t]
    o_keys = [_key(e) for e in o]
    merged = [e for e, k in zip(o, o_keys) if not (k in b_keys and k not in t_keys)]
    merged_keys = [_key(e) for e in merged]
    for entry, k in zip(t, t_keys):
        if k in b_keys or k in o_keys or k in merged_keys:
            continue
        position = len(merged)
        when = _entry_date(entry)
        if when is not None:
            position = 0
            for index, existing in enumerate(merged):
                other = _entry_date(existing)
                if other is None or other <= when:
                    position = index + 1
        merged.insert(position, entry)
        merged_keys.insert(position, k)
    return merged or _MISSING


def _entry_date(entry: Any) -> dt.date | None:
    value = entry.get("date") if isinstance(entry, dict) else None
    return value if isinstance(value, dt.date) else None


def _conflict_entry(base: Any, theirs: Any) -> dict:
    return {"base": None if base is _MISSING else base, "theirs": None if theirs is _MISSING else theirs}


def merge_task(base: dict | None, ours: dict, theirs: dict) -> tuple[dict, list[str]]:
    """Field-level merge of one task; returns (merged task, fields in conflict)."""
    keys = list(dict.fromkeys([*ours, *theirs, *(base or {})]))
    merged: dict = {}
    conflicts: dict = {}
    for name in keys:
        b, o, t = _get(base, name), _get(ours, name), _get(theirs, name)
        if name == CONFLICT_KEY:
            value, clash = _three(b, o, t)
            if clash:  # two unresolved conflicts: keep both records
                value = {**(t if isinstance(t, dict) else {}), **(o if isinstance(o, dict) else {})}
        elif name == "progress":
            value = _merge_progress(b, o, t)
        elif name in SET_FIELDS and all(v is _MISSING or isinstance(v, (list, str)) for v in (b, o, t)):
            value = _merge_set(b, o, t)
        else:
            value, clash = _three(b, o, t)
            if clash:
                conflicts[name] = _conflict_entry(b, t)
        if value is not _MISSING:
            merged[name] = value
    if conflicts:
        previous = merged.get(CONFLICT_KEY)
        merged[CONFLICT_KEY] = {**(previous if isinstance(previous, dict) else {}), **conflicts}
    return merged, list(conflicts)


# --- reading the three versions ---------------------------------------------------------------


@dataclass
class _Version:
    text: str
    data: dict
    block: Any  # BlockFile
    tasks: dict[int, dict]  # id -> plain task
    order: list[int]
    spans: dict[int, tuple[int, int]]
    sections: dict[str, dict]
    section_order: list[str]
    section_spans: dict[str, tuple[int, int]]


def _read(text: str, where: str, *, empty_ok: bool = False) -> _Version:
    from gktrack.storage.planfile import plan_from_data
    from gktrack.storage.yamlfile import LINE_KEY, BlockFile, safe_load, strip_lines

    block = BlockFile(text, where)
    if not text.strip() and empty_ok:
        return _Version(text, {}, block, {}, [], {}, {}, [], {})
    try:
        data = safe_load(text, where)
        if not isinstance(data, dict):
            raise _Unmergeable(f"{where} 不是计划文件")
        plan_from_data(data, where)
        raw_tasks = data.get("tasks") or []
        raw_sections = data.get("sections") or []
        spans = block.item_spans("tasks", [t[LINE_KEY] for t in raw_tasks]) if raw_tasks else []
        section_spans = block.item_spans("sections", [s[LINE_KEY] for s in raw_sections]) if raw_sections else []
    except GktrackError as exc:
        raise _Unmergeable(str(exc)) from None
    tasks = {t["id"]: strip_lines(t) for t in raw_tasks}
    sections = {str(s["key"]): strip_lines(s) for s in raw_sections}
    return _Version(
        text=text, data=strip_lines(data), block=block, tasks=tasks, order=[t["id"] for t in raw_tasks],
        spans={t["id"]: span for t, span in zip(raw_tasks, spans)},
        sections=sections, section_order=[str(s["key"]) for s in raw_sections],
        section_spans={str(s["key"]): span for s, span in zip(raw_sections, section_spans)},
    )


# --- renumbering ------------------------------------------------------------------------------


def _within(key: Any, prefix: str) -> bool:
    return isinstance(key, str) and (key == prefix or key.startswith(prefix + "."))


def _remap_key(key: str, old: str, new: str) -> str:
    return new + key[len(old):]


def _apply_mapping(version: _Version, tasks: dict[int, int], sections: dict[str, str]) -> None:
    """Earlier renumbering in this rebase, applied to a version that predates it."""
    for old, new in sections.items():
        if old not in version.sections or new in version.sections:
            continue
        for key in list(version.section_order):
            if _within(key, old):
                fresh = _remap_key(key, old, new)
                entry = dict(version.sections.pop(key))
                entry["key"] = fresh
                version.sections[fresh] = entry
                version.section_order[version.section_order.index(key)] = fresh
                if key in version.section_spans:
                    version.section_spans[fresh] = version.section_spans.pop(key)
        for task in version.tasks.values():
            if _within(task.get("section"), old):
                task["section"] = _remap_key(task["section"], old, new)
    for old, new in tasks.items():
        if old in version.tasks and new not in version.tasks:
            task = dict(version.tasks.pop(old))
            task["id"] = new
            version.tasks[new] = task
            version.order[version.order.index(old)] = new
            if old in version.spans:
                version.spans[new] = version.spans.pop(old)


def _next_section_key(key: str, taken: set[str]) -> str:
    parent, _, last = key.rpartition(".")
    siblings = [k.rpartition(".")[2] for k in taken if k.rpartition(".")[0] == parent]
    number = max([int(s) for s in siblings if s.isdigit()] + [int(last) if last.isdigit() else 0]) + 1
    return f"{parent}.{number}" if parent else str(number)


# --- the merge --------------------------------------------------------------------------------


def merge_plan_texts(base: str, ours: str, theirs: str, where: str, *,
                     mapping: dict | None = None) -> MergeResult:
    """Merge three versions of a plan file. ``mapping`` is earlier renumbering (see module doc)."""
    try:
        return _merge(base, ours, theirs, where, mapping or {})
    except _Unmergeable as exc:
        return MergeResult(_line_merge(base, ours, theirs), fallback=str(exc))


def _merge(base_text: str, ours_text: str, theirs_text: str, where: str, mapping: dict) -> MergeResult:
    if ours_text == theirs_text or theirs_text == base_text:
        return MergeResult(ours_text)
    if ours_text == base_text and not any(mapping.values()):
        return MergeResult(theirs_text)
    base = _read(base_text, where, empty_ok=True)
    ours = _read(ours_text, where)
    theirs = _read(theirs_text, where)
    plan_id = str(ours.data.get("id"))
    result = MergeResult("")
    # The ids and keys in theirs' raw lines, before any renumbering, for reusing its bytes.
    theirs_raw_id = {tid: tid for tid in theirs.order}
    theirs_raw_tasks = {tid: dict(t) for tid, t in theirs.tasks.items()}
    theirs_raw_sections = {k: dict(s) for k, s in theirs.sections.items()}
    theirs_raw_key = {k: k for k in theirs.section_order}
    earlier_tasks = {int(k): int(v) for k, v in (mapping.get("tasks") or {}).items()}
    earlier_sections = {str(k): str(v) for k, v in (mapping.get("sections") or {}).items()}
    if earlier_tasks or earlier_sections:
        before, before_keys = list(theirs.order), list(theirs.section_order)
        _apply_mapping(base, earlier_tasks, earlier_sections)
        _apply_mapping(theirs, earlier_tasks, earlier_sections)
        theirs_raw_id = dict(zip(theirs.order, before))
        theirs_raw_key = dict(zip(theirs.section_order, before_keys))

    # Sections: a key added on both sides with different content moves theirs to a free key.
    section_map: dict[str, str] = {}
    taken = set(base.sections) | set(ours.sections) | set(theirs.sections)
    for key in list(theirs.section_order):
        if key in base.sections or key not in ours.sections or any(_within(key, old) for old in section_map):
            continue
        if ours.sections[key] == theirs.sections[key]:
            continue
        fresh = _next_section_key(key, taken)
        taken.add(fresh)
        section_map[key] = fresh
        result.renumbered.append(Renumbered(plan_id, "section", key, fresh))
    if section_map:
        added_by_theirs = {tid for tid, t in theirs.tasks.items()
                           if tid not in base.tasks or t.get("section") != base.tasks[tid].get("section")}
        for old, new in section_map.items():
            for key in list(theirs.section_order):
                if _within(key, old) and key not in base.sections:
                    fresh = _remap_key(key, old, new)
                    taken.add(fresh)
                    entry = dict(theirs.sections.pop(key))
                    entry["key"] = fresh
                    theirs.sections[fresh] = entry
                    theirs.section_order[theirs.section_order.index(key)] = fresh
                    theirs.section_spans[fresh] = theirs.section_spans.pop(key)
                    theirs_raw_key[fresh] = theirs_raw_key.pop(key)
            for tid in added_by_theirs:
                task = theirs.tasks[tid]
                if _within(task.get("section"), old):
                    task["section"] = _remap_key(task["section"], old, new)

    # Tasks: the same id added on both sides with different content moves theirs to a free id.
    next_id = max([0, *base.tasks, *ours.tasks, *theirs.tasks]) + 1
    task_map: dict[int, int] = {}
    for tid in list(theirs.order):
        if tid in base.tasks or tid not in ours.tasks or ours.tasks[tid] == theirs.tasks[tid]:
            continue
        task_map[tid] = next_id
        result.renumbered.append(Renumbered(plan_id, "task", str(tid), str(next_id)))
        next_id += 1
    for old, new in task_map.items():
        task = dict(theirs.tasks.pop(old))
        task["id"] = new
        theirs.tasks[new] = task
        theirs.order[theirs.order.index(old)] = new
        theirs.spans[new] = theirs.spans.pop(old)
        theirs_raw_id[new] = theirs_raw_id.pop(old, old)

    editor = _Assembler(ours, theirs, theirs_raw_id, theirs_raw_tasks,
                        {k: theirs_raw_sections[raw] for k, raw in theirs_raw_key.items()})
    top_conflicts: dict = {}

    # Header fields (everything but sections and tasks).
    header_keys = [k for k in dict.fromkeys([*ours.data, *theirs.data, *base.data])
                   if k not in ("sections", "tasks", CONFLICT_KEY)]
    for name in header_keys:
        b, o, t = _get(base.data, name), _get(ours.data, name), _get(theirs.data, name)
        value, clash = _three(b, o, t)
        if clash:
            top_conflicts[name] = _conflict_entry(b, t)
            result.conflicts.append(Conflict(plan_id, name))
        elif value != o:
            editor.header_from_theirs(name)

    # Sections, by key.
    merged_sections: dict[str, dict] = {}
    for key in dict.fromkeys([*ours.section_order, *theirs.section_order, *base.section_order]):
        b, o, t = base.sections.get(key, _MISSING), ours.sections.get(key, _MISSING), theirs.sections.get(key, _MISSING)
        value, clash = _three(b, o, t)
        if clash:
            top_conflicts.setdefault("sections", {})[key] = _conflict_entry(b, t)
            result.conflicts.append(Conflict(plan_id, f"sections/{key}"))
        if value is not _MISSING:
            merged_sections[key] = value
    section_order = _ordered(ours.section_order, theirs.section_order, merged_sections, set(base.sections))
    if [merged_sections[k] for k in section_order] != [ours.sections[k] for k in ours.section_order]:
        editor.set_sections([(k, merged_sections[k]) for k in section_order])

    # Tasks, by id.
    merged_tasks: dict[int, dict] = {}
    for tid in dict.fromkeys([*ours.order, *theirs.order]):
        b, o, t = base.tasks.get(tid), ours.tasks.get(tid), theirs.tasks.get(tid)
        if o is not None and t is not None:
            if o == t:
                merged_tasks[tid] = o
                continue
            merged, fields = merge_task(b, o, t)
            merged_tasks[tid] = merged
            result.conflicts += [Conflict(plan_id, f, tid) for f in fields]
        elif o is not None:
            if b is None or b == o:
                if b is None:
                    merged_tasks[tid] = o
                continue  # deleted by theirs, unchanged by us
            merged_tasks[tid] = {**o, CONFLICT_KEY: {**(o.get(CONFLICT_KEY) or {}), "task": DELETED_NOTE}}
            result.conflicts.append(Conflict(plan_id, "task", tid))
        else:
            if b is None:
                merged_tasks[tid] = t
            elif b != t:
                merged_tasks[tid] = {**t, CONFLICT_KEY: {**(t.get(CONFLICT_KEY) or {}), "task": DELETED_NOTE}}
                result.conflicts.append(Conflict(plan_id, "task", tid))
    task_order = _ordered(ours.order, theirs.order, merged_tasks, set(base.tasks))
    editor.set_tasks(task_order, merged_tasks)

    if top_conflicts or CONFLICT_KEY in ours.data or CONFLICT_KEY in theirs.data:
        previous = {}
        for side in (theirs.data, ours.data):
            if isinstance(side.get(CONFLICT_KEY), dict):
                previous.update(side[CONFLICT_KEY])
        unresolved = {**previous, **top_conflicts}
        if unresolved != ours.data.get(CONFLICT_KEY):
            editor.set_top_conflict(unresolved)

    result.text = editor.text()
    _verify(result.text, where, merged_tasks, task_order, merged_sections, section_order)
    return result


def _ordered(ours: list, theirs: list, merged: dict, base: set) -> list:
    """Our order, with what only theirs has placed after its predecessor in theirs' order.

    Things we added since the base come before theirs at the same place (they were there first).
    """
    order = [k for k in ours if k in merged]
    previous = None
    for key in theirs:
        if key in order:
            previous = key
            continue
        if key not in merged:
            continue
        if previous is None:
            position = 0
            while position < len(order) and order[position] not in base and order[position] not in theirs:
                position += 1
        else:
            position = order.index(previous) + 1
            while position < len(order) and order[position] not in base and order[position] not in theirs:
                position += 1
        order.insert(position, key)
        previous = key
    for key in merged:
        if key not in order:
            order.append(key)
    return order


def _verify(text: str, where: str, tasks: dict, task_order: list, sections: dict, section_order: list) -> None:
    """Read the result back: it must be a plan holding exactly the merged tasks and sections."""
    from gktrack.storage.planfile import plan_from_data
    from gktrack.storage.yamlfile import safe_load, strip_lines

    try:
        data = strip_lines(safe_load(text, where))
        plan_from_data(data, where)
    except GktrackError as exc:
        raise _Unmergeable(f"合并结果无法读取:{exc}") from None
    got_tasks = [t for t in data.get("tasks") or []]
    want_tasks = [tasks[tid] for tid in task_order]
    got_sections = data.get("sections") or []
    want_sections = [sections[k] for k in section_order]
    if _key(got_tasks) != _key(want_tasks) or _key(got_sections) != _key(want_sections):
        raise _Unmergeable("合并结果与预期不一致")


# --- writing the result -----------------------------------------------------------------------


class _Assembler:
    """Builds the result from our file's lines, replacing only what the merge changed."""

    def __init__(self, ours: _Version, theirs: _Version, theirs_raw_id: dict, theirs_raw_tasks: dict,
                 theirs_raw_sections: dict):
        self.ours = ours
        self.theirs = theirs
        self.theirs_raw_id = theirs_raw_id
        self.theirs_raw_tasks = theirs_raw_tasks
        self.theirs_raw_sections = theirs_raw_sections
        self.edits: list[tuple[int, int, list[str]]] = []
        self.nl = ours.block.style.newline

    # lines -----------------------------------------------------------------

    def _lines(self, lines: list[str]) -> list[str]:
        return [line.rstrip("\r\n") + self.nl for line in lines]

    def _edit(self, start: int, end: int, lines: list[str]) -> None:
        self.edits.append((start, end, lines))

    def text(self) -> str:
        block = self.ours.block
        lines = list(block.lines)
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1]), reverse=True):
            lines[start:end] = new
        text = "".join(lines)
        if not block.final_newline and text.endswith("\n"):
            text = text[:-2] if text.endswith("\r\n") else text[:-1]
        return text

    # header ----------------------------------------------------------------

    def header_from_theirs(self, name: str) -> None:
        ours_regions = self.ours.block.regions()
        theirs_regions = self.theirs.block.regions()
        new = []
        if name in theirs_regions:
            region = theirs_regions[name]
            new = self._lines(self.theirs.block.lines[region.start:region.end])
        if name in ours_regions:
            region = ours_regions[name]
            self._edit(region.start, region.end, new)
            return
        # a key only theirs has: before the first key that follows it in theirs' file
        later = [k for k in self.theirs.data if k in ours_regions]
        following = list(self.theirs.data)[list(self.theirs.data).index(name) + 1:]
        anchor = next((k for k in following if k in ours_regions), None)
        at = ours_regions[anchor].start if anchor else (ours_regions[later[-1]].end if later else 0)
        self._edit(at, at, new)

    def set_top_conflict(self, value: dict) -> None:
        block = self.ours.block
        regions = block.regions()
        lines = block.dump_region(CONFLICT_KEY, _rt(value))
        if CONFLICT_KEY in regions:
            region = regions[CONFLICT_KEY]
            self._edit(region.start, region.end, lines)
        else:
            at = regions["tasks"].start if "tasks" in regions else len(block.lines)
            self._edit(at, at, lines)

    # sections --------------------------------------------------------------

    def set_sections(self, items: list[tuple[str, dict]]) -> None:
        block = self.ours.block
        lines: list[str] = []
        for key, value in items:
            if key in self.ours.sections and self.ours.sections[key] == value:
                start, end = self.ours.section_spans[key]
                lines += block.lines[start:end]
            elif key in self.theirs.sections and self.theirs_raw_sections.get(key) == value:
                start, end = self.theirs.section_spans[key]
                lines += self._lines(self.theirs.block.lines[start:end])
            else:
                sources = [(self.ours.sections.get(key), self.ours, key),
                           (self.theirs_raw_sections.get(key), self.theirs, key)]
                lines += block.dump_item("sections", _conform(value, sources, "sections"))
        regions = block.regions()
        if "sections" in regions:
            region = regions["sections"]
            self._edit(region.start, region.end, ["sections:" + self.nl] + lines)
        else:
            at = regions["tasks"].start if "tasks" in regions else len(block.lines)
            self._edit(at, at, ["sections:" + self.nl] + lines)

    # tasks -----------------------------------------------------------------

    def _task_lines(self, tid: int, value: dict) -> list[str]:
        ours, theirs = self.ours, self.theirs
        if tid in ours.tasks and ours.tasks[tid] == value:
            start, end = ours.spans[tid]
            return list(ours.block.lines[start:end])
        raw = self.theirs_raw_tasks.get(self.theirs_raw_id.get(tid, tid))
        if tid in theirs.tasks and raw == value:
            start, end = theirs.spans[tid]
            return self._lines(theirs.block.lines[start:end])
        sources = []
        if tid in ours.tasks:
            sources.append((ours.tasks[tid], ours, tid))
        if tid in theirs.tasks:
            sources.append((raw, theirs, tid))
        item = _conform(value, sources, "tasks")
        return ours.block.dump_item("tasks", item)

    def set_tasks(self, order: list[int], tasks: dict[int, dict]) -> None:
        ours = self.ours
        block = ours.block
        kept = [tid for tid in ours.order if tid in tasks]
        if not kept:
            if not order:
                if ours.order:  # every task deleted
                    region = block.regions()["tasks"]
                    self._edit(region.start, region.end, ["tasks: []" + self.nl])
                return
            lines = ["tasks:" + self.nl]
            for tid in order:
                lines += [self.nl] + self._task_lines(tid, tasks[tid])
            region = block.regions().get("tasks")
            if region is not None:
                self._edit(region.start, region.end, lines)
            else:
                self._edit(len(block.lines), len(block.lines), lines)
            return
        # changed or deleted tasks of ours, in place
        for index, tid in enumerate(ours.order):
            start, end = ours.spans[tid]
            if tid not in tasks:
                if index > 0 and all(not line.strip() for line in block.lines[ours.spans[ours.order[index - 1]][1]:start]):
                    start = ours.spans[ours.order[index - 1]][1]
                elif index + 1 < len(ours.order):
                    end = ours.spans[ours.order[index + 1]][0]
                self._edit(start, end, [])
            elif tasks[tid] != ours.tasks[tid]:
                self._edit(start, end, self._task_lines(tid, tasks[tid]))
        # new tasks: after the task that precedes them in the merged order
        pending: list[int] = []
        anchor: int | None = None
        groups: list[tuple[int | None, list[int]]] = []
        for tid in order:
            if tid in ours.tasks:
                if pending:
                    groups.append((anchor, pending))
                    pending = []
                anchor = tid
            else:
                pending.append(tid)
        if pending:
            groups.append((anchor, pending))
        for anchor, tids in groups:
            lines: list[str] = []
            for tid in tids:
                lines += [self.nl] + self._task_lines(tid, tasks[tid])
            if anchor is None:
                at = ours.spans[ours.order[0]][0]
                self._edit(at, at, lines[1:] + [self.nl])
            else:
                at = ours.spans[anchor][1]
                self._edit(at, at, lines)


def _conform(value: dict, sources: list[tuple[Any, _Version, Any]], list_key: str):
    """A round-trip mapping whose content is ``value``, reusing the sources' nodes where equal.

    The first source (ours, if it has the item) gives the starting mapping, so its key order,
    quoting and flow style stay; fields are then set to the merged values.
    """
    from gktrack.storage.planfile import SECTION_KEYS, TASK_KEYS, set_field

    order = TASK_KEYS if list_key == "tasks" else SECTION_KEYS
    loaded = []
    for plain, version, ident in sources:
        if plain is None:
            continue
        spans = version.spans if list_key == "tasks" else version.section_spans
        start, end = spans[ident]
        loaded.append((plain, version.block.load_item(list_key, start, end)))
    item = loaded[0][1]
    for name in list(item.keys()):
        if name not in value:
            del item[name]
    for name, wanted in value.items():
        if name in item and loaded[0][0].get(name, _MISSING) == wanted:
            continue
        node = _MISSING
        for plain, rt in loaded:
            if plain.get(name, _MISSING) == wanted and name in rt:
                node = rt[name]
                break
        if node is _MISSING and name == "progress" and isinstance(wanted, list):
            node = _progress_nodes(wanted, loaded)
        if node is _MISSING:
            node = _rt(wanted, flow_lists=name in SET_FIELDS or name == "deadline")
        if name in item:
            item[name] = node
        else:
            set_field(item, name, node, order)
    return item


def _progress_nodes(entries: list, loaded: list):
    from ruamel.yaml.comments import CommentedSeq

    pool = []
    for plain, rt in loaded:
        for entry, node in zip(plain.get("progress") or [], rt.get("progress") or []):
            pool.append((_key(entry), node))
    seq = CommentedSeq()
    for entry in entries:
        k = _key(entry)
        for index, (candidate, node) in enumerate(pool):
            if candidate == k:
                seq.append(node)
                pool.pop(index)
                break
        else:
            seq.append(_rt(entry))
    return seq


def _rt(value: Any, *, flow_lists: bool = True):
    """Plain data as round-trip nodes (lists of scalars in flow style, as plan files write them)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _rt(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_rt(v) for v in value)
        if flow_lists and all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


# --- the line merge fallback ------------------------------------------------------------------


def _line_merge(base: str, ours: str, theirs: str) -> str:
    """git's own merge with conflict markers, for versions that are not readable plans."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gktrack-merge-") as folder:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(folder) / name
            path.write_bytes(text.encode("utf-8"))
            paths.append(str(path))
        subprocess.run(["git", "merge-file", "-L", "当前", "-L", "共同祖先", "-L", "合入", *paths],
                       capture_output=True, check=False)
        return Path(paths[0]).read_bytes().decode("utf-8", "replace")


# --- units.yaml: entries added on both sides ---------------------------------------------------

REGISTRY_ATTRIBUTES_LINE = "units.yaml merge=gktrack"
_REGISTRY_LISTS = {"units": "name", "collectives": "name", "people": "email"}


def _entry_key(section: str, entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        value = entry.get(_REGISTRY_LISTS[section])
        return str(value) if value is not None else None
    return None


def _only_appended(base: dict, other: dict) -> dict[str, list] | None:
    """The entries ``other`` added to ``base``'s lists, if adding entries is all it did; else None."""
    if {k: v for k, v in base.items() if k not in _REGISTRY_LISTS} != \
            {k: v for k, v in other.items() if k not in _REGISTRY_LISTS}:
        return None
    added: dict[str, list] = {}
    for section in _REGISTRY_LISTS:
        before, after = base.get(section) or [], other.get(section) or []
        if not isinstance(before, list) or not isinstance(after, list):
            return None
        known = {_entry_key(section, e) for e in before}
        if None in known:
            return None
        kept = [e for e in after if _entry_key(section, e) in known]
        if kept != before:
            return None  # an entry was changed, removed or moved
        new = [e for e in after if _entry_key(section, e) not in known]
        if any(_entry_key(section, e) is None for e in new):
            return None
        if new:
            added[section] = new
    return added


def _append_entries(text: str, data: dict, added: dict[str, list], where: str) -> str:
    """``text`` with ``added`` entries appended to their lists, other lines untouched."""
    from gktrack.storage.yamlfile import BlockFile

    block = BlockFile(text, where)
    for section, entries in added.items():
        have = {_entry_key(section, e) for e in data.get(section) or []}
        lines: list[str] = []
        for entry in entries:
            if _entry_key(section, entry) not in have:  # both sides added the same one: once
                lines += block.dump_item(section, _rt(entry))
        block.append_items(section, lines, bool(data.get(section)))
    return block.text()


def merge_registry_texts(base: str, ours: str, theirs: str, where: str = "units.yaml") -> MergeResult:
    """Three-way merge of units.yaml: git's line merge, and where that conflicts because both sides
    appended entries (two offices registering new units at once), ours plus theirs' new entries.
    Any other overlapping change is left to a person, with git's markers (``validate`` flags them)."""
    from gktrack.storage.registry import registry_from_data
    from gktrack.storage.yamlfile import safe_load, strip_lines

    lined = _line_merge(base, ours, theirs)
    if not any(line.startswith("<<<<<<<") for line in lined.splitlines()):
        return MergeResult(lined)
    try:
        data = {}
        for label, text in (("base", base), ("ours", ours), ("theirs", theirs)):
            loaded = safe_load(text, where) or {}
            registry_from_data(loaded, where)
            data[label] = strip_lines(loaded)
    except (GktrackError, AttributeError, TypeError) as exc:
        return MergeResult(lined, fallback=str(exc))
    if not all(isinstance(d, dict) for d in data.values()):
        return MergeResult(lined, fallback="单位名册的顶层不是映射")
    for text, mine, other in ((ours, data["ours"], data["theirs"]), (theirs, data["theirs"], data["ours"])):
        added = _only_appended(data["base"], other)
        if added is None:
            continue
        try:
            merged = _append_entries(text, mine, added, where)
            registry_from_data(safe_load(merged, where), where)
        except GktrackError as exc:
            return MergeResult(lined, fallback=str(exc))
        return MergeResult(merged)
    return MergeResult(lined, fallback="双方都修改了单位名册中的同一处(不只是各自新增单位或人员)")


# --- the driver: files, notes, configuration --------------------------------------------------


def _git_dir(cwd: Path) -> Path | None:
    from gktrack.storage import git

    try:
        return Path(git.run(cwd, "rev-parse", "--absolute-git-dir").strip())
    except GktrackError:
        return None


def rebase_id(git_dir: Path | None) -> str | None:
    """Which rebase is in progress (its original head and target), or None."""
    if git_dir is None:
        return None
    for name in ("rebase-merge", "rebase-apply"):
        folder = git_dir / name
        if folder.is_dir():
            parts = []
            for key in ("orig-head", "onto"):
                try:
                    parts.append((folder / key).read_text(encoding="utf-8").strip())
                except OSError:
                    parts.append("")
            return ":".join(parts)
    return None


def notes_path(git_dir: Path) -> Path:
    return git_dir / "gktrack" / NOTES_FILE


def read_notes(git_dir: Path | None) -> list[dict]:
    if git_dir is None:
        return []
    try:
        text = notes_path(git_dir).read_text(encoding="utf-8")
    except OSError:
        return []
    notes = []
    for line in text.splitlines():
        try:
            notes.append(json.loads(line))
        except ValueError:
            continue
    return notes


def clear_notes(git_dir: Path | None) -> None:
    if git_dir is not None:
        try:
            notes_path(git_dir).unlink()
        except OSError:
            pass


def _append_notes(git_dir: Path | None, notes: list[dict]) -> None:
    if git_dir is None or not notes:
        return
    try:
        path = notes_path(git_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            for note in notes:
                handle.write(json.dumps(note, ensure_ascii=False) + "\n")
    except OSError:
        pass  # the notes only serve reports and later commits of a rebase


def mapping_for(notes: list[dict], plan: str, rebase: str | None) -> dict:
    """The renumbering already done for ``plan`` during the rebase ``rebase``."""
    mapping: dict = {"tasks": {}, "sections": {}}
    if rebase is None:
        return mapping
    for note in notes:
        if note.get("kind") == "renumber" and note.get("plan") == plan and note.get("rebase") == rebase:
            target = "tasks" if note.get("what") == "task" else "sections"
            mapping[target][note["old"]] = note["new"]
    return mapping


def run_driver(base_path: str, ours_path: str, theirs_path: str, name: str | None = None) -> tuple[int, list[str]]:
    """What ``gktrack merge-driver %O %A %B %P`` does: merge into %A; (exit code, messages)."""
    from gktrack.storage.yamlfile import decode

    where = name or ours_path
    raw = {}
    for label, path in (("base", base_path), ("ours", ours_path), ("theirs", theirs_path)):
        raw[label] = Path(path).read_bytes()
    try:
        texts = {label: decode(data, where) for label, data in raw.items()}
    except PlanFileError as exc:
        texts = None
        reason = str(exc)
    git_dir = _git_dir(Path.cwd())
    rebase = rebase_id(git_dir)
    if texts is None:
        merged = MergeResult(_line_merge(*(data.decode("utf-8", "replace") for data in raw.values())), fallback=reason)
        bom = False
    elif name is not None and Path(name).name == "units.yaml" and "/" not in name.strip("/"):
        merged = merge_registry_texts(texts["base"], texts["ours"], texts["theirs"], where)
        bom = raw["ours"].startswith(b"\xef\xbb\xbf")
    else:
        plan = Path(name).stem if name else None
        mapping = mapping_for(read_notes(git_dir), plan, rebase) if plan else {}
        merged = merge_plan_texts(texts["base"], texts["ours"], texts["theirs"], where, mapping=mapping)
        bom = raw["ours"].startswith(b"\xef\xbb\xbf")
    Path(ours_path).write_bytes((b"\xef\xbb\xbf" if bom else b"") + merged.text.encode("utf-8"))
    messages = []
    notes = []
    for item in merged.renumbered:
        messages.append(f"gktrack 合并 {where}:{item.describe()}")
        notes.append({"kind": "renumber", "what": item.kind, "plan": item.plan, "old": item.old,
                      "new": item.new, "rebase": rebase, "file": name})
    for conflict in merged.conflicts:
        messages.append(f"gktrack 合并 {where}:冲突:{conflict.describe()}双方改法不同;"
                        f"文件中保留了当前一方的值,另一方的值和原值记在 {CONFLICT_KEY}: 下,请核对后删除 {CONFLICT_KEY}:")
        notes.append({"kind": "conflict", "file": name, "rebase": rebase, **conflict.to_json()})
    if merged.fallback:
        messages.append(f"gktrack 合并 {where}:无法按任务合并({merged.fallback}),已改用逐行合并,请手工解决冲突标记")
        notes.append({"kind": "fallback", "file": name, "rebase": rebase, "reason": merged.fallback})
    _append_notes(git_dir, notes)
    if merged.fallback:
        conflicted = any(line.startswith("<<<<<<<") for line in merged.text.splitlines())
        return (1 if conflicted else 0), messages
    return (1 if merged.conflicts else 0), messages


def driver_command() -> str:
    """The command git runs for the driver (through ``sh``, with whatever PATH the merging
    program has: a git GUI, an IDE, cron): a one-line script that finds gktrack -- the Python
    that ran ``install`` first, then python3/python/py and gktrack on PATH (see
    ``gktrack.features.collab.launch``). When gktrack is gone it says so, leaves git's conflict
    markers in the file and fails, so the merge stops instead of silently keeping one side.
    ``gktrack setup-merge`` (or the next ``gktrack sync``) writes the current interpreter.
    """
    from gktrack.features.collab.launch import not_found, script_lines

    missing = not_found(",%P 未能按任务合并,已改用 git 的逐行合并(冲突处留有冲突标记)并停止合并",
                        "请安装 gktrack 后运行 gktrack setup-merge,再用 git merge --abort 或 git rebase --abort "
                        "撤销这次合并并重新同步")
    fallback = "git merge-file -L 本方 -L 原来 -L 另一方 %A %O %B >/dev/null 2>&1"
    return "; ".join(script_lines("merge-driver %O %A %B %P", [missing], before_failing=fallback))


def install(root: Path) -> list[str]:
    """Set up the driver in a clone: local git config, and the attribute if the clone lacks it.

    Returns what was changed, in Chinese (nothing when everything was already in place).
    """
    from gktrack.storage import git

    done = []
    command = driver_command()
    current = git.run(root, "config", "--local", "--get", f"merge.{DRIVER_NAME}.driver", check=False).strip()
    if current != command:
        git.run(root, "config", "--local", f"merge.{DRIVER_NAME}.name", "gktrack 计划文件按任务合并")
        git.run(root, "config", "--local", f"merge.{DRIVER_NAME}.driver", command)
        from gktrack.features.collab.launch import interpreter

        done.append(f"已在本仓库的 git 配置中登记合并驱动:用 {interpreter()} 运行 gktrack merge-driver"
                    "(它不在时依次找 PATH 中的 python3、python、py 和 gktrack)")
    for probe, line in (("plans/x.yaml", ATTRIBUTES_LINE), ("units.yaml", REGISTRY_ATTRIBUTES_LINE)):
        attr = git.run(root, "check-attr", "merge", "--", probe, check=False).strip()
        if attr.endswith(f": {DRIVER_NAME}"):
            continue
        git_dir = _git_dir(root)
        if git_dir is not None:
            info = git_dir / "info" / "attributes"
            info.parent.mkdir(parents=True, exist_ok=True)
            existing = info.read_text(encoding="utf-8") if info.exists() else ""
            if line not in existing.splitlines():
                prefix = "" if not existing or existing.endswith("\n") else "\n"
                info.write_text(existing + prefix + line + "\n", encoding="utf-8")
            done.append(f"仓库的 .gitattributes 中没有“{line}”,已写入本地的 .git/info/attributes")
    return done


# Plans and the registry are stored with "\n" line ends whatever a client does (Git for Windows'
# core.autocrlf=true, an editor that saves "\r\n"), and checked out with them on every system.
EOL_LINES = ("plans/*.yaml text eol=lf", "units.yaml text eol=lf")


def ensure_attributes_file(path: Path) -> bool:
    """Add the driver's lines (plans and units.yaml) and ``EOL_LINES`` to a .gitattributes file;
    True if the file changed."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    present = [line.strip() for line in existing.splitlines()]
    missing = [line for line in (ATTRIBUTES_LINE, REGISTRY_ATTRIBUTES_LINE, *EOL_LINES) if line not in present]
    if not missing:
        return False
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    path.write_text(existing + prefix + "".join(line + "\n" for line in missing), encoding="utf-8")
    return True


if __name__ == "__main__":  # pragma: no cover - for debugging by hand
    code, lines = run_driver(*sys.argv[1:5])
    for line in lines:
        sys.stderr.write(line + "\n")
    raise SystemExit(code)
