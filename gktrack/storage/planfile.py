"""Plan files: ``plans/<id>.yaml``, one per plan, read into the model and edited in place.

Keys come in the order ``gktrack.domain.model`` declares them; comments and anything a person
adds are kept. Each task is one block of lines separated by a blank line, so two people changing
two tasks change two separate hunks and git merges them::

    schema: 1
    id: hl2022
    year: 2022
    title: 横栏镇2022年政务公开工作要点分工方案
    tasks:

      - id: 1
        text: 依托政府信息公开平台,…
        responsible: [司法所]
        deadline: 6月底前
        state: open

An edit splices new text into the old at the parser's places (``gktrack.storage.yamldoc``) and is
read back and checked before it is written: the edited task must read as the change says, every
other task must keep its bytes.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, Callable, NamedTuple

from gktrack.domain.model import RECORDS, SCHEMA_VERSION, Plan, Section, Task, fields_of, keys_of
from gktrack.errors import InputError, PlanFileError
from gktrack.storage import yamldoc
from gktrack.storage.files import atomic_write
from gktrack.storage.reader import PLAN_ID, PLAN_ID_RULE, UNREADABLE, Problem, Reader

# Why an edit is refused on a mapping or list written "{…}" / "[…]" over several lines
FLOW_REFUSED = "这一项写成了“{…}”或跨行的“[…]”形式,gktrack 只能修改每个键占一行的写法;请改成那样后再试"
HEADER_COMMENT = "# gktrack 计划文件:可直接手工编辑(保存后可运行 gktrack validate 检查)\n"


def check_plan_id(plan_id: str) -> str:
    if not PLAN_ID.match(plan_id or ""):
        raise InputError(f"计划编号“{plan_id}”不可用:{PLAN_ID_RULE}(如 hl2022)")
    return plan_id


# --- reading ------------------------------------------------------------------------------------


def read_plan(path: Path, where: str) -> Plan:
    return parse_plan(Path(path).read_bytes(), where, expected_id=Path(path).stem)


def parse_plan(text: str | bytes, where: str, *, expected_id: str | None = None,
               problems: list[Problem] | None = None) -> Plan | None:
    """The plan in ``text`` (bytes: decoded first). Without ``problems`` the first error is raised. With, every problem
    is collected there and what could be read is returned (None: nothing could, it is not YAML)."""
    reader = Reader(where, problems)
    root = reader.compose(text)
    return None if root is UNREADABLE else plan_from_nodes(reader, root, expected_id)


def plan_from_nodes(reader: Reader, root: Any, expected_id: str | None) -> Plan:
    """The plan ``root`` (``Reader.compose``'s) holds, read by ``reader``; ``expected_id``: the
    file name's. Collecting, a plan whose header is broken is read on into its tasks."""
    if root is None:
        reader.fail("文件是空的", None)
        return Plan(id=expected_id or "?", year=0, title="", path=reader.where)
    if not yamldoc.is_map(root):
        reader.fail("计划文件的顶层应为“键: 值”映射", root)
        return Plan(id=expected_id or "?", year=0, title="", path=reader.where)
    plan = reader.record(Plan, root)
    lost = reader.lost(plan)
    if "id" in lost:
        plan.id = expected_id or "?"
    plan.path = reader.where
    if plan.schema > SCHEMA_VERSION:
        reader.fail(f"文件格式版本 {plan.schema} 比本程序支持的 {SCHEMA_VERSION} 新,请升级 gktrack",
                    yamldoc.entries(root)["schema"][1])
    if expected_id is not None and "id" not in lost and plan.id != expected_id:
        reader.fail(f"计划编号“{plan.id}”与文件名“{expected_id}.yaml”不一致", yamldoc.entries(root)["id"][0])
    _cross_check(reader, plan)
    for task in plan.tasks:
        task.plan = plan.id
    return plan


def _cross_check(reader: Reader, plan: Plan) -> None:
    """What no single field says: unique section keys and task ids, sections that exist. Fields
    that could not be read (collecting) were reported already: nothing is said about them."""
    lines: dict[str, int] = {}
    complete = "sections" not in reader.lost(plan)
    for section in plan.sections:
        node = reader.node_of(section)
        if "key" in reader.lost(section):
            complete = False
        elif section.key in lines:
            reader.fail(f"章节 key“{section.key}”重复(另见第 {lines[section.key]} 行)", node)
        else:
            lines[section.key] = yamldoc.line_of(node)
    seen: dict[int, int | None] = {}
    free = plan.next_task_id()
    for task in plan.tasks:
        if "id" in reader.lost(task):
            continue
        if task.id in seen:
            # most often a task block copied to add one: its id is the one thing to change
            reader.fail(f"任务编号 {task.id} 重复(另见第 {seen[task.id]} 行);新增的任务请改用未用过的编号,如 {free}",
                        yamldoc.entries(reader.node_of(task))["id"][1])
            free += 1
        else:
            seen[task.id] = task.line
        if complete and task.section and task.section not in lines:
            known = "、".join(list(lines)[:8]) + ("等" if len(lines) > 8 else "")
            reader.fail(f"任务 {task.id} 的章节“{task.section}”不存在"
                        + (f"(现有章节:{known})" if lines else "(计划中还没有章节)"),
                        yamldoc.entries(reader.node_of(task))["section"][1])


# --- writing: rendering records -----------------------------------------------------------------


class Style(NamedTuple):
    """How a file indents its lists: the dash's column and the items' keys' column, relative to
    the key that holds the list; and its line ending."""

    offset: int = 2
    sequence: int = 4
    newline: str = "\n"


def detect_style(text: str) -> Style:
    """The indentation of the tasks list (a hand-written file may indent its lists differently),
    read from its first item; the file's line ending."""
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1] else "\n"
    match = re.search(r"^tasks:[ \t]*(?:#.*)?\r?\n(?:[ \t]*(?:#.*)?\r?\n)*( *)-( +)(?=[^\s#])", text, re.M)
    if match:
        dash = len(match.group(1))
        return Style(dash, dash + 1 + len(match.group(2)), newline)
    return Style(newline=newline)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _inline(spec, value: Any) -> str | None:
    """A field's value as it sits on its key's line; None for a block (a list of records)."""
    if spec.kind == "records":
        return None
    if spec.kind == "texts":
        return yamldoc.scalar_text(value[0]) if len(value) == 1 else yamldoc.flow_list(value)
    if spec.kind in ("names", "members"):
        return "all" if value == "all" else yamldoc.flow_list(list(value))
    return yamldoc.scalar_text(value)


