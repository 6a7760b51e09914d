"""The one cache (``.git/gktrack/index.sqlite``): it saves parsing, and never changes an answer."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3

import pytest

from gktrack.features import views
from gktrack.storage.repo import Repository


def outputs(gk) -> list[str]:
    return [gk.ok("overdue", "--as-of", "2026-01-15"), gk.ok("status", "--state", "all"),
            gk.ok("status", "--unit", "司法所", "--json"), gk.ok("units", "--json")]


def test_the_cache_never_changes_an_answer(plans_repo, monkeypatch):
    gk = plans_repo
    gk.ok("close", "hl2022/1")
    cached = outputs(gk)
    assert cached == outputs(gk)  # warm
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    assert outputs(gk) == cached
    monkeypatch.delenv("GKTRACK_NO_CACHE")
    (gk.root / ".git" / "gktrack" / "index.sqlite").unlink()
    assert outputs(gk) == cached


def test_a_hand_edit_with_the_old_mtime_is_still_seen(plans_repo):
    """Same size, same mtime put back: the racy-clean rule hashes a file changed so soon."""
    gk = plans_repo
    path = gk.root / "plans" / "hl2022.yaml"
    gk.ok("status")  # the index knows the file
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "state: open" in text
    path.write_text(text.replace("state: open", "state: done", 1).replace("\n    state: done", "\n    state: done", 1),
                    encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert "hl2022/1 " not in gk.ok("status", "--plan", "hl2022")


def test_a_checkout_is_read_afresh(plans_repo):
    gk = plans_repo
    before = gk.ok("status", "--state", "all")
    gk.ok("close", "hl2022/2")
    after = gk.ok("status", "--state", "all")
    assert after != before
    gk.git("checkout", "-q", "HEAD~1", "--", "plans/hl2022.yaml")
    assert gk.ok("status", "--state", "all") == before


def refuse_parsing(monkeypatch) -> None:
    """Make the read path's own parse of a plan file fail the test."""
    from gktrack.storage import repo

    def refuse(*args, **kwargs):
        raise AssertionError("parsed a plan the index holds")

    monkeypatch.setattr(repo, "parse_plan", refuse)


def test_a_second_read_parses_nothing(plans_repo, monkeypatch):
    gk = plans_repo
    first = gk.ok("status", "--state", "all")
    refuse_parsing(monkeypatch)
    # files older than the racy window are trusted by their stat signature, newer ones hashed:
    # either way nothing is parsed again
    assert gk.ok("status", "--state", "all") == first


def test_a_read_after_a_change_parses_nothing(plans_repo, monkeypatch):
    """A change reads its result back before writing it; the index keeps that reading, so the
    next command does not parse the file it wrote."""
    gk = plans_repo
    gk.ok("status")
    gk.ok("progress", "hl2022/1", "已在网站公开")
    gk.ok("close", "hl2022/2")
    with monkeypatch.context() as patched:
        refuse_parsing(patched)
        warm = gk.ok("status", "--state", "all")
        assert "已在网站公开" in gk.ok("show", "hl2022/1")
    assert "hl2022/2" in warm and "已完成" in warm
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    assert gk.ok("status", "--state", "all") == warm


@pytest.mark.parametrize("damage", ["garbage", "truncated", "locked-readonly"])
def test_a_damaged_or_unwritable_index_only_costs_speed(plans_repo, damage):
    gk = plans_repo
    expected = gk.ok("status", "--state", "all")
    index = gk.root / ".git" / "gktrack" / "index.sqlite"
    if damage == "garbage":
        index.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        index.write_bytes(index.read_bytes()[:1000])
    else:
        folder = index.parent
        os.chmod(index, 0o444)
        os.chmod(folder, 0o555)
    try:
        assert gk.ok("status", "--state", "all") == expected
        assert gk.ok("status", "--state", "all") == expected
    finally:
        os.chmod(index.parent, 0o755)
        if index.exists():
            os.chmod(index, 0o644)


def test_a_new_schema_makes_a_new_index(plans_repo):
    gk = plans_repo
    expected = gk.ok("status", "--state", "all")
    index = gk.root / ".git" / "gktrack" / "index.sqlite"
    with sqlite3.connect(index) as db:
        db.execute("UPDATE meta SET value='0:old' WHERE key='format'")
        db.execute("UPDATE parsed SET data=x'00'")
    assert gk.ok("status", "--state", "all") == expected


def test_unit_queries_skip_plans_without_reading_them(plans_repo):
    """status --unit leaves out plans that cannot concern the unit; the rows are those of a scan
    over every plan."""
    repo = Repository(plans_repo.root)
    when = dt.date(2026, 1, 15)
    for unit in ("司法所", "党政综合办", "横东村"):
        rows, _ = views.status_rows(repo, unit=unit, as_of=when, state="all")
        plans, _ = repo.load_plans()
        scan = views.rows_of(repo, plans, unit=repo.units().require(unit), as_of=when, state="all")
        assert [(r.plan.id, r.task.id, r.role, r.via) for r in rows] == \
            [(r.plan.id, r.task.id, r.role, r.via) for r in scan]


def test_group_by_unit_keeps_the_most_urgent_first(plans_repo):
    repo = Repository(plans_repo.root)
    rows, _ = views.overdue_rows(repo, as_of=dt.date(2026, 1, 15))
    assert len(rows) > 3
    want = [(g.unit, [(r.plan.id, r.task.id) for r in g.rows]) for g in views.group_by_unit(repo, rows)]
    for order in (rows[::-1], rows[1::2] + rows[::2]):
        got = [(g.unit, [(r.plan.id, r.task.id) for r in g.rows]) for g in views.group_by_unit(repo, order)]
        assert got == want
    for group in views.group_by_unit(repo, rows):
        keys = [views.urgency(r) for r in group.rows]
        assert keys == sorted(keys)


def test_json_lists_have_one_element_per_line(plans_repo):
    out = plans_repo.ok("status", "--json")
    lines = out.splitlines()
    data = json.loads(out)
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(data) + 2
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == data
    assert plans_repo.ok("status", "--json", "--plan", "hl2022", "--state", "done").strip() == "[]"
