"""Acceptance of issue 3 through the real CLI: deadlines as plans write them, `gktrack overdue`
and the red/yellow/green mark of `status`.

The library-level cases (every phrase form, property tests, the working-day calendar) are in
test_deadlines.py; here each requirement is shown the way an office uses it, on a real git
repository built with the CLI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Gk, build_template, git, new_repo, run_main, work_in_copy

UNITS = """\
schema: 1
units:
  - name: 司法所
  - name: 党政综合办
    aliases: [综合办]
  - name: 财政分局
  - name: 横东村
collectives:
  - name: 各有关单位
    members: all
  - name: 各村(社区)
    members: [横东村]
people: []
"""

# dl2024 (plan year 2024): (text, unit phrase, --due values, progress dates)
DL2024 = [
    ("三个单位共同的任务", "司法所牵头,党政综合办、财政分局配合", ["6月底前"], []),          # 1
    ("司法所最早的逾期任务", "司法所", ["3月底前"], []),                                   # 2
    ("七天内到期的任务", "财政分局", ["7月15日前"], []),                                   # 3
    ("每季度更新但没有记录", "党政综合办", ["每季度"], []),                                 # 4
    ("每季度更新且有记录", "综合办", ["按季度"], ["2024-02-01", "2024-05-05"]),            # 5
    ("节点之后持续推进", "司法所", ["6月底前", "持续推进"], ["2024-06-15"]),                 # 6
    ("各有关单位年底前完成", "各有关单位", ["年底前"], []),                                 # 7
    ("春节前后的工作日", "各村(社区)", ["2024年2月8日起3个工作日内"], []),                    # 8
    ("国庆前后的工作日", "财政分局", ["2024年9月27日起3个工作日内"], []),                    # 9
    ("闰年二月底", "财政分局", ["2月底前"], []),                                          # 10
    ("已经办结的任务", "司法所", ["3月底前"], []),                                        # 11 (closed)
    ("没有写期限的任务", "司法所", [], []),                                               # 12
]


def _build(root: Path) -> None:
    gk = new_repo(root, UNITS)
    gk("new-plan", "dl2024", "--year", "2024", "--title", "期限验收计划2024")
    for text, unit, due, progress in DL2024:
        args = ["add", "dl2024", text, "--unit", unit]
        for value in due:
            args += ["--due", value]
        task = gk(*args).strip()
        for day in progress:
            gk("progress", task, f"{day} 的进展", "--date", day)
    gk("close", "dl2024/11", "--date", "2024-03-20", "-m", "按时完成")
    gk("new-plan", "qt2023", "--year", "2023", "--title", "去年的计划")
    gk("add", "qt2023", "去年年底前的任务", "--unit", "司法所", "--due", "年底前")
    git(root, "repack", "-adq")


@pytest.fixture(scope="module")
def _template(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory, "deadlines", build=_build)


@pytest.fixture
def repo(gk_env, _template, tmp_path, monkeypatch) -> Gk:
    return work_in_copy(_template, tmp_path, monkeypatch)


def overdue(gk: Gk, *argv) -> list[dict]:
    return gk.json("overdue", "--json", *argv)


def by_id(rows) -> dict[str, dict]:
    return {r["id"]: r for r in rows}


def groups(out: str) -> dict[str, tuple[str, list[str]]]:
    """The table output of `overdue`: {unit: (its summary line, [task ids in order])}."""
    found: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in out.splitlines():
        head = re.match(r"^(\S+):逾期 (\d+) 项,将到期 (\d+) 项\s*$", line.strip())
        if head:
            current = head.group(1)
            found[current] = (line.strip(), [])
            continue
        row = re.match(r"^\s*((?:dl2024|qt2023)/\d+)\s", line)
        if row and current:
            found[current][1].append(row.group(1))
    return found


# --- overdue: grouping, order, exit code ---------------------------------------------------------


def test_a_task_is_listed_under_the_units_that_owe_a_part(repo):
    """dl2024/1 is 司法所牵头,党政综合办、财政分局配合: 司法所 owes it; the supporting units report
    to 司法所 and are not chased for it. dl2024/8 is 各村(社区)'s, whose member 横东村 owes it."""
    result = repo("overdue", "--as-of", "2024-07-10")
    assert result.code == 0 and result.err == ""
    table = groups(result.out)
    assert "dl2024/1" in table["司法所"][1]
    assert "dl2024/1" not in table["党政综合办"][1] and "dl2024/1" not in table["财政分局"][1]
    # one summary line per unit, counting its own red and yellow parts
    assert table["司法所"][0] == "司法所:逾期 3 项,将到期 0 项"
    assert table["党政综合办"][0] == "党政综合办:逾期 1 项,将到期 0 项"
    assert table["财政分局"][0] == "财政分局:逾期 1 项,将到期 1 项"
    assert table["横东村"] == ("横东村:逾期 1 项,将到期 0 项", ["dl2024/8"])
    # the last line counts each task once
    last = result.out.strip().splitlines()[-1]
    assert last == "截至 2024-07-10:共 7 项任务,逾期 6 项、将到期 1 项,涉及 4 个单位。"


