"""The report tells of each unit's own part of a shared task (分工): a unit's report (``--unit``)
shows its part's state, date, note and closing commit, not the task's as a whole; a task the unit
only supports (配合) is listed but not counted or listed as its problem; the full report names,
for a task of several parts, which unit did its part when and which has not.

One repository per test, built with the real CLI and git, each step dated.
"""

from __future__ import annotations

import json
import subprocess

from test_report import Builder, new_builder, report, report_json, run_cli, sha_of, tasks_by_id

REGISTRY = """\
schema: 1
units:
  - name: 区司法局
  - name: 区政数局
  - name: 望城镇
  - name: 石岗镇
collectives:
  - name: 各乡(镇)
    members: [望城镇, 石岗镇]
"""


def year(tmp_path, monkeypatch):
    """p2024/1 区司法局牵头,各乡(镇)负责, 9月底前: 区司法局's part closed 08-01 (on time), 望城镇's
    10-08 (8 days late), 石岗镇's never. p2024/2 区政数局牵头,区司法局配合, 6月底前: closed 07-10
    (10 days late)."""
    b = new_builder(tmp_path, monkeypatch)
    b.at("2024-01-05").gk("init", str(b.root))
    (b.root / "units.yaml").write_text(REGISTRY, encoding="utf-8")
    b.gk("commit-edits", "-m", "登记单位")
    b.gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    b.gk("add", "p2024", "规范基层政务公开", "--unit", "区司法局牵头,各乡(镇)负责", "--due", "9月底前")
    b.gk("add", "p2024", "政府信息公开平台建设", "--unit", "区政数局牵头,区司法局配合", "--due", "6月底前")
    b.at("2024-07-10").gk("close", "p2024/2", "--unit", "区政数局", "--note", "平台已上线")
    b.at("2024-08-01").gk("close", "p2024/1", "--unit", "区司法局", "--note", "区司法局部分已完成")
    b.at("2024-10-08").gk("close", "p2024/1", "--unit", "望城镇", "--note", "望城镇已完成")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    return b


def block(text: str, ref: str) -> str:
    """The task's item in 二、逐项落实情况."""
    return text.split(f"**{ref}**", 1)[1].split("\n\n", 2)[1]


def test_a_units_report_tells_of_its_own_part(tmp_path, monkeypatch):
    b = year(tmp_path, monkeypatch)
    # 望城镇's part was done late while the task is still open (石岗镇): its own date and days
    text = report(b, "2024", "--unit", "望城镇")
    item = block(text, "p2024/1")
    assert "- 年末状态:逾期完成(2024-10-08 完成,逾期8天)" in item
    assert "- 完成情况:望城镇已完成" in item
    assert f"关闭于提交 `{sha_of(b, '关闭 p2024/1(望城镇的部分)')[:8]}`" in item
    # 区司法局's part was done on time: its date, note and the commit that closed it
    mine = tasks_by_id(report_json(b, "2024", "--unit", "区司法局"))["p2024/1"]
    assert (mine["category"], mine["state"], mine["closed"], mine["note"]) == (
        "on_time", "done", "2024-08-01", "区司法局部分已完成")
    assert mine["closing_commit"]["commit"] == sha_of(b, "关闭 p2024/1(区司法局的部分)")
    # 石岗镇 has not done its part
    other = tasks_by_id(report_json(b, "2024", "--unit", "石岗镇"))["p2024/1"]
    assert (other["category"], other["state"], other["closed"]) == ("overdue", "open", None)