def render_entry(name: str, spec, value: Any, col: int, style: Style) -> str:
    """``name: value`` at column ``col``, with a records list as a block below it."""
    nl = style.newline
    inline = _inline(spec, value)
    if inline is not None:
        return f"{' ' * col}{name}: {inline}{nl}"
    out = f"{' ' * col}{name}:{nl}"
    for record in value:
        out += render_record(record, col + style.offset, col + style.sequence, style)
    return out


def render_record(record: Any, dash: int, col: int, style: Style) -> str:
    """A record as a list item: ``- key: value`` with the dash at ``dash`` and keys at ``col``."""
    out = ""
    for name, spec in fields_of(type(record)):
        value = getattr(record, name)
        # a collective's members are written even when none are listed yet: the line says where to list them
        if _empty(value) and not spec.required and spec.kind != "members":
            continue
        out += render_entry(name, spec, value, col, style)
    first = " " * dash + "-" + " " * (col - dash - 1)
    return first + out[col:]


def new_plan_text(plan: Plan) -> str:
    """The whole text of a new plan file (new-plan, import)."""
    style = Style()
    text = HEADER_COMMENT
    for name, spec in fields_of(Plan):
        value = getattr(plan, name)
        if name == "tasks":
            break
        if _empty(value) and not spec.required:
            continue
        text += render_entry(name, spec, value, 0, style)
    if not plan.tasks:
        return text + "tasks: []\n"
    text += "tasks:\n"
    for task in plan.tasks:
        text += "\n" + render_record(task, style.offset, style.sequence, style)
    return text


