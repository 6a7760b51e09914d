"""The read cache (.git/gktrack/cache/plans.v3): one file, keyed per source file by stat signature
and content hash, never read stale."""

from __future__ import annotations

import hashlib
import json
import os
import random
import time

import pytest

from gktrack.storage import plancache
from gktrack.storage.plancache import CACHE_FILE, MAGIC, RACY_NS, plan_to_json
from gktrack.storage.planfile import read_plan
from gktrack.storage.repo import Repository


def _cache_path(gk):
    return gk.root / ".git" / "gktrack" / "cache" / CACHE_FILE


def _index(gk) -> dict:
    """The entries as a reader sees them: the file's index with the journal applied."""
    assert _cache_path(gk).read_bytes().startswith(MAGIC)
    return plancache.CacheFile(_cache_path(gk).parent).index


def _log_path(gk):
    return _cache_path(gk).with_name(CACHE_FILE + ".log")


def _files(folder) -> set[str]:
    # views/: the kept outputs of status and overdue (tests/test_viewcache.py)
    return {p.name for p in folder.iterdir()} - {CACHE_FILE + ".log", "views"}


def _fresh(gk) -> dict:
    """Every plan as parsing its file gives it (no cache involved)."""
    return {p.stem: plan_to_json(read_plan(p, f"plans/{p.name}")) for p in sorted((gk.root / "plans").glob("*.yaml"))}


def _loaded(gk) -> dict:
    plans, problems = Repository(gk.root).load_plans()
    assert problems == []
    return {p.id: plan_to_json(p) for p in plans}


def _age(gk, seconds: float = 10) -> None:
    """Make every plan file look older than the racy window (as files are, a moment after a write)."""
    past = time.time_ns() - int(seconds * 1e9)
    for path in [*(gk.root / "plans").glob("*.yaml"), gk.root / "units.yaml"]:
        os.utime(path, ns=(past, past))


def test_one_file_for_all_plans_and_the_registry(plans_repo):
    gk = plans_repo
    gk.ok("status")
    folder = gk.root / ".git" / "gktrack" / "cache"
    assert _files(folder) == {CACHE_FILE}
    index = _index(gk)
    assert set(index) == {"units.yaml", "plans/hl2022.yaml", "plans/qz2024.yaml", "deadlines"}
    assert _loaded(gk) == _fresh(gk)


def test_trusted_signature_reads_no_file_and_a_changed_file_is_read_again(plans_repo, monkeypatch):
    gk = plans_repo
    _age(gk)
    gk.ok("status")  # entries made now for files 10 s old: trusted from the next read on
    opened = []
    real_open = open

    def spy(path, *args, **kwargs):
        opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    assert _loaded(gk) == _fresh(gk)
    assert [p for p in opened if p.endswith(".yaml")] == []  # stat only
    # a hand edit: new signature, so the file is read and parsed again
    path = gk.root / "plans" / "hl2022.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("镇内部的公开工作", "镇内部的公开工作(已改)"),
                    encoding="utf-8")
    opened.clear()
    loaded = _loaded(gk)
    assert [p for p in opened if p.endswith(".yaml")] == [str(path)]
    assert loaded == _fresh(gk)
    assert "镇内部的公开工作(已改)" in gk.ok("status", "--plan", "hl2022")


def test_racy_entry_is_hashed_not_trusted(plans_repo):
    """A file modified within RACY_NS of its check may change again without a new signature:
    its content is compared, so a same-size, same-mtime rewrite is still seen."""
    gk = plans_repo
    gk.ok("status")
    cache = plancache.CacheFile(_cache_path(gk).parent)
    entry = cache.index["plans/hl2022.yaml"]
    st = os.stat(gk.root / "plans" / "hl2022.yaml")
    # as if the entry had been checked right when the file was written, with other bytes
    entry[0:4] = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
    entry[4] = "0" * 40
    entry[5] = st.st_mtime_ns + RACY_NS // 2
    cache.dirty = True
    cache.save()
    assert _loaded(gk) == _fresh(gk)
    # and once the signature is old enough it is trusted: the (now right) entry is used as is
    assert _index(gk)["plans/hl2022.yaml"][4] != "0" * 40


def test_same_signature_and_old_enough_is_trusted(plans_repo):
    """The other side of the rule: a trusted signature is not re-read (shown with a doctored entry)."""
    gk = plans_repo
    _age(gk)
    gk.ok("status")
    cache = plancache.CacheFile(_cache_path(gk).parent)
    payload = cache.payload("plans/qz2024.yaml")
    payload["title"] = "缓存中的标题"
    # an entry for other bytes, under the file's own (old, so trusted) signature
    cache.put("plans/qz2024.yaml", cache.index["plans/qz2024.yaml"][0:4], b"other bytes", payload, time.time_ns())
    cache.save()
    assert _loaded(gk)["qz2024"]["title"] == "缓存中的标题"
    os.utime(gk.root / "plans" / "qz2024.yaml")  # touched: a new mtime, so the bytes are hashed again
    assert _loaded(gk)["qz2024"]["title"] == "钦州市2024年政务公开工作实施方案"


