"""Crash safety: processes killed with SIGKILL at random points, stale git locks, recovery.

After every kill each plan file (and units.yaml) parses and is either as before or as after the
killed command; the next command finishes or rolls back the interrupted change and succeeds;
and in the end every recorded note has exactly one commit and every commit its note.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import build_template, copy_repo, git, run_main

KILLS = 104
WORKERS = 4
TASKS = 3


pytestmark = pytest.mark.usefixtures("gk_env")


def env_for(home: Path | None = None, **extra: str) -> dict[str, str]:
    """The pinned test environment (conftest's gk_env) for a child process."""
    return dict(os.environ, **extra)


# The real program, paused for ``pause`` seconds right after a change has written its files and
# before it commits (a window too short to hit by chance): the test wraps the method that
# writes, nothing in gktrack itself waits.
_PAUSED = """\
import sys, time
from gktrack.storage import repo
pause = float(sys.argv.pop(1))
real = repo._ChangeContext._write_pending
def paused(self, writes):
    real(self, writes)
    time.sleep(pause)
repo._ChangeContext._write_pending = paused
from gktrack.cli.app import main
main(sys.argv[1:])
"""


def command(argv: list[str], pause: float = 0.0) -> list[str]:
    return [sys.executable, "-c", _PAUSED, str(pause), *argv]


def run(repo: Path, *argv: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "gktrack", *argv], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=60)
    if check:
        assert proc.returncode == 0, (argv, proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, proc.stderr
    return proc


_IN_PROCESS = threading.Lock()


def gk_here(repo: Path, *argv: str) -> tuple[int, str]:
    """The real CLI in this process (one call at a time: cwd and stdio are process-wide);
    (exit code, stderr). Cheaper than a new interpreter, which matters for 100 rounds."""
    with _IN_PROCESS:
        here = os.getcwd()
        os.chdir(repo)
        try:
            result = run_main(list(argv))
        finally:
            os.chdir(here)
    assert "Traceback" not in result.err and "内部错误" not in result.err, result.err
    return result.code, result.err


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory, "crash", commands=[
        ["--repo", "{root}", "new-plan", "p1", "--year", "2024", "--title", "测试计划"],
        *(["--repo", "{root}", "add", "p1", f"任务{n}", "--unit", "司法所", "--new-unit", "--due", "6月底前"]
          for n in range(1, TASKS + 1))])


@pytest.fixture
def repo(template, tmp_path) -> Path:
    return copy_repo(template, tmp_path)


def read_state(repo: Path) -> tuple[dict, set[str]]:
    """(task id -> (text, progress notes), unit names); parsing must succeed."""
    from gktrack.storage.planfile import read_plan
    from gktrack.storage.registry import read_registry

    plan = read_plan(repo / "plans" / "p1.yaml", "plans/p1.yaml")
    registry = read_registry(repo / "units.yaml", "units.yaml")
    return ({t.id: (t.text, tuple(p.note for p in t.progress)) for t in plan.tasks},
            {u.name for u in registry.units})


def journal_phase(repo: Path) -> str | None:
    try:
        return json.loads((repo / ".git" / "gktrack" / "journal.json").read_text(encoding="utf-8"))["phase"]
    except (FileNotFoundError, ValueError, KeyError):
        return None


