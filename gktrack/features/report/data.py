"""The annual report's data: plain records that ``build`` fills in and ``markdown``/``jsondata`` print.

Nothing here reads the repository or the clock. A task's standing is its ``Assessment`` by the
one rule (``gktrack.domain.deadlines.assess``); the categories and their labels are that
module's ``CATEGORIES`` and ``CATEGORY_LABELS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from gktrack.domain.actions import made_by
from gktrack.domain.deadlines import CATEGORIES, Assessment
from gktrack.domain.model import Plan, Progress, Task, UnitRef
from gktrack.storage.history import HAND_ACTIONS
from gktrack.storage.reader import Problem

# The only legal time in China: every cut-off and date in the report is Beijing time.
BEIJING = dt.timezone(dt.timedelta(hours=8))
DONE = ("on_time", "late")
SHORT = 8  # characters of a commit id as the report cites it


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), BEIJING)


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), BEIJING)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class CommitRef:
    """The commit behind a fact, as the report cites it."""

    sha: str
    author: str
    email: str
    date: dt.datetime  # author date, Beijing time
    action: str | None
    committed: dt.datetime  # commit date, Beijing time: what the cut-off goes by
    # The unit the commit acted for (Gktrack-Unit): for a progress form, the unit that filled it in.
    unit: str | None = None
    committer: str = ""  # who ran git; the author is in whose name (``--by``)
    committer_email: str = ""
    claimed: str | None = None  # the action its trailer names, true or not (``action`` is what it is)

    @classmethod
    def of(cls, commit) -> "CommitRef":
        """A ``gktrack.storage.history.Commit`` as the report cites it."""
        return cls(commit.sha, commit.author, commit.email, commit.authored.astimezone(BEIJING), commit.action,
                   commit.committed.astimezone(BEIJING), commit.unit, commit.committer, commit.committer_email,
                   commit.claimed)

    @property
    def short(self) -> str:
        return self.sha[:SHORT]

    @property
    def hand_edit(self) -> bool:
        return self.action in HAND_ACTIONS

    @property
    def mismatched(self) -> bool:
        """Its trailers claim an action its content is not: a hand edit dressed as gktrack's."""
        return self.action is None and self.claimed is not None

    @property
    def who(self) -> str:
        """The author, and the committer where that is someone else (王五(提交者:李四))."""
        return made_by(self.author, self.email, self.committer, self.committer_email)

    def to_json(self) -> dict:
        return {"commit": self.sha, "author": self.author, "email": self.email,
                "committer": self.committer, "committer_email": self.committer_email,
                "date": self.date.isoformat(),
                "committed": self.committed.isoformat(),
                "action": self.action, "claimed_action": self.claimed, "unit": self.unit,
                "hand_edit": self.hand_edit}


@dataclass(frozen=True)
class StateEvent:
    """A task closed or reopened during the period."""

    ref: str
    kind: str  # "close" | "reopen"
    date: dt.date  # the work date the commit recorded, else its author date
    commit: CommitRef

    def to_json(self) -> dict:
        return {"task": self.ref, "kind": self.kind, "date": self.date.isoformat(), "commit": self.commit.to_json()}


class EarlyDate(NamedTuple):
    """A recorded date before the task was added to its plan: a closing ("closed", of the whole
    task or of ``unit``'s part) or a progress entry ("progress", by ``unit``)."""

    kind: str
    date: dt.date
    unit: str | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "date": self.date.isoformat(), "unit": self.unit}


