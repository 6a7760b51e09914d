"""A plan is a division of labour: a year replayed with the office and two units' liaisons, each in
their own clone, syncing through a server with the hook, commits backdated to the day.

新建区 style: 区司法局牵头,各乡(镇)负责 (望城镇, 石岗镇 listed as members); 各有关单位按职责分工负责;
区政数局牵头,区司法局配合; 望城镇 alone, 每季度; 区司法局、望城镇 each with a part, 年底前.
Every unit's status, overdue, units counts, form round trip and report figures are its own; two
units closing their parts of one task in two clones merge cleanly; overdue and the report agree.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import git, identities_per_clone, new_repo, run_main
from gktrack.domain.model import Part, Progress, Task
from gktrack.domain.parts import as_recorded_by

OFFICE = ("王五", "office@xj.gov.cn")
ZHANG = ("张三", "zhang@xj.gov.cn")  # 区司法局
LI = ("李四", "li@xj.gov.cn")  # 望城镇

REGISTRY = """\
schema: 1
units:
  - name: 区司法局
  - name: 区政数局
  - name: 望城镇
  - name: 石岗镇
collectives:
  - name: 各有关单位
    members: all
  - name: 各乡(镇)
    members: [望城镇, 石岗镇]
people:
  - email: office@xj.gov.cn
    name: 王五
    role: office
  - email: zhang@xj.gov.cn
    name: 张三
    units: [区司法局]
  - email: li@xj.gov.cn
    name: 李四
    units: [望城镇]
