"""Three-way merge of plan files by tasks and fields, and of units.yaml by entries: git's merge driver.

git merges line by line, so two liaisons recording progress on adjacent tasks would "conflict" on
lines that have nothing to do with each other. This driver reads base, ours and theirs as plans
and merges them as a person would:

* tasks are matched by id; a task only one side changed takes that side's version, byte for byte;
* a task changed on both sides is merged field by field as the schema says (``Spec.merge``):
  "value" takes the side that changed it, "set" keeps what either side added and drops what
  either removed, "entries" (progress) keeps every new entry in date order;
* the same field changed differently on both sides keeps our value and records the others in a
  ``conflict`` key on the task (or at the top, for the header and sections): still valid YAML
  that ``gktrack validate`` flags, never a file of markers;
* a task or section both sides added under one id or key is kept twice: theirs gets the next one.

``units.yaml`` goes through the same driver: where git's line merge conflicts only because both
sides appended entries, the result is our file plus their new entries; any other overlap keeps
git's markers for a person.

The result is our text with only what the merge changed spliced in at the parser's places, by
the splicer every gktrack write uses (``yamldoc.entry_splices``, ``yamldoc.list_splices``): what
comes from theirs is their bytes, a computed field is rendered by the plan file's writer. It is
read back and must hold exactly what the merge decided; when it does not, or a version is no
readable plan, git's own line merge is used, so nothing is ever lost.

During a rebase "theirs" is the local commit being replayed, so the renumbered task is the local,
unpublished one. The renumbering is noted under ``.git/gktrack/`` so the later commits of the same
rebase follow it and ``gktrack sync`` can fix their trailers and report it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Collection, Iterator

from gktrack.domain.model import RECORDS, Plan, Registry, Section, Task, fields_of, keys_of, label_of
from gktrack.errors import GktrackError, PlanFileError
from gktrack.features.collab.launch import interpreter, not_found, script_lines
from gktrack.storage import git, yamldoc
from gktrack.storage.files import refuse_link
from gktrack.storage.planfile import Style, detect_style, plan_from_nodes, render_entry, render_record
from gktrack.storage.reader import CONFLICT_KEY, Reader
from gktrack.storage.registry import REGISTRY_FILE, registry_from_nodes

DRIVER_NAME = "gktrack"
ATTRIBUTES_LINE = "plans/*.yaml merge=gktrack"
REGISTRY_ATTRIBUTES_LINE = f"{REGISTRY_FILE} merge=gktrack"
NOTES_FILE = "merge-notes.jsonl"
DELETED_NOTE = "一方删除了此任务,另一方修改了它;已保留修改后的任务,请确认是否应删除"
_PLAN_LISTS = ("sections", "tasks")
_MISSING = object()


def field_label(cls: type, key: str) -> str:
    """The Chinese name of a field for messages; a key the schema does not know is named as is."""
    return label_of(cls, key) if key in keys_of(cls) else key


@dataclass
class Conflict:
    plan: str
    field: str
    task: int | None = None  # None: the plan header; field "sections/<key>" for a section

    def describe(self) -> str:
        if self.task is None:
            if self.field.startswith("sections/"):
                return f"计划 {self.plan} 的章节 {self.field.partition('/')[2]}"
            return f"计划 {self.plan} 的“{field_label(Plan, self.field)}”({self.field})"
        if self.field == "task":
            return f"任务 {self.plan}/{self.task}(一方删除、一方修改)"
        return f"任务 {self.plan}/{self.task} 的“{field_label(Task, self.field)}”({self.field})"


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


# --- merging plain values, by the schema's merge kinds ----------------------------------------


def _as_list(value: Any) -> list:
    if value is _MISSING or value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _three(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """Merge kind "value", and what every kind does when at most one side changed: (merged
    value, conflict?); a conflict keeps ours."""
    if ours == theirs:
        return ours, False
    if ours == base:
        return theirs, False
    if theirs == base:
        return ours, False
    return ours, True


def _merge_lists(base: Any, ours: Any, theirs: Any, date_key: str | None = None) -> Any:
    """Merge kinds "set" and "entries", both sides changed: what either side added is kept, what
    either side removed goes; theirs' new items placed among ours by ``date_key`` (after items
    of the same date), or at the end."""
    b, o, t = _as_list(base), _as_list(ours), _as_list(theirs)
    merged = [x for x in o if not (x in b and x not in t)]
    for entry in t:
        if entry in b or entry in o or entry in merged:
            continue
        when = _date(entry, date_key)
        position = len(merged)
        if when is not None:
            position = 0
            for index, existing in enumerate(merged):
                other = _date(existing, date_key)
                if other is None or other <= when:
                    position = index + 1
        merged.insert(position, entry)
    return merged or _MISSING


def _merge_keyed(cls: type, base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """Merge kind "records" (a unit's part): records matched by their key field, each merged field
    by field; what one side added is kept, what one side removed goes unless the other changed
    it. A record both sides changed differently is a conflict of the whole list (ours kept)."""
    key_field = next(n for n, s in fields_of(cls) if s.merge == "key")

    def keyed(value: Any) -> dict:
        return {item.get(key_field): item for item in _as_list(value) if isinstance(item, dict)}

    b, o, t = keyed(base), keyed(ours), keyed(theirs)
    merged: dict = {}
    clash = False
    for key in dict.fromkeys([*o, *t]):
        if key not in o or key not in t:  # one side added it, or the other removed it
            kept = o.get(key, t.get(key))
            if key not in b or kept != b[key]:
                merged[key] = kept
            continue
        record, clashes = merge_record(cls, b.get(key), o[key], t[key])
        merged[key] = o[key] if clashes else record
        clash = clash or bool(clashes)
    return (list(merged.values()) or _MISSING), clash


def _date(entry: Any, key: str | None) -> Any:
    value = entry.get(key) if isinstance(entry, dict) else None
    return value if isinstance(value, dt.date) else None


def _as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _conflict_record(base: Any, theirs: Any) -> dict:
    return {"base": None if base is _MISSING else base, "theirs": None if theirs is _MISSING else theirs}


def merge_record(cls: type, base: dict | None, ours: dict, theirs: dict) -> tuple[dict, list[str]]:
    """Field-level merge of one record's plain data (a task, the plan header), each field by its
    merge kind in the schema; keys the schema lacks merge as values. Returns (merged, the fields in
    conflict); the conflicts are recorded under ``CONFLICT_KEY`` in the merged record."""
    base = base or {}
    specs = dict(fields_of(cls))
    values: dict = {}
    clashes: dict = {}
    for name in dict.fromkeys([*ours, *theirs, *base]):
        b, o, t = base.get(name, _MISSING), ours.get(name, _MISSING), theirs.get(name, _MISSING)
        value, clash = _three(b, o, t)
        if clash:  # both sides changed it
            value, clash = _merge_changed(name, specs.get(name), b, o, t)
        if clash:
            clashes[name] = _conflict_record(b, t)
        if value is not _MISSING:
            values[name] = value
    merged = {key: values[key] for key in _ordered(list(ours), list(theirs), values, set(base))}
    if clashes:
        merged[CONFLICT_KEY] = {**_as_dict(merged.get(CONFLICT_KEY)), **clashes}
    return merged, list(clashes)


def _merge_changed(name: str, spec: Any, base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """A field both sides changed differently, merged by its kind in the schema (``spec``; None
    for a key the schema lacks: a value): (merged value, conflict?); a conflict keeps ours."""
    kind = spec.merge if spec is not None else "value"
    sides = (base, ours, theirs)
    if kind == "set" and all(v is _MISSING or isinstance(v, (list, str, type(None))) for v in sides):
        return _merge_lists(base, ours, theirs), False
    if kind == "entries":
        date_key = next(n for n, s in fields_of(RECORDS[spec.record]) if s.kind == "date")
        return _merge_lists(base, ours, theirs, date_key), False
    if kind == "records":
        return _merge_keyed(RECORDS[spec.record], base, ours, theirs)
    if name == CONFLICT_KEY:  # two unresolved records: keep both
        return {**_as_dict(theirs), **_as_dict(ours)}, False
    return ours, True


def _ordered(ours: list, theirs: list, merged: dict, base: set) -> list:
    """Our order, with what only theirs has placed after its predecessor in theirs' order (used for
    tasks, sections and the keys of a record). Things we added since the base come before theirs
    at the same place (they were there first)."""
    order = [k for k in ours if k in merged]
    previous = None
    for key in theirs:
        if key in order:
            previous = key
            continue
        if key not in merged:
            continue
        position = 0 if previous is None else order.index(previous) + 1
        while position < len(order) and order[position] not in base and order[position] not in theirs:
            position += 1
        order.insert(position, key)
        previous = key
    return order + [key for key in merged if key not in order]


# --- reading the versions ---------------------------------------------------------------------


@dataclass
class _Items:
    """One keyed list of a file (tasks by id, sections by key, units by name): plain data and nodes."""

    order: list
    data: dict
    nodes: dict

    def rename(self, old: Any, new: Any, key_field: str) -> None:
        self.data[new] = {**self.data.pop(old), key_field: new}
        self.nodes[new] = self.nodes.pop(old)
        self.order[self.order.index(old)] = new


# The strict reader of a version of a plan file (there is no file name to check its id against).
_plan_from_nodes = functools.partial(plan_from_nodes, expected_id=None)


class _Doc:
    """One version of a file: its text and node tree (the places the writer splices at).
    ``read``: the strict reader of the tree (``_plan_from_nodes``, ``registry_from_nodes``), which
    must read it (else the file is ``_Unmergeable``); what it read is ``parsed``."""

    def __init__(self, text: str, where: str, read: Any = None):
        self.text = text
        try:
            self.root = yamldoc.compose(text, where) if text.strip() else None
            self.parsed = read(Reader(where), self.root) if read else None
        except GktrackError as exc:
            raise _Unmergeable(str(exc)) from None
        self.top = yamldoc.entries(self.root) if yamldoc.is_map(self.root) else {}
        self.style = detect_style(text)

    def header(self, lists: Collection[str]) -> dict:
        """The top-level entries other than ``lists``, as plain data."""
        return {k: yamldoc.to_data(value) for k, (_, value) in self.top.items() if k not in lists}

    def items(self, name: str, cls: type) -> _Items:
        key_field, key_spec = next((n, s) for n, s in fields_of(cls) if s.merge == "key")
        node = self.top.get(name, (None, None))[1]
        out = _Items([], {}, {})
        for item in node.value if yamldoc.is_seq(node) else []:
            plain = yamldoc.to_data(item)
            key = plain.get(key_field) if isinstance(plain, dict) else plain  # "- 司法所": a unit by name
            if key_spec.kind == "text":
                key = str(key)
            out.order.append(key)
            out.data[key] = plain
            out.nodes[key] = item
        return out

    def plain_list(self, name: str) -> list:
        node = self.top.get(name, (None, None))[1]
        return [yamldoc.to_data(item) for item in node.value] if yamldoc.is_seq(node) else []


# --- renumbering ------------------------------------------------------------------------------


def _within(key: Any, prefix: str) -> bool:
    return isinstance(key, str) and (key == prefix or key.startswith(prefix + "."))


def _remap_key(key: str, old: str, new: str) -> str:
    return new + key[len(old):]


def _move_sections(sections: _Items, old: str, new: str, only: set | None = None) -> None:
    """Section ``old`` and those under it (of ``only``, if given) become ``new``…"""
    for key in list(sections.order):
        if _within(key, old) and (only is None or key in only):
            sections.rename(key, _remap_key(key, old, new), "key")


def _move_tasks(tasks: _Items, old: str, new: str, ids: list) -> None:
    """The tasks ``ids`` that are in section ``old`` (or under it) follow it to ``new``."""
    for tid in ids:
        section = tasks.data[tid].get("section")
        if _within(section, old):
            tasks.data[tid] = {**tasks.data[tid], "section": _remap_key(section, old, new)}


def _apply_mapping(sections: _Items, tasks: _Items, mapping: dict) -> None:
    """Earlier renumbering in this rebase (``mapping_for``), applied to a version that predates it."""
    for old, new in mapping.get("sections", {}).items():
        if old in sections.data and new not in sections.data:
            _move_sections(sections, old, new)
            _move_tasks(tasks, old, new, list(tasks.order))
    for old, new in mapping.get("tasks", {}).items():
        if old in tasks.data and new not in tasks.data:
            tasks.rename(old, new, "id")


def _next_section_key(key: str, taken: set[str]) -> str:
    parent, _, last = key.rpartition(".")
    siblings = [k.rpartition(".")[2] for k in taken if k.rpartition(".")[0] == parent]
    number = max([int(s) for s in siblings if s.isdigit()] + [int(last) if last.isdigit() else 0]) + 1
    return f"{parent}.{number}" if parent else str(number)


def _renumber(plan_id: str, base: tuple[_Items, _Items], ours: tuple[_Items, _Items],
              theirs: tuple[_Items, _Items]) -> list[Renumbered]:
    """Sections and tasks both sides added under one key or id, with different content: theirs
    move to the next free key or id (their subsections and their new tasks with them)."""
    (base_sections, base_tasks), (ours_sections, ours_tasks), (theirs_sections, theirs_tasks) = base, ours, theirs
    done = []
    taken = set(base_sections.data) | set(ours_sections.data) | set(theirs_sections.data)
    added_by_theirs = [tid for tid, t in theirs_tasks.data.items() if tid not in base_tasks.data
                       or t.get("section") != base_tasks.data[tid].get("section")]
    moved: list[str] = []
    for key in list(theirs_sections.order):
        if key in base_sections.data or key not in ours_sections.data or any(_within(key, m) for m in moved):
            continue
        if ours_sections.data[key] == theirs_sections.data[key]:
            continue
        fresh = _next_section_key(key, taken)
        moved.append(key)
        done.append(Renumbered(plan_id, "section", key, fresh))
        new_keys = {k for k in theirs_sections.order if _within(k, key) and k not in base_sections.data}
        taken |= {_remap_key(k, key, fresh) for k in new_keys}
        _move_sections(theirs_sections, key, fresh, new_keys)
        _move_tasks(theirs_tasks, key, fresh, added_by_theirs)
    next_id = max([0, *base_tasks.data, *ours_tasks.data, *theirs_tasks.data]) + 1
    for tid in list(theirs_tasks.order):
        if tid in base_tasks.data or tid not in ours_tasks.data or ours_tasks.data[tid] == theirs_tasks.data[tid]:
            continue
        theirs_tasks.rename(tid, next_id, "id")
        done.append(Renumbered(plan_id, "task", str(tid), str(next_id)))
        next_id += 1
    return done


# --- the plan merge ---------------------------------------------------------------------------


def merge_plan_texts(base: str, ours: str, theirs: str, where: str, *,
                     mapping: dict | None = None) -> MergeResult:
    """Merge three versions of a plan file. ``mapping`` is earlier renumbering (see module doc)."""
    try:
        return _merge(base, ours, theirs, where, mapping or {})
    except _Unmergeable as exc:
        return MergeResult(line_merge(base, ours, theirs), fallback=str(exc))


def _merge(base_text: str, ours_text: str, theirs_text: str, where: str, mapping: dict) -> MergeResult:
    if ours_text == theirs_text or theirs_text == base_text:
        return MergeResult(ours_text)
    if ours_text == base_text and not any(mapping.values()):
        return MergeResult(theirs_text)
    base = _Doc(base_text, where, _plan_from_nodes if base_text.strip() else None)  # empty: both made it
    ours, theirs = (_Doc(text, where, _plan_from_nodes) for text in (ours_text, theirs_text))
    plan_id = ours.parsed.id
    sides = [(doc.items("sections", Section), doc.items("tasks", Task)) for doc in (base, ours, theirs)]
    for items in (sides[0], sides[2]):
        _apply_mapping(*items, mapping)
    result = MergeResult("", renumbered=_renumber(plan_id, *sides))
    (base_sections, base_tasks), (ours_sections, ours_tasks), (theirs_sections, theirs_tasks) = sides

    # The header: every top-level key but the lists, field by field.
    header, fields = merge_record(Plan, *(doc.header(_PLAN_LISTS) for doc in (base, ours, theirs)))
    result.conflicts += [Conflict(plan_id, name) for name in fields]

    # Sections, by key, each as one value; a conflict is recorded at the top.
    sections: dict = {}
    for key in dict.fromkeys([*ours_sections.order, *theirs_sections.order, *base_sections.order]):
        b, o, t = (items.data.get(key, _MISSING) for items in (base_sections, ours_sections, theirs_sections))
        value, clash = _three(b, o, t)
        if clash:
            conflicts = header[CONFLICT_KEY] = dict(_as_dict(header.get(CONFLICT_KEY)))
            conflicts["sections"] = {**_as_dict(conflicts.get("sections")), key: _conflict_record(b, t)}
            result.conflicts.append(Conflict(plan_id, f"sections/{key}"))
        if value is not _MISSING:
            sections[key] = value
    section_order = _ordered(ours_sections.order, theirs_sections.order, sections, set(base_sections.data))

    # Tasks, by id.
    tasks: dict = {}
    for tid in dict.fromkeys([*ours_tasks.order, *theirs_tasks.order]):
        b, o, t = base_tasks.data.get(tid), ours_tasks.data.get(tid), theirs_tasks.data.get(tid)
        if o is not None and t is not None:
            tasks[tid], fields = merge_record(Task, b, o, t) if o != t else (o, [])
            result.conflicts += [Conflict(plan_id, name, tid) for name in fields]
        else:
            kept = o if t is None else t
            if b is None:  # added by one side
                tasks[tid] = kept
            elif b != kept:  # deleted by one side, changed by the other: kept, with a note
                tasks[tid] = {**kept, CONFLICT_KEY: {**_as_dict(kept.get(CONFLICT_KEY)), "task": DELETED_NOTE}}
                result.conflicts.append(Conflict(plan_id, "task", tid))
            # deleted by one side, unchanged by the other: gone
    task_order = _ordered(ours_tasks.order, theirs_tasks.order, tasks, set(base_tasks.data))

    # Our text, with what changed spliced in.
    sources = {"sections": _sources(sections, (ours, ours_sections), (theirs, theirs_sections)),
               "tasks": _sources(tasks, (ours, ours_tasks), (theirs, theirs_tasks))}
    edits = _entry_edits(ours, ours.root, header, [(theirs, theirs.root)], Plan, ours.style, keep=_PLAN_LISTS)
    edits += _list_edits(ours, "sections", Section, ours_sections, section_order, sections,
                         sources["sections"], gap=False)
    edits += _list_edits(ours, "tasks", Task, ours_tasks, task_order, tasks, sources["tasks"], gap=True)
    result.text = yamldoc.apply_splices(ours.text, edits)
    lists = {"sections": [sections[k] for k in section_order], "tasks": [tasks[t] for t in task_order]}
    _verify(result.text, where, _plan_from_nodes, lists, header)
    return result


def _sources(merged: dict, *sides: tuple[_Doc, _Items]) -> dict:
    """For each merged item, the (version, node) pairs whose bytes it may reuse: ours first."""
    return {key: [(doc, items.nodes[key]) for doc, items in sides if key in items.nodes] for key in merged}


def _verify(text: str, where: str, read: Any, lists: dict[str, list], header: dict | None = None) -> None:
    """Read the result back (by ``read``): it must hold exactly what the merge decided, the items
    of each of ``lists`` and, when given, the ``header`` (the other top-level entries)."""
    try:
        doc = _Doc(text, where, read)
    except _Unmergeable as exc:
        raise _Unmergeable(f"合并结果无法读取:{exc}") from None
    if any(doc.plain_list(name) != items for name, items in lists.items()) \
            or (header is not None and doc.header(lists) != header):
        raise _Unmergeable("合并结果与预期不一致")


# --- writing the result: splices into our text ------------------------------------------------

def _in_style(text: str, doc: _Doc, newline: str) -> str:
    """Text from version ``doc`` in our file's line endings."""
    return re.sub(r"\r?\n", newline, text) if doc.style.newline != newline else text


