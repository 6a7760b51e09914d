"""The schema of gktrack's files, declared once: plans, sections, tasks, progress entries, and the
units registry.

Each record is a dataclass whose fields are the keys of the file, in the file's order, and each
field carries its description in ``metadata`` (see ``Spec``): Chinese label, value kind, whether
it is required, how the merge driver merges it. The plan-file reader and writer, ``validate``, the
cache, ``--json``, the JSON Schema for editors, the merge driver, the exports and the report all
read their keys and labels from here (``fields_of``), so a field added here is added everywhere.

Every field has a default, so a record is built by keyword in code and positionally, in file
order, from the cache. Plain data only: no I/O, no printing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from typing import Any, NamedTuple

SCHEMA_VERSION = 1
# A plan id: letters, digits, - and _, not starting with - or _ (also the file name, <id>.yaml).
PLAN_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"

ROLE_LABELS = {"lead": "牵头", "support": "配合", "responsible": "负责"}
ROLES = tuple(ROLE_LABELS)
YEARS = range(1949, 2201)  # the years a plan may be for
STATE_LABELS = {"open": "未完成", "done": "已完成"}
STATES = tuple(STATE_LABELS)


def role_label(role: str | None, via: str | None = None) -> str:
    """A unit's role in a task in words: 牵头, 配合, 负责, or 负责(经各镇街) for a member of a
    listed collective; "" for none."""
    if role is None:
        return ""
    label = ROLE_LABELS.get(role, role)
    return f"{label}(经{via})" if via else label


# Value kinds a field may have (``Spec.kind``); the reader checks and converts by kind:
#   int      an integer
#   year     a year in YEARS
#   text     one line or more of text
#   texts    a text or a list of texts (a deadline cell may hold two phrases)
#   names    a list of names (units, links), written as a flow list [a, b]
#   date     a calendar date, 2024-06-30
#   state    one of STATES
#   plan_id  PLAN_ID_PATTERN
#   records  a list of nested records (``Spec.record``)
#   members  a collective's members: "all" or a list of names
#   role     a person's role: office or unit
# How the merge driver combines two sides' changes to a field (``Spec.merge``):
#   value    three-way: a side's change wins; both changed differently is a conflict
#   set      lists merged as sets: what either side added is kept, what either removed goes
#   entries  progress entries: both sides' new entries kept, ordered by date
#   records  a list of records with a key (parts by unit): each record merged field by field
#   key      identifies the record; never merged


class Spec(NamedTuple):
    """What the schema says of one field (kept in the dataclass field's ``metadata``)."""

    label: str               # Chinese, for messages, exports and the report
    kind: str                # one of the kinds above
    required: bool = False
    merge: str = "value"     # how the merge driver merges it (above)
    doc: str | None = None   # a longer description (JSON Schema, editors)
    record: str | None = None  # for kind "records": the record class name
    stored: bool = True      # False: model-only (where it came from), never in the file


def spec(label: str, kind: str, *, default: Any = MISSING, factory: Any = MISSING, **more: Any) -> Any:
    """A dataclass field described by ``Spec(label, kind, **more)``."""
    return field(default=default, default_factory=factory, metadata={"spec": Spec(label, kind, **more)})


def local(default: Any = None) -> Any:
    """A model-only field: where a record came from (plan id, file, line); never written."""
    return field(default=default, compare=False, repr=False,
                 metadata={"spec": Spec("", "text", stored=False)})


@cache
def fields_of(cls: type) -> tuple:
    """The stored fields of a record class, in file order: (name, Spec) pairs."""
    return tuple((f.name, f.metadata["spec"]) for f in fields(cls) if f.metadata.get("spec", Spec("", "")).stored)


def keys_of(cls: type) -> tuple[str, ...]:
    return tuple(name for name, _ in fields_of(cls))


def label_of(cls: type, key: str) -> str:
    return dict(fields_of(cls))[key].label


# --- plans ------------------------------------------------------------------------------------


class UnitRef(NamedTuple):
    """A unit named on a task, with its role (lead / support / responsible)."""

    name: str
    role: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


@dataclass(slots=True)
class Progress:
    """A dated note of work done on a task (by a unit, written by a person)."""

    date: dt.date = spec("工作日期", "date", required=True, default=None)
    unit: str | None = spec("记录进展的单位", "text", default=None)
    by: str | None = spec("记录人", "text", default=None)
    note: str = spec("进展内容", "text", default="")


@dataclass(slots=True)
class Part:
    """A unit's own part of a task given to several units (分工): the unit reports on it and closes
    it (销号) itself. Written only once something happened to it; until then a part is open,
    or done when the whole task was closed."""

    unit: str = spec("单位", "text", required=True, merge="key", default="")
    state: str = spec("状态", "state", default="open")
    closed: dt.date | None = spec("完成日期", "date", default=None)
    note: str | None = spec("完成情况", "text", default=None)
    evidence: list[str] = spec("佐证材料", "names", factory=list, merge="set")


@dataclass(slots=True)
class Section:
    """A heading of the document: key "1" for 一、, "1.2" for its (二), and so on."""

    key: str = spec("章节编号", "text", required=True, merge="key", default="",
                    doc="章节编号:一、为 '1',其下(二)为 '1.2'")
    number: str | None = spec("文中序号", "text", default=None, doc="文中序号,如 一、 或 (二)")
    title: str = spec("章节标题", "text", required=True, default="")

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}" if self.number else self.title

    @property
    def parent_key(self) -> str | None:
        return self.key.rpartition(".")[0] or None


