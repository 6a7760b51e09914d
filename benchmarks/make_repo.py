"""Build a city-scale gktrack repository for the benchmark, reproducibly from a seed.

    python benchmarks/make_repo.py --plans 200 --tasks 50 --commits 10000 --seed 1 --out /tmp/city

The files are in gktrack's own format: each plan's header comes from
``gktrack.storage.planfile.new_plan_text``, each task block from its ``render_record``, and
units.yaml starts from ``gktrack.storage.registry.INITIAL_TEXT``; the first plan, and every plan
with ``--verify``, is checked byte for byte against ``new_plan_text``.

History goes through one ``git fast-import`` stream: backdated commits spread over the plan year,
about 95 % of them with gktrack's own messages and trailers (import, progress, close, reopen,
assign, as ``gktrack.features.ops`` writes them) and the rest hand edits without trailers. Only the touched
plan file changes in each commit, and only the touched task's block is re-rendered.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gktrack.storage import git as gkgit# noqa: E402
from gktrack.domain.model import ROLE_LABELS, Plan, Progress, Section, Task, UnitRef  # noqa: E402
from gktrack.features.ops import summary_text  # noqa: E402
from gktrack.storage.planfile import Style, new_plan_text, render_record  # noqa: E402

STYLE = Style()
from gktrack.storage.registry import INITIAL_TEXT  # noqa: E402

DISTRICTS = ["东城区", "西城区", "南湖区", "北湖区", "江北区", "江南区", "高新区", "滨海区", "临江区", "青山区",
             "白云区", "金水区", "城关区", "新华区", "长安区", "和平区", "河东区", "河西区", "开发区", "市本级"]
DEPARTMENTS = ["政府办公室", "发展改革局", "教育局", "科技局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
               "人力资源社会保障局", "自然资源局", "生态环境局", "住房城乡建设局", "交通运输局", "水务局", "农业农村局",
               "商务局", "文化广电旅游局", "卫生健康局", "应急管理局", "审计局", "市场监管局", "统计局", "医保局",
               "政务服务数据管理局", "信访局", "城管执法局", "退役军人事务局", "林业局", "体育局"]
TOPICS = ["政府信息公开平台建设", "重大行政决策公开", "行政规范性文件公开", "财政预决算公开", "政策解读",
          "政务新媒体管理", "依申请公开办理", "基层政务公开标准化", "政务服务事项公开", "重点领域信息公开",
          "政府网站内容保障", "政民互动回应", "公共企事业单位信息公开", "政府开放日活动", "主动公开目录更新"]
VERBS = ["推进", "加强", "做好", "规范", "完善", "深化", "落实", "健全"]
DEADLINES = [["3月底前"], ["6月底前"], ["9月底前"], ["年底前"], ["长期坚持"], ["每季度"], ["持续推进"],
             ["{y}-05-31"], ["{y}-10-31"], ["6月底前", "年底前"], ["每月"], ["上半年"], ["下半年"]]
PROGRESS_NOTES = ["已在政府网站发布相关信息", "已召开专题会议部署", "已完成年度目录梳理", "已报送阶段性进展材料",
                  "已组织业务培训", "已完成栏目优化调整", "已公开相关政策解读", "正在整理材料,按期推进",
                  "已完成自查并整改", "已在政务新媒体同步发布"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "涛", "明", "超", "霞", "平", "刚", "桂英"]

def render_task(task: Task) -> str:
    """One task block (without the blank separator line), as the plan-file writer renders it."""
    return render_record(task, STYLE.offset, STYLE.sequence, STYLE)


class PlanState:
    """One plan in memory: its header text and a rendered block per task."""

    def __init__(self, plan: Plan):
        self.plan = plan
        empty = dataclasses.replace(plan, tasks=[])
        header = new_plan_text(empty)
        assert header.endswith("tasks: []\n")
        self.header = header[: -len("tasks: []\n")] + "tasks:\n"
        self.blocks = [render_task(t) for t in plan.tasks]

    def touch(self, index: int) -> None:
        self.blocks[index] = render_task(self.plan.tasks[index])

    def text(self) -> str:
        return self.header + "".join("\n" + block for block in self.blocks)


def unit_names(count: int) -> list[str]:
    names = [d + p for p in DEPARTMENTS for d in DISTRICTS]
    if count <= len(names):
        return names[:count]
    return names + [f"{DISTRICTS[i % len(DISTRICTS)]}第{i}街道办事处" for i in range(count - len(names))]


def units_text(names: list[str]) -> str:
    """units.yaml: the registry's initial text with the units filled in, as add_units_to_file writes them."""
    block = "units:\n" + "".join(f"  - name: {n}\n" for n in names)
    assert "units: []\n" in INITIAL_TEXT
    return INITIAL_TEXT.replace("units: []\n", block)