def _copy(doc: _Doc, start: int, end: int, newline: str) -> str:
    return _in_style(doc.text[start:end], doc, newline)


def _entry_edits(doc: _Doc, node: Any, merged: dict, sources: list, cls: type, style: Style,
                 keep: tuple[str, ...] = ()) -> list[yamldoc.Splice]:
    """Splices turning the mapping ``node`` of ``doc`` into ``merged`` (the keys in ``keep`` are
    left alone): changed entries replaced, removed ones cut, new ones inserted after the entry
    that precedes them in ``merged``."""
    found = yamldoc.entries(node)
    col = node.start_mark.column
    changes: dict[str, str | None] = {name: None for name in found if name not in merged and name not in keep}
    for name, value in merged.items():
        if name not in found or yamldoc.to_data(found[name][1]) != value:
            changes[name] = _entry_text(name, value, sources, cls, col, style)
    return yamldoc.entry_splices(doc.text, node, changes, list(merged), style.newline)


def _entries_at(sources: list, name: str, col: int) -> Iterator[tuple[_Doc, Any, Any]]:
    """(version, key node, value node) of the entry ``name`` of each of ``sources`` (its mappings)
    that is at column ``col``."""
    for doc, node in sources:
        found = yamldoc.entries(node).get(name) if yamldoc.is_map(node) else None
        if found and node.start_mark.column == col:
            yield doc, *found


