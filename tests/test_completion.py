"""Shell completion through Typer's own machinery: the _GKTRACK_COMPLETE protocol in a subprocess,
and the printed bash script run by a real bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import HL2022_TASKS, console_env, run_script


def complete(root: Path, words: str, cword: int | None = None, *, shell: str = "bash",
             cwd: Path | None = None) -> list[str]:
    parts = words.split(" ")
    env = console_env({"_GKTRACK_COMPLETE": f"complete_{shell}", "COMP_WORDS": words,
                       "COMP_CWORD": str(len(parts) - 1 if cword is None else cword),
                       "_TYPER_COMPLETE_ARGS": words})
    proc = subprocess.run([sys.executable, "-m", "gktrack"], cwd=cwd or root, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [line for line in proc.stdout.splitlines() if line]


def test_task_refs(plans_repo):
    root = plans_repo.root
    got = complete(root, "gktrack progress hl2022/")
    assert got == [f"hl2022/{n}" for n in range(1, 7)]
    assert complete(root, "gktrack close hl2022/3") == ["hl2022/3"]
    # one plan matches: its tasks; several: all of theirs
    assert complete(root, "gktrack show qz") == ["qz2024/1", "qz2024/2"]
    assert len(complete(root, "gktrack show ")) == 8
    assert complete(root, "gktrack edit hl2022/9") == []


def test_plans_and_units(plans_repo):
    root = plans_repo.root
    assert complete(root, "gktrack status --plan ") == ["hl2022", "qz2024"]
    assert complete(root, "gktrack overdue --plan q") == ["qz2024"]
    assert complete(root, "gktrack add-section h") == ["hl2022"]
    units = complete(root, "gktrack status --unit ")
    assert {"司法所", "党政综合办", "综合办", "区政数局", "政数局", "各有关单位", "各村(社区)"} <= set(units)
    assert complete(root, "gktrack overdue -u 综") == ["综合办"]
    assert complete(root, "gktrack assign hl2022/1 --lead 司") == ["司法所"]
    assert complete(root, "gktrack export --unit 横") == ["横东村"]
    # commands themselves
    assert "import-progress" in complete(root, "gktrack im")


def test_zsh_descriptions_and_repo_option(plans_repo, tmp_path):
    out = "\n".join(complete(plans_repo.root, "gktrack show hl2022/1", shell="zsh"))
    assert "hl2022/1" in out and HL2022_TASKS[1][:10] in out
    # outside the repository: --repo is honoured; without it nothing is offered, and no error
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert complete(plans_repo.root, f"gktrack --repo {plans_repo.root} show qz2024/", cwd=elsewhere) == \
        ["qz2024/1", "qz2024/2"]
    assert complete(plans_repo.root, "gktrack show qz", cwd=elsewhere) == []


def test_completion_command_and_help(plans_repo):
    script = plans_repo.ok("completion", "bash")
    assert "_GKTRACK_COMPLETE=complete_bash" in script and "complete -o default -F _gktrack_completion gktrack" in script
    assert "compdef _gktrack_completion gktrack" in plans_repo.ok("completion", "zsh")
    assert "complete --command gktrack" in plans_repo.ok("completion", "fish")
    assert "bash、zsh、fish" in plans_repo.fail("completion", "tcsh")
    help_text = run_script(["--help"], plans_repo.root).stdout
    assert "completion" in help_text and "install-completion" not in help_text


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_real_bash_runs_the_script(plans_repo, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "gktrack"
    launcher.write_text(f"#!/bin/sh\nexec {sys.executable} -m gktrack \"$@\"\n", encoding="utf-8")
    launcher.chmod(0o755)
    script = plans_repo.ok("completion", "bash")
    (tmp_path / "gk.bash").write_text(script, encoding="utf-8")
    test = ('source ./gk.bash; COMP_WORDS=(gktrack close qz2024/); COMP_CWORD=2; '
            '_gktrack_completion gktrack; printf "%s\\n" "${COMPREPLY[@]}"')
    env = console_env({"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"})
    proc = subprocess.run(["bash", "-c", test], cwd=tmp_path, capture_output=True,
                          text=True, encoding="utf-8", env={**env, "GKTRACK_REPO": str(plans_repo.root)}, timeout=60)
    assert proc.stdout.split() == ["qz2024/1", "qz2024/2"], proc.stderr


# --- colour, width and progress bars: the terminal decides ---------------------------------------

def run_in_pty(args: list[str], cwd: Path, extra: dict | None = None, encoding: str = "utf-8") -> str:
    """Run gktrack with stdout and stderr on a pseudo-terminal; everything it wrote (read as
    ``encoding``: a console in another code page is played with PYTHONIOENCODING)."""
    import pty

    master, slave = pty.openpty()
    env = console_env({"COLUMNS": "120", "TERM": "xterm-256color", **(extra or {})})
    if "NO_COLOR" not in (extra or {}):
        env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "gktrack", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode(encoding, "replace")


ESC = "\x1b["


def test_colour_only_on_a_terminal_and_never_with_no_color(plans_repo):
    tty = run_in_pty(["overdue"], plans_repo.root)
    assert ESC in tty and "逾期" in tty
    plain = run_in_pty(["overdue"], plans_repo.root, {"NO_COLOR": "1"})
    assert "逾期" in plain and "\x1b[3" not in plain and "\x1b[1;3" not in plain  # no colour codes
    piped = run_script(["overdue"], plans_repo.root)
    assert piped.returncode == 0 and "逾期" in piped.stdout and ESC not in piped.stdout + piped.stderr


def test_status_table_aligned_with_chinese_text(plans_repo):
    """Every line of the table takes the same number of terminal cells (a Chinese character two)."""
    from rich.cells import cell_len

    out = run_script(["status", "--plan", "hl2022"], plans_repo.root, {"COLUMNS": "100"}).stdout
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if "──────────" in line)
    table = []
    for line in lines[rule - 1:]:
        if not line.strip():
            break
        table.append(line)
    assert len(table) > 6 and any("hl2022/1" in line for line in table)
    assert {cell_len(line) for line in table} == {cell_len(lines[rule])}
    assert cell_len(lines[rule]) <= 100


def test_import_several_files_with_a_progress_bar_on_a_terminal(gk, tmp_path):
    from tests.conftest import run_main

    seeds = Path(__file__).resolve().parent / "fixtures" / "seeds"
    files = sorted(seeds.glob("00[01]_*.txt"))
    assert run_main(["init"]).code == 0
    out = run_in_pty(["import", *map(str, files)], gk.root)
    assert "导入" in out and "2/2" in out  # the bar, drawn on the terminal
    assert "已导入" in out and "hl2022" in out and "qz2017" in out
    assert gk.count() == 3  # init + one commit per file
    # piped: no bar, one line per file; a file that fails is reported and the others still go in
    extra = tmp_path / "p.xlsx"
    _sheet(extra)
    again = run_script(["import", str(files[0]), str(extra)], gk.root)
    assert again.returncode == 1
    assert "已导入为计划 hl2022" in again.stderr and "━" not in again.stderr
    assert again.stdout.startswith("已导入 ") and "xx2024" in again.stdout
    assert "--id" in gk.fail("import", str(files[0]), str(extra), "--id", "x")


def _sheet(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["新兴县2024年政务公开工作要点任务分工表"])
    ws.append(["序号", "具体要求", "责任单位", "时限要求"])
    ws.append([1, "做好政策解读。", "县政数局", "6月底前"])
    book.save(path)