def test_a_supported_task_is_not_counted_as_the_units_own(tmp_path, monkeypatch):
    b = year(tmp_path, monkeypatch)
    data = report_json(b, "2024", "--unit", "区司法局")
    tasks = tasks_by_id(data)
    assert tasks["p2024/2"]["supporting"] is True and tasks["p2024/1"]["supporting"] is False
    # its own part only: on time; 区政数局's late close is not 区司法局's
    assert (data["summary"]["total"], data["summary"]["on_time"], data["summary"]["late"]) == (1, 1, 0)
    assert data["units"][0]["rate"] == data["summary"]["rate"] == 1.0
    text = report(b, "2024", "--unit", "区司法局")
    assert "另配合其他单位牵头的任务1项,不计入本单位的完成情况" in text
    assert "本单位配合,没有自己办结的部分(任务整体:逾期完成(2024-07-10 完成,逾期10天))" in block(text, "p2024/2")
    problems = text.split("## 四、")[1].split("## 五、")[0]
    assert "p2024/2" not in problems and problems.split("\n\n")[1].startswith("无。")


def test_the_report_names_whose_part_of_a_shared_task_is_behind(tmp_path, monkeypatch):
    b = year(tmp_path, monkeypatch)
    text = report(b, "2024")
    assert ("- 各单位完成情况:区司法局 按期完成(2024-08-01);望城镇 逾期完成(2024-10-08,逾期8天);"
            "石岗镇 逾期未完成(已逾期92天)") in block(text, "p2024/1")
    # one part only (区司法局 supports): nothing to break down
    assert "各单位完成情况" not in block(text, "p2024/2")
    overdue = text.split("### (一)逾期未完成任务")[1].split("### ")[0]
    assert "已逾期92天;其中尚未完成的单位:石岗镇。" in overdue
    parts = {p["unit"]: p for p in tasks_by_id(report_json(b, "2024"))["p2024/1"]["parts"]}
    assert {u: (p["category"], p["closed"], p["days_late"]) for u, p in parts.items()} == {
        "区司法局": ("on_time", "2024-08-01", None), "望城镇": ("late", "2024-10-08", 8),
        "石岗镇": ("overdue", None, 92)}


def test_a_deadline_written_as_a_date_is_not_repeated(tmp_path, monkeypatch):
    b = year(tmp_path, monkeypatch)
    b.at("2024-10-09").gk("add", "p2024", "政务公开专区建设", "--unit", "望城镇", "--due", "2024-04-30")
    b.at("2024-10-10").gk("close", "p2024/3")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    late = report(b, "2024").split("### (二)逾期完成任务")[1].split("### ")[0]
    assert "期限:2024-04-30。于2024年10月10日完成,逾期163天。" in late
    assert "期限:6月底前(2024-06-30)。" in late  # a phrase still gets its date


def test_parts_that_stand_alike_are_not_broken_down(tmp_path, monkeypatch):
    b = year(tmp_path, monkeypatch)
    b.at("2024-10-09").gk("add", "p2024", "更新公开目录", "--unit", "各乡(镇)", "--due", "9月底前")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    text = report(b, "2024")
    assert "各单位完成情况" not in block(text, "p2024/3")  # both towns' parts open and late alike
    assert "p2024/3),责任单位:各乡(镇),期限:9月底前(2024-09-30)。截至2024年12月31日尚未完成,已逾期92天。" in text


def test_status_of_a_unit_gives_its_parts_date_and_note(tmp_path, monkeypatch):
    b = year(tmp_path, monkeypatch)
    code, out, err = run_cli(["--repo", str(b.root), "status", "--unit", "区司法局", "--state", "all", "--json"])
    assert code == 0, err
    row = {r["id"]: r for r in json.loads(out)}["p2024/1"]
    # the task is open (石岗镇); 区司法局's part is done, and says when and how
    assert (row["state"], row["closed"], row["note"], row["category"]) == ("done", "2024-08-01", "区司法局部分已完成",
                                                                           "on_time")


