"""Running where offices work, as far as this Linux machine can play the part.

* Locking with no ``fcntl`` (as on Windows): a child Python in which ``import fcntl`` fails, once
  with the stand-in lock file and once with a stand-in ``msvcrt`` (Windows' own call, played by
  POSIX record locks), so the Windows code path is the one that runs.
* Output: into a pipe or a file it is UTF-8 whatever PYTHONIOENCODING says (a Chinese Windows
  writes GBK otherwise); on a GBK or NO_COLOR console the marks ● ✓ become "*", and on a GBK
  console the tables are measured as it draws “ ” — … ─ (two cells wide).
* CRLF: a clone with core.autocrlf=true (Git for Windows' default) of a repository made before
  the eol attributes, and of one made now; plans stay "\\n" in git.
* Hooks and the merge driver when the Python that installed them is gone.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Gk, git, run_main
from test_completion import run_in_pty

pytestmark = pytest.mark.usefixtures("gk_env")

# A child Python without fcntl (Windows has none); ``MSVCRT=log-file`` adds a stand-in msvcrt.
NO_FCNTL = r'''
import importlib.abc, os, runpy, sys, types
if os.environ.get("MSVCRT"):
    import fcntl as _posix  # kept privately: the stand-in msvcrt.locking is made of it
    import subprocess  # it takes msvcrt for a sign of Windows: imported before there is one
    log = os.environ["MSVCRT"]
    msvcrt = types.ModuleType("msvcrt")
    msvcrt.LK_UNLCK, msvcrt.LK_LOCK, msvcrt.LK_NBLCK, msvcrt.LK_RLCK, msvcrt.LK_NBRLCK = 0, 1, 2, 3, 4
    def locking(fd, mode, nbytes):
        where = os.lseek(fd, 0, os.SEEK_CUR)
        with open(log, "a") as handle:
            handle.write(f"{mode} {where} {nbytes}\n")
        if mode == msvcrt.LK_UNLCK:
            _posix.lockf(fd, _posix.LOCK_UN, nbytes, where)
            return
        try:
            _posix.lockf(fd, _posix.LOCK_EX | _posix.LOCK_NB, nbytes, where)
        except OSError:
            raise PermissionError(13, "Permission denied") from None
    msvcrt.locking = locking
    sys.modules["msvcrt"] = msvcrt
class NoFcntl(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "fcntl":
            raise ModuleNotFoundError("No module named 'fcntl'", name="fcntl")
sys.modules.pop("fcntl", None)
sys.meta_path.insert(0, NoFcntl())
sys.argv[0] = "gktrack"
runpy.run_module("gktrack", run_name="__main__", alter_sys=True)
'''


def no_fcntl(cwd: Path, *argv: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", NO_FCNTL, *argv], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env={**os.environ, **env}, timeout=120)


def start_no_fcntl(cwd: Path, *argv: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", NO_FCNTL, *argv], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env={**os.environ, **env})


def ok(gk: Gk, *argv) -> str:
    """The CLI in ``gk``'s repository (the tests' cwd may be another one)."""
    result = run_main(["--repo", gk.root, *argv])
    assert result.code == 0, (argv, result.code, result.err)
    return result.out


def notes(gk: Gk, plan: str = "hl2022") -> str:
    return gk.text(f"plans/{plan}.yaml")


# --- locking without fcntl ------------------------------------------------------------------------


def test_the_child_really_has_no_fcntl(plans_repo):
    probe = subprocess.run([sys.executable, "-c", NO_FCNTL.replace("runpy.run_module", "import fcntl  #"),
                            "status"], capture_output=True, text=True)
    assert probe.returncode != 0 and "No module named 'fcntl'" in probe.stderr


def test_writes_without_fcntl(plans_repo):
    before = plans_repo.count()
    done = no_fcntl(plans_repo.root, "progress", "hl2022/1", "没有 fcntl 也能记录", "--date", "2022-05-10")
    assert done.returncode == 0, done.stderr
    # nothing but the note that the plan was entered after the date typed (no word of fcntl)
    [line] = done.stderr.splitlines()
    assert "日期 2022-05-10 早于任务 hl2022/1 加入计划的日期" in line
    closed = no_fcntl(plans_repo.root, "close", "hl2022/3", "--note", "已办结", "--date", "2022-06-01")
    assert closed.returncode == 0, closed.stderr
    assert plans_repo.count() == before + 2
    assert "没有 fcntl 也能记录" in notes(plans_repo)
    assert plans_repo.status() == ""
    assert not (plans_repo.root / ".git" / "gktrack.lock.pid").exists()  # released


def test_without_fcntl_writers_take_turns(plans_repo):
    before = plans_repo.count()
    procs = [start_no_fcntl(plans_repo.root, "progress", f"hl2022/{n}", f"并发进展{n}", GKTRACK_LOCK_TIMEOUT="60")
             for n in range(1, 5)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert plans_repo.count() == before + 4
    text = notes(plans_repo)
    assert all(f"并发进展{n}" in text for n in range(1, 5))
    assert plans_repo.status() == ""


def test_without_fcntl_a_dead_holder_does_not_block(plans_repo):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (plans_repo.root / ".git" / "gktrack.lock.pid").write_text(str(dead.pid), encoding="ascii")
    result = no_fcntl(plans_repo.root, "progress", "hl2022/1", "接手了", GKTRACK_LOCK_TIMEOUT="2")
    assert result.returncode == 0, result.stderr
    assert "接手了" in notes(plans_repo)


def test_without_fcntl_a_live_holder_means_wait_then_one_line(plans_repo):
    (plans_repo.root / ".git" / "gktrack.lock.pid").write_text(str(os.getpid()), encoding="ascii")
    started = time.monotonic()
    result = no_fcntl(plans_repo.root, "progress", "hl2022/1", "等不到", GKTRACK_LOCK_TIMEOUT="1")
    assert 0.9 <= time.monotonic() - started < 30
    assert result.returncode == 5
    assert result.stderr.strip() == "gktrack: 错误:另一个 gktrack 命令正在修改此仓库,已等待 1 秒;请稍后再试"
    assert "等不到" not in notes(plans_repo) and plans_repo.status() == ""


def test_without_fcntl_windows_locking_call_is_used(plans_repo, tmp_path):
    log = tmp_path / "msvcrt.log"
    result = no_fcntl(plans_repo.root, "progress", "hl2022/2", "Windows 的锁", MSVCRT=str(log))
    assert result.returncode == 0, result.stderr
    assert "Windows 的锁" in notes(plans_repo)
    calls = log.read_text().split("\n")
    assert calls[:2] == ["2 0 1", "0 0 1"]  # LK_NBLCK on byte 0, then LK_UNLCK
    assert not (plans_repo.root / ".git" / "gktrack.lock.pid").exists()  # not the stand-in
    # held by another process: the command waits, then says so
    with open(plans_repo.root / ".git" / "gktrack.lock", "r+b") as handle:
        fcntl.lockf(handle.fileno(), fcntl.LOCK_EX, 1, 0)
        held = no_fcntl(plans_repo.root, "progress", "hl2022/2", "被占用", MSVCRT=str(log), GKTRACK_LOCK_TIMEOUT="1")
    assert held.returncode == 5, held.stderr
    assert "另一个 gktrack 命令正在修改此仓库" in held.stderr
    assert "被占用" not in notes(plans_repo)


# --- output: UTF-8 into pipes and files, marks a console can show ---------------------------------


@pytest.fixture
def marked(plans_repo) -> Gk:
    """A task closed (✓) and a task text with a character outside GBK (•)."""
    plans_repo.ok("close", "hl2022/1", "--note", "已完成", "--date", "2022-05-01")
    plans_repo.ok("add", "qz2024", "公开指南•更新", "--lead", "党政综合办")
    return plans_repo


def piped(root: Path, *argv: str, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PYTHONIOENCODING")}
    return subprocess.run([sys.executable, "-m", "gktrack", *argv], cwd=root, capture_output=True,
                          env={**full, **env}, timeout=60)


def test_piped_output_is_utf8_whatever_the_code_page(marked):
    for argv in (["status", "--state", "all"], ["report", "2024"], ["status", "--json"]):
        gbk = piped(marked.root, *argv, PYTHONIOENCODING="gbk")
        utf8 = piped(marked.root, *argv, PYTHONIOENCODING="utf-8")
        assert gbk.returncode == 0, gbk.stderr.decode("utf-8")
        assert gbk.stdout == utf8.stdout  # the same bytes: UTF-8, "\n" line ends
        text = gbk.stdout.decode("utf-8")  # strict: fails on GBK bytes
        assert "公开指南•更新" in text
    table = piped(marked.root, "status", "--state", "all", PYTHONIOENCODING="gbk").stdout.decode("utf-8")
    assert "✓ 已完成 2022-05-01" in table and "● " in table  # into a pipe the marks stay


def test_errors_into_a_pipe_are_utf8_too(marked):
    result = piped(marked.root, "show", "hl2022/99", PYTHONIOENCODING="gbk")
    assert result.returncode != 0
    assert result.stderr.decode("utf-8").startswith("gktrack: 错误:")


def test_report_into_a_file_is_utf8(marked, tmp_path):
    target = tmp_path / "年度报告.md"
    result = piped(marked.root, "report", "2024", "-o", str(target), PYTHONIOENCODING="gbk")
    assert result.returncode == 0 and result.stdout == b""
    assert target.read_bytes() == piped(marked.root, "report", "2024").stdout
    assert "公开指南•更新" in target.read_text(encoding="utf-8")
    assert b"\r\n" not in target.read_bytes()


def test_report_into_a_folder_that_does_not_exist(marked, tmp_path):
    result = piped(marked.root, "report", "2024", "-o", str(tmp_path / "没有" / "a.md"))
    assert result.returncode == 2
    lines = result.stderr.decode("utf-8").strip().splitlines()
    # refused before the report is made, as export and calendar refuse it (Repository.check_output)
    assert len(lines) == 1 and lines[0].startswith("gktrack: 错误:文件夹") and "不存在" in lines[0]


WIDE = {"COLUMNS": "160"}


def test_gbk_console_gets_plain_marks_and_no_error(marked):
    out = run_in_pty(["status", "--state", "all"], marked.root, {"PYTHONIOENCODING": "gbk", **WIDE}, "gbk")
    assert "* 已完成 2022-05-01" in out and "* 逾期" in out
    assert "●" not in out and "✓" not in out
    assert "公开指南?更新" in out  # a character the console cannot show, not an error


def test_no_color_console_gets_plain_marks(marked):
    coloured = run_in_pty(["status", "--state", "all"], marked.root, WIDE)
    assert "✓ 已完成" in coloured and "● 逾期" in coloured
    plain = run_in_pty(["status", "--state", "all"], marked.root, {"NO_COLOR": "1", **WIDE})
    assert "* 已完成 2022-05-01" in plain and "* 逾期" in plain and "●" not in plain
    piped_plain = piped(marked.root, "overdue", NO_COLOR="1").stdout.decode("utf-8")
    assert "* 逾期" in piped_plain and "●" not in piped_plain


def test_cjk_legacy_console_tables_fit_as_it_draws_them(marked, tmp_path):
    """A terminal in GBK draws “ ” — … ─ two cells wide (as conhost does in code page 936): the
    tables are measured so, the rule is not twice as long and every line stays within COLUMNS.
    Played with a GBK locale when the machine can make one, and with PYTHONIOENCODING."""
    import re
    import shutil
    import unicodedata

    def drawn(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in line)

    consoles = [{"PYTHONIOENCODING": "gbk"}]
    locales = tmp_path / "locales"
    if shutil.which("localedef") and subprocess.run(
            ["localedef", "-i", "zh_CN", "-f", "GBK", str(locales / "zh_CN.GBK")], capture_output=True).returncode == 0:
        consoles.append({"LOCPATH": str(locales), "LC_ALL": "zh_CN.GBK", "LANG": "zh_CN.GBK"})
    marked.ok("add", "hl2022", "在“省长留言信箱”留言办理——答复公开", "--unit", "司法所")
    for console in consoles:
        for argv in (["status", "--state", "all"], ["status", "--unit", "司法所"], ["overdue"], ["show", "hl2022/3"]):
            out = run_in_pty(argv, marked.root, {"COLUMNS": "80", "NO_COLOR": "1", **console}, "gbk")
            lines = out.replace("\r\n", "\n").splitlines()
            assert max(map(drawn, lines)) <= 80, (console, argv, out)
            assert any(re.fullmatch("─+ *", line) for line in lines), out
        table = run_in_pty(["status", "--plan", "hl2022"], marked.root, {"COLUMNS": "80", "NO_COLOR": "1", **console},
                           "gbk").replace("\r\n", "\n").splitlines()
        rows = [line for line in table if line.startswith("hl2022/")]
        assert len({drawn(row) for row in rows}) == 1 and "“省长" in "".join(rows)
    # a UTF-8 terminal keeps them one cell wide
    utf8 = run_in_pty(["status", "--plan", "hl2022"], marked.root, {"COLUMNS": "80", "NO_COLOR": "1"})
    assert "─" * 80 in utf8


def test_windows_terminal_draws_ambiguous_characters_one_cell_wide(monkeypatch):
    from gktrack.cli import streams

    monkeypatch.setattr(streams, "console_encoding", lambda stream: "cp936")
    assert streams.ambiguous_wide(None)  # conhost in code page 936
    monkeypatch.setattr(streams.sys, "platform", "win32")
    monkeypatch.setenv("WT_SESSION", "0d1c2b3a")
    assert not streams.ambiguous_wide(None)
    monkeypatch.delenv("WT_SESSION")
    monkeypatch.setenv("TERM_PROGRAM", "vscode")  # VS Code's terminal (xterm.js): one cell
    assert not streams.ambiguous_wide(None)
    monkeypatch.delenv("TERM_PROGRAM")
    assert streams.ambiguous_wide(None)
    monkeypatch.setattr(streams, "console_encoding", lambda stream: "cp1252")
    assert not streams.ambiguous_wide(None)  # not a CJK code page


def test_empty_no_color_does_not_turn_colour_off(marked):
    """no-color.org: NO_COLOR counts when it is present and not empty."""
    coloured = run_in_pty(["status", "--state", "all"], marked.root, {"NO_COLOR": "", **WIDE})
    assert "\x1b[" in coloured and "● 逾期" in coloured


# --- CRLF checkouts ---------------------------------------------------------------------------------

EOL = ("plans/*.yaml text eol=lf", "units.yaml text eol=lf")


def server_of(repo: Path, tmp_path: Path, *, old: bool) -> Path:
    """A bare server of ``repo``; ``old``: without the eol lines (a repository made before them)."""
    if old:
        attributes = repo / ".gitattributes"
        kept = [line for line in attributes.read_text(encoding="utf-8").splitlines() if line not in EOL]
        attributes.write_text("\n".join(kept) + "\n", encoding="utf-8")
        git(repo, "commit", "-qm", "早期的 .gitattributes", "--", ".gitattributes")
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(server))
    return server


def windows_clone(server: Path, path: Path) -> Gk:
    git(server.parent, "-c", "core.autocrlf=true", "clone", "-q", str(server), str(path))
    git(path, "config", "core.autocrlf", "true")
    return Gk(path)


def lf_in_git(gk: Gk, rel: str, rev: str = "HEAD") -> bool:
    blob = subprocess.run(["git", "-C", str(gk.root), "show", f"{rev}:{rel}"], capture_output=True).stdout
    return b"\r" not in blob and blob.count(b"\n") > 3


def test_new_repository_has_eol_attributes_and_checks_out_lf(plans_repo, tmp_path):
    assert all(line in plans_repo.text(".gitattributes").splitlines() for line in EOL)
    clone = windows_clone(server_of(plans_repo.root, tmp_path, old=False), tmp_path / "win")
    assert b"\r\n" not in clone.read("plans/hl2022.yaml") and b"\r\n" not in clone.read("units.yaml")
    # an editor that saves "\r\n" (Notepad on an older Windows): stored as "\n" all the same
    path = clone.root / "plans" / "qz2024.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").replace(b"title: ", b"title: \xe6\x96\xb0"))
    assert run_main(["--repo", clone.root, "commit-edits", "plans/qz2024.yaml", "-m", "改标题"]).code == 0
    assert lf_in_git(clone, "plans/qz2024.yaml")


def test_autocrlf_clone_of_an_old_repository_keeps_working(plans_repo, tmp_path):
    lf_view = plans_repo.json("status", "--json")
    server = server_of(plans_repo.root, tmp_path, old=True)
    clone = windows_clone(server, tmp_path / "win")
    assert b"\r\n" in clone.read("plans/hl2022.yaml")  # a CRLF checkout, as on Windows
    assert json.loads(ok(clone, "status", "--json")) == lf_view
    ok(clone, "progress", "hl2022/2", "在 CRLF 的克隆中记录", "--date", "2022-04-01")
    ok(clone, "close", "hl2022/4", "--note", "已完成", "--date", "2022-04-02")
    ok(clone, "add", "hl2022", "新增的任务", "--unit", "司法所")
    raw = clone.read("plans/hl2022.yaml")
    assert raw.count(b"\n") == raw.count(b"\r\n")  # still CRLF throughout: no mixed line ends
    assert clone.status() == ""
    assert lf_in_git(clone, "plans/hl2022.yaml")
    assert run_main(["--repo", clone.root, "validate"]).code == 0
    # gktrack setup adds the eol lines; the files stay clean, git keeps "\n"
    setup = run_main(["--repo", clone.root, "setup"])
    assert setup.code == 0 and ".gitattributes" in setup.out
    assert all(line in clone.text(".gitattributes").splitlines() for line in EOL)
    assert clone.status() == ""
    ok(clone, "progress", "hl2022/2", "补上属性之后")
    assert clone.status() == "" and lf_in_git(clone, "plans/hl2022.yaml")


def test_autocrlf_clone_syncs_and_merges_task_by_task(plans_repo, tmp_path):
    server = server_of(plans_repo.root, tmp_path, old=True)
    office = windows_clone(server, tmp_path / "office")
    unit = Gk(tmp_path / "unit")
    git(tmp_path, "clone", "-q", str(server), str(unit.root))
    for gk in (office, unit):
        ok(gk, "setup-merge")
    ok(unit, "progress", "hl2022/1", "单位记录的进展", "--date", "2022-03-01")
    assert run_main(["--repo", unit.root, "sync"]).code == 0
    ok(office, "progress", "hl2022/1", "办公室记录的进展", "--date", "2022-03-02")
    ok(office, "close", "hl2022/5", "--note", "已完成", "--date", "2022-03-03")
    synced = run_main(["--repo", office.root, "sync"])
    assert synced.code == 0, synced.err
    assert "同步完成" in synced.out
    text = office.text("plans/hl2022.yaml")
    assert "单位记录的进展" in text and "办公室记录的进展" in text
    assert office.status() == ""
    for rev in ("HEAD", "HEAD~1", "HEAD~2"):
        assert lf_in_git(office, "plans/hl2022.yaml", rev)


def test_a_file_only_saved_with_crlf_does_not_stop_sync(plans_repo, tmp_path):
    server = server_of(plans_repo.root, tmp_path, old=False)
    office, unit = Gk(tmp_path / "office"), Gk(tmp_path / "unit")
    for gk in (office, unit):
        git(tmp_path, "clone", "-q", str(server), str(gk.root))
        ok(gk, "setup-merge")
    ok(office, "progress", "hl2022/1", "办公室记录的进展", "--date", "2022-03-02")
    assert run_main(["--repo", office.root, "sync"]).code == 0
    ok(unit, "progress", "hl2022/2", "单位记录的进展", "--date", "2022-03-03")
    # then the liaison opened the plan in an editor that saved it with CRLF and changed nothing else
    path = unit.root / "plans" / "hl2022.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    synced = run_main(["--repo", unit.root, "sync"])
    assert synced.code == 0, synced.err
    text = unit.text("plans/hl2022.yaml")
    assert "办公室记录的进展" in text and "单位记录的进展" in text
    assert lf_in_git(unit, "plans/hl2022.yaml")
    # a real hand edit still stops it, and says which file
    path.write_text(unit.text("plans/hl2022.yaml").replace("单位记录的进展", "手工改过的进展"), encoding="utf-8")
    refused = run_main(["--repo", unit.root, "sync"])
    assert refused.code != 0 and "plans/hl2022.yaml 有未提交的修改" in refused.err


# --- hooks and the merge driver when their Python is gone -----------------------------------------


def bin_with(tmp_path: Path, *names: str) -> str:
    """A PATH of one folder holding only git, and ``names`` (python3, gktrack…) that start the
    Python gktrack is installed in (scripts: a link would lose the virtual environment)."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    (folder / "git").symlink_to(subprocess.run(["sh", "-c", "command -v git"], capture_output=True,
                                               text=True).stdout.strip())
    for name in names:
        shim = folder / name
        run = f'exec "{PYTHON}" "$@"' if name.startswith("python") else f'exec "{PYTHON}" -m gktrack "$@"'
        shim.write_text(f"#!/bin/sh\n{run}\n", encoding="utf-8")
        shim.chmod(0o755)
    return str(folder)


