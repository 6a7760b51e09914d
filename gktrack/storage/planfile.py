"""Plan files: ``plans/<id>.yaml``, one per plan, read into the model and edited in place.

Layout (keys in this order; everything else a person adds is kept untouched)::

    # comment lines at the top are kept
    schema: 1
    id: hl2022
    year: 2022
    title: 横栏镇2022年政务公开工作要点分工方案
    issuer: …            doc_number: …  issued: 2022-07-28  source: https://…  owner: …
    sections:
      - key: '1'
        number: 一、
        title: 优化政务公开工作基础
    tasks:

      - id: 1
        number: '1.'
        section: '1.1'
        text: 依托政府信息公开平台,…
        responsible: [司法所]
        deadline: 6月底前
        state: open
        progress:
          - date: 2022-08-01
            unit: 司法所
            by: 张三
            note: 已发布

Each task is one contiguous block separated by a blank line, so two people changing two tasks
change two separate hunks and git merges them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

from gktrack.errors import InputError, PlanFileError
from gktrack.domain.model import PLAN_ID_PATTERN, ROLES, SCHEMA_VERSION, STATES, Plan, Progress, Section, Task, UnitRef
from gktrack.storage.yamlfile import LINE_KEY, BlockFile, atomic_write, decode, safe_load

PLAN_ID = re.compile(PLAN_ID_PATTERN)
PLAN_KEYS = ("schema", "id", "year", "title", "issuer", "doc_number", "issued", "source", "owner",
             "source_hash", "sections", "tasks")
TASK_KEYS = (
    "id", "number", "section", "text", "lead", "support", "responsible", "units_text",
    "deadline", "state", "closed", "note", "evidence", "progress",
)
PROGRESS_KEYS = ("date", "unit", "by", "note")
SECTION_KEYS = ("key", "number", "title")
HEADER_COMMENT = "# gktrack 计划文件:可直接手工编辑(保存后可运行 gktrack validate 检查)\n"


def check_plan_id(plan_id: str) -> str:
    if not PLAN_ID.match(plan_id or ""):
        raise InputError(f"计划编号“{plan_id}”不可用:只能用字母、数字、- 和 _,且不以 - 开头(如 hl2022)")
    return plan_id


# --- reading --------------------------------------------------------------------------------


def read_plan(path: Path, where: str) -> Plan:
    text = decode(Path(path).read_bytes(), where)
    return plan_from_data(safe_load(text, where), where, expected_id=Path(path).stem)


class _Checker:
    """Type checks with the place of the offending value in every message."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, message: str, line: int | None) -> PlanFileError:
        return PlanFileError(message, where=f"{self.where}:{line}" if line else self.where)

    def text(self, value: Any, name: str, line: int | None, *, required: bool = False) -> str | None:
        if value is None or value == "":
            if required:
                raise self.fail(f"缺少“{name}”", line)
            return None
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            raise self.fail(f"“{name}”应为文字", line)
        if isinstance(value, float):
            raise self.fail(f"“{name}”的值 {value} 被读成了小数,请加引号(如 '{value}')", line)
        return str(value)

    def date(self, value: Any, name: str, line: int | None) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raise self.fail(f"“{name}”应为日期(如 2024-06-30),而不是“{value}”", line)

    def texts(self, value: Any, name: str, line: int | None) -> list[str]:
        if value is None:
            return []
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            return [str(v) for v in value]
        raise self.fail(f"“{name}”应为文字或文字列表", line)