def test_a_task_done_part_by_part_is_done_on_its_last_parts_day(tmp_path, monkeypatch):
    b = year(tmp_path, monkeypatch)
    # 石岗镇 closes the last part in January: late in 2024's report, carried over into 2025's
    b.at("2025-01-10").gk("close", "p2024/1", "--unit", "石岗镇", "--note", "石岗镇已完成")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-20")
    assert tasks_by_id(report_json(b, "2024"))["p2024/1"]["category"] == "overdue"
    for year_ in ("2024", "2025"):
        text = report(b, year_, "--as-of", "2025-01-15")
        item = block(text, "p2024/1")
        assert "状态:逾期完成(2025-01-10 完成,逾期102天)" in item, year_
        assert "- 完成情况:区司法局:区司法局部分已完成;望城镇:望城镇已完成;石岗镇:石岗镇已完成" in item
        assert f"关闭于提交 `{sha_of(b, '关闭 p2024/1(石岗镇的部分)')[:8]}`" in item
    data = report_json(b, "2025", "--as-of", "2025-01-15")
    assert data["audit"]["by_month"][0]["closed_late"] == 1


def test_a_close_taken_back_by_undo_is_said_so_not_reopened(tmp_path, monkeypatch):
    b = new_builder(tmp_path, monkeypatch)
    b.at("2024-01-05").gk("init", str(b.root))
    b.gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    b.gk("add", "p2024", "更新政府信息公开指南", "--unit", "区司法局", "--new-unit", "--due", "6月底前")
    b.at("2024-03-01").gk("close", "p2024/1", "--note", "关错了")
    b.at("2024-03-02").gk("undo")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    text = report(b, "2024")
    item = block(text, "p2024/1")
    assert "- 撤销关闭:2024-03-02," in item and "重新打开" not in item
    assert "重新打开" not in text  # nor counted as reopened in the overview


def test_a_recurring_task_in_good_standing_says_so(tmp_path, monkeypatch):
    b = new_builder(tmp_path, monkeypatch)
    b.at("2024-01-05").gk("init", str(b.root))
    b.gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    b.gk("add", "p2024", "按季度公开财政资金直达基层情况", "--unit", "区财政局", "--new-unit", "--due", "每季度")
    for day in ("2024-03-20", "2024-06-20", "2024-09-20", "2024-12-20"):
        b.at(day).gk("progress", "p2024/1", f"{day}公开直达资金情况")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    item = block(report(b, "2024"), "p2024/1")
    assert "- 年末状态:持续推进(周期性任务,各周期均按期记录了进展)" in item


def shared_task(tmp_path, monkeypatch):
    """p2024/1 各乡(镇)负责 (望城镇, 石岗镇) with 区司法局 as lead, added on 03-01, 6月底前."""
    b = new_builder(tmp_path, monkeypatch)
    b.at("2024-01-05").gk("init", str(b.root))
    (b.root / "units.yaml").write_text(REGISTRY, encoding="utf-8")
    b.gk("commit-edits", "-m", "登记单位")
    b.gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    b.at("2024-03-01").gk("add", "p2024", "规范基层政务公开", "--unit", "区司法局牵头,各乡(镇)负责", "--due", "6月底前")
    return b


def test_a_units_report_gives_only_its_own_parts_note_evidence_and_dates(tmp_path, monkeypatch):
    """石岗镇 closed its part without a note: its report says so, rather than passing off 望城镇's
    note and web page, or 区司法局's closing date from before the task was added, as its own."""
    b = shared_task(tmp_path, monkeypatch)
    b.at("2024-03-05").gk("close", "p2024/1", "--unit", "区司法局", "--note", "区司法局已完成", "--date", "2024-02-20")
    b.at("2024-04-01").gk("close", "p2024/1", "--unit", "望城镇", "--note", "望城镇已完成",
                          "--evidence", "https://wc.example.gov.cn/1.html")
    b.at("2024-04-02").gk("close", "p2024/1", "--unit", "石岗镇")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    text = report(b, "2024", "--unit", "石岗镇")
    item = block(text, "p2024/1")
    assert "- 完成情况:未填写" in item and "- 佐证材料:未提供" in item
    assert "早于" not in text and "望城镇已完成" not in text and "wc.example.gov.cn" not in text
    # the whole report still tells each unit's note, the web page and the early date
    whole = block(report(b, "2024"), "p2024/1")
    assert "- 完成情况:区司法局:区司法局已完成;望城镇:望城镇已完成" in whole
    assert "<https://wc.example.gov.cn/1.html>" in whole and "区司法局的完成日期 2024-02-20 早于" in whole


