"""The report tells of each unit's own part of a shared task (分工): a unit's report (``--unit``)
shows its part's state, date, note and closing commit, not the task's as a whole; a task the unit
only supports (配合) is listed but not counted or listed as its problem; the full report names,
for a task of several parts, which unit did its part when and which has not.

One repository per test, built with the real CLI and git, each step dated.
"""

from __future__ import annotations

from test_report import new_builder, report, report_json, sha_of, tasks_by_id

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
