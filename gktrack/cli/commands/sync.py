"""Working together through a shared repository: sync, the merge driver, hooks."""

import sys
import threading
from pathlib import Path
from typing import Optional

import typer

from gktrack.cli.commands.options import Json
from gktrack.cli.context import STATE, repository
from gktrack.cli.help import ZhCommand, ZhGroup
from gktrack.cli.output import done, print_json
from gktrack.domain.text import visible
from gktrack.environment import repo_folder
from gktrack.errors import InputError


def register(app: typer.Typer, command) -> None:
    @command("sync")
    def sync(
        remote: Optional[str] = typer.Option(None, "--remote", metavar="远程", help="与哪个远程仓库同步(默认为当前分支跟踪的,或 origin)"),
        continue_: bool = typer.Option(False, "--continue", help="处理完合并冲突后,继续上次停下的同步"),
        abort: bool = typer.Option(False, "--abort", help="放弃上次停在冲突处的同步,恢复到同步前"),
        json_out: Json = False,
    ) -> int:
        """与服务器上的计划仓库同步:取回别人的修改,把本地提交接在其后(变基),再推送。

        推送被抢先时自动重新合入后重试;结束时说明收到了什么、推送了什么、哪些任务有变化。
        超过一秒时在终端上显示当前步骤(取回、变基、推送)。
        退出码:0 成功;1 没有远程仓库、有冲突待处理或其他错误;4 服务器按权限规则拒绝;6 连不上服务器(未做任何改动)。
        """
        from gktrack.features.collab import sync as collab

        if continue_ and abort:
            raise InputError("--continue 和 --abort 只能选一个")
        repo = repository()
        if abort:
            done(collab.abort_sync(repo))
            return 0
        with Steps(enabled=sys.stderr.isatty()) as steps:
            result = (collab.continue_sync(repo, step=steps.step) if continue_
                      else collab.sync(repo, remote=remote, step=steps.step))
        if json_out:
            print_json(result.to_json())
        else:
            _print_result(result)
        return {"conflict": 1, "rejected": 4}.get(result.status, 0)

    @command("setup")
    def setup() -> None:
        """为已有的计划仓库(或新克隆)补齐 gktrack init 如今会做的设置:本克隆的合并驱动(git 配置),
        以及缺少的 .gitattributes、编辑器用的 .gktrack/*.schema.json 和 .vscode/settings.json
        (缺少的文件一次提交,推送后其他克隆也有)。可重复运行,已齐全时不做改动。"""
        from gktrack.features.ops import init_repo

        repo = repository()
        repo.require_git()
        done(init_repo(repo.root))

    @command("setup-merge")
    def setup_merge() -> None:
        """只为本克隆登记按任务合并计划文件的合并驱动(只改本地 git 配置,不提交;可重复运行)。
        连同编辑器设置一起补齐请用 gktrack setup。"""
        from gktrack.features.collab.mergedriver import install

        repo = repository()
        repo.require_git()
        for line in install(repo.root) or ["合并驱动已配置好,未做任何修改"]:
            done(line)

    @command("merge-driver", hidden=True)
    def merge_driver(
        base: str = typer.Argument(..., metavar="%O"),
        ours: str = typer.Argument(..., metavar="%A"),
        theirs: str = typer.Argument(..., metavar="%B"),
        path: Optional[str] = typer.Argument(None, metavar="%P"),
    ) -> int:
        """git 的合并驱动:按任务和字段三方合并计划文件,结果写入 %A;有真正的冲突时退出码为 1。"""
        from gktrack.features.collab.mergedriver import run_driver

        code, messages = run_driver(base, ours, theirs, path)
        for line in messages:
            sys.stderr.write(line + "\n")
        return code

    hook_app = typer.Typer(cls=ZhGroup, help="git 钩子:安装钩子,服务器端按单位名册检查推送", no_args_is_help=True,
                           add_completion=False, rich_markup_mode=None)

    @hook_app.command("install", cls=ZhCommand)
    def hook_install(
        path: Optional[str] = typer.Argument(None, metavar="[仓库路径]", help="仓库位置(默认当前目录);服务器上的裸仓库或自己的克隆"),
        pre_commit: bool = typer.Option(False, "--pre-commit", help="安装 pre-commit 钩子:提交前运行 gktrack validate --staged"),
        pre_receive: bool = typer.Option(False, "--pre-receive", help="安装 pre-receive 钩子:服务器按单位名册检查推送的提交"),
        force: bool = typer.Option(False, "--force", help="覆盖已有的其他钩子"),
    ) -> None:
        """安装 git 钩子。都不指定时:裸仓库装 pre-receive,普通克隆装 pre-commit。"""
        from gktrack.features.collab.hooks import install

        # A bare server repository has no units.yaml to discover: --repo or the folder given.
        where = path or STATE["repo"] or repo_folder() or "."
        for line in install(where, pre_commit=pre_commit, pre_receive=pre_receive, force=force):
            done(line)

    @hook_app.command("pre-receive", cls=ZhCommand)
    def hook_pre_receive() -> int:
        """由服务器上的 pre-receive 钩子调用:从标准输入读取推送的引用,拒绝越权的提交。"""
        from gktrack.environment import pusher_email
        from gktrack.features.collab.hooks import check_push, parse_updates, rejection_lines

        violations = check_push(Path.cwd(), parse_updates(sys.stdin.read()), pusher=pusher_email())
        if not violations:
            return 0
        for line in rejection_lines(violations):
            sys.stderr.write(line + "\n")
        return 1

    app.add_typer(hook_app, name="hook")


