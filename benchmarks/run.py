"""Time gktrack against Taskwarrior as whole processes, and write benchmarks/RESULTS.md.

    python benchmarks/run.py                        # 1k / 10k / 50k tasks, 5 runs each
    python benchmarks/run.py --sizes 10000 --runs 7 --install-taskwarrior
    python benchmarks/run.py --quick --out-dir /tmp/b   # smoke test (CI): 1,000 tasks, one run, no Taskwarrior

Each job is run once as a warm-up, then ``--runs`` times; gktrack and Taskwarrior runs alternate
so both see the same machine state. Wall time is measured around the whole process; peak memory
is the child's ``ru_maxrss`` from ``os.wait4`` (what ``/usr/bin/time`` reports).

PYTHONDONTWRITEBYTECODE is removed from the timed processes' environment: with it set, every
start recompiles gktrack's modules, which no installed copy ever does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TASKS_PER_PLAN = 50
# "Today" for both tools: late in the plan year, so overdue has work to show.
TODAY = "2024-12-20"
YEAR = 2024


def gktrack_command() -> list[str]:
    script = Path(sys.executable).with_name("gktrack")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gktrack"]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("GKTRACK_REPO", "GKTRACK_NO_CACHE", "TASKRC", "TASKDATA"):
        env.pop(name, None)
    env.update({"LC_ALL": "C.UTF-8", "GKTRACK_TODAY": TODAY, "GIT_CONFIG_NOSYSTEM": "1"})
    env.update(extra)
    return env


TIME = "/usr/bin/time"


def run_once(argv: list[str], cwd: Path, env: dict[str, str], before=None) -> tuple[float, int, int, float]:
    """(seconds, peak RSS in KB, exit code, CPU seconds) of one whole process.

    CPU is user + system time of the process and the children it waited for (git's, for a
    write): on a shared virtual machine wall times of the same command vary by tens of per cent
    from one run to the next, CPU times far less.

    Linux starts a child's ru_maxrss at its parent's high-water mark (fork copies it, exec keeps
    the larger), so wait4 on our own child would report this script's size for a small process.
    GNU time forks once more from a small process, as `/usr/bin/time -f %M` does for a user.
    """
    if before:
        before()
    report = None
    if os.access(TIME, os.X_OK):
        fd, report = tempfile.mkstemp(prefix="gkbench-rss-")
        os.close(fd)
        argv = [TIME, "-f", "%M", "-o", report, *argv]
    began = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - began
    peak = usage.ru_maxrss
    if report:
        try:
            peak = int(Path(report).read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            pass
        os.unlink(report)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        sys.stderr.write(f"run.py: {' '.join(argv)} exited {proc.returncode}: {err.strip()[-300:]}\n")
    return elapsed, peak, proc.returncode, usage.ru_utime + usage.ru_stime


class Job:
    """One timed command; ``argv`` may be a callable giving a fresh argv per run (writes)."""

    def __init__(self, name: str, argv, *, before=None):
        self.name = name
        self.argv = argv
        self.before = before
        self.times: list[float] = []
        self.rss: list[int] = []
        self.cpu: list[float] = []
        self.failed = 0

    def run(self, cwd: Path, env: dict[str, str], record: bool) -> None:
        argv = self.argv() if callable(self.argv) else self.argv
        seconds, rss, code, cpu = run_once(argv, cwd, env, self.before)
        if record:
            self.times.append(seconds)
            self.rss.append(rss)
            self.cpu.append(cpu)
            self.failed += code != 0

    def summary(self) -> dict | None:
        if not self.times:
            return None
        return {"median_ms": statistics.median(self.times) * 1000, "min_ms": min(self.times) * 1000,
                "max_ms": max(self.times) * 1000, "rss_mb": max(self.rss) / 1024,
                "cpu_ms": statistics.median(self.cpu) * 1000, "runs": len(self.times),
                "failed": self.failed}


# --- the repositories ------------------------------------------------------------------------


def build_gktrack_repo(root: Path, tasks: int, commits: int, seed: int) -> dict:
    from benchmarks.make_repo import build

    plans = max(tasks // TASKS_PER_PLAN, 1)
    per_plan = min(tasks, TASKS_PER_PLAN)
    units = min(max(plans * per_plan // 20, 50), 600)
    return build(root, plans=plans, tasks=per_plan, commits=max(commits, plans + 1), seed=seed, year=YEAR,
                 units_count=units)


def open_tasks(root: Path) -> list[str]:
    from gktrack.storage.repo import Repository

    plans, _ = Repository(root).load_plans()
    return [t.full_id for p in plans for t in p.tasks if t.state == "open"]


def busiest_unit(root: Path) -> str:
    from gktrack.storage.repo import Repository

    counts: dict[str, int] = {}
    plans, _ = Repository(root).load_plans()
    for plan in plans:
        for task in plan.tasks:
            for ref in task.units:
                counts[ref.name] = counts.get(ref.name, 0) + 1
    # A typical unit, not the collective everyone belongs to: the median of the named units.
    named = sorted((c, n) for n, c in counts.items() if not n.startswith("各"))
    return named[len(named) // 2][1]


def taskwarrior_binary(install: bool) -> str | None:
    found = shutil.which("task")
    if found or not install:
        return found
    print("run.py: installing taskwarrior (apt-get install -y taskwarrior)…", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "taskwarrior"], check=False,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("task")


def taskwarrior_rows(gk_root: Path) -> tuple[list[dict], list[str]]:
    """gktrack's tasks as Taskwarrior import rows (project = first unit, due = the parsed
    deadline), and the uuids of the open ones."""
    from gktrack.domain.model import Registry
    from gktrack.domain.parts import assess_parts, task_assessment
    from gktrack.domain.units import Units
    from gktrack.storage.repo import Repository

    plans, _ = Repository(gk_root).load_plans()
    today = dt.date.fromisoformat(TODAY)
    rows, pending = [], []
    for plan in plans:
        for task in plan.tasks:
            a = task_assessment(assess_parts(plan, task, Units(Registry()), today))
            ident = str(uuid.uuid5(uuid.NAMESPACE_URL, task.full_id))
            row = {"uuid": ident, "description": task.text, "status": "pending" if task.state == "open" else "completed",
                   "entry": f"{plan.year}0101T000000Z",
                   "project": (task.units[0].name if task.units else "未分派")}
            if a.due:
                row["due"] = a.due.strftime("%Y%m%dT160000Z")
            if task.state == "done":
                row["end"] = (task.closed or today).strftime("%Y%m%dT080000Z")
            else:
                pending.append(ident)
            rows.append(row)
    return rows, pending


def build_taskwarrior(folder: Path, binary: str, gk_root: Path) -> tuple[dict[str, str], list[str], str]:
    """The same tasks in Taskwarrior (``taskwarrior_rows``)."""
    data = folder / "data"
    data.mkdir(parents=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nhooks=off\nverbose=nothing\ncolor=off\n"
                  "recurrence=off\nnews.version=99.99.99\n", encoding="utf-8")
    env = {"TASKRC": str(rc), "TASKDATA": str(data), "HOME": str(folder)}
    rows, pending = taskwarrior_rows(gk_root)
    source = folder / "tasks.json"
    source.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    subprocess.run([binary, "rc.verbose=nothing", "import", str(source)], check=True, env=clean_env(env),
                   stdout=subprocess.DEVNULL, cwd=folder)
    return env, pending, rows[0]["project"]


def version_of(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "—"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# --- one size ----------------------------------------------------------------------------------


def bench_size(work: Path, tasks: int, commits: int, runs: int, seed: int, task_binary: str | None,
               only: set[str] | None = None) -> dict:
    root = work / f"gk{tasks}"
    began = time.perf_counter()
    info = build_gktrack_repo(root, tasks, commits, seed)
    built = time.perf_counter()
    print(f"  built {tasks} tasks / {info['commits']} commits in {built - began:.1f} s", flush=True)
    gk = gktrack_command()
    gk_env = clean_env({"HOME": str(work / "home")})
    (work / "home").mkdir(exist_ok=True)
    unit = busiest_unit(root)
    pending = open_tasks(root)
    show_ref = pending[0]
    writes = iter(pending[1:])
    index_file = root / ".git" / "gktrack" / "index.sqlite"
    available = {name: run_once([*gk, name, "--help"], root, gk_env)[2] == 0 for name in ("report", "validate")}

    def drop_index() -> None:
        # a fresh clone: every plan is parsed, and the index is written
        index_file.unlink(missing_ok=True)

    def record_progress() -> None:
        # the first run after a liaison's change: one plan file is new to the index
        subprocess.run([*gk, "progress", next(writes), "已报送进展"], cwd=root, env=gk_env, check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    gk_jobs = [
        Job("--help", [*gk, "--help"]),
        Job("status", [*gk, "status"]),
        Job("status --unit U", [*gk, "status", "--unit", unit]),
        Job("status --json", [*gk, "status", "--json"]),
        Job("overdue", [*gk, "overdue"]),
        Job("overdue (after a progress)", [*gk, "overdue"], before=record_progress),
        Job("show", [*gk, "show", show_ref]),
        Job("report YEAR", [*gk, "report", str(YEAR)]) if available["report"] else None,
        Job("validate", [*gk, "validate"]) if available["validate"] else None,
        Job("status (fresh clone, no index)", [*gk, "status"], before=drop_index),
        Job("progress", lambda: [*gk, "progress", next(writes), "已按要求在网站公开"]),
        Job("close", lambda: [*gk, "close", next(writes)]),
    ]
    tw_jobs: dict[str, Job] = {}
    tw_env = None
    if task_binary:
        folder = work / f"tw{tasks}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        extra, tw_pending, tw_project = build_taskwarrior(folder, task_binary, root)
        tw_env = clean_env(extra)
        tw_writes = iter(tw_pending[1:])
        t = [task_binary, "rc.confirmation=off", "rc.hooks=off"]
        tw_jobs = {
            "--help": Job("task help", [*t, "help"]),
            "status": Job("task list", [*t, "list"]),
            "status --unit U": Job("task list", [*t, "list"]),  # the bar for --unit
            "status --json": Job("task export", [*t, "export"]),
            "overdue": Job("task overdue", [*t, "overdue"]),
            "overdue (after a progress)": Job("task overdue", [*t, "overdue"]),
            "show": Job("task UUID info", [*t, tw_pending[0], "info"]),
            "report YEAR": Job("task summary", [*t, "summary"]),
            "progress": Job("task UUID annotate", lambda: [*t, next(tw_writes), "annotate", "已按要求在网站公开"]),
            "close": Job("task UUID done", lambda: [*t, next(tw_writes), "done"]),
        }
        tw_cwd = folder
    # Files just written are "racily clean" for a few seconds (index.RACY_NS): the index does not
    # trust their stat signature yet. Users' plan files are older than that; so are these, then.
    from gktrack.storage.index import RACY_NS

    settle = RACY_NS / 1e9 + 0.5 - (time.perf_counter() - built)
    if settle > 0:
        time.sleep(settle)
    results = []
    for job in [j for j in gk_jobs if j is not None and (only is None or j.name in only)]:
        partner = tw_jobs.get(job.name)
        for index in range(runs + 1):
            record = index > 0  # the first round is the warm-up
            job.run(root, gk_env, record)
            if partner is not None:
                partner.run(tw_cwd, tw_env, record)
        results.append((job, partner))
        line = f"  {job.name:32s} {job.summary()['median_ms']:8.0f} ms"
        if partner is not None:
            line += f"   {partner.name}: {partner.summary()['median_ms']:.0f} ms"
        print(line, flush=True)
    missing = [name for name, ok in available.items() if not ok]
    return {"tasks": info["tasks"], "commits": info["commits"], "plans": info["plans"], "units": info["units"],
            "unit": unit, "results": results, "missing": missing}


# --- output ------------------------------------------------------------------------------------


def fmt(summary: dict | None) -> str:
    if summary is None:
        return "—"
    return f"{summary['median_ms']:.0f} ({summary['min_ms']:.0f}–{summary['max_ms']:.0f})"


def table(sizes: list[dict]) -> str:
    lines = []
    for size in sizes:
        lines.append(f"\n### {size['tasks']:,} tasks, {size['plans']} plans, {size['units']} units, "
                     f"{size['commits']:,} commits\n")
        lines.append("| job | gktrack ms, median (min–max) | CPU ms | peak MB | Taskwarrior job | Taskwarrior ms "
                     "| CPU ms | peak MB | ratio | CPU ratio |")
        lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for job, partner in size["results"]:
            s = job.summary()
            p = partner.summary() if partner else None
            fails = f" ⚠ {s['failed']} failed" if s["failed"] else ""
            mine = f"| `{job.name}` | {fmt(s)}{fails} | {s['cpu_ms']:.0f} | {s['rss_mb']:.0f} |"
            if p:
                lines.append(f"{mine} {partner.name} | {fmt(p)} | {p['cpu_ms']:.0f} | {p['rss_mb']:.0f} | "
                             f"{s['median_ms'] / p['median_ms']:.2f} | {s['cpu_ms'] / max(p['cpu_ms'], 0.001):.2f} |")
            else:
                lines.append(f"{mine} — | — | — | — | — | — |")
        for name in size["missing"]:
            lines.append(f"| `{name}` | not available (`gktrack {name} --help` failed) | | | | | | | | |")
        lines.append(f"\n`status --unit U` used U = {size['unit']}.")
    return "\n".join(lines)


def machine(task_binary: str | None, runs: int) -> str:
    return "\n".join([
        f"- date: {dt.datetime.now().astimezone().isoformat(timespec='minutes')}",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores; {platform.platform()}",
        f"- Python {platform.python_version()}; {version_of(['git', '--version'])}; "
        f"Taskwarrior {version_of([task_binary, '--version']) if task_binary else 'not run'}",
        f"- {runs} timed runs per job after one warm-up; gktrack and Taskwarrior runs alternate",
        "- PYTHONDONTWRITEBYTECODE unset for the timed processes (this machine sets it; users have bytecode)",
        f"- GKTRACK_TODAY={TODAY}; stdout to /dev/null (not a terminal) for both tools",
        "- CPU ms: median user + system time of the process and the children it waited for (git's)",
        f"- peak memory: {'GNU time %M' if os.access(TIME, os.X_OK) else 'wait4 ru_maxrss (an upper bound: includes this script)'}",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="gktrack 与 Taskwarrior 的整进程计时 / whole-process benchmark")
    parser.add_argument("--sizes", default="1000,10000,50000", help="task counts, comma-separated")
    parser.add_argument("--commits-per-task", type=float, default=1.0, help="history length (10k tasks → 10k commits)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--install-taskwarrior", action="store_true", help="apt-get install taskwarrior when missing")
    parser.add_argument("--no-taskwarrior", action="store_true")
    parser.add_argument("--quick", action="store_true", help="smoke test (CI): 1,000 tasks, 1 run, no Taskwarrior, no RESULTS.md")
    parser.add_argument("--out-dir", help="where the repositories go (default: a temporary folder, removed after)")
    parser.add_argument("--results", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--only", action="append", metavar="JOB",
                        help="only this job, named as in the table (repeat for several: --only close --only progress)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.no_taskwarrior = "1000", 1, True
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    task_binary = None if args.no_taskwarrior else taskwarrior_binary(args.install_taskwarrior)
    if not args.no_taskwarrior and task_binary is None:
        print("run.py: Taskwarrior not found (use --install-taskwarrior); timing gktrack only", flush=True)
    work = Path(args.out_dir) if args.out_dir else Path(tempfile.mkdtemp(prefix="gkbench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        done = []
        for tasks in sizes:
            print(f"{tasks} tasks:", flush=True)
            only = set(args.only) if args.only else None
            done.append(bench_size(work, tasks, int(tasks * args.commits_per_task), args.runs, args.seed, task_binary,
                                   only))
    finally:
        if not args.out_dir:
            shutil.rmtree(work, ignore_errors=True)
    text = "## Machine\n\n" + machine(task_binary, args.runs) + "\n\n## Results\n" + table(done) + "\n"
    print(text)
    if not args.quick:
        write_results(Path(args.results), text)


def write_results(path: Path, measured: str) -> None:
    """Replace the measured part of RESULTS.md (between the markers), keeping the notes by hand."""
    begin, end = "<!-- measured:begin -->", "<!-- measured:end -->"
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\n{begin}\n{end}\n"
    if begin not in old:
        old += f"\n{begin}\n{end}\n"
    head, _, rest = old.partition(begin)
    _, _, tail = rest.partition(end)
    path.write_text(f"{head}{begin}\n{measured}{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
