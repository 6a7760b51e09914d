"""Who may change what: the CLI check, and the server's pre-receive hook on real pushes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import Gk, git, run_main, identities_per_clone
from gktrack.domain.permissions import (
    RULE_ADD_REMOVE, RULE_OFFICE_FIELDS, RULE_REGISTRY, RULE_UNIT, RULE_UNKNOWN,
)

OFFICE = ("办公室", "office@example.gov.cn")
ZHANG = ("张三", "zhang@example.gov.cn")
LI = ("李四", "li@example.gov.cn")

REGISTRY = """\
schema: 1
units:
  - name: 司法所
  - name: 财政所
collectives:
  - name: 各有关单位
    members: all
people:
  - email: office@example.gov.cn
    name: 办公室
    role: office
  - email: zhang@example.gov.cn
    name: 张三
    units: [司法所]
  - email: li@example.gov.cn
    name: 李四
    units: [财政所]
"""


@pytest.fixture
def org(gk_env, tmp_path, monkeypatch):
    """A plans repository with people, its bare server with the hook, and three clones."""
    identities_per_clone(tmp_path, monkeypatch, OFFICE)
    seed = tmp_path / "seed"
    assert run_main(["init", seed]).code == 0
    (seed / "units.yaml").write_text(REGISTRY, encoding="utf-8")
    ok(seed, "commit-edits", "-m", "登记人员")
    ok(seed, "new-plan", "p1", "--year", "2024", "--title", "测试计划")
    ok(seed, "add", "p1", "任务一", "--unit", "司法所")
    ok(seed, "add", "p1", "任务二", "--unit", "财政所")
    ok(seed, "add", "p1", "任务三", "--unit", "司法所")
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(server))
    installed = run_main(["hook", "install", server])
    assert installed.code == 0, installed.err
    assert "已安装 pre-receive 钩子" in installed.out and "receive.denyNonFastForwards" in installed.out
    clones = {"server": server, "tmp": tmp_path}
    for key, who in (("office", OFFICE), ("zhang", ZHANG), ("li", LI)):
        path = tmp_path / key
        git(tmp_path, "clone", "-q", str(server), str(path))
        git(path, "config", "user.name", who[0])
        git(path, "config", "user.email", who[1])
        clones[key] = path
    return clones


def ok(root: Path, *args) -> str:
    result = run_main(["--repo", root, *args])
    assert result.code == 0, (args, result.code, result.err)
    return result.out


def push(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), "push", *extra, "origin", "HEAD:refs/heads/main"],
                          capture_output=True, text=True)


def server_head(org) -> str:
    return git(org["server"], "rev-parse", "main").strip()


def short_head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()[:8]


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def hand_commit(root: Path, message: str, *paths: str) -> None:
    git(root, "add", "--", *paths)
    git(root, "commit", "-q", "--no-verify", "-m", message, "--", *paths)


# --- the pre-receive hook ---------------------------------------------------------------------


def test_liaison_progress_and_close_on_own_tasks_are_accepted(org):
    zhang = org["zhang"]
    ok(zhang, "progress", "p1/1", "司法所的进展")
    ok(zhang, "close", "p1/3", "-m", "已办结", "-e", "https://example.gov.cn/1")
    pushed = push(zhang)
    assert pushed.returncode == 0, pushed.stderr
    assert server_head(org) == git(zhang, "rev-parse", "HEAD").strip()


def test_tool_made_progress_on_another_units_task_is_rejected(org):
    li = org["li"]
    # 李四 gets past the CLI by editing his local registry (not committed): the server still knows.
    replace(li, "units.yaml", "    units: [财政所]\n", "    units: [财政所, 司法所]\n")
    ok(li, "progress", "p1/1", "越权的进展")
    git(li, "checkout", "--", "units.yaml")
    before = server_head(org)
    pushed = push(li)
    assert pushed.returncode != 0
    assert server_head(org) == before  # nothing accepted
    assert f"提交 {short_head(li)}" in pushed.stderr
    assert "任务 p1/1" in pushed.stderr and "该任务属于 司法所" in pushed.stderr
    assert RULE_UNIT in pushed.stderr
    assert "推送被拒绝" in pushed.stderr


def test_hand_made_edit_of_task_text_by_a_liaison_is_rejected(org):
    li = org["li"]
    replace(li, "plans/p1.yaml", "    text: 任务二\n", "    text: 任务二(李四改写)\n")
    hand_commit(li, "改写任务二", "plans/p1.yaml")
    pushed = push(li)
    assert pushed.returncode != 0
    assert f"提交 {short_head(li)}" in pushed.stderr and "“改写任务二”" in pushed.stderr
    assert "任务 p1/2" in pushed.stderr and "修改了 text" in pushed.stderr
    assert RULE_OFFICE_FIELDS in pushed.stderr


def test_hand_made_progress_on_own_task_is_accepted(org):
    li = org["li"]
    replace(li, "plans/p1.yaml", "    text: 任务二\n    responsible: [财政所]\n    state: open\n",
            "    text: 任务二\n    responsible: [财政所]\n    state: open\n    progress:\n"
            "      - date: 2024-06-01\n        unit: 财政所\n        note: 手工补记\n")
    hand_commit(li, "手工补记进展", "plans/p1.yaml")
    pushed = push(li)
    assert pushed.returncode == 0, pushed.stderr


def test_registry_change_by_a_liaison_is_rejected_by_the_office_accepted(org):
    li, office = org["li"], org["office"]
    replace(li, "units.yaml", "    units: [财政所]\n", "    units: [财政所, 司法所]\n")
    hand_commit(li, "给自己加单位", "units.yaml")
    pushed = push(li)
    assert pushed.returncode != 0
    assert "units.yaml" in pushed.stderr and RULE_REGISTRY in pushed.stderr

    replace(office, "units.yaml", "    units: [财政所]\n", "    units: [财政所, 司法所]\n")
    ok(office, "commit-edits", office / "units.yaml", "-m", "李四兼管司法所")
    pushed = push(office)
    assert pushed.returncode == 0, pushed.stderr
    # the new rule holds from the next commit on: 李四 may now record progress on 司法所 tasks
    git(li, "reset", "-q", "--hard", "origin/main")
    git(li, "pull", "-q", "--ff-only")
    ok(li, "progress", "p1/1", "兼管后的进展")
    assert push(li).returncode == 0


def test_office_may_change_everything(org):
    office = org["office"]
    ok(office, "add", "p1", "任务四", "--unit", "财政所")
    replace(office, "plans/p1.yaml", "    text: 任务一\n", "    text: 任务一(修订)\n")
    hand_commit(office, "办公室手工修订", "plans/p1.yaml")
    ok(office, "progress", "p1/2", "办公室代记")
    pushed = push(office)
    assert pushed.returncode == 0, pushed.stderr


def test_liaison_adding_a_task_is_rejected(org):
    zhang = org["zhang"]
    path = zhang / "plans" / "p1.yaml"
    path.write_text(path.read_text("utf-8") + "\n  - id: 4\n    text: 手工新增\n    state: open\n", encoding="utf-8")
    hand_commit(zhang, "手工新增任务", "plans/p1.yaml")
    pushed = push(zhang)
    assert pushed.returncode != 0
    assert "任务 p1/4" in pushed.stderr and RULE_ADD_REMOVE in pushed.stderr


def test_unknown_author_is_rejected(org):
    zhang = org["zhang"]
    git(zhang, "config", "user.email", "stranger@example.com")
    replace(zhang, "plans/p1.yaml", "    text: 任务一\n    responsible: [司法所]\n    state: open\n",
            "    text: 任务一\n    responsible: [司法所]\n    state: done\n")
    hand_commit(zhang, "陌生人关闭", "plans/p1.yaml")
    pushed = push(zhang)
    assert pushed.returncode != 0
    assert "stranger@example.com" in pushed.stderr and RULE_UNKNOWN in pushed.stderr


def test_an_unknown_person_may_not_push_even_a_commit_that_changes_nothing(org):
    zhang = org["zhang"]
    git(zhang, "-c", "user.email=stranger@example.com", "commit", "-q", "--allow-empty", "-m", "陌生人的空提交")
    pushed = push(zhang)
    assert pushed.returncode != 0
    assert "stranger@example.com" in pushed.stderr and RULE_UNKNOWN in pushed.stderr
    # a listed liaison's empty commit changes nothing they may not change: it passes
    git(zhang, "reset", "-q", "--hard", "HEAD^")
    git(zhang, "commit", "-q", "--allow-empty", "-m", "张三的空提交")
    assert push(zhang).returncode == 0


def test_one_forbidden_commit_rejects_the_whole_push(org):
    zhang = org["zhang"]
    ok(zhang, "progress", "p1/1", "合规的进展")
    good = short_head(zhang)
    replace(zhang, "plans/p1.yaml", "    text: 任务二\n", "    text: 任务二(越权)\n")
    hand_commit(zhang, "越权改写", "plans/p1.yaml")
    bad = short_head(zhang)
    before = server_head(org)
    pushed = push(zhang)
    assert pushed.returncode != 0 and server_head(org) == before
    assert f"提交 {bad}" in pushed.stderr and f"提交 {good}" not in pushed.stderr


def test_history_cannot_be_rewritten_by_force_push(org):
    office = org["office"]
    git(office, "reset", "-q", "--hard", "HEAD~1")
    ok(office, "progress", "p1/1", "改写历史")
    pushed = push(office, "--force")
    assert pushed.returncode != 0 and "non-fast-forward" in pushed.stderr


def test_sync_reports_the_servers_rejection(org):
    li = org["li"]
    replace(li, "plans/p1.yaml", "    text: 任务二\n", "    text: 任务二(改)\n")
    hand_commit(li, "改写", "plans/p1.yaml")
    result = run_main(["--repo", li, "sync"])
    assert result.code == 4, result.err
    assert "被服务器拒绝" in result.out and "服务器:gktrack:" in result.out
    assert "任务 p1/2" in result.out and RULE_OFFICE_FIELDS in result.out


# --- the CLI check ----------------------------------------------------------------------------


def test_cli_refuses_liaison_changes_outside_own_units_and_names_who_may(org):
    li = Gk(org["li"])
    line = li.fail("--repo", org["li"], "progress", "p1/1", "越权", code=4)
    assert "该任务属于 司法所" in line and "办公室" in line
    for argv in (("add", "p1", "新任务"), ("add-section", "p1", "新章节"),
                 ("new-plan", "p2", "--year", "2024", "--title", "新计划")):
        line = li.fail("--repo", org["li"], *argv, code=4)
        assert "只有办公室可以" in line
    ok(org["li"], "progress", "p1/2", "本单位的进展")


# --- installing -------------------------------------------------------------------------------


def test_pre_commit_hook_runs_validate_on_staged_files(org):
    zhang = org["zhang"]
    out = ok(zhang, "hook", "install")
    assert "pre-commit" in out
    hook = (zhang / ".git" / "hooks" / "pre-commit").read_text("utf-8")
    assert "validate --staged" in hook
    replace(zhang, "plans/p1.yaml", "    text: 任务一\n", "    text: [未闭合\n")
    git(zhang, "add", "plans/p1.yaml")
    committed = subprocess.run(["git", "-C", str(zhang), "commit", "-q", "-m", "坏文件"], capture_output=True, text=True)
    assert committed.returncode != 0
    assert "plans/p1.yaml" in committed.stdout + committed.stderr


def test_install_does_not_overwrite_a_foreign_hook(org):
    server = org["server"]
    hook = server / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    line = Gk(org["tmp"]).fail("hook", "install", server)
    assert "已有别的钩子" in line and "--force" in line
    ok(org["tmp"], "hook", "install", server, "--force")
    assert "hook pre-receive" in hook.read_text("utf-8")


# --- the CLI applies the same rules to hand edits and imports ---------------------------------

SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_708db31ce4ea3cc1.txt"


def test_commit_edits_applies_the_hook_rules_before_committing(org):
    li = Gk(org["li"])
    # his own task's progress, by hand: what the server would accept, so commit-edits commits it
    replace(li.root, "plans/p1.yaml", "    text: 任务二\n    responsible: [财政所]\n    state: open\n",
            "    text: 任务二\n    responsible: [财政所]\n    state: open\n    progress:\n"
            "      - date: 2024-06-01\n        unit: 财政所\n        note: 手工补记\n")
    ok(li.root, "commit-edits", "-m", "补记")
    assert push(li.root).returncode == 0
    # rewriting a task's text, or another unit's task: refused now, with task and rule, nothing committed
    replace(li.root, "plans/p1.yaml", "    text: 任务一\n", "    text: 任务一(李四改写)\n")
    line = li.fail("--repo", li.root, "commit-edits", code=4)
    assert "李四 不能提交这些手工修改" in line and "任务 p1/1" in line and "修改了 text" in line
    assert RULE_OFFICE_FIELDS in line and "办公室" in line
    git(li.root, "checkout", "--", "plans/p1.yaml")
    replace(li.root, "plans/p1.yaml", "    text: 任务一\n    responsible: [司法所]\n    state: open\n",
            "    text: 任务一\n    responsible: [司法所]\n    state: done\n    closed: 2024-06-01\n")
    line = li.fail("--repo", li.root, "commit-edits", code=4)
    assert "该任务属于 司法所" in line and RULE_UNIT in line
    git(li.root, "checkout", "--", "plans/p1.yaml")
    # granting himself the office role in the same change does not help: HEAD's registry decides
    replace(li.root, "units.yaml", "    name: 李四\n", "    name: 李四\n    role: office\n")
    line = li.fail("--repo", li.root, "commit-edits", code=4)
    assert "单位名册" in line and RULE_REGISTRY in line


def test_office_commit_edits_anything(org):
    office = org["office"]
    replace(office, "plans/p1.yaml", "    text: 任务一\n", "    text: 任务一(办公室改写)\n")
    replace(office, "units.yaml", "  - name: 财政所\n", "  - name: 财政所\n  - name: 城建办\n")
    assert "已提交手工修改" in ok(office, "commit-edits")
    assert push(office).returncode == 0


def test_only_the_office_may_import_a_plan(org):
    li = Gk(org["li"])
    line = li.fail("--repo", li.root, "import", SEED, code=4)
    assert "不能导入计划" in line and "只有办公室可以" in line
    assert "hl2022" in ok(li.root, "import", SEED, "--dry-run")  # looking is fine
    assert "hl2022" in ok(org["office"], "import", SEED)
    assert push(org["office"]).returncode == 0


@pytest.mark.parametrize("path, plan_id", [
    ("plans/hl2022.yaml", "hl2022"), ("plans/hl2022.yaml\n", None), ("plans/.hl2022.yaml", None),
    ("plans/.yaml", None), ("plans/a/b.yaml", None), ("xplans/a.yaml", None), ("plans/a.yml", None),
])
def test_which_paths_are_plan_files_is_one_rule(path, plan_id):
    """The server hook and every client read the same files as plans (``repo.plan_id_of``): a
    path that only ends in ".yaml" before a line feed is not one."""
    from gktrack.storage.repo import plan_id_of

    assert plan_id_of(path) == plan_id


# --- a commit the server refused: taken back by undo -------------------------------------------


def _refused_progress(org) -> str:
    """李四's tool-made progress on 司法所's task (his local registry edited, not committed): the
    server refuses it. His HEAD before it."""
    li = org["li"]
    before = git(li, "rev-parse", "HEAD").strip()
    replace(li, "units.yaml", "    units: [财政所]\n", "    units: [财政所, 司法所]\n")
    ok(li, "progress", "p1/1", "越权的进展")
    git(li, "checkout", "--", "units.yaml")
    refused = run_main(["--repo", li, "sync"])
    assert refused.code == 4, refused.err
    # the server's advice, and the client's own (a server may run an older hook)
    assert "服务器:gktrack:" in refused.out and refused.out.count("gktrack undo 逐个撤回") == 2
    return before


def test_undo_takes_back_a_commit_the_server_refused_and_the_clone_syncs_again(org):
    li = org["li"]
    before = _refused_progress(org)
    refused = git(li, "rev-parse", "HEAD").strip()
    result = run_main(["--repo", li, "undo"])
    assert result.code == 0, result.err
    assert "已撤回尚未推送的提交" in result.out and "越权的进展" in result.out
    assert f"git reset --keep {refused[:12]}" in result.err  # how IT staff bring it back
    # no revert on top (the server would still be sent the refused commit): the commit is gone
    assert git(li, "rev-parse", "HEAD").strip() == before == server_head(org)
    assert "越权的进展" not in (li / "plans" / "p1.yaml").read_text("utf-8")
    assert git(li, "status", "--porcelain") == ""
    ok(li, "progress", "p1/2", "财政所的进展")
    assert "推送到 origin/main 1 个提交" in ok(li, "sync")
    assert server_head(org) == git(li, "rev-parse", "HEAD").strip()


def test_undo_takes_back_a_hand_commit_not_yet_pushed(org):
    li = org["li"]
    replace(li, "plans/p1.yaml", "    text: 任务二\n", "    text: 任务二(李四改写)\n")
    hand_commit(li, "改写任务二", "plans/p1.yaml")
    assert "已撤回尚未推送的提交" in ok(li, "undo")  # not a gktrack change: only a revert needs one
    assert git(li, "rev-parse", "HEAD").strip() == server_head(org)
    assert "    text: 任务二\n" in (li / "plans" / "p1.yaml").read_text("utf-8")


def test_undo_of_a_pushed_change_still_reverts_it_with_a_new_commit(org):
    zhang = org["zhang"]
    ok(zhang, "progress", "p1/1", "推送过的进展")
    assert push(zhang).returncode == 0
    pushed = server_head(org)
    out = ok(zhang, "undo")
    assert "已撤销" in out and "已撤回" not in out
    assert git(zhang, "rev-parse", "HEAD^").strip() == pushed
    assert "Gktrack-Action: undo" in git(zhang, "log", "-1", "--format=%B")
    assert push(zhang).returncode == 0


def test_only_its_author_or_the_office_may_take_back_an_unpushed_commit(org):
    li = org["li"]
    # 张三 recorded on 李四's computer (a shared PC): 李四 may not make it disappear
    git(li, "-c", "user.name=张三", "-c", "user.email=zhang@example.gov.cn", "commit", "-q", "--allow-empty",
        "-m", "张三在这台电脑上的提交")
    head = git(li, "rev-parse", "HEAD").strip()
    line = Gk(li).fail("--repo", li, "undo", code=4)
    assert "李四 不能撤回 张三 尚未推送的提交" in line and "请由张三或办公室撤回" in line
    assert git(li, "rev-parse", "HEAD").strip() == head


def test_taking_back_stops_at_uncommitted_edits_of_its_files(org):
    li = org["li"]
    ok(li, "progress", "p1/2", "财政所的进展")
    head = git(li, "rev-parse", "HEAD").strip()
    path = li / "plans" / "p1.yaml"
    path.write_text(path.read_text("utf-8") + "# 手工加的注释\n", encoding="utf-8")
    line = Gk(li).fail("--repo", li, "undo")
    assert "plans/p1.yaml 有未提交的修改" in line and "未做任何改动" in line
    assert git(li, "rev-parse", "HEAD").strip() == head
    assert path.read_text("utf-8").endswith("# 手工加的注释\n")
