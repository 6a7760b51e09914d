"""Shell completion values read from the repository: plan ids, task refs, unit names.

These are Typer ``autocompletion=`` callbacks. They run on every <Tab>, so they read only what
they need (the file names under plans/, one plan, the registry) and never fail: outside a
repository, or on a broken file, they simply offer nothing.
"""

from __future__ import annotations

from typing import Any

from gktrack.errors import GktrackError

# Above this many refs, "hl<Tab>" offers the plan ids ("hl2022/") instead of every task.
_MAX_REFS = 400


def _repository(ctx: Any):
    from gktrack.storage.repo import find_repository

    root = ctx.find_root() if ctx is not None else None
    try:
        return find_repository(root.params.get("repo") if root is not None else None)
    except GktrackError:
        return None


def _matching(values: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    found = [v for v in values if v[0].startswith(incomplete)]
    if not found and incomplete:
        found = [v for v in values if incomplete in v[0]]
    return found


def complete_plan(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    repo = _repository(ctx)
    if repo is None:
        return []
    return _matching([(p, "计划") for p in repo.plan_ids()], incomplete)


def _task_refs(repo, plan_id: str) -> list[tuple[str, str]]:
    try:
        plan = repo.load_plan(plan_id)
    except GktrackError:
        return []
    from gktrack.domain.text import clip

    return [(task.full_id, ("✓ " if task.state == "done" else "") + clip(task.text)) for task in plan.tasks]


def complete_task(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    repo = _repository(ctx)
    if repo is None:
        return []
    plans = repo.plan_ids()
    if "/" in incomplete:
        plan_id = incomplete.partition("/")[0]
        return [r for r in _task_refs(repo, plan_id) if r[0].startswith(incomplete)] if plan_id in plans else []
    matching = [p for p in plans if p.startswith(incomplete)] or [p for p in plans if incomplete in p]
    if len(matching) == 1:
        return _task_refs(repo, matching[0])
    refs: list[tuple[str, str]] = []
    for plan_id in matching:
        refs += _task_refs(repo, plan_id)
        if len(refs) > _MAX_REFS:
            return [(f"{p}/", "计划") for p in matching]
    return refs


def complete_unit(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    repo = _repository(ctx)
    if repo is None:
        return []
    try:
        registry = repo.units().registry
    except GktrackError:
        return []
    values: list[tuple[str, str]] = []
    for unit in registry.all_units:
        values.append((unit.name, "集体" if unit.is_collective else "单位"))
        values += [(alias, f"{unit.name} 的别名") for alias in unit.aliases]
    return _matching(values, incomplete)
