"""One pass over the history, newest to oldest: who closed each done task, the commit that added
each task, the closes and reopens of the period, the hand edits of the period with what they
changed, and what the audit counts of each commit of the period.

A gktrack task command names its task in a trailer and is taken at its word. Any other commit
that changed a plan file is judged by comparing the file before and after it, task by task
(``gktrack.storage.history.plan_diffs``, remembered in the index by the two blob ids), where
that can matter: within the period, or on a plan the report covers (a done task's closing
commit may be older than the period).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from gktrack.domain.model import Plan
from gktrack.features.report.data import BEIJING, CommitRef, HandEdit, StateEvent, start_of_day
from gktrack.storage import git, history
from gktrack.storage.registry import REGISTRY_FILE
from gktrack.storage.repo import plan_id_of, plan_rel


class PeriodCommit(NamedTuple):
    """A commit of the period, as the audit counts it (``count.fill_audit``): kept instead of the
    commit, so that the history's records are let go before the report's task rows are made."""

    sha: str
    author: str
    email: str
    committer: str
    committer_email: str
    authored: dt.datetime  # Beijing time
    action: str | None
    claimed: str | None
    files: list[str]
    # the tasks it changed, each with the units whose parts alone the change concerns (none: the
    # task as a whole): a gktrack command's by its Gktrack-Unit, a hand edit's by what it changed
    tasks: dict[str, tuple[str, ...]]


@dataclass
class Walk:
    closing: dict[str, CommitRef] = field(default_factory=dict)  # task -> the commit that last closed it
    events: dict[str, list[StateEvent]] = field(default_factory=dict)  # within the period, oldest first
    commits: list[PeriodCommit] = field(default_factory=list)  # of the period, with changes, oldest first
    hand_edits: list[HandEdit] = field(default_factory=list)  # within the period, oldest first
    history_before: bool = False  # some commit precedes the period (else last year was reconstructed)
    # task -> the commit that added it (the latest, if it was deleted and added again): a task
    # command's by its trailers, any other's from the diffs read anyway for the reported plans.
    added: dict[str, CommitRef] = field(default_factory=dict)


def walk_history(repo, commits: list, plans: list[Plan], year: int, start: dt.date, cutoff: dt.datetime,
                 progress: Callable[[str, int, int], None]) -> Walk:
    """The facts above from ``commits`` (``history.start_log_changes``, children first)."""
    walk = Walk()
    begin = start_of_day(start)
    relevant = {plan_rel(p.id) for p in plans}
    pending: dict[str, set[str]] = {}  # plan file -> done tasks whose closing commit is not yet found
    # A unit's close of its own part (its record in ``parts``) of a task the office closed as a whole,
    # made just before or after that close, did not close the task.
    part_closers: dict[str, set[str]] = {}
    for p in plans:
        for t in p.tasks:
            if t.state == "done" and (p.year == year or t.closed is None or t.closed >= start):
                pending.setdefault(plan_rel(p.id), set()).add(t.full_id)
                part_closers[t.full_id] = {part.unit for part in t.parts}
    waiting = sum(len(v) for v in pending.values())
    diffs = history.plan_diffs(
        repo, [change for commit in commits if _compared(commit) for change in commit.changes
               if plan_id_of(change.path) and (_in_period(commit, begin, cutoff) or change.path in relevant)],
        progress=lambda done, total: progress("比较手工修改", done, total))
    events: list[StateEvent] = []
    hand: list[HandEdit] = []
    period: list[PeriodCommit] = []

    def resolved(ref: str, ref_commit: CommitRef) -> None:
        nonlocal waiting
        found = pending.get(plan_rel(ref.rpartition('/')[0]))
        if found and ref in found:
            walk.closing[ref] = ref_commit
            found.discard(ref)
            waiting -= 1

    for n, commit in enumerate(commits):
        if not n % 2000:
            progress("读取修改记录", n, len(commits))
        in_period = _in_period(commit, begin, cutoff)
        if commit.committed < begin:
            walk.history_before = True
        if not (commit.trusted or commit.changes):
            continue
        action = commit.action
        if commit.trusted and action == "add":
            walk.added.setdefault(commit.task, CommitRef.of(commit))
        if not in_period and not waiting and commit.trusted:
            continue
        touched: dict[str, tuple[str, ...]] = {}
        if commit.trusted:
            touched[commit.task] = tuple(commit.units)
            if action in ("close", "reopen"):
                ref_commit = CommitRef.of(commit)
                if action == "close" and commit.unit not in part_closers.get(commit.task, ()):
                    resolved(commit.task, ref_commit)
                if in_period:
                    events.append(StateEvent(commit.task, action, _work_date(commit), ref_commit))
        elif _compared(commit):
            ref_commit = CommitRef.of(commit)
            phrases: list[str] = []
            for change in commit.changes:
                plan_id = plan_id_of(change.path)
                if not (in_period or change.path in relevant):
                    continue
                if plan_id is None:
                    phrases.append(_other_file_change(change))
                    continue
                diff = diffs[change]
                phrases += diff.phrases
                for task in diff.tasks:
                    ref = f"{plan_id}/{task.task_id}"
                    touched[ref] = task.units if action in history.HAND_ACTIONS else tuple(commit.units)
                    if task.old_state is None and task.new_state is not None:
                        walk.added.setdefault(ref, ref_commit)
                    if task.new_state == "done" and task.old_state != "done":
                        undo = action == "undo"  # an undone reopen: the close it brings back is older
                        if not undo:
                            resolved(ref, ref_commit)
                        if in_period:
                            day = ref_commit.date.date() if undo else task.closed or ref_commit.date.date()
                            events.append(StateEvent(ref, "close", day, ref_commit))
                    elif task.old_state == "done" and task.new_state == "open" and in_period:
                        events.append(StateEvent(ref, "reopen", ref_commit.date.date(), ref_commit))
            if in_period and action in history.HAND_ACTIONS:
                hand.append(HandEdit(ref_commit, [c.path for c in commit.changes], phrases or ["内容无实质变化"]))
        if in_period:
            period.append(PeriodCommit(
                commit.sha, commit.author, commit.email, commit.committer, commit.committer_email,
                commit.authored.astimezone(BEIJING), action, commit.claimed, commit.files, touched))
    for event in reversed(events):
        walk.events.setdefault(event.ref, []).append(event)
    walk.hand_edits = list(reversed(hand))
    walk.commits = list(reversed(period))
    return walk


def _in_period(commit, begin: dt.datetime, cutoff: dt.datetime) -> bool:
    """Whether the commit was made in the period: by its author date, when the person made the
    change (kept by rebase and sync), as ``log`` shows it; the audit's months and people go by it."""
    return begin <= commit.authored <= cutoff


def _compared(commit) -> bool:
    """A commit whose effect on tasks is read from the files (not a merge, no trailers to trust)."""
    return not commit.trusted and bool(commit.changes) and commit.action not in history.NO_TASK_ACTIONS


def _work_date(commit) -> dt.date:
    recorded = commit.trailers.get(git.TRAILER_DATE)
    if recorded:
        try:
            return dt.date.fromisoformat(recorded)
        except ValueError:
            pass
    return commit.authored.astimezone(BEIJING).date()


def _other_file_change(change) -> str:
    verb = {"A": "新增", "D": "删除"}.get(change.status, "修改")
    if change.path == REGISTRY_FILE:
        return f"{verb}单位名册 {REGISTRY_FILE}"
    return f"{verb}文件 {change.path}"
