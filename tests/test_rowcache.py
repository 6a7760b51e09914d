"""What `overdue` made of each plan, kept (.git/gktrack/cache/rows): a plan's lines are made again
only when its bytes, units.yaml, the day or the window changed, a plan is decoded again only when
its bytes or units.yaml changed, and what is printed is always what a run without any cache
prints."""

from __future__ import annotations

import os
import shutil

import pytest

from gktrack.storage import plancache
from gktrack.features import rowcache

AS_OF = ("--as-of", "2024-12-20")


def _folder(gk):
    return gk.root / ".git" / "gktrack" / "cache" / "rows"


def _kept(gk, kind: str = "") -> list:
    folder = _folder(gk)
    return sorted(p for p in folder.iterdir() if p.name.startswith(kind) and not p.name.startswith(".")) \
        if folder.is_dir() else []


def _uncached(gk, monkeypatch, *argv) -> str:
    with monkeypatch.context() as mp:
        mp.setenv("GKTRACK_NO_CACHE", "1")
        return gk.ok(*argv)


@pytest.fixture
def decoded(monkeypatch) -> list:
    """The plans each run had to make lines for (the others came from the kept file)."""
    made: list = []
    load = plancache.load_plans_cached

    def spy(repo, plan_ids, **kwargs):
        if kwargs.get("every") is False:  # rowcache's loads (a run without it loads every plan)
            made.append(sorted(plan_ids))
        return load(repo, plan_ids, **kwargs)

    monkeypatch.setattr(plancache, "load_plans_cached", spy)
    return made


def _overdue(gk, *argv) -> str:
    """A computed run: the whole kept output (viewcache) is removed first."""
    shutil.rmtree(gk.root / ".git" / "gktrack" / "cache" / "views", ignore_errors=True)
    return gk.ok("overdue", *AS_OF, *argv)


def test_unchanged_plans_are_not_made_again_and_the_output_is_the_same(plans_repo, monkeypatch, decoded):
    gk = plans_repo
    want = _uncached(gk, monkeypatch, "overdue", *AS_OF)
    assert "司法所:逾期" in want and "区政数局:逾期" in want
    assert _overdue(gk) == want
    assert decoded == [["hl2022", "qz2024"]] and len(_kept(gk, "lines-")) == len(_kept(gk, "candidates-")) == 1
    decoded.clear()
    assert _overdue(gk) == want
    assert decoded == []  # every line came from the kept file


def test_a_change_by_gktrack_makes_only_that_plan_again(plans_repo, monkeypatch, decoded):
    gk = plans_repo
    _overdue(gk)
    gk.ok("close", "qz2024/1", "--note", "已公开")
    decoded.clear()
    after = _overdue(gk)
    assert decoded == [["qz2024"]]
    assert after == _uncached(gk, monkeypatch, "overdue", *AS_OF)
    assert "配合做好行政复议文书公开" not in after and "依托政府信息公开平台" in after


def test_a_hand_edit_with_the_old_mtime_put_back_is_seen(plans_repo, monkeypatch, decoded):
    gk = plans_repo
    before = _overdue(gk)
    plan = gk.root / "plans" / "hl2022.yaml"
    st = os.stat(plan)
    text = plan.read_text(encoding="utf-8")
    assert "6月底前" in text
    plan.write_text(text.replace("6月底前", "7月底前"), encoding="utf-8")  # same size
    os.utime(plan, ns=(st.st_atime_ns, st.st_mtime_ns))
    decoded.clear()
    after = _overdue(gk)
    assert decoded == [["hl2022"]]
    assert after != before and "7月底前" in after and "6月底前" not in after
    assert after == _uncached(gk, monkeypatch, "overdue", *AS_OF)


def test_units_yaml_the_day_and_the_window_are_part_of_the_key(plans_repo, monkeypatch, decoded):
    gk = plans_repo
    _overdue(gk)
    registry = gk.root / "units.yaml"
    # 司法所 becomes another name of 区政数局: its tasks move to that unit's table
    text = registry.read_text(encoding="utf-8").replace("  - name: 司法所\n", "")
    registry.write_text(text.replace("aliases: [政数局]", "aliases: [政数局, 司法所]"), encoding="utf-8")
    decoded.clear()
    moved = _overdue(gk)
    assert decoded == [["hl2022", "qz2024"]]
    assert "司法所:逾期" not in moved and moved == _uncached(gk, monkeypatch, "overdue", *AS_OF)
    decoded.clear()
    # another day or window: the plans' candidates are assessed again, no plan is decoded
    for argv in (("--within", "30"), ("--as-of", "2024-12-21"), ("--as-of", "2022-07-15"), ("--as-of", "2022-03-01")):
        got = _overdue(gk, *argv)
        assert got == _uncached(gk, monkeypatch, "overdue", *AS_OF, *argv)
    assert decoded == []
    assert len(_kept(gk, "lines-")) == rowcache.KEEP["lines"]  # six made, the newest four kept
    assert len(_kept(gk, "candidates-")) == 2  # this units.yaml's and the one before
    assert _overdue(gk, "--as-of", "2022-03-01") == _uncached(gk, monkeypatch, "overdue", "--as-of", "2022-03-01")


