"""The read commands (status, show, units, log) and their --json shapes; undo."""

from __future__ import annotations


from conftest import GIT_DATE, HL2022_TASKS, IDENTITY

TASK_KEYS = {"id", "plan", "number", "text", "section", "units", "deadline", "due", "state", "closed", "progress"}


def ids(rows):
    return [r["id"] for r in rows]


# --- status --unit ---------------------------------------------------------------------------------


def test_status_unit_finds_lead_support_responsible_and_collectives(plans_repo):
    rows = plans_repo.json("status", "--unit", "司法所", "--json")
    assert ids(rows) == ["hl2022/1", "hl2022/2", "hl2022/3", "qz2024/1"]
    roles = {r["id"]: (r["role"], r["via"]) for r in rows}
    assert roles == {
        "hl2022/1": ("responsible", None),
        "hl2022/2": ("responsible", "各有关单位"),  # 各有关单位 has members: all
        "hl2022/3": ("lead", None),
        "qz2024/1": ("support", None),
    }
    # 各村(社区) lists only 横东村, so its task (hl2022/5) is not 司法所's
    rows = plans_repo.json("status", "--unit", "横东村", "--json")
    assert {r["id"]: (r["role"], r["via"]) for r in rows} == {
        "hl2022/2": ("responsible", "各有关单位"),
        "hl2022/5": ("responsible", "各村(社区)"),
    }


def test_status_unit_by_alias_and_plan_owner(plans_repo):
    rows = plans_repo.json("status", "--unit", "政数局", "--json")
    assert {r["id"]: r["role"] for r in rows} == {"hl2022/2": "responsible", "hl2022/4": "lead", "qz2024/1": "lead"}
    # a task that names no unit belongs to the plan's owner
    rows = plans_repo.json("status", "--unit", "综合办", "--json")
    assert {r["id"]: (r["role"], r["via"]) for r in rows} == {
        "hl2022/2": ("responsible", "各有关单位"), "hl2022/3": ("support", None),
        "hl2022/6": ("responsible", None), "qz2024/2": ("lead", None),
    }


def test_direct_role_wins_over_collective(plans_repo):
    plans_repo.ok("assign", "hl2022/2", "--support", "司法所")
    row = next(r for r in plans_repo.json("status", "--unit", "司法所", "--json") if r["id"] == "hl2022/2")
    assert (row["role"], row["via"]) == ("support", None)


def test_status_filters_plan_year_and_state(plans_repo):
    gk = plans_repo
    gk.ok("close", "hl2022/3")
    gk.ok("close", "qz2024/2")
    assert ids(gk.json("status", "--json")) == ["hl2022/1", "hl2022/2", "hl2022/4", "hl2022/5", "hl2022/6", "qz2024/1"]
    assert ids(gk.json("status", "--state", "done", "--json")) == ["hl2022/3", "qz2024/2"]
    assert len(gk.json("status", "--state", "all", "--json")) == 8
    assert ids(gk.json("status", "--plan", "qz2024", "--state", "all", "--json")) == ["qz2024/1", "qz2024/2"]
    assert ids(gk.json("status", "--year", "2024", "--json")) == ["qz2024/1"]
    assert ids(gk.json("status", "--year", "2022", "--state", "done", "--json")) == ["hl2022/3"]
    assert gk.json("status", "--year", "2023", "--json") == []
    assert ids(gk.json("status", "--unit", "司法所", "--state", "done", "--json")) == ["hl2022/3"]
    assert ids(gk.json("status", "--unit", "司法所", "--plan", "hl2022", "--json")) == ["hl2022/1", "hl2022/2"]
    assert ids(gk.json("-C", gk.root, "status", "-u", "司法所", "-y", "2024", "--state", "all", "--json")) == ["qz2024/1"]


def test_status_table_is_chinese(plans_repo):
    out = plans_repo.ok("status", "--unit", "司法所")
    for word in ("hl2022/1", "hl2022/3", "qz2024/1", "负责", "牵头", "配合", "经各有关单位", "逾期", "共 4 项任务"):
        assert word in out, word
    assert "hl2022/4" not in out


# --- --json shapes ----------------------------------------------------------------------------------