def test_checkout_delete_and_registry_edits_are_seen(plans_repo):
    gk = plans_repo
    gk.ok("status")
    gk.ok("close", "hl2022/1")
    assert "hl2022/1" not in gk.ok("status")
    gk.git("checkout", "-q", "HEAD~1", "--", "plans/hl2022.yaml")
    assert "hl2022/1" in gk.ok("status")
    gk.git("checkout", "-q", "HEAD", "--", "plans/hl2022.yaml")
    (gk.root / "plans" / "qz2024.yaml").unlink()
    assert "qz2024" not in gk.ok("status")
    assert "plans/qz2024.yaml" not in _index(gk)  # dropped from the cache
    units = gk.root / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("- name: 司法所", "- name: 司法所\n    aliases: [司法]"),
                     encoding="utf-8")
    assert gk.json("status", "--unit", "司法", "--json")


def test_broken_or_foreign_cache_is_rebuilt(plans_repo):
    gk = plans_repo
    gk.ok("status")
    path = _cache_path(gk)
    for junk in (b"", b"garbage\n", MAGIC + b"{not json\n", MAGIC + b'{"plans/hl2022.yaml":[1,2]}\nxx',
                 path.read_bytes()[:-100]):
        path.write_bytes(junk)
        assert _loaded(gk) == _fresh(gk)
        assert "hl2022/1" in gk.ok("status")
    assert path.read_bytes().startswith(MAGIC)


def test_old_per_plan_files_are_removed(plans_repo):
    gk = plans_repo
    folder = gk.root / ".git" / "gktrack" / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hl2022.json").write_text('{"version": 2}', encoding="utf-8")
    gk.ok("status")
    assert _files(folder) == {CACHE_FILE}


def test_no_cache_and_read_only_git(plans_repo, monkeypatch):
    gk = plans_repo
    import shutil

    shutil.rmtree(gk.root / ".git" / "gktrack" / "cache", ignore_errors=True)
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    assert "hl2022/1" in gk.ok("status")
    assert not (gk.root / ".git" / "gktrack" / "cache").exists()
    monkeypatch.delenv("GKTRACK_NO_CACHE")
    # a cache that cannot be written (read-only .git; here a file where the folder should be,
    # which stops root as well): the commands work, only slower
    (gk.root / ".git" / "gktrack" / "cache").write_text("", encoding="utf-8")
    assert "hl2022/1" in gk.ok("status")
    assert "hl2022/1" in gk.ok("show", "hl2022/1")


def test_a_broken_plan_is_reported_and_not_cached(plans_repo):
    gk = plans_repo
    path = gk.root / "plans" / "qz2024.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  bad: [\n", encoding="utf-8")
    result = gk("status")
    assert result.code == 0 and "plans/qz2024.yaml" in result.err and "hl2022/1" in result.out
    assert "plans/qz2024.yaml" not in _index(gk)


def test_random_edits_never_read_stale(plans_repo):
    """Edits by hand (same size or not, with or without mtime restored), commands and loads in a
    random order: the cached load always equals parsing the files."""
    gk = plans_repo
    rng = random.Random(8)
    path = gk.root / "plans" / "hl2022.yaml"
    for step in range(25):
        action = rng.choice(["edit-same-size", "edit", "progress", "load", "drop-cache", "cut-journal"])
        if action.startswith("edit"):
            text = path.read_text(encoding="utf-8")
            st = os.stat(path)
            old, new = ("做好政务数据开放", "做好政务数据公开") if "做好政务数据开放" in text else ("做好政务数据公开", "做好政务数据开放")
            if action == "edit":
                new += "!" * rng.randint(1, 3)
                old = text[text.index(old[:4]):].split("\n", 1)[0].split("'")[0]
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            if rng.random() < 0.5:
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # an editor that keeps the mtime
        elif action == "progress":
            gk.git("add", "-A")
            gk.git("commit", "-qm", "手工修改", check=False)
            gk.ok("progress", f"hl2022/{rng.randint(1, 6)}", f"第{step}次进展")
        elif action == "drop-cache":
            _cache_path(gk).unlink(missing_ok=True)
        elif action == "cut-journal" and _log_path(gk).exists():
            data = _log_path(gk).read_bytes()
            _log_path(gk).write_bytes(data[:rng.randint(0, len(data))])  # a crash mid-append
        assert _loaded(gk) == _fresh(gk), (step, action)


def test_unit_query_skips_plans_that_cannot_concern_the_unit(plans_repo, monkeypatch):
    gk = plans_repo
    _age(gk)
    gk.ok("status")
    index = _index(gk)
    assert index["plans/qz2024.yaml"][8] == ["党政综合办", "区政数局", "司法所"]
    assert "党政综合办" in index["plans/hl2022.yaml"][8]  # the owner: task 6 names no unit
    decoded = []
    real = plancache.plan_from_json

    def spy(data, where, *args):
        decoded.append(where)
        return real(data, where, *args)

    monkeypatch.setattr(plancache, "plan_from_json", spy)
    for unit in ("横东村", "政数局", "党政综合办", "司法所"):
        decoded.clear()
        got = gk.json("status", "--unit", unit, "--json")
        if unit == "横东村":  # only through 各村(社区) and 各有关单位, both in hl2022 alone
            assert decoded == ["plans/hl2022.yaml"]
        monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
        assert got == gk.json("status", "--unit", unit, "--json")
        monkeypatch.delenv("GKTRACK_NO_CACHE")
    # a hand edit naming the unit in the skipped plan: the signature changed, so it is read again
    path = gk.root / "plans" / "qz2024.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("区政数局", "横东村"), encoding="utf-8")
    ids = [t["id"] for t in gk.json("status", "--unit", "横东村", "--json")]
    assert "qz2024/1" in ids