def make_plan(rng: random.Random, index: int, year: int, tasks: int, units: list[str]) -> Plan:
    district = DISTRICTS[index % len(DISTRICTS)]
    plan_id = f"p{year}-{index + 1:04d}"
    owner = f"{district}政府办公室"
    plan = Plan(id=plan_id, year=year, title=f"{district}{year}年政务公开工作要点(第{index + 1}号)",
                issuer=owner, doc_number=f"{district[:2]}府办发〔{year}〕{index + 1}号",
                issued=dt.date(year, 1 + index % 3, 1 + index % 28), owner=owner)
    chapters = ["优化政务公开工作基础", "深化重点领域信息公开", "提升政策解读回应质量", "强化政务公开保障措施"]
    for c, title in enumerate(chapters, 1):
        plan.sections.append(Section(str(c), number="一二三四"[c - 1] + "、", title=title))
        for s in (1, 2):
            plan.sections.append(Section(f"{c}.{s}", number="(一)" if s == 1 else "(二)",
                                         title=f"{VERBS[(c + s) % len(VERBS)]}{TOPICS[(c * 2 + s) % len(TOPICS)]}"))
    local = [u for u in units if u.startswith(district)] or units
    for t in range(1, tasks + 1):
        section = f"{1 + (t - 1) * 4 // tasks}.{1 + (t - 1) % 2}"
        picked = rng.sample(local, k=min(len(local), rng.choice((1, 1, 2, 3))))
        refs = [UnitRef(picked[0], "lead" if len(picked) > 1 else "responsible")]
        refs += [UnitRef(name, "support") for name in picked[1:]]
        if rng.random() < 0.03:
            refs.append(UnitRef("各有关单位", "support"))
        deadline = [d.format(y=year) for d in rng.choice(DEADLINES)]
        text = (f"{rng.choice(VERBS)}{rng.choice(TOPICS)},{rng.choice(VERBS)}{rng.choice(TOPICS)},"
                f"确保第{t}项工作按期完成并及时公开")
        task = Task(plan=plan_id, id=t, text=text, number=f"{t}.", section=section, deadline=deadline)
        task.set_units(refs)
        plan.tasks.append(task)
    return plan


def person(rng: random.Random) -> tuple[str, str]:
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN)
    return surname + given, f"user{ord(surname) % 1000}{GIVEN.index(given)}@example.gov.cn"


class Stream:
    """Writes a git fast-import stream."""

    def __init__(self, handle):
        self.handle = handle
        self.marks = 0

    def data(self, payload: bytes) -> None:
        self.handle.write(b"data %d\n" % len(payload))
        self.handle.write(payload)
        self.handle.write(b"\n")

    def commit(self, when: int, who: tuple[str, str], message: str, files: dict[str, str]) -> None:
        self.marks += 1
        ident = f"{who[0]} <{who[1]}> {when} +0800".encode()
        self.handle.write(b"commit refs/heads/main\nmark :%d\nauthor %s\ncommitter %s\n" % (self.marks, ident, ident))
        self.data(message.encode())
        if self.marks > 1:
            self.handle.write(b"from :%d\n" % (self.marks - 1))
        for path, text in files.items():
            self.handle.write(b"M 100644 inline %s\n" % path.encode())
            self.data(text.encode())
        self.handle.write(b"\n")


