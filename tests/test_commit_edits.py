"""`gktrack commit-edits`: which files it takes, also when run with --repo from elsewhere."""

from __future__ import annotations

from conftest import Gk


def _hand_edit(gk: Gk) -> None:
    gk.ok("init")
    gk.ok("new-plan", "p1", "--year", "2024", "--title", "测试计划")
    gk.write("plans/p1.yaml", gk.text("plans/p1.yaml") + "# 手工加的注释\n")


def test_commit_edits_with_repo_from_outside_takes_paths_from_the_repository_root(gk, tmp_path, monkeypatch):
    _hand_edit(gk)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert "已提交手工修改:plans/p1.yaml" in gk.ok("-C", gk.root, "commit-edits", "plans/p1.yaml", "-m", "注释")
    info = gk.commit_info()
    assert info.files == ["plans/p1.yaml"] and info.trailers["Gktrack-Action"] == "edit"
    assert gk.status() == ""


def test_commit_edits_from_a_subfolder_takes_paths_from_there(gk, monkeypatch):
    _hand_edit(gk)
    monkeypatch.chdir(gk.root / "plans")
    assert "已提交手工修改:plans/p1.yaml" in gk.ok("commit-edits", "p1.yaml")


def test_commit_edits_of_a_file_outside_the_repository_is_refused(gk, tmp_path):
    _hand_edit(gk)
    stray = tmp_path / "stray.yaml"
    stray.write_text("schema: 1\n", encoding="utf-8")
    line = gk.fail("commit-edits", str(stray))
    assert "不在计划仓库" in line