def _entry_text(name: str, value: Any, sources: list, cls: type, col: int, style: Style) -> str:
    """``name: value`` from its key on (the caller indents it): another version's bytes where one
    holds this value at this column, else rendered by the plan file's writer."""
    for doc, key, found in _entries_at(sources, name, col):
        if yamldoc.to_data(found) == value:
            return _copy(doc, key.start_mark.index, yamldoc.lines_end(doc.text, found), style.newline)
    spec = dict(fields_of(cls)).get(name)
    if spec is not None and spec.merge in ("entries", "records") and isinstance(value, list):
        return _entries_text(name, value, sources, RECORDS[spec.record], col, style)
    if spec is not None and value is not None:
        return render_entry(name, spec, _model_value(spec, value), col, style)[col:]
    return _plain_entry(name, value, col, style.newline)[col:]


def _entries_text(name: str, entries: list, sources: list, cls: type, col: int, style: Style) -> str:
    """A list of records (progress) merged from both sides: each entry's bytes from the version
    that has it, at our file's columns."""
    pool = [(yamldoc.to_data(item), doc, item) for doc, _key, found in _entries_at(sources, name, col)
            if yamldoc.is_seq(found) and not yamldoc.is_flow(doc.text, found) for item in found.value]
    dash, item_col = next((yamldoc.item_columns(d.text, item) for _, d, item in pool),
                          (col + style.offset, col + style.sequence))
    out = f"{name}:{style.newline}"
    for entry in entries:
        match = next((i for i, (plain, d, item) in enumerate(pool)
                      if plain == entry and yamldoc.item_columns(d.text, item) == (dash, item_col)), None)
        if match is None:
            out += _fresh_item(cls, entry, dash, item_col, style)
        else:
            _, d, item = pool.pop(match)
            out += _copy(d, *yamldoc.lines_of(d.text, item), style.newline)
    return out


