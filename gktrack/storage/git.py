"""The git command line, called directly (not GitPython, whose import and per-commit objects
cost more than a whole command should take). User text goes only after ``--`` or through
standard input, never as an option.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from gktrack.errors import RepoError

if TYPE_CHECKING:
    import datetime as dt
    import subprocess

# Trailers written on every gktrack commit; the report and `log` read them back.
TRAILER_ACTION = "Gktrack-Action"
TRAILER_TASK = "Gktrack-Task"
TRAILER_UNIT = "Gktrack-Unit"
TRAILER_DATE = "Gktrack-Date"
TRAILER_PLAN = "Gktrack-Plan"
TRAILER_REVERTS = "Gktrack-Reverts"


def trailer_units(trailers: dict[str, str]) -> list[str]:
    """The units a commit's ``Gktrack-Unit`` trailer names (``trailers`` writes them joined by ",")."""
    return [u for u in trailers.get(TRAILER_UNIT, "").split(",") if u]


def trailers(action: str, *, task: str | None = None, plan: str | None = None, units: list[str] | None = None,
             date: dt.date | None = None, reverts: str | None = None) -> dict[str, str]:
    """The trailers of a gktrack commit, in the one order every command writes them."""
    out = {TRAILER_ACTION: action}
    for key, value in ((TRAILER_REVERTS, reverts), (TRAILER_PLAN, plan), (TRAILER_TASK, task),
                       (TRAILER_UNIT, ",".join(units or [])), (TRAILER_DATE, date and date.isoformat())):
        if value:
            out[key] = value
    return out


# Every git gktrack starts: paths come back unquoted (Chinese names), and git keeps at most 16 MB
# of delta bases (its default is 96 MB) — reading a history's versions of the same few plan
# files gains little from more, and a fresh clone's first report would hold it in each child.
_CONFIG = ("-c", "core.quotepath=off", "-c", "core.deltaBaseCacheLimit=16m")


def call(root: Path | str, args: tuple | list, *, wait: bool = True, env: dict[str, str] | None = None,
         **options: Any) -> Any:
    """``git -C root args…`` with its output captured (bytes unless ``options`` say text): run to
    the end (``subprocess.run``), or started (``wait=False``: a ``Popen``). ``env``: variables
    set for git besides the environment. A missing git becomes a RepoError."""
    import subprocess  # here: the read commands run no git at all, so they need not import it

    cmd = ["git", *_CONFIG, "-C", str(root), *args]
    # Messages we parse must not be translated.
    env = {**os.environ, "LC_ALL": "C.UTF-8", **(env or {})}
    try:
        if wait:
            return subprocess.run(cmd, capture_output=True, env=env, **options)
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
        return subprocess.Popen(cmd, env=env, **pipes)
    except FileNotFoundError as exc:
        raise RepoError("找不到 git 命令:请先安装 git") from exc


def failed(what: str, output: str | bytes, code: int) -> RepoError:
    """A git command's failure, with the last line it said."""
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    detail = output.strip().splitlines()
    return RepoError(f"git {what} 失败:{detail[-1] if detail else code}")


def run(root: Path | str, *args: str, input: str | None = None, check: bool = True) -> str:
    """Run ``git -C root args…`` and return stdout; a failure becomes a RepoError."""
    proc = run_full(root, *args, input=input)
    if check and proc.returncode != 0:
        raise failed(args[0], proc.stderr or proc.stdout, proc.returncode)
    return proc.stdout


