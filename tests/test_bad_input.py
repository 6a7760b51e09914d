"""Bad input: the corpus in tests/bad_inputs/, random YAML and random arguments.

Every broken input gives one Chinese line naming the place, a non-zero exit, no traceback and
no change to the repository, within a few seconds. See tests/bad_inputs/README.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import build_template, copy_repo, git, run_main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
FILE_CASES = [c for c in CASES if "args" not in c]
ARG_CASES = [c for c in CASES if "args" in c]
GOOD_PLAN = """schema: 1
id: p0
year: 2024
title: 好的计划
tasks:

  - id: 1
    text: 一直都好的任务
    responsible: [司法所]
    deadline: 6月底前
    state: open
"""
EXIT_CODES = {0, 1, 2, 4, 5}  # 3 is "internal error": never acceptable


# --- helpers -------------------------------------------------------------------------------


pytestmark = pytest.mark.usefixtures("gk_env")


def gk(repo: Path, *argv: str) -> tuple[int, str, str]:
    """Run the real CLI in this process, in ``repo``; (exit code, stdout, stderr)."""
    here = os.getcwd()
    os.chdir(repo)
    try:
        result = run_main(list(argv))
    finally:
        os.chdir(here)
    return result.code, result.out, result.err


def hand_commit(repo: Path, *rels: str) -> None:
    git(repo, "add", "--", *rels)
    git(repo, "commit", "-q", "--no-verify", "-m", "手工修改", "--", *rels)


def snapshot(repo: Path) -> dict:
    files = {p.relative_to(repo).as_posix(): p.read_bytes()
             for p in [repo / "units.yaml", *sorted((repo / "plans").iterdir())] if p.is_file()}
    return {"head": git(repo, "rev-parse", "HEAD"), "status": git(repo, "status", "--porcelain"), "files": files}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A repository with the corpus' base plan (p1), a good plan (p0) and the base registry."""
    return build_template(tmp_path_factory, "template", {
        "units.yaml": (CORPUS / "_base_units.yaml").read_bytes(),
        "plans/p1.yaml": (CORPUS / "_base_plan.yaml").read_bytes(),
        "plans/p0.yaml": GOOD_PLAN}, message="基础")


@pytest.fixture
def repo(template, tmp_path) -> Path:
    return copy_repo(template, tmp_path)