def _item_text(cls: type, value: Any, sources: list, dash: int, col: int, style: Style) -> str:
    """One list item holding ``value``, at these columns: a version's item that holds it, byte for
    byte; else the first version's item with the entries that differ spliced in; rendered afresh
    when no version has the item at these columns."""
    usable = [(doc, node) for doc, node in sources if yamldoc.item_columns(doc.text, node) == (dash, col)]
    for doc, node in usable:
        if yamldoc.to_data(node) == value:
            return _copy(doc, *yamldoc.lines_of(doc.text, node), style.newline)
    for doc, node in usable:
        if yamldoc.is_map(node) and isinstance(value, dict):
            start, end = yamldoc.lines_of(doc.text, node)
            edits = _entry_edits(doc, node, value, sources, cls, style)
            return _in_style(yamldoc.apply_splices(doc.text[start:end], edits, start), doc, style.newline)
    return _fresh_item(cls, value, dash, col, style)


def _fresh_item(cls: type, value: Any, dash: int, col: int, style: Style) -> str:
    """A list item rendered by the plan file's writer (keys the schema lacks after its fields)."""
    if not isinstance(value, dict):
        return " " * dash + "-" + " " * (col - dash - 1) + _inline(value).lstrip() + style.newline
    extra = "".join(_plain_entry(k, v, col, style.newline) for k, v in value.items() if k not in keys_of(cls))
    return render_record(_record(cls, value), dash, col, style) + extra