def plan_from_data(data: Any, where: str, *, expected_id: str | None = None) -> Plan:
    check = _Checker(where)
    if not isinstance(data, dict):
        raise check.fail("计划文件的顶层应为“键: 值”映射", 1)
    schema = data.get("schema", SCHEMA_VERSION)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise check.fail("“schema”应为整数", None)
    if schema > SCHEMA_VERSION:
        raise check.fail(f"文件格式版本 {schema} 比本程序支持的 {SCHEMA_VERSION} 新,请升级 gktrack", None)
    plan_id = check.text(data.get("id"), "id", None, required=True)
    if not PLAN_ID.match(plan_id):
        raise check.fail(f"计划编号“{plan_id}”不可用:只能用字母、数字、- 和 _", None)
    if expected_id is not None and plan_id != expected_id:
        raise check.fail(f"计划编号“{plan_id}”与文件名“{expected_id}.yaml”不一致", None)
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise check.fail(f"“year”应为年份(如 2024),而不是“{year}”", None)
    plan = Plan(
        id=plan_id,
        year=year,
        title=check.text(data.get("title"), "title", None, required=True),
        issuer=check.text(data.get("issuer"), "issuer", None),
        doc_number=check.text(data.get("doc_number"), "doc_number", None),
        issued=check.date(data.get("issued"), "issued", None),
        source=check.text(data.get("source"), "source", None),
        owner=check.text(data.get("owner"), "owner", None),
        source_hash=check.text(data.get("source_hash"), "source_hash", None),
        path=where,
    )
    sections = data.get("sections") or []
    if not isinstance(sections, list):
        raise check.fail("“sections”应为列表", None)
    seen_keys: set[str] = set()
    for raw in sections:
        line = raw.get(LINE_KEY) if isinstance(raw, dict) else None
        if not isinstance(raw, dict):
            raise check.fail("“sections”的每一项应为映射(key/number/title)", None)
        key = check.text(raw.get("key"), "key", line, required=True)
        if key in seen_keys:
            raise check.fail(f"章节 key“{key}”重复", line)
        seen_keys.add(key)
        plan.sections.append(
            Section(key=key, title=check.text(raw.get("title"), "title", line, required=True) or "",
                    number=check.text(raw.get("number"), "number", line))
        )
    tasks = data.get("tasks") or []
    if not isinstance(tasks, list):
        raise check.fail("“tasks”应为列表", None)
    seen_ids: dict[int, int | None] = {}
    for raw in tasks:
        task = _task_from_data(raw, plan, check)
        if task.id in seen_ids:
            raise check.fail(f"任务编号 {task.id} 重复(另见第 {seen_ids[task.id]} 行)", task.line)
        seen_ids[task.id] = task.line
        if task.section and task.section not in seen_keys:
            raise check.fail(f"任务 {task.id} 的章节“{task.section}”不存在", task.line)
        plan.tasks.append(task)
    return plan


def _task_from_data(raw: Any, plan: Plan, check: _Checker) -> Task:
    if not isinstance(raw, dict):
        raise check.fail("“tasks”的每一项应为映射(id/text/…)", None)
    line = raw.get(LINE_KEY)
    task_id = raw.get("id")
    if not isinstance(task_id, int) or isinstance(task_id, bool) or task_id < 1:
        raise check.fail(f"任务的“id”应为正整数,而不是“{task_id}”", line)
    units: list[UnitRef] = []
    for role in ROLES:
        for name in check.texts(raw.get(role), role, line):
            units.append(UnitRef(name=name, role=role))
    state = raw.get("state", "open")
    if state not in STATES:
        raise check.fail(f"任务 {task_id} 的“state”应为 open 或 done,而不是“{state}”", line)
    progress = []
    raw_progress = raw.get("progress") or []
    if not isinstance(raw_progress, list):
        raise check.fail(f"任务 {task_id} 的“progress”应为列表", line)
    for entry in raw_progress:
        entry_line = entry.get(LINE_KEY) if isinstance(entry, dict) else line
        if not isinstance(entry, dict):
            raise check.fail(f"任务 {task_id} 的进展应为映射(date/note)", line)
        date = check.date(entry.get("date"), "date", entry_line)
        if date is None:
            raise check.fail(f"任务 {task_id} 的进展缺少日期", entry_line)
        progress.append(
            Progress(
                date=date,
                note=check.text(entry.get("note"), "note", entry_line) or "",
                unit=check.text(entry.get("unit"), "unit", entry_line),
                by=check.text(entry.get("by"), "by", entry_line),
            )
        )
    return Task(
        plan=plan.id,
        id=task_id,
        text=check.text(raw.get("text"), "text", line, required=True) or "",
        number=check.text(raw.get("number"), "number", line),
        section=check.text(raw.get("section"), "section", line),
        units=units,
        units_text=check.text(raw.get("units_text"), "units_text", line),
        deadline=check.texts(raw.get("deadline"), "deadline", line),
        state=state,
        closed=check.date(raw.get("closed"), "closed", line),
        note=check.text(raw.get("note"), "note", line),
        evidence=check.texts(raw.get("evidence"), "evidence", line),
        progress=progress,
        line=line,
    )