def case_bytes(case: dict) -> bytes:
    if case.get("generate") == "large":
        from gktrack.storage.yamldoc import MAX_FILE_BYTES

        line = "# 很长的注释,用来把文件撑大,超过上限\n".encode("utf-8")
        return (CORPUS / "_base_plan.yaml").read_bytes() + line * (MAX_FILE_BYTES // len(line) + 10)
    return (CORPUS / case["file"]).read_bytes()


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"应恰好一行,实际:{text!r}"
    return lines[0]


def assert_chinese(line: str) -> None:
    assert re.search("[\u4e00-\u9fff]", line), line
    assert "Traceback" not in line and "内部错误" not in line, line


# --- the corpus ----------------------------------------------------------------------------


def test_corpus_is_big_enough():
    assert len(CASES) >= 30
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    for case in FILE_CASES:
        assert case.get("generate") or (CORPUS / case["file"]).is_file(), case["name"]


@pytest.mark.parametrize("case", FILE_CASES, ids=[c["name"] for c in FILE_CASES])
def test_broken_file(case, repo):
    rel = "units.yaml" if case["target"] == "registry" else "plans/p1.yaml"
    (repo / rel).write_bytes(case_bytes(case))
    hand_commit(repo, rel)
    before = snapshot(repo)
    started = time.monotonic()

    # validate: one line, with the place and the message, non-zero exit
    strict = ["--strict"] if case.get("severity") == "warning" else []
    code, out, err = gk(repo, "validate", *strict)
    line = one_line(out)
    assert code == 1, (out, err)
    place = rel + (f":{case['line']}" if case.get("line") else "")
    assert re.match(re.escape(place) + (r"(:\d+)?: " if case.get("line") else r"(:\d+){0,2}: "), line), line
    assert ("警告" if case.get("severity") == "warning" else "错误") in line
    assert case["expect"] in line, line
    assert_chinese(line)

    # a write command: refuses with one line naming the place, or (for warnings) just works
    code, out, err = gk(repo, "progress", "p1/1", "已发布")
    if case.get("command_ok"):
        assert code == 0, err
    else:
        assert code in EXIT_CODES - {0}, (code, err)
        line = one_line(err)
        assert line.startswith("gktrack: 错误:"), line
        assert_chinese(line)
        expected_line = case.get("line_command", case.get("line"))
        command_place = rel + (f":{expected_line}" if expected_line else "")
        assert command_place in line, line
        assert case.get("expect_command", case["expect"]) in line, line
        assert snapshot(repo) == before  # nothing written, nothing committed

        # read commands: a broken plan is named and skipped; a broken registry stops them
        code, out, err = gk(repo, "status")
        assert_chinese(err)
        if case["target"] == "plan":
            assert code == 0, err
            assert "plans/p1.yaml" in err and "已跳过" in err
            assert "一直都好的任务" in out
        else:
            assert code in EXIT_CODES - {0}
            assert "units.yaml" in one_line(err)
        assert snapshot(repo) == before
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("case", ARG_CASES, ids=[c["name"] for c in ARG_CASES])
def test_bad_argument(case, repo):
    before = snapshot(repo)
    started = time.monotonic()
    code, out, err = gk(repo, *case["args"])
    assert code in EXIT_CODES - {0}, (code, out, err)
    if case.get("stream") == "stdout":  # validate lists problems on stdout, counts them on stderr
        line = one_line(out)
        assert "错误:" in line, line
    else:
        line = one_line(err)
        assert line.startswith("gktrack: 错误:"), line
    assert case["expect"] in line, line
    assert_chinese(line)
    assert snapshot(repo) == before
    assert time.monotonic() - started < 5


NASTY = ["deep_nesting", "alias_bomb", "binary_junk", "very_large", "python_object_tag", "gbk_bytes",
         "control_character", "conflict_markers"]


@pytest.mark.parametrize("name, value, argv", [
    ("GKTRACK_TODAY", "2024-13-01", ["status"]),
    ("GKTRACK_TODAY", "明天", ["overdue"]),
    ("GKTRACK_LOCK_TIMEOUT", "abc", ["progress", "p0/1", "进展"]),
    ("GKTRACK_LOCK_TIMEOUT", "-5", ["close", "p0/1"]),
    ("GKTRACK_SYNC_TIMEOUT", "nan", ["sync"]),
])
def test_a_bad_environment_variable_is_named_in_one_line(repo, tmp_path, monkeypatch, name, value, argv):
    if argv == ["sync"]:  # the server's timeout is read when the server is asked
        server = tmp_path / "server.git"
        git(tmp_path, "init", "-q", "--bare", str(server))
        git(repo, "remote", "add", "origin", str(server))
    before = snapshot(repo)
    monkeypatch.setenv(name, value)
    code, _out, err = gk(repo, *argv)
    line = one_line(err)
    assert code != 0 and code in EXIT_CODES and name in line and value in line, line
    assert_chinese(line)
    assert snapshot(repo) == before


def test_nasty_inputs_in_a_real_process(repo, tmp_path):
    """The same inputs through `python -m gktrack`: no crash of the interpreter, no traceback,
    nothing executed (a segfault in libyaml or an object-building loader would show here)."""
    marker = Path("/tmp/gktrack-pwned")
    if marker.exists():
        marker.unlink()
    env = dict(os.environ)
    procs = []
    for name in NASTY:
        case = next(c for c in FILE_CASES if c["name"] == name)
        copy = tmp_path / name
        shutil.copytree(repo, copy, symlinks=True)
        (copy / "plans" / "p1.yaml").write_bytes(case_bytes(case))
        hand_commit(copy, "plans/p1.yaml")
        for argv in (["validate"], ["progress", "p1/1", "已发布"], ["status", "--json"]):
            procs.append((name, argv, subprocess.Popen(
                [sys.executable, "-m", "gktrack", *argv], cwd=copy, env=env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
    for name, argv, proc in procs:
        out, err = proc.communicate(timeout=30)
        text = err.decode("utf-8")
        assert proc.returncode in EXIT_CODES, (name, argv, proc.returncode, text)
        assert "Traceback" not in text and "内部错误" not in text, (name, text)
        if argv[0] == "progress":
            assert proc.returncode != 0 and len(text.strip().splitlines()) == 1, (name, text)
    assert not marker.exists()


# --- no object-building loader, bounded aliases, no shell, no git options ------------------


def test_no_unsafe_yaml_loading_and_no_shell_in_the_code():
    source = Path(__file__).parent.parent / "gktrack"
    forbidden = [
        r"yaml\.load\(", r"yaml\.load_all\(", r"yaml\.unsafe_load", r"yaml\.full_load",
        r"UnsafeLoader", r"FullLoader", r"Loader=yaml\.Loader", r"typ=['\"](unsafe|full|base)['\"]",
        r"shell=True", r"os\.system\(", r"os\.popen\(", r"commands\.getoutput",
    ]
    offenders = []
    for path in sorted(source.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in forbidden:
            for match in re.finditer(pattern, text):
                offenders.append(f"{path.relative_to(source)}:{text.count(chr(10), 0, match.start()) + 1}: {pattern}")
    assert not offenders, offenders


def test_alias_expansion_is_refused_before_it_grows():
    from gktrack.errors import PlanFileError
    from gktrack.storage.yamldoc import compose

    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"l{i}: &l{i} [" + ", ".join([f"*{'a' if i == 0 else f'l{i - 1}'}"] * 10) + "]" for i in range(12)]
    started = time.monotonic()
    with pytest.raises(PlanFileError, match="锚点和别名"):
        compose("\n".join(levels) + "\n", "bomb.yaml")
    assert time.monotonic() - started < 1


def test_user_text_starting_with_dashes_is_stored_literally(repo):
    """Task text, units, notes and --by that look like options reach the file and the commit
    as plain text: never an option of gktrack, of git, or of a shell."""
    code, out, err = gk(repo, "add", "p0", "--new-unit", "--unit", "--upload-pack=evil", "--", "--amend --no-verify")
    assert code == 0, err
    task = out.strip()
    code, out, err = gk(repo, "progress", task, "--by", "--author=evil <e@x>", "--", "--exec=rm -rf /")
    assert code == 0, err
    code, out, err = gk(repo, "show", task, "--json")
    data = json.loads(out)
    assert data["text"] == "--amend --no-verify"
    assert [u["name"] for u in data["units"]] == ["--upload-pack=evil"]
    assert data["progress"][-1]["note"] == "--exec=rm -rf /"
    log = git(repo, "log", "-2", "--format=%an|%s")
    assert "--author=evil|进展" in log
    assert "--upload-pack=evil" in (repo / "units.yaml").read_text(encoding="utf-8")
    assert git(repo, "status", "--porcelain") == ""


# --- property tests ------------------------------------------------------------------------

_KEYS = ["schema", "id", "year", "title", "issued", "owner", "sections", "tasks", "key", "number", "text",
         "section", "lead", "support", "responsible", "deadline", "state", "closed", "note", "evidence",
         "progress", "date", "unit", "by", "conflict", "名称"]
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3000), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["p1", "2024", "open", "done", "6月底前", "司法所", "2024-06-30"]),
    st.dates(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), inner, max_size=5)),
    max_leaves=25,
)
_documents = st.dictionaries(st.sampled_from(_KEYS), _values, max_size=8)
_CUTS = "-:[]{}#&*!|>'\"%@`,?\t\n \\"