def _record(cls: type, plain: dict) -> Any:
    """A record of the model from a file's plain data (keys the schema lacks left out)."""
    known = dict(fields_of(cls))
    return cls(**{k: _model_value(known[k], v) for k, v in plain.items() if k in known and v is not None})


def _model_value(spec: Any, value: Any) -> Any:
    """Plain data as the model holds it (what the writer renders): one text of a list field as
    a list, nested records as records."""
    if spec.kind == "records":
        return [_record(RECORDS[spec.record], entry) for entry in _as_list(value)]
    if spec.kind in ("texts", "names") or (spec.kind == "members" and value != "all"):
        return _as_list(value)
    return value


def _list_edits(doc: _Doc, name: str, cls: type, items: _Items, order: list, merged: dict,
                sources: dict, *, gap: bool) -> list[yamldoc.Splice]:
    """Splices turning ``doc``'s list ``name`` (``items``) into ``merged`` in ``order``: our items
    the merge left alone keep their bytes; changed ones are replaced, deleted ones cut, new ones
    inserted after the item that precedes them. ``gap``: items are separated by a blank line."""
    style = doc.style
    first = items.nodes[items.order[0]] if items.order else None
    block = first is not None and not yamldoc.is_flow(doc.text, doc.top[name][1])
    dash, col = yamldoc.item_columns(doc.text, first) if block else (style.offset, style.sequence)
    texts = {key: _item_text(cls, merged[key], sources[key], dash, col, style)
             for key in order if key not in items.data or merged[key] != items.data[key]}
    parent = Plan if name in _PLAN_LISTS else Registry
    return yamldoc.list_splices(doc.text, doc.root, name, {key: items.nodes[key] for key in items.order}, order,
                                texts, style.newline, gap=gap, parent_order=list(keys_of(parent)), dash=dash)