@dataclass(slots=True)
class Task:
    """One task of a plan: one block of lines in the plan file."""

    id: int = spec("编号", "int", required=True, merge="key", default=0,
                   doc="任务编号(稳定,不随顺序变化);任务引用写作 计划/编号")
    number: str | None = spec("文中序号", "text", default=None, doc="文中序号,如 3.")
    section: str | None = spec("章节", "text", default=None, doc="所属章节的 key,如 '1.2'")
    text: str = spec("任务内容", "text", required=True, default="")
    lead: list[str] = spec("牵头单位", "names", factory=list, merge="set")
    support: list[str] = spec("配合单位", "names", factory=list, merge="set")
    responsible: list[str] = spec("责任单位", "names", factory=list, merge="set")
    units_text: str | None = spec("责任单位原文", "text", default=None, doc="原文中的责任单位写法")
    deadline: list[str] = spec("时限要求", "texts", factory=list,
                               doc="时限要求,照原文写,如 6月底前、每季度;多个时写成列表")
    state: str = spec("状态", "state", default="open")
    closed: dt.date | None = spec("完成日期", "date", default=None)
    note: str | None = spec("完成情况", "text", default=None, doc="完成情况说明")
    evidence: list[str] = spec("佐证材料", "names", factory=list, merge="set", doc="佐证材料,如信息公开的网址")
    parts: list[Part] = spec("各单位完成情况", "records", factory=list, merge="records", record="Part",
                             doc="任务分给几个单位时,各单位自己那一部分的完成情况(按单位记录)")
    progress: list[Progress] = spec("进展记录", "records", factory=list, merge="entries", record="Progress")
    plan: str = local("")          # the plan's id
    line: int | None = local()     # where the task's block starts in the plan file

    @property
    def full_id(self) -> str:
        return f"{self.plan}/{self.id}"

    @property
    def units(self) -> list[UnitRef]:
        return [UnitRef(name, role) for role in ROLES for name in getattr(self, role)]

    def set_units(self, refs: list[UnitRef]) -> None:
        for role in ROLES:
            setattr(self, role, [r.name for r in refs if r.role == role])

    def part(self, unit: str) -> Part | None:
        """The recorded part of ``unit`` (a canonical name), if any."""
        for part in self.parts:
            if part.unit == unit:
                return part
        return None

    @property
    def last_progress(self) -> dt.date | None:
        return max([p.date for p in self.progress]) if self.progress else None

    @property
    def deadline_text(self) -> str | None:
        return ",".join(self.deadline) if self.deadline else None