@dataclass(slots=True)
class TaskReport:
    """One task at the cut-off: its standing by the one rule, and what history says of it."""

    plan: Plan
    task: Task  # as the cut-off commit holds it (a closing recorded after the cut-off undone)
    carried_over: bool
    assessment: Assessment
    deadlines: tuple  # gktrack.domain.deadlines.Deadline
    units: list[UnitRef]
    days_late: int | None = None  # counted to the closing date, or for an open task to the cut-off day
    closed: dt.date | None = None
    closing: CommitRef | None = None
    progress: list[Progress] = field(default_factory=list)  # entries dated within the period
    events: list[StateEvent] = field(default_factory=list)
    parts: list = field(default_factory=list)  # gktrack.domain.parts.PartRow: each unit's part at the cut-off
    added: CommitRef | None = None  # the commit that added the task, when the history shows it
    early: list[EarlyDate] = field(default_factory=list)  # dates recorded before ``added``: to check
    supporting: bool = False  # a unit's report: the unit only supports the task (listed, not counted)
    # Read again and again while counting and writing: kept as plain attributes.
    ref: str = field(init=False)
    category: str = field(init=False)  # the assessment's
    due: dt.date | None = field(init=False)  # the assessment's: the deadline that decided

    def __post_init__(self) -> None:
        self.ref = self.task.full_id
        self.category = self.assessment.category
        self.due = self.assessment.due

    @property
    def done(self) -> bool:
        return self.category in DONE

    @property
    def missed_periods(self) -> tuple:
        return self.assessment.missed_periods

    @property
    def period_gaps(self) -> tuple:
        """Periods without progress worth naming: none for a task with no progress at all (未见进展)."""
        return () if self.category == "no_progress" else self.missed_periods

    @property
    def unknown_deadline(self) -> bool:
        """Not judged: no date to judge by, only a phrase that cannot be read."""
        return self.due is None and any(d.kind == "unknown" for d in self.deadlines)

    @property
    def told_events(self) -> list[tuple[str, StateEvent]]:
        """The reopens and the undos of the period, each with how the report names it: an undo takes
        back a mistake, a close (撤销关闭) or a reopen (撤销重新打开), which is not reopening the work."""
        labels = {("reopen", False): "重新打开", ("reopen", True): "撤销关闭", ("close", True): "撤销重新打开"}
        found = ((labels.get((e.kind, e.commit.action == "undo")), e) for e in self.events)
        return [(label, e) for label, e in found if label]

    @property
    def reopened_for_work(self) -> bool:
        """Reopened because the work was not done, and not taken back by an undo."""
        told = [label for label, _ in self.told_events]
        return any(label == "重新打开" and told[i + 1:i + 2] != ["撤销重新打开"] for i, label in enumerate(told))

    @property
    def closed_by_hand(self) -> bool:
        """Marked done by a commit gktrack neither made nor checked (a plain git commit, or trailers
        its content does not fit): nothing vouches for the closing but the file."""
        return self.done and self.closing is not None and self.closing.action is None

    @property
    def recurring(self) -> bool:
        return any(d.kind == "recurring" for d in self.deadlines)


@dataclass
class Counts:
    """Tasks by category."""

    by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    def add(self, category: str) -> None:
        self.by[category] += 1

    def __getitem__(self, category: str) -> int:
        return self.by[category]

    @property
    def total(self) -> int:
        return sum(self.by.values())

    @property
    def done(self) -> int:
        return self.by["on_time"] + self.by["late"]

    @property
    def not_done(self) -> int:
        return self.by["overdue"] + self.by["no_progress"] + self.by["open"]

    @property
    def missed(self) -> int:
        return self.by["late"] + self.by["overdue"]

    @property
    def rate(self) -> float | None:
        """Done ÷ tasks that can be done: 持续推进 tasks with progress have no finish line; one
        without any progress in the year (未见进展) is counted as not done."""
        base = self.total - self.by["ongoing"]
        return self.done / base if base else None

    def to_json(self) -> dict:
        return {**self.by, "total": self.total, "done": self.done,
                "rate": None if self.rate is None else round(self.rate, 4)}


@dataclass
class SectionSummary:
    key: str | None
    heading: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class PlanReport:
    plan: Plan
    carried_over: bool  # an earlier year's plan: only its tasks still owed during the period
    tasks: list[TaskReport] = field(default_factory=list)
    sections: list[SectionSummary] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


