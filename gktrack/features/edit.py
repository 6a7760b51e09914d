"""``gktrack edit TASK``: one task's lines of its plan file in $EDITOR, checked, then committed.

Only the task's own block is handed to the editor and only those lines are replaced, so the
commit touches nothing else in the file. What the person typed is never lost: if it does not
pass the plan's rules it is kept in a recovery file, and ``--from`` starts the next try from it.

A recovery file also keeps the task as it was when the editing began (comment lines starting
``BASE_MARK``). If the task has changed since (someone recorded progress meanwhile), ``--from``
does not hand back the old block with the person's edit, whose commit would delete the other
change: it re-applies the edit onto the task as it is now, the way sync merges (by fields and
entries; line by line when the kept text is not a readable task), and says so in the editor.
Fields both changed keep the current value with the person's under ``conflict:``, which must be
resolved before the edit is committed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gktrack.domain.deadlines import parsed, unread_note
from gktrack.errors import GktrackError, InputError, PlanFileError
from gktrack.features.collab.mergedriver import line_merge, merge_plan_texts
from gktrack.features.ops import require_office, summary_text
from gktrack.storage import git, journal, yamldoc
from gktrack.storage.files import read_bytes
from gktrack.storage.planfile import PlanEditor
from gktrack.storage.reader import CONFLICT_KEY
from gktrack.storage.registry import REGISTRY_FILE
from gktrack.storage.repo import Change, Repository, plan_rel

MARK = "# gktrack:"
BASE_MARK = "# gktrack:base:"
EDITED = "编辑内容"  # how a problem inside the edited block names it, until it is kept in a file


@dataclass
class Block:
    rel: str
    start: int  # 0-based line index of the block in the plan file
    lines: list[str]


def task_block(repo: Repository, plan_id: str, task_id: int) -> Block:
    rel = plan_rel(plan_id)
    editor = PlanEditor(repo.plan_path(plan_id), rel)
    if editor.plan.task(task_id) is None:
        raise InputError(f"计划 {plan_id} 中没有任务 {task_id}")
    start, end = editor.task_span(task_id)
    # the editor gets plain line ends: a text-mode file on Windows would turn "\r\n" into "\r\r\n"
    text = editor.text[start:end].replace("\r\n", "\n")
    return Block(rel, editor.text.count("\n", 0, start), text.splitlines(keepends=True))


def _header(ref: str) -> list[str]:
    return [
        f"{MARK} 编辑任务 {ref}。保存并关闭编辑器后检查并提交;以 {MARK} 开头的行会被忽略。\n",
        f"{MARK} 不要修改 id;删去全部内容则放弃编辑。\n",
    ]


def _strip_header(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    body = [line for line in lines if not line.startswith(MARK)]
    if body and not body[-1].endswith("\n"):
        body[-1] += "\n"
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    return body


def run_editor(path: Path) -> None:
    value = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        command = shlex.split(value) or ["vi"]
    except ValueError:
        raise InputError(f"无法解析编辑器设置“{value}”(环境变量 VISUAL/EDITOR)") from None
    try:
        result = subprocess.run([*command, str(path)], check=False)
    except FileNotFoundError:
        raise InputError(f"找不到编辑器“{command[0]}”;请设置环境变量 EDITOR,如 export EDITOR=nano") from None
    if result.returncode != 0:
        raise InputError(f"编辑器“{command[0]}”以退出码 {result.returncode} 结束,未作修改")


def _keep(repo: Repository, plan_id: str, task_id: int, text: str, base: str, exc: GktrackError) -> Path:
    """Keep what the person typed, and the task it was typed over (``base``), for ``--from``; the
    hint of ``exc`` (why it was not committed) says so."""
    folder = journal.state_dir(repo.root) / "gktrack" / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{plan_id}-{task_id}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"
    path = folder / f"{stem}.yaml"
    serial = 1
    while path.exists():  # two tries within a second: the earlier text is kept too
        serial += 1
        path = folder / f"{stem}-{serial}.yaml"
    exc.hint = f"未提交;你的内容已保存,可用 gktrack edit {plan_id}/{task_id} --from {_pasteable(path)} 继续修改"
    body = text if text.endswith("\n") or not text else text + "\n"
    body += f"{MARK} 以下是开始编辑时任务的原样,用于把你的修改套用到任务的最新内容上;请勿修改\n"
    body += "".join(f"{BASE_MARK} {line}" for line in base.splitlines(keepends=True))
    path.write_text(body, encoding="utf-8")
    return path


def _pasteable(path: Path) -> str:
    """``path`` as one argument when pasted into the shell it is named for (spaces, Chinese)."""
    text = str(path)
    if re.fullmatch(r"[\w@%+=:,./\\-]+", text, re.ASCII):
        return text
    return f'"{text}"' if os.name == "nt" else shlex.quote(text)


def _base_of(text: str) -> str | None:
    """The task block a recovery file's edit was made over; None when the file does not say."""
    lines = [line[len(BASE_MARK):] for line in text.splitlines(keepends=True) if line.startswith(BASE_MARK)]
    if not lines:
        return None
    return "".join(line[1:] if line.startswith(" ") else (line if line.strip() else "\n") for line in lines)


