"""Many gktrack processes in one clone at once: they queue on the lock and no update is lost."""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import build_template, copy_repo, git

WRITERS = 30
TASKS = 10


pytestmark = pytest.mark.usefixtures("gk_env")


def env_for(home: Path | None = None, **extra: str) -> dict[str, str]:
    """The pinned test environment (conftest's gk_env) for a child process."""
    return dict(os.environ, **extra)


def gk(cwd: Path, home: Path, *argv: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gktrack", *argv], cwd=cwd, env=env_for(home, **extra),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    tasks = "".join(f"\n  - id: {n}\n    text: 任务{n}\n    responsible: [司法所]\n    deadline: 6月底前\n"
                    f"    state: open\n" for n in range(1, TASKS + 1))
    return build_template(tmp_path_factory, "concurrency", {
        "plans/p1.yaml": f"schema: 1\nid: p1\nyear: 2024\ntitle: 并发测试\ntasks:\n{tasks}",
        "units.yaml": "schema: 1\nunits:\n  - name: 司法所\n"})


@pytest.fixture
def repo(template, tmp_path) -> Path:
    return copy_repo(template, tmp_path)


def start_all(repo: Path, home: Path, commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Start every command at once, then collect them."""
    # a generous lock timeout: on a busy machine thirty interpreters take a while to get through
    procs = [subprocess.Popen([sys.executable, "-m", "gktrack", *argv], cwd=repo,
                              env=env_for(home, GKTRACK_LOCK_TIMEOUT="120"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for argv in commands]
    results = []
    for argv, proc in zip(commands, procs):
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(argv, proc.returncode, out, err))
    return results


def test_thirty_writers_at_once_lose_nothing(repo, tmp_path):
    from gktrack.storage.planfile import read_plan

    head = git(repo, "rev-parse", "HEAD").strip()
    # Different tasks and the same task: tasks 1–10 get three notes each, all at the same moment.
    commands = [["progress", f"p1/{n % TASKS + 1}", f"并发记录{n}"] for n in range(WRITERS)]
    started = time.monotonic()
    results = start_all(repo, tmp_path, commands)
    for result in results:
        assert result.returncode == 0, (result.args, result.stderr)
        assert "Traceback" not in result.stderr

    commits = git(repo, "rev-list", f"{head}..HEAD").split()
    assert len(commits) == WRITERS
    actions = git(repo, "log", f"{head}..HEAD", "--format=%(trailers:key=Gktrack-Action,valueonly)").split()
    assert actions == ["progress"] * WRITERS
    # each commit changes exactly one file by exactly one progress entry
    for sha in commits:
        assert git(repo, "show", "--name-only", "--format=", sha).split() == ["plans/p1.yaml"]
        added = [line for line in git(repo, "show", "--format=", sha).splitlines()
                 if line.startswith("+") and not line.startswith("+++")]
        assert sum("note: 并发记录" in line for line in added) == 1, added

    plan = read_plan(repo / "plans" / "p1.yaml", "plans/p1.yaml")
    notes = {task.id: [p.note for p in task.progress] for task in plan.tasks}
    assert sorted(n for task_notes in notes.values() for n in task_notes) == sorted(f"并发记录{n}" for n in range(WRITERS))
    for n in range(WRITERS):
        assert f"并发记录{n}" in notes[n % TASKS + 1]
    assert git(repo, "status", "--porcelain") == ""
    assert time.monotonic() - started < 60


def test_concurrent_adds_get_distinct_ids(repo, tmp_path):
    results = start_all(repo, tmp_path, [["add", "p1", f"并发新增{n}", "--unit", "司法所"] for n in range(8)])
    ids = [result.stdout.strip() for result in results]
    assert all(result.returncode == 0 for result in results), [r.stderr for r in results]
    assert sorted(ids) == sorted(f"p1/{n}" for n in range(TASKS + 1, TASKS + 9))
    assert git(repo, "status", "--porcelain") == ""


def test_readers_never_see_a_half_written_file(repo, tmp_path):
    """status while writers write: every read parses (atomic rename), no skipped-file warning."""
    writers = [subprocess.Popen([sys.executable, "-m", "gktrack", "progress", f"p1/{n + 1}", f"读写并发{n}"],
                                cwd=repo, env=env_for(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for n in range(6)]
    readers = [gk(repo, tmp_path, "status", "--json") for _ in range(4)]
    for proc in writers:
        assert proc.wait(timeout=120) == 0
    for result in readers:
        assert result.returncode == 0
        assert "已跳过" not in result.stderr and "错误" not in result.stderr, result.stderr


def test_lock_timeout_is_one_chinese_line(repo, tmp_path):
    lock = repo / ".git" / "gktrack.lock"
    with open(lock, "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        started = time.monotonic()
        result = gk(repo, tmp_path, "progress", "p1/1", "等不到锁", GKTRACK_LOCK_TIMEOUT="1")
        waited = time.monotonic() - started
    assert result.returncode == 5
    line = result.stderr.strip()
    assert line == "gktrack: 错误:另一个 gktrack 命令正在修改此仓库,已等待 1 秒;请稍后再试"
    assert 0.9 <= waited < 10
    assert git(repo, "status", "--porcelain") == ""
    # the lock is the kernel's: once its holder is gone, the next command goes straight through
    assert gk(repo, tmp_path, "progress", "p1/1", "拿到锁了").returncode == 0


def test_lock_held_by_a_killed_process_is_free(repo, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c",
                               "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); "
                               "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
                               str(repo / ".git" / "gktrack.lock")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    result = gk(repo, tmp_path, "progress", "p1/1", "锁已释放", GKTRACK_LOCK_TIMEOUT="2")
    assert result.returncode == 0, result.stderr
    assert re.search("锁已释放", git(repo, "log", "-1", "--format=%s"))