# --- writing --------------------------------------------------------------------------------


def _flow(items: list[str]):
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _deadline_value(phrases: list[str]):
    if not phrases:
        return None
    return phrases[0] if len(phrases) == 1 else _flow(phrases)


def progress_map(entry: Progress):
    from ruamel.yaml.comments import CommentedMap

    item = CommentedMap()
    item["date"] = entry.date
    if entry.unit:
        item["unit"] = entry.unit
    if entry.by:
        item["by"] = entry.by
    item["note"] = entry.note
    return item


def task_map(task: Task):
    """A new task as a ruamel mapping in the canonical key order."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    item = CommentedMap()
    item["id"] = task.id
    values: dict[str, Any] = {
        "number": task.number,
        "section": task.section,
        "text": task.text,
        **{role: _flow(task.units_with_role(role)) if task.units_with_role(role) else None for role in ROLES},
        "units_text": task.units_text,
        "deadline": _deadline_value(task.deadline),
        "state": task.state,
        "closed": task.closed,
        "note": task.note,
        "evidence": _flow(task.evidence) if task.evidence else None,
    }
    for key, value in values.items():
        if value is not None:
            item[key] = value
    if task.progress:
        seq = CommentedSeq()
        for entry in task.progress:
            seq.append(progress_map(entry))
        item["progress"] = seq
    return item


def set_field(item, key: str, value: Any, order: tuple[str, ...] = TASK_KEYS) -> None:
    """Set ``key`` on a round-trip mapping, placed where the canonical order puts it.

    ``None`` removes the key. Keys a person added by hand stay where they are.
    """
    if value is None:
        if key in item:
            del item[key]
        return
    if key in item:
        item[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    position = len(item)
    for index, existing in enumerate(item.keys()):
        if existing in order and order.index(existing) > rank:
            position = index
            break
    item.insert(position, key, value)


def set_units(item, units: list[UnitRef]) -> None:
    for role in ROLES:
        names = [u.name for u in units if u.role == role]
        current = item.get(role)
        if names and isinstance(current, list) and list(current) == names:
            continue
        set_field(item, role, _flow(names) if names else None)


def set_deadline(item, phrases: list[str]) -> None:
    set_field(item, "deadline", _deadline_value(phrases))


def append_progress(item, entry: Progress) -> None:
    from ruamel.yaml.comments import CommentedSeq

    seq = item.get("progress")
    if not isinstance(seq, list):
        seq = CommentedSeq()
        set_field(item, "progress", seq)
    seq.append(progress_map(entry))


def new_plan_text(plan: Plan) -> str:
    """The whole text of a new plan file (new-plan, import)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from gktrack.storage.yamlfile import Style, dump_rt

    style = Style()
    header = CommentedMap()
    header["schema"] = SCHEMA_VERSION
    header["id"] = plan.id
    header["year"] = plan.year
    header["title"] = plan.title
    for key in ("issuer", "doc_number", "issued", "source", "owner", "source_hash"):
        value = getattr(plan, key)
        if value:
            header[key] = value
    if plan.sections:
        sections = CommentedSeq()
        for section in plan.sections:
            entry = CommentedMap()
            entry["key"] = section.key
            if section.number:
                entry["number"] = section.number
            entry["title"] = section.title
            sections.append(entry)
        header["sections"] = sections
    text = HEADER_COMMENT + dump_rt(header, style)
    if not plan.tasks:
        return text + "tasks: []\n"
    text += "tasks:\n"
    block_file = BlockFile("", "")
    for task in plan.tasks:
        text += "\n" + "".join(block_file.dump_item("tasks", task_map(task)))
    return text


# --- field edits: one description, two ways to apply it -----------------------------------
#
# ``close``, ``reopen`` and ``progress`` change a task by a few fields. The edit is described
# once as ("set", key, value) / ("append", "progress", Progress) and applied either line by line
# (``_LineEdit``, no ruamel.yaml: the common case, a third of a write's CPU time) or, when the
# task's lines are anything but the plain layout gktrack itself writes, through ruamel's round
# trip as before. The line edit is checked against the model and falls back when it differs.


