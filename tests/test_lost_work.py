"""Issue 18, cases 6–10: no command reports success and then loses a recorded entry.

Real clones of a bare server; ``gktrack sync`` killed with SIGKILL during its rebase and resumed
as the tool advises; writes while a sync is paused; crash recovery after a pull; ``edit --from``
after a concurrent change; unresolved conflicts never committed or pushed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Gk, git, run_main, identities_per_clone
from gktrack.storage import yamldoc
from test_edit import editor  # noqa: F401
from test_sync import OFFICE, ZHANG, clone, gk, ok

PLAN = "plans/p1.yaml"


@pytest.fixture
def team(gk_env, tmp_path, monkeypatch):
    """An office clone and 张三's clone of a bare server holding plan p1 (tasks 1–3)."""
    identities_per_clone(tmp_path, monkeypatch, OFFICE)
    seed = tmp_path / "seed"
    assert run_main(["init", seed]).code == 0
    ok(seed, "new-plan", "p1", "--year", "2024", "--title", "测试计划")
    for n, unit in ((1, "司法所"), (2, "财政所"), (3, "司法所")):
        ok(seed, "add", "p1", f"任务{n}", "--unit", unit, "--new-unit")
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(server))
    office = clone(server, tmp_path / "office", OFFICE)
    zhang = clone(server, tmp_path / "zhang", ZHANG)
    ok(office, "setup-merge")
    ok(zhang, "setup-merge")
    return {"office": office, "zhang": zhang, "server": server, "tmp": tmp_path}


def notes(root: Path, rev: str | None = None, task: int | None = None) -> list[str]:
    text = git(root, "show", f"{rev}:{PLAN}") if rev else (root / PLAN).read_text("utf-8")
    data = yamldoc.to_data(yamldoc.compose(text, PLAN))
    return [entry["note"] for t in data["tasks"] if task in (None, t["id"]) for entry in t.get("progress") or []]


def leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(".merge_file_")]


# --- case 6: sync killed during its rebase, then resumed -----------------------------------------

_SYNC = [sys.executable, "-m", "gktrack", "sync"]