def _print_result(result) -> None:
    # Commit summaries, names and the server's words come from other people: shown escaped.
    def out(text: str) -> None:
        sys.stdout.write(visible(text))

    for line in result.setup:
        out(line + "\n")
    if result.attempts > 1:
        out(f"推送时远程仓库已有更新的提交,已重新合入后再推送(共尝试 {result.attempts} 次)\n")
    _commits(out, f"从 {result.target} 收到 {len(result.incoming)} 个提交:", result.incoming, result.incoming_tasks)
    if result.status == "rejected":
        out(f"推送到 {result.target} 被服务器拒绝,以下 {len(result.outgoing)} 个本地提交未被接受:\n")
        _commits(out, None, result.outgoing, [])
        for line in result.remote_messages:
            out(f"  服务器:{line}\n")
        out("本地已合入服务器上的最新修改;被拒绝的提交仍在本地:请用 gktrack undo 逐个撤回尚未推送的提交,"
            "直到撤回被拒绝的那个,按上面的说明改正后再同步\n")
        return
    if result.status != "conflict":
        label = "首次推送" if result.first_push else "推送"
        _commits(out, f"{label}到 {result.target} {len(result.outgoing)} 个提交:", result.outgoing, result.outgoing_tasks)
    for item in result.renumbered:
        what = "任务" if item["kind"] == "task" else "章节"
        old = f"{item['plan']}/{item['old']}" if item["kind"] == "task" else f"{item['plan']} 的 {item['old']}"
        new = f"{item['plan']}/{item['new']}" if item["kind"] == "task" else item["new"]
        out(f"注意:服务器上已有别人新增的{what} {old},你本地新增的{what}已改编号为 {new}"
            f"(相关提交说明已同步更正)\n")
    if result.status == "conflict":
        from gktrack.features.collab.mergedriver import Conflict

        out("同步暂停:以下修改双方改法不同,需要人工决定:\n")
        for item in result.conflicts:
            conflict = Conflict(item["plan"], item["field"], item["task"])
            out(f"  {item['file']}:{conflict.describe()}\n")
        for rel in result.conflict_files:
            out(f"  冲突文件:{rel}\n")
        out("文件中字段里保留的是服务器上的值,你本地的值和原值记在该任务(计划信息和章节的冲突在文件开头)的 conflict: 下"
            "(theirs 为你本地的值,base 为原值;gktrack validate 会逐项列出)。请改好字段并删除 conflict: 后运行 "
            "gktrack sync --continue;放弃本次同步用 gktrack sync --abort\n")
        return
    if result.status == "up-to-date":
        out(f"已是最新:本地与 {result.target} 一致,没有收到或推送任何提交\n")
    else:
        out(f"同步完成:本地与 {result.target} 一致\n")


def _commits(out, title, commits, tasks, limit: int = 20) -> None:
    if title is not None and not commits:
        return
    if title:
        out(title + "\n")
    from gktrack.domain.actions import made_by

    for commit in commits[:limit]:
        who = made_by(commit.author, commit.email, commit.committer, commit.committer_email)
        out(f"  {commit.sha[:8]} {commit.authored.date().isoformat()} {who} {commit.summary}\n")
    if len(commits) > limit:
        out(f"  ……另有 {len(commits) - limit} 个\n")
    if tasks:
        shown = ";".join(f"{t.ref} {t.what}" for t in tasks[:limit])
        more = f";……另有 {len(tasks) - limit} 项" if len(tasks) > limit else ""
        out(f"  涉及:{shown}{more}\n")


class Steps:
    """The current step's Chinese name beside a spinner on stderr: a status line, not a bar (sync
    is a few git calls with nothing to count). Shown only when ``enabled`` (stderr is a terminal)
    and once sync has run ``delay`` seconds, so quick syncs, pipes and logs never see it; erased
    when sync ends."""

    def __init__(self, enabled: bool = False, *, delay: float = 1.0, console=None):
        self.enabled = enabled
        self.delay = delay
        self.console = console
        self.text = "准备同步"
        self._status = None
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True
        self._closed = False
        self._lock = threading.Lock()

    def __enter__(self) -> "Steps":
        if self.enabled and self.delay <= 0:
            self._show()
        elif self.enabled:
            self._timer.start()
        return self

    def _show(self) -> None:
        with self._lock:
            if self._closed or self._status is not None:
                return
            from rich.console import Console

            console = self.console or Console(stderr=True)
            self._status = console.status(f"同步:{self.text}……", spinner="dots")
            self._status.start()

    def step(self, text: str) -> None:
        with self._lock:
            self.text = text
            if self._status is not None:
                self._status.update(f"同步:{text}……")

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._closed = True
            self._timer.cancel()
            if self._status is not None:
                self._status.stop()
