"""`gktrack sync` between real clones of a bare repository (and once over a real git daemon)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import Gk, git, run_main, identities_per_clone
from gktrack.features.collab.mergedriver import CONFLICT_KEY
from gktrack.storage import yamldoc

OFFICE = ("办公室", "office@example.gov.cn")
ZHANG = ("张三", "zhang@example.gov.cn")


@pytest.fixture
def team(gk_env, tmp_path, monkeypatch):
    """An office repository with plan p1 (tasks 1–3), its bare server copy, and 张三's clone."""
    identities_per_clone(tmp_path, monkeypatch, OFFICE)
    office = tmp_path / "office"
    assert run_main(["init", office]).code == 0
    gk = Gk(office)
    gk.ok("--repo", office, "new-plan", "p1", "--year", "2024", "--title", "测试计划")
    gk.ok("--repo", office, "add", "p1", "任务一", "--unit", "司法所", "--new-unit")
    gk.ok("--repo", office, "add", "p1", "任务二", "--unit", "财政所", "--new-unit")
    gk.ok("--repo", office, "add", "p1", "任务三", "--unit", "司法所")
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(office), str(server))
    git(office, "remote", "add", "origin", str(server))
    zhang = clone(server, tmp_path / "zhang", ZHANG)
    return {"office": office, "server": server, "zhang": zhang, "tmp": tmp_path}


def clone(url: str | Path, path: Path, who: tuple[str, str]) -> Path:
    git(path.parent, "clone", "-q", str(url), str(path))
    git(path, "config", "user.name", who[0])
    git(path, "config", "user.email", who[1])
    return path


def gk(root: Path, *args):
    return run_main(["--repo", root, *args])


def ok(root: Path, *args) -> str:
    result = gk(root, *args)
    assert result.code == 0, (args, result.code, result.out, result.err)
    return result.out


def tasks(root: Path, rev: str | None = None) -> dict[int, dict]:
    text = git(root, "show", f"{rev}:plans/p1.yaml") if rev else (root / "plans" / "p1.yaml").read_text("utf-8")
    # plain data: the conflict key a merge records is not a field of the plan
    return {t["id"]: t for t in yamldoc.to_data(yamldoc.compose(text, "p1.yaml"))["tasks"]}


def log(root: Path, rev: str = "HEAD") -> list[str]:
    return git(root, "log", "--format=%an|%cn|%s", rev).splitlines()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- nothing to sync with ---------------------------------------------------------------------


def test_no_remote_says_so_and_changes_nothing(team):
    lone = team["tmp"] / "lone"
    assert run_main(["init", lone]).code == 0
    line = Gk(lone).fail("--repo", lone, "sync", code=1)
    assert "没有设置远程仓库" in line and "未做任何改动" in line


def test_unreachable_remote_exits_6_and_changes_nothing(team):
    office = team["office"]
    git(office, "remote", "set-url", "origin", f"git://127.0.0.1:{free_port()}/server.git")
    ok(office, "progress", "p1/1", "本地进展")
    line = Gk(office).fail("--repo", office, "sync", code=6)
    assert "无法从远程仓库 origin" in line and "本地未做任何改动" in line
    assert log(office)[0].endswith("进展 p1/1:本地进展")


def test_dirty_tree_is_refused_before_anything_happens(team):
    zhang = team["zhang"]
    path = zhang / "plans" / "p1.yaml"
    path.write_text(path.read_text("utf-8") + "\n", encoding="utf-8")
    line = Gk(zhang).fail("--repo", zhang, "sync")
    assert "plans/p1.yaml 有未提交的修改" in line


# --- merging work of two offices --------------------------------------------------------------