@dataclass(slots=True)
class Plan:
    """One plan file: the document's header, its headings and its tasks."""

    schema: int = spec("文件格式版本", "int", default=SCHEMA_VERSION)
    id: str = spec("计划编号", "plan_id", required=True, default="", doc="计划编号,与文件名一致,如 hl2022")
    year: int = spec("年度", "year", required=True, default=0, doc="计划年度")
    title: str = spec("标题", "text", required=True, default="", doc="计划标题")
    issuer: str | None = spec("发文单位", "text", default=None)
    doc_number: str | None = spec("文号", "text", default=None, doc="文号,如 新府办发〔2024〕30号")
    issued: dt.date | None = spec("印发日期", "date", default=None)
    source: str | None = spec("原文地址", "text", default=None)
    owner: str | None = spec("默认责任单位", "text", default=None,
                             doc="未写明责任单位的任务由谁负责(通常为发文单位)")
    source_hash: str | None = spec("原文哈希", "text", default=None,
                                   doc="导入时原文件的哈希(同一文件不重复导入)")
    sections: list[Section] = spec("章节", "records", factory=list, record="Section", doc="章节(一、/(一))")
    tasks: list[Task] = spec("任务", "records", factory=list, record="Task", doc="任务;每项一个段落,以空行分隔")
    path: str | None = local()     # the file, as messages name it

    def section_by_key(self) -> dict[str, Section]:
        return {s.key: s for s in self.sections}

    def section_path(self, key: str | None) -> list[Section]:
        """The headings from the top of the document down to ``key``."""
        if not key:
            return []
        by_key = self.section_by_key()
        parts = key.split(".")
        chain = [by_key.get(".".join(parts[:depth])) for depth in range(1, len(parts) + 1)]
        return [s for s in chain if s is not None]

    def task(self, task_id: int) -> Task | None:
        return next((task for task in self.tasks if task.id == task_id), None)

    def next_task_id(self) -> int:
        return max((t.id for t in self.tasks), default=0) + 1


# --- the units registry -------------------------------------------------------------------------


@dataclass(slots=True)
class Unit:
    """A unit of the registry, with the other names documents use for it."""

    name: str = spec("单位名称", "text", required=True, merge="key", default="", doc="单位规范名称")
    aliases: list[str] = spec("别名", "names", factory=list, merge="set", doc="别名(简称、旧名)")
    is_collective = False  # a class attribute, not a field


@dataclass(slots=True)
class Collective(Unit):
    """A group of units documents name as one (各有关单位, 各村(社区)): "all", or its members."""

    members: list[str] | str = spec("成员单位", "members", factory=list, merge="set",
                                    doc="成员单位;all 表示名册中的所有单位")
    is_collective = True


@dataclass(slots=True)
class Person:
    """Someone listed in the registry: the units they write for, or the office role."""

    email: str = spec("邮箱", "text", required=True, merge="key", default="", doc="git 提交所用的邮箱")
    name: str | None = spec("姓名", "text", default=None)
    units: list[str] = spec("所属单位", "names", factory=list, merge="set")
    role: str | None = spec("角色", "role", default=None,
                            doc="office 政务公开办(可修改一切);unit 单位联络人")


@dataclass(slots=True)
class Registry:
    """units.yaml: the units, the collectives and, optionally, the people who may change plans."""

    schema: int = spec("文件格式版本", "int", default=SCHEMA_VERSION)
    units: list[Unit] = spec("单位", "records", factory=list, record="Unit")
    collectives: list[Collective] = spec("集体", "records", factory=list, record="Collective",
                                         doc="集体(各有关单位、各村(社区))")
    people: list[Person] = spec("人员", "records", factory=list, record="Person",
                                doc="人员与单位的对应(用于权限)")
    path: str | None = local()

    @property
    def all_units(self) -> list[Unit]:
        return [*self.units, *self.collectives]


RECORDS: dict[str, type] = {cls.__name__: cls for cls in
                            (Progress, Part, Section, Task, Plan, Unit, Collective, Person, Registry)}


def to_data(record: Any) -> dict[str, Any]:
    """A record's stored fields as plain data (dates as ISO text): what ``--json`` builds on."""
    out: dict[str, Any] = {}
    for name, spec in fields_of(type(record)):
        value = getattr(record, name)
        if spec.kind == "records":
            value = [to_data(item) for item in value]
        elif spec.kind == "date":
            value = value.isoformat() if isinstance(value, dt.date) else value
        elif value.__class__ is list:
            value = list(value)
        out[name] = value
    return out
