"""The offline installer: build the folder from what is on this disk (``--from-installed``), then
install from it as on an office PC with no network (in a network namespace of its own where the
kernel allows one) and run the installed gktrack.

The build from the package index for every target system and Python (the README's command)
needs the network, so CI runs it (.ci/run) after these tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "tools" / "offline_build.py"
# a child Python that says it is 3.8 (麒麟 V10 SP1's) and runs the installer
OLD_PYTHON = ("import runpy, sys; sys.version_info = (3, 8, 10, 'final', 0); sys.argv[0] = sys.argv[1]; "
              "del sys.argv[1]; runpy.run_path(sys.argv[0], run_name='__main__')")


def offline(command: list[str]) -> list[str]:
    """``command`` with no network at all, where this kernel lets us (else as it is: the
    installer switches every index and pip setting off itself)."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-n", *command]
    return command


def clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "GKTRACK_", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), PATH=os.environ.get("PATH", ""))
    return env


def build(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD), "--from-installed", "-o", str(out), *extra],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Built once; with a stand-in interpreter in python/ (used only where Python is too old)."""
    base = tmp_path_factory.mktemp("offline")
    out = base / "gktrack-offline"
    result = build(out, "--python-archive", str(fake_standalone_python(base)))
    assert result.returncode == 0, result.stderr
    return out


def install(folder: Path, home: Path, *args: str, old_python: bool = False) -> subprocess.CompletedProcess:
    script = str(folder / "install.py")
    command = [sys.executable, "-c", OLD_PYTHON, script] if old_python else [sys.executable, script]
    return subprocess.run(offline([*command, *args]), capture_output=True, text=True, encoding="utf-8",
                          env=clean_env(home), timeout=300)


def test_folder_holds_every_wheel_and_the_installer(folder):
    wheels = {p.name.split("-")[0].lower() for p in (folder / "wheels").glob("*.whl")}
    assert {"gktrack", "pip", "typer", "rich", "pyyaml", "lxml", "openpyxl", "python_docx",
            "chinesecalendar", "pypinyin", "icalendar", "python_dateutil"} <= wheels
    assert not {"pytest", "hypothesis"} & wheels  # gktrack's own needs, not the tests'
    manifest = json.loads((folder / "gktrack-offline.json").read_text(encoding="utf-8"))
    assert manifest["gktrack"] == "0.1.0"
    assert set(manifest["files"]) >= {"install.py", "安装说明.txt"}
    assert any(name.startswith("python/cpython-3.12.7") for name in manifest["files"])
    assert "python3 install.py" in (folder / "安装说明.txt").read_text(encoding="utf-8")


def test_offline_install_then_upgrade_in_place(folder, tmp_path, plans_repo):
    home = tmp_path / "home"
    prefix = tmp_path / "装在这里"
    first = install(folder, home, "--prefix", str(prefix))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "已安装 gktrack 0.1.0" in first.stdout
    assert "自带的 Python" not in first.stdout and not (prefix / "python").exists()  # this one is new enough
    link = home / ".local" / "bin" / "gktrack"
    assert link.is_symlink() and Path(os.readlink(link)) == prefix / "venv" / "bin" / "gktrack"
    assert "不在 PATH 中" in first.stdout  # and says how to put it there
    # the installed gktrack reads a plans repository as the development one does
    env = {**clean_env(home), "GKTRACK_TODAY": "2024-07-01"}
    installed = subprocess.run([str(link), "status", "--json"], cwd=plans_repo.root, capture_output=True, text=True,
                               encoding="utf-8", env=env, timeout=60)
    assert installed.returncode == 0, installed.stderr
    assert json.loads(installed.stdout) == plans_repo.json("status", "--json")
    # running it again replaces the environment: that is how a newer folder upgrades
    again = install(folder, home, "--prefix", str(prefix))
    assert again.returncode == 0, again.stdout + again.stderr
    assert subprocess.run([str(link), "--help"], capture_output=True, env=env).returncode == 0


def test_old_python_without_a_bundled_one_is_one_line(folder, tmp_path):
    bare = tmp_path / "without-python"
    shutil.copytree(folder, bare, ignore=shutil.ignore_patterns("python"))
    result = install(bare, tmp_path / "home", "--prefix", str(tmp_path / "gk"), old_python=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "需要 Python 3.10 或更新版本" in lines[0] and "3.8.10" in lines[0]
    assert not (tmp_path / "gk").exists()  # nothing made


def fake_standalone_python(tmp_path: Path) -> Path:
    """A stand-in for a python-build-standalone archive: ``python/bin/python3`` starts this
    machine's own interpreter (a real archive holds a relocatable CPython there)."""
    base = Path(getattr(sys, "_base_executable", sys.executable)).resolve()
    script = tmp_path / "python3"
    script.write_text(f'#!/bin/sh\nexec "{base}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    archive = tmp_path / "cpython-3.12.7+20241016-x86_64-unknown-linux-gnu-install_only.tar.gz"
    machine = os.uname().machine
    archive = archive.with_name(archive.name.replace("x86_64", "aarch64" if machine in ("aarch64", "arm64") else "x86_64"))
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(script, arcname="python/bin/python3")
    return archive


def test_old_python_uses_the_bundled_interpreter(folder, tmp_path, plans_repo):
    home = tmp_path / "home"
    prefix = tmp_path / "gk"
    done = install(folder, home, "--prefix", str(prefix), "--no-path", old_python=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "使用安装包自带的 Python" in done.stdout
    assert (prefix / "python" / "bin" / "python3").is_file()
    assert not (home / ".local" / "bin" / "gktrack").exists()  # --no-path
    gk = prefix / "venv" / "bin" / "gktrack"
    ran = subprocess.run([str(gk), "units", "--json"], cwd=plans_repo.root, capture_output=True, text=True,
                         env=clean_env(home), timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert "司法所" in ran.stdout


def test_build_does_not_overwrite_a_foreign_folder(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "重要.txt").write_text("不要删", encoding="utf-8")
    result = build(tmp_path / "mine")
    assert result.returncode != 0 and "未覆盖" in result.stderr
    assert (tmp_path / "mine" / "重要.txt").exists()
