"""Plain data: plans, tasks, units. No I/O here.

Field names are the ones a plan file and ``--json`` use, so the three stay in step.
"""

# Every command imports these classes, so what defining them costs is start-up time: @dataclass
# generates the source of each class's methods and compiles it at every start (≈ 1 M instructions
# a method: 21 M for these classes, ≈ 6 % of a `close`). So each class writes its __init__ out,
# the field-wise ``==`` and repr come from one base class, and @dataclass is kept, generating
# nothing, only where ``dataclasses.replace`` copies (Task, Plan). No ``from __future__ import
# annotations`` either: @dataclass would examine each annotation as a string.
import datetime as _dt
from dataclasses import dataclass
from typing import Any, NamedTuple

SCHEMA_VERSION = 1
# A plan id: letters, digits, - and _, not starting with - or _ (also the file name, <id>.yaml).
PLAN_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
# Loaded YAML mappings carry the line they start on under this key, for messages (file:line).
LINE_KEY = "__line__"

ROLES = ("lead", "support", "responsible")
ROLE_LABELS = {"lead": "牵头", "support": "配合", "responsible": "负责"}
STATES = ("open", "done")
STATE_LABELS = {"open": "未完成", "done": "已完成"}


class _Record:
    """``==`` and repr as @dataclass makes them, over the fields named in ``__match_args__``:
    the same class and equal fields, in order."""

    __slots__ = ()
    __hash__ = None  # mutable: like a dataclass with eq, not hashable

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__match_args__)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__qualname__}({fields})"


class UnitRef(NamedTuple):
    """A unit named on a task, with its role (lead / support / responsible)."""

    name: str
    role: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role}


class Progress(_Record):
    """A dated note of work done on a task (by a unit, written by a person)."""

    __match_args__ = ("date", "note", "unit", "by")
    date: _dt.date
    note: str
    unit: str | None
    by: str | None

    def __init__(self, date: _dt.date, note: str, unit: str | None = None, by: str | None = None):
        self.date, self.note, self.unit, self.by = date, note, unit, by

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "unit": self.unit, "by": self.by, "note": self.note}


class Section(_Record):
    """A heading of the document: key "1" for 一、, "1.2" for its (二), and so on."""

    __match_args__ = ("key", "title", "number")
    key: str
    title: str
    number: str | None

    def __init__(self, key: str, title: str, number: str | None = None):
        self.key, self.title, self.number = key, title, number

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}" if self.number else self.title

    @property
    def parent_key(self) -> str | None:
        return self.key.rpartition(".")[0] or None


@dataclass(init=False, eq=False, repr=False)
class Task(_Record):
    """One task of a plan; ``line`` is where its block starts in the plan file."""

    plan: str
    id: int
    text: str
    number: str | None
    section: str | None
    units: list[UnitRef]
    units_text: str | None
    deadline: list[str]
    state: str
    closed: _dt.date | None
    note: str | None
    evidence: list[str]
    progress: list[Progress]
    line: int | None

    def __init__(self, plan: str, id: int, text: str, number: str | None = None, section: str | None = None,
                 units: list[UnitRef] | None = None, units_text: str | None = None,
                 deadline: list[str] | None = None, state: str = "open", closed: _dt.date | None = None,
                 note: str | None = None, evidence: list[str] | None = None,
                 progress: list[Progress] | None = None, line: int | None = None):
        self.plan, self.id, self.text, self.number, self.section = plan, id, text, number, section
        self.units = [] if units is None else units
        self.units_text = units_text
        self.deadline = [] if deadline is None else deadline
        self.state, self.closed, self.note = state, closed, note
        self.evidence = [] if evidence is None else evidence
        self.progress = [] if progress is None else progress
        self.line = line

    @property
    def full_id(self) -> str:
        return f"{self.plan}/{self.id}"

    def units_with_role(self, role: str) -> list[str]:
        return [u.name for u in self.units if u.role == role]

    @property
    def last_progress(self) -> _dt.date | None:
        # a list, not a generator: status asks this of every task of a city
        return max([p.date for p in self.progress]) if self.progress else None

    @property
    def deadline_text(self) -> str | None:
        return ",".join(self.deadline) if self.deadline else None


@dataclass(init=False, eq=False, repr=False)
class Plan(_Record):
    """One plan file: the document's header, its headings and its tasks."""

    id: str
    year: int
    title: str
    issuer: str | None
    doc_number: str | None
    issued: _dt.date | None
    source: str | None
    # Who carries out tasks that name no unit: the issuing body, as the plan says.
    owner: str | None
    # Hash of the document it was imported from: the same document is not imported twice.
    source_hash: str | None
    sections: list[Section]
    tasks: list[Task]
    path: str | None

    def __init__(self, id: str, year: int, title: str, issuer: str | None = None, doc_number: str | None = None,
                 issued: _dt.date | None = None, source: str | None = None, owner: str | None = None,
                 source_hash: str | None = None, sections: list[Section] | None = None,
                 tasks: list[Task] | None = None, path: str | None = None):
        self.id, self.year, self.title, self.issuer, self.doc_number = id, year, title, issuer, doc_number
        self.issued, self.source, self.owner, self.source_hash = issued, source, owner, source_hash
        self.sections = [] if sections is None else sections
        self.tasks = [] if tasks is None else tasks
        self.path = path

    def section_by_key(self) -> dict[str, Section]:
        return {s.key: s for s in self.sections}

    def section_path(self, key: str | None) -> list[Section]:
        """The headings from the top of the document down to ``key``."""
        if not key:
            return []
        by_key = self.section_by_key()
        chain: list[Section] = []
        parts = key.split(".")
        for depth in range(1, len(parts) + 1):
            section = by_key.get(".".join(parts[:depth]))
            if section is not None:
                chain.append(section)
        return chain

    def task(self, task_id: int) -> Task | None:
        for task in self.tasks:
            if task.id == task_id:
                return task
        return None

    def next_task_id(self) -> int:
        return max((t.id for t in self.tasks), default=0) + 1


class Unit(_Record):
    """A unit of the registry, with the other names documents use for it."""

    __match_args__ = ("name", "aliases", "members")
    name: str
    aliases: list[str]
    # For a collective (各有关单位, 各村(社区)): "all", or the member unit names.
    members: list[str] | str | None

    def __init__(self, name: str, aliases: list[str] | None = None, members: list[str] | str | None = None):
        self.name, self.aliases, self.members = name, [] if aliases is None else aliases, members

    @property
    def is_collective(self) -> bool:
        return self.members is not None


class Person(_Record):
    """Someone listed in the registry: the units they write for, or the office role."""

    __match_args__ = ("email", "name", "units", "role")
    email: str
    name: str | None
    units: list[str]
    role: str | None  # "office" may change everything

    def __init__(self, email: str, name: str | None = None, units: list[str] | None = None,
                 role: str | None = None):
        self.email, self.name, self.units, self.role = email, name, [] if units is None else units, role


class Registry(_Record):
    """units.yaml: the units and, optionally, the people who may change plans."""

    __match_args__ = ("units", "people", "path")
    units: list[Unit]
    people: list[Person]
    path: str | None

    def __init__(self, units: list[Unit] | None = None, people: list[Person] | None = None,
                 path: str | None = None):
        self.units = [] if units is None else units
        self.people = [] if people is None else people
        self.path = path