def item_splices(text: str, parent: Any, cls: type, name: str, index: int | None, records: list, style: Style,
                 *, gap: bool, base: int) -> list[yamldoc.Splice]:
    """Splices inserting ``records`` into the list ``name`` of the ``cls`` mapping ``parent`` at
    ``index`` (None: at the end), at the columns of the list's items (for a new list, the file's
    style from column ``base``). A list written in flow style ("[{…}, {…}]") becomes a block list,
    its items kept as written."""
    value = yamldoc.entries(parent).get(name, (None, None))[1] if yamldoc.is_map(parent) else None
    items = value.value if yamldoc.is_seq(value) else []
    if items and not yamldoc.is_flow(text, value):
        dash, col = yamldoc.item_columns(text, items[0])  # a hand-written file's own indentation
    else:
        dash, col = base + style.offset, base + style.sequence
    old = dict(enumerate(items))
    new = {("new", i): render_record(record, dash, col, style) for i, record in enumerate(records)}
    order: list = list(old)
    at = len(order) if index is None else index
    order[at:at] = list(new)
    return yamldoc.list_splices(text, parent, name, old, order, new, style.newline, gap=gap,
                                parent_order=list(keys_of(cls)), dash=dash)


# --- editing ------------------------------------------------------------------------------------

_TASK_FIELDS = dict(fields_of(Task))