def test_each_unit_lists_the_longest_overdue_first(repo):
    table = groups(repo.ok("overdue", "--as-of", "2024-07-10"))
    # 192, 101 and 10 days late
    assert table["司法所"][1] == ["qt2023/1", "dl2024/2", "dl2024/1"]
    # red before yellow, whatever the days
    assert table["财政分局"][1] == ["dl2024/10", "dl2024/3"]
    rows = overdue(repo, "--as-of", "2024-07-10")
    late = [r["days_late"] for r in rows if r["level"] == "red"]
    assert late == sorted(late, reverse=True) and late[0] == 192
    assert [r["level"] for r in rows] == ["red"] * 6 + ["yellow"]


def test_rows_show_the_phrase_as_written_and_the_date_it_resolved_to(repo):
    out = repo.ok("overdue", "--as-of", "2024-07-10")
    line = next(line for line in out.splitlines() if line.strip().startswith("dl2024/2"))
    assert "3月底前" in line and "2024-03-31" in line and "逾期101天" in line
    line = next(line for line in out.splitlines() if line.strip().startswith("dl2024/3"))
    assert "7月15日前" in line and "2024-07-15" in line and "5天内到期" in line
    row = by_id(overdue(repo, "--as-of", "2024-07-10"))["dl2024/4"]
    assert (row["deadline"], row["due"], row["phrase"]) == ("每季度", "2024-06-30", "每季度")
    assert row["reason"].startswith("2024年第二季度(2024-04-01至2024-06-30)无进展记录")


def test_exit_code_is_zero_whether_or_not_anything_is_late(repo):
    result = repo("overdue", "--as-of", "2023-06-01")
    assert result.code == 0
    assert result.out.strip() == "截至 2023-06-01,没有逾期或将到期的任务。"
    assert repo("overdue", "--as-of", "2023-06-01", "--json").out.strip() == "[]"
    assert repo("overdue", "--as-of", "2024-07-10").code == 0
    assert repo("overdue", "--as-of", "2024-07-10", "--json").code == 0


def test_today_is_the_default(repo):
    # conftest pins today to 2024-07-01
    assert overdue(repo) == overdue(repo, "--as-of", "2024-07-01")
    assert repo.ok("overdue").strip().splitlines()[-1].startswith("截至 2024-07-01:")


# --- the JSON shape ---------------------------------------------------------------------------------


def test_overdue_json_shape(repo):
    rows = overdue(repo, "--as-of", "2024-07-10")
    assert isinstance(rows, list) and rows
    for row in rows:
        assert {"id", "plan", "text", "units", "deadline", "due", "days_late", "level"} <= set(row)
        assert row["level"] in ("red", "yellow")
        assert row["state"] == "open"
        for unit in row["units"]:
            assert set(unit) == {"name", "role"} and unit["role"] in ("lead", "support", "responsible")
    one = by_id(rows)["dl2024/1"]
    assert {k: one[k] for k in ("id", "plan", "text", "deadline", "due", "days_late", "level")} == {
        "id": "dl2024/1", "plan": "dl2024", "text": "三个单位共同的任务", "deadline": "6月底前",
        "due": "2024-06-30", "days_late": 10, "level": "red"}
    assert one["units"] == [{"name": "司法所", "role": "lead"}, {"name": "党政综合办", "role": "support"},
                            {"name": "财政分局", "role": "support"}]
    soon = by_id(rows)["dl2024/3"]
    assert (soon["level"], soon["days_late"], soon["days_left"], soon["due"]) == ("yellow", None, 5, "2024-07-15")
    # a task late for three units is one object: scripts group by its units
    assert [r["id"] for r in rows].count("dl2024/1") == 1