def test_a_units_part_closed_after_the_office_closed_the_task_did_not_close_it(tmp_path, monkeypatch):
    """The office closes the task as a whole and pushes; 望城镇, not yet synced, closes its own part,
    and sync puts that close after the office's. The task, and 石岗镇's part, were closed by the
    office's commit; only 望城镇's part by 望城镇's."""
    b = shared_task(tmp_path, monkeypatch)
    server = tmp_path / "server.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(b.root), str(server)], check=True)
    b.git("remote", "add", "origin", str(server))
    town = Builder(tmp_path / "town", monkeypatch)
    subprocess.run(["git", "clone", "-q", str(server), str(town.root)], check=True)
    b.at("2024-05-01").gk("close", "p2024/1", "--note", "全区已完成")
    b.gk("sync")
    town.at("2024-05-02").gk("close", "p2024/1", "--unit", "望城镇", "--note", "望城镇已完成")
    town.gk("sync")
    b.gk("sync")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    office_close = sha_of(b, "关闭 p2024/1:")
    town_close = sha_of(b, "关闭 p2024/1(望城镇的部分)")
    assert f"关闭于提交 `{office_close[:8]}`" in block(report(b, "2024"), "p2024/1")
    assert f"关闭于提交 `{office_close[:8]}`" in block(report(b, "2024", "--unit", "石岗镇"), "p2024/1")
    assert f"关闭于提交 `{town_close[:8]}`" in block(report(b, "2024", "--unit", "望城镇"), "p2024/1")


def test_a_period_without_progress_names_the_units_that_recorded_none(tmp_path, monkeypatch):
    """区司法局 and 望城镇 recorded progress on a task due 5月底前 and then 持续推进, 石岗镇 none: the
    report does not say the task had no progress in the year, next to the entries it lists, but
    whose part had none; the same for a task that is only 持续推进."""
    b = new_builder(tmp_path, monkeypatch)
    b.at("2024-01-05").gk("init", str(b.root))
    (b.root / "units.yaml").write_text(REGISTRY, encoding="utf-8")
    b.gk("commit-edits", "-m", "登记单位")
    b.gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    for due in ("5月底前,持续推进", "持续推进"):
        b.gk("add", "p2024", "规范基层政务公开", "--unit", "区司法局牵头,各乡(镇)负责", "--due", due)
    for ref in ("p2024/1", "p2024/2"):
        b.at("2024-04-01").gk("progress", ref, "印发规范文件", "--unit", "区司法局")
        b.at("2024-05-01").gk("progress", ref, "培训镇公开专员", "--unit", "望城镇")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    text = report(b, "2024")
    item = block(text, "p2024/1")
    assert "- 缺少进展记录的周期:2024年度(2024-01-01至2024-12-31,石岗镇未记录)" in item
    assert "- 本年度进展(2条):" in item
    assert "持续推进。2024年度(2024-01-01至2024-12-31,石岗镇未记录)无进展记录。" in text
    assert "(任务编号 p2024/2),责任单位:区司法局(牵头)、各乡(镇),期限:持续推进。" \
           "截至2024年12月31日本年度没有进展记录;其中没有进展记录的单位:石岗镇。" in text
    # the task's state line, above the two entries the others recorded, says whose part has none
    assert "未见进展(截至 2024-12-31 本年度石岗镇没有进展记录)" in block(text, "p2024/2")
    # the JSON says the same: each part carries the periods it has no progress in
    parts = {p["unit"]: p for p in tasks_by_id(report_json(b, "2024"))["p2024/1"]["parts"]}
    assert {unit: p["missed_periods"] for unit, p in parts.items()} == {
        "区司法局": [], "望城镇": [],
        "石岗镇": [{"period": "2024年度", "start": "2024-01-01", "end": "2024-12-31"}]}