# --- plain data the schema does not describe: the conflict record, keys a person added --------


def _inline(value: Any) -> str:
    """`` value`` as it follows a key's colon ("" for nothing)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return " {}"
    if isinstance(value, list):
        return " " + yamldoc.flow_list(value)
    return " " + yamldoc.scalar_text(value)


def _is_block(value: Any) -> bool:
    return bool(value) and (isinstance(value, dict) or
                            (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)))


def _plain_lines(value: Any, col: int, nl: str) -> str:
    """A non-empty mapping, or a list holding collections, as block lines at column ``col``."""
    if isinstance(value, dict):
        return "".join(_plain_entry(k, v, col, nl) for k, v in value.items())
    out = ""
    for item in value:
        if _is_block(item):
            out += " " * col + "- " + _plain_lines(item, col + 2, nl)[col + 2:]
        else:
            out += " " * col + "-" + _inline(item) + nl
    return out


def _plain_entry(key: str, value: Any, col: int, nl: str) -> str:
    head = " " * col + yamldoc.scalar_text(key) + ":"
    if _is_block(value):
        return head + nl + _plain_lines(value, col + 2, nl)
    return head + _inline(value) + nl


# --- the line merge fallback ------------------------------------------------------------------


def line_merge(base: str, ours: str, theirs: str) -> str:
    """git's own merge with conflict markers, for versions that are not readable plans."""
    with tempfile.TemporaryDirectory(prefix="gktrack-merge-") as folder:
        paths = [Path(folder) / name for name in ("ours", "base", "theirs")]
        for path, text in zip(paths, (ours, base, theirs)):
            path.write_bytes(text.encode("utf-8"))
        git.call(folder, ["merge-file", "-L", "当前", "-L", "共同祖先", "-L", "合入", *map(str, paths)])
        return paths[0].read_bytes().decode("utf-8", "replace")


def _has_markers(text: str) -> bool:
    return any(line.startswith("<<<<<<<") for line in text.splitlines())


# --- units.yaml: entries added on both sides ---------------------------------------------------

# The registry's lists, each with the class of its entries.
_REGISTRY_LISTS = {name: RECORDS[spec.record] for name, spec in fields_of(Registry) if spec.kind == "records"}


