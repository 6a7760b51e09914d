"""Whether a commit's content is the change its ``Gktrack-Action`` trailer claims.

Trailers are text anyone can copy into a plain ``git commit``. A commit counts as a gktrack
action only when what it changed fits that action (``domain.actions``: its scope, the task
fields it may change): a commit claiming ``progress`` on p/3 must only add to task 3's progress
entries, in that one plan file. Any other commit is a hand edit. Pure: the facts come in
(gathered by ``storage.history``), a yes or no goes out.
"""

from __future__ import annotations

from dataclasses import dataclass

from gktrack.domain import actions as kinds
from gktrack.domain.model import Registry
from gktrack.storage import git
from gktrack.storage.plandiff import FileDiff
from gktrack.storage.registry import REGISTRY_FILE
from gktrack.storage.repo import plan_id_of, plan_rel

Blobs = tuple[str | None, str | None]  # (before, after); None: no such file


@dataclass
class Seen:
    """What one commit changed."""

    files: dict[str, Blobs]  # every file it changed, to its blobs before and after
    diffs: dict[str, FileDiff]  # each plan file among them, compared task by task
    units_added: bool = False  # units.yaml changed only by units and collectives added to it
    reverted: dict[str, Blobs] | None = None  # for an undo: the files the commit it reverts changed
    reverted_diffs: dict[str, FileDiff] | None = None  # and its plan files compared task by task


def holds(action: str | None, trailers: dict[str, str], seen: Seen) -> bool:
    """Whether ``seen`` is a change ``action`` (the claimed trailer) makes, for the task or plan
    its other trailers name."""
    known = kinds.ACTIONS.get(action)
    if known is None or known.scope is None:  # None, the plain commit's action, has no scope
        return False
    scope = known.scope
    if scope == kinds.UNDO:
        reverted = seen.reverted
        return reverted is not None and bool(reverted) and set(reverted) == set(seen.files) and all(
            seen.files[path] == (after, before) or _reverses(seen, path) for path, (before, after) in reverted.items())
    plans = {path for path in seen.files if plan_id_of(path)}
    others = set(seen.files) - plans
    if scope == kinds.SETUP:  # the repository's own files; the registry only as it starts
        return not plans and seen.files.get(REGISTRY_FILE, (None, None))[0] is None
    if REGISTRY_FILE in others and scope != kinds.EDIT:
        if not (known.registers and seen.units_added):
            return False
        others.discard(REGISTRY_FILE)
    if others - {REGISTRY_FILE}:
        return False  # gktrack's commands write plan files and units.yaml only
    if scope == kinds.EDIT:  # checked by commit-edits: every plan file it leaves reads
        return all(not seen.diffs[path].unread for path in plans if seen.files[path][1] is not None)
    if scope == kinds.TASKS:
        named = {plan_rel(plan_id) for plan_id in trailers.get(git.TRAILER_PLAN, "").split(",") if plan_id}
        return bool(plans) and plans <= named and all(
            _fields_only(seen.files[path], seen.diffs[path], known.fields) for path in plans)
    if scope in (kinds.EMPTY_PLAN, kinds.NEW_PLAN, kinds.SECTIONS):
        path = plan_rel(trailers.get(git.TRAILER_PLAN, ''))
        if plans != {path}:
            return False
        diff, (before, after) = seen.diffs[path], seen.files[path]
        if diff.unread or diff.uncertain or after is None:
            return False
        if scope == kinds.SECTIONS:
            return before is not None and not diff.tasks and set(diff.header) <= {"sections"}
        return before is None and (scope == kinds.NEW_PLAN or not diff.tasks)
    # One task: the one its Gktrack-Task names.
    plan_id, _, number = trailers.get(git.TRAILER_TASK, "").rpartition("/")
    path = plan_rel(plan_id)
    if not number.isdigit() or plans != {path}:
        return False
    diff = seen.diffs[path]
    if [t.task_id for t in diff.tasks] != [int(number)]:
        return False
    if scope == kinds.NEW_TASK:
        return (seen.files[path][0] is not None and not diff.header and not diff.unread and not diff.uncertain
                and diff.tasks[0].old_state is None and diff.tasks[0].new_state is not None)
    return _fields_only(seen.files[path], diff, known.fields)


def _reverses(seen: Seen, path: str) -> bool:
    """Whether the undo changes, task by task, what the reverted commit changed in plan file
    ``path``: the same tasks, the same task and plan fields, each task's state back to what it was.
    An undo made before ``sync`` is replayed by it on top of other people's changes to the same plan
    file, so its versions of the file are no longer the reverted commit's two versions swapped. The
    values themselves are not compared: this names a commit in the history, and what it may change
    is the hook's to judge, by content."""
    ours, theirs = seen.diffs.get(path), (seen.reverted_diffs or {}).get(path)
    if ours is None or theirs is None or None in seen.files[path] or None in seen.reverted[path]:
        return False
    if any(d.unread or d.uncertain for d in (ours, theirs)) or sorted(ours.header) != sorted(theirs.header):
        return False
    back = {t.task_id: t for t in ours.tasks}
    return bool(back) and set(back) == {t.task_id for t in theirs.tasks} and all(
        (back[t.task_id].old_state, back[t.task_id].new_state) == (t.new_state, t.old_state)
        and set(back[t.task_id].fields) == set(t.fields) for t in theirs.tasks)


def _fields_only(blobs: Blobs, diff: FileDiff, fields: tuple[str, ...]) -> bool:
    """Only ``fields`` of tasks that were there before and still are; progress only added to."""
    if None in blobs or diff.unread or diff.uncertain or diff.header:
        return False
    return all(t.old_state is not None and t.new_state is not None and set(t.fields) <= set(fields)
               and not t.rewrote for t in diff.tasks)


def only_units_added(before: Registry, after: Registry) -> bool:
    """Whether ``after`` is ``before`` with units and collectives added at the end of their lists,
    as gktrack registers a name it has not seen (``registry.add_units_to_file``): no alias, no
    member list, no person, nothing else changed."""
    def grew(old: list, new: list) -> bool:
        return new[:len(old)] == old

    new_units = after.units[len(before.units):]
    new_collectives = after.collectives[len(before.collectives):]
    return (after.schema == before.schema and after.people == before.people
            and grew(before.units, after.units) and grew(before.collectives, after.collectives)
            and all(not u.aliases for u in [*new_units, *new_collectives])
            and all(c.members in ("all", []) for c in new_collectives))
