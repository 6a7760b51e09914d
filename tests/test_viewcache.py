"""Kept outputs of `status` / `overdue` (.git/gktrack/cache/views): printed again only while every
input file, the options, the day and the way of showing are the same."""

from __future__ import annotations

import json
import os
import time
import zlib

from gktrack.features import viewcache

TASK_LINE = "配合做好行政复议文书公开"


def _views(gk):
    return gk.root / ".git" / "gktrack" / "cache" / "views"


def _age(gk, seconds: float = 10) -> None:
    """Plan files and the registry as they are a while after a write: older than the racy window."""
    past = time.time_ns() - int(seconds * 1e9)
    for path in [*(gk.root / "plans").glob("*.yaml"), gk.root / "units.yaml"]:
        os.utime(path, ns=(past, past))


def _kept(gk) -> list:
    folder = _views(gk)
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _forge(path, text: str) -> None:
    """Replace a kept output's body (a valid record): proves that the next run printed the kept bytes."""
    head = path.read_bytes().split(b"\n", 1)[0]
    version, inputs, _, _ = json.loads(head)
    body = text.encode("utf-8")
    path.write_bytes(json.dumps([version, inputs, len(body), zlib.crc32(body)]).encode() + b"\n" + body)


def test_an_identical_run_prints_the_kept_output(plans_repo):
    gk = plans_repo
    _age(gk)
    first = gk.ok("overdue")
    assert TASK_LINE[:6] in first or "逾期" in first
    [kept] = _kept(gk)
    assert gk.ok("overdue") == first
    _forge(kept, "（保存的输出）\n")
    assert gk.ok("overdue") == "（保存的输出）\n"


def test_options_day_width_and_json_are_separate_outputs(plans_repo, monkeypatch):
    gk = plans_repo
    _age(gk)
    plain = gk.ok("status")
    as_json = gk.ok("status", "--json")
    unit = gk.ok("status", "--unit", "司法所")
    assert len(_kept(gk)) == 3
    assert json.loads(as_json) and "角色" in unit and "角色" not in plain
    monkeypatch.setenv("COLUMNS", "90")
    narrow = gk.ok("status")
    assert max(map(len, narrow.splitlines())) <= max(map(len, plain.splitlines()))
    monkeypatch.setenv("GKTRACK_TODAY", "2024-12-31")
    gk.ok("overdue")
    assert len(_kept(gk)) == 5
    # every kept output is what a run without the cache prints
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    assert gk.ok("overdue") == _uncached(gk, monkeypatch, "overdue")


def _uncached(gk, monkeypatch, *argv) -> str:
    with monkeypatch.context() as mp:
        mp.setenv("GKTRACK_NO_CACHE", "1")
        return gk.ok(*argv)


def test_a_hand_edit_is_never_answered_from_the_kept_output(plans_repo):
    gk = plans_repo
    _age(gk)
    before = gk.ok("status")
    plan = gk.root / "plans" / "qz2024.yaml"
    text = plan.read_text(encoding="utf-8")
    assert TASK_LINE in text
    # same size and the old mtime put back: the ctime still tells
    st = plan.stat()
    plan.write_text(text.replace(TASK_LINE, "配合做好行政处罚文书公开"), encoding="utf-8")
    os.utime(plan, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = gk.ok("status")
    assert "行政处罚文书" in after and "行政处罚文书" not in before


def test_a_change_by_gktrack_a_new_plan_or_new_units_are_seen(plans_repo):
    gk = plans_repo
    _age(gk)
    first = gk.ok("status", "--state", "all")
    gk.ok("add", "qz2024", "新增一项公开任务", "--lead", "司法所")
    assert "新增一项公开任务" in gk.ok("status", "--state", "all")
    _age(gk)
    gk.ok("status", "--state", "all")
    copy = gk.root / "plans" / "zz2099.yaml"
    copy.write_text((gk.root / "plans" / "qz2024.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert gk.ok("status", "--state", "all") != first
    copy.unlink()
    _age(gk)
    gk.ok("status", "--unit", "司法所")
    registry = gk.root / "units.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# 手工注释\n", encoding="utf-8")
    _age(gk)
    [kept] = [p for p in _kept(gk) if p.stat().st_mtime_ns == max(q.stat().st_mtime_ns for q in _kept(gk))]
    _forge(kept, "旧的输出\n")
    assert gk.ok("status", "--unit", "司法所") != "旧的输出\n"


def test_fresh_files_and_warnings_are_not_kept(plans_repo):
    gk = plans_repo
    gk.ok("add", "qz2024", "刚写入的任务", "--lead", "司法所")
    gk.ok("status")  # the plan was written a moment ago: inside the racy window
    assert _kept(gk) == []
    _age(gk)
    gk.write("plans/broken.yaml", "id: broken\ntasks: [\n")
    _age(gk)
    result = gk("status")
    assert result.code == 0 and "警告" in result.err
    assert _kept(gk) == []
    again = gk("status")
    assert "警告" in again.err and again.out == result.out


def test_damaged_or_foreign_files_are_made_afresh(plans_repo):
    gk = plans_repo
    _age(gk)
    good = gk.ok("overdue")
    [kept] = _kept(gk)
    data = kept.read_bytes()
    kept.write_bytes(data[: len(data) // 2])  # torn
    assert gk.ok("overdue") == good
    kept.write_bytes(b"not json\n" + data)
    assert gk.ok("overdue") == good
    assert kept.read_bytes() == data  # rewritten whole


def test_only_the_newest_outputs_are_kept(plans_repo, monkeypatch):
    gk = plans_repo
    _age(gk)
    for day in range(1, viewcache.KEEP + 5):
        monkeypatch.setenv("GKTRACK_TODAY", f"2024-11-{day:02d}")
        gk.ok("overdue")
    assert len(_kept(gk)) == viewcache.KEEP


def test_no_cache_means_nothing_kept(plans_repo, monkeypatch):
    gk = plans_repo
    _age(gk)
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    gk.ok("overdue")
    gk.ok("status")
    assert not _views(gk).exists()


def test_a_real_process_prints_the_same_bytes(plans_repo):
    import subprocess
    import sys

    gk = plans_repo
    _age(gk)

    def run(**extra) -> bytes:
        env = {**os.environ, "COLUMNS": "120", **extra}
        proc = subprocess.run([sys.executable, "-m", "gktrack", "overdue"], cwd=gk.root, env=env,
                              capture_output=True, check=True)
        return proc.stdout

    first, second = run(), run()
    assert len(_kept(gk)) == 1
    assert first == second == run(GKTRACK_NO_CACHE="1")
    assert "逾期".encode() in first


def test_the_kept_outputs_stay_small(plans_repo, monkeypatch):
    gk = plans_repo
    _age(gk)
    monkeypatch.setattr(viewcache, "KEEP_BYTES", 1)  # only the newest survives
    gk.ok("status")
    gk.ok("overdue")
    [kept] = _kept(gk)
    _forge(kept, "最新的一份\n")
    assert gk.ok("overdue") == "最新的一份\n"
