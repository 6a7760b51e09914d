"""Fixtures for the core tests: real git repositories in tmp_path and the real CLI.

* ``gk_env`` pins everything git and gktrack read from the environment: the identity, the
  commit dates, "today" (GKTRACK_TODAY), and a HOME/XDG folder of its own so the user's global
  git config is never read (GIT_CONFIG_NOSYSTEM keeps /etc/gitconfig out too).
* ``gk`` runs ``gktrack.cli.app.main(argv)`` in this process (cwd = the repository) and captures
  its exit code, stdout and stderr; ``gk.git`` runs real git there.
* ``plans_repo`` is a copy of a small repository built once per session with the CLI itself:
  two plans (hl2022, qz2024), sections, tasks with every role, aliases and collectives.

Nothing here mocks git or the file system. Other test modules may opt in with
``pytestmark = pytest.mark.usefixtures("gk_env")`` or by using ``gk``/``plans_repo``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gktrack.cli import app as entry

IDENTITY = ("测试员", "tester@example.cn")
TODAY = "2024-07-01"
GIT_DATE = "2024-07-01T10:00:00+08:00"

PINNED_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": IDENTITY[0],
    "GIT_AUTHOR_EMAIL": IDENTITY[1],
    "GIT_COMMITTER_NAME": IDENTITY[0],
    "GIT_COMMITTER_EMAIL": IDENTITY[1],
    "GIT_AUTHOR_DATE": GIT_DATE,
    "GIT_COMMITTER_DATE": GIT_DATE,
    "GKTRACK_TODAY": TODAY,
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
}
# Variables that would point git or gktrack somewhere else, or give git an identity.
CLEARED_ENV = (
    "GKTRACK_REPO", "GKTRACK_NO_CACHE", "GKTRACK_LOCK_TIMEOUT", "EMAIL", "GIT_DIR", "GIT_WORK_TREE",
    "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_COUNT",
    "GIT_CEILING_DIRECTORIES", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
)

HAN = re.compile(r"[\u4e00-\u9fff]")


def apply_env(mp: pytest.MonkeyPatch, home: Path) -> None:
    for name in CLEARED_ENV:
        mp.delenv(name, raising=False)
    for name, value in PINNED_ENV.items():
        mp.setenv(name, value)
    mp.setenv("HOME", str(home))
    mp.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    # no sample hooks in every `git init`/`git clone`: fewer files to write and delete
    templates = home / ".git-templates"
    templates.mkdir(exist_ok=True)
    mp.setenv("GIT_TEMPLATE_DIR", str(templates))


@pytest.fixture
def gk_env(monkeypatch, tmp_path_factory) -> Path:
    """Pinned environment; returns the (empty) HOME folder."""
    home = tmp_path_factory.mktemp("home")
    apply_env(monkeypatch, home)
    return home


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


def run_main(argv: list[str]) -> Result:
    """``gktrack.cli.app.main(argv)`` (the program's entry point) in this process: exit code,
    stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            entry.main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        else:
            code = 0
    return Result(code, out.getvalue(), err.getvalue())


def identities_per_clone(tmp_path: Path, monkeypatch, default: tuple[str, str]) -> None:
    """Several clones, each its own person: identities come from each repository's git config
    (``default`` for one that sets none), not from the test environment's fixed identity."""
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                 "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.delenv(name, raising=False)
    git(tmp_path, "config", "--global", "user.name", default[0])
    git(tmp_path, "config", "--global", "user.email", default[1])
    git(tmp_path, "config", "--global", "init.defaultBranch", "main")


def pairs(task) -> list[tuple[str, str]]:
    """An imported task's units as (name, role), in order: what the importer tests compare."""
    return [(u.name, u.role) for u in task.units]


def task_triples(plan) -> list[tuple]:
    """Each imported task as (text, its units as ``pairs``, its deadline phrases)."""
    return [(t.text, pairs(t), t.deadline) for t in plan.tasks]


def import_text(tmp_path: Path, text: str, name: str = "计划.txt"):
    """``text`` saved as a file and imported (``parse_document(read_document(path))``)."""
    from gktrack.features.importer import parse_document, read_document

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_document(read_document(path))


def cell_lines_table(*columns: str) -> str:
    """A 分工表 copied from a web page one cell a line under the four header cells ``columns`` (work
    item, its requirement, units, deadline): one section, two work items of one row each."""
    header = "\n\n".join(columns)
    return f"""某县2024年政务公开重点工作任务分工表

{header}

一、深化重点领域信息公开

1.公开预算决算。

全面公开县本级预算决算和部门预决算。

县财政局

6月底前

2.公开统计数据。

及时发布统计数据并做好解读。

县统计局、县发改局

持续推进
"""


def git(root: Path, *args: str, check: bool = True, env: dict | None = None) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          encoding="utf-8", env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


def build_template(tmp_path_factory, name: str, files: dict | None = None, commands=(),
                   message: str = "计划", build=None) -> Path:
    """A module-wide repository to copy for each test: `init`, then `commands` through the CLI, then
    `files` (relative path -> text or bytes) committed as one hand-made commit. ``build(root)``,
    when given, makes the repository instead of `init` and `commands`."""
    base = tmp_path_factory.mktemp(name)
    root = base / "repo"
    with pytest.MonkeyPatch.context() as mp:
        (base / "home").mkdir()
        apply_env(mp, base / "home")
        if build is not None:
            build(root)
        for argv in () if build is not None else (["init", str(root)], *commands):
            result = run_main([str(a).replace("{root}", str(root)) for a in argv])
            assert result.code == 0, (argv, result.err)
        for rel, content in (files or {}).items():
            path = root / rel
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        if files:
            git(root, "add", "--", *files)
            git(root, "commit", "-q", "-m", message)
    return root


def copy_repo(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(template, target, symlinks=True)
    return target


def work_in_copy(template: Path, tmp_path: Path, monkeypatch) -> "Gk":
    """A fresh copy of a template repository, cwd set to it, and the CLI."""
    root = copy_repo(template, tmp_path)
    monkeypatch.chdir(root)
    return Gk(root)


class Gk:
    """One repository and the CLI pointed at it."""

    def __init__(self, root: Path):
        self.root = Path(root)

    # --- running ---

    def __call__(self, *argv) -> Result:
        return run_main(list(argv))

    def ok(self, *argv) -> str:
        result = run_main(list(argv))
        assert result.code == 0, (argv, result.code, result.err)
        assert "Traceback" not in result.out + result.err
        return result.out

    def json(self, *argv):
        return json.loads(self.ok(*argv))

    def fail(self, *argv, code: int | None = None) -> str:
        """Run a command that must fail cleanly: non-zero exit, one Chinese line, no traceback,
        nothing changed on disk or in git. Returns the stderr line."""
        before = self.snapshot()
        result = run_main(list(argv))
        assert result.code != 0, (argv, result.out)
        if code is not None:
            assert result.code == code, (argv, result.code, result.err)
        text = result.out + result.err
        assert "Traceback" not in text and "内部错误" not in text, text
        lines = result.err.splitlines()
        assert len(lines) == 1, result.err
        assert lines[0].startswith("gktrack: 错误:"), lines[0]
        assert HAN.search(lines[0].removeprefix("gktrack: 错误:")), lines[0]
        assert self.snapshot() == before, f"{argv} changed something"
        return lines[0]

    # --- looking ---

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.root, *args, check=check)

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def text(self, rel: str) -> str:
        return self.read(rel).decode("utf-8")

    def write(self, rel: str, data: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def head(self) -> str | None:
        out = self.git("rev-parse", "--verify", "-q", "HEAD", check=False).strip()
        return out or None

    def count(self) -> int:
        return int(self.git("rev-list", "--count", "HEAD").strip())

    def status(self) -> str:
        return self.git("status", "--porcelain=v1", "--untracked-files=all")

    def snapshot(self) -> tuple:
        """HEAD, the index and work tree state, and every file's bytes outside .git."""
        files = {}
        if self.root.exists():
            for path in sorted(self.root.rglob("*")):
                if ".git" in path.relative_to(self.root).parts or not path.is_file():
                    continue
                files[path.relative_to(self.root).as_posix()] = path.read_bytes()
        has_git = (self.root / ".git").exists()
        return (self.head() if has_git else None, self.status() if has_git else None, files)

    def commit_info(self, rev: str = "HEAD") -> "CommitInfo":
        message = self.git("log", "-1", "--format=%B", rev)
        people = self.git("log", "-1", "--format=%an <%ae>%x00%cn <%ce>", rev).strip().split("\0")
        files = [f for f in self.git("show", "--name-only", "--format=", rev).splitlines() if f]
        return CommitInfo(message, people[0], people[1], files)

    def hand_commit(self, message: str, *paths: str) -> None:
        """A plain git commit, as a person would make it (no gktrack trailers)."""
        self.git("add", "--", *paths)
        self.git("commit", "-q", "-m", message, "--", *paths)


@dataclass
class CommitInfo:
    message: str
    author: str
    committer: str
    files: list[str]

    @property
    def summary(self) -> str:
        return self.message.splitlines()[0]

    @property
    def trailers(self) -> dict[str, str]:
        last = self.message.strip().split("\n\n")[-1]
        out = {}
        for line in last.splitlines():
            key, sep, value = line.partition(": ")
            if sep and key.startswith("Gktrack-"):
                out[key] = value
        return out


UNITS_YAML = """\
# 测试用单位名册(手工编写)
schema: 1
units:
  - name: 司法所
  - name: 党政综合办
    aliases: [综合办]
  - name: 区政数局
    aliases: [政数局]
  - name: 横东村
collectives:
  - name: 各有关单位
    members: all
  - name: 各村(社区)
    members: [横东村]
people: []
"""

HL2022 = "横栏镇2022年政务公开工作要点分工方案"
HL2022_TASKS = {
    1: "依托政府信息公开平台,高质量发布现行有效规范性文件正式版本",
    2: "规范行政法规使用,统一参考中国政府法制信息网行政法规库",
    3: "完善规范性文件、其他文件的分类展示",
    4: "做好政务数据开放",
    5: "村务公开栏每季度更新",
    6: "镇内部的公开工作",
}


def new_repo(root: Path, units_yaml: str):
    """`init` a repository at ``root`` with ``units_yaml`` committed as its registry; return a
    function that runs the CLI in it, asserts success and returns what it printed."""
    def gk(*argv) -> str:
        result = run_main(["--repo", str(root), *argv])
        assert result.code == 0, (argv, result.err)
        return result.out

    result = run_main(["init", str(root)])
    assert result.code == 0, result.err
    (root / "units.yaml").write_text(units_yaml, encoding="utf-8")
    gk("commit-edits", "-m", "登记单位")
    return gk


def _build_template(root: Path) -> None:
    gk = new_repo(root, UNITS_YAML)
    gk("new-plan", "hl2022", "--year", "2022", "--title", HL2022, "--issuer", "中山市横栏镇人民政府",
       "--owner", "党政综合办")
    gk("add-section", "hl2022", "优化政务公开工作基础", "--number", "一、")
    gk("add-section", "hl2022", "深化行政规章、规范性文件集中公开", "--number", "(一)", "--parent", "1")
    gk("add-section", "hl2022", "加强重点领域信息公开", "--number", "二、")
    gk("add", "hl2022", HL2022_TASKS[1], "--unit", "司法所", "--section", "1.1", "--number", "1.", "--due", "6月底前")
    gk("add", "hl2022", HL2022_TASKS[2], "--unit", "各有关单位", "--section", "1.1", "--number", "2.")
    gk("add", "hl2022", HL2022_TASKS[3], "--unit", "司法所牵头,党政综合办配合", "--section", "1.1",
       "--number", "3.", "--due", "2022-09-30")
    gk("add", "hl2022", HL2022_TASKS[4], "--lead", "政数局", "--section", "2", "--number", "4.")
    gk("add", "hl2022", HL2022_TASKS[5], "--unit", "各村(社区)", "--section", "2", "--number", "5.")
    gk("add", "hl2022", HL2022_TASKS[6], "--section", "2", "--number", "6.")
    gk("new-plan", "qz2024", "--year", "2024", "--title", "钦州市2024年政务公开工作实施方案")
    gk("add", "qz2024", "配合做好行政复议文书公开", "--support", "司法所", "--lead", "区政数局", "--due", "9月底前")
    gk("add", "qz2024", "办公室牵头做好年报", "--lead", "党政综合办")


@pytest.fixture(scope="session")
def _template(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as mp:
        home = base / "home"
        home.mkdir()
        apply_env(mp, home)
        _build_template(base / "repo")
        # one pack instead of a hundred loose objects: every test copies this repository
        git(base / "repo", "repack", "-adq")
        git(base / "repo", "prune-packed")
    return base / "repo"


@pytest.fixture
def gk(gk_env, tmp_path, monkeypatch) -> Gk:
    """An empty folder (not a repository yet) as cwd, and the CLI."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    return Gk(root)


@pytest.fixture
def plans_repo(gk_env, _template, tmp_path, monkeypatch) -> Gk:
    """A fresh copy of the session's sample repository, cwd set to it."""
    return work_in_copy(_template, tmp_path, monkeypatch)


def console_env(extra: dict | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    return env


def run_script(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed entry point, as a user would run it: ``python -m gktrack …``."""
    return subprocess.run([sys.executable, "-m", "gktrack", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=console_env(env), timeout=60)


def task_block(text: str, task_id: int) -> tuple[int, int]:
    """1-based line range [first, last] of a task's item in a plan file: from its ``- id: N`` line
    up to the line before the next item (or the end of the file)."""
    lines = text.splitlines()
    item = re.compile(r"^\s*-\s+id:\s*(\d+)\s*(#.*)?$")
    starts = [(i + 1, int(m.group(1))) for i, line in enumerate(lines) if (m := item.match(line))]
    for pos, (line_no, tid) in enumerate(starts):
        if tid == task_id:
            end = starts[pos + 1][0] - 1 if pos + 1 < len(starts) else len(lines)
            return line_no, end
    raise AssertionError(f"task {task_id} not found")


HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", re.M)


def hunks(diff: str) -> list[tuple[int, int, int, int]]:
    return [(int(a), int(b or 1), int(c), int(d or 1)) for a, b, c, d in HUNK.findall(diff)]


def assert_hunks_inside_task(gk: Gk, rel: str, task_id: int, rev: str = "HEAD") -> None:
    """Every hunk of ``git diff rev~1 rev -U0 -- rel`` lies inside task ``task_id``'s block, on the
    old side and on the new side."""
    old = gk.git("show", f"{rev}~1:{rel}")
    new = gk.git("show", f"{rev}:{rel}")
    old_first, old_last = task_block(old, task_id)
    new_first, new_last = task_block(new, task_id)
    diff = gk.git("diff", "-U0", f"{rev}~1", rev, "--", rel)
    found = hunks(diff)
    assert found, "no change at all"
    for a, b, c, d in found:
        if b == 0:  # pure insertion after old line a
            assert old_first <= a <= old_last, (diff, old_first, old_last)
        else:
            assert old_first <= a and a + b - 1 <= old_last, (diff, old_first, old_last)
        if d == 0:  # pure deletion
            assert new_first - 1 <= c <= new_last, (diff, new_first, new_last)
        else:
            assert new_first <= c and c + d - 1 <= new_last, (diff, new_first, new_last)


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of these numbered objects (object 1 the catalog), with a correct cross-reference
    table: the tests write their own PDFs, no PDF library needed."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