def run_full(root: Path | str, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """Like ``run`` but never raises for git's exit code: the caller reads stderr itself."""
    return call(root, args, input=input, text=True, encoding="utf-8", errors="replace")


def git_dir(root: Path, *, ask_git: bool = False) -> Path | None:
    """``.git`` of a work tree; a linked work tree or submodule has a ``.git`` file pointing at it.
    ``ask_git``: when ``root`` has no ``.git`` of its own (a folder inside a work tree), ask git
    (one process) rather than answer None."""
    found = _dot_git(Path(root))
    if found is None and ask_git:
        try:
            found = Path(run(root, "rev-parse", "--absolute-git-dir").strip())
        except RepoError:
            return None
    return found


def _dot_git(root: Path) -> Path | None:
    dot = root / ".git"
    if dot.is_dir():
        return dot
    if dot.is_file():
        try:
            line = dot.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if line.startswith("gitdir:"):
            target = Path(line[len("gitdir:"):].strip())
            target = target if target.is_absolute() else (Path(root) / target)
            return target if target.is_dir() else None
    return None


def run_bytes(root: Path | str, *args: str) -> bytes | None:
    """``git -C root args…``'s stdout as bytes (a file's exact content); None when git fails."""
    proc = call(root, args)
    return proc.stdout if proc.returncode == 0 else None


def pushed(root: Path, sha: str) -> bool | None:
    """Whether a remote-tracking branch holds ``sha`` (it was pushed, or fetched from a server);
    None where the repository has no remote (its own history is all there is)."""
    if not run(root, "remote").split():
        return None
    return bool(run(root, "for-each-ref", "--count=1", "--contains", sha, "--format=%(refname)",
                    "refs/remotes").strip())


# How git's reflog of HEAD names a commit made in this clone: committed here (gktrack's own commits,
# a recovered one, a hand commit) or replayed here by a rebase (``gktrack sync``) and re-described.
_MADE_HERE = ("commit", "rebase (pick)", "rebase (continue)", "rebase -i (pick)", "rebase -i (continue)",
              "gktrack sync")


def made_here(root: Path, sha: str) -> bool:
    """Whether this clone made commit ``sha``, as opposed to bringing it in (pull, fetch, reset)."""
    out = run(root, "reflog", "show", "--format=%H%x00%gs", "HEAD", check=False)
    for line in out.splitlines():
        found, _, subject = line.partition("\0")
        if found == sha and subject.startswith(_MADE_HERE):
            return True
    return False


def keep_history_fast(root: Path) -> list[str]:
    """Have git keep its commit-graph with changed-path filters in this clone (kept up to date on
    fetch and gc once there): ``show``'s ``git log -- plans/<plan>.yaml`` otherwise opens every
    commit. What was changed, in Chinese (nothing when it was in place)."""
    done = []
    if run(root, "config", "--local", "--get", "fetch.writeCommitGraph", check=False).strip() != "true":
        run(root, "config", "--local", "fetch.writeCommitGraph", "true")
        done.append("已在本仓库的 git 配置中开启提交图(fetch.writeCommitGraph),查看任务的修改记录更快")
    gdir = git_dir(root)
    if gdir is not None and _commit_count(root) >= GRAPH_WORTH and not _graph_has_filters(gdir):
        # Failing here only costs speed: git log works without a graph.
        if run_full(root, "commit-graph", "write", "--reachable", "--changed-paths").returncode == 0:
            done.append("已写入 git 的提交图(含按路径的过滤信息),查看任务的修改记录更快")
    return done


# Below this many commits a path-limited git log is instant anyway: no graph yet (a new repository's
# setup stays quiet); sync, which runs this every time, writes it once the history has grown.
GRAPH_WORTH = 100


def _commit_count(root: Path) -> int:
    out = run(root, "rev-list", "--count", "HEAD", check=False).strip()
    return int(out) if out.isdigit() else 0


def _graph_has_filters(gdir: Path) -> bool:
    """Whether the commit-graph has changed-path filters (a ``BIDX`` chunk in a file's chunk
    table, which follows its 8-byte header); a graph written by gc without them does not."""
    info = gdir / "objects" / "info"
    files = [info / "commit-graph", *sorted((info / "commit-graphs").glob("*.graph"))]
    for path in files:
        try:
            with open(path, "rb") as handle:
                if b"BIDX" in handle.read(512):
                    return True
        except OSError:
            continue
    return False


def toplevel(path: Path) -> Path | None:
    try:
        return Path(run(path, "rev-parse", "--show-toplevel").strip())
    except RepoError:
        return None


def head(root: Path) -> str | None:
    out = run(root, "rev-parse", "--verify", "-q", "HEAD", check=False).strip()
    return out or None


class Identity(NamedTuple):
    """A git identity, ``Name <email>``."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def identity(root: Path) -> Identity | None:
    """The committer identity git would use (config or environment), or None when unset."""
    out = run(root, "var", "GIT_COMMITTER_IDENT", check=False)  # "Name <email> 1718000000 +0800"
    return parse_identity(out.rpartition(">")[0] + ">") if ">" in out else None


def parse_identity(text: str) -> Identity | None:
    """``Name <email>`` as git writes it; a bare name gets no e-mail (None)."""
    text = text.strip()
    if "<" in text and text.endswith(">"):
        name, _, rest = text.partition("<")
        if name.strip() and rest[:-1].strip():
            return Identity(name.strip(), rest[:-1].strip())
    return None


def dirty_paths(root: Path, paths: list[str], *, untracked: bool = True) -> list[str]:
    """Those of ``paths`` (all files: none given) that differ from HEAD: modified, staged, deleted,
    or untracked unless ``untracked`` is False."""
    return start_dirty_paths(root, paths, untracked=untracked)()


def start_dirty_paths(root: Path, paths: list[str], *, untracked: bool = True) -> Callable[[], list[str]]:
    """``dirty_paths`` started now, in the background (a write prepares its edit meanwhile);
    the function returned waits for it."""
    which = "--untracked-files=all" if untracked else "--untracked-files=no"
    proc = call(root, ["status", "--porcelain=v1", "-z", which, "--", *paths], wait=False,
                text=True, encoding="utf-8", errors="replace")

    def result() -> list[str]:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise failed("status", err or out, proc.returncode)
        entries = [(entry[:2], entry[3:]) for entry in out.split("\0") if len(entry) > 3]  # "XY path"
        # git calls a file whose size changed modified without reading it: one an editor saved with
        # CRLF line ends, which .gitattributes (eol=lf) turns back into the same text, is not
        changed = [path for kind, path in entries if kind == " M"]
        if changed:
            real = set(run(root, "diff", "--name-only", "-z", "--", *changed).split("\0"))
            entries = [(kind, path) for kind, path in entries if kind != " M" or path in real]
        return [path for _, path in entries]

    return result


IDENTITY_COMMANDS = "git config user.name \"姓名\" 和 git config user.email \"邮箱\""
IDENTITY_MISSING = f"未设置 git 身份:请运行 {IDENTITY_COMMANDS},或用 --by \"姓名 <邮箱>\""
# What git says when it has no identity to commit with (LC_ALL=C, see ``call``).
_NO_IDENTITY = ("Please tell me who you are", "unable to auto-detect", "empty ident name",
                "no email was given", "no name was given")


def commit(root: Path, paths: list[str], message: str, *, author: Identity | None = None,
           committer: Identity | None = None, date: str | None = None, tracked: bool = False) -> str:
    """Commit exactly ``paths`` (nothing else that may be staged) and return the new hash.
    ``tracked=True``: every path is known to git (none new), so ``commit --only`` takes them from
    the work tree and ``git add`` is not needed. Without an identity git's own is used."""
    if not tracked:
        run(root, "add", "-A", "--", *paths)
    args = []
    if committer is not None:
        args = ["-c", f"user.name={committer.name}", "-c", f"user.email={committer.email}"]
    # The content was validated before it was written; hooks are for hand edits.
    cmd = [*args, "commit", "-q", "--no-verify", "-F", "-"]
    if author is not None:
        cmd.append(f"--author={author.name} <{author.email}>")
    if date is not None:
        cmd.append(f"--date={date}")
    cmd += ["--only", "--", *paths]
    out = run_full(root, *cmd, input=message)
    if out.returncode != 0:
        if not tracked:
            # Take back what `git add` staged, so a failed change leaves the index as it found it.
            run_full(root, "reset", "-q", "--", *paths)
        text = out.stderr or out.stdout
        if any(words in text for words in _NO_IDENTITY):
            raise RepoError(IDENTITY_MISSING)
        raise failed("commit", text, out.returncode)
    return head_after_commit(root) or run(root, "rev-parse", "HEAD").strip()


def head_after_commit(root: Path) -> str | None:
    """HEAD's hash read from the loose ref file ``git commit`` just wrote (no process); None
    when unsure (a reftable repository, a symbolic ref we cannot follow)."""
    gdir = git_dir(root)
    if gdir is None:
        return None
    try:
        head = (gdir / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head if is_hash(head) else None
        common = gdir
        if (gdir / "commondir").is_file():
            common = (gdir / (gdir / "commondir").read_text(encoding="utf-8").strip()).resolve()
        ref = head[5:].strip()
        if not ref.startswith("refs/") or ".." in ref:
            return None
        value = (common / ref).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value if is_hash(value) else None


def is_hash(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def read_trailers(message: str, texts: dict[str, str] | None = None) -> dict[str, str]:
    """The ``Key: value`` lines of the last paragraph of a commit message. Keys and values equal
    to one in ``texts`` are that object (new ones are added): commits repeat the same few."""
    paragraphs = message.strip().split("\n\n")
    trailers: dict[str, str] = {}
    if len(paragraphs) < 2:
        return trailers
    for line in paragraphs[-1].splitlines():
        key, sep, value = line.partition(": ")
        if sep and key and " " not in key:
            value = value.strip()
            if texts is not None:
                key, value = texts.setdefault(key, key), texts.setdefault(value, value)
            trailers[key] = value
    return trailers


def format_message(summary: str, body: str | None, trailers: dict[str, str]) -> str:
    parts = [summary.replace("\n", " ").strip()]
    if body:
        parts.append(body.strip())
    if trailers:
        parts.append("\n".join(f"{k}: {v.replace(chr(10), ' ')}" for k, v in trailers.items() if v))
    return "\n\n".join(parts) + "\n"
