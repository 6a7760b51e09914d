"""Properties of the plan writer and the merge driver over open-ended edits (hypothesis).

Every write goes through one splicer (``yamldoc.entry_splices``, ``list_splices``); these tests
drive it with edits the model allows on hand-made layouts, and with two clones' edits merged."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.model import Progress, Section, Task
from gktrack.features.collab.mergedriver import merge_plan_texts
from gktrack.storage import yamldoc
from gktrack.storage.planfile import PlanEditor, parse_plan

HEAD = "schema: 1\nid: p\nyear: 2024\ntitle: 标题\n"
# task 1 and task 2 in layouts people write by hand; the last line of some lacks its line break
LAYOUTS = [
    "tasks:\n  - id: 1\n    text: 甲\n    state: open\n\n  - id: 2\n    text: 乙\n",
    "tasks:\n  - id: 1\n    text: 甲  # 注释\n    # 说明\n    state: open\n\n  - id: 2\n    text: 乙",
    "tasks:\n- id: 1\n  text: 甲\n  progress:\n  - date: 2024-01-02\n    note: 旧\n- id: 2\n  text: 乙\n",
    "tasks:\n    - id: 1\n      备注: 手加\n      text: 甲\n      lead: [司法所,\n        办公室]\n\n    - id: 2\n      text: 乙\n"
    "      parts:\n        - unit: 司法所\n          state: done",
    "tasks:\r\n  - id: 1\r\n    text: 甲\r\n    progress: []\r\n\r\n  - id: 2\r\n    text: 乙\r\n",
    "sections:\n  - key: '1'\n    title: 一\n\n# 任务\ntasks:\n  - id: 1\n    section: '1'\n    text: 甲\n\n"
    "  - id: 2\n    text: 乙\n    note: 乙的说明  # 注\n",
]
UNITS = ["司法所", "财政分局", "各村(社区)"]
TEXTS = ["完成", "已完成:见网址", "两行\n说明", "#号", "'引'", "yes", "1:30"]
DAYS = st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31))

FIELD_CHANGES = st.fixed_dictionaries({}, optional={
    "state": st.sampled_from(["open", "done"]),
    "closed": st.none() | DAYS,
    "note": st.none() | st.sampled_from(TEXTS),
    "number": st.none() | st.sampled_from(["3.", "(二)"]),
    "deadline": st.lists(st.sampled_from(["6月底前", "年底前", "每季度"]), max_size=2, unique=True),
    "lead": st.lists(st.sampled_from(UNITS), max_size=2, unique=True),
    "support": st.lists(st.sampled_from(UNITS), max_size=2, unique=True),
    "evidence": st.lists(st.sampled_from(["http://a", "附件一"]), max_size=2, unique=True),
}).filter(bool)
EDITS = st.one_of(
    st.tuples(st.just("update"), FIELD_CHANGES),
    st.tuples(st.just("progress"), st.builds(Progress, date=DAYS, unit=st.none() | st.sampled_from(UNITS),
                                             note=st.sampled_from(TEXTS))),
    st.tuples(st.just("part"), st.tuples(st.sampled_from(UNITS), st.fixed_dictionaries(
        {"state": st.sampled_from(["open", "done"]), "note": st.none() | st.sampled_from(TEXTS)}))),
)


def _apply(editor: PlanEditor, task_id: int, edit) -> None:
    kind, what = edit
    if kind == "update":
        editor.update_task(task_id, what)
    elif kind == "progress":
        editor.append(task_id, "progress", what)
    else:
        editor.update_record(task_id, "parts", *what)


def _edited(tmp_path, text: str, edits: list) -> str:
    """``text`` after ``edits`` ((task id, edit) pairs), saved as gktrack saves it."""
    path = tmp_path / "p.yaml"
    path.write_bytes(text.encode("utf-8"))
    editor = PlanEditor(path, "plans/p.yaml")
    for task_id, edit in edits:
        _apply(editor, task_id, edit)
    editor.save()
    return path.read_bytes().decode("utf-8")


def _tasks(text: str) -> dict:
    parse_plan(text, "plans/p.yaml")
    return {task["id"]: task for task in yamldoc.to_data(yamldoc.compose(text, "p.yaml"))["tasks"]}


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(LAYOUTS), st.lists(st.tuples(st.sampled_from([1, 2]), EDITS), min_size=1, max_size=4),
       st.booleans())
def test_edits_the_model_allows_are_written_on_any_layout(tmp_path_factory, layout, edits, add_task):
    """The writer never refuses an edit the model allows (its own read-back checks pass) and keeps
    the file's line ends and the untouched task's bytes."""
    tmp_path = tmp_path_factory.mktemp("w")
    text = HEAD.replace("\n", "\r\n") + layout if "\r\n" in layout else HEAD + layout
    path = tmp_path / "p.yaml"
    path.write_bytes(text.encode("utf-8"))
    editor = PlanEditor(path, "plans/p.yaml")
    for task_id, edit in edits:
        _apply(editor, task_id, edit)
    if add_task:
        editor.insert_task(Task(id=3, text="新任务", section="1" if "sections" in layout else None))
        editor.add_section(Section(key="2", title="二"))
    editor.save()
    written = path.read_bytes().decode("utf-8")
    after = parse_plan(written, "plans/p.yaml")
    assert sorted(t.id for t in after.tasks) == ([1, 2, 3] if add_task else [1, 2])
    if "\r\n" in text:
        assert "\n" not in written.replace("\r\n", "")
    else:
        assert "\r" not in written
    touched = {task_id for task_id, _ in edits}
    if touched == {1}:
        assert _tasks(written)[2] == _tasks(text)[2]


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(LAYOUTS), st.lists(EDITS, min_size=1, max_size=3), st.lists(EDITS, min_size=1, max_size=3))
def test_two_clones_editing_two_tasks_merge_to_both_edits(tmp_path_factory, layout, ours_edits, theirs_edits):
    """Ours edits task 1, theirs task 2: the merge is clean and holds each task as its side left it."""
    tmp_path = tmp_path_factory.mktemp("m")
    base = HEAD.replace("\n", "\r\n") + layout if "\r\n" in layout else HEAD + layout
    ours = _edited(tmp_path, base, [(1, edit) for edit in ours_edits])
    theirs = _edited(tmp_path, base, [(2, edit) for edit in theirs_edits])
    result = merge_plan_texts(base, ours, theirs, "plans/p.yaml")
    assert result.clean, (result.conflicts, result.fallback)
    merged = _tasks(result.text)
    assert merged[1] == _tasks(ours)[1] and merged[2] == _tasks(theirs)[2]
    assert result.text.startswith(ours[: ours.index("id: 1")])


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(LAYOUTS), st.lists(EDITS, min_size=1, max_size=3), st.lists(EDITS, min_size=1, max_size=3))
def test_two_clones_editing_one_task_never_get_conflict_markers(tmp_path_factory, layout, ours_edits, theirs_edits):
    """Both clones edit task 1: the merge is by fields, never git's line merge. Every progress entry
    either side recorded is kept; a field both changed differently is a recorded conflict that
    keeps ours; task 2 is untouched."""
    tmp_path = tmp_path_factory.mktemp("m")
    base = HEAD.replace("\n", "\r\n") + layout if "\r\n" in layout else HEAD + layout
    ours = _edited(tmp_path, base, [(1, edit) for edit in ours_edits])
    theirs = _edited(tmp_path, base, [(1, edit) for edit in theirs_edits])
    result = merge_plan_texts(base, ours, theirs, "plans/p.yaml")
    assert result.fallback is None and "<<<<<<<" not in result.text
    merged, before = _tasks(result.text), _tasks(base)
    assert merged[2] == before[2]
    sides = [_tasks(ours)[1], _tasks(theirs)[1]]
    entries = [entry for side in sides for entry in side.get("progress", [])]
    kept = merged[1].get("progress", [])
    assert all(entry in kept for entry in entries)
    for name in ("state", "closed", "note", "number"):
        values = [side.get(name) for side in sides]
        if values[0] != values[1] and before[1].get(name) not in values:
            assert any(c.field == name for c in result.conflicts) and merged[1].get(name) == values[0]