def test_adjacent_tasks_and_progress_on_different_tasks_merge_and_push(team):
    office, zhang, server = team["office"], team["zhang"], team["server"]
    ok(zhang, "progress", "p1/1", "张三的进展", "--date", "2024-06-05")
    ok(office, "close", "p1/2", "-m", "财政所已办结")
    ok(office, "progress", "p1/3", "办公室催办", "--date", "2024-06-04")
    first = ok(office, "sync")
    assert "推送到 origin/main 2 个提交" in first and "同步完成" in first

    out = ok(zhang, "sync")
    assert "从 origin/main 收到 2 个提交" in out
    assert "p1/2 状态 未完成→已完成,完成日期 (空)→" in out and "完成情况改为“财政所已办结”" in out
    assert "p1/3 新增进展1条" in out
    assert "推送到 origin/main 1 个提交" in out and "p1/1 新增进展1条" in out
    assert "已在本仓库的 git 配置中登记合并驱动" in out  # a fresh clone gets the driver

    ok(office, "sync")
    for root in (office, zhang):
        assert git(root, "rev-parse", "HEAD") == git(server, "rev-parse", "main")
    merged = tasks(server, "main")
    assert [p["note"] for p in merged[1]["progress"]] == ["张三的进展"]
    assert merged[2]["state"] == "done" and merged[2]["note"] == "财政所已办结"
    assert [p["note"] for p in merged[3]["progress"]] == ["办公室催办"]
    # the audit trail: linear, every commit by its own author, trailers intact
    assert git(server, "rev-list", "--merges", "main") == ""
    assert log(server, "main")[0] == "张三|张三|进展 p1/1:张三的进展"
    message = git(server, "log", "-1", "--format=%B", "main")
    assert "Gktrack-Action: progress" in message and "Gktrack-Task: p1/1" in message
    assert "Gktrack-Date: 2024-06-05" in message


def test_a_change_that_came_in_is_said_as_the_audit_trail_says_it_cut_to_one_line(team):
    """Sync's line for a task is plandiff's wording (as commit-edits and the report say it), cut
    where a closing note and evidence would make it long."""
    office, zhang = team["office"], team["zhang"]
    ok(office, "close", "p1/2", "-m", "财政所已在门户网站专栏公开全部预决算文件并附说明",
       "-e", "https://www.example.gov.cn/zwgk/czyjs/2024/index.html", "--date", "2024-06-20")
    ok(office, "sync")
    line = next(line for line in ok(zhang, "sync").splitlines() if line.startswith("  涉及:"))
    said = line.removeprefix("  涉及:p1/2 ")
    assert said.startswith("状态 未完成→已完成,完成日期 (空)→2024-06-20,完成情况改为“财政所已在门户网站专栏公开全部预决算")
    assert len(said) == 61 and said.endswith("…")


def test_progress_on_the_same_task_from_both_sides_in_date_order(team):
    office, zhang, server = team["office"], team["zhang"], team["server"]
    ok(zhang, "progress", "p1/1", "张三六月五日", "--date", "2024-06-05")
    ok(zhang, "progress", "p1/1", "张三六月一日补记", "--date", "2024-06-01")
    ok(office, "progress", "p1/1", "办公室六月三日", "--date", "2024-06-03")
    ok(office, "sync")
    ok(zhang, "sync")
    notes = [(str(p["date"]), p["note"]) for p in tasks(server, "main")[1]["progress"]]
    assert notes == [("2024-06-01", "张三六月一日补记"), ("2024-06-03", "办公室六月三日"),
                     ("2024-06-05", "张三六月五日")]


def test_real_conflict_stops_then_continue_pushes_the_resolution(team):
    office, zhang, server = team["office"], team["zhang"], team["server"]
    ok(office, "close", "p1/3", "-m", "办公室:已公开")
    ok(office, "sync")
    ok(zhang, "close", "p1/3", "-m", "张三:已整改")
    result = gk(zhang, "sync")
    assert result.code == 1, result.err
    assert "任务 p1/3 的“完成情况”(note)" in result.out and "gktrack sync --continue" in result.out
    task = tasks(zhang)[3]  # still a readable plan
    assert task["note"] == "办公室:已公开"
    assert task[CONFLICT_KEY] == {"note": {"base": None, "theirs": "张三:已整改"}}
    checked = gk(zhang, "validate", zhang / "plans" / "p1.yaml")
    assert checked.code == 1 and "conflict" in checked.out

    again = gk(zhang, "sync", "--continue")
    assert again.code == 1 and "冲突尚未处理完" in again.err and "任务 3" in again.err
    assert gk(zhang, "sync").code == 1  # a new sync is refused while this one is open

    path = zhang / "plans" / "p1.yaml"
    text = path.read_text("utf-8")
    text = text.replace("    note: 办公室:已公开\n    conflict:\n      note:\n        base:\n        theirs: 张三:已整改\n",
                        "    note: 办公室:已公开;张三:已整改\n")
    path.write_text(text, encoding="utf-8")
    out = ok(zhang, "sync", "--continue")
    assert "推送到 origin/main 1 个提交" in out
    assert tasks(server, "main")[3]["note"] == "办公室:已公开;张三:已整改"
    assert log(server, "main")[0].startswith("张三|张三|关闭 p1/3")


