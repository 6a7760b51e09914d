"""The entry point reads plain `status` / `overdue` arguments itself (no Typer import); it must
read them exactly as the Typer app does, and hand everything else to it."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack import cli, entry


def _click_commands() -> dict:
    import typer.main

    cli._register_commands()
    group = typer.main.get_command(cli.app)
    return {name: group.commands[name] for name in entry.QUICK}


COMMANDS = _click_commands()


@pytest.mark.parametrize("name", sorted(entry.QUICK))
def test_the_quick_table_is_what_typer_declares(name):
    declared = {}
    for param in COMMANDS[name].params:
        if param.name == "help" or not param.opts[0].startswith("-"):
            continue
        kind = "flag" if param.is_flag else {"integer": "int", "int": "int", "text": "text", "str": "text"}[param.type.name]
        for word in [*param.opts, *param.secondary_opts]:
            declared[word] = (param.name, kind)
    assert entry.QUICK[name] == declared


WORDS = sorted({w for options in entry.QUICK.values() for w in options}) + [
    "--help", "-h", "--", "--unitx", "-uX", "--json=1", "-u=x", "--within=7", "--unit=司法所", "--state=done",
    "extra", "--year=2024", "-w", "--as-of=2024-12-20",
]
VALUES = st.one_of(
    st.sampled_from(["司法所", "open", "done", "all", "7", "007", "2024", "-1", "--json", "", "a=b", "٧", " 7",
                     "2024-12-20", "hl2022"]),
    st.text(max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(name=st.sampled_from(sorted(entry.QUICK)), tokens=st.lists(st.one_of(st.sampled_from(WORDS), VALUES), max_size=6))
def test_what_the_entry_reads_click_reads_the_same(name, tokens):
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
    defaults = {p.name: p.default for p in command.params if p.name != "help"}
    assert {**defaults, **values} == {k: v for k, v in ctx.params.items() if k in defaults}


def test_the_app_s_root_option_and_what_goes_to_typer():
    assert entry.quick_call(["-C", "/r", "overdue", "-u", "司法所", "--json"]) == \
        ("overdue", "/r", {"unit": "司法所", "json_out": True})
    assert entry.quick_call(["--repo", "/r", "status"]) == ("status", "/r", {})
    assert entry.quick_call(["status", "--year=2024", "--state", "all"]) == ("status", None, {"year": 2024, "state": "all"})
    for args in (["--repo=/r", "status"], ["-C", "/a", "-C", "/b", "status"], ["-C", "status"], ["show", "x"],
                 ["status", "--help"], ["status", "-u"], ["status", "--unit", "a", "--unit", "b"],
                 ["overdue", "--within", "-1"], ["overdue", "--json=yes"], ["status", "--", "x"], [],
                 ["--version"], ["overdue", "-uX"], ["status", "--year", "二〇二四"]):
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