"""

TASKS = [  # (text, units as written, deadline)
    ("规范行政规范性文件公开", "区司法局牵头,各乡(镇)负责", "6月底前"),          # 1
    ("做好政策解读", "各有关单位按职责分工负责", "持续推进"),                      # 2
    ("完善政府信息公开平台", "区政数局牵头,区司法局配合", "9月底前"),              # 3
    ("更新基层公开目录", "望城镇负责", "每季度"),                                   # 4
    ("编制年度报告", "区司法局、望城镇按职责分工负责", "年底前"),                    # 5
]


class Clone:
    def __init__(self, root: Path, who: tuple[str, str], mp: pytest.MonkeyPatch):
        self.root, self.who, self.mp = root, who, mp

    def at(self, day: str) -> "Clone":
        stamp = f"{day}T10:00:00+08:00"
        for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            self.mp.setenv(name, stamp)
        self.mp.setenv("GKTRACK_TODAY", day)
        return self

    def run(self, *args: str):
        return run_main(["--repo", str(self.root), *args])

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.code == 0, (self.who[0], args, result.err)
        return result.out

    def json(self, *args: str):
        return json.loads(self.ok(*args))

    def sync(self) -> str:
        return self.ok("sync")


@pytest.fixture
def year(gk_env, tmp_path, monkeypatch):
    identities_per_clone(tmp_path, monkeypatch, OFFICE)
    seed = Clone(tmp_path / "seed", OFFICE, monkeypatch).at("2024-02-01")
    assert run_main(["init", str(seed.root)]).code == 0
    (seed.root / "units.yaml").write_text(REGISTRY, encoding="utf-8")
    seed.ok("commit-edits", "-m", "登记单位与人员")
    seed.ok("new-plan", "xj2024", "--year", "2024", "--title", "新建区2024年政务公开工作要点")
    for text, units, due in TASKS:
        seed.ok("add", "xj2024", text, "--unit", units, "--due", due)
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed.root), str(server))
    assert run_main(["hook", "install", str(server)]).code == 0
    clones = {}
    for key, who in (("office", OFFICE), ("zhang", ZHANG), ("li", LI)):
        path = tmp_path / key
        git(tmp_path, "clone", "-q", str(server), str(path))
        git(path, "config", "user.name", who[0])
        git(path, "config", "user.email", who[1])
        clones[key] = Clone(path, who, monkeypatch)
        clones[key].ok("setup-merge")
    office, zhang, li = clones["office"], clones["zhang"], clones["li"]

    li.at("2024-03-10").ok("progress", "xj2024/4", "一季度目录已更新")
    li.sync()
    # two units close their own parts of task 1 in their own clones, neither having seen the other's
    zhang.at("2024-05-20").ok("close", "xj2024/1", "-m", "区司法局已完成", "-e", "https://xj.gov.cn/a")
    li.at("2024-05-25").ok("close", "xj2024/1", "-m", "望城镇已完成")
    zhang.sync()
    said = li.sync()
    assert "同步完成" in said
    zhang.at("2024-06-15").sync()
    zhang.ok("progress", "xj2024/3", "区司法局已提供材料")  # a supporting unit reports to the lead
    zhang.sync()
    li.at("2024-08-01").sync()
    li.ok("progress", "xj2024/5", "望城镇已完成初稿")
    li.sync()
    zhang.at("2024-11-20").sync()
    zhang.ok("close", "xj2024/5")
    zhang.sync()
    office.at("2024-12-20").sync()
    return clones


def test_each_unit_sees_and_closes_its_own_part(year):
    office, zhang = year["office"], year["zhang"]
    office.at("2024-07-01")
    parts = {p["unit"]: p for p in office.json("show", "xj2024/1", "--json")["parts"]}
    assert {u: p["state"] for u, p in parts.items()} == {"区司法局": "done", "望城镇": "done", "石岗镇": "open"}
    assert parts["区司法局"]["evidence"] == ["https://xj.gov.cn/a"] and parts["望城镇"]["note"] == "望城镇已完成"
    assert parts["石岗镇"]["via"] == "各乡(镇)"
    # 望城镇's part is done; 石岗镇's is not: each unit's status is its own
    assert [r["id"] for r in office.json("status", "--unit", "望城镇", "--state", "done", "--json")] == ["xj2024/1"]
    shigang = office.json("status", "--unit", "石岗镇", "--json")
    # its own part of task 1, late; and task 2 through 各有关单位 (the collective's one part)
    assert [(r["id"], r["level"], r["via"]) for r in shigang] == [("xj2024/1", "red", "各乡(镇)"),
                                                                  ("xj2024/2", "green", "各有关单位")]
    # the task as a whole: one part of three still open
    whole = {r["id"]: r for r in office.json("status", "--json")}
    assert whole["xj2024/1"]["state"] == "open" and whole["xj2024/1"]["parts_done"] == 2
    # overdue on 07-01: only the unit that has not done its part is chased for task 1
    out = office.ok("overdue")
    tables = {block.split("\n")[0].split(":")[0]: block for block in out.split("\n\n") if ":逾期" in block}
    assert [unit for unit, block in tables.items() if "xj2024/1 " in block] == ["石岗镇"]
    # a liaison may not close another unit's part, nor the task as a whole
    zhang.at("2024-07-02")
    denied = zhang.run("close", "xj2024/1", "--unit", "石岗镇")
    assert denied.code == 4 and "不能以“石岗镇”的名义" in denied.err
    assert zhang.run("close", "xj2024/2").code == 4  # 各有关单位's part: the office closes it
    # a supporting unit has no part to close
    assert "配合单位" in zhang.run("close", "xj2024/3").err


def test_units_counts_are_parts(year):
    office = year["office"].at("2024-12-20")
    units = {u["name"]: u for u in office.json("units", "--json")}
    assert (units["望城镇"]["open"], units["望城镇"]["done"]) == (2, 1)  # 4 and 5 open, 1 done
    assert (units["石岗镇"]["open"], units["石岗镇"]["done"]) == (1, 0)
    assert (units["区司法局"]["open"], units["区司法局"]["done"]) == (0, 2)
    assert units["区司法局"]["roles"] == {"lead": 1, "support": 1, "responsible": 1}
    assert units["各有关单位"]["open"] == 1


def _form(office: Clone, tmp_path: Path, unit: str):
    """The unit's progress form as exported: (its path, workbook, sheet, header)."""
    form = tmp_path / f"{unit}.xlsx"
    office.ok("export", "--unit", unit, "--form", "-o", str(form))
    wb = load_workbook(form)
    return form, wb, wb.active, [c.value for c in wb.active[3]]


def _row(ws, ref: str) -> int:
    return next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == ref)