def test_status_json_task_shape(plans_repo):
    gk = plans_repo
    gk.ok("progress", "hl2022/1", "已发布", "--unit", "司法所", "--date", "2024-06-28")
    gk.ok("close", "hl2022/3", "-m", "已完成", "-e", "https://x.example.cn/a")
    rows = gk.json("status", "--state", "all", "--json")
    assert isinstance(rows, list) and len(rows) == 8
    for row in rows:
        assert TASK_KEYS <= set(row)
        assert isinstance(row["section"], list) and isinstance(row["units"], list) and isinstance(row["progress"], list)
        for unit in row["units"]:
            assert set(unit) == {"name", "role"} and unit["role"] in ("lead", "support", "responsible")
    by_id = {r["id"]: r for r in rows}
    one = by_id["hl2022/1"]
    assert {k: one[k] for k in TASK_KEYS} == {
        "id": "hl2022/1", "plan": "hl2022", "number": "1.", "text": HL2022_TASKS[1],
        "section": ["一、优化政务公开工作基础", "(一)深化行政规章、规范性文件集中公开"],
        "units": [{"name": "司法所", "role": "responsible"}],
        "deadline": "6月底前", "due": "2022-06-30", "state": "open", "closed": None,
        "progress": [{"date": "2024-06-28", "unit": "司法所", "by": IDENTITY[0], "note": "已发布"}],
    }
    three = by_id["hl2022/3"]
    assert three["units"] == [{"name": "司法所", "role": "lead"}, {"name": "党政综合办", "role": "support"}]
    assert (three["deadline"], three["due"]) == ("2022-09-30", "2022-09-30")
    assert (three["state"], three["closed"], three["note"], three["evidence"]) == (
        "done", "2024-07-01", "已完成", ["https://x.example.cn/a"])
    assert by_id["hl2022/4"]["section"] == ["二、加强重点领域信息公开"]
    assert by_id["qz2024/2"]["section"] == [] and by_id["qz2024/2"]["number"] is None
    assert by_id["qz2024/2"]["deadline"] is None
    assert by_id["hl2022/6"]["units"] == []


def test_show_json_is_one_task_with_history(plans_repo):
    gk = plans_repo
    gk.ok("progress", "hl2022/3", "已开始", "--by", "李四 <ls@example.cn>")
    task = gk.json("show", "hl2022/3", "--json")
    assert isinstance(task, dict) and TASK_KEYS <= set(task)
    assert task["id"] == "hl2022/3" and task["text"] == HL2022_TASKS[3]
    assert [h["action"] for h in task["history"]] == ["progress", "add"]
    assert task["history"][0]["author"] == "李四" and task["history"][0]["date"] == GIT_DATE
    assert "hl2022/3" in gk.ok("show", "hl2022/3") and "已开始" in gk.ok("show", "hl2022/3")


def test_units_json(plans_repo):
    gk = plans_repo
    gk.ok("close", "hl2022/1")
    units = {u["name"]: u for u in gk.json("units", "--json")}
    assert {"司法所", "党政综合办", "区政数局", "横东村", "各有关单位", "各村(社区)"} <= set(units)
    # open and done count the parts it owes (hl2022/1 and /3; qz2024/1 it only supports)
    assert units["司法所"] == {"name": "司法所", "aliases": [], "collective": False, "open": 1, "done": 1,
                               "roles": {"lead": 1, "support": 1, "responsible": 1}}
    assert units["党政综合办"]["aliases"] == ["综合办"]
    assert units["各有关单位"]["collective"] is True and units["各有关单位"]["open"] == 1
    assert "司法所" in gk.ok("units")


def test_log_json(plans_repo):
    gk = plans_repo
    gk.ok("progress", "hl2022/2", "进展一", "--unit", "司法所")
    gk.ok("close", "hl2022/2")
    entries = gk.json("log", "--json")
    assert isinstance(entries, list) and len(entries) == gk.count() == 17
    first = entries[0]
    assert {"commit", "author", "email", "date", "summary", "action", "task", "units", "files"} <= set(first)
    assert first["commit"] == gk.head()
    assert (first["action"], first["task"], first["summary"]) == ("close", "hl2022/2", "关闭 hl2022/2:" + HL2022_TASKS[2][:24] + "…")
    assert (first["author"], first["email"], first["date"]) == (IDENTITY[0], IDENTITY[1], GIT_DATE)
    assert first["files"] == ["plans/hl2022.yaml"] and first["hand_edit"] is False
    assert entries[1]["units"] == ["司法所"] and entries[1]["recorded_date"] == "2024-07-01"
    assert [e["action"] for e in entries[-2:]] == ["edit", "init"]
    assert len(gk.json("log", "-n", "3", "--json")) == 3
    assert [e["action"] for e in gk.json("log", "hl2022/2", "--json")] == ["close", "progress", "add"]


def test_log_marks_hand_commits(plans_repo):
    gk = plans_repo
    gk.write("plans/qz2024.yaml", gk.text("plans/qz2024.yaml").replace("年报", "年度报告"))
    gk.hand_commit("直接用 git 提交", "plans/qz2024.yaml")
    entry = gk.json("log", "--json")[0]
    assert (entry["action"], entry["hand_edit"], entry["summary"]) == (None, True, "直接用 git 提交")
    assert [e["summary"] for e in gk.json("log", "qz2024/2", "--json")][0] == "直接用 git 提交"


# --- undo ---------------------------------------------------------------------------------------------