@st.composite
def yaml_documents(draw) -> bytes:
    import yaml

    text = yaml.safe_dump(draw(_documents), allow_unicode=True, sort_keys=False)
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        what = draw(st.sampled_from(["cut", "insert", "truncate"]))
        if what == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 8)):]
        elif what == "insert":
            text = text[:at] + draw(st.text(alphabet=_CUTS, min_size=1, max_size=3)) + text[at:]
        else:
            text = text[:at]
    return text.encode("utf-8")


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=yaml_documents())
def test_random_yaml_in_the_library(document):
    """validate and the commands' reader on random documents: typed errors only, and a file
    validate passes is a file the reader accepts."""
    from gktrack.errors import GktrackError
    from gktrack.features.validate import ERROR, check_plan
    from gktrack.storage.planfile import parse_plan
    from gktrack.storage.yamldoc import decode

    problems = check_plan("plans/p1.yaml", document, units=None, file_id="p1")
    for problem in problems:
        assert problem.where.startswith("plans/p1.yaml") and re.search("[\u4e00-\u9fff]", problem.message)
    try:
        parse_plan(decode(document, "plans/p1.yaml"), "plans/p1.yaml", expected_id="p1")
        readable = True
    except GktrackError as exc:
        assert exc.where and exc.where.startswith("plans/p1.yaml"), exc
        readable = False
    if not any(p.severity == ERROR for p in problems):
        assert readable


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=yaml_documents())
def test_random_yaml_through_the_commands(template, tmp_path_factory, document):
    repo = _scratch(template, tmp_path_factory, "yaml", reset=False)
    (repo / "plans" / "p1.yaml").write_bytes(document)
    for argv in (["validate", "plans/p1.yaml"], ["status", "--json"], ["progress", "p1/1", "备注"]):
        code, out, err = gk(repo, *argv)
        assert code in EXIT_CODES, (argv, code, err)
        assert "Traceback" not in err and "内部错误" not in err, err


