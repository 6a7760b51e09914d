"""Plain data: plans, tasks, units. No I/O here.

Field names are the ones a plan file and ``--json`` use, so the three stay in step.
"""

# Every command imports these classes, so what defining them costs is start-up time: no
# ``from __future__ import annotations`` (@dataclass would examine each annotation as a string),
# and the field-wise ``==`` and repr come from one base class instead of code that @dataclass
# generates and compiles for each class at every start.
import datetime as _dt
from dataclasses import dataclass, field
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
    """``==`` and repr as @dataclass makes them: the same class and equal fields, in order."""

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


@dataclass(eq=False, repr=False)
class Progress(_Record):
    """A dated note of work done on a task (by a unit, written by a person)."""

    date: _dt.date
    note: str
    unit: str | None = None
    by: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "unit": self.unit, "by": self.by, "note": self.note}


@dataclass(eq=False, repr=False)
class Section(_Record):
    """A heading of the document: key "1" for 一、, "1.2" for its (二), and so on."""

    key: str
    title: str
    number: str | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}" if self.number else self.title

    @property
    def parent_key(self) -> str | None:
        return self.key.rpartition(".")[0] or None


@dataclass(eq=False, repr=False)
class Task(_Record):
    """One task of a plan; ``line`` is where its block starts in the plan file."""

    plan: str
    id: int
    text: str
    number: str | None = None
    section: str | None = None
    units: list[UnitRef] = field(default_factory=list)
    units_text: str | None = None
    deadline: list[str] = field(default_factory=list)
    state: str = "open"
    closed: _dt.date | None = None
    note: str | None = None
    evidence: list[str] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    line: int | None = None

    @property
    def full_id(self) -> str:
        return f"{self.plan}/{self.id}"

    def units_with_role(self, role: str) -> list[str]:
        return [u.name for u in self.units if u.role == role]

    @property
    def last_progress(self) -> _dt.date | None:
        return max((p.date for p in self.progress), default=None)

    @property
    def deadline_text(self) -> str | None:
        return ",".join(self.deadline) if self.deadline else None


@dataclass(eq=False, repr=False)
class Plan(_Record):
    """One plan file: the document's header, its headings and its tasks."""

    id: str
    year: int
    title: str
    issuer: str | None = None
    doc_number: str | None = None
    issued: _dt.date | None = None
    source: str | None = None
    # Who carries out tasks that name no unit: the issuing body, as the plan says.
    owner: str | None = None
    # Hash of the document it was imported from: the same document is not imported twice.
    source_hash: str | None = None
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    path: str | None = None

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


@dataclass(eq=False, repr=False)
class Unit(_Record):
    """A unit of the registry, with the other names documents use for it."""

    name: str
    aliases: list[str] = field(default_factory=list)
    # For a collective (各有关单位, 各村(社区)): "all", or the member unit names.
    members: list[str] | str | None = None

    @property
    def is_collective(self) -> bool:
        return self.members is not None


@dataclass(eq=False, repr=False)
class Person(_Record):
    """Someone listed in the registry: the units they write for, or the office role."""

    email: str
    name: str | None = None
    units: list[str] = field(default_factory=list)
    role: str | None = None  # "office" may change everything


@dataclass(eq=False, repr=False)
class Registry(_Record):
    """units.yaml: the units and, optionally, the people who may change plans."""

    units: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    path: str | None = None
