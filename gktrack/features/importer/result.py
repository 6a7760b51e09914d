"""What the importer finds in a document: plain data, written to a plan file by ``plan``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gktrack.domain.model import UnitRef


@dataclass
class ImportedSection:
    key: str             # "1", "1.2": position among its siblings, from the top of the plan
    number: str | None   # as written: "一、", "(二)"; None for an unnumbered table heading
    title: str
    line: int


@dataclass
class ImportedTask:
    number: str | None      # as in the document: "1.", "(三)", "3、", None for a paragraph or table row
    section: str | None     # key of the innermost heading above it
    text: str               # page markers removed, sentences rejoined, unit phrase taken out
    units: list[UnitRef] = field(default_factory=list)
    units_text: str | None = None   # the unit phrase exactly as written
    deadline: list[str] = field(default_factory=list)  # exactly as written
    deadline_from_text: bool = False  # found in the task's own sentence, not stated as its deadline
    line: int = 0
    status: str | None = None   # a 完成情况 cell: the task's first progress entry


@dataclass
class ImportedPlan:
    title: str | None = None
    year: int | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued: dt.date | None = None
    source: str | None = None
    owner: str | None = None   # carries out the tasks that name no unit: the issuing body
    sections: list[ImportedSection] = field(default_factory=list)
    tasks: list[ImportedTask] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    title_from_file: bool = False   # no title line: the file name stands in for it
    year_from_file: bool = False    # the text names no year: the file name's stands in for it
    no_tasks: str | None = None     # why no task was found ("文中只有印发计划的通知…"), for the user