PYTHON = sys.executable  # the Python this test run (and gktrack) is installed in
GONE = "/nonexistent/venv/bin/python"


@pytest.fixture
def gone(monkeypatch):
    """Hooks and drivers installed by a Python that is then removed."""
    monkeypatch.setattr(sys, "executable", GONE)


def registry_with_people(gk: Gk) -> None:
    units = gk.text("units.yaml").replace(
        "people: []\n", "people:\n  - email: office@example.gov.cn\n    name: 办公室\n    role: office\n")
    assert "office@example.gov.cn" in units
    gk.write("units.yaml", units)
    assert run_main(["--repo", gk.root, "commit-edits", "units.yaml", "-m", "登记人员"]).code == 0


def pushed(clone: Path, path_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(clone), "push", "origin", "HEAD:refs/heads/main"], capture_output=True,
                          text=True, env={**os.environ, "PATH": path_env})


@pytest.fixture
def server_and_clone(plans_repo, tmp_path, gone):
    registry_with_people(plans_repo)
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(plans_repo.root), str(server))
    installed = run_main(["hook", "install", server])
    assert installed.code == 0, installed.err
    assert GONE in (server / "hooks" / "pre-receive").read_text(encoding="utf-8")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(server), str(clone))
    # someone not in the registry edits by hand: the hook must refuse it
    path = clone / "plans" / "hl2022.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("state: open", "state: done", 1), encoding="utf-8")
    git(clone, "commit", "-qam", "手工关闭")  # by tester@example.cn, who is not in the registry
    return server, clone


