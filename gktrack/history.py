"""The audit trail: the repository's history read in one ``git log`` pass.

A commit made by gktrack carries trailers (action, task, unit, date); any other commit that
touches a plan file or the registry is a hand edit and is reported as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gktrack import git
from gktrack.repo import PLANS_DIR, Repository
from gktrack.units import REGISTRY_FILE

_RS, _FS = "\x1e", "\x1f"
_FORMAT = f"{_RS}%H{_FS}%an{_FS}%ae{_FS}%aI{_FS}%cI{_FS}%B{_FS}"

ACTION_LABELS = {
    "init": "初始化", "new-plan": "新建计划", "import": "导入计划", "add-section": "新增章节",
    "add": "新增任务", "assign": "分派", "unassign": "取消分派", "progress": "记录进展",
    "close": "关闭", "reopen": "重新打开", "undo": "撤销", "edit": "手工修改(已检查)",
    None: "手工修改",
}


@dataclass
class Commit:
    sha: str
    author: str
    email: str
    authored: dt.datetime
    committed: dt.datetime
    message: str
    files: list[str] = field(default_factory=list)
    trailers: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return self.message.strip().splitlines()[0] if self.message.strip() else ""

    @property
    def action(self) -> str | None:
        return self.trailers.get(git.TRAILER_ACTION)

    @property
    def task(self) -> str | None:
        return self.trailers.get(git.TRAILER_TASK)

    @property
    def is_hand_edit(self) -> bool:
        return self.action is None or self.action == "edit"

    def to_json(self) -> dict:
        return {
            "commit": self.sha, "author": self.author, "email": self.email,
            "date": self.authored.isoformat(), "committed": self.committed.isoformat(),
            "summary": self.summary, "action": self.action, "task": self.task,
            "units": [u for u in self.trailers.get(git.TRAILER_UNIT, "").split(",") if u],
            "recorded_date": self.trailers.get(git.TRAILER_DATE),
            "files": self.files, "hand_edit": self.is_hand_edit,
        }


def read_log(repo: Repository, *, rev: str = "HEAD", paths: list[str] | None = None,
             since: str | None = None, until: str | None = None) -> list[Commit]:
    """Commits touching plans/ or units.yaml (newest first), one git process for all of them."""
    if git.head(repo.root) is None:
        return []
    args = ["log", f"--format={_FORMAT}", "--name-only", "--no-renames", "-z"]
    if since:
        args.append(f"--since={since}")
    if until:
        args.append(f"--until={until}")
    args += [rev, "--", *(paths or [PLANS_DIR, REGISTRY_FILE])]
    out = git.run(repo.root, *args)
    commits = []
    for record in out.split(_RS)[1:]:
        parts = record.split(_FS)
        sha, author, email, authored, committed, message = parts[:6]
        files = [f.strip("\n") for f in _FS.join(parts[6:]).split("\0") if f.strip("\n")]
        commits.append(Commit(
            sha=sha, author=author, email=email, authored=dt.datetime.fromisoformat(authored),
            committed=dt.datetime.fromisoformat(committed), message=message, files=files,
            trailers=git.read_trailers(message),
        ))
    return commits


def task_history(repo: Repository, ref: str) -> list[Commit]:
    """Commits that changed one task: tool commits by trailer, hand edits by content."""
    from gktrack.repo import parse_task_ref

    plan_id, task_id = parse_task_ref(ref)
    rel = f"{PLANS_DIR}/{plan_id}.yaml"
    found = []
    for commit in read_log(repo, paths=[rel]):
        if commit.task == f"{plan_id}/{task_id}":
            found.append(commit)
        elif commit.action in (None, "edit", "import", "new-plan") and _task_changed(repo, commit.sha, rel, task_id):
            found.append(commit)
    return found


def _task_data_at(repo: Repository, rev: str, rel: str, task_id: int):
    from gktrack.errors import GktrackError
    from gktrack.yamlfile import safe_load, strip_lines

    try:
        text = git.run(repo.root, "show", f"{rev}:{rel}")
        data = safe_load(text, rel)
    except GktrackError:
        return None
    for task in (data or {}).get("tasks") or []:
        if isinstance(task, dict) and task.get("id") == task_id:
            return strip_lines(task)
    return None


def _task_changed(repo: Repository, sha: str, rel: str, task_id: int) -> bool:
    return _task_data_at(repo, f"{sha}^", rel, task_id) != _task_data_at(repo, sha, rel, task_id)