def test_abort_puts_everything_back(team):
    office, zhang = team["office"], team["zhang"]
    ok(office, "close", "p1/3", "-m", "办公室")
    ok(office, "sync")
    ok(zhang, "close", "p1/3", "-m", "张三")
    before = git(zhang, "rev-parse", "HEAD")
    assert gk(zhang, "sync").code == 1
    out = ok(zhang, "sync", "--abort")
    assert "已放弃本次同步" in out
    assert git(zhang, "rev-parse", "HEAD") == before
    assert git(zhang, "status", "--porcelain") == ""
    assert tasks(zhang)[3]["note"] == "张三"


def test_task_added_on_both_sides_renumbers_the_local_one_and_its_commits(team):
    office, zhang, server = team["office"], team["zhang"], team["server"]
    ok(zhang, "add", "p1", "张三补充的任务", "--unit", "司法所")
    ok(zhang, "progress", "p1/4", "补充任务的进展")
    ok(office, "add", "p1", "办公室新增的任务", "--unit", "财政所")
    ok(office, "sync")
    out = ok(zhang, "sync")
    assert "服务器上已有别人新增的任务 p1/4,你本地新增的任务已改编号为 p1/5" in out
    merged = tasks(server, "main")
    assert merged[4]["text"] == "办公室新增的任务"
    assert merged[5]["text"] == "张三补充的任务"
    assert [p["note"] for p in merged[5]["progress"]] == ["补充任务的进展"]
    # the local commits now say what they did: task 5, and that it was renumbered
    progress, added = (git(server, "log", "-1", "--format=%B", rev) for rev in ("main", "main~1"))
    assert progress.startswith("进展 p1/5:") and "Gktrack-Task: p1/5" in progress
    assert added.startswith("新增 p1/5:") and "Gktrack-Renumbered: p1/4 -> p1/5" in added
    assert git(server, "log", "-1", "--format=%an", "main~1").strip() == "张三"
    shown = json.loads(ok(zhang, "show", "p1/5", "--json"))
    assert [h["action"] for h in shown["history"]] == ["progress", "add"]


