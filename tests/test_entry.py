"""The entry point reads plain `status` / `overdue` arguments itself (no Typer import); it must
read them exactly as the Typer app does, and hand everything else to it."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.cli import app as cli, entry


def _click_commands() -> dict:
    import typer.main

    cli._register_commands()
    group = typer.main.get_command(cli.app)
    return {name: group.commands[name] for name in entry.QUICK}


COMMANDS = _click_commands()


@pytest.mark.parametrize("name", sorted(entry.QUICK))
def test_the_quick_table_is_what_typer_declares(name):
    declared, arguments = {}, []
    for param in COMMANDS[name].params:
        if param.name == "help":
            continue
        if not param.opts[0].startswith("-"):
            assert param.required and not param.multiple
            arguments.append(param.name)
            continue
        if param.is_flag:
            kind = "flag"
        elif param.multiple:
            kind = "list"
        else:
            kind = {"integer": "int", "int": "int", "text": "text", "str": "text"}[param.type.name]
        for word in [*param.opts, *param.secondary_opts]:
            declared[word] = (param.name, kind)
    assert entry.QUICK[name] == declared
    assert entry.ARGUMENTS[name] == tuple(arguments)


WORDS = sorted({w for options in entry.QUICK.values() for w in options}) + [
    "--help", "-h", "--", "-", "--unitx", "-uX", "--json=1", "-u=x", "--within=7", "--unit=司法所", "--state=done",
    "extra", "--year=2024", "-w", "--as-of=2024-12-20", "--evidence=http://a/b?c=d", "-e", "hl2022/1",
]
VALUES = st.one_of(
    st.sampled_from(["司法所", "open", "done", "all", "7", "007", "2024", "-1", "--json", "", "a=b", "٧", " 7",
                     "2024-12-20", "hl2022", "已在网站公开", "http://x.cn/a?b=c"]),
    st.text(max_size=6),
)


@st.composite
def plain_arguments(draw, name: str) -> list[str]:
    """Mostly what the entry reads itself: the command's arguments and options in any order."""
    pieces = [[draw(VALUES)] for _ in entry.ARGUMENTS[name]]
    for word in draw(st.lists(st.sampled_from(sorted(entry.QUICK[name])), max_size=4)):
        kind = entry.QUICK[name][word][1]
        value = draw(st.one_of(st.from_regex(r"[0-9]{1,4}", fullmatch=True), VALUES) if kind == "int" else VALUES)
        if kind == "flag":
            pieces.append([word])
        elif word.startswith("--") and draw(st.booleans()):
            pieces.append([f"{word}={value}"])
        else:
            pieces.append([word, value])
    order = draw(st.permutations(pieces))
    return [token for piece in order for token in piece]


@st.composite
def command_lines(draw) -> tuple[str, list[str]]:
    name = draw(st.sampled_from(sorted(entry.QUICK)))
    tokens = draw(st.one_of(plain_arguments(name), st.lists(st.one_of(st.sampled_from(WORDS), VALUES), max_size=7)))
    return name, tokens


@settings(max_examples=600, deadline=None)
@given(line=command_lines())
def test_what_the_entry_reads_click_reads_the_same(line):
    name, tokens = line
    from typer import _click as click

    call = entry.quick_call([name, *tokens])
    if call is None:
        return  # Typer answers: nothing to compare
    got_name, root, values = call
    assert got_name == name and root is None
    command = COMMANDS[name]
    try:
        ctx = command.make_context(name, list(tokens))
    except click.exceptions.ClickException as exc:  # pragma: no cover - a disagreement
        pytest.fail(f"entry read {tokens!r} as {values!r}; click refused it: {exc}")
    params = {p.name: p for p in command.params if p.name != "help"}
    for parameter, param in params.items():
        parsed = ctx.params[parameter]
        if param.multiple:
            assert list(parsed) == values.get(parameter, [])
        else:
            assert parsed == values.get(parameter, param.default)