def apply_edits(item, edits: list[tuple]) -> None:
    """The edits on a ruamel round-trip mapping (the general path)."""
    for op, key, value in edits:
        if op == "append":
            append_progress(item, value)
        elif key == "evidence" and value is not None:
            set_field(item, key, _flow(list(value)))
        else:
            set_field(item, key, value)


def expected_task(task: Task, edits: list[tuple]) -> Task:
    """What the model of ``task`` is after ``edits``: the line edit's result must parse to it."""
    import dataclasses

    changes: dict[str, Any] = {}
    progress = list(task.progress)
    for op, key, value in edits:
        if op == "append":
            progress.append(value)
            changes["progress"] = progress
        elif key == "evidence":
            changes[key] = list(value or [])
        else:
            changes[key] = value if value is not None else ("open" if key == "state" else None)
    return dataclasses.replace(task, **changes)


_PLAIN_ASCII = re.compile(r"[A-Za-z][A-Za-z _.-]*[A-Za-z]|[A-Za-z]")
_KEY_LINE = re.compile(r"^( *)([A-Za-z_][A-Za-z0-9_-]*):(?: |$)")
_BLOCK_SCALAR = re.compile(r"(?:^|[:-])\s+[|>][0-9+-]*$")
_FIRST_LINE = re.compile(r"^( *)- +([A-Za-z_][A-Za-z0-9_-]*):(?: |$)")