def build(out: Path, *, plans: int, tasks: int, commits: int, seed: int, year: int, units_count: int,
          verify: bool = False) -> dict:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True, env=env)
    units = unit_names(units_count)
    states = [PlanState(make_plan(rng, i, year, tasks, units)) for i in range(plans)]
    for index, state in enumerate(states):
        if index == 0 or verify:
            expected = new_plan_text(state.plan)
            if state.text() != expected:
                raise SystemExit(f"make_repo: rendered plan {state.plan.id} differs from new_plan_text")

    start = int(dt.datetime(year, 1, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
    end = int(dt.datetime(year, 12, 30, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
    step = max((end - start) // max(commits, 1), 1)
    office = ("政务公开办", "office@example.gov.cn")
    counts: dict[str, int] = {}
    proc = subprocess.Popen(["git", "-C", str(out), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE,
                            env=env)
    stream = Stream(proc.stdin)
    when = start
    stream.commit(when, office, gkgit.format_message("初始化 gktrack 计划仓库", None, gkgit.trailers("init")),
                  {"units.yaml": units_text(units), "plans/.gitkeep": "",
                   ".gitattributes": "plans/*.yaml merge=gktrack\n"})
    made = 1
    for state in states:
        plan = state.plan
        when += step
        # A plan that arrives with its tasks is an import (new-plan makes an empty one): log and
        # the report check that a commit's content is what its trailers say.
        stream.commit(when, office, gkgit.format_message(
            f"导入计划 {plan.id}:{plan.title}({len(plan.tasks)} 项任务)", None, gkgit.trailers("import", plan=plan.id)),
            {f"plans/{plan.id}.yaml": state.text()})
        made += 1
    counts["import"] = plans
    while made < commits:
        # Spread evenly over the year, skipped draws included, so no day gets a pile-up.
        when = max(when + 1, start + made * step + rng.randrange(step))
        day = dt.datetime.fromtimestamp(when, dt.timezone(dt.timedelta(hours=8))).date()
        state = rng.choice(states)
        index = rng.randrange(len(state.plan.tasks))
        task = state.plan.tasks[index]
        who = person(rng)
        acting = task.units[0].name
        roll = rng.random()
        if roll < 0.05:
            action = "hand-edit"
            task.note = f"{day.month}月{day.day}日补充说明:{rng.choice(PROGRESS_NOTES)}"
            message = f"修改 {state.plan.id} 第 {task.id} 项说明\n"
        elif task.state == "done":
            if roll < 0.15:
                action = "reopen"
                task.state, task.closed = "open", None
                task.progress.append(Progress(date=day, unit=acting, by=who[0], note="重新打开:材料不全,需补充"))
                message = gkgit.format_message(f"重新打开 {task.full_id}:{summary_text(task.text)}", None,
                                               gkgit.trailers("reopen", task=task.full_id, units=[acting], date=day))
            else:
                continue
        elif roll < 0.22:
            action = "close"
            task.state, task.closed = "done", day
            message = gkgit.format_message(f"关闭 {task.full_id}:{summary_text(task.text)}", None,
                                           gkgit.trailers("close", task=task.full_id, units=[acting], date=day))
        elif roll < 0.30:
            action = "assign"
            new = UnitRef(rng.choice(units), "support")
            if any(u.name == new.name for u in task.units):
                continue
            task.support.append(new.name)
            message = gkgit.format_message(f"分派 {task.full_id}:{new.name}{ROLE_LABELS[new.role]}", None,
                                           gkgit.trailers("assign", task=task.full_id, units=[new.name]))
        else:
            action = "progress"
            note = rng.choice(PROGRESS_NOTES)
            task.progress.append(Progress(date=day, unit=acting, by=who[0], note=note))
            message = gkgit.format_message(f"进展 {task.full_id}:{summary_text(note)}", None,
                                           gkgit.trailers("progress", task=task.full_id, units=[acting], date=day))
        state.touch(index)
        stream.commit(when, who, message, {f"plans/{state.plan.id}.yaml": state.text()})
        counts[action] = counts.get(action, 0) + 1
        made += 1
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("make_repo: git fast-import failed")
    subprocess.run(["git", "-C", str(out), "checkout", "-q", "-f", "main"], check=True, env=env)
    subprocess.run(["git", "-C", str(out), "config", "user.name", "基准测试"], check=True, env=env)
    subprocess.run(["git", "-C", str(out), "config", "user.email", "bench@example.gov.cn"], check=True, env=env)
    # As `gktrack setup` (or sync) leaves a clone: git's commit-graph with changed-path filters.
    from gktrack.storage.git import keep_history_fast

    keep_history_fast(out)
    if verify:
        for state in states:
            if state.text() != new_plan_text(state.plan):
                raise SystemExit(f"make_repo: rendered plan {state.plan.id} differs from new_plan_text")
    return {"plans": plans, "tasks": plans * tasks, "commits": made, "units": len(units), "actions": counts,
            "open": sum(t.state == "open" for s in states for t in s.plan.tasks)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成基准测试用的城市规模 gktrack 仓库 / build a benchmark repository")
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=50, help="tasks per plan")
    parser.add_argument("--commits", type=int, default=10000, help="total commits (at least plans + 1)")
    parser.add_argument("--units", type=int, default=None, help="registry size (default: tasks in all / 20, 50–600)")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    parser.add_argument("--verify", action="store_true", help="check every plan against new_plan_text (slow)")
    args = parser.parse_args(argv)
    units_count = args.units or min(max(args.plans * args.tasks // 20, 50), 600)
    began = time.perf_counter()
    info = build(Path(args.out), plans=args.plans, tasks=args.tasks, commits=max(args.commits, args.plans + 1),
                 seed=args.seed, year=args.year, units_count=units_count, verify=args.verify)
    info["seconds"] = round(time.perf_counter() - began, 1)
    print(" ".join(f"{k}={v}" for k, v in info.items()))


if __name__ == "__main__":
    main()