def _only_appended(base: _Doc, other: _Doc) -> dict[str, list] | None:
    """The keys of the entries ``other`` added to ``base``'s lists, if adding entries is all it
    did; else None."""
    if base.header(_REGISTRY_LISTS) != other.header(_REGISTRY_LISTS):
        return None
    added: dict[str, list] = {}
    for name, cls in _REGISTRY_LISTS.items():
        before, after = base.items(name, cls), other.items(name, cls)
        if base.plain_list(name) != [before.data[k] for k in before.order] or \
                other.plain_list(name) != [after.data[k] for k in after.order]:
            return None  # two entries under one name: not ours to sort out
        if [after.data[k] for k in after.order if k in before.data] != [before.data[k] for k in before.order]:
            return None  # an entry was changed, removed or moved
        new = [k for k in after.order if k not in before.data]
        if new:
            added[name] = new
    return added


def merge_registry_texts(base: str, ours: str, theirs: str, where: str = REGISTRY_FILE) -> MergeResult:
    """Three-way merge of units.yaml: git's line merge, and where that conflicts because both sides
    appended entries (two offices registering new units at once), ours plus theirs' new entries.
    Any other overlapping change is left to a person, with git's markers (``validate`` flags them)."""
    lined = line_merge(base, ours, theirs)
    if not _has_markers(lined):
        return MergeResult(lined)
    try:
        return MergeResult(_merge_registry(base, ours, theirs, where))
    except _Unmergeable as exc:
        return MergeResult(lined, fallback=str(exc))


def _merge_registry(base: str, ours: str, theirs: str, where: str) -> str:
    """Ours plus the entries theirs appended, or ours' appended entries after theirs."""
    base_doc, ours_doc, theirs_doc = (_Doc(text, where, registry_from_nodes) for text in (base, ours, theirs))
    for mine, other in ((ours_doc, theirs_doc), (theirs_doc, ours_doc)):
        added = _only_appended(base_doc, other)
        if added is None:
            continue
        edits: list[yamldoc.Splice] = []
        expected = {}
        for name, cls in _REGISTRY_LISTS.items():
            have, theirs = mine.items(name, cls), other.items(name, cls)
            new = [k for k in added.get(name, []) if k not in have.data]  # both added it: once
            order = [*have.order, *new]
            merged = {**have.data, **{k: theirs.data[k] for k in new}}
            expected[name] = [merged[k] for k in order]
            if new:
                edits += _list_edits(mine, name, cls, have, order, merged,
                                     _sources(merged, (mine, have), (other, theirs)), gap=False)
        text = yamldoc.apply_splices(mine.text, edits)
        _verify(text, where, registry_from_nodes, expected)
        return text
    raise _Unmergeable("双方都修改了单位名册中的同一处(不只是各自新增单位或人员)")


# --- the driver: files, notes, configuration --------------------------------------------------


# Where git keeps a rebase in progress (its two ways of rebasing).
REBASE_FOLDERS = ("rebase-merge", "rebase-apply")


def rebase_folder(git_dir: Path | None) -> Path | None:
    """The folder of the rebase in progress, or None."""
    if git_dir is None:
        return None
    return next((git_dir / name for name in REBASE_FOLDERS if (git_dir / name).is_dir()), None)


def rebase_id(git_dir: Path | None) -> str | None:
    """Which rebase is in progress (its original head and target), or None."""
    folder = rebase_folder(git_dir)
    if folder is None:
        return None
    parts = []
    for key in ("orig-head", "onto"):
        try:
            parts.append((folder / key).read_text(encoding="utf-8").strip())
        except OSError:
            parts.append("")
    return ":".join(parts)


def notes_path(git_dir: Path) -> Path:
    return git_dir / "gktrack" / NOTES_FILE


def read_notes(git_dir: Path) -> list[dict]:
    try:
        text = notes_path(git_dir).read_text(encoding="utf-8")
    except OSError:
        return []
    notes = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):  # a line cut short by a killed driver
            notes.append(json.loads(line))
    return notes


def clear_notes(git_dir: Path) -> None:
    with contextlib.suppress(OSError):
        notes_path(git_dir).unlink()


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


def mapping_for(notes: list[dict], plan: str, rebase: str) -> dict:
    """The renumbering already done for ``plan`` during the rebase ``rebase``: task ids, and
    section keys (their notes hold both as text)."""
    mapping: dict = {"tasks": {}, "sections": {}}
    for note in notes:
        if note.get("kind") == "renumber" and note.get("plan") == plan and note.get("rebase") == rebase:
            if note.get("what") == "task":
                mapping["tasks"][int(note["old"])] = int(note["new"])
            else:
                mapping["sections"][str(note["old"])] = str(note["new"])
    return mapping