@dataclass
class UnitStats:
    """One unit's parts (its own, and those it has as a listed collective's member), by category;
    the tasks it supports; the progress entries it recorded in the period."""

    name: str
    lead: int = 0
    support: int = 0
    responsible: int = 0
    progress: int = 0
    counts: Counts = field(default_factory=Counts)

    def to_json(self) -> dict:
        # the table's 逾期 and 未完成 columns are "missed" and "not_done"; "late" is the category
        # (done late), as in every other count of the report
        return {"unit": self.name, "lead": self.lead, "support": self.support,
                "responsible": self.responsible, "progress": self.progress, **self.counts.to_json(),
                "missed": self.counts.missed, "not_done": self.counts.not_done}


@dataclass
class HandEdit:
    commit: CommitRef
    files: list[str]
    changes: list[str]  # one Chinese phrase per change, e.g. "p2022/5 状态 未完成→已完成"

    def to_json(self) -> dict:
        return {**self.commit.to_json(), "files": self.files, "changes": self.changes}


@dataclass
class PersonStats:
    """The changes made in one person's name (the author), counted apart for each other person
    who committed them (a committer that is not the author: ``--by``, or a forged name)."""

    name: str
    email: str
    committer: str | None = None  # None: committed by the author
    committer_email: str | None = None
    commits: int = 0
    hand_edits: int = 0
    closes: int = 0
    progress: int = 0

    @property
    def who(self) -> str:
        return made_by(self.name, self.email, self.committer, self.committer_email)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class MonthStats:
    month: str  # YYYY-MM
    commits: int = 0
    hand_edits: int = 0
    closed_on_time: int = 0  # tasks closed that month (by their closing date)
    closed_late: int = 0

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Audit:
    commits: int = 0
    tool: int = 0
    hand_unchecked: int = 0  # plain git commits: no gktrack trailers, or trailers their content does not fit
    hand_checked: int = 0  # gktrack commit-edits
    hand_mismatched: int = 0  # of hand_unchecked: those whose trailers claim a gktrack action
    # tasks counted done whose closing date is before the period (a carried-over task done in
    # December, recorded in January): in the totals, in no month
    closed_before: int = 0
    months: list[MonthStats] = field(default_factory=list)
    people: list[PersonStats] = field(default_factory=list)
    hand_edits: list[HandEdit] = field(default_factory=list)


@dataclass(frozen=True)
class Misdated:
    """A commit dated on or before the cut-off that the history puts after ``after``, a commit
    dated later: its date went backwards (a wrong clock), and it is not part of the state at
    the cut-off."""

    sha: str
    author: str
    committed: dt.datetime  # Beijing time
    after: str
    after_committed: dt.datetime

    @property
    def short(self) -> str:
        return self.sha[:SHORT]

    def to_json(self) -> dict:
        return {"commit": self.sha, "author": self.author, "committed": self.committed.isoformat(),
                "after": self.after, "after_committed": self.after_committed.isoformat()}


@dataclass
class Report:
    year: int
    as_of: dt.date
    start: dt.date
    rev: str
    head: str  # the commit ``rev`` named
    commit: CommitRef | None  # the commit the report is made from
    plan_filter: str | None
    unit_filter: str | None
    plans: list[PlanReport] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    units: list[UnitStats] = field(default_factory=list)
    audit: Audit = field(default_factory=Audit)
    unreadable: list[Problem] = field(default_factory=list)  # plan files or units.yaml, not reported
    # The repository's history begins after the cut-off (gktrack was adopted, or the plans
    # imported, later): the state is worked out from the dates recorded in the files at ``commit``.
    reconstructed: bool = False
    # Reconstructed only: reported tasks whose file records neither a closing nor any progress.
    unrecorded: int = 0
    misdated: list[Misdated] = field(default_factory=list)  # left out of the state: dates went backwards

    @property
    def tasks(self) -> list[TaskReport]:
        return [t for p in self.plans for t in p.tasks]

    @property
    def cutoff(self) -> dt.datetime:
        return end_of_day(self.as_of)