def _kill_sync_during_rebase(root: Path, rng: random.Random) -> str:
    """Start `gktrack sync`, SIGKILL it once its rebase has begun; what it was doing then."""
    proc = subprocess.Popen(_SYNC, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    rebase = root / ".git" / "rebase-merge"
    deadline = time.monotonic() + 20
    while not rebase.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(rng.uniform(0, 0.4))
    finished = proc.poll() is not None
    try:
        if rng.random() < 0.6:
            os.killpg(proc.pid, signal.SIGKILL)  # a power cut: git and the merge driver too
        else:
            proc.send_signal(signal.SIGKILL)  # only gktrack: its git runs on as an orphan
    except ProcessLookupError:
        pass
    proc.wait()
    time.sleep(0.05)
    return "finished" if finished else ("rebasing" if rebase.exists() else "other")


def test_sync_killed_during_its_rebase_never_loses_local_entries(team):
    office, zhang, server = team["office"], team["zhang"], team["server"]
    rng = random.Random(18)
    outcomes: dict[str, int] = {}
    lost: list[str] = []
    trials = 12
    for trial in range(trials):
        ok(office, "progress", "p1/1", f"办公室{trial}")
        ok(office, "sync")
        mine = [f"张三{trial}-{k}" for k in range(3)]
        for note in mine:
            ok(zhang, "progress", "p1/2", note)
        outcome = _kill_sync_during_rebase(zhang, rng)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if trial % 2:
            # as git's own message advises when a killed git left its lock behind
            (zhang / ".git" / "index.lock").unlink(missing_ok=True)
        # as the tool advises: --continue; a sync that did not get that far says so, then sync
        for _ in range(3):
            result = gk(zhang, "sync", "--continue")
            if result.code == 0:
                break
            assert "Traceback" not in result.err and "内部错误" not in result.err, result.err
            result = gk(zhang, "sync")
            if result.code == 0:
                break
        assert result.code == 0, (trial, outcome, result.out, result.err)
        here = notes(zhang, "HEAD", 2)
        there = notes(server, "main", 2)
        lost += [n for n in mine if n not in here or n not in there]
        assert not leftovers(zhang), (trial, outcome, leftovers(zhang))
        assert git(zhang, "status", "--porcelain") == "", (trial, outcome)
        git(office, "pull", "-q", "--ff-only")
    print("sync kills:", outcomes)
    assert lost == [], (lost, outcomes)
    assert outcomes.get("rebasing", 0) >= trials // 3, outcomes
    # every entry recorded exactly once, on both sides
    assert sorted(notes(server, "main", 2)) == sorted(f"张三{t}-{k}" for t in range(trials) for k in range(3))


def _resolve(root: Path) -> None:
    """Keep the fields as the file has them and drop every ``conflict:`` record (a person's
    quickest resolution)."""
    lines = (root / PLAN).read_text("utf-8").splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if line.strip() == "conflict:":
            skipping, depth = True, len(line) - len(line.lstrip())
            continue
        if skipping and len(line) - len(line.lstrip()) > depth:
            continue
        skipping = False
        out.append(line)
    (root / PLAN).write_text("".join(out), encoding="utf-8")


def test_sync_continue_killed_during_its_rebase_never_loses_local_entries(team):
    office, zhang, server = team["office"], team["zhang"], team["server"]
    rng = random.Random(1818)
    lost, outcomes = [], {}
    trials = 6
    for trial in range(trials):
        task = ok(office, "add", "p1", f"冲突任务{trial}", "--unit", "司法所").strip()
        ok(office, "sync")
        ok(zhang, "sync")
        ok(office, "close", task, "-m", f"办公室说明{trial}")
        ok(office, "sync")
        ok(zhang, "close", task, "-m", f"张三说明{trial}")  # the same field, changed differently
        mine = [f"继续{trial}-{k}" for k in range(3)]
        for note in mine:
            ok(zhang, "progress", "p1/2", note)
        assert gk(zhang, "sync").code == 1  # paused on the conflict
        _resolve(zhang)
        proc = subprocess.Popen([*_SYNC, "--continue"], cwd=zhang, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.05, 0.5))
        outcome = "finished" if proc.poll() is not None else "killed"
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        for _ in range(4):
            result = gk(zhang, "sync", "--continue")
            if result.code == 0:
                break
            assert "Traceback" not in result.err and "内部错误" not in result.err, result.err
            if "没有进行中的同步" in result.err:
                result = gk(zhang, "sync")
                if result.code == 0:
                    break
            _resolve(zhang)  # started over: the conflict comes back and is resolved again
        assert result.code == 0, (trial, outcome, result.out, result.err)
        lost += [n for n in mine if n not in notes(zhang, "HEAD", 2) or n not in notes(server, "main", 2)]
        assert not leftovers(zhang) and git(zhang, "status", "--porcelain") == ""
        git(office, "pull", "-q", "--ff-only")
    print("sync --continue kills:", outcomes)
    assert lost == [], (lost, outcomes)
    assert outcomes.get("killed", 0) >= trials // 2, outcomes