def test_hook_finds_gktrack_on_path_when_its_python_is_gone(server_and_clone, tmp_path):
    server, clone = server_and_clone
    result = pushed(clone, bin_with(tmp_path, "python3"))
    assert result.returncode != 0
    assert "gktrack:推送被拒绝" in result.stderr and "找不到" not in result.stderr  # gktrack judged it


def test_hook_refuses_loudly_when_gktrack_is_gone(server_and_clone, tmp_path):
    server, clone = server_and_clone
    result = pushed(clone, bin_with(tmp_path))
    assert result.returncode != 0
    assert "找不到 gktrack" in result.stderr and GONE in result.stderr and "拒绝了本次推送" in result.stderr
    assert git(server, "rev-parse", "main") != git(clone, "rev-parse", "HEAD")  # nothing got in


def test_pre_commit_hook_refuses_loudly_when_gktrack_is_gone(plans_repo, tmp_path, gone):
    assert run_main(["--repo", plans_repo.root, "hook", "install", "--pre-commit", plans_repo.root]).code == 0
    plans_repo.write("plans/hl2022.yaml", plans_repo.text("plans/hl2022.yaml") + "\n")
    result = subprocess.run(["git", "-C", str(plans_repo.root), "commit", "-qam", "手工修改"], capture_output=True,
                            text=True, env={**os.environ, "PATH": bin_with(tmp_path)})
    assert result.returncode != 0 and "找不到 gktrack" in result.stderr and "提交没有完成" in result.stderr