def test_status_json_marks_every_task_red_yellow_or_green(repo):
    rows = by_id(repo.json("status", "--state", "all", "--as-of", "2024-07-10", "--json"))
    levels = {i: r["level"] for i, r in rows.items()}
    assert levels == {
        "dl2024/1": "red", "dl2024/2": "red", "dl2024/3": "yellow", "dl2024/4": "red",
        "dl2024/5": "green", "dl2024/6": "green", "dl2024/7": "green", "dl2024/8": "red",
        "dl2024/9": "green", "dl2024/10": "red", "dl2024/11": None, "dl2024/12": "green",
        "qt2023/1": "red",
    }
    assert rows["dl2024/11"]["state"] == "done" and rows["dl2024/11"]["closed"] == "2024-03-20"
    # the same judgement as overdue
    late = {r["id"]: r["level"] for r in overdue(repo, "--as-of", "2024-07-10")}
    assert late == {i: level for i, level in levels.items() if level in ("red", "yellow")}


def test_status_table_shows_the_same_marks(repo):
    out = repo.ok("status", "--plan", "dl2024", "--as-of", "2024-07-10")
    marks = {}
    for line in out.splitlines():
        m = re.match(r"^\s*(dl2024/\d+)\s.*●\s*(\S+)", line)
        if m:
            marks[m.group(1)] = m.group(2)
    assert marks["dl2024/2"] == "逾期101天"
    assert marks["dl2024/3"] == "5天内到期"
    assert marks["dl2024/5"] == "正常" and marks["dl2024/7"] == "正常"
    assert "dl2024/11" not in out  # done tasks are not listed by default
    # the phrase and its date each in a column of their own: a long phrase is cut, never the date
    line = next(line for line in out.splitlines() if line.strip().startswith("dl2024/2 "))
    assert "3月底前" in line and "2024-03-31" in line


# --- --within --------------------------------------------------------------------------------------


def test_within_defaults_to_seven_days_and_says_why(repo):
    # dl2024/3 is due 2024-07-15
    assert "dl2024/3" in by_id(overdue(repo, "--as-of", "2024-07-08"))
    assert "dl2024/3" not in by_id(overdue(repo, "--as-of", "2024-07-07"))
    assert "dl2024/3" in by_id(overdue(repo, "--as-of", "2024-07-07", "--within", "8"))
    assert "dl2024/3" not in by_id(overdue(repo, "--as-of", "2024-07-08", "--within", "6"))
    due_today = by_id(overdue(repo, "--as-of", "2024-07-15", "--within", "0"))["dl2024/3"]
    assert (due_today["level"], due_today["days_left"]) == ("yellow", 0)
    help_text = repo.ok("overdue", "--help")
    assert "默认 7 天" in help_text and "Taskwarrior" in help_text and "每周" in help_text
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "默认 7 天" in readme and "Taskwarrior" in readme


# --- --unit and --plan ----------------------------------------------------------------------------


def test_unit_filter_includes_tasks_of_its_collectives(repo):
    rows = by_id(overdue(repo, "--as-of", "2024-12-28", "--unit", "司法所"))
    # 各有关单位 has members: all, so its 年底前 task is 司法所's too (3 days left)
    assert (rows["dl2024/7"]["level"], rows["dl2024/7"]["role"], rows["dl2024/7"]["via"]) == (
        "yellow", "responsible", "各有关单位")
    assert "dl2024/3" not in rows and "dl2024/8" not in rows
    out = repo.ok("overdue", "--as-of", "2024-12-28", "--unit", "司法所")
    assert list(groups(out)) == ["司法所"]
    # aliases work; the group is named by the canonical name
    assert list(groups(repo.ok("overdue", "--as-of", "2024-07-10", "--unit", "综合办"))) == ["党政综合办"]
    # 各村(社区) lists only 横东村
    assert set(by_id(overdue(repo, "--as-of", "2024-07-10", "--unit", "横东村"))) == {"dl2024/8"}
    line = repo.fail("overdue", "--unit", "司法局")
    assert "司法所" in line


def test_plan_filter(repo):
    assert {r["plan"] for r in overdue(repo, "--as-of", "2024-07-10", "--plan", "qt2023")} == {"qt2023"}
    assert "qt2023/1" not in by_id(overdue(repo, "--as-of", "2024-07-10", "--plan", "dl2024"))
    assert "是否指:dl2024" in repo.fail("overdue", "--plan", "dl2023")


# --- every kind, through the CLI ------------------------------------------------------------------