def test_form_round_trip_closes_only_that_units_part(year, tmp_path):
    office = year["office"].at("2024-12-20")
    form, wb, ws, header = _form(office, tmp_path, "石岗镇")
    row = _row(ws, "xj2024/1")
    # its own part of task 1, and task 2, which its members report on through 各有关单位
    assert [ws.cell(r, 1).value for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value] == ["xj2024/1", "xj2024/2"]
    ws.cell(row, header.index("完成情况") + 1, "完成")
    ws.cell(row, header.index("本次进展") + 1, "石岗镇已完成公开")
    ws.cell(row, header.index("工作日期") + 1, "12/18")
    shared = _row(ws, "xj2024/2")
    ws.cell(shared, header.index("本次进展") + 1, "石岗镇已开展政策解读")
    wb.save(form)
    office.ok("import-progress", str(form))
    task = office.json("show", "xj2024/1", "--json")
    parts = {p["unit"]: p for p in task["parts"]}
    assert (parts["石岗镇"]["state"], parts["石岗镇"]["closed"], parts["石岗镇"]["note"]) == (
        "done", "2024-12-18", "石岗镇已完成公开")
    assert task["state"] == "done"  # the last of its three parts
    # progress through the form is the unit's own, and counts for the collective's part
    entry = office.json("show", "xj2024/2", "--json")["progress"][-1]
    assert (entry["unit"], entry["note"]) == ("石岗镇", "石岗镇已开展政策解读")
    assert office.json("show", "xj2024/2", "--json")["parts"][0]["category"] == "ongoing"
    # the same form again: the row says it was the unit's part that is closed already
    again = office.run("import-progress", str(form))
    assert "任务 xj2024/1 中石岗镇的部分已于 2024-12-18 关闭,跳过" in again.out + again.err


def test_report_counts_each_units_own_parts(year):
    office = year["office"].at("2025-01-10")
    data = office.json("report", "2024", "--json")
    units = {u["unit"]: u for u in data["units"]}
    # 区司法局: its part of task 1 on time, of task 5 on time; it supports task 3
    assert (units["区司法局"]["on_time"], units["区司法局"]["total"], units["区司法局"]["support"]) == (2, 2, 1)
    assert units["区司法局"]["rate"] == 1.0
    # 石岗镇 never did its part of task 1
    assert (units["石岗镇"]["overdue"], units["石岗镇"]["rate"]) == (1, 0.0)
    # 望城镇: task 1 on time; task 4 quarterly, its last quarters without entries; task 5 its part open
    assert (units["望城镇"]["on_time"], units["望城镇"]["overdue"]) == (1, 2)
    assert units["望城镇"]["progress"] == 2
    # ranked by completion
    order = [u["unit"] for u in data["units"]]
    assert order.index("区司法局") < order.index("望城镇") < order.index("石岗镇")
    # report --unit: only that unit's parts and entries
    mine = office.json("report", "2024", "--unit", "望城镇", "--json")
    states = {t["id"]: t["category"] for p in mine["plans"] for t in p["tasks"]}
    assert states["xj2024/1"] == "on_time"  # its own part, though the task is not done
    assert [u["unit"] for u in mine["units"]] == ["望城镇"]
    # 各有关单位's 持续推进 part has no progress all year: 未见进展, counted, in the problems
    text = office.ok("report", "2024")
    assert "未见进展" in text and "做好政策解读" in text.split("## 四、")[1]


@pytest.mark.parametrize("day, next_day", [("2024-06-30", "2024-07-01"), ("2024-12-31", "2025-01-01")])
def test_overdue_and_report_agree_on_every_task(year, day, next_day):
    office = year["office"].at("2025-01-10")
    report = office.json("report", "2024", "--as-of", day, "--json")
    judged = {t["id"]: t for p in report["plans"] for t in p["tasks"]}
    status = {r["id"]: r for r in office.json("status", "--state", "all", "--as-of", next_day, "--json")}
    assert set(judged) == set(status)
    for ref, task in judged.items():
        assert (task["category"], task["level"]) == (status[ref]["category"], status[ref]["level"]), ref
    late = {r["id"] for r in office.json("overdue", "--as-of", next_day, "--json") if r["level"] == "red"}
    assert late == {ref for ref, t in judged.items() if t["level"] == "red"}