def _reapply(repo: Repository, plan_id: str, task_id: int, base: str, edited: str) -> tuple[list[str], bool]:
    """The person's edit (``base`` -> ``edited``) applied onto the task as it is now: its lines,
    and whether some of it could not be merged cleanly (``conflict:`` or conflict markers)."""
    rel = plan_rel(plan_id)
    editor = PlanEditor(repo.plan_path(plan_id), rel)
    start, end = editor.task_span(task_id)
    text = editor.text
    prefix, current, suffix = text[:start], text[start:end], text[end:]
    merged = merge_plan_texts(prefix + base + suffix, text, prefix + edited + suffix, rel)
    out = merged.text
    if out.startswith(prefix) and out.endswith(suffix) and len(out) >= len(prefix) + len(suffix):
        block, clean = out[len(prefix):len(out) - len(suffix)], merged.clean
    else:  # the merge touched more than this task: merge the task's lines alone
        block = line_merge(base, current, edited)
        clean = "<<<<<<<" not in block
    return block.splitlines(keepends=True), not clean


def _unresolved(lines: list[str]) -> bool:
    """Whether the edited task still has a ``conflict:`` record."""
    try:
        root = yamldoc.compose("".join(lines), "编辑内容")
    except GktrackError:
        return False  # said when the block is applied
    items = root.value if yamldoc.is_seq(root) else []
    return any(yamldoc.is_map(item) and CONFLICT_KEY in yamldoc.entries(item) for item in items)


def apply_block(repo: Repository, plan_id: str, task_id: int, block: Block, new_lines: list[str], shown_at: int):
    """The plan file's editor with ``new_lines`` in place of the task, read again by the plan's
    own rules and checked as ``commit-edits`` and the server's hook check a file (``gktrack
    validate`` may find nothing new wrong: a unit the registry lacks…). Errors inside the block
    name the edited text (``EDITED``, at its own lines: ``shown_at`` header lines above them)."""
    path = repo.plan_path(plan_id)
    editor = PlanEditor(path, block.rel)
    try:
        editor.replace_task(task_id, "".join(new_lines))
        _check_like_the_server(repo, block.rel, read_bytes(path), editor.data())
    except PlanFileError as exc:
        match = re.match(rf"^{re.escape(block.rel)}:(\d+)(:\d+)?$", exc.where or "")
        if match:
            line = int(match.group(1))
            if block.start < line <= block.start + len(new_lines):
                exc.where = f"{EDITED}:{line - block.start + shown_at}{match.group(2) or ''}"
            elif exc.where == block.rel or not match.group(2):
                exc.where = f"{EDITED}:{shown_at + 1}"
        raise
    return editor