def test_as_of_in_the_past(repo):
    rows = by_id(overdue(repo, "--as-of", "2024-04-03"))
    assert (rows["dl2024/2"]["level"], rows["dl2024/2"]["days_late"]) == ("red", 3)
    # the first quarter ended with no entry for dl2024/4; dl2024/5 has one dated 2024-02-01
    assert rows["dl2024/4"]["level"] == "red" and "2024年第一季度" in rows["dl2024/4"]["reason"]
    assert "dl2024/5" not in rows
    # closed on 2024-03-20 before its 3月底前: never late
    assert "dl2024/11" not in rows
    # an entry dated after --as-of has not happened yet: on 2024-01-20 nothing is due in dl2024
    assert not [r for r in overdue(repo, "--as-of", "2024-01-20") if r["plan"] == "dl2024"]


def test_as_of_in_the_future(repo):
    rows = by_id(overdue(repo, "--as-of", "2025-01-02"))
    # 年底前 and undated tasks are due at the year end
    for task in ("dl2024/7", "dl2024/12"):
        assert (rows[task]["level"], rows[task]["days_late"], rows[task]["due"]) == ("red", 2, "2024-12-31"), task
    # 持续推进 after its milestone asks for progress within the year: it had some, so it is not late
    assert "dl2024/6" not in rows
    idle = repo.ok("add", "dl2024", "全年没有进展的持续推进", "--unit", "司法所", "--due", "持续推进").strip()
    row = by_id(overdue(repo, "--as-of", "2025-01-02"))[idle]
    assert (row["level"], row["days_late"], row["category"]) == ("red", 2, "no_progress")
    # the quarterly task with entries in Q1 and Q2 only: the fourth quarter is the one missing
    assert rows["dl2024/5"]["level"] == "red" and "2024年第四季度" in rows["dl2024/5"]["reason"]
    assert (rows["qt2023/1"]["days_late"]) == 368


def test_recurring_with_and_without_progress(repo):
    rows = by_id(overdue(repo, "--as-of", "2024-07-10"))
    assert rows["dl2024/4"]["level"] == "red" and "dl2024/5" not in rows
    # a progress entry in the last finished quarter clears it, although the first quarter has none
    repo.ok("progress", "dl2024/4", "补记第二季度更新", "--date", "2024-06-20")
    assert "dl2024/4" not in by_id(overdue(repo, "--as-of", "2024-07-10"))
    assert by_id(overdue(repo, "--as-of", "2024-04-03"))["dl2024/4"]["level"] == "red"
    # the current quarter ending with nothing recorded is due soon
    soon = by_id(overdue(repo, "--as-of", "2024-09-25"))["dl2024/4"]
    assert (soon["level"], soon["due"], soon["days_left"]) == ("yellow", "2024-09-30", 5)


def test_milestone_then_ongoing(repo):
    # dl2024/6 is "6月底前" then "持续推进": its entry of 2024-06-15 meets the milestone
    status = by_id(repo.json("status", "--as-of", "2024-07-10", "--json"))
    assert (status["dl2024/6"]["level"], status["dl2024/6"]["deadline"]) == ("green", "6月底前,持续推进")
    assert "dl2024/6" not in by_id(overdue(repo, "--as-of", "2024-06-25"))
    # without that entry the milestone comes due, then is missed
    repo.ok("add", "dl2024", "节点之前没有进展", "--unit", "司法所", "--due", "6月底前", "--due", "持续推进")
    before = by_id(overdue(repo, "--as-of", "2024-06-25"))["dl2024/13"]
    assert (before["level"], before["due"]) == ("yellow", "2024-06-30")
    missed = by_id(overdue(repo, "--as-of", "2024-07-10"))["dl2024/13"]
    assert (missed["level"], missed["days_late"], missed["due"]) == ("red", 10, "2024-06-30")
    assert "节点前无进展记录" in missed["reason"]


def test_working_days_around_spring_festival_and_national_day(repo):
    status = by_id(repo.json("status", "--as-of", "2024-01-10", "--json"))
    # 2024-02-08 + 3 working days: the 9th, then the holiday (10th–17th), the make-up Sunday the
    # 18th, then Monday the 19th
    assert status["dl2024/8"]["due"] == "2024-02-19"
    # 2024-09-27 + 3: make-up Sunday the 29th, the 30th, then 1–7 October off, the 8th
    assert status["dl2024/9"]["due"] == "2024-10-08"
    on_the_day = by_id(overdue(repo, "--as-of", "2024-02-19"))["dl2024/8"]
    assert (on_the_day["level"], on_the_day["days_left"]) == ("yellow", 0)
    after = by_id(overdue(repo, "--as-of", "2024-02-20"))["dl2024/8"]
    assert (after["level"], after["days_late"]) == ("red", 1)