def run_driver(base_path: str, ours_path: str, theirs_path: str, name: str | None = None) -> tuple[int, list[str]]:
    """What ``gktrack merge-driver %O %A %B %P`` does: merge into %A; (exit code, messages)."""
    where = name or ours_path
    raw = [Path(path).read_bytes() for path in (base_path, ours_path, theirs_path)]
    git_dir = git.git_dir(Path.cwd(), ask_git=True)
    rebase = rebase_id(git_dir)
    # the BOM merges as one more field: a side that added or dropped it wins (Notepad adds one)
    base_bom, bom, theirs_bom = (data.startswith(b"\xef\xbb\xbf") for data in raw)
    if bom == base_bom:
        bom = theirs_bom
    try:
        texts = [yamldoc.decode(data, where) for data in raw]
    except PlanFileError as exc:
        lined = line_merge(*(data.decode("utf-8", "replace") for data in raw))
        merged = MergeResult(lined, fallback=str(exc))
        bom = False
    else:
        if name is not None and Path(name).name == REGISTRY_FILE and "/" not in name.strip("/"):
            merged = merge_registry_texts(*texts, where)
        else:
            plan = Path(name).stem if name else None
            mapping = mapping_for(read_notes(git_dir), plan, rebase) if plan and rebase else None
            merged = merge_plan_texts(*texts, where, mapping=mapping)
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
        notes.append({"kind": "conflict", "file": name, "rebase": rebase, **asdict(conflict)})
    if merged.fallback:
        messages.append(f"gktrack 合并 {where}:无法按任务合并({merged.fallback}),已改用逐行合并,请手工解决冲突标记")
        notes.append({"kind": "fallback", "file": name, "rebase": rebase, "reason": merged.fallback})
    _append_notes(git_dir, notes)
    failed = _has_markers(merged.text) if merged.fallback else bool(merged.conflicts)
    return int(failed), messages


def driver_command() -> str:
    """The command git runs for the driver (through ``sh``, with whatever PATH the merging
    program has: a git GUI, an IDE, cron): a one-line script that finds gktrack -- the Python
    that ran ``install`` first, then python3/python/py and gktrack on PATH (see
    ``gktrack.features.collab.launch``). When gktrack is gone it says so, leaves git's conflict
    markers in the file and fails, so the merge stops instead of silently keeping one side.
    ``gktrack setup-merge`` (or the next ``gktrack sync``) writes the current interpreter.
    """
    missing = not_found(",%P 未能按任务合并,已改用 git 的逐行合并(冲突处留有冲突标记)并停止合并",
                        "请安装 gktrack 后运行 gktrack setup-merge,再用 git merge --abort 或 git rebase --abort "
                        "撤销这次合并并重新同步")
    fallback = "git merge-file -L 本方 -L 原来 -L 另一方 %A %O %B >/dev/null 2>&1"
    return "; ".join(script_lines("merge-driver %O %A %B %P", missing, before_failing=fallback))


def install(root: Path) -> list[str]:
    """Set up the driver in a clone: local git config, and the attribute if the clone lacks it.

    Returns what was changed, in Chinese (nothing when everything was already in place).
    """
    done = []
    command = driver_command()
    current = git.run(root, "config", "--local", "--get", f"merge.{DRIVER_NAME}.driver", check=False).strip()
    if current != command:
        git.run(root, "config", "--local", f"merge.{DRIVER_NAME}.name", "gktrack 计划文件按任务合并")
        git.run(root, "config", "--local", f"merge.{DRIVER_NAME}.driver", command)
        done.append(f"已在本仓库的 git 配置中登记合并驱动:用 {interpreter()} 运行 gktrack merge-driver"
                    "(它不在时依次找 PATH 中的 python3、python、py 和 gktrack)")
    for probe, line in (("plans/x.yaml", ATTRIBUTES_LINE), (REGISTRY_FILE, REGISTRY_ATTRIBUTES_LINE)):
        attr = git.run(root, "check-attr", "merge", "--", probe, check=False).strip()
        if attr.endswith(f": {DRIVER_NAME}"):
            continue
        info = git.git_dir(root, ask_git=True) / "info" / "attributes"  # a repository: git config ran
        info.parent.mkdir(parents=True, exist_ok=True)
        _add_lines(info, [line])
        done.append(f"仓库的 .gitattributes 中没有“{line}”,已写入本地的 .git/info/attributes")
    return done


# Plans and the registry are stored with "\n" line ends whatever a client does (Git for Windows'
# core.autocrlf=true, an editor that saves "\r\n"), and checked out with them on every system.
EOL_LINES = ("plans/*.yaml text eol=lf", "units.yaml text eol=lf")


def ensure_attributes_file(path: Path, *, write: bool = True) -> bool:
    """Add the driver's lines (plans and units.yaml) and ``EOL_LINES`` to a .gitattributes file;
    True if the file changed (``write`` False: would change). A symbolic link is refused, never
    written through."""
    refuse_link(path.parent, path.name)
    return _add_lines(path, [ATTRIBUTES_LINE, REGISTRY_ATTRIBUTES_LINE, *EOL_LINES], write=write)


def _add_lines(path: Path, lines: list[str], *, write: bool = True) -> bool:
    """Append to an attributes file (made if missing) those of ``lines`` it lacks; True if any."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    present = [line.strip() for line in existing.splitlines()]
    missing = [line for line in lines if line not in present]
    if not missing or not write:
        return bool(missing)
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    path.write_text(existing + prefix + "".join(line + "\n" for line in missing), encoding="utf-8")
    return True
