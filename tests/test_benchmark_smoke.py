"""The benchmark scripts still run: a small repository from make_repo, and run.py --quick.

No timing is asserted here (CI machines vary); the numbers live in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import make_repo  # noqa: E402
from gktrack.storage import git as gkgit# noqa: E402
from gktrack.storage.planfile import new_plan_text, read_plan  # noqa: E402


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GKTRACK_"))}
    env.update({"HOME": str(tmp_path / "home"), "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8",
                "GKTRACK_TODAY": "2024-12-20"})
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def _gk(root: Path, env: dict[str, str], *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gktrack", *argv], cwd=root, env=env, capture_output=True,
                          text=True, encoding="utf-8")


def test_make_repo_builds_a_valid_reproducible_history(tmp_path):
    env = _env(tmp_path)
    first = make_repo.build(tmp_path / "a", plans=3, tasks=12, commits=150, seed=7, year=2024, units_count=30,
                            verify=True)  # verify: every plan equals new_plan_text byte for byte
    second = make_repo.build(tmp_path / "b", plans=3, tasks=12, commits=150, seed=7, year=2024, units_count=30)
    assert first == second
    assert first["commits"] == 150 and first["tasks"] == 36
    root = tmp_path / "a"
    heads = [subprocess.run(["git", "-C", str(r), "rev-parse", "HEAD"], capture_output=True, text=True,
                            env=env).stdout for r in (root, tmp_path / "b")]
    assert heads[0] == heads[1]  # same seed, same bytes, same dates: the same commits

    # The working tree is checked out clean and every plan reads back in gktrack's own format.
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True, env=env)
    assert status.stdout == ""
    for path in sorted((root / "plans").glob("*.yaml")):
        plan = read_plan(path, f"plans/{path.name}")
        assert path.read_text(encoding="utf-8") == new_plan_text(plan)

    # History: backdated into the plan year, mostly gktrack trailers, some hand edits.
    log = subprocess.run(["git", "-C", str(root), "log", "--format=%aI%x00%B%x01"], capture_output=True, text=True,
                         env=env, encoding="utf-8").stdout
    entries = [e.strip("\n") for e in log.split("\x01") if e.strip()]
    assert len(entries) == 150
    actions = [gkgit.read_trailers(e.split("\0", 1)[1]).get(gkgit.TRAILER_ACTION) for e in entries]
    assert all(e.split("\0")[0].startswith("2024-") for e in entries)
    assert {"init", "import", "progress", "close"} <= set(actions)
    hand = actions.count(None)
    assert 0 < hand < len(actions) * 0.15

    # And gktrack itself works on it: validate is clean, status --json lists the open tasks.
    assert _gk(root, env, "validate").returncode == 0
    result = _gk(root, env, "status", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == first["open"]


def test_run_quick_times_every_job(tmp_path):
    env = _env(tmp_path)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # run.py must drop it for the timed processes
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--out-dir",
                           str(tmp_path / "work"), "--results", str(tmp_path / "RESULTS.md")],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for job in ("`--help`", "`status`", "`status --unit U`", "`status --json`", "`overdue`", "`show`",
                "`progress`", "`close`", "`status (fresh clone, no index)`", "`overdue (after a progress)`",
                "`report YEAR`", "`validate`"):
        assert job in out
    assert "failed" not in out, out
    assert "PYTHONDONTWRITEBYTECODE unset" in out
    assert not (tmp_path / "RESULTS.md").exists()  # --quick never overwrites the recorded results
    # The writes really happened: two new commits on top of the generated history.
    log = subprocess.run(["git", "-C", str(tmp_path / "work" / "gk1000"), "log", "-4", "--format=%B"],
                         capture_output=True, text=True, encoding="utf-8", env=env).stdout
    assert "Gktrack-Action: close" in log and "Gktrack-Action: progress" in log


def test_taskwarrior_gets_the_same_tasks(tmp_path):
    """The Taskwarrior side of the benchmark is built from gktrack's own reading of the plans
    (no Taskwarrior is needed to check that)."""
    from benchmarks import run

    info = make_repo.build(tmp_path / "a", plans=2, tasks=10, commits=40, seed=3, year=2024, units_count=20)
    rows, pending = run.taskwarrior_rows(tmp_path / "a")
    assert len(rows) == info["tasks"] == 20
    assert {row["status"] for row in rows} <= {"pending", "completed"}
    assert pending == [row["uuid"] for row in rows if row["status"] == "pending"] and pending
    assert all(row["due"].startswith(("2024", "2025")) for row in rows if "due" in row)
    assert any("due" in row for row in rows)