def test_continue_after_a_kill_that_cut_gits_rebase_state_short_keeps_every_commit(team):
    """git rewrites its list of commits still to replay in place; a kill can cut it short.
    Continuing that rebase would end it "successfully" without the commits cut off."""
    office, zhang, server = team["office"], team["zhang"], team["server"]
    ok(office, "progress", "p1/1", "办公室的进展")
    ok(office, "sync")
    mine = [f"张三的进展{k}" for k in range(3)]
    for note in mine:
        ok(zhang, "progress", "p1/2", note)
    proc = subprocess.Popen(_SYNC, cwd=zhang, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    todo = zhang / ".git" / "rebase-merge" / "git-rebase-todo"
    deadline = time.monotonic() + 20
    while not todo.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert todo.exists(), "sync finished before it could be killed"
    picks = [line for line in todo.read_text("utf-8").splitlines() if line.startswith("pick")]
    assert len(picks) >= 2, picks
    todo.write_text(picks[0] + "\n", encoding="utf-8")  # git rewrites this file in place
    (zhang / ".git" / "index.lock").unlink(missing_ok=True)
    result = gk(zhang, "sync", "--continue")
    assert result.code == 0, result.err
    assert "被中断" in result.out and "一个不少" in result.out
    assert [n for n in mine if n not in notes(zhang, "HEAD", 2)] == []
    assert [n for n in mine if n not in notes(server, "main", 2)] == []


# --- case 7: nothing recorded while a sync is paused is thrown away -------------------------------


def paused_sync(team) -> tuple[Path, str]:
    """张三's sync stopped on a real conflict (both closed p1/3 with different notes); his tip before it."""
    office, zhang = team["office"], team["zhang"]
    ok(office, "close", "p1/3", "-m", "办公室:已公开")
    ok(office, "sync")
    ok(zhang, "progress", "p1/2", "暂停前记录的进展")
    ok(zhang, "close", "p1/3", "-m", "张三:已整改")
    before = git(zhang, "rev-parse", "HEAD").strip()
    assert gk(zhang, "sync").code == 1
    return zhang, before


def test_continue_clears_the_locks_a_killed_rebase_left(team):
    """A rebase killed while it wrote CHERRY_PICK_HEAD or its to-do list leaves their .lock
    files; git then refuses every `rebase --continue` ("could not remove CHERRY_PICK_HEAD"). A
    `sync --continue` killed during its `git add` leaves index.lock, which the next one's `git add`
    would trip on. Nobody holds them, so `sync --continue` removes them and finishes."""
    zhang, _before = paused_sync(team)
    _resolve(zhang)
    gdir = zhang / ".git"
    stale = [gdir / "index.lock", gdir / "CHERRY_PICK_HEAD.lock", gdir / "ORIG_HEAD.lock"]
    stale += [folder / "git-rebase-todo.lock" for folder in (gdir / "rebase-merge",) if folder.is_dir()]
    for lock in stale:
        lock.write_text("")
    out = ok(zhang, "sync", "--continue")
    assert "同步完成" in out
    assert not [lock for lock in stale if lock.exists()]
    assert "暂停前记录的进展" in notes(team["server"], "main", 2)


def test_writes_are_refused_while_a_sync_is_paused(team):
    zhang, before = paused_sync(team)
    z = Gk(zhang)
    for argv in (("progress", "p1/2", "暂停时的进展"), ("close", "p1/1", "-m", "暂停时关闭"),
                 ("add", "p1", "暂停时新增"), ("undo",)):
        line = z.fail("--repo", zhang, *argv)
        assert "同步停在了合并冲突处" in line and "gktrack sync --continue" in line, line
    (zhang / "units.yaml").write_text((zhang / "units.yaml").read_text("utf-8") + "\n", encoding="utf-8")
    assert "同步停在了合并冲突处" in z.fail("--repo", zhang, "commit-edits")
    git(zhang, "checkout", "--", "units.yaml")
    out = ok(zhang, "sync", "--abort")
    assert "已放弃本次同步" in out
    assert git(zhang, "rev-parse", "HEAD").strip() == before
    assert "暂停前记录的进展" in notes(zhang, None, 2)


def test_abort_refuses_to_throw_away_commits_made_by_hand_while_paused(team):
    zhang, before = paused_sync(team)
    (zhang / "备忘.txt").write_text("暂停时写下的备忘\n", encoding="utf-8")
    git(zhang, "add", PLAN, "备忘.txt")
    git(zhang, "commit", "-q", "--no-verify", "-m", "暂停时手工提交")
    made = git(zhang, "rev-parse", "HEAD").strip()
    line = Gk(zhang).fail("--repo", zhang, "sync", "--abort")
    assert "放弃同步会丢掉它们" in line and made[:8] in line
    assert git(zhang, "rev-parse", "HEAD").strip() == made  # nothing moved
    assert git(zhang, "rev-parse", "main").strip() == before  # the local commits before the sync


# --- case 10: unresolved conflicts are never committed or pushed ----------------------------------


def test_continue_refuses_a_conflict_block_even_after_git_add(team):
    zhang, _before = paused_sync(team)
    git(zhang, "add", PLAN)  # looks resolved to git
    line = Gk(zhang).fail("--repo", zhang, "sync", "--continue")
    assert "冲突尚未处理完" in line and "conflict" in line


def test_commit_edits_refuses_a_conflict_block(team):
    zhang = team["zhang"]
    path = zhang / PLAN
    path.write_text(path.read_text("utf-8").replace(
        "    text: 任务3\n", "    text: 任务3\n    conflict:\n      note:\n        base:\n        theirs: 另一方\n"),
        encoding="utf-8")
    line = Gk(zhang).fail("--repo", zhang, "commit-edits")
    assert "未解决的合并冲突" in line


def test_sync_checks_the_commits_before_it_pushes(team):
    zhang, server = team["zhang"], team["server"]
    before = git(server, "rev-parse", "main").strip()
    path = zhang / PLAN
    path.write_text(path.read_text("utf-8").replace(
        "    text: 任务3\n", "    text: 任务3\n    conflict:\n      note:\n        base:\n        theirs: 另一方\n"),
        encoding="utf-8")
    git(zhang, "add", PLAN)
    git(zhang, "commit", "-q", "--no-verify", "-m", "带着冲突记录的提交")
    line = Gk(zhang).fail("--repo", zhang, "sync")
    assert "推送前检查发现问题,未推送" in line and "未解决的合并冲突" in line
    assert git(server, "rev-parse", "main").strip() == before


# --- case 8: crash recovery never overwrites bytes it did not write ------------------------------


def test_recovery_after_a_pull_keeps_what_the_pull_brought(team, caplog):
    """A change killed right after its journal entry (phase "write", nothing written yet), then
    `git pull` brings another unit's progress into the same file: the next command must not
    "restore" the file to the journal's old bytes."""
    from gktrack.storage import journal

    office, zhang, server = team["office"], team["zhang"], team["server"]
    journal.begin(zhang, {PLAN: (zhang / PLAN).read_bytes()}, "进展 p1/2:被中断的进展")
    ok(office, "progress", "p1/1", "办公室记录的进展")
    ok(office, "sync")
    git(zhang, "pull", "-q", "--ff-only")
    pulled = (zhang / PLAN).read_bytes()
    result = gk(zhang, "progress", "p1/3", "之后的进展")
    assert result.code == 0, result.err
    assert "已被别的操作" in caplog.text and "保留了现在的内容" in caplog.text
    assert "办公室记录的进展" in notes(zhang, None, 1) and "之后的进展" in notes(zhang, None, 3)
    assert git(zhang, "show", f"HEAD~1:{PLAN}").encode() == pulled
    assert "没有需要提交的手工修改" in Gk(zhang).fail("--repo", zhang, "commit-edits")
    ok(zhang, "sync")
    assert "办公室记录的进展" in notes(server, "main", 1)
    assert journal.pending(zhang) is None


def test_recovery_still_undoes_its_own_half_written_change(team, caplog):
    from gktrack.storage import journal

    zhang = team["zhang"]
    original = (zhang / PLAN).read_bytes()
    entry = journal.begin(zhang, {PLAN: original, "units.yaml": (zhang / "units.yaml").read_bytes()}, "新增 p1/4:半截")
    half = original + "  - id: 4\n    text: 写了一半\n".encode()
    journal.note_write(zhang, entry, PLAN, half)
    (zhang / PLAN).write_bytes(half)  # killed here: units.yaml not written yet
    result = gk(zhang, "progress", "p1/3", "之后的进展")
    assert result.code == 0, result.err
    assert "已把 plans/p1.yaml 还原为修改前的内容" in caplog.text
    assert "写了一半" not in (zhang / PLAN).read_text("utf-8")
    assert git(zhang, "status", "--porcelain") == ""


# --- case 9: edit --from re-applies the edit onto the task as it is now ---------------------------

def test_edit_from_a_recovery_file_keeps_a_concurrent_progress(plans_repo, editor):
    import re

    # a first try that does not pass: kept in a recovery file
    editor("deadline: '2022-09-30'=>deadline: ['2022-09-30'")
    err = plans_repo.fail("edit", "hl2022/3")
    kept = re.search(r"--from (\S+\.yaml)", err).group(1)
    # meanwhile another unit records progress on the same task
    plans_repo.ok("progress", "hl2022/3", "并发记录的进展", "--unit", "党政综合办")
    seen = editor("deadline: ['2022-09-30'=>deadline: 10月底前")
    said = plans_repo.ok("edit", "hl2022/3", "--from", kept)
    assert "已提交" in said
    assert "任务在你上次编辑之后已被修改" in seen.read_text("utf-8")
    task = plans_repo.json("show", "hl2022/3", "--json")
    assert task["deadline"] == "10月底前"
    assert [p["note"] for p in task["progress"]] == ["并发记录的进展"]
    diff = plans_repo.git("show", "--format=", "HEAD")
    assert "并发记录的进展" not in diff  # the edit's commit neither removes nor re-adds it


def test_edit_refuses_an_unresolved_conflict_record(plans_repo, editor):
    editor("state: open=>state: open\\n    conflict:\\n      note:\\n        theirs: 另一方")
    line = plans_repo.fail("edit", "hl2022/3")
    assert "仍有 conflict: 记录" in line and "--from" in line


def test_continue_keeps_the_lock_it_holds(team):
    """gktrack's own lock (.git/gktrack.lock) sits beside git's lock files but is a kernel lock:
    removing it while this command holds it would let a second gktrack take a new one and
    change the clone at the same time."""
    zhang, _before = paused_sync(team)
    _resolve(zhang)
    lock = zhang / ".git" / "gktrack.lock"
    assert lock.exists()
    inode = lock.stat().st_ino
    result = gk(zhang, "sync", "--continue")
    assert result.code == 0, result.err
    assert "gktrack.lock" not in result.err
    assert lock.exists() and lock.stat().st_ino == inode