def diverged(gk: Gk, mine: str, theirs: str, task: int = 2) -> None:
    """Two branches adding a different progress note to the same task."""
    git(gk.root, "checkout", "-qb", "other")
    gk.ok("progress", f"hl2022/{task}", theirs, "--date", "2022-03-01")
    git(gk.root, "checkout", "-q", "main")
    gk.ok("progress", f"hl2022/{task}", mine, "--date", "2022-03-02")


def test_merge_driver_found_on_path_when_its_python_is_gone(plans_repo, tmp_path, gone):
    assert run_main(["--repo", plans_repo.root, "setup-merge"]).code == 0
    assert GONE in git(plans_repo.root, "config", "merge.gktrack.driver")
    diverged(plans_repo, "本方的进展", "另一方的进展")
    result = subprocess.run(["git", "-C", str(plans_repo.root), "merge", "-q", "--no-edit", "other"],
                            capture_output=True, text=True,
                            env={**os.environ, "PATH": bin_with(tmp_path, "python3")})
    assert result.returncode == 0, result.stderr
    text = plans_repo.text("plans/hl2022.yaml")
    assert "本方的进展" in text and "另一方的进展" in text and "<<<<<<<" not in text  # merged task by task


def test_merge_driver_fails_loudly_when_gktrack_is_gone(plans_repo, tmp_path, gone):
    assert run_main(["--repo", plans_repo.root, "setup-merge"]).code == 0
    diverged(plans_repo, "本方的进展", "另一方的进展")
    result = subprocess.run(["git", "-C", str(plans_repo.root), "merge", "-q", "--no-edit", "other"],
                            capture_output=True, text=True, env={**os.environ, "PATH": bin_with(tmp_path)})
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "找不到 gktrack" in said and "plans/hl2022.yaml" in said and "git merge --abort" in said
    text = plans_repo.text("plans/hl2022.yaml")
    # nothing kept silently: both sides are in the file, between git's conflict markers
    assert "<<<<<<<" in text and "本方的进展" in text and "另一方的进展" in text
    assert "plans/hl2022.yaml" in git(plans_repo.root, "diff", "--name-only", "--diff-filter=U")