_WORDS = st.one_of(
    st.sampled_from(["p1/1", "p0/1", "p1/99", "p1", "p0", "--json", "--unit", "-u", "--date", "--as-of",
                     "--within", "--due", "--by", "--plan", "--state", "--lead", "--new-unit", "--", "-",
                     "../x", "../../etc/passwd/1", "2024-13-45", "2024-02-30", "司法所", "--help", "-n",
                     "--limit", "--strict", "--staged", "all", "done", "-1", "0", "1e9", "p1/1/2"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=10),
)
_COMMANDS = ["status", "overdue", "units", "show", "log", "progress", "close", "reopen", "add", "assign",
             "unassign", "validate", "new-plan", "add-section", "undo", "commit-edits"]


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(command=st.sampled_from(_COMMANDS), words=st.lists(_WORDS, max_size=6))
def test_random_arguments_never_crash(template, tmp_path_factory, command, words):
    # One repository for the whole run: what earlier examples changed is more to stumble on.
    repo = _scratch(template, tmp_path_factory, "args", reset=False)
    code, out, err = gk(repo, command, *words)
    assert code in EXIT_CODES, (command, words, code, err)
    assert "Traceback" not in err and "内部错误" not in err, err
    if code != 0:
        errors = [line for line in err.splitlines() if line.startswith("gktrack: 错误")]
        if command == "validate" and not errors:
            try:
                data = json.loads(out)
            except ValueError:  # a file named "{" is no JSON output
                data = None
            if isinstance(data, dict):  # --json: the problems as data
                assert data["ok"] is False and err == "", (out, err)
            else:  # its problems go to stdout, their count to stderr
                assert err.startswith("gktrack: 共") and "错误:" in out, (out, err)
        else:
            assert len(errors) == 1, err


_SCRATCH: dict[str, Path] = {}


def _scratch(template: Path, factory, name: str, *, reset: bool) -> Path:
    """One copy of the template per property test (copying a repository for each of hundreds of
    examples would dominate the run time)."""
    repo = _SCRATCH.get(name)
    if repo is None or not repo.exists():
        repo = factory.mktemp(f"scratch-{name}") / "repo"
        shutil.copytree(template, repo, symlinks=True)
        _SCRATCH[name] = repo
    return repo
