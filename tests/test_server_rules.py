"""Issue 18, cases 1–5: the pre-receive hook judges what every pushed commit records, against the
registry on the branch before the push, and fails closed. Real clones, a bare server with
``gktrack hook install``, real pushes; each test shows the refusal (the server's branch did not
move) or, for the ordinary ways of working, the acceptance."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import Gk, git, run_main
from gktrack.domain.permissions import (
    RULE_ACTING_UNIT, RULE_ENTRY_UNIT, RULE_OFFICE_FIELDS, RULE_OTHER_FILES, RULE_RECORDER, RULE_REGISTRY, RULE_UNIT,
)
from gktrack.features.collab.hooks import RULE_DELETE, RULE_FUTURE, RULE_LINKS, RULE_SERVER, RULE_VALID
from test_hooks import LI, OFFICE, ZHANG, hand_commit, ok, org, push, replace, server_head  # noqa: F401

PLAN = "plans/p1.yaml"


def commit_tree(root: Path, tree: str, *parents: str, message: str = "手工提交",
                env: dict | None = None) -> str:
    args = ["commit-tree", tree]
    for parent in parents:
        args += ["-p", parent]
    proc = subprocess.run(["git", "-C", str(root), *args, "-m", message], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def push_rev(root: Path, rev: str, ref: str = "refs/heads/main", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), "push", "origin", f"{rev}:{ref}"], capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def refused(org, pushed: subprocess.CompletedProcess, before: str) -> str:
    assert pushed.returncode != 0, pushed.stderr
    assert server_head(org) == before, "the server's branch moved"
    assert "推送被拒绝" in pushed.stderr or "gktrack" in pushed.stderr, pushed.stderr
    return pushed.stderr


def tree_of(root: Path, rev: str = "HEAD") -> str:
    return git(root, "rev-parse", f"{rev}^{{tree}}").strip()


def stage_tree(root: Path) -> str:
    git(root, "add", "-A")
    return git(root, "write-tree").strip()


# --- case 1: merges and root commits are judged by their result ------------------------------


def test_parentless_commit_granting_office_merged_onto_main_is_refused(org):
    li = org["li"]
    before = server_head(org)
    # 李四 makes himself office and closes 司法所's task, as a commit without parents ...
    replace(li, "units.yaml", "    name: 李四\n", "    name: 李四\n    role: office\n")
    replace(li, PLAN, "    text: 任务一\n    responsible: [司法所]\n    state: open\n",
            "    text: 任务一\n    responsible: [司法所]\n    state: done\n    closed: 2024-06-01\n")
    root = commit_tree(li, stage_tree(li), message="无父提交")
    # ... merged onto the server's tip with the evil tree as the result
    merge = commit_tree(li, tree_of(li, root), "origin/main", root, message="合并")
    stderr = refused(org, push_rev(li, merge), before)
    assert f"提交 {merge[:8]}" in stderr
    assert RULE_REGISTRY in stderr and "任务 p1/1" in stderr and RULE_UNIT in stderr


def test_merge_with_an_old_ancestor_cannot_roll_back_the_registry_or_progress(org):
    office, li = org["office"], org["li"]
    first = git(office, "rev-list", "--max-parents=0", "HEAD").strip()  # `init`: people: []
    ok(office, "progress", "p1/2", "办公室记录的进展")
    assert push(office).returncode == 0
    git(li, "pull", "-q", "--ff-only")
    before = server_head(org)
    # the result is the first commit's tree: no people (anything would pass), no progress
    merge = commit_tree(li, tree_of(li, first), "origin/main", first, message="回到过去")
    stderr = refused(org, push_rev(li, merge), before)
    assert RULE_REGISTRY in stderr and "p1" in stderr


def test_a_root_commit_is_judged_against_an_empty_tree(org):
    li = org["li"]
    before = server_head(org)
    root = commit_tree(li, tree_of(li), message="另起炉灶")
    pushed = push_rev(li, root, "refs/heads/other")
    assert pushed.returncode != 0
    assert "refs/heads/other" not in git(org["server"], "for-each-ref")
    assert server_head(org) == before


def test_a_pull_merge_of_ones_own_progress_is_accepted(org):
    li, office = org["li"], org["office"]
    ok(office, "progress", "p1/1", "办公室记录")
    assert push(office).returncode == 0
    ok(li, "progress", "p1/2", "李四的进展")
    git(li, "pull", "-q", "--no-rebase", "--no-edit")
    assert len(git(li, "log", "-1", "--format=%P").split()) == 2  # a real merge commit
    pushed = push(li)
    assert pushed.returncode == 0, pushed.stderr


def test_the_registry_in_the_pushed_commits_never_grants_rights_in_the_same_push(org):
    office = org["office"]
    # even the office's own registry change applies from the next push on: 李四's commit in the
    # same push is judged by the registry before it
    replace(office, "units.yaml", "    units: [财政所]\n", "    units: [财政所, 司法所]\n")
    ok(office, "commit-edits", "-m", "李四兼管司法所")
    path = office / PLAN
    path.write_text(path.read_text("utf-8").replace(
        "    text: 任务一\n    responsible: [司法所]\n    state: open\n",
        "    text: 任务一\n    responsible: [司法所]\n    state: open\n    progress:\n"
        "      - date: 2024-06-01\n        unit: 司法所\n        note: 李四记\n"), encoding="utf-8")
    git(office, "add", PLAN)
    git(office, "-c", f"user.name={LI[0]}", "-c", f"user.email={LI[1]}", "commit", "-q", "-m", "李四的进展")
    before = server_head(org)
    stderr = refused(org, push(office), before)
    assert "任务 p1/1" in stderr and RULE_UNIT in stderr


# --- case 2: fail closed, and nothing a client cannot read ------------------------------------


def test_an_unreadable_registry_on_the_server_refuses_every_push(org, tmp_path):
    office, server = org["office"], org["server"]
    # an administrator broke units.yaml on the server without the hook
    hook = server / "hooks" / "pre-receive"
    saved = hook.read_bytes()
    hook.unlink()
    replace(office, "units.yaml", "people:\n", "people: [未闭合\n")
    hand_commit(office, "弄坏名册", "units.yaml")
    assert push(office).returncode == 0
    hook.write_bytes(saved)
    hook.chmod(0o755)
    li = org["li"]
    git(li, "pull", "-q", "--ff-only")
    replace(li, PLAN, "    text: 任务二\n", "    text: 任务二(改)\n")
    hand_commit(li, "趁名册坏了改任务", PLAN)
    before = server_head(org)
    stderr = refused(org, push(li), before)
    assert "单位名册无法读取" in stderr and RULE_SERVER in stderr


def test_plan_files_no_client_can_read_are_refused_even_from_the_office(org):
    office = org["office"]
    before = server_head(org)
    text = (office / PLAN).read_bytes()
    cases = {
        "非 UTF-8": text.replace("任务二".encode(), "任务二".encode() + b"\xff\xfe"),
        "5 MB": text.replace(b"    text: \xe4\xbb\xbb\xe5\x8a\xa1\xe4\xba\x8c\n",
                             b"    text: \xe4\xbb\xbb\xe5\x8a\xa1\xe4\xba\x8c\n    note: " + b"a" * (5 * 1024 * 1024) + b"\n"),
        "state": text.replace(b"    state: open\n", "    state: 完成\n".encode(), 1),
        "conflict": text.replace(b"    state: open\n", b"    state: open\n    conflict:\n      state:\n"
                                 b"        base: open\n        theirs: done\n", 1),
    }
    for label, data in cases.items():
        (office / PLAN).write_bytes(data)
        hand_commit(office, f"坏文件:{label}", PLAN)
        stderr = refused(org, push(office), before)
        assert RULE_VALID in stderr, (label, stderr)
        if label == "state":
            assert "“state”应为 open 或 done" in stderr
        git(office, "reset", "-q", "--hard", "origin/main")


def test_the_office_still_pushes_valid_changes_and_old_problems_do_not_block_others(org):
    office = org["office"]
    replace(office, PLAN, "    text: 任务一\n", "    text: 任务一(修订)\n")
    hand_commit(office, "修订", PLAN)
    assert push(office).returncode == 0


# --- case 3: liaisons touch nothing but their tasks ------------------------------------------


def test_liaisons_may_not_change_any_other_file(org):
    li = org["li"]
    before = server_head(org)
    attributes = (li / ".gitattributes").read_text("utf-8")
    for rel, content in ((".gitattributes", attributes + "plans/*.yaml merge=union\n"),
                         (".gitattributes", attributes + "plans/*.yaml working-tree-encoding=UTF-16\n"),
                         (".vscode/tasks.json", '{"version": "2.0.0", "tasks": [{"label": "x", "command": "calc",'
                                                ' "runOptions": {"runOn": "folderOpen"}}]}\n'),
                         ("plans/说明.txt", "新文件\n")):
        path = li / rel
        path.parent.mkdir(exist_ok=True)
        path.write_text(content, encoding="utf-8")
        hand_commit(li, f"改 {rel}", rel)
        stderr = refused(org, push(li), before)
        assert rel in stderr and RULE_OTHER_FILES in stderr, stderr
        git(li, "reset", "-q", "--hard", "origin/main")
        git(li, "clean", "-qfd")


def test_symbolic_links_are_refused_for_everyone_and_setup_does_not_follow_one(org, tmp_path):
    office = org["office"]
    before = server_head(org)
    outside = tmp_path / "outside.txt"
    outside.write_text("别人的文件\n", encoding="utf-8")
    (office / ".gitattributes").unlink()
    os.symlink(outside, office / ".gitattributes")
    hand_commit(office, "链接", ".gitattributes")
    stderr = refused(org, push(office), before)
    assert RULE_LINKS in stderr
    # locally, `gktrack setup` refuses to write through the link
    result = run_main(["--repo", office, "setup"])
    assert result.code != 0 and ".gitattributes" in result.err and "符号链接" in result.err
    assert outside.read_text("utf-8") == "别人的文件\n"


# --- case 4: trailers are never trusted ---------------------------------------------------------


def test_a_plain_commit_with_copied_trailers_is_judged_by_its_content(org):
    li = org["li"]
    before = server_head(org)
    replace(li, PLAN, "    text: 任务二\n", "    text: 任务二(改写)\n")
    git(li, "add", PLAN)
    message = "进展 p1/2:已办\n\nGktrack-Action: progress\nGktrack-Task: p1/2\nGktrack-Unit: 财政所\n"
    git(li, "commit", "-q", "-m", message)
    stderr = refused(org, push(li), before)
    assert "任务 p1/2" in stderr and "修改了 text" in stderr and RULE_OFFICE_FIELDS in stderr


# --- case 5: the committer and the pusher count, not only the author ---------------------------


def test_a_liaison_committing_in_the_offices_name_is_refused(org):
    li = org["li"]
    before = server_head(org)
    replace(li, PLAN, "    text: 任务一\n", "    text: 任务一(冒名)\n")
    git(li, "add", PLAN)
    git(li, "commit", "-q", "--author", f"{OFFICE[0]} <{OFFICE[1]}>", "-m", "冒名修改")
    stderr = refused(org, push(li), before)
    assert f"提交者 {LI[0]} <{LI[1]}>" in stderr and RULE_OFFICE_FIELDS in stderr


def test_by_cannot_lend_a_liaison_the_offices_rights(org):
    li = Gk(org["li"])
    line = li.fail("--repo", li.root, "progress", "p1/1", "冒名进展", "--by", f"{OFFICE[0]} <{OFFICE[1]}>", code=4)
    assert "该任务属于 司法所" in line
    line = li.fail("--repo", li.root, "add", "p1", "冒名新增", "--by", f"{OFFICE[0]} <{OFFICE[1]}>", code=4)
    assert "只有办公室可以" in line


def test_the_office_may_record_in_a_liaisons_name(org):
    office = org["office"]
    ok(office, "progress", "p1/2", "办公室代李四记录", "--by", f"{LI[0]} <{LI[1]}>")
    pushed = push(office)
    assert pushed.returncode == 0, pushed.stderr


def test_a_known_pusher_must_be_allowed_too(org):
    office = org["office"]
    replace(office, PLAN, "    text: 任务一\n", "    text: 任务一(李四推送)\n")
    hand_commit(office, "办公室的提交", PLAN)
    before = server_head(org)
    stderr = refused(org, push_rev(office, "HEAD", env={"GKTRACK_PUSHER_EMAIL": LI[1]}), before)
    assert RULE_OFFICE_FIELDS in stderr
    assert push_rev(office, "HEAD", env={"GKTRACK_PUSHER_EMAIL": OFFICE[1]}).returncode == 0


def test_a_liaison_records_only_for_their_own_units(org):
    li = Gk(org["li"])
    line = li.fail("--repo", li.root, "progress", "p1/2", "替别人记", "--unit", "司法所", code=4)
    assert RULE_ACTING_UNIT in line
    # by hand: an entry in another unit's name on his own task
    replace(li.root, PLAN, "    text: 任务二\n    responsible: [财政所]\n    state: open\n",
            "    text: 任务二\n    responsible: [财政所]\n    state: open\n    progress:\n"
            "      - date: 2024-06-01\n        unit: 司法所\n        note: 冒名\n")
    line = li.fail("--repo", li.root, "commit-edits", code=4)
    assert RULE_ENTRY_UNIT in line
    hand_commit(li.root, "冒名进展", PLAN)
    before = server_head(org)
    assert RULE_ENTRY_UNIT in refused(org, push(li.root), before)


def test_a_liaison_may_not_delete_another_units_progress_on_their_own_task(org):
    office, li = org["office"], org["li"]
    ok(office, "progress", "p1/2", "办公室的进展", "--unit", "司法所")
    ok(office, "progress", "p1/2", "财政所的进展", "--unit", "财政所")
    assert push(office).returncode == 0
    git(li, "pull", "-q", "--ff-only")
    text = (li / PLAN).read_text("utf-8")
    start = text.index("      - date: 2024-07-01\n        unit: 司法所\n")
    end = text.index("      - date", start + 1)
    (li / PLAN).write_text(text[:start] + text[end:], encoding="utf-8")
    line = Gk(li).fail("--repo", li, "commit-edits", code=4)
    assert RULE_ENTRY_UNIT in line and "司法所" in line
    hand_commit(li, "删掉别人的进展", PLAN)
    before = server_head(org)
    assert RULE_ENTRY_UNIT in refused(org, push(li), before)
    # his own entry he may correct
    git(li, "reset", "-q", "--hard", "origin/main")
    replace(li, PLAN, "        note: 财政所的进展\n", "        note: 财政所的进展(更正)\n")
    hand_commit(li, "更正自己的进展", PLAN)
    assert push(li).returncode == 0


def test_branches_cannot_be_deleted_by_the_hook_either(org):
    office = org["office"]
    assert push_rev(office, "HEAD", "refs/heads/extra").returncode == 0
    git(org["server"], "config", "receive.denyDeletes", "false")
    pushed = subprocess.run(["git", "-C", str(office), "push", "origin", ":refs/heads/extra"],
                            capture_output=True, text=True)
    assert pushed.returncode != 0 and RULE_DELETE in pushed.stderr


# --- case 6: other refs are no way round the rules ---------------------------------------------


def test_an_old_tag_from_before_people_were_listed_cannot_launder_a_commit_onto_main(org):
    office, li = org["office"], org["li"]
    # the office tagged the repository's first commit, whose units.yaml lists no people yet
    first = git(office, "rev-list", "--max-parents=0", "HEAD").strip()
    assert push_rev(office, first, "refs/tags/初始").returncode == 0
    tag_before = git(org["server"], "rev-parse", "refs/tags/初始").strip()
    before = server_head(org)
    # 李四(财政所)closes 司法所's task and force-moves the old tag onto that commit ...
    replace(li, PLAN, "    text: 任务一\n    responsible: [司法所]\n    state: open\n",
            "    text: 任务一\n    responsible: [司法所]\n    state: done\n    closed: 2024-06-01\n")
    hand_commit(li, "关闭司法所的任务", PLAN)
    stderr = refused(org, push_rev(li, "+HEAD", "refs/tags/初始"), before)
    assert "任务 p1/1" in stderr and RULE_UNIT in stderr
    assert git(org["server"], "rev-parse", "refs/tags/初始").strip() == tag_before
    # ... and even had the tag moved (the hook was off for a while), main judges the commit itself
    hook = org["server"] / "hooks" / "pre-receive"
    saved = hook.read_bytes()
    hook.unlink()
    assert push_rev(li, "+HEAD", "refs/tags/初始").returncode == 0
    hook.write_bytes(saved)
    hook.chmod(0o755)
    stderr = refused(org, push_rev(li, "HEAD"), before)
    assert "任务 p1/1" in stderr and RULE_UNIT in stderr


def test_crlf_line_endings_in_a_stored_plan_file_are_refused(org):
    li, office = org["li"], org["office"]
    before = server_head(org)
    # A blob with CRLF under gktrack's `text eol=lf`: every clone would show the file as modified
    # and refuse progress and sync. The content reads the same, so only the line endings tell.
    data = (li / PLAN).read_bytes().replace(b"\n", b"\r\n")
    blob = subprocess.run(["git", "-C", str(li), "hash-object", "-w", "--no-filters", "--stdin"], input=data,
                          capture_output=True, check=True).stdout.decode().strip()
    git(li, "update-index", "--cacheinfo", f"100644,{blob},{PLAN}")
    git(li, "commit", "-q", "--no-verify", "-m", "换行")
    stderr = refused(org, push(li), before)
    assert "plans/p1.yaml" in stderr and "CRLF" in stderr and RULE_VALID in stderr
    # a working copy with CRLF (an editor on Windows) is no problem: git stores it with LF
    (office / PLAN).write_bytes((office / PLAN).read_bytes().replace(b"\n", b"\r\n").replace(
        "    text: 任务一\n".encode().replace(b"\n", b"\r\n"), "    text: 任务一(修订)\r\n".encode()))
    ok(office, "commit-edits", "-m", "修订")
    assert b"\r" not in git(office, "cat-file", "blob", f"HEAD:{PLAN}").encode()
    assert push(office).returncode == 0


def test_fields_gktrack_does_not_know_are_the_offices_too(org):
    li, office = org["li"], org["office"]
    before = server_head(org)
    # they are kept in the file but are not in the model: a liaison adding one to another unit's
    # task, to the plan or to an entry was invisible to a comparison of the model alone
    for old, new, where in (
            ("    text: 任务一\n", "    text: 任务一\n    核定: 已办结\n", "任务 p1/1"),
            ("title: 测试计划\n", "title: 测试计划\n备注: 李四已审定\n", "p1"),
    ):
        replace(li, PLAN, old, new)
        hand_commit(li, "加字段", PLAN)
        stderr = refused(org, push(li), before)
        assert where in stderr and "gktrack 不使用的字段" in stderr, stderr
        git(li, "reset", "-q", "--hard", "origin/main")
    # the office may; a liaison's ordinary progress keeps such a field as it is
    replace(office, PLAN, "    text: 任务二\n", "    text: 任务二\n    级别: 重点\n")
    hand_commit(office, "加字段", PLAN)
    assert push(office).returncode == 0
    git(li, "pull", "-q", "--ff-only")
    ok(li, "progress", "p1/2", "财政所的进展")
    pushed = push(li)
    assert pushed.returncode == 0, pushed.stderr


def test_a_liaison_may_not_change_a_plan_files_mode(org):
    li = org["li"]
    before = server_head(org)
    git(li, "update-index", "--chmod=+x", PLAN)
    git(li, "commit", "-q", "--no-verify", "-m", "可执行")
    stderr = refused(org, push(li), before)
    assert "plans/p1.yaml" in stderr and RULE_OTHER_FILES in stderr


def test_a_liaisons_entry_on_a_shared_task_must_name_its_unit(org):
    """An entry without a unit counts for every unit's part: on a task several units share, a
    liaison must write their own unit (the CLI always does); on their own task they may leave it."""
    office, li = org["office"], org["li"]
    ok(office, "add", "p1", "任务四", "--unit", "司法所、财政所", "--due", "持续推进")
    assert push(office).returncode == 0
    git(li, "pull", "-q", "--ff-only")
    text = (li / PLAN).read_text("utf-8")
    block = "    text: 任务四\n"
    entry = "    progress:\n      - date: 2024-06-01\n        note: 没写单位\n"
    start = text.index(block)
    end = text.find("\n\n", start)
    end = len(text.rstrip("\n")) if end < 0 else end
    (li / PLAN).write_text(text[:end] + "\n" + entry.rstrip("\n") + text[end:], encoding="utf-8")
    line = Gk(li).fail("--repo", li, "commit-edits", code=4)
    assert RULE_ENTRY_UNIT in line and "没有写单位" in line
    hand_commit(li, "不写单位的进展", PLAN)
    before = server_head(org)
    assert "没有写单位" in refused(org, push(li), before)
    # the CLI writes his unit: accepted; so is an entry without a unit on his own task
    git(li, "reset", "-q", "--hard", "origin/main")
    ok(li, "progress", "p1/4", "财政所的进展")
    replace(li, PLAN, "    text: 任务二\n    responsible: [财政所]\n    state: open\n",
            "    text: 任务二\n    responsible: [财政所]\n    state: open\n    progress:\n"
            "      - date: 2024-06-01\n        note: 自己的任务\n")
    ok(li, "commit-edits", "-m", "补记")
    assert push(li).returncode == 0


# --- dates after today and the recorder (by) of an entry: what the client wrote is judged -----

ENTRY_AT = "    text: 任务二\n    responsible: [财政所]\n    state: open\n"


def hand_entry(root: Path, date: str, by: str | None = None, note: str = "手工补记") -> None:
    """A progress entry on 财政所's 任务二 (李四's), written by hand."""
    who = f"        by: {by}\n" if by else ""
    replace(root, PLAN, ENTRY_AT,
            f"{ENTRY_AT}    progress:\n      - date: {date}\n        unit: 财政所\n{who}        note: {note}\n")


def test_work_dated_after_the_servers_today_is_refused_with_a_day_for_time_zones(org):
    li = org["li"]  # the tests' today: 2024-07-01
    before = server_head(org)
    hand_entry(li, "2024-07-05")
    line = Gk(li).fail("--repo", li, "commit-edits")
    assert "2024-07-05 晚于今天" in line and "请由" not in line  # nobody may: not "ask the office"
    hand_commit(li, "预先记下的进展", PLAN)
    stderr = refused(org, push(li), before)
    assert "任务 p1/2" in stderr and "2024-07-05 晚于今天" in stderr and RULE_FUTURE in stderr
    # the CLI refuses the same date with the same words
    assert "晚于今天,不能记录未来的工作" in Gk(li).fail("--repo", li, "progress", "p1/2", "x", "--date", "2024-07-05")
    # a clock a day ahead (a client east of the server's time zone) is honest work
    git(li, "reset", "-q", "--hard", "origin/main")
    hand_entry(li, "2024-07-02")
    hand_commit(li, "次日的进展", PLAN)
    assert push(li).returncode == 0


def test_a_completion_date_after_today_is_refused_even_from_the_office(org):
    office = org["office"]
    before = server_head(org)
    replace(office, PLAN, "    text: 任务一\n    responsible: [司法所]\n    state: open\n",
            "    text: 任务一\n    responsible: [司法所]\n    state: done\n    closed: 2024-12-31\n")
    hand_commit(office, "提前办结", PLAN)
    stderr = refused(org, push(office), before)
    assert "任务 p1/1" in stderr and "完成日期 2024-12-31" in stderr and RULE_FUTURE in stderr


def test_dates_already_accepted_are_not_judged_again(org, monkeypatch):
    li = org["li"]
    hand_entry(li, "2024-07-20")
    hand_commit(li, "那天记下的进展", PLAN)
    monkeypatch.setenv("GKTRACK_TODAY", "2024-07-20")
    assert push(li).returncode == 0
    # the server's clock went back (or the entry was accepted before this rule): other work goes on
    monkeypatch.setenv("GKTRACK_TODAY", "2024-07-01")
    replace(li, PLAN, "        note: 手工补记\n", "        note: 手工补记\n      - date: 2024-06-30\n"
                                                "        unit: 财政所\n        note: 又一条\n")
    hand_commit(li, "又一条进展", PLAN)
    pushed = push(li)
    assert pushed.returncode == 0, pushed.stderr


def test_the_recorder_of_a_liaisons_entry_must_be_who_made_the_change(org):
    li = org["li"]
    before = server_head(org)
    hand_entry(li, "2024-06-01", by=ZHANG[0])
    hand_commit(li, "以张三的名义记录", PLAN)
    stderr = refused(org, push(li), before)
    assert "任务 p1/2" in stderr and f"记录人“{ZHANG[0]}”" in stderr and RULE_RECORDER in stderr
    assert len([line for line in stderr.splitlines() if RULE_RECORDER in line]) == 1
    git(li, "reset", "-q", "--hard", "origin/main")
    # the CLI says so first: a bare --by name is written as the recorder
    assert RULE_RECORDER in Gk(li).fail("--repo", li, "progress", "p1/2", "x", "--by", ZHANG[0], code=4)
    # honest: his own name as the registry writes it; a name the registry does not know (his git
    # name, as an older gktrack wrote it) impersonates no one
    hand_entry(li, "2024-06-01", by="李四")
    replace(li, PLAN, "        note: 手工补记\n", "        note: 手工补记\n      - date: 2024-06-02\n"
                                                "        unit: 财政所\n        by: lisi\n        note: 旧版本记下的\n")
    hand_commit(li, "手工补记", PLAN)
    git(li, "config", "user.name", "lisi")
    ok(li, "progress", "p1/2", "命令记录的进展")
    assert "by: 李四\n        note: 命令记录的进展\n" in (li / PLAN).read_text("utf-8")
    pushed = push(li)
    assert pushed.returncode == 0, pushed.stderr
    # correcting the note of an entry someone else recorded keeps its recorder: not a new claim
    office = org["office"]
    git(office, "pull", "-q", "--ff-only")
    ok(office, "progress", "p1/2", "办公室代记", "--unit", "财政所")
    assert push(office).returncode == 0
    git(li, "pull", "-q", "--ff-only")
    replace(li, PLAN, "        note: 办公室代记\n", "        note: 办公室代记(李四更正)\n")
    hand_commit(li, "更正进展", PLAN)
    pushed = push(li)
    assert pushed.returncode == 0, pushed.stderr


def test_setup_after_an_upgrade_leaves_repository_files_to_the_office(org):
    """A repository made by an older gktrack lacks lines newer versions add to .gitattributes:
    `gktrack setup` in a liaison's clone must not commit them (the server refuses a liaison's
    change to any file but a plan, and sync would stop there); the office's setup does."""
    office, li = org["office"], org["li"]
    replace(office, ".gitattributes", "plans/*.yaml text eol=lf\n", "")
    hand_commit(office, "早期版本的 .gitattributes", ".gitattributes")
    assert push(office).returncode == 0
    git(li, "pull", "-q", "--ff-only")
    head = git(li, "rev-parse", "HEAD")
    out = ok(li, "setup")
    assert ".gitattributes" in out and "请政务公开办运行 gktrack setup" in out
    assert git(li, "rev-parse", "HEAD") == head and not git(li, "status", "--porcelain")
    assert "gktrack" in git(li, "config", "merge.gktrack.driver")
    assert "已为" in ok(office, "setup")
    pushed = push(office)
    assert pushed.returncode == 0, pushed.stderr