def wait_for(condition, limit: float = 5.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return False


def crash_rounds(repo: Path, home: Path, seed: int, rounds: int) -> dict[str, int]:
    """Kill ``rounds`` commands at random points in one repository; check after each."""
    rng = random.Random(seed)
    outcomes: dict[str, int] = {}
    for i in range(rounds):
        tasks, units = read_state(repo)
        before_plan = (repo / "plans" / "p1.yaml").read_bytes()
        task = rng.randint(1, TASKS)
        # --new-unit writes units.yaml itself (the two-entry journal, phase "write"); the other
        # changes are staged (the "commit" entry comes before their first byte).
        if rng.random() < 0.35:
            unit = f"新单位{seed}x{i}"
            argv = ["add", "p1", f"新任务{seed}x{i}", "--unit", unit, "--new-unit"]
            new_id = max(tasks) + 1
            after = ({**tasks, new_id: (f"新任务{seed}x{i}", ())}, units | {unit})
        else:
            note = f"记录{seed}x{i}"
            argv = ["progress", f"p1/{task}", note]
            changed = dict(tasks)
            changed[task] = (tasks[task][0], tasks[task][1] + (note,))
            after = (changed, units)
        mode = rng.choice(["random", "random", "after-write", "committing"])
        proc = subprocess.Popen(command(argv, 0.3 if mode == "after-write" else 0), cwd=repo, env=env_for(home),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        if mode == "random":
            time.sleep(rng.uniform(0.0, 0.7))
        elif mode == "after-write":
            wait_for(lambda: (repo / "plans" / "p1.yaml").read_bytes() != before_plan)
            time.sleep(rng.uniform(0.0, 0.25))
        else:
            wait_for(lambda: journal_phase(repo) == "commit" or proc.poll() is not None)
            time.sleep(rng.uniform(0.0, 0.02))
        finished = proc.poll() is not None
        # Half the kills take the whole process group (a power cut); half only gktrack itself,
        # so a `git commit` it started runs on as an orphan.
        try:
            if rng.random() < 0.5:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        outcome = "finished" if finished else (journal_phase(repo) or "no-journal")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

        # Right after the kill: every file parses and each is as before or as after.
        now_tasks, now_units = read_state(repo)
        assert now_tasks in (tasks, after[0]), (argv, outcome)
        assert now_units in (units, after[1]), (argv, outcome)

        # The next command recovers and succeeds; the repository is clean and consistent.
        follow = f"下一条{seed}x{i}"
        next_task = rng.randint(1, TASKS)
        code, stderr = gk_here(repo, "progress", f"p1/{next_task}", follow)
        assert code == 0, (argv, outcome, stderr)
        assert journal_phase(repo) is None
        assert git(repo, "status", "--porcelain", "--untracked-files=all") == "", (argv, outcome)
        assert not (repo / ".git" / "index.lock").exists()
        final_tasks, final_units = read_state(repo)
        text, notes = final_tasks[next_task]
        assert notes[-1:] == (follow,), (argv, outcome, stderr)
        stripped = {**final_tasks, next_task: (text, notes[:-1])}
        assert stripped in (tasks, after[0]), (argv, outcome, stderr)
        landed = stripped == after[0]
        # A change is kept or undone as a whole: the new unit goes with its new task.
        assert final_units == (after[1] if landed else units), (argv, outcome)
        if outcome == "finished":
            assert landed
    return outcomes


def check_history(repo: Path) -> None:
    """Every note in the file has exactly one commit, and every commit's note is in the file."""
    tasks, _ = read_state(repo)
    notes = [note for _, (_, progress) in tasks.items() for note in progress]
    assert len(notes) == len(set(notes))
    subjects = git(repo, "log", "--format=%s").splitlines()
    recorded = [s.split(":", 1)[1] for s in subjects if s.startswith("进展 ")]
    assert sorted(recorded) == sorted(notes)
    added = [s.split(":", 1)[1] for s in subjects if s.startswith("新增 ")]
    assert sorted(added) == sorted(text for text, _ in tasks.values())
    assert git(repo, "fsck", "--no-progress", "--no-dangling") == ""


def test_random_kills(template, tmp_path):
    """At least 100 kills at random points, several repositories in parallel."""
    started = time.monotonic()
    repos = []
    for n in range(WORKERS):
        target = tmp_path / f"r{n}"
        shutil.copytree(template, target, symlinks=True)
        repos.append(target)
    home = tmp_path / "home"
    home.mkdir()
    per_worker = -(-KILLS // WORKERS)
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(crash_rounds, r, home, 1000 + n, per_worker) for n, r in enumerate(repos)]
        results = [f.result() for f in futures]
    outcomes: dict[str, int] = {}
    for result in results:
        for key, count in result.items():
            outcomes[key] = outcomes.get(key, 0) + count
    assert sum(outcomes.values()) >= 100
    # The kills landed in every phase: before any write, mid-change, and between write and commit.
    assert outcomes.get("write", 0) >= 5, outcomes
    assert outcomes.get("commit", 0) >= 5, outcomes
    assert outcomes.get("no-journal", 0) >= 5, outcomes
    for r in repos:
        check_history(r)
    print(f"kills: {outcomes}, {time.monotonic() - started:.1f} s")


# --- deterministic recoveries --------------------------------------------------------------


def kill_when(repo: Path, home: Path, argv: list[str], condition, *, group: bool = True, pause: str = "0") -> None:
    proc = subprocess.Popen(command(argv, float(pause)), cwd=repo, env=env_for(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    assert wait_for(lambda: condition() or proc.poll() is not None, 10)
    assert proc.poll() is None, "命令在被终止前已结束"
    (os.killpg if group else os.kill)(proc.pid, signal.SIGKILL)
    proc.wait()


def test_killed_after_writing_is_rolled_back(repo, tmp_path):
    """A change that writes a file itself (units.yaml for --new-unit) and is killed before its
    writes were checked and journalled as complete goes back as a whole."""
    before = (repo / "plans" / "p1.yaml").read_bytes()
    units_before = (repo / "units.yaml").read_bytes()
    kill_when(repo, tmp_path, ["add", "p1", "写了一半", "--unit", "新单位甲", "--new-unit"],
              lambda: (repo / "plans" / "p1.yaml").read_bytes() != before, pause="5")
    assert journal_phase(repo) == "write"
    assert "写了一半" in (repo / "plans" / "p1.yaml").read_text(encoding="utf-8")
    result = run(repo, "progress", "p1/2", "之后", env=env_for(tmp_path))
    assert "已把 plans/p1.yaml、units.yaml 还原为修改前的内容" in result.stderr
    text = (repo / "plans" / "p1.yaml").read_text(encoding="utf-8")
    assert "写了一半" not in text and "之后" in text
    assert (repo / "units.yaml").read_bytes() == units_before
    assert git(repo, "status", "--porcelain") == ""


def test_staged_change_killed_after_writing_is_finished(repo, tmp_path):
    """progress knows its bytes before writing: the "commit" entry precedes the write, so a kill
    after the write is finished by the next command, with the change's own message."""
    before = (repo / "plans" / "p1.yaml").read_bytes()
    kill_when(repo, tmp_path, ["progress", "p1/1", "写完未提交"],
              lambda: (repo / "plans" / "p1.yaml").read_bytes() != before, pause="5")
    assert journal_phase(repo) == "commit"
    result = run(repo, "progress", "p1/2", "之后", env=env_for(tmp_path))
    assert "已补做提交" in result.stderr
    subjects = git(repo, "log", "-2", "--format=%s").splitlines()
    assert subjects == ["进展 p1/2:之后", "进展 p1/1:写完未提交"]
    assert git(repo, "status", "--porcelain") == ""


def test_staged_change_cut_short_between_its_writes_goes_back(repo, tmp_path):
    """A staged change of two files killed after the first write: the written file goes back."""
    from gktrack.storage import journal

    plan, units = repo / "plans" / "p1.yaml", repo / "units.yaml"
    originals = {"plans/p1.yaml": plan.read_bytes(), "units.yaml": units.read_bytes()}
    intended = {"plans/p1.yaml": originals["plans/p1.yaml"] + b"\n", "units.yaml": originals["units.yaml"] + b"\n"}
    journal.prepare_commit(repo, originals, intended, "半截\n", None, None, "2024-07-01T10:00:00+08:00")
    plan.write_bytes(intended["plans/p1.yaml"])  # the first write landed, the second did not
    result = run(repo, "progress", "p1/2", "之后", env=env_for(tmp_path))
    assert "已把 plans/p1.yaml 还原为修改前的内容" in result.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "进展 p1/2:之后"
    assert units.read_bytes() == originals["units.yaml"]
    assert git(repo, "status", "--porcelain") == ""


def test_killed_before_commit_is_finished_with_the_same_message_and_author(repo, tmp_path):
    before = (repo / "plans" / "p1.yaml").read_bytes()
    # killed once the file is written (a staged change journals "commit" just before writing)
    kill_when(repo, tmp_path, ["progress", "p1/1", "差一步", "--by", "李四 <lisi@example.gov.cn>"],
              lambda: journal_phase(repo) == "commit" and (repo / "plans" / "p1.yaml").read_bytes() != before,
              pause="0.2")
    # git may or may not have got as far as the commit; either way the next command sorts it out
    result = run(repo, "status", env=env_for(tmp_path))
    assert journal_phase(repo) == "commit" or git(repo, "status", "--porcelain") == ""
    result = run(repo, "progress", "p1/2", "之后", env=env_for(tmp_path))
    log = git(repo, "log", "-2", "--format=%an <%ae>|%s|%(trailers:key=Gktrack-Action,valueonly)")
    entries = [line for line in log.splitlines() if line.strip()]
    assert entries[1].startswith("李四 <lisi@example.gov.cn>|进展 p1/1:差一步|progress"), (log, result.stderr)
    assert (repo / "plans" / "p1.yaml").read_text(encoding="utf-8").count("差一步") == 1
    assert git(repo, "status", "--porcelain") == ""


def test_a_file_edited_after_the_crash_is_left_to_its_editor(repo, tmp_path):
    kill_when(repo, tmp_path, ["progress", "p1/1", "被中断"], lambda: journal_phase(repo) == "commit",
              pause="0.2")
    if journal_phase(repo) != "commit" or git(repo, "status", "--porcelain") == "":
        pytest.skip("git 已在进程被终止后完成提交")
    path = repo / "plans" / "p1.yaml"
    edited = path.read_text(encoding="utf-8").replace("任务1", "任务1(手工改过)")
    path.write_text(edited, encoding="utf-8")
    result = run(repo, "progress", "p1/2", "之后", env=env_for(tmp_path), check=False)
    assert result.returncode == 1
    assert "未自动处理" in result.stderr and "手工修改" in result.stderr
    assert path.read_text(encoding="utf-8") == edited  # nothing of the person's is lost
    assert journal_phase(repo) is None


def test_validate_mentions_an_interrupted_change(repo, tmp_path):
    before = (repo / "plans" / "p1.yaml").read_bytes()
    kill_when(repo, tmp_path, ["progress", "p1/1", "中断"],
              lambda: (repo / "plans" / "p1.yaml").read_bytes() != before, pause="5")
    result = run(repo, "validate", env=env_for(tmp_path))
    assert "被中断,尚未提交;下一次修改命令会自动完成或回滚它" in result.stdout


# --- git's own lock files ------------------------------------------------------------------


def test_stale_index_lock_is_removed(repo, tmp_path):
    lock = repo / ".git" / "index.lock"
    lock.write_bytes(b"")
    os.utime(lock, (time.time() - 30, time.time() - 30))
    result = run(repo, "progress", "p1/1", "锁已过期", env=env_for(tmp_path))
    assert "已删除被中断的 git 进程留下的锁文件 index.lock" in result.stderr
    assert not lock.exists()
    assert "锁已过期" in git(repo, "log", "-1", "--format=%s")


def test_a_lock_held_by_a_live_process_is_not_removed(repo, tmp_path):
    lock = repo / ".git" / "index.lock"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; f = open(sys.argv[1], 'w'); time.sleep(30)", str(lock)])
    try:
        assert wait_for(lock.exists)
        os.utime(lock, (time.time() - 30, time.time() - 30))
        result = run(repo, "progress", "p1/1", "等锁", env=env_for(tmp_path, GKTRACK_LOCK_TIMEOUT="1"),
                     check=False)
        assert result.returncode == 1
        line = result.stderr.strip()
        assert len(line.splitlines()) == 1 and "git 正在使用此仓库(index.lock 存在)" in line, line
        assert lock.exists()
        assert git(repo, "status", "--porcelain") == ""  # the change was put back
    finally:
        holder.kill()
        holder.wait()
        lock.unlink(missing_ok=True)


def test_leftover_temporary_files_are_cleaned(repo, tmp_path):
    before = (repo / "plans" / "p1.yaml").read_bytes()
    kill_when(repo, tmp_path, ["progress", "p1/1", "临时"],
              lambda: (repo / "plans" / "p1.yaml").read_bytes() != before, pause="5")
    (repo / "plans" / ".p1.yaml.abcd1234.tmp").write_text("半截", encoding="utf-8")
    run(repo, "progress", "p1/2", "之后", env=env_for(tmp_path))
    assert not list((repo / "plans").glob(".*.tmp"))
    assert not re.search(r"\.tmp", git(repo, "status", "--porcelain", "--untracked-files=all"))