class PlanEditor:
    """Changes to one plan file, spliced in at the parser's places and checked before they are
    written (see the module docstring)."""

    def __init__(self, path: Path, where: str):
        self.path = Path(path)
        self.where = where
        raw = self.path.read_bytes()
        self.bom = raw.startswith(b"\xef\xbb\xbf")  # kept on save (Windows Notepad writes one)
        self.original = yamldoc.decode(raw, where)
        self.text = self.original
        self.style = detect_style(self.text)
        self._read()
        self.original_plan, self._original_reader = self.plan, self._reader
        self.touched: set[int] = set()

    def _read(self) -> None:
        self.root = yamldoc.compose(self.text, self.where)
        self._reader = Reader(self.where)
        self.plan = plan_from_nodes(self._reader, self.root, self.path.stem)

    # --- places ---

    def _task(self, task_id: int) -> Task:
        task = self.plan.task(task_id)
        if task is None:
            raise PlanFileError(f"找不到任务 {task_id}", where=self.where)
        return task

    def task_span(self, task_id: int) -> tuple[int, int]:
        """Where a task's lines are in the text: character indices [start, end)."""
        return yamldoc.lines_of(self.text, self._reader.node_of(self._task(task_id)))

    def _splice(self, splices: list[yamldoc.Splice]) -> None:
        self.text = yamldoc.apply_splices(self.text, splices)
        self._read()

    # --- one mapping's fields ---

    def _field_splices(self, record: Any, changes: dict[str, Any]) -> list[yamldoc.Splice]:
        node = self._reader.node_of(record)
        if yamldoc.is_flow(self.text, node):
            raise PlanFileError(FLOW_REFUSED, where=yamldoc.place(self.where, node))
        col = node.start_mark.column
        specs = dict(fields_of(type(record)))
        entries: dict[str, str | None] = {}
        values: dict[str, str] = {}
        for name, value in changes.items():
            if _empty(value):
                entries[name] = None
                continue
            entries[name] = render_entry(name, specs[name], value, col, self.style)[col:]
            inline = _inline(specs[name], value)
            if inline is not None:
                values[name] = inline
        return yamldoc.entry_splices(self.text, node, entries, list(keys_of(type(record))), self.style.newline, values)

    def _insert_item(self, parent: Any, cls: type, name: str, index: int | None, record: Any, gap: bool) -> None:
        """``item_splices`` made, for one record; refused in a mapping written "{…}" and in a "[…]"
        list whose items span lines."""
        if yamldoc.is_flow(self.text, parent):
            raise PlanFileError(FLOW_REFUSED, where=yamldoc.place(self.where, parent))
        value = yamldoc.entries(parent).get(name, (None, None))[1]
        items = value.value if yamldoc.is_seq(value) else []
        if yamldoc.is_flow(self.text, value) and any(item.start_mark.line != item.end_mark.line for item in items):
            raise PlanFileError(FLOW_REFUSED, where=yamldoc.place(self.where, value))
        self._splice(item_splices(self.text, parent, cls, name, index, [record], self.style, gap=gap,
                                  base=parent.start_mark.column))

    # --- tasks ---

    def update_task(self, task_id: int, changes: dict[str, Any]) -> Task:
        """Set (or, with an empty value, remove) fields of a task; other lines stay as they are."""
        current = self._task(task_id)
        changes = {k: ([] if v is None and _TASK_FIELDS[k].kind in ("names", "texts", "records") else v)
                   for k, v in changes.items()}
        self._splice(self._field_splices(current, changes))
        return self._check(task_id, dataclasses.replace(current, **_as_read(Task, changes)))

    def append(self, task_id: int, name: str, record: Any) -> Task:
        """Add a record (a progress entry) at the end of a task's list ``name``."""
        current = self._task(task_id)
        self._insert_item(self._reader.node_of(current), Task, name, None, record, gap=False)
        return self._check(task_id, dataclasses.replace(current, **{name: [*getattr(current, name), record]}))

    def update_record(self, task_id: int, name: str, key: str, changes: dict[str, Any]) -> Task:
        """Set (or remove) fields of the record of a task's list ``name`` (parts) whose key field
        is ``key``, in place; the record is added at the end of the list when there is none."""
        current = self._task(task_id)
        cls = RECORDS[_TASK_FIELDS[name].record]
        key_field = next(n for n, s in fields_of(cls) if s.merge == "key")
        records = list(getattr(current, name))
        index = next((i for i, r in enumerate(records) if getattr(r, key_field) == key), None)
        if index is None:
            return self.append(task_id, name, cls(**{key_field: key, **{k: v for k, v in changes.items()
                                                                      if not _empty(v)}}))
        self._splice(self._field_splices(records[index], changes))
        records[index] = dataclasses.replace(records[index], **_as_read(cls, changes))
        return self._check(task_id, dataclasses.replace(current, **{name: records}))

    def apply(self, task_id: int, edit: Any) -> Task:
        """A ``domain.parts.Edit``: the task's own fields, then its part records."""
        saved = self.plan.task(task_id)
        if edit.task:
            saved = self.update_task(task_id, edit.task)
        for unit, fields in edit.parts.items():
            saved = self.update_record(task_id, "parts", unit, fields)
        return saved

    def replace_task(self, task_id: int, block: str) -> Task:
        """Put ``block`` (a whole task item, as ``edit`` hands it back) in place of the task's lines,
        with the file's own line ends (an editor's file comes back with its own)."""
        start, end = self.task_span(task_id)
        block = block.replace("\r\n", "\n").replace("\n", self.style.newline)
        id_changed = PlanFileError(f"任务编号(id: {task_id})不能修改", where=self.where)
        try:  # read alone first: another task's id would read, in the file, as a duplicate of it
            item = yamldoc.to_data(yamldoc.compose(block, self.where))
        except PlanFileError:
            item = None  # read with the file below, for its errors at file:line
        if isinstance(item, list) and len(item) == 1 and isinstance(item[0], dict) and item[0].get("id") != task_id:
            raise id_changed
        self.text = self.text[:start] + block + self.text[end:]
        self._read()
        self.touched.add(task_id)
        task = self.plan.task(task_id)
        before, after = [t.id for t in self.original_plan.tasks], [t.id for t in self.plan.tasks]
        if len(after) != len(before):
            raise PlanFileError("编辑内容应恰好是这一项任务(不能增加或删除任务)", where=self.where)
        if task is None or after != before:
            raise id_changed
        return task

    def insert_task(self, task: Task) -> Task:
        """Insert after the last task of the same section (or at the end): document order."""
        tasks = self.plan.tasks
        after = None
        for existing in tasks:
            if task.section is None or _within(existing.section, task.section):
                after = existing
        if after is None and task.section is not None:
            order = [s.key for s in self.plan.sections]
            rank = order.index(task.section) if task.section in order else len(order)
            for existing in tasks:
                if existing.section in order and order.index(existing.section) < rank:
                    after = existing
        index = 0 if after is None else tasks.index(after) + 1
        self._insert_item(self.root, Plan, "tasks", index, task, gap=True)
        return self._check(task.id, dataclasses.replace(task, plan=self.plan.id))

    def _check(self, task_id: int, expected: Task) -> Task:
        self.touched.add(task_id)
        saved = self.plan.task(task_id)
        if saved is None or dataclasses.replace(saved, line=None) != dataclasses.replace(expected, line=None):
            raise PlanFileError(f"内部检查失败:任务 {task_id} 写入后读出的内容与预期不同,未写入", where=self.where)
        return saved

    # --- sections ---

    def add_section(self, section: Section) -> None:
        """Insert after the last section numbered before it (before the first, if it is numbered
        before that one)."""
        new = _section_sort_key(section.key)
        keys = [_section_sort_key(s.key) for s in self.plan.sections]
        before = [i for i, key in enumerate(keys) if key < new]
        index = 0 if keys and new < keys[0] else (before[-1] + 1 if before else len(keys))
        self._insert_item(self.root, Plan, "sections", index, section, gap=False)
        if section not in self.plan.sections:
            raise PlanFileError(f"内部检查失败:章节 {section.key} 写入后读不出来,未写入", where=self.where)

    # --- saving ---

    def data(self) -> bytes:
        """The file's bytes as ``save`` writes them."""
        return (("\ufeff" if self.bom else "") + self.text).encode("utf-8")

    def save(self, write: Callable[..., None] | None = None) -> bool:
        """Check that only the touched tasks changed, then write atomically; False if no change.
        ``write(path, data, plan)`` (a change's ``tx.write``, which gives the index the plan read
        back from the new text) does the writing instead of ``atomic_write``."""
        if self.text == self.original:
            return False
        before = _task_texts(self.original, self.original_plan, self._original_reader)
        after = _task_texts(self.text, self.plan, self._reader)
        # by value too (a task's line and plan do not count): its lines can stay while its value
        # changes (a blank line after "|+")
        values = {task.id: task for task in self.original_plan.tasks}
        values_after = {task.id: task for task in self.plan.tasks}
        for task_id in set(before) | set(after):
            unchanged = before.get(task_id) == after.get(task_id) and values.get(task_id) == values_after.get(task_id)
            if task_id not in self.touched and not unchanged:
                raise PlanFileError(f"内部检查失败:任务 {task_id} 被意外改动,未写入", where=self.where)
        data = self.data()
        if write is None:
            atomic_write(self.path, data)
        else:
            write(self.path, data, self.plan)
        return True


def _task_texts(text: str, plan: Plan, reader: Reader) -> dict[int, str]:
    """Each task's lines; the last one's without its line break, which a file's last line may lack
    (Notepad saves none) and which an insertion after it adds."""
    return {task.id: text[slice(*yamldoc.lines_of(text, reader.node_of(task)))].rstrip("\r\n") for task in plan.tasks}


def _as_read(cls: type, changes: dict[str, Any]) -> dict[str, Any]:
    """The values ``changes`` leave in a ``cls`` read back: a removed field has its default."""
    out = {}
    for name, value in changes.items():
        if _empty(value):
            field = cls.__dataclass_fields__[name]
            value = field.default if field.default_factory is dataclasses.MISSING else field.default_factory()
        out[name] = value
    return out


def _section_sort_key(key: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 10**6 for p in key.split("."))


def _within(key: str | None, ancestor: str) -> bool:
    return key is not None and (key == ancestor or key.startswith(ancestor + "."))