def test_merged_parts_file_reads_as_both_closes(year):
    office = year["office"]
    text = (office.root / "plans" / "xj2024.yaml").read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and "conflict:" not in text
    block = text.split("  - id: 1\n")[1].split("\n\n")[0]
    assert "    parts:\n      - unit: 区司法局\n" in block and "      - unit: 望城镇\n" in block
    # the task's own state stays open: the office did not close it as a whole
    assert "    state: open\n" in block
    assert git(office.root, "log", "--merges", "--oneline").strip() == ""  # sync rebases: a straight line


def test_a_units_form_marking_a_collectives_task_done_records_its_share_not_the_whole(year, tmp_path):
    # task 2 is owed by 各有关单位 as a whole: a form is one member's word, as its liaison's would be
    office = year["office"].at("2024-12-20")
    form, wb, ws, header = _form(office, tmp_path, "石岗镇")
    ws.cell(_row(ws, "xj2024/2"), header.index("完成情况") + 1, "已完成")
    wb.save(form)
    result = office.run("import-progress", str(form))
    assert result.code == 0, result.err
    assert "由各有关单位共同承担,石岗镇 填的“已完成”记为它的进展" in result.err
    task = office.json("show", "xj2024/2", "--json")
    assert task["state"] == "open"
    entry = task["progress"][-1]
    assert (entry["unit"], entry["note"]) == ("石岗镇", "本单位已完成")


def test_as_of_a_day_counts_only_what_was_recorded_by_then(gk_env, tmp_path, monkeypatch):
    """``--as-of`` judges the plan files by the dates they record: a task, or a unit's part, closed
    after that day was still open on it, and progress dated after it had not been made yet; the
    report of the day before says the same of every task."""
    monkeypatch.setenv("GKTRACK_TODAY", "2024-12-20")
    root = tmp_path / "r"
    gk = new_repo(root, "schema: 1\nunits:\n  - name: 区司法局\n  - name: 望城镇\n")
    gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    gk("add", "p2024", "单独的任务", "--unit", "区司法局", "--due", "6月底前")
    gk("add", "p2024", "两个单位的任务", "--unit", "区司法局、望城镇", "--due", "6月底前")
    gk("progress", "p2024/1", "八月的进展", "--date", "2024-08-05")
    gk("close", "p2024/1", "--date", "2024-08-06", "--note", "已完成")
    gk("close", "p2024/2", "--unit", "区司法局", "--date", "2024-08-01")

    def late(day: str) -> dict:
        rows = json.loads(gk("overdue", "--as-of", day, "--json"))
        return {r["id"]: (r["days_late"], r["parts_done"]) for r in rows if r["level"] == "red"}

    assert late("2024-12-20") == {"p2024/2": (173, 1)}
    assert late("2024-07-15") == {"p2024/1": (15, 0), "p2024/2": (15, 0)}
    table = gk("overdue", "--as-of", "2024-07-15")
    assert "区司法局:逾期 2 项" in table and "望城镇:逾期 1 项" in table
    mine = {r["id"]: r for r in json.loads(gk("status", "--unit", "区司法局", "--as-of", "2024-07-15", "--json"))}
    assert (mine["p2024/1"]["state"], mine["p2024/1"]["closed"], mine["p2024/1"]["note"]) == ("open", None, None)
    assert mine["p2024/1"]["progress"] == [] and mine["p2024/2"]["state"] == "open"
    shown = gk("show", "p2024/1", "--as-of", "2024-08-05")
    assert "逾期" in shown and "八月的进展" in shown
    # the report of 07-14 (judged on the morning after) agrees on every task
    report = json.loads(gk("report", "2024", "--as-of", "2024-07-14", "--json"))
    judged = {t["id"]: (t["category"], t["level"]) for p in report["plans"] for t in p["tasks"]}
    status = {r["id"]: (r["category"], r["level"])
              for r in json.loads(gk("status", "--state", "all", "--as-of", "2024-07-15", "--json"))}
    assert judged == status == {"p2024/1": ("overdue", "red"), "p2024/2": ("overdue", "red")}


_days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31))
_closing = st.tuples(st.sampled_from(["open", "done"]), st.none() | _days)