def _check_like_the_server(repo: Repository, rel: str, before: bytes | None, after: bytes) -> None:
    """Refuse what the server's hook would: it judges every commit, so a commit it refuses
    blocks every later push, and no fix committed on top of it helps."""
    from gktrack.features.collab.hooks import FileChange, validation_findings

    found = validation_findings([FileChange(rel, "100644", "100644", before, after)],
                                read_bytes(repo.root / REGISTRY_FILE))
    if found:
        where, sep, message = found[0][2].partition(": ")
        raise PlanFileError(message, where=where) if sep else PlanFileError(where)


def edit_task(repo: Repository, ref: str, *, start_from: str | None = None, by: str | None = None) -> Change:
    """Edit one task's lines; the notes of the ``Change`` say what looks odd in the saved task
    (a deadline no rule reads)."""
    _, task = repo.find_task(ref)
    plan_id, task_id, ref = task.plan, task.id, task.full_id
    repo.require_git()
    require_office(repo, by, "edit")
    block = task_block(repo, plan_id, task_id)
    original = "".join(block.lines)
    header = _header(ref)
    if start_from:
        try:
            kept_text = Path(start_from).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"无法读取“{start_from}”:{exc.strerror or exc}") from None
        start_lines = _strip_header(kept_text)
        base = _base_of(kept_text)
        if base is not None and base != original:
            start_lines, conflicted = _reapply(repo, plan_id, task_id, base, "".join(start_lines))
            header.append(f"{MARK} 注意:任务在你上次编辑之后已被修改(如新增了进展);你的修改已套用到任务的最新内容上,请核对。\n")
            if conflicted:
                header.append(f"{MARK} 有的字段双方都改了:字段中是任务现在的值,你的值记在 conflict: 下"
                              "(或在 <<<<<<< 与 >>>>>>> 之间);改好后删除它们再保存。\n")
    else:
        start_lines = block.lines
    with tempfile.TemporaryDirectory(prefix="gktrack-edit-") as folder:
        path = Path(folder) / f"{plan_id}-{task_id}.yaml"
        path.write_text("".join(header + start_lines), encoding="utf-8")
        run_editor(path)
        written = path.read_text(encoding="utf-8")
    new_lines = _strip_header(written)
    if not new_lines:
        return Change(None, f"内容为空,已放弃编辑 {ref}", [])
    if "".join(new_lines) == original:
        return Change(None, f"任务 {ref} 未作修改", [])
    shown_at = sum(1 for line in written.splitlines() if line.startswith(MARK))
    try:
        if _unresolved(new_lines):
            raise PlanFileError(f"任务 {ref} 仍有 conflict: 记录(双方都改了的字段),请改好字段并删除 conflict: 后再保存")
        apply_block(repo, plan_id, task_id, block, new_lines, shown_at)
    except PlanFileError as exc:
        kept = _keep(repo, plan_id, task_id, written, original, exc)
        exc.where = (exc.where or "").replace(EDITED, str(kept), 1) or str(kept)
        raise
    summary = f"编辑 {ref}:{summary_text(task.text)}"
    trailers = git.trailers("edit", task=ref, plan=plan_id)
    try:
        with repo.change([block.rel], summary, trailers, by=by, staged=True) as tx:
            # Under the lock: the task must still be what the editor was given.
            current = task_block(repo, plan_id, task_id)
            if "".join(current.lines) != original:
                raise InputError(f"编辑期间任务 {ref} 已被别人修改")
            editor = apply_block(repo, plan_id, task_id, current, new_lines, shown_at)
            editor.save(tx.write)
    except GktrackError as exc:
        _keep(repo, plan_id, task_id, written, original, exc)
        raise
    saved, year = editor.plan.task(task_id), editor.plan.year
    notes = tuple(unread_note(d.phrase) for d in parsed(tuple(saved.deadline), year) if d.kind == "unknown") \
        if saved.deadline and year else ()
    told = f"已提交对任务 {ref} 的修改(提交 {tx.commit[:8]})" if tx.commit else f"任务 {ref} 未作修改"
    return Change(tx.commit, told, tx.rels, notes=notes)