def test_rejected_push_is_integrated_and_retried(team):
    office, zhang, server, tmp = team["office"], team["zhang"], team["server"], team["tmp"]
    ok(office, "progress", "p1/3", "先推送的进展")
    ok(office, "sync")
    ok(office, "progress", "p1/2", "抢先推送的进展")  # committed, not yet pushed
    ok(zhang, "progress", "p1/1", "张三的进展")
    # The moment 张三's fetch lands, the office pushes again: 张三's first push is then out of date.
    marker = tmp / "raced"
    hook = zhang / ".git" / "hooks" / "reference-transaction"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(
        "#!/bin/sh\n"
        "[ \"$1\" = committed ] || exit 0\n"
        "grep -q ' refs/remotes/origin/main$' || exit 0\n"
        f"[ -e '{marker}' ] && exit 0\n"
        f": > '{marker}'\n"
        "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX\n"
        f"git -C '{office}' push -q origin HEAD:refs/heads/main >/dev/null 2>&1\n"
        "exit 0\n", encoding="utf-8")
    hook.chmod(0o755)
    result = gk(zhang, "sync", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert marker.exists() and data["attempts"] == 2
    assert [c["summary"] for c in data["incoming"]] == ["进展 p1/2:抢先推送的进展", "进展 p1/3:先推送的进展"]
    assert [c["summary"] for c in data["outgoing"]] == ["进展 p1/1:张三的进展"]
    assert {"ref": "p1/2", "change": "新增进展1条"} in data["incoming_tasks"]
    merged = tasks(server, "main")
    assert merged[1]["progress"][0]["note"] == "张三的进展"
    assert merged[2]["progress"][0]["note"] == "抢先推送的进展"


def test_up_to_date_sync(team):
    out = ok(team["zhang"], "sync")
    assert "已是最新" in out


def test_every_commit_pushed_is_listed_even_one_that_changes_no_file(team):
    zhang = team["zhang"]
    git(zhang, "commit", "-q", "--allow-empty", "-m", "空提交")
    out = ok(zhang, "sync")
    assert "推送到 origin/main 1 个提交" in out and "空提交" in out and "已是最新" not in out


# --- a real server on loopback ----------------------------------------------------------------


@pytest.fixture
def daemon(team):
    """``git daemon`` serving the server folder on a free loopback port; stopped afterwards."""
    base = team["server"].parent
    port = free_port()
    proc = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", f"--base-path={base}",
         f"--port={port}", "--listen=127.0.0.1", str(base)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("git daemon did not start")
                time.sleep(0.05)
        yield f"git://127.0.0.1:{port}/{team['server'].name}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def test_sync_over_git_daemon(team, daemon):
    office, server, tmp = team["office"], team["server"], team["tmp"]
    git(office, "remote", "set-url", "origin", daemon)
    li = clone(daemon, tmp / "li", ("李四", "li@example.gov.cn"))
    ok(li, "progress", "p1/2", "李四经由服务器的进展", "--date", "2024-06-02")
    ok(office, "progress", "p1/3", "办公室经由服务器的进展", "--date", "2024-06-03")
    out = ok(li, "sync")
    assert "推送到 origin/main 1 个提交" in out
    out = ok(office, "sync")
    assert "收到 1 个提交" in out and "李四 进展 p1/2" in out
    assert "推送到 origin/main 1 个提交" in out
    ok(li, "sync")
    assert git(li, "rev-parse", "HEAD") == git(server, "rev-parse", "main") == git(office, "rev-parse", "HEAD")
    merged = tasks(server, "main")
    assert merged[2]["progress"][0]["note"] == "李四经由服务器的进展"
    assert merged[3]["progress"][0]["note"] == "办公室经由服务器的进展"


# --- the step line on a terminal --------------------------------------------------------------


def _terminal():
    import io

    from rich.console import Console

    buf = io.StringIO()
    return buf, Console(file=buf, force_terminal=True, width=100, color_system=None)


def test_steps_show_the_current_step_once_shown():
    from gktrack.cli.commands.sync import Steps

    buf, console = _terminal()
    with Steps(enabled=True, delay=0, console=console) as steps:
        steps.step("推送到 origin")
    assert "同步:推送到 origin……" in buf.getvalue()


def test_steps_show_nothing_when_disabled_or_sync_ends_before_the_delay():
    from gktrack.cli.commands.sync import Steps

    buf, console = _terminal()
    with Steps(enabled=False, delay=0, console=console) as steps:
        steps.step("推送到 origin")
    with Steps(enabled=True, delay=3600, console=console) as steps:
        steps.step("推送到 origin")
    assert buf.getvalue() == ""


def test_sync_names_its_steps_and_prints_nothing_on_stderr_when_not_a_terminal(team, monkeypatch):
    from gktrack.cli.commands import sync as sync_module

    seen = []
    real = sync_module.Steps.step
    monkeypatch.setattr(sync_module.Steps, "step", lambda self, text: (seen.append(text), real(self, text)))
    ok(team["zhang"], "progress", "p1/1", "张三的进展")
    result = gk(team["zhang"], "sync")
    assert result.code == 0 and result.err == ""
    assert seen == ["等待仓库锁", "从 origin 取回别人的修改", "把本地提交接在服务器的提交之后(变基)",
                    "推送到 origin", "整理收到和推送的修改"]


def test_a_plain_git_pull_left_in_conflict_is_named_with_its_way_out(team):
    """A clone without ``gktrack setup`` pulls with git alone: git's own line merge stops on the
    plan file. sync then says to abort that merge, not to commit or discard the file."""
    office, zhang = team["office"], team["zhang"]
    ok(office, "close", "p1/3", "-m", "办公室:已公开")
    ok(office, "sync")
    assert git(zhang, "config", "--get", "merge.gktrack.driver", check=False) == ""  # setup never ran here
    ok(zhang, "close", "p1/3", "-m", "张三:已整改")
    subprocess.run(["git", "-C", str(zhang), "-c", "pull.rebase=false", "pull", "-q"], capture_output=True)
    assert "<<<<<<<" in (zhang / "plans" / "p1.yaml").read_text("utf-8")
    result = gk(zhang, "sync")
    assert result.code != 0 and "git merge --abort" in result.err
    assert "commit-edits" not in result.err and "checkout" not in result.err
    git(zhang, "merge", "--abort")
    result = gk(zhang, "sync")
    assert result.code == 1 and "gktrack sync --continue" in result.out  # now the real conflict, task by task


def test_a_broken_commit_mended_by_a_later_one_is_still_refused_before_the_push(team):
    """The server judges every commit, not the sum: a commit that breaks a plan is refused even
    when a later one mends it, and no commit-edits on top helps. Said here, naming that commit,
    before anything is pushed."""
    office, server = team["office"], team["server"]
    plan = office / "plans" / "p1.yaml"
    good = plan.read_text("utf-8")
    plan.write_text(good.replace("responsible: [财政所]", "responsible: [财政局]"), encoding="utf-8")
    git(office, "commit", "-qam", "改错了单位")
    broken = git(office, "rev-parse", "--short=8", "HEAD").strip()
    plan.write_text(good, encoding="utf-8")
    ok(office, "commit-edits", "-m", "改回")
    before = git(server, "rev-parse", "main").strip()
    result = gk(office, "sync")
    assert result.code != 0
    assert broken in result.err and "“财政局”不在单位名册中" in result.err
    assert "commit-edits" not in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert git(server, "rev-parse", "main").strip() == before


def test_an_undo_replayed_on_other_changes_of_the_plan_is_still_an_undo(team):
    """张三 undoes a close he had pushed; meanwhile the office recorded progress on another task of
    the same plan. sync replays the undo on top of it: the undo still takes back exactly that close,
    so the log (and the report, which reads the same verdict) shows it as the undo it is, not as
    a hand edit claiming to be one."""
    office, zhang = team["office"], team["zhang"]
    ok(office, "sync")
    ok(zhang, "sync")
    ok(zhang, "close", "p1/1", "--note", "已完成")
    ok(zhang, "sync")
    ok(zhang, "undo")
    ok(office, "sync")
    ok(office, "progress", "p1/3", "办公室催办")
    ok(office, "sync")
    ok(zhang, "sync")
    entry = json.loads(ok(zhang, "log", "-n", "1", "--json"))[0]
    assert entry["summary"].startswith("撤销:关闭 p1/1")
    assert (entry["claimed_action"], entry["action"], entry["hand_edit"]) == ("undo", "undo", False)
    assert tasks(zhang)[1]["state"] == "open" and tasks(zhang)[3]["progress"][0]["note"] == "办公室催办"
    # an "undo" that takes the close back and also changes another task is a hand edit
    ok(zhang, "close", "p1/1", "--note", "再次办结")
    closed = git(zhang, "rev-parse", "HEAD").strip()
    ok(office, "progress", "p1/2", "办公室又一条")
    ok(office, "sync")
    ok(zhang, "sync")
    path = zhang / "plans" / "p1.yaml"
    text = path.read_text("utf-8")
    undone = git(zhang, "show", f"{closed}^:plans/p1.yaml")
    path.write_text(text.replace(text[text.index("  - id: 1"):text.index("  - id: 2")],
                                 undone[undone.index("  - id: 1"):undone.index("  - id: 2")])
                    .replace("任务三", "任务三(改)"), encoding="utf-8")
    git(zhang, "commit", "-qam", f"撤销:关闭 p1/1\n\nGktrack-Action: undo\nGktrack-Reverts: {closed}\nGktrack-Task: p1/1")
    entry = json.loads(ok(zhang, "log", "-n", "1", "--json"))[0]
    assert (entry["claimed_action"], entry["action"], entry["hand_edit"]) == ("undo", None, True)