def test_leap_year_and_year_boundary(repo):
    rows = by_id(repo.json("status", "--as-of", "2024-01-10", "--json"))
    assert rows["dl2024/10"]["due"] == "2024-02-29"
    assert rows["qt2023/1"]["due"] == "2023-12-31"
    assert by_id(overdue(repo, "--as-of", "2024-03-01"))["dl2024/10"]["days_late"] == 1
    late = by_id(overdue(repo, "--as-of", "2024-01-01"))["qt2023/1"]
    assert (late["level"], late["days_late"]) == ("red", 1)
    assert by_id(overdue(repo, "--as-of", "2023-12-31"))["qt2023/1"]["level"] == "yellow"


# --- --due on the command line -------------------------------------------------------------------


@pytest.mark.parametrize("value, stored, due", [
    ("2024-09-30", "'2024-09-30'", "2024-09-30"),
    ("2024/9/30", "'2024-09-30'", "2024-09-30"),
    ("30 Sep 2024", "'2024-09-30'", "2024-09-30"),
    ("２０２４－０９－３０", "'2024-09-30'", "2024-09-30"),
    ("9月底前", "9月底前", "2024-09-30"),
    ("第三季度", "第三季度", "2024-09-30"),
    ("每月10日前", "每月10日前", None),
    ("持续推进", "持续推进", None),
    ("20个工作日内", "20个工作日内", None),
])
def test_due_accepts_dates_and_phrases(repo, value, stored, due):
    task = repo.ok("add", "dl2024", "新任务", "--unit", "司法所", "--due", value).strip()
    assert f"    deadline: {stored}\n" in repo.text("plans/dl2024.yaml")
    row = repo.json("show", task, "--json")
    assert row["deadline"] == stored.strip("'")
    if due:  # dated: the date it resolves to (recurring and ongoing ones are judged by period)
        assert row["due"] == due


def test_two_deadlines_in_one_task(repo):
    task = repo.ok("add", "dl2024", "两个期限", "--unit", "司法所", "--due", "6月底前", "--due", "持续推进").strip()
    assert "    deadline: [6月底前, 持续推进]\n" in repo.text("plans/dl2024.yaml")
    # one cell holding both, as a 分工表 writes it
    task2 = repo.ok("add", "dl2024", "一个单元格两个期限", "--unit", "司法所", "--due", "6月底前,持续推进").strip()
    assert repo.json("show", task2, "--json")["deadline"] == repo.json("show", task, "--json")["deadline"]


@pytest.mark.parametrize("value", ["2024-13-45", "2月30日前"])
def test_due_that_cannot_exist_is_refused(repo, value):
    line = repo.fail("add", "dl2024", "新任务", "--due", value, code=2)
    assert ("无法识别的期限" in line or "日期不存在" in line) and value in line


@pytest.mark.parametrize("value", ["国庆节前", "尽快", "等上级通知", "garbage"])
def test_due_that_cannot_be_read_is_kept_and_flagged(repo, value):
    result = run_main(["--repo", str(repo.root), "add", "dl2024", "新任务", "--due", value])
    assert result.code == 0, result.err
    task = result.out.strip()
    assert f"期限“{value}”无法识别,已照原文保存" in result.err
    row = repo.json("show", task, "--json")
    assert (row["deadline"], row["due"]) == (value, None)
    assert "无法识别" in repo.ok("validate")


def test_immediately_is_ongoing(repo):
    task = repo.ok("add", "dl2024", "即时公开的任务", "--due", "即时").strip()
    assert repo.json("show", task, "--json")["deadline"] == "即时"


def test_unknown_phrase_in_a_hand_edited_file_is_kept_and_flagged(repo):
    text = repo.text("plans/dl2024.yaml").replace("    deadline: 3月底前\n", "    deadline: 等上级通知\n", 1)
    repo.write("plans/dl2024.yaml", text)
    repo.hand_commit("手工改期限", "plans/dl2024.yaml")
    row = by_id(repo.json("status", "--as-of", "2024-07-10", "--json"))["dl2024/2"]
    assert (row["deadline"], row["due"], row["level"]) == ("等上级通知", None, "green")
    shown = repo.ok("show", "dl2024/2")
    assert "期限无法识别:等上级通知" in shown
    assert "等上级通知" in repo.text("plans/dl2024.yaml")


def test_add_offers_a_deadline_found_in_the_text(repo):
    result = repo("add", "dl2024", "在2024年9月30日前完成政策文件清理并公开结果", "--unit", "司法所")
    assert result.code == 0
    # nothing is guessed into the file, but the phrase is offered
    assert "2024年9月30日前" in result.out + result.err and "--due" in result.out + result.err
