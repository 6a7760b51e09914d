#!/usr/bin/env python3
"""Build the offline installer folder: gktrack and every dependency as wheels, for the target
systems, plus ``install.py`` that installs them on a machine with no network.

    python3 tools/offline_build.py                     # dist/gktrack-offline/ (and --zip for a .zip)

Run it in the project folder on a machine that reaches a package index (PyPI or a mirror, as
pip is set up there). By default the folder holds wheels for Windows x64 (win_amd64) and Linux
x86_64 and aarch64 (manylinux_2_28: glibc 2.28 and newer, which covers 统信UOS 20 and 麒麟 V10),
each for CPython 3.10–3.14; ``--platform`` and ``--python`` choose others.

``--python-archive FILE`` (repeatable) adds a relocatable CPython, a python-build-standalone
"install_only" archive (cpython-3.12.*-x86_64-unknown-linux-gnu-install_only.tar.gz …), for
machines whose own Python is older than 3.10 (统信UOS 20 ships 3.7, 麒麟 V10 SP1 3.8):
``install.py`` then unpacks it and runs gktrack with it.

``--from-installed`` needs no network: it packs the distributions installed in the Python that
runs this script (gktrack from its source folder when installed with ``pip install -e``), for
this machine's platform and Python only. The tests use it; it also copies a working install to
identical machines.

Standard library only; pip does the downloading.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each target with every wheel tag it can install: pip does not widen a manylinux tag given with
# --platform to the older, equally compatible ones (opencc, for one, ships only manylinux2014).
PLATFORMS = {
    "win_amd64": ("win_amd64",),
    "linux_x86_64": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"),
    "linux_aarch64": ("manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"),
}
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
MARK = "gktrack-offline.json"  # the manifest: also how we know a folder is ours to replace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="制作 gktrack 离线安装包(文件夹,可另存为 .zip)")
    parser.add_argument("-o", "--out", default=str(ROOT / "dist" / "gktrack-offline"), help="输出文件夹")
    parser.add_argument("--platform", action="append", choices=sorted(PLATFORMS),
                        help="目标系统(可重复;默认全部)")
    parser.add_argument("--python", action="append", help="目标 Python 版本,如 3.12(可重复;默认 3.10–3.14)")
    parser.add_argument("--python-archive", action="append", default=[], type=Path,
                        help="一并放入的 python-build-standalone install_only 压缩包(可重复)")
    parser.add_argument("--from-installed", action="store_true",
                        help="不联网:打包本 Python 中已安装的 gktrack 及其依赖(仅限本机的系统和 Python 版本)")
    parser.add_argument("--zip", action="store_true", help="另外生成同名 .zip")
    args = parser.parse_args(argv)

    for python in args.python or ():
        if not re.fullmatch(r"3\.\d{1,2}", python):
            parser.error(f"--python {python}:应写成 3.12 这样的版本号")
    out = Path(args.out).resolve()
    _fresh(out)
    wheels = out / "wheels"
    wheels.mkdir(parents=True)
    version = _project_version()
    if args.from_installed:
        names = _installed_closure("gktrack") + ["pip"]
        for name in names:
            repack(name, wheels)
        targets = [{"platform": "本机", "python": f"{sys.version_info[0]}.{sys.version_info[1]}"}]
    else:
        _pip("wheel", "--no-deps", "-w", str(wheels), str(ROOT))
        _pip("download", "--no-deps", "--only-binary=:all:", "-d", str(wheels), "pip")
        targets = []
        for platform in args.platform or sorted(PLATFORMS):
            for python in args.python or PYTHONS:
                digits = python.replace(".", "")
                tags = [arg for tag in PLATFORMS[platform] for arg in ("--platform", tag)]
                _pip("download", "--only-binary=:all:", *tags,
                     "--python-version", python, "--implementation", "cp", "--abi", f"cp{digits}",
                     "--abi", "abi3", "--abi", "none", "--find-links", str(wheels), "-d", str(wheels),
                     f"gktrack=={version}")
                targets.append({"platform": platform, "python": python})
    if args.python_archive:
        (out / "python").mkdir()
        for archive in args.python_archive:
            shutil.copy2(archive, out / "python" / archive.name)
    shutil.copy2(ROOT / "tools" / "offline_install.py", out / "install.py")
    (out / "安装说明.txt").write_text(_readme(version, targets), encoding="utf-8")
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    manifest = {"gktrack": version, "targets": targets,
                "files": {rel: _sha256(out / rel) for rel in files}}
    (out / MARK).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.zip:
        archive = shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
        print(f"已生成 {archive}")
    count = len(list(wheels.glob("*.whl")))
    print(f"已生成离线安装包 {out}:gktrack {version},{count} 个 wheel;"
          f"在目标机器上运行 python3 {out.name}/install.py(Windows:py {out.name}\\install.py)")
    return 0


def _fresh(out: Path) -> None:
    if out.exists():
        if any(out.iterdir()) and not (out / MARK).exists():
            sys.exit(f"错误:{out} 已存在且不是离线安装包文件夹,未覆盖;请换一个 --out")
        shutil.rmtree(out)


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    if subprocess.run(command).returncode != 0:
        sys.exit(f"错误:pip 未能完成:{' '.join(args[:2])} …(见上方 pip 的输出)")


def _project_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    if not found:
        sys.exit("错误:pyproject.toml 中没有 version")
    return found.group(1)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _readme(version: str, targets: list[dict]) -> str:
    systems = sorted({t["platform"] for t in targets})
    pythons = sorted({t["python"] for t in targets}, key=lambda v: tuple(map(int, v.split("."))))
    return (f"gktrack {version} 离线安装包\n\n"
            f"适用:{'、'.join(systems)};Python {'、'.join(pythons)}\n\n"
            "安装(不需要联网):\n"
            "  Linux(统信UOS、麒麟等):python3 install.py\n"
            "  Windows:py install.py   (或 python install.py)\n\n"
            "默认装到 ~/.local/share/gktrack(Windows:%LOCALAPPDATA%\\gktrack),并把 gktrack 命令放到\n"
            "~/.local/bin(Windows:加入当前用户的 PATH)。--prefix 文件夹 可改安装位置。\n"
            "本机 Python 低于 3.10 时,使用本文件夹 python/ 中自带的 Python(若制作时放入了)。\n")


# --- packing what is installed ----------------------------------------------------------------


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_closure(top: str) -> list[str]:
    """``top`` and everything it needs, as installed here (requirements whose markers this
    environment does not meet are not installed, and are left out)."""
    from importlib import metadata

    seen: dict[str, str] = {}
    todo = [top]
    while todo:
        name = todo.pop()
        key = _canonical(name)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist.metadata["Name"]
        for requirement in dist.requires or []:
            spec, _, marker = requirement.partition(";")
            if "extra" in marker:
                continue
            todo.append(re.split(r"[\s\[<>=!~(]", spec.strip(), maxsplit=1)[0])
    return list(seen.values())


def _tag_string(tags: list[str]) -> str:
    parts = [t.split("-") for t in tags]
    return "-".join(".".join(dict.fromkeys(p[i] for p in parts)) for i in range(3))


def repack(name: str, out: Path) -> Path:
    """A wheel of the installed distribution ``name`` (see the module's description)."""
    from importlib import metadata

    dist = metadata.distribution(name)
    dist_name = dist.metadata["Name"]
    version = dist.version
    info = f"{re.sub(r'[-.]+', '_', dist_name)}-{version}.dist-info"
    members: dict[str, bytes] = {}
    direct = json.loads(dist.read_text("direct_url.json") or "{}")
    editable = bool(direct.get("dir_info", {}).get("editable"))
    if editable:
        from urllib.parse import urlparse
        from urllib.request import url2pathname

        source = Path(url2pathname(urlparse(direct["url"]).path))
        for package in (dist.read_text("top_level.txt") or "").split():
            for path in sorted((source / package).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                    members[path.relative_to(source).as_posix()] = path.read_bytes()
        tags = ["py3-none-any"]
        wheel_text = None
    else:
        for entry in dist.files or []:
            rel = entry.as_posix()
            if rel.startswith("..") or rel.endswith(".pyc") or "__pycache__" in rel:
                continue  # console scripts (made again on install) and byte code
            if rel.split("/")[0].endswith(".dist-info"):
                continue
            path = Path(dist.locate_file(entry))
            if path.is_file():
                members[rel] = path.read_bytes()
        wheel_text = dist.read_text("WHEEL")
        tags = [line.split(":", 1)[1].strip() for line in (wheel_text or "").splitlines() if line.startswith("Tag:")]
        tags = tags or ["py3-none-any"]
    for extra in ("METADATA", "entry_points.txt", "top_level.txt"):
        text = dist.read_text(extra)
        if text is not None:
            members[f"{info}/{extra}"] = text.encode("utf-8")
    members[f"{info}/WHEEL"] = (wheel_text or "Wheel-Version: 1.0\nGenerator: gktrack offline_build\n"
                                "Root-Is-Purelib: true\nTag: py3-none-any\n").encode("utf-8")
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for rel, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        writer.writerow([rel, f"sha256={digest}", len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    members[f"{info}/RECORD"] = record.getvalue().encode("utf-8")
    target = out / f"{re.sub(r'[-.]+', '_', dist_name)}-{version}-{_tag_string(tags)}.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for rel, data in members.items():
            archive.writestr(rel, data)
    return target


if __name__ == "__main__":
    raise SystemExit(main())