def test_a_new_day_after_a_change_decodes_only_the_changed_plan(plans_repo, monkeypatch, decoded):
    gk = plans_repo
    _overdue(gk)
    gk.ok("progress", "hl2022/5", "横东村已更新公开栏")
    decoded.clear()
    for argv in ((), ("--as-of", "2024-12-21")):
        assert _overdue(gk, *argv) == _uncached(gk, monkeypatch, "overdue", *AS_OF, *argv)
    assert decoded == [["hl2022"], ["hl2022"]]  # the day's lines, then the new day's candidates
    decoded.clear()
    assert _overdue(gk, "--as-of", "2024-12-22") == _uncached(gk, monkeypatch, "overdue", "--as-of", "2024-12-22")
    assert decoded == []


def test_added_removed_and_broken_plans(plans_repo, monkeypatch, decoded):
    gk = plans_repo
    _overdue(gk)
    extra = gk.root / "plans" / "xx2024.yaml"
    shutil.copy(gk.root / "plans" / "qz2024.yaml", extra)
    extra.write_text(extra.read_text(encoding="utf-8").replace("id: qz2024", "id: xx2024"), encoding="utf-8")
    decoded.clear()
    added = _overdue(gk)
    assert decoded == [["xx2024"]] and "xx2024/1" in added
    assert added == _uncached(gk, monkeypatch, "overdue", *AS_OF)
    extra.write_text("id: xx2024\ntasks: [\n", encoding="utf-8")
    for _ in range(2):  # reported on every run, never kept
        result = gk("overdue", *AS_OF)
        assert result.code == 0 and "xx2024.yaml" in result.err and "警告" in result.err
        assert "xx2024/1" not in result.out and "qz2024/1" in result.out
    extra.unlink()
    decoded.clear()
    assert _overdue(gk) == _uncached(gk, monkeypatch, "overdue", *AS_OF)
    assert decoded == []


def test_a_torn_or_foreign_file_is_made_again(plans_repo, monkeypatch):
    gk = plans_repo
    want = _overdue(gk)
    for kind in ("candidates-", "lines-"):
        [kept] = _kept(gk, kind)
        data = kept.read_bytes()
        content = rowcache._read(kept)
        assert content
        for damaged in (data[: len(data) // 2], b"", b"gktrack-rows 2 12 34\n" + b"x" * 12, data[:-1] + b"\x00"):
            kept.write_bytes(damaged)
            if kind == "candidates-":
                for lines in _kept(gk, "lines-"):
                    lines.unlink()  # the candidates are read on a day's first run
            assert _overdue(gk) == want
            assert rowcache._read(kept) == content  # written again, whole
    assert _overdue(gk, "--unit", "司法所") == _uncached(gk, monkeypatch, "overdue", *AS_OF, "--unit", "司法所")


def test_no_cache_and_a_read_only_git_folder(plans_repo, monkeypatch):
    gk = plans_repo
    want = _uncached(gk, monkeypatch, "overdue", *AS_OF)
    assert not _folder(gk).exists()
    cache = gk.root / ".git" / "gktrack"
    cache.mkdir(parents=True, exist_ok=True)
    os.chmod(cache, 0o500)
    try:
        if os.access(cache, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        assert _overdue(gk) == want
    finally:
        os.chmod(cache, 0o700)


def test_a_long_journal_is_merged_by_the_next_read(plans_repo, monkeypatch):
    """Every read replays the read cache's journal record by record: past LOG_RECORDS records
    (a checkout that touched every plan), the next read writes one merged file."""
    gk = plans_repo
    gk.ok("status")
    gk.ok("progress", "qz2024/1", "已起草")  # a write appends its plans' records to the journal
    log = gk.root / ".git" / "gktrack" / "cache" / (plancache.CACHE_FILE + ".log")
    assert log.exists()
    monkeypatch.setattr(plancache, "LOG_RECORDS", 0)
    want = _uncached(gk, monkeypatch, "status")
    shutil.rmtree(gk.root / ".git" / "gktrack" / "cache" / "views", ignore_errors=True)
    assert gk.ok("status") == want
    assert not log.exists()
    assert "已起草" in gk.ok("show", "qz2024/1")