def test_a_write_appends_to_the_journal_and_leaves_the_file(plans_repo):
    """A write adds its plan's entry to plans.v3.log; the big file is not rewritten."""
    gk = plans_repo
    gk.ok("status")
    before = _cache_path(gk).read_bytes()
    log_before = _log_path(gk).read_bytes() if _log_path(gk).exists() else b""
    gk.ok("close", "hl2022/1")
    gk.ok("progress", "hl2022/2", "已公开")
    assert _cache_path(gk).read_bytes() == before
    log = _log_path(gk).read_bytes()
    assert log.startswith(log_before) and len(log) > len(log_before)
    index = _index(gk)
    assert index["plans/hl2022.yaml"][4] == hashlib.sha1((gk.root / "plans/hl2022.yaml").read_bytes()).hexdigest()
    assert _loaded(gk) == _fresh(gk)
    assert "hl2022/1" not in gk.ok("status")


def test_damaged_journal_records_are_ignored(plans_repo):
    """Reading stops at the first torn or damaged record; what it held is parsed again."""
    gk = plans_repo
    gk.ok("status")
    gk.ok("close", "hl2022/1")
    gk.ok("close", "qz2024/1")
    log = _log_path(gk).read_bytes()
    for damaged in (log[:-1], log[:len(log) // 2], log.replace("已".encode(), "己".encode(), 1),
                    b"x" + log, b"4 3 -1 0\n[1]" + log, log + b"4 999999 0 0\n"):
        _log_path(gk).write_bytes(damaged)
        assert _loaded(gk) == _fresh(gk)
        assert "hl2022/1" not in gk.ok("status") and "qz2024/1" not in gk.ok("status")


def test_an_out_of_order_record_is_not_read_stale(plans_repo):
    """Two writers at once may append in either order: an entry for the file's earlier bytes,
    appended last, is checked against the file's signature like any other."""
    gk = plans_repo
    _age(gk)
    gk.ok("status")
    cache = plancache.CacheFile(_cache_path(gk).parent)
    rel = "plans/hl2022.yaml"
    old_entry, old_blob = list(cache.index[rel]), cache.logged.get(rel) or cache._blob(cache.index[rel])
    gk.ok("close", "hl2022/1")
    _loaded(gk)
    # the slower writer's record, for the earlier bytes, lands after the newer one
    late = plancache.CacheFile(_cache_path(gk).parent)
    late.put_blob(rel, old_entry, old_blob)
    late.save()
    assert plancache.CacheFile(_cache_path(gk).parent).index[rel][4] == old_entry[4]
    assert _loaded(gk) == _fresh(gk)
    assert "hl2022/1" not in gk.ok("status")


def test_the_journal_is_merged_once_it_grows(plans_repo, monkeypatch):
    gk = plans_repo
    gk.ok("status")
    monkeypatch.setattr(plancache, "LOG_MAX", 8_000)
    sizes = []
    for n in range(1, 13):
        gk.ok("progress", f"hl2022/{n % 6 + 1}", f"第{n}次")
        sizes.append(_log_path(gk).stat().st_size if _log_path(gk).exists() else 0)
        assert sizes[-1] <= 8_000
    assert any(b > a for a, b in zip(sizes, sizes[1:]))  # appended
    assert any(b < a for a, b in zip(sizes, sizes[1:]))  # merged into a new file
    assert _loaded(gk) == _fresh(gk)
    assert _files(_cache_path(gk).parent) == {CACHE_FILE}
    # a removed plan is dropped by writing a whole new file: the journal is merged and removed
    (gk.root / "plans" / "qz2024.yaml").unlink()
    gk.ok("status")
    assert not _log_path(gk).exists()
    assert "plans/qz2024.yaml" not in _index(gk)
    assert _loaded(gk) == _fresh(gk)


def test_built_in_and_openssl_sha1_agree(monkeypatch):
    """The cache hashes with CPython's built-in SHA-1 first, OpenSSL's past a megabyte."""
    from gktrack.storage import journal

    monkeypatch.setattr(plancache, "_hashed", 0)
    chunks = [os.urandom(n) for n in (0, 1, 1000, 700_000, 700_000, 5)]
    assert [plancache._sha1_hex(c) for c in chunks] == [hashlib.sha1(c).hexdigest() for c in chunks]
    assert plancache._hashed > 1 << 20
    assert journal.sha256(b"abc") == hashlib.sha256(b"abc").hexdigest() and journal.sha256(None) is None