def test_undo_reverts_the_last_change_with_a_new_commit(plans_repo):
    gk = plans_repo
    before = gk.read("plans/hl2022.yaml")
    gk.ok("close", "hl2022/1", "-m", "误关")
    closed = gk.head()
    n = gk.count()
    out = gk.ok("undo")
    assert out.startswith(f"已撤销 {closed[:8]}:关闭 hl2022/1:")
    assert gk.count() == n + 1
    assert gk.read("plans/hl2022.yaml") == before
    assert gk.git("diff", "HEAD", f"{closed}~1") == ""
    info = gk.commit_info()
    assert info.trailers["Gktrack-Reverts"] == closed and info.files == ["plans/hl2022.yaml"]
    assert gk.json("show", "hl2022/1", "--json")["state"] == "open"
    assert gk.status() == ""


def test_undo_of_a_new_unit_restores_the_registry(plans_repo):
    gk = plans_repo
    units_before, plan_before = gk.read("units.yaml"), gk.read("plans/qz2024.yaml")
    gk.ok("add", "qz2024", "新任务", "--unit", "市档案馆", "--new-unit")
    gk.ok("undo")
    assert sorted(gk.commit_info().files) == ["plans/qz2024.yaml", "units.yaml"]
    assert gk.read("units.yaml") == units_before and gk.read("plans/qz2024.yaml") == plan_before


def test_undo_of_new_plan_removes_the_file(plans_repo):
    gk = plans_repo
    gk.ok("new-plan", "tmp1", "--year", "2024", "--title", "临时计划")
    gk.ok("undo")
    assert not (gk.root / "plans" / "tmp1.yaml").exists()
    assert gk.commit_info().files == ["plans/tmp1.yaml"] and gk.status() == ""


def test_undo_refuses_after_a_plain_git_commit(plans_repo):
    gk = plans_repo
    gk.ok("close", "hl2022/1")
    gk.write("README.md", "说明\n")
    gk.hand_commit("补充说明", "README.md")
    line = gk.fail("undo")
    assert "不是 gktrack 的修改" in line and "git revert" in line and "补充说明" in line


def test_undo_refuses_to_undo_an_undo_or_init(plans_repo, gk_env, tmp_path, monkeypatch):
    gk = plans_repo
    gk.ok("progress", "hl2022/1", "x")
    gk.ok("undo")
    line = gk.fail("undo")
    assert "本身是撤销,不能再撤销" in line and "重新执行原来的命令" in line
    fresh = tmp_path / "fresh"
    gk.ok("init", fresh)
    monkeypatch.chdir(fresh)
    assert "是仓库的初始化,不能撤销" in gk.fail("undo")


def test_undo_reverts_a_commit_edits_change(plans_repo):
    gk = plans_repo
    before = gk.read("plans/qz2024.yaml")
    gk.write("plans/qz2024.yaml", gk.text("plans/qz2024.yaml").replace("年报", "年度报告"))
    gk.ok("commit-edits")
    gk.ok("undo")
    assert gk.read("plans/qz2024.yaml") == before


# --- overdue by unit ------------------------------------------------------------------------------


def test_group_by_unit_lists_a_task_once_per_unit_and_nameless_tasks_under_the_owner(plans_repo):
    """Two names of one unit (an alias) list the task once; a task naming no unit is the plan
    owner's, or "(未分派)" when the plan has none; the same in any order of the rows."""
    import datetime as dt

    from gktrack.features import views
    from gktrack.domain.model import Plan, Task
    from gktrack.storage.repo import Repository

    repo = Repository(plans_repo.root)
    owned, orphan = Plan(id="p1", year=2024, title="t", owner="综合办"), Plan(id="p2", year=2024, title="t")
    pairs = [(owned, Task(plan="p1", id=1, text="a", lead=["政数局"], support=["司法所", "区政数局"],
                          deadline=["6月底前"])),
             (owned, Task(plan="p1", id=2, text="b", deadline=["3月底前"])),
             (orphan, Task(plan="p2", id=1, text="c", deadline=["9月底前"])),
             (owned, Task(plan="p1", id=3, text="d", lead=["区政数局"], deadline=["3月底前"]))]
    units = repo.units()
    rows = []
    for p, t in pairs:
        parts = views.assess_parts(p, t, units, dt.date(2024, 12, 1))
        rows.append(views.TaskRow(p, t, assessment=views.task_assessment(parts), parts=parts))
    # 司法所 only supports p1/1 and 区政数局 is named twice (once by its alias): one part, its lead's
    want = {"区政数局": [("p1", 3), ("p1", 1)], "党政综合办": [("p1", 2)], "(未分派)": [("p2", 1)]}
    for order in (sorted(rows, key=views.urgency), rows):
        groups = views.group_by_unit(repo, order)
        assert {g.unit: [(r.plan.id, r.task.id) for r in g.rows] for g in groups} == want
        assert [g.unit for g in groups][0] == "区政数局"  # most late tasks first
    only = views.group_by_unit(repo, rows, "政数局")
    assert [(g.unit, len(g.rows)) for g in only] == [("区政数局", 4)]