def test_the_app_s_root_option_and_what_goes_to_typer():
    assert entry.quick_call(["-C", "/r", "overdue", "-u", "司法所", "--json"]) == \
        ("overdue", "/r", {"unit": "司法所", "json_out": True})
    assert entry.quick_call(["--repo", "/r", "status"]) == ("status", "/r", {})
    assert entry.quick_call(["status", "--year=2024", "--state", "all"]) == ("status", None, {"year": 2024, "state": "all"})
    assert entry.quick_call(["close", "-e", "http://a", "p/1", "--evidence=http://b", "-m", "已办结"]) == \
        ("close", None, {"task": "p/1", "evidence": ["http://a", "http://b"], "note": "已办结"})
    assert entry.quick_call(["progress", "p/1", "a=b c", "-u", "司法所"]) == \
        ("progress", None, {"task": "p/1", "note": "a=b c", "unit": "司法所"})
    for args in (["--repo=/r", "status"], ["-C", "/a", "-C", "/b", "status"], ["-C", "status"], ["show", "x"],
                 ["status", "--help"], ["status", "-u"], ["status", "--unit", "a", "--unit", "b"],
                 ["overdue", "--within", "-1"], ["overdue", "--json=yes"], ["status", "--", "x"], [],
                 ["--version"], ["overdue", "-uX"], ["status", "--year", "二〇二四"], ["progress", "p/1"],
                 ["progress", "p/1", "-已完成"], ["close"], ["close", "p/1", "p/2"], ["status", "x"],
                 ["close", "p/1", "-m", "a", "--note", "b"]):
        assert entry.quick_call(args) is None, args


def _run(main, argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", [
    ["status"], ["status", "--unit", "司法所"], ["status", "--json", "--state", "all"], ["status", "-y", "2022"],
    ["overdue", "--as-of", "2024-12-20"], ["overdue", "--within=30", "--json"], ["overdue", "-p", "qz2024"],
    # mistakes: the same one-line message and exit code either way
    ["status", "--state", "late"], ["overdue", "--within", "400"], ["status", "--as-of", "明天"],
    ["status", "--unit", "没有这个单位"], ["overdue", "--plan", "nosuch"],
])
def test_the_quick_path_prints_what_the_typer_app_prints(plans_repo, monkeypatch, argv):
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    assert entry.quick_call(argv) is not None
    quick = _run(entry.main, argv)
    full = _run(cli.main, argv)
    assert quick == full
    if quick[0]:
        assert quick[2].startswith("gktrack: 错误:") and quick[2].count("\n") == 1 and not quick[1]
    else:
        assert quick[1]


def test_outside_a_repository_and_with_repo(plans_repo, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(entry.main, ["overdue"])
    assert code != 0 and not out and err.startswith("gktrack: 错误:当前目录不在 gktrack 计划仓库中")
    assert _run(entry.main, ["-C", str(plans_repo.root), "status", "--unit", "司法所"]) == \
        _run(cli.main, ["-C", str(plans_repo.root), "status", "--unit", "司法所"])


@pytest.mark.parametrize("argv", [
    ["progress", "hl2022/1", "已起草规范性文件目录", "--date", "2024-06-30"],
    ["close", "qz2024/1", "-m", "已公开", "-e", "http://a.gov.cn/1", "--evidence=http://a.gov.cn/2"],
    ["close", "hl2022/4", "--unit", "区政数局"],
    ["close", "hl2022/99"],  # a mistake
    ["progress", "hl2022/1", "x", "--date", "明天"],  # a mistake
])
def test_quick_writes_make_the_same_change_as_the_typer_app(plans_repo, tmp_path, argv):
    """The same argv through each path, on two copies of one repository: the same output, plan
    files and commit (message and trailers)."""
    import shutil

    from tests.conftest import git

    other = tmp_path / "other"
    shutil.copytree(plans_repo.root, other, symlinks=True)
    assert entry.quick_call(argv) is not None
    quick = _run(entry.main, ["-C", str(plans_repo.root), *argv])
    full = _run(cli.main, ["-C", str(other), *argv])
    assert quick == full
    for rel in ("plans/hl2022.yaml", "plans/qz2024.yaml"):
        assert (plans_repo.root / rel).read_bytes() == (other / rel).read_bytes()
    assert git(plans_repo.root, "log", "-1", "--format=%B") == git(other, "log", "-1", "--format=%B")
    if quick[0] == 0:
        assert git(plans_repo.root, "log", "-1", "--format=%s") != "init"
        assert quick[1].strip() and not quick[2]