@settings(max_examples=200, deadline=None)
@given(whole=_closing, parts=st.lists(_closing, max_size=3), progress=st.lists(_days, max_size=4), day=_days)
def test_a_task_as_recorded_by_a_day_keeps_exactly_the_records_made_by_then(whole, parts, progress, day):
    def state(closing):
        kind, closed = closing
        return {"state": kind, "closed": closed if kind == "done" else None, "note": "完成" if kind == "done" else None}

    task = Task(id=1, text="任务", **state(whole), progress=[Progress(d, "甲", None, "进展") for d in progress],
                parts=[Part(f"单位{i}", **state(c)) for i, c in enumerate(parts)])
    seen = as_recorded_by(task, day)
    assert [p.date for p in seen.progress] == [d for d in progress if d <= day]
    for before, after in zip([task, *task.parts], [seen, *seen.parts]):
        made = before.state == "done" and (before.closed is None or before.closed <= day)
        assert (after.state, after.closed, after.note) == ((before.state, before.closed, before.note) if made
                                                           else ("open", None, None))
    assert as_recorded_by(seen, day) == seen
    if seen == task:
        assert seen is task  # nothing later: the same object, no copy


def test_show_says_whose_part_the_tasks_standing_is(gk_env, tmp_path, monkeypatch):
    """A task of several parts stands as its most urgent part; ``show`` names that part's unit,
    since the progress listed below may be another unit's."""
    monkeypatch.setenv("GKTRACK_TODAY", "2024-07-15")
    gk = new_repo(tmp_path / "r", "schema: 1\nunits:\n  - name: 区司法局\n  - name: 望城镇\n")
    gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    gk("add", "p2024", "两个单位的任务", "--unit", "区司法局、望城镇", "--due", "6月底前", "--due", "持续推进")
    gk("progress", "p2024/1", "区司法局的进展", "--unit", "区司法局", "--date", "2024-05-01")
    facts = {line[:4].strip(): line[4:].strip() for line in gk("show", "p2024/1").splitlines() if line[:2] in ("说明", "状态")}
    assert facts["说明"] == "望城镇:已逾期15天(6月底前,2024-06-30),节点前无进展记录"



def test_a_task_stands_as_its_next_date_coming_up_not_a_milestone_already_met(gk_env, tmp_path, monkeypatch):
    """One rule orders assessments (``deadlines.urgency_of``), for a task's deadlines and its parts
    alike: a milestone met and passed asks nothing more, so the year's end coming up is shown."""
    monkeypatch.setenv("GKTRACK_TODAY", "2024-07-15")
    gk = new_repo(tmp_path / "r", "schema: 1\nunits:\n  - name: 区司法局\n  - name: 望城镇\n")
    gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    gk("add", "p2024", "两个单位的任务", "--unit", "区司法局、望城镇", "--due", "6月底前", "--due", "持续推进")
    gk("add", "p2024", "期限写不清的任务", "--unit", "区司法局、望城镇", "--due", "年底前", "--due", "视情况而定吧")
    for unit in ("区司法局", "望城镇"):
        gk("progress", "p2024/1", f"{unit}的进展", "--unit", unit, "--date", "2024-05-01")
    rows = {row["id"]: row for row in json.loads(gk("status", "--json"))}
    met = rows["p2024/1"]
    assert [part["level"] for part in met["parts"]] == ["green", "green"]
    assert (met["level"], met["due"], met["days_left"]) == ("green", "2024-12-31", 169)
    # an unreadable phrase before any date: it needs fixing
    assert rows["p2024/2"]["parts"][0]["reason"] == "期限无法识别:视情况而定吧"

def test_a_units_status_shows_the_latest_progress_of_its_own_part(gk_env, tmp_path, monkeypatch):
    monkeypatch.setenv("GKTRACK_TODAY", "2024-07-15")
    gk = new_repo(tmp_path / "r", "schema: 1\nunits:\n  - name: 区司法局\n  - name: 望城镇\n")
    gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    gk("add", "p2024", "两个单位的任务", "--unit", "区司法局、望城镇", "--due", "年底前")
    gk("progress", "p2024/1", "区司法局的进展", "--unit", "区司法局", "--date", "2024-05-01")

    def last(*args: str) -> str:
        row = next(line for line in gk("status", *args).splitlines() if line.startswith("p2024/1"))
        return row.split()[-1]

    assert last() == last("--unit", "区司法局") == "2024-05-01"
    assert last("--unit", "望城镇") == "—"  # 区司法局's entry is not 望城镇's progress
