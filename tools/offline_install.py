#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Install gktrack from this offline folder, with no network at all.

    python3 install.py            (Windows: py install.py)

What it does:
1. picks the Python: the one running this script if it is 3.10 or newer; otherwise the
   relocatable CPython in ``python/`` (if the folder was built with one), unpacked into the
   install folder;
2. makes a virtual environment ``<prefix>/venv`` (replacing an earlier one: that is how
   gktrack is upgraded) and installs gktrack into it from ``wheels/`` only: pip runs from the
   folder's own pip wheel, with every index and every pip configuration switched off;
3. puts the ``gktrack`` command on PATH: a link in ~/.local/bin (Linux), or the environment's
   Scripts folder added to the user's PATH (Windows). ``--no-path`` leaves PATH alone.

Runs on Python 3.6 and newer, so that an old system Python can still start it (and say what is
missing, in one Chinese line). Standard library only. Made by tools/offline_build.py.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WINDOWS = os.name == "nt"
MINIMUM = (3, 10)


def fail(message, code=2):
    sys.stderr.write("gktrack 安装:错误:" + message + "\n")
    sys.exit(code)


def default_prefix():
    if WINDOWS:
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "gktrack"


def manifest():
    try:
        return json.loads((HERE / "gktrack-offline.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def machine():
    name = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64"}.get(name, name)


def bundled_archive():
    """The newest python-build-standalone archive in python/ for this system, or None."""
    folder = HERE / "python"
    triple = "x86_64-pc-windows-msvc" if WINDOWS else machine() + "-unknown-linux-gnu"
    found = []
    for path in folder.iterdir() if folder.is_dir() else []:
        match = re.match(r"cpython-(\d+)\.(\d+)\.(\d+)\S*-" + re.escape(triple) + r"-install_only\S*\.tar\.gz$",
                         path.name)
        if match:
            found.append((tuple(int(g) for g in match.groups()), path))
    return max(found)[1] if found else None


def unpack(archive, prefix):
    """Unpack a python-build-standalone archive (top folder ``python/``) into ``prefix``."""
    target = prefix / "python"
    prefix.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        shutil.rmtree(str(target))
    with tarfile.open(str(archive)) as tar:
        for member in tar.getmembers():
            parts = member.name.replace("\\", "/").split("/")
            if member.name.startswith(("/", "\\")) or ".." in parts or parts[0] != "python":
                fail("自带的 Python 压缩包 {} 中有不安全的路径 {}".format(archive, member.name))
        if hasattr(tarfile, "data_filter"):
            tar.extractall(str(prefix), filter="data")
        else:
            tar.extractall(str(prefix))
    python = target / "python.exe" if WINDOWS else target / "bin" / "python3"
    if not python.is_file():
        fail("自带的 Python 压缩包 {} 中没有 {}".format(archive.name, python.relative_to(prefix).as_posix()))
    return python


def choose_python(prefix, bundled):
    if not bundled and sys.version_info[:2] >= MINIMUM:
        return Path(sys.executable)
    archive = bundled_archive()
    if archive is None:
        have = "{}.{}.{}".format(*sys.version_info[:3])
        if bundled:
            fail("本安装包的 python/ 中没有适合本机({} {})的 Python".format(platform.system(), machine()))
        fail("gktrack 需要 Python 3.10 或更新版本,本机的 {} 是 {};本安装包没有自带 Python。"
             "请安装 Python 3.10 以上版本后用它运行本脚本,或用带 --python-archive 制作的安装包"
             "(见 README“离线安装”)".format(sys.executable, have))
    print("使用安装包自带的 Python:" + archive.name)
    return unpack(archive, prefix)


def pip_environment():
    """Nothing from the user's or the system's pip configuration: no index, no mirror."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PYTHONNOUSERSITE"] = "1"
    return env


def make_venv(python, venv):
    if venv.exists():
        if not (venv / "pyvenv.cfg").is_file():
            fail("{} 已存在但不是 gktrack 的安装,未覆盖;请用 --prefix 指定别的文件夹".format(venv))
        shutil.rmtree(str(venv))
    # --without-pip: no ensurepip needed (Debian-based systems often leave it out); pip comes
    # from the folder's own wheel below.
    proc = subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)
    if proc.returncode != 0:
        fail("无法建立虚拟环境 {}:{}".format(venv, proc.stdout.strip().splitlines()[-1:] or ""))
    return venv / "Scripts" / "python.exe" if WINDOWS else venv / "bin" / "python"


def install_wheels(venv_python, wheels):
    pips = sorted(wheels.glob("pip-*.whl"))
    if not pips:
        fail("{} 中没有 pip 的 wheel,安装包不完整;请重新制作".format(wheels))
    command = [str(venv_python), str(pips[-1] / "pip"), "install", "--no-index", "--find-links", str(wheels),
               "--no-cache-dir", "--disable-pip-version-check", "--no-warn-script-location", "gktrack"]
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                          env=pip_environment())
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout)
        targets = manifest().get("targets") or []
        made_for = "、".join(sorted({"{} Python {}".format(t.get("platform"), t.get("python")) for t in targets}))
        version = subprocess.run([str(venv_python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
        fail("pip 未能从本安装包安装 gktrack(见上方输出);本机为 {} {}、Python {},"
             "本安装包适用于:{}".format(platform.system(), machine(), version, made_for or "未知"))


def put_on_path(venv):
    """Where the gktrack command now is, and a hint if it is not on PATH yet (or None)."""
    if WINDOWS:
        scripts = venv / "Scripts"
        return scripts / "gktrack.exe", add_to_user_path(scripts)
    command = venv / "bin" / "gktrack"
    bin_dir = Path.home() / ".local" / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    link = bin_dir / "gktrack"
    if link.is_symlink():
        link.unlink()
    elif link.exists():
        return command, "{} 已存在且不是链接,未改动;可直接运行 {}".format(link, command)
    link.symlink_to(command)
    on_path = [Path(p).resolve() for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    if bin_dir.resolve() not in on_path:
        return link, ("{} 不在 PATH 中:请在 ~/.bashrc 或 ~/.profile 中加入一行 "
                      "export PATH=\"$HOME/.local/bin:$PATH\",重新登录后即可直接运行 gktrack".format(bin_dir))
    return link, None


def add_to_user_path(folder):
    """Windows: the folder at the end of the current user's PATH (registry), if not there yet."""
    try:
        import winreg
        import ctypes
    except ImportError:
        return "请把 {} 加入 PATH".format(folder)
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, "Environment", 0,
                        winreg.KEY_READ | winreg.KEY_WRITE) as key:
        try:
            value, kind = winreg.QueryValueEx(key, "Path")
        except FileNotFoundError:
            value, kind = "", winreg.REG_EXPAND_SZ
        parts = [p for p in value.split(";") if p]
        if any(os.path.normcase(p.rstrip("\\")) == os.path.normcase(str(folder)) for p in parts):
            return None
        winreg.SetValueEx(key, "Path", 0, kind if kind in (winreg.REG_SZ, winreg.REG_EXPAND_SZ) else
                          winreg.REG_EXPAND_SZ, ";".join(parts + [str(folder)]))
    try:  # tell Explorer, so that new command windows see the new PATH
        ctypes.windll.user32.SendMessageTimeoutW(0xFFFF, 0x001A, 0, "Environment", 0x0002, 5000, None)
    except (AttributeError, OSError):
        pass
    return "已把 {} 加入当前用户的 PATH:新开一个命令行窗口后即可直接运行 gktrack".format(folder)


def main(argv=None):
    parser = argparse.ArgumentParser(description="从本文件夹离线安装 gktrack(不需要联网)")
    parser.add_argument("--prefix", default=str(default_prefix()), help="安装到此文件夹(默认 %(default)s)")
    parser.add_argument("--no-path", action="store_true", help="不改动 PATH(不建立 ~/.local/bin 链接)")
    parser.add_argument("--bundled-python", action="store_true", help="即使本机 Python 够新,也使用安装包自带的 Python")
    args = parser.parse_args(argv)

    wheels = HERE / "wheels"
    if not wheels.is_dir():
        fail("{} 旁边没有 wheels 文件夹:请运行离线安装包文件夹中的 install.py".format(__file__))
    prefix = Path(args.prefix).expanduser().resolve()  # made only once the Python is settled
    python = choose_python(prefix, args.bundled_python)
    venv = prefix / "venv"
    venv_python = make_venv(python, venv)
    install_wheels(venv_python, wheels)
    command = venv / "Scripts" / "gktrack.exe" if WINDOWS else venv / "bin" / "gktrack"
    check = subprocess.run([str(command), "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           universal_newlines=True)
    if check.returncode != 0:
        fail("安装后 gktrack 无法运行:" + (check.stderr.strip().splitlines() or ["(无输出)"])[-1])
    shown, hint = (command, None) if args.no_path else put_on_path(venv)
    version = (manifest().get("gktrack") or "").strip()
    print("已安装 gktrack {}到 {};命令:{}".format(version + " " if version else "", venv, shown))
    if hint:
        print(hint)
    print("钩子和合并驱动会在 PATH 中找到它;原来装在别处的,可在各克隆中运行一次 gktrack setup、"
          "在服务器上重新运行 gktrack hook install,记下新位置")
    return 0


if __name__ == "__main__":
    sys.exit(main())