def plain_scalar(value: Any) -> str | None:
    """``value`` as ruamel.yaml writes it when that is a plain scalar; None when unsure.

    Text containing anything but letters, digits and harmless punctuation, or that YAML could
    read as another type, is left to ruamel (which quotes it): this only has to be right for
    the strings it accepts, and it accepts the everyday Chinese note.
    """
    import datetime as _dt

    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if value in STATES:
        return value  # "open" and "done" are text in every YAML version (no resolver needed)
    if not isinstance(value, str) or not value or value != value.strip(" "):
        return None
    if value[0] in "-?:,[]{}#&*!|>'\"%@` " or value.endswith(":") or ": " in value or " #" in value:
        return None
    if value.startswith(("---", "...")):
        return None
    ascii_only = True
    for ch in value:
        if ch < "\x7f":
            if ch < " ":
                return None
        else:
            ascii_only = False
            # ruamel writes these printable as they are (allow_unicode); anything else is escaped
            if not ("\u00a1" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd") or ch in "\u2028\u2029\ufeff\u3000":
                return None
    if ascii_only:
        from gktrack.storage.yamlfile import plain_reads_as_other

        # every implicit type YAML knows is spelled in ASCII; a word of letters may still be one
        if not _PLAIN_ASCII.fullmatch(value) or plain_reads_as_other(value):
            return None
    return value


def _closed(value: str) -> bool:
    """Whether a value that opens a quote or a bracket closes it on its own line.

    A quoted text or flow list may go on over lines at any indentation; one of those lines
    could then look like the next key. Such an item is left to ruamel.
    """
    value = value.strip()
    if not value or value[0] not in "'\"[{":
        return True
    depth, quote, i = 0, None, 0
    while i < len(value):
        ch = value[i]
        if quote == "'":
            if ch == "'":
                if value[i + 1:i + 2] == "'":
                    i += 1
                else:
                    quote = None
        elif quote == '"':
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
        if quote is None and depth == 0:
            return value[i:].strip() == ""
    return False


class _Fallback(Exception):
    """The line edit does not apply; ruamel's round trip does the edit instead."""


class _LineEdit:
    """The lines of one task item in the plain layout, split into its top-level keys."""

    def __init__(self, lines: list[str], style, newline: str):
        if not lines:
            raise _Fallback
        first = _FIRST_LINE.match(lines[0])
        if first is None:
            raise _Fallback
        self.newline = newline
        self.dash = first.group(1)
        self.col = first.start(2)  # the column of the item's keys
        self.style = style
        self.keys: list[str] = [first.group(2)]
        self.segments: list[list[str]] = [[lines[0]]]
        for line in lines:
            if _BLOCK_SCALAR.search(line.rstrip()):
                # a block text ("|", ">") can keep the blank lines after it: its value depends
                # on what follows, so new lines after it could change it
                raise _Fallback
        for line in lines[1:]:
            body = line.rstrip("\r\n")
            if not body.strip() or " #" in body or body.lstrip().startswith("#") or "\t" in body:
                raise _Fallback  # blank lines and comments inside an item: ruamel places them
            indent = len(body) - len(body.lstrip(" "))
            if indent < self.col:
                raise _Fallback
            if indent == self.col:
                match = _KEY_LINE.match(body)
                if match is None or not _closed(body[match.end():]):
                    raise _Fallback
                self.keys.append(match.group(2))
                self.segments.append([line])
            else:
                self.segments[-1].append(line)
        if len(set(self.keys)) != len(self.keys):
            raise _Fallback
        if " #" in lines[0] or not _closed(lines[0].rstrip("\r\n")[first.end():]):
            raise _Fallback

    def lines(self) -> list[str]:
        return [line for segment in self.segments for line in segment]

    def _insert_at(self, key: str) -> int:
        rank = TASK_KEYS.index(key)
        for index, existing in enumerate(self.keys):
            if existing in TASK_KEYS and TASK_KEYS.index(existing) > rank:
                if index == 0:
                    raise _Fallback
                return index
        return len(self.keys)

    def set(self, key: str, value: Any) -> None:
        if key not in TASK_KEYS:
            raise _Fallback
        if value is None:
            if key in self.keys:
                index = self.keys.index(key)
                if index == 0:
                    raise _Fallback
                del self.keys[index], self.segments[index]
            return
        text = plain_scalar(value)
        if text is None:
            raise _Fallback
        line = f"{' ' * self.col}{key}: {text}{self.newline}"
        if key in self.keys:
            index = self.keys.index(key)
            if index == 0 or len(self.segments[index]) != 1:
                raise _Fallback  # the first key carries the dash; a longer value is a list or block
            old = self.segments[index][0].rstrip("\r\n").split(":", 1)[1].strip()
            if not old or old[0] in "'\"[]{}|>&*!%@`#":
                raise _Fallback  # ruamel keeps a quoted or flow value's style: let it
            self.segments[index] = [line]
        else:
            index = self._insert_at(key)
            self.keys.insert(index, key)
            self.segments.insert(index, [line])

    def append_progress(self, entry: Progress) -> None:
        dash = " " * (self.col + self.style.offset)
        inner = " " * (self.col + self.style.sequence)
        fields = [("date", entry.date), ("unit", entry.unit), ("by", entry.by), ("note", entry.note)]
        out = []
        for key, value in fields:
            if value is None and key in ("unit", "by"):
                continue
            text = plain_scalar(value)
            if text is None:
                raise _Fallback
            out.append(f"{inner if out else dash + '- '}{key}: {text}{self.newline}")
        if "progress" in self.keys:
            index = self.keys.index("progress")
            segment = self.segments[index]
            if index == 0 or segment[0].rstrip("\r\n") != f"{' ' * self.col}progress:" or len(segment) < 2:
                raise _Fallback
            # the existing entries must be laid out as ruamel would write them
            for line in segment[1:]:
                body = line.rstrip("\r\n")
                if not (body.startswith(dash + "- ") and body[len(dash) + 2] != " ") and not (
                        body.startswith(inner) and body[len(inner)] not in " -"):
                    raise _Fallback
            segment.extend(out)
        else:
            index = self._insert_at("progress")
            self.keys.insert(index, "progress")
            self.segments.insert(index, [f"{' ' * self.col}progress:{self.newline}", *out])


class PlanEditor:
    """Changes to one plan file, made block by block and checked before they are written.

    With ``repo`` the original's parse comes from the plan cache when it holds these exact bytes
    (no YAML parsed), and the parse of what ``save`` writes goes back into it: a change parses
    its plan file once, after the edit, and the next command does not parse it at all.
    """

    def __init__(self, path: Path, where: str, *, repo: Any = None):
        self.path = Path(path)
        self.where = where
        self.repo = repo
        raw = self.path.read_bytes()
        self.bom = raw.startswith(b"\xef\xbb\xbf")  # kept on save (Windows Notepad writes one)
        self.original = decode(raw, where)
        self.file = BlockFile(self.original, where)
        plan = None
        if repo is not None:
            from gktrack.storage.plancache import cached_plan

            plan = cached_plan(repo, self.path.stem, raw)
        self._data: Any = None
        if plan is None:
            self._data = safe_load(self.original, where)
            plan = plan_from_data(self._data, where, expected_id=self.path.stem)
        self.plan = plan
        self.original_plan = plan  # for save's check (edits never mutate it)
        self.touched: set[int] = set()
        self.by_lines = 0  # edits made line by line, without ruamel (tests look)

    @property
    def data(self) -> Any:
        """The safe-loaded current text (parsed on first use when the plan came from the cache)."""
        if self._data is None:
            self._data = safe_load(self.file.text(), self.where)
        return self._data

    def _spans(self, file: BlockFile | None = None, plan: Plan | None = None) -> dict[int, tuple[int, int]]:
        file, plan = file or self.file, plan or self.plan
        spans = file.item_spans("tasks", [t.line for t in plan.tasks])
        return {t.id: span for t, span in zip(plan.tasks, spans)}

    def _refresh(self) -> None:
        text = self.file.text()
        self._data = safe_load(text, self.where)
        self.plan = plan_from_data(self._data, self.where, expected_id=self.path.stem)

    def update_task(self, task_id: int, change: Callable[[Any], None]) -> Task:
        span = self._spans().get(task_id)
        if span is None:
            raise PlanFileError(f"找不到任务 {task_id}", where=self.where)
        self.file.edit_item("tasks", span, change)
        self.touched.add(task_id)
        self._refresh()
        return self.plan.task(task_id)

    def edit_fields(self, task_id: int, edits: list[tuple]) -> Task:
        """Apply field edits (see ``apply_edits``) to one task: by lines when the task is laid
        out plainly, else through ruamel. The line edit must parse to the model's expectation."""
        import dataclasses

        span = self._spans().get(task_id)
        current = self.plan.task(task_id)
        if span is None or current is None:
            raise PlanFileError(f"找不到任务 {task_id}", where=self.where)
        start, end = span
        saved = (list(self.file.lines), self.plan, self._data, set(self.touched))
        try:
            if any(key == "evidence" and value for _op, key, value in edits):
                raise _Fallback  # flow lists of links: ruamel decides their quoting
            edit = _LineEdit(self.file.lines[start:end], self.file.style_for("tasks"), self.file.style.newline)
            for op, key, value in edits:
                if op == "append":
                    edit.append_progress(value)
                else:
                    edit.set(key, value)
            new_lines = edit.lines()
            # Built from plain scalars (what ``plain_scalar`` writes reads back as the same text,
            # tests/test_files.py) into whole lines of an item whose every key line was checked:
            # the new task is the old one with the edits, and no YAML parser needs loading.
            done = dataclasses.replace(expected_task(current, edits), line=start + 1)
            self.file.replace(start, end, new_lines)
            self.touched.add(task_id)
            # Only this item's lines changed: the tasks after it moved, nothing else did.
            shift = len(new_lines) - (end - start)
            tasks = [done if t.id == task_id else
                     (dataclasses.replace(t, line=t.line + shift) if shift and t.line and t.line > start + 1 else t)
                     for t in self.plan.tasks]
            self.plan = dataclasses.replace(self.plan, tasks=tasks)
            self._data = None  # parsed again only if someone asks for the raw data
            self.by_lines += 1
            return done
        except (_Fallback, PlanFileError):
            self.file.lines, self.plan, self._data, self.touched = saved
        return self.update_task(task_id, lambda item: apply_edits(item, edits))

    def insert_task(self, task: Task) -> Task:
        """Insert after the last task of the same section (or at the end): document order."""
        lines = self.file.dump_item("tasks", task_map(task))
        spans = self._spans()
        after = None
        for existing in self.plan.tasks:
            if task.section is None or _within(existing.section, task.section):
                after = existing.id
        if after is None and task.section is not None:
            # first task of its section: after the tasks of earlier sections
            order = [s.key for s in self.plan.sections]
            rank = order.index(task.section) if task.section in order else len(order)
            for existing in self.plan.tasks:
                if existing.section in order and order.index(existing.section) < rank:
                    after = existing.id
            if after is None and self.plan.tasks:
                after = 0
        regions = self.file.regions()
        if after == 0:
            start = spans[self.plan.tasks[0].id][0]
            self.file.replace(start, start, lines + [self.file.style.newline])
        elif after is not None:
            end = spans[after][1]
            self.file.replace(end, end, [self.file.style.newline] + lines)
        elif "tasks" in regions:
            region = regions["tasks"]
            self.file.replace(region.start, region.start + 1, ["tasks:" + self.file.style.newline])
            region = self.file.regions()["tasks"]
            self.file.replace(region.end, region.end, [self.file.style.newline] + lines)
        else:
            end = len(self.file.lines)
            self.file.replace(end, end, ["tasks:" + self.file.style.newline, self.file.style.newline] + lines)
        self.touched.add(task.id)
        self._refresh()
        return self.plan.task(task.id)

    def add_section(self, section: Section) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        regions = self.file.regions()
        entry = CommentedMap()
        entry["key"] = section.key
        if section.number:
            entry["number"] = section.number
        entry["title"] = section.title
        if "sections" in regions and (self.data.get("sections") or []):
            raw = self.data["sections"]
            spans = self.file.item_spans("sections", [s[LINE_KEY] for s in raw])
            # after the last section whose key sorts before the new one, keeping the outline
            position = spans[-1][1]
            for raw_section, span in zip(raw, spans):
                if _section_sort_key(str(raw_section.get("key"))) < _section_sort_key(section.key):
                    position = span[1]
            if _section_sort_key(section.key) < _section_sort_key(str(raw[0].get("key"))):
                position = spans[0][0]
            self.file.replace(position, position, self.file.dump_item("sections", entry))
        else:
            seq = CommentedSeq()
            seq.append(entry)
            lines = self.file.dump_region("sections", seq)
            if "sections" in regions:
                region = regions["sections"]
                self.file.replace(region.start, region.end, lines)
            else:
                at = regions["tasks"].start if "tasks" in regions else len(self.file.lines)
                self.file.replace(at, at, lines)
        self._refresh()

    def save(self, write: Callable[..., None] | None = None) -> bool:
        """Check that only the touched tasks changed, then write atomically. False if no change.

        ``write(path, data, then)`` (a change's ``tx.write``) does the writing instead of
        ``atomic_write``; ``then`` caches the new parse once the bytes are in the file.

        Every other task must keep its lines byte for byte, at the place where the parse of the
        new text (``_refresh`` after each edit) finds it: the same text in the same list parses
        to the same value, so this is the old value-by-value comparison without parsing the
        original a second time.
        """
        text = self.file.text()
        if text == self.original:
            return False
        before = self._item_texts(BlockFile(self.original, self.where), self.original_plan)
        after = self._item_texts(self.file, self.plan)
        for task_id in set(before) | set(after):
            if task_id not in self.touched and before.get(task_id) != after.get(task_id):
                raise PlanFileError(f"内部检查失败:任务 {task_id} 被意外改动,未写入", where=self.where)
        data = (("\ufeff" if self.bom else "") + text).encode("utf-8")
        plan, repo = self.plan, self.repo

        def remember() -> None:
            # after the bytes are in the file: the cache keys its entry by the file's stat too
            if repo is not None:
                from gktrack.storage.plancache import remember_plan

                remember_plan(repo, self.path.stem, data, plan)

        if write is None:
            atomic_write(self.path, data)
            remember()
        else:
            write(self.path, data, remember)
        return True

    def _item_texts(self, file: BlockFile, plan: Plan) -> dict[int, str]:
        if not plan.tasks:
            return {}
        return {task_id: "".join(file.lines[start:end]) for task_id, (start, end) in self._spans(file, plan).items()}


def _section_sort_key(key: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 10**6 for p in key.split("."))


def _within(key: str | None, ancestor: str) -> bool:
    return key is not None and (key == ancestor or key.startswith(ancestor + "."))
