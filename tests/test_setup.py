"""`gktrack init` / `gktrack setup`: the editor files (JSON Schema + .vscode/settings.json), the
merge attribute and the merge driver, for new repositories and for those made before them."""

from __future__ import annotations

import json

from conftest import Gk, git

from gktrack.storage.git import GRAPH_WORTH

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


def test_setup_has_git_keep_a_commit_graph_for_task_histories(gk):
    """``show`` reads a task's history with a path-limited ``git log``; git's commit-graph with
    changed-path filters spares it opening every commit. setup writes one and has fetch keep it."""
    gk.ok("init")
    gk.ok("new-plan", "p1", "--year", "2024", "--title", "测试计划")
    gk.ok("add", "p1", "任务一", "--unit", "司法所", "--new-unit")
    assert "提交图" not in gk.ok("setup")  # a short history needs none
    for n in range(GRAPH_WORTH):
        gk.git("commit", "-q", "--allow-empty", "-m", f"第{n}次")
    out = gk.ok("setup")
    assert "提交图" in out
    assert gk.git("config", "--get", "fetch.writeCommitGraph").strip() == "true"
    graph = gk.root / ".git" / "objects" / "info" / "commit-graph"
    assert b"BIDX" in graph.read_bytes()[:512]  # the changed-path filters
    assert "未做任何修改" in gk.ok("setup")  # nothing more to do the second time
    assert "任务一" in gk.ok("show", "p1/1")
