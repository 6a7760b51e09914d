"""`gktrack init` / `gktrack setup`: the editor files (JSON Schema + .vscode/settings.json), the
merge attribute and the merge driver, for new repositories and for those made before them."""

from __future__ import annotations

import json

from conftest import Gk, git

EDITOR_FILES = [".gktrack/plan.schema.json", ".gktrack/units.schema.json", ".vscode/settings.json"]


def test_init_points_the_yaml_language_server_at_the_shipped_schemas(gk):
    gk.ok("init")
    info = gk.commit_info()
    assert set(EDITOR_FILES) | {".gitattributes", "units.yaml", "plans/.gitkeep"} == set(info.files)
    settings = json.loads(gk.text(".vscode/settings.json"))
    assert settings["yaml.schemas"] == {"./.gktrack/plan.schema.json": ["plans/*.yaml"],
                                        "./.gktrack/units.schema.json": ["units.yaml"]}
    # the repository's copies are what `gktrack schema` prints (generated from the code's model)
    assert gk.text(".gktrack/plan.schema.json") == gk.ok("schema", "plan")
    assert gk.text(".gktrack/units.schema.json") == gk.ok("schema", "units")
    assert json.loads(gk.text(".gktrack/plan.schema.json"))["title"].startswith("gktrack 计划文件")
    before = gk.snapshot()
    assert "未做任何修改" in gk.ok("init")
    assert gk.snapshot() == before and gk.count() == 1


def test_setup_adds_what_an_older_repository_lacks_in_one_commit(gk):
    gk.ok("init")
    # a repository made before init wrote these files
    gk.git("rm", "-q", "--", *EDITOR_FILES, ".gitattributes")
    gk.git("commit", "-qm", "旧版本的仓库")
    gk.write("units.yaml", gk.text("units.yaml") + "# 手工修改,尚未提交\n")
    gk.write("draft.txt", "无关的草稿\n")
    out = gk.ok("setup")
    assert "补充" in out and all(rel in out for rel in EDITOR_FILES)
    info = gk.commit_info()
    assert sorted(info.files) == sorted([".gitattributes", *EDITOR_FILES])
    assert info.summary.startswith("补充 gktrack 仓库设置:") and info.trailers == {"Gktrack-Action": "init"}
    # the hand edit and the unrelated draft are not swept into that commit
    assert gk.status() == " M units.yaml\n?? draft.txt\n"
    count = gk.count()
    assert "未做任何修改" in gk.ok("setup")
    assert gk.count() == count


def test_setup_in_a_fresh_clone_registers_the_merge_driver(gk, tmp_path):
    gk.ok("init")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(gk.root), str(clone))
    assert git(clone, "config", "merge.gktrack.driver", check=False) == ""
    other = Gk(clone)
    out = other.ok("--repo", str(clone), "setup")
    assert "已在本仓库的 git 配置中登记合并驱动" in out and "无需提交" in out
    assert "merge-driver %O %A %B %P" in git(clone, "config", "merge.gktrack.driver")
    assert other.count() == 1 and other.status() == ""
    # setup-merge keeps working (driver only)
    assert other.ok("--repo", str(clone), "setup-merge").strip() == "合并驱动已配置好,未做任何修改"


def test_setup_leaves_an_existing_vscode_settings_file_alone(gk):
    gk.git("init", "-q")
    gk.write(".vscode/settings.json", '{"editor.fontSize": 16}\n')
    gk.hand_commit("个人设置", ".vscode/settings.json")
    gk.ok("init")
    assert gk.text(".vscode/settings.json") == '{"editor.fontSize": 16}\n'
    assert ".vscode/settings.json" not in gk.commit_info().files
