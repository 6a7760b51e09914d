"""The README's two set-up commands are the ones CI runs, and the bundled plans answer them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL_AND_RUN = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/gktrack status --unit 司法所"
INSTALL_AND_TEST = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"


def test_readme_states_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert INSTALL_AND_RUN in readme
    assert INSTALL_AND_TEST in readme


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert INSTALL_AND_TEST in ci.splitlines()


def test_bundled_plans_answer_the_main_command():
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKTRACK_")}
    env["GKTRACK_NO_CACHE"] = "1"  # do not write into the project's own .git from a test
    out = subprocess.run([sys.executable, "-m", "gktrack", "status", "--unit", "司法所", "--state", "all", "--json"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    tasks = json.loads(out)
    ids = {t["id"] for t in tasks}
    assert "hl2022/1" in ids and "hl2022/3" in ids
    roles = {t["id"]: t["role"] for t in tasks}
    assert roles["hl2022/1"] == "responsible" and roles["hl2022/3"] == "lead"