def _hand_edit(b: Builder, day: str, old: str, new: str, message: str) -> None:
    """A plain ``git commit`` of p2024.yaml with ``old`` replaced by ``new`` (once)."""
    plan = b.root / "plans" / "p2024.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    plan.write_text(text.replace(old, new), encoding="utf-8")
    b.at(day).git("commit", "-q", "-m", message, "--", "plans/p2024.yaml")


def test_a_units_audit_counts_only_the_changes_of_its_own_part(tmp_path, monkeypatch):
    """石岗镇's report counts the commits that concern its part of p2024/1: the task added (naming
    各乡(镇), its collective), a change to the task as a whole (by hand or by the office), an entry
    of its own; not 区司法局's or 望城镇's closes of their parts, nor 望城镇's entry added by hand."""
    b = year(tmp_path, monkeypatch)
    b.at("2024-10-20").gk("progress", "p2024/1", "全区推进", "--by", "王五 <wangwu@example.gov.cn>")
    entry = "    progress:\n      - date: 2024-10-20\n"
    _hand_edit(b, "2024-10-21", entry, entry.replace("2024-10-20", "2024-10-21") + "        unit: 望城镇\n"
               "        note: 望城镇补记\n      - date: 2024-10-20\n", "补记望城镇的进展")
    _hand_edit(b, "2024-10-22", "deadline: 9月底前", "deadline: 10月底前", "改期限")
    b.at("2024-11-01").gk("progress", "p2024/1", "石岗镇推进", "--unit", "石岗镇")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    audit = report_json(b, "2024", "--unit", "石岗镇")["audit"]
    # add, the office's entry for the task as a whole, the deadline edited by hand, its own entry
    assert (audit["commits"], audit["gktrack"], audit["hand_edits_unchecked"]) == (4, 3, 1)
    assert [h["changes"] for h in audit["hand_edits"]] == [["p2024/1 时限要求 9月底前→10月底前"]]
    # 区司法局's own: the task added, its close, the office's entry, the deadline; not 望城镇's
    assert report_json(b, "2024", "--unit", "区司法局")["audit"]["commits"] == 5


def test_an_undone_reopen_leaves_the_close_it_took_back_as_the_basis(tmp_path, monkeypatch):
    """Closed on 03-01, reopened on 03-05, the reopen undone on 03-06: the task is done by the close
    of 03-01, which set the date, note and evidence that stand; the undo only took the reopen back."""
    b = new_builder(tmp_path, monkeypatch)
    b.at("2024-01-05").gk("init", str(b.root))
    b.gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点")
    b.gk("add", "p2024", "更新政府信息公开指南", "--unit", "区司法局", "--new-unit", "--due", "6月底前")
    b.at("2024-03-01").gk("close", "p2024/1", "--note", "指南已更新")
    b.at("2024-03-05").gk("reopen", "p2024/1", "--note", "重开错了")
    b.at("2024-03-06").gk("undo")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    close = sha_of(b, "关闭 p2024/1")
    text = report(b, "2024")
    item = block(text, "p2024/1")
    assert "- 年末状态:按期完成(2024-03-01 完成)\n" in item  # recorded the day it was done
    assert f"- 重新打开:2024-03-05,提交 `{sha_of(b, '重新打开 p2024/1')[:8]}`" in item
    assert f"- 撤销重新打开:2024-03-06,提交 `{sha_of(b, '撤销:')[:8]}`" in item
    assert f"- 审计依据:关闭于提交 `{close[:8]}`" in item, item
    assert "曾重新打开" not in text  # the reopen was taken back
    assert tasks_by_id(report_json(b, "2024"))["p2024/1"]["closing_commit"]["commit"] == close
